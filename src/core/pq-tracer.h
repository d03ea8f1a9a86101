/* pq-tracer.h: a path trace to one port of one address, without privileges
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-trace.h"
#include "pq-types.h"

G_BEGIN_DECLS

/* Tries of each TTL before it counts as silent, and the wait of each:
 * under the 1 s after which TCP would send its SYN again. */
#define PQ_TRACE_TRIES    3
#define PQ_TRACE_WAIT_MS  900
/* Linux routers' ICMP limit per destination: a burst, then one a second. */
#define PQ_TRACE_BURST    6

#define PQ_TYPE_TRACER (pq_tracer_get_type ())
G_DECLARE_FINAL_TYPE (PqTracer, pq_tracer, PQ, TRACER, GObject)

PqTracer  *pq_tracer_new            (GInetAddress         *address,
                                     guint32               scope_id);
void       pq_tracer_add_reference  (PqTracer             *self,
                                     guint16               port,
                                     PqProtocol            protocol);
void       pq_tracer_trace_async    (PqTracer             *self,
                                     guint16               port,
                                     PqProtocol            protocol,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
PqTrace   *pq_tracer_trace_finish   (PqTracer             *self,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
