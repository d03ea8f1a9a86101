/* pq-findings-table.h: a sortable, filterable table of a port's findings
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-findings.h"

G_BEGIN_DECLS

#define PQ_TYPE_FINDINGS_TABLE (pq_findings_table_get_type ())
G_DECLARE_FINAL_TYPE (PqFindingsTable, pq_findings_table, PQ, FINDINGS_TABLE, GtkWidget)

GtkWidget     *pq_findings_table_new          (PqTable          table,
                                               GListModel      *details);
GtkColumnView *pq_findings_table_get_view     (PqFindingsTable *self);
const char    *pq_findings_table_get_total    (PqFindingsTable *self);
void           pq_findings_table_name_headers (GtkWidget       *header);
void           pq_column_view_add             (GtkColumnView   *view,
                                               gpointer         owner,
                                               guint            column,
                                               const char      *title,
                                               gboolean         expand,
                                               GCallback        setup,
                                               GCallback        bind,
                                               GCompareDataFunc compare);
void           pq_findings_table_name_button  (GtkWidget       *button);
gboolean       pq_widget_focus_child          (GtkWidget       *widget,
                                               GtkDirectionType direction);

G_END_DECLS
