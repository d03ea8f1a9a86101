/* pq-results-view.h: the results table, a port's findings in a pane under it
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-result.h"
#include "pq-results-hosts.h"

G_BEGIN_DECLS

typedef enum
{
  PQ_SHOW_ALL,
  PQ_SHOW_LISTENING,
  PQ_SHOW_PROBLEMS,      /* every port not listening */
} PqShowMode;

#define PQ_TYPE_RESULTS_VIEW (pq_results_view_get_type ())
G_DECLARE_FINAL_TYPE (PqResultsView, pq_results_view, PQ, RESULTS_VIEW, GtkWidget)

GtkWidget        *pq_results_view_new                (void);
void              pq_results_view_set_results        (PqResultsView *self,
                                                      GListModel    *results);
void              pq_results_view_set_search_text    (PqResultsView *self,
                                                      const char    *text);
void              pq_results_view_set_show           (PqResultsView *self,
                                                      PqShowMode     show);
PqShowMode        pq_results_view_get_show           (PqResultsView *self);
void              pq_results_view_open               (PqResultsView *self,
                                                      PqResult      *result);
void              pq_results_view_close              (PqResultsView *self);
PqResult         *pq_results_view_get_open           (PqResultsView *self);
void              pq_results_view_set_show_address   (PqResultsView *self,
                                                      gboolean       show_address);
PqResultsHosts   *pq_results_view_get_hosts          (PqResultsView *self);
gboolean          pq_results_view_match              (GObject       *item,
                                                      const char    *folded_text,
                                                      PqShowMode     show);

G_END_DECLS
