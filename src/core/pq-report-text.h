/* pq-report-text.h: PortQry's text layout, the one text rendering of a query
 *
 * portqry prints it piece by piece as a query runs; the same pieces make
 * its -l log, the text export, the window's text view and the copied
 * summary.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pq-report.h"

G_BEGIN_DECLS

char  *pq_text_sanitize             (const char  *text);
char  *pq_text_result_line          (PqResult    *result);
void   pq_text_append_details       (GString     *out,
                                     GListModel  *details,
                                     guint        depth);
void   pq_text_append_query_result  (GString             *out,
                                     PqResult            *result,
                                     const PqScanOptions *options,
                                     gboolean             evidence);
void   pq_text_append_address       (GString     *out,
                                     PqReport    *report,
                                     guint        index);
void   pq_text_append_unresolved    (GString     *out,
                                     PqTarget    *target);
void   pq_text_append_log_header    (GString     *out,
                                     GDateTime   *date);
void   pq_text_append_log_footer    (GString     *out);
void   pq_text_append_hosts_summary (GString     *out,
                                     PqReport    *report);
char  *pq_text_settings_line        (PqReport    *report);
char  *pq_text_format_time          (GDateTime   *time);
char  *pq_report_to_summary_text    (PqReport    *report);

G_END_DECLS
