/* pq-report-file.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-error.h"
#include "pq-report-file.h"
#include "pq-report-load.h"

typedef struct
{
  PqReport       *report;
  GFile          *file;
  PqReportFormat  format;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *wd = data;

  g_object_unref (wd->report);
  g_object_unref (wd->file);
  g_free (wd);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *wd = task_data;
  GError *error = NULL;

  /* A finished report is not changed any more, so reading it from this
   * thread is safe; the file is replaced atomically. */
  if (pq_report_write_file (wd->report, wd->file, wd->format, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes @report to @file as @format in a worker thread: a 65,535-port
 * HTML page takes a moment, and the window must keep drawing. */
void
pq_report_file_write_async (PqReport            *report,
                            GFile               *file,
                            PqReportFormat       format,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WriteData *wd = g_new0 (WriteData, 1);

  g_return_if_fail (PQ_IS_REPORT (report));
  g_return_if_fail (G_IS_FILE (file));

  wd->report = g_object_ref (report);
  wd->file = g_object_ref (file);
  wd->format = format;
  g_task_set_source_tag (task, pq_report_file_write_async);
  /* What the writer says stands: a Stop that came after the rename did
   * not stop anything, and a stopped write names the file it left. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, wd, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
pq_report_file_write_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;
  PqReport *report = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, PQ_ERROR, PQ_ERROR_REPORT,
                               _("Only reports stored on this computer can be opened."));
      return;
    }
  report = pq_report_load_file (path, &error);
  if (report != NULL)
    g_task_return_pointer (task, report, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
pq_report_file_load_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, pq_report_file_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

PqReport *
pq_report_file_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
