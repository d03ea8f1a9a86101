/* pq-results-rows.h: the results table's rows, sorted and chosen
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-result.h"

G_BEGIN_DECLS

typedef gboolean (*PqRowsMatch) (gpointer item,
                                 gpointer data);

/* The results table's columns */
typedef enum
{
  COLUMN_PORT,
  COLUMN_ADDRESS,
  COLUMN_PROTOCOL,
  COLUMN_SERVICE,
  COLUMN_STATUS,
  COLUMN_EVIDENCE,
  COLUMN_TIME,
} Column;

#define PQ_TYPE_RESULTS_ROWS (pq_results_rows_get_type ())
G_DECLARE_FINAL_TYPE (PqResultsRows, pq_results_rows, PQ, RESULTS_ROWS, GObject)

PqResultsRows *pq_results_rows_new        (GType          item_type,
                                           GtkSorter     *sorter,
                                           PqRowsMatch    match,
                                           gpointer       match_data);
void           pq_results_rows_set_source (PqResultsRows *self,
                                           GListModel    *source);
void           pq_results_rows_refilter   (PqResultsRows *self,
                                           gboolean       narrower);
guint          pq_results_rows_get_n_all  (PqResultsRows *self);
GListModel    *pq_results_rows_get_shown  (PqResultsRows *self);
void           pq_results_rows_add_sorter (GtkColumnViewColumn *column,
                                           Column               which);
gboolean       pq_results_rows_contains   (const char    *text,
                                           const char    *folded_needle);
gboolean       pq_results_rows_text_matches (PqResult    *result,
                                           const char    *folded_text);
const char    *pq_results_rows_state_label (PqPortState   state);

G_END_DECLS
