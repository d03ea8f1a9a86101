/* pq-trace-pane.h: "Where is it blocked?" in a port's pane: the button,
 * then the trace's verdict, its hops and the host's distance
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-result.h"

G_BEGIN_DECLS

#define PQ_TYPE_TRACE_PANE (pq_trace_pane_get_type ())
G_DECLARE_FINAL_TYPE (PqTracePane, pq_trace_pane, PQ, TRACE_PANE, GtkWidget)

GtkWidget *pq_trace_pane_new        (void);
void       pq_trace_pane_set_result (PqTracePane *self,
                                     PqResult    *result);
GtkWidget *pq_trace_pane_get_button (PqTracePane *self);
GtkLabel  *pq_trace_pane_get_verdict (PqTracePane *self);

G_END_DECLS
