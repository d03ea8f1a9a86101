/* pq-query.h: one query, the pipeline both front ends use
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-report.h"
#include "pq-scan-options.h"
#include "pq-services.h"
#include "pq-target.h"

G_BEGIN_DECLS

#define PQ_TYPE_QUERY (pq_query_get_type ())
G_DECLARE_FINAL_TYPE (PqQuery, pq_query, PQ, QUERY, GObject)

PqQuery      *pq_query_new                (PqTarget             *target,
                                           const PqScanOptions  *options,
                                           PqAddressChoice       choice);
void          pq_query_add_target         (PqQuery              *self,
                                           PqTarget             *target);
void          pq_query_add_ports          (PqQuery              *self,
                                           GArray               *ports,
                                           PqProtocols           protocols);
void          pq_query_set_reverse_lookup (PqQuery              *self,
                                           gboolean              reverse_lookup);
void          pq_query_set_community      (PqQuery              *self,
                                           const char           *community);
void          pq_query_set_services       (PqQuery              *self,
                                           PqServices           *services);
void          pq_query_set_trace          (PqQuery              *self,
                                           gboolean              trace);
void          pq_query_run_async          (PqQuery              *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      pq_query_run_finish         (PqQuery              *self,
                                           GAsyncResult         *result,
                                           GError              **error);
PqTarget     *pq_query_get_target         (PqQuery              *self);
GListModel   *pq_query_get_results        (PqQuery              *self);
PqReport     *pq_query_get_report         (PqQuery              *self);
guint         pq_query_get_done           (PqQuery              *self);
guint         pq_query_get_total          (PqQuery              *self);
guint         pq_query_get_n_addresses    (PqQuery              *self);

G_END_DECLS
