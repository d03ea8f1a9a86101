/* pq-writers.c: a report in the format a file name asks for, written whole
 *
 * One writer per format: pq-report-text.c (PortQry's log layout),
 * pq-report-csv.c, pq-report-json.c (also the saved report), and
 * pq-report-html.c; this file chooses one and writes the file.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-writers"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-error.h"
#include "pq-file.h"
#include "pq-report-text.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

/* A number with a dot whatever the locale: CSV readers want one. */
void
pq_append_decimal (GString *out,
                   double   value,
                   guint    digits)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  g_snprintf (format, sizeof format, "%%.%uf", MIN (digits, 9));
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, format, value));
}

/* A writer's text, or %NULL (and @out freed) once @cancellable is
 * cancelled: the rows it stopped at make no report. */
char *
pq_writer_finish (GString      *out,
                  GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static char *
to_format (PqReport       *self,
           PqReportFormat  format,
           GCancellable   *cancellable)
{
  switch (format)
    {
    case PQ_REPORT_FORMAT_CSV:
      return pq_report_to_csv_cancellable (self, cancellable);
    case PQ_REPORT_FORMAT_CSV_FINDINGS:
      return pq_report_to_csv_findings_cancellable (self, cancellable);
    case PQ_REPORT_FORMAT_JSON:
      return pq_report_to_json_cancellable (self, cancellable);
    case PQ_REPORT_FORMAT_HTML:
      return pq_report_to_html_cancellable (self, cancellable);
    case PQ_REPORT_FORMAT_TEXT:
    default:
      return pq_report_to_text_cancellable (self, cancellable);
    }
}

char *
pq_report_to_format (PqReport       *self,
                     PqReportFormat  format)
{
  return to_format (self, format, NULL);
}

/* Each format's file name extensions, the first the one to give a new
 * file: what --export and the window's Export both go by. */
static const struct {
  PqReportFormat  format;
  const char     *extensions[3];
} format_extensions[] = {
  { PQ_REPORT_FORMAT_TEXT, { "txt", "log", NULL } },
  { PQ_REPORT_FORMAT_CSV, { "csv", NULL } },
  { PQ_REPORT_FORMAT_JSON, { "json", NULL } },
  { PQ_REPORT_FORMAT_HTML, { "html", "htm", NULL } },
  /* Chosen by its file type only: a name ending .csv is the one above. */
  { PQ_REPORT_FORMAT_CSV_FINDINGS, { "csv", NULL } },
};

const char *
pq_report_format_get_extension (PqReportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_extensions); i++)
    if (format_extensions[i].format == format)
      return format_extensions[i].extensions[0];
  g_return_val_if_reached ("txt");
}

/* The format a file name asks for, by its extension. */
gboolean
pq_report_format_for_path (const char      *path,
                           PqReportFormat  *format,
                           GError         **error)
{
  const char *dot = strrchr (path, '.');

  for (guint i = 0; dot != NULL && i < G_N_ELEMENTS (format_extensions); i++)
    for (guint j = 0; format_extensions[i].extensions[j] != NULL; j++)
      if (g_ascii_strcasecmp (dot + 1, format_extensions[i].extensions[j]) == 0)
        {
          *format = format_extensions[i].format;
          return TRUE;
        }
  g_set_error (error, PQ_ERROR, PQ_ERROR_REPORT,
               _("Cannot tell the report format from “%s”. End the file name with .txt, .csv, .json or .html."),
               path);
  return FALSE;
}

/**
 * pq_report_write_file:
 *
 * Writes the report as pq-file.c writes every file: a regular file whole
 * or not at all, a device or FIFO in place. Blocking; the application
 * calls it from a worker thread. @cancellable stops it between rows or
 * between chunks written, with %G_IO_ERROR_CANCELLED, and a regular
 * file stays as it was.
 */
static GBytes *
to_bytes (PqReport       *self,
          PqReportFormat  format,
          GCancellable   *cancellable)
{
  char *contents = to_format (self, format, cancellable);

  /* Stopped while the text was made: the file writer refuses to start,
   * with the message that names the file. */
  if (contents == NULL)
    contents = g_strdup ("");
  return g_bytes_new_take (contents, strlen (contents));
}

gboolean
pq_report_write_file (PqReport        *self,
                      GFile           *file,
                      PqReportFormat   format,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GBytes) bytes = to_bytes (self, format, cancellable);

  return pq_file_write_gfile (file, bytes, cancellable, error);
}

/**
 * pq_report_write_path:
 *
 * pq_report_write_file() for the command line: @path as typed, relative
 * or not, and named so in its messages.
 */
gboolean
pq_report_write_path (PqReport        *self,
                      const char      *path,
                      PqReportFormat   format,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GBytes) bytes = to_bytes (self, format, cancellable);

  return pq_file_write_bytes (path, bytes, cancellable, error);
}
