/* pq-report-file.h: write and read report files off the main loop
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-writers.h"

G_BEGIN_DECLS

void       pq_report_file_write_async  (PqReport             *report,
                                        GFile                *file,
                                        PqReportFormat        format,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean   pq_report_file_write_finish (GAsyncResult         *result,
                                        GError              **error);
void       pq_report_file_load_async   (GFile                *file,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
PqReport  *pq_report_file_load_finish  (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
