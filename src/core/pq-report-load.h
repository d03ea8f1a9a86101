/* pq-report-load.h: read back a report saved as JSON
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-report.h"

G_BEGIN_DECLS

/* A saved report is never this large; a file that is is something else. */
#define PQ_REPORT_MAX_FILE_SIZE (64 * 1024 * 1024)

PqReport *pq_report_load_bytes (GBytes      *bytes,
                                GError     **error);
PqReport *pq_report_load_file  (const char  *path,
                                GError     **error);

G_END_DECLS
