/* pq-local.h: this computer's TCP and UDP endpoints and the processes
 * that own them, from the kernel's own tables (PortQry's -local)
 *
 * PqLocalTable holds a GListModel of PqLocalEndpoint; each refresh reads
 * the kernel's sockets again (sock_diag netlink) and who owns them
 * (/proc/PID/fd), and replaces the list, so a window can bind to it and
 * refresh it on a timer.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-types.h"

G_BEGIN_DECLS

/* The kernel's TCP states (include/net/tcp_states.h), and PortQry's words
 * for them; UDP sockets are CLOSE (bound) or ESTABLISHED (connected). */
typedef enum
{
  PQ_TCP_ESTABLISHED = 1,
  PQ_TCP_SYN_SENT,
  PQ_TCP_SYN_RECV,
  PQ_TCP_FIN_WAIT1,
  PQ_TCP_FIN_WAIT2,
  PQ_TCP_TIME_WAIT,
  PQ_TCP_CLOSE,
  PQ_TCP_CLOSE_WAIT,
  PQ_TCP_LAST_ACK,
  PQ_TCP_LISTEN,
  PQ_TCP_CLOSING,
  PQ_TCP_N_STATES,
} PqTcpState;

#define PQ_TYPE_LOCAL_ENDPOINT (pq_local_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (PqLocalEndpoint, pq_local_endpoint, PQ, LOCAL_ENDPOINT, GObject)

PqProtocol   pq_local_endpoint_get_protocol        (PqLocalEndpoint *self);
const char  *pq_local_endpoint_get_local_address   (PqLocalEndpoint *self);
guint16      pq_local_endpoint_get_local_port      (PqLocalEndpoint *self);
const char  *pq_local_endpoint_get_remote_address  (PqLocalEndpoint *self);
guint16      pq_local_endpoint_get_remote_port     (PqLocalEndpoint *self);
PqTcpState   pq_local_endpoint_get_state           (PqLocalEndpoint *self);
const char  *pq_local_endpoint_get_state_text      (PqLocalEndpoint *self);
guint        pq_local_endpoint_get_uid             (PqLocalEndpoint *self);
guint64      pq_local_endpoint_get_inode           (PqLocalEndpoint *self);
int          pq_local_endpoint_get_pid             (PqLocalEndpoint *self);
const char  *pq_local_endpoint_get_process         (PqLocalEndpoint *self);
gboolean     pq_local_endpoint_is_hidden           (PqLocalEndpoint *self);
char        *pq_local_endpoint_key                 (PqLocalEndpoint *self);

const char  *pq_tcp_state_to_string                (PqTcpState       state);

#define PQ_TYPE_LOCAL_TABLE (pq_local_table_get_type ())
G_DECLARE_FINAL_TYPE (PqLocalTable, pq_local_table, PQ, LOCAL_TABLE, GObject)

PqLocalTable *pq_local_table_new           (void);
gboolean      pq_local_table_refresh       (PqLocalTable  *self,
                                            GError       **error);
GListModel   *pq_local_table_get_endpoints (PqLocalTable  *self);
GListModel   *pq_local_table_filter        (PqLocalTable  *self,
                                            guint          port,
                                            int            pid);
guint         pq_local_table_get_n_hidden  (PqLocalTable  *self);

/* What -v shows of one process: its command line and systemd unit. */
char         *pq_local_process_cmdline     (int            pid);
char         *pq_local_process_unit        (int            pid);
char         *pq_local_unit_from_cgroup    (const char    *text);

G_END_DECLS
