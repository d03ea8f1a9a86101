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
/* What the file choosers do once a file is chosen; tests call them
 * directly. Each ends with the "file-done" signal. @filter_format is
 * the chooser's filter (-1 for none), used when the name has no known
 * extension. */
void          pq_window_save_file       (PqWindow       *self,
                                         GFile          *file);
void          pq_window_export_file     (PqWindow       *self,
                                         GFile          *file,
                                         int             filter_format);
void          pq_window_open_file       (PqWindow       *self,
                                         GFile          *file);
char         *pq_window_dup_summary     (PqWindow       *self);

G_END_DECLS
