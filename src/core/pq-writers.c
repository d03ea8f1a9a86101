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

char *
pq_report_to_format (PqReport       *self,
                     PqReportFormat  format)
{
  switch (format)
    {
    case PQ_REPORT_FORMAT_CSV:
      return pq_report_to_csv (self);
    case PQ_REPORT_FORMAT_JSON:
      return pq_report_to_json (self);
    case PQ_REPORT_FORMAT_HTML:
      return pq_report_to_html (self);
    case PQ_REPORT_FORMAT_TEXT:
    default:
      return pq_report_to_text (self);
    }
}

/* The format a file name asks for, by its extension. */
gboolean
pq_report_format_for_path (const char      *path,
                           PqReportFormat  *format,
                           GError         **error)
{
  const char *dot = strrchr (path, '.');

  if (dot != NULL && (g_ascii_strcasecmp (dot, ".txt") == 0 || g_ascii_strcasecmp (dot, ".log") == 0))
    *format = PQ_REPORT_FORMAT_TEXT;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".csv") == 0)
    *format = PQ_REPORT_FORMAT_CSV;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".json") == 0)
    *format = PQ_REPORT_FORMAT_JSON;
  else if (dot != NULL && (g_ascii_strcasecmp (dot, ".html") == 0 || g_ascii_strcasecmp (dot, ".htm") == 0))
    *format = PQ_REPORT_FORMAT_HTML;
  else
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_REPORT,
                   _("Cannot tell the report format from “%s”. End the file name with .txt, .csv, .json or .html."),
                   path);
      return FALSE;
    }
  return TRUE;
}

/**
 * pq_report_write_file:
 *
 * Writes the report as pq-file.c writes every file: a regular file whole
 * or not at all, a device or FIFO in place. Blocking; the application
 * calls it from a worker thread.
 */
gboolean
pq_report_write_file (PqReport        *self,
                      GFile           *file,
                      PqReportFormat   format,
                      GCancellable    *cancellable,
                      GError         **error)
{
  char *contents = pq_report_to_format (self, format);
  g_autoptr(GBytes) bytes = g_bytes_new_take (contents, strlen (contents));

  return pq_file_write_gfile (file, bytes, cancellable, error);
}
