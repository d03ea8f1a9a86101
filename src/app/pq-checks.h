/* pq-checks.h: predefined service checks (as PortQryUI's) and the user's own
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-types.h"

G_BEGIN_DECLS

#define PQ_TYPE_CHECK (pq_check_get_type ())
G_DECLARE_FINAL_TYPE (PqCheck, pq_check, PQ, CHECK, GObject)

/* A check asks for some ports over TCP and some over UDP: PortQryUI's
 * "Domains and Trusts" wants TCP 135 but UDP 137, so one protocol for
 * the whole list would not do. Either list may be empty. */
PqCheck      *pq_check_new             (const char  *id,
                                        const char  *name,
                                        const char  *tcp_ports,
                                        const char  *udp_ports,
                                        gboolean     user_defined);
const char   *pq_check_get_id          (PqCheck     *self);
const char   *pq_check_get_name        (PqCheck     *self);
const char   *pq_check_get_tcp_ports   (PqCheck     *self);
const char   *pq_check_get_udp_ports   (PqCheck     *self);
char         *pq_check_dup_ports_text  (PqCheck     *self);
PqProtocols   pq_check_get_protocols   (PqCheck     *self);
gboolean      pq_check_get_user_defined (PqCheck    *self);

char         *pq_checks_default_path   (void);
GListStore   *pq_checks_load           (const char  *path,
                                        GError     **error);
PqCheck      *pq_checks_add            (GListStore  *checks,
                                        const char  *path,
                                        const char  *name,
                                        const char  *ports,
                                        PqProtocols  protocols,
                                        GError     **error);
gboolean      pq_checks_remove         (GListStore  *checks,
                                        const char  *path,
                                        PqCheck     *check,
                                        GError     **error);
PqCheck      *pq_checks_find           (GListModel  *checks,
                                        const char  *id,
                                        guint       *position);

G_END_DECLS
