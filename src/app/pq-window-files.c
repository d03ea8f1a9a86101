/* pq-window-files.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's files: Open, Save and Export with their file choosers,
 * and reports written or read off the main loop (pq-report-file.c).
 * Each file operation counts in pending_files while it runs, so the
 * actions that would start another wait, and ends with "file-done".
 * Stop (and Escape) stops a save or export being written: the file
 * stays as it was, and a toast says so.
 * An export's file type decides its format and its name's extension; a
 * saved or opened report names the window; a saved file's toast opens
 * it in the desktop's program for its type.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-error.h"
#include "pq-report-file.h"
#include "pq-window-private.h"

enum {
  SIGNAL_FILE_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The window's title names the report file shown, or is the program's. */
void
_pq_window_set_file (PqWindow *self,
                     GFile    *file)
{
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *title = NULL;

  if (file != self->shown_file)
    g_set_object (&self->shown_file, file);
  if (name == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Port Query"));
      gtk_window_set_title (GTK_WINDOW (self), _("Port Query"));
      return;
    }
  /* Translators: the window's title, "saved.json — Port Query" */
  title = g_strdup_printf (_("%s — Port Query"), name);
  adw_window_title_set_title (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* "Saved as NAME", with a button that opens the file in the program
 * the desktop has for its type. */
static void
toast_saved (PqWindow   *self,
             GFile      *file,
             const char *message)
{
  AdwToast *toast = adw_toast_new (message);
  g_autofree char *uri = g_file_get_uri (file);

  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-with-default");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  /* The newest file's toast at once, not after the older ones. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
file_done (PqWindow     *self,
           GFile        *file,
           const GError *error,
           const char   *success)
{
  self->pending_files--;
  /* Stopped on purpose: said in passing, not as a problem. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _pq_window_toast (self, error->message);
  else if (error != NULL)
    _pq_window_show_problem (self, error->message);
  else if (success != NULL)
    toast_saved (self, file, success);
  g_signal_emit (self, signals[SIGNAL_FILE_DONE], 0, file, error ? error->message : NULL);
  _pq_window_update_actions (self);
}

typedef struct
{
  PqWindow *window;
  GFile    *file;
  char     *success;
  gboolean  is_report;  /* a Port Query report (Save), not an export */
} FileOp;

static FileOp *
file_op_new (PqWindow   *self,
             GFile      *file,
             const char *success)
{
  FileOp *op = g_new0 (FileOp, 1);

  op->window = g_object_ref (self);
  op->file = g_object_ref (file);
  op->success = g_strdup (success);
  self->pending_files++;
  _pq_window_update_actions (self);
  return op;
}

static void
file_op_free (FileOp *op)
{
  g_object_unref (op->window);
  g_object_unref (op->file);
  g_free (op->success);
  g_free (op);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  FileOp *op = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&op->window->file_cancellable);
  /* A saved report is the file the window shows; an export is not. */
  if (pq_report_file_write_finish (result, &error) && op->is_report)
    _pq_window_set_file (op->window, op->file);
  file_done (op->window, op->file, error, op->success);
  file_op_free (op);
}

static void
write_report (PqWindow       *self,
              GFile          *file,
              PqReportFormat  format,
              gboolean        is_report)
{
  FileOp *op;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *success = g_strdup_printf (_("Saved as %s"), name);

  if (self->report == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (PQ_ERROR, PQ_ERROR_REPORT,
                                                     _("There is nothing to save yet: run a query first."));
      self->pending_files++;
      file_done (self, file, error, NULL);
      return;
    }
  /* Save and Export wait for each other (pending_files), so one at most. */
  g_clear_object (&self->file_cancellable);
  self->file_cancellable = g_cancellable_new ();
  op = file_op_new (self, file, success);
  op->is_report = is_report;
  pq_report_file_write_async (self->report, file, format, self->file_cancellable, write_done_cb, op);
}

void
_pq_window_save_file (PqWindow *self,
                      GFile    *file)
{
  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  write_report (self, file, PQ_REPORT_FORMAT_JSON, TRUE);
}

static const struct {
  PqReportFormat format;
  const char *mime;
  const char *name;
} export_formats[] = {
  { PQ_REPORT_FORMAT_HTML, "text/html", N_("Web page (HTML)") },
  { PQ_REPORT_FORMAT_TEXT, "text/plain", N_("Text, as PortQry's log (TXT)") },
  { PQ_REPORT_FORMAT_CSV, "text/csv", N_("Spreadsheet (CSV)") },
  { PQ_REPORT_FORMAT_CSV_FINDINGS, "text/csv", N_("Spreadsheet, one row per finding (CSV)") },
  { PQ_REPORT_FORMAT_JSON, "application/json", N_("Port Query report (JSON)") },
};

/* @name with @format's extension in place of a report format's one:
 * "report.html" chosen as CSV is "report.csv", "notes" is "notes.csv". */
static char *
name_for_format (const char     *name,
                 PqReportFormat  format)
{
  PqReportFormat named;
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = NULL;

  if (pq_report_format_for_path (name, &named, NULL) && dot != name)
    stem = g_strndup (name, dot - name);
  else
    stem = g_strdup (name);
  return g_strdup_printf ("%s.%s", stem, pq_report_format_get_extension (format));
}

void
_pq_window_export_file (PqWindow *self,
                        GFile    *file,
                        int       filter_format)
{
  g_autofree char *name = NULL;
  g_autofree char *renamed = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) error = NULL;
  PqReportFormat format;

  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  /* Without a file type chosen the name decides. */
  if (filter_format < 0)
    {
      if (!pq_report_format_for_path (name, &format, &error))
        {
          self->pending_files++;
          file_done (self, file, error, NULL);
          return;
        }
      write_report (self, file, format, FALSE);
      return;
    }
  /* The file type chosen decides, and the name's extension follows it,
   * so the file opens in the program for what it holds. */
  renamed = name_for_format (name, filter_format);
  parent = g_file_get_parent (file);
  target = g_file_get_child (parent, renamed);
  write_report (self, target, filter_format, FALSE);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  FileOp *op = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = pq_report_file_load_finish (result, &error);

  if (report != NULL)
    {
      pq_window_show_report (op->window, report);
      _pq_window_set_file (op->window, op->file);
    }
  file_done (op->window, op->file, error, NULL);
  file_op_free (op);
}

void
pq_window_open_file (PqWindow *self,
                     GFile    *file)
{
  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  pq_report_file_load_async (file, NULL, open_done_cb, file_op_new (self, file, NULL));
}

static char *
suggested_name (PqWindow   *self,
                const char *extension)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  const char *host = pq_target_get_host (pq_report_get_target (self->report));
  g_autofree char *clean = g_strdup (host ? host : "report");

  g_strdelimit (clean, "/\\:%", '-');
  return g_strdup_printf ("portquery-%s-%s.%s", clean, date, extension);
}

/* What a chooser was opened for; its response handler gets it. */
typedef enum
{
  CHOOSE_OPEN,
  CHOOSE_SAVE,
  CHOOSE_EXPORT,
} ChooserKind;

typedef struct
{
  PqWindow    *window;  /* not a reference: drop_chooser() disconnects first */
  ChooserKind  kind;
} ChooserRequest;

static void
chooser_request_free (gpointer  data,
                      GClosure *closure)
{
  g_free (data);
}

/* The export chooser's filters are export_formats, in that order. */
static int
chosen_export_format (GtkFileChooser *chooser)
{
  GtkFileFilter *chosen = gtk_file_chooser_get_filter (chooser);
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);
  guint n = MIN (g_list_model_get_n_items (filters), G_N_ELEMENTS (export_formats));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      if (filter == chosen)
        return export_formats[i].format;
    }
  return -1;
}

/* The file type chosen in the export chooser renames the name proposed:
 * "report.html" becomes "report.csv" as Spreadsheet is chosen. (GTK's
 * own chooser says so; a portal's chooser is read when it closes, and
 * _pq_window_export_file() gives the name the extension then.) */
static void
on_export_filter (GtkFileChooser *chooser)
{
  int format = chosen_export_format (chooser);
  g_autofree char *name = gtk_file_chooser_get_current_name (chooser);
  g_autofree char *renamed = NULL;

  if (format < 0 || name == NULL || *name == '\0')
    return;
  renamed = name_for_format (name, format);
  if (g_strcmp0 (renamed, name) != 0)
    gtk_file_chooser_set_current_name (chooser, renamed);
}

/* GTK 4.8's native chooser does not pass the filter's change on; its
 * own dialog, when it is the one shown (no portal), does. */
static void
follow_export_filter (PqWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (self) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        g_signal_connect_object (toplevel, "notify::filter", G_CALLBACK (on_export_filter), self->chooser,
                                 G_CONNECT_SWAPPED);
    }
}

static void chooser_response_cb (GtkNativeDialog *dialog,
                                 int              response,
                                 ChooserRequest  *request);

/* A response that might still come finds no window. */
static void
drop_chooser (PqWindow *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_matched (self->chooser, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        chooser_response_cb, NULL);
  g_clear_object (&self->chooser);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     ChooserRequest  *request)
{
  PqWindow *self = request->window;
  ChooserKind kind = request->kind;
  g_autoptr(GFile) file = NULL;
  int format = -1;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (kind == CHOOSE_EXPORT)
    format = chosen_export_format (GTK_FILE_CHOOSER (dialog));
  /* Frees @request once this handler returns. */
  drop_chooser (self);
  if (file == NULL)
    return;
  switch (kind)
    {
    case CHOOSE_OPEN:
      pq_window_open_file (self, file);
      break;
    case CHOOSE_SAVE:
      _pq_window_save_file (self, file);
      break;
    case CHOOSE_EXPORT:
      _pq_window_export_file (self, file, format);
      break;
    }
}

/* What each chooser asks, by ChooserKind. */
static const struct {
  const char           *title;
  GtkFileChooserAction  mode;
  const char           *accept;
  const char           *extension;  /* of the name suggested, if any */
} choosers[] = {
  [CHOOSE_OPEN] = { N_("Open Report"), GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Open"), NULL },
  [CHOOSE_SAVE] = { N_("Save Report"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Save"), "json" },
  [CHOOSE_EXPORT] = { N_("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Export"), "html" },
};

static void
add_filter (PqWindow   *self,
            const char *name,
            const char *mime,
            const char *extension)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", extension);

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
}

/* Opens the chooser for @kind; its response does the rest. */
static void
choose_file (PqWindow    *self,
             ChooserKind  kind)
{
  ChooserRequest *request = g_new0 (ChooserRequest, 1);

  request->window = self;
  request->kind = kind;
  drop_chooser (self);
  self->chooser = gtk_file_chooser_native_new (_(choosers[kind].title), GTK_WINDOW (self), choosers[kind].mode,
                                               _(choosers[kind].accept), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_data (self->chooser, "response", G_CALLBACK (chooser_response_cb), request,
                         chooser_request_free, 0);

  if (kind == CHOOSE_EXPORT)
    for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
      add_filter (self, _(export_formats[i].name), export_formats[i].mime,
                  pq_report_format_get_extension (export_formats[i].format));
  else
    add_filter (self, _("Port Query report (JSON)"), "application/json", "json");
  if (choosers[kind].extension != NULL)
    {
      g_autofree char *name = suggested_name (self, choosers[kind].extension);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  if (kind == CHOOSE_EXPORT)
    follow_export_filter (self);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  choose_file (PQ_WINDOW (user_data), CHOOSE_OPEN);
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  choose_file (PQ_WINDOW (user_data), CHOOSE_SAVE);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  choose_file (PQ_WINDOW (user_data), CHOOSE_EXPORT);
}

static void
launch_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(PqWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    _pq_window_show_problem (self, error->message);
}

/* The toast's Open: the desktop's program for the file's type (through
 * the portal inside a sandbox). */
static void
open_with_default_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autoptr(GAppLaunchContext) context = NULL;

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (g_variant_get_string (parameter, NULL), context, NULL,
                                           launch_done_cb, g_object_ref (self));
}

static const GActionEntry file_actions[] = {
  { .name = "open-with-default", .activate = open_with_default_activated, .parameter_type = "s" },
  { .name = "open", .activate = open_activated },
  { .name = "save", .activate = save_activated },
  { .name = "export", .activate = export_activated },
};

void
_pq_window_files_class_init (PqWindowClass *klass)
{
  /**
   * PqWindow::file-done:
   * @file: the file saved, exported or opened
   * @error: (nullable): why it failed, or %NULL
   */
  signals[SIGNAL_FILE_DONE] =
    g_signal_new ("file-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRING);
}

void
_pq_window_files_init (PqWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions, G_N_ELEMENTS (file_actions), self);
}

void
_pq_window_files_dispose (PqWindow *self)
{
  drop_chooser (self);
  if (self->file_cancellable != NULL)
    g_cancellable_cancel (self->file_cancellable);
  g_clear_object (&self->file_cancellable);
}
