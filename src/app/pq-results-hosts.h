/* pq-results-hosts.h: which host each row's address belongs to, and the
 * results table's Host column
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-report.h"

G_BEGIN_DECLS

#define PQ_TYPE_RESULTS_HOSTS (pq_results_hosts_get_type ())
G_DECLARE_FINAL_TYPE (PqResultsHosts, pq_results_hosts, PQ, RESULTS_HOSTS, GObject)

PqResultsHosts *pq_results_hosts_new          (GtkColumnView  *column_view);
void            pq_results_hosts_clear        (PqResultsHosts *self);
void            pq_results_hosts_add          (PqResultsHosts *self,
                                               const char     *address,
                                               guint           host,
                                               const char     *label);
void            pq_results_hosts_add_report   (PqResultsHosts *self,
                                               PqReport       *report);
void            pq_results_hosts_set_grouped  (PqResultsHosts *self,
                                               gboolean        grouped);
gboolean        pq_results_hosts_get_grouped  (PqResultsHosts *self);
gboolean        pq_results_hosts_need_address (PqResultsHosts *self);
const char     *pq_results_hosts_get_label    (PqResultsHosts *self,
                                               const char     *address);
gboolean        pq_results_hosts_matches      (PqResultsHosts *self,
                                               gpointer        item,
                                               const char     *folded_text,
                                               int             show);
char           *pq_results_hosts_name_row     (PqResultsHosts *self,
                                               PqResult       *result,
                                               const char     *port_name);
char           *pq_results_hosts_name_opener  (PqResultsHosts *self,
                                               PqResult       *result);
GtkColumnViewColumn *pq_results_hosts_get_column (PqResultsHosts *self);

G_END_DECLS
