/* pq-window.h: the main window: what to query, the results, the summary
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pq-application.h"
#include "pq-report.h"

G_BEGIN_DECLS

#define PQ_TYPE_WINDOW (pq_window_get_type ())
G_DECLARE_FINAL_TYPE (PqWindow, pq_window, PQ, WINDOW, AdwApplicationWindow)

PqWindow     *pq_window_new             (PqApplication  *application);
gboolean      pq_window_get_busy        (PqWindow       *self);
PqReport     *pq_window_get_report      (PqWindow       *self);
GListModel   *pq_window_get_results     (PqWindow       *self);
void          pq_window_show_report     (PqWindow       *self,
                                         PqReport       *report);
/* Shows the report saved in @file, as Open does (`portquery report.json`). */
void          pq_window_open_file       (PqWindow       *self,
                                         GFile          *file);
char         *pq_window_dup_summary     (PqWindow       *self);

G_END_DECLS
