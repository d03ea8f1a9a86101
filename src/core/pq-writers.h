/* pq-writers.h: a report as text, CSV, JSON or HTML, and written to a file
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-report.h"

G_BEGIN_DECLS

typedef enum
{
  PQ_REPORT_FORMAT_TEXT,
  PQ_REPORT_FORMAT_CSV,
  PQ_REPORT_FORMAT_JSON,
  PQ_REPORT_FORMAT_HTML,
  PQ_REPORT_FORMAT_CSV_FINDINGS,   /* CSV, one row per finding */
} PqReportFormat;

char        *pq_report_to_text           (PqReport             *self);
char        *pq_report_to_csv            (PqReport             *self);
char        *pq_report_to_csv_findings   (PqReport             *self);
char        *pq_report_to_json           (PqReport             *self);
char        *pq_report_to_html           (PqReport             *self);
char        *pq_report_to_format         (PqReport             *self,
                                          PqReportFormat        format);
const char  *pq_report_format_get_extension (PqReportFormat   format);
gboolean     pq_report_format_for_path   (const char           *path,
                                          PqReportFormat       *format,
                                          GError              **error);
gboolean     pq_report_write_file        (PqReport             *self,
                                          GFile                *file,
                                          PqReportFormat        format,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean     pq_report_write_path        (PqReport             *self,
                                          const char           *path,
                                          PqReportFormat        format,
                                          GCancellable         *cancellable,
                                          GError              **error);

G_END_DECLS
