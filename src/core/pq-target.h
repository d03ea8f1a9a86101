/* pq-target.h: the host to query, as typed, and its addresses
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Which of a name's addresses to query. */
typedef enum
{
  PQ_ADDRESS_FIRST,       /* the first address found, as PortQry */
  PQ_ADDRESS_IPV4,        /* the first IPv4 address (-4) */
  PQ_ADDRESS_IPV6,        /* the first IPv6 address (-6) */
  PQ_ADDRESS_ALL,         /* every address found */
} PqAddressChoice;

#define PQ_TYPE_TARGET (pq_target_get_type ())
G_DECLARE_FINAL_TYPE (PqTarget, pq_target, PQ, TARGET, GObject)

PqTarget     *pq_target_new_parse          (const char          *text,
                                            GError             **error);
PqTarget     *pq_target_new_loaded         (const char          *input,
                                            const char          *host,
                                            gboolean             literal,
                                            guint32              scope_id,
                                            GPtrArray           *addresses);
const char   *pq_target_get_input          (PqTarget            *self);
const char   *pq_target_get_host           (PqTarget            *self);
gboolean      pq_target_is_literal         (PqTarget            *self);
guint32       pq_target_get_scope_id       (PqTarget            *self);
gboolean      pq_target_resolve            (PqTarget            *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
void          pq_target_resolve_async      (PqTarget            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      pq_target_resolve_finish     (PqTarget            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
GPtrArray    *pq_target_get_addresses      (PqTarget            *self);
GPtrArray    *pq_target_choose             (PqTarget            *self,
                                            PqAddressChoice      choice,
                                            GError             **error);
char         *pq_target_reverse_lookup     (GInetAddress        *address,
                                            GCancellable        *cancellable,
                                            GError             **error);
char         *pq_address_to_string         (GInetAddress        *address,
                                            guint32              scope_id);
char         *pq_socket_address_to_string  (GInetAddress        *address,
                                            guint32              scope_id,
                                            guint16              port);

G_END_DECLS
