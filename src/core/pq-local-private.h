/* pq-local-private.h: between pq-local.c and its readers of the kernel's
 * tables (pq-local-diag.c: sockets; pq-local-proc.c: their owners)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-local.h"

G_BEGIN_DECLS

PqLocalEndpoint *pq_local_endpoint_new        (PqProtocol        protocol,
                                               const char       *local_address,
                                               guint16           local_port,
                                               const char       *remote_address,
                                               guint16           remote_port,
                                               PqTcpState        state,
                                               guint             uid,
                                               guint64           inode);
void             pq_local_endpoint_set_owner  (PqLocalEndpoint  *self,
                                               int               pid,
                                               const char       *process,
                                               gboolean          hidden);

gboolean         pq_local_diag_dump           (GPtrArray        *endpoints,
                                               GError          **error);
GHashTable      *pq_local_proc_owners         (void);
char            *pq_local_process_name        (int               pid);

G_END_DECLS
