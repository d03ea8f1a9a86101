/* pq-writers-private.h: the writers' escaping, shared by them and tested alone
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-report.h"

G_BEGIN_DECLS

char  *pq_csv_cell             (const char  *text);
void   pq_html_append_escaped  (GString     *out,
                                const char  *text);
void   pq_append_decimal       (GString     *out,
                                double       value,
                                guint        digits);

/* Each writer, looking at @cancellable between rows: once it is
 * cancelled they return %NULL (pq_writer_finish() frees their text).
 * pq_report_write_file() calls them; pq_report_to_*() pass no
 * cancellable. */
char  *pq_writer_finish                (GString      *out,
                                        GCancellable *cancellable);
char  *pq_report_to_text_cancellable   (PqReport     *self,
                                        GCancellable *cancellable);
char  *pq_report_to_csv_cancellable    (PqReport     *self,
                                        GCancellable *cancellable);
char  *pq_report_to_csv_findings_cancellable (PqReport     *self,
                                              GCancellable *cancellable);
char  *pq_report_to_json_cancellable   (PqReport     *self,
                                        GCancellable *cancellable);
char  *pq_report_to_html_cancellable   (PqReport     *self,
                                        GCancellable *cancellable);

G_END_DECLS
