/* pq-results-view.h: the results table, with findings expanding under each port
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PQ_TYPE_RESULTS_VIEW (pq_results_view_get_type ())
G_DECLARE_FINAL_TYPE (PqResultsView, pq_results_view, PQ, RESULTS_VIEW, GtkWidget)

GtkWidget        *pq_results_view_new                (void);
void              pq_results_view_set_results        (PqResultsView *self,
                                                      GListModel    *results);
void              pq_results_view_set_search_text    (PqResultsView *self,
                                                      const char    *text);
void              pq_results_view_set_problems_only  (PqResultsView *self,
                                                      gboolean       problems_only);
void              pq_results_view_set_show_address   (PqResultsView *self,
                                                      gboolean       show_address);
gboolean          pq_results_view_match              (GObject       *item,
                                                      const char    *folded_text,
                                                      gboolean       problems_only);

G_END_DECLS
