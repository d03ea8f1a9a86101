/* pq-writers.c: a report as text (PortQry's log layout), CSV and HTML
 *
 * Everything that came from the network (service answers, names) is
 * untrusted: text output escapes control characters, CSV neutralises
 * cells a spreadsheet would run as formulas, HTML escapes markup and
 * carries no script.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-error.h"
#include "pq-report.h"
#include "pq-rules.h"

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("-");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
}

static char *
settings_line (PqReport *self)
{
  const PqScanOptions *o = pq_report_get_options (self);
  /* Translators: the source port in the settings line, when none was chosen */
  g_autofree char *source = o->source_port ? g_strdup_printf ("%u", o->source_port) : g_strdup (_("any"));

  return g_strdup_printf (_("TCP: %u tries of %u ms%s; UDP: %u tries of %u ms%s; %u ports in flight; source port %s; protocol probes %s"),
                          o->tcp_tries, o->tcp_timeout_ms,
                          o->adaptive ? _(" (shorter once the host's round trip is known)") : "",
                          o->udp_tries, o->slow_link ? 2 * o->udp_wait_ms : o->udp_wait_ms,
                          o->slow_link ? _(" (slow link)") : "",
                          o->window, source, o->probes ? _("on") : _("off"));
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

/* A probe's findings as PortQry prints them under a port: one
 * "label: value" line per finding, its parts indented below it. */
void
pq_text_append_details (GString    *out,
                        GListModel *details,
                        guint       depth)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n && depth < 8; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);
      g_autofree char *label = pq_text_sanitize (pq_detail_get_label (d));
      g_autofree char *value = pq_text_sanitize (pq_detail_get_value (d));

      if (*label != '\0' && *value != '\0')
        g_string_append_printf (out, "%*s%s: %s\n", 4 + 2 * depth, "", label, value);
      else
        g_string_append_printf (out, "%*s%s\n", 4 + 2 * depth, "", *label ? label : value);
      pq_text_append_details (out, pq_detail_get_children (d), depth + 1);
    }
}

/**
 * pq_report_to_text:
 *
 * Returns: (transfer full): the report in PortQry's log layout, with the
 *   evidence under each status line
 */
char *
pq_report_to_text (PqReport *self)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  PqTarget *target = pq_report_get_target (self);
  GPtrArray *queried = pq_report_get_queried (self);
  g_autofree char *started = format_time (pq_report_get_started (self));
  g_autofree char *ports = pq_report_get_ports_text (self);
  g_autofree char *settings = settings_line (self);
  g_autofree char *summary = pq_report_summary (self);
  g_autofree char *input = pq_text_sanitize (pq_target_get_input (target));
  guint n = g_list_model_get_n_items (results);

  g_string_append_printf (out, "PortQry (Port Query for Linux) version %s Log File\n\n", PACKAGE_VERSION);
  g_string_append_printf (out, "System Date: %s\n\n", started);
  g_string_append_printf (out, "Ports: %s (%s)\n", ports, pq_report_get_protocols_text (self));
  g_string_append_printf (out, "Settings: %s\n\n", settings);
  g_string_append_printf (out, "Querying target system called:\n\n %s\n\n", input);

  for (guint a = 0; a < queried->len; a++)
    {
      const char *address = g_ptr_array_index (queried, a);
      const char *reverse = pq_report_get_reverse_name (self, a);

      if (pq_target_is_literal (target) && !pq_report_get_no_reverse (self))
        {
          g_autofree char *name = pq_text_sanitize (reverse);

          g_string_append (out, "Attempting to resolve IP address to a name...\n\n");
          if (reverse != NULL)
            g_string_append_printf (out, "IP address resolved to %s\n\n", name);
          else
            g_string_append (out, "Failed to resolve IP address to name\n\n");
        }
      else if (!pq_target_is_literal (target))
        g_string_append_printf (out, "Attempting to resolve name to IP address...\n\nName resolved to %s\n\n", address);
      g_string_append (out, "querying...\n\n");

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PqResult) r = g_list_model_get_item (results, i);
          g_autofree char *line = NULL;
          g_autofree char *evidence = NULL;

          if (g_strcmp0 (pq_result_get_address (r), address) != 0)
            continue;
          line = pq_text_result_line (r);
          evidence = pq_text_sanitize (pq_result_get_evidence (r));
          g_string_append_printf (out, "%s\n", line);
          pq_text_append_details (out, pq_result_get_details (r), 0);
          g_string_append_printf (out, "    %s\n", evidence);
        }
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "%s: %s%s\n", _("Summary"), summary,
                          pq_report_get_cancelled (self) ? _(" (cancelled before the end)") : "");
  g_string_append (out, "\n========= end of log file =========\n");
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */

/**
 * pq_csv_cell:
 *
 * Returns: (transfer full): @text as one quoted CSV cell. A cell a
 *   spreadsheet would take for a formula (= + - @, or a tab or carriage
 *   return first) gets a leading apostrophe, as OWASP advises.
 */
char *
pq_csv_cell (const char *text)
{
  g_autofree char *clean = pq_text_sanitize (text ? text : "");
  GString *out = g_string_new ("\"");

  if (strchr ("=+-@\t\r", clean[0]) != NULL && clean[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static void
csv_details (GString    *out,
             GListModel *details,
             guint       depth)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n && depth < 8; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);
      const char *label = pq_detail_get_label (d);
      const char *value = pq_detail_get_value (d);

      if (out->len > 0)
        g_string_append (out, "; ");
      if (label && *label && value && *value)
        g_string_append_printf (out, "%s: %s", label, value);
      else
        g_string_append (out, label && *label ? label : value ? value : "");
      csv_details (out, pq_detail_get_children (d), depth + 1);
    }
}

static void
csv_row (GString           *out,
         const char * const *cells,
         guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *cell = pq_csv_cell (cells[i]);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, cell);
    }
  g_string_append (out, "\r\n");
}

/**
 * pq_report_to_csv:
 *
 * Returns: (transfer full): one row per port (RFC 4180, CRLF line ends),
 *   details flattened into one cell
 */
char *
pq_report_to_csv (PqReport *self)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  const char *header[] = {
    "target", "address", "port", "protocol", "service", "state", "reason", "evidence",
    "tries", "elapsed_ms", "local_address", "reply_from", "details",
  };

  csv_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      g_autofree char *port = g_strdup_printf ("%u", pq_result_get_port (r));
      g_autofree char *tries = g_strdup_printf ("%u", pq_result_get_tries (r));
      g_autoptr(GString) elapsed = g_string_new (NULL);
      g_autoptr(GString) details = g_string_new (NULL);
      const char *row[G_N_ELEMENTS (header)];

      pq_append_decimal (elapsed, pq_result_get_elapsed_ms (r), 3);
      csv_details (details, pq_result_get_details (r), 0);
      row[0] = pq_target_get_input (pq_report_get_target (self));
      row[1] = pq_result_get_address (r);
      row[2] = port;
      row[3] = pq_result_get_protocol (r) == PQ_PROTOCOL_UDP ? "udp" : "tcp";
      row[4] = pq_result_get_service (r);
      row[5] = pq_port_state_to_string (pq_result_get_state (r));
      row[6] = pq_reason_to_nick (pq_result_get_reason (r));
      row[7] = pq_result_get_evidence (r);
      row[8] = tries;
      row[9] = elapsed->str;
      row[10] = pq_result_get_local_address (r);
      row[11] = pq_result_get_reply_from (r);
      row[12] = details->str;
      csv_row (out, row, G_N_ELEMENTS (row));
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

/* Escapes markup; control characters become \xNN first. */
void
pq_html_append_escaped (GString    *out,
                        const char *text)
{
  g_autofree char *clean = pq_text_sanitize (text ? text : "");

  for (const char *p = clean; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

static const char html_style[] =
  "body{font-family:Cantarell,'Segoe UI',sans-serif;margin:2em;color:#222}"
  "h1{font-size:1.4em;margin-bottom:.2em}"
  "table{border-collapse:collapse;width:100%;font-size:.92em}"
  "th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}"
  "th{background:#f2f2f2}"
  ".LISTENING{color:#1c7a35;font-weight:bold}"
  ".NOT_LISTENING{color:#b01c1c;font-weight:bold}"
  ".FILTERED,.LISTENING_OR_FILTERED{color:#8a5a00;font-weight:bold}"
  "dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}"
  "dt{font-weight:bold}dd{margin:0}"
  "ul{margin:.3em 0 0 1.2em;padding:0}"
  "@media print{body{margin:0}th{background:#eee}tr{page-break-inside:avoid}}";

static void
html_details (GString    *out,
              GListModel *details,
              guint       depth)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  if (n == 0 || depth >= 8)
    return;
  g_string_append (out, "<ul>");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);
      const char *label = pq_detail_get_label (d);
      const char *value = pq_detail_get_value (d);

      g_string_append (out, "<li>");
      if (label && *label)
        {
          g_string_append (out, "<b>");
          pq_html_append_escaped (out, label);
          g_string_append (out, value && *value ? ":</b> " : "</b>");
        }
      pq_html_append_escaped (out, value);
      html_details (out, pq_detail_get_children (d), depth + 1);
      g_string_append (out, "</li>");
    }
  g_string_append (out, "</ul>");
}

static void
html_field (GString    *out,
            const char *label,
            const char *value)
{
  g_string_append (out, "<dt>");
  pq_html_append_escaped (out, label);
  g_string_append (out, "</dt><dd>");
  pq_html_append_escaped (out, value);
  g_string_append (out, "</dd>\n");
}

static void
html_header (GString  *out,
             PqReport *self)
{
  PqTarget *target = pq_report_get_target (self);
  GPtrArray *queried = pq_report_get_queried (self);
  g_autofree char *started = format_time (pq_report_get_started (self));
  g_autofree char *finished = format_time (pq_report_get_finished (self));
  g_autofree char *ports = pq_report_get_ports_text (self);
  g_autofree char *settings = settings_line (self);
  g_autofree char *summary = pq_report_summary (self);
  g_autoptr(GString) addresses = g_string_new (NULL);

  for (guint i = 0; i < queried->len; i++)
    {
      const char *reverse = pq_report_get_reverse_name (self, i);

      g_string_append_printf (addresses, "%s%s%s%s%s", i ? ", " : "",
                              (char *) g_ptr_array_index (queried, i),
                              reverse ? " (" : "", reverse ? reverse : "", reverse ? ")" : "");
    }

  g_string_append (out, "<h1>");
  pq_html_append_escaped (out, _("Port Query report"));
  g_string_append (out, ": ");
  pq_html_append_escaped (out, pq_target_get_input (target));
  g_string_append (out, "</h1>\n<dl>\n");
  html_field (out, _("Target"), pq_target_get_input (target));
  html_field (out, _("Addresses queried"), addresses->str);
  html_field (out, _("Started"), started);
  html_field (out, _("Finished"), finished);
  html_field (out, _("Ports"), ports);
  html_field (out, _("Protocol"), pq_report_get_protocols_text (self));
  html_field (out, _("Settings"), settings);
  html_field (out, _("Services file"), pq_report_get_services_source (self));
  html_field (out, _("Summary"), summary);
  if (pq_report_get_cancelled (self))
    html_field (out, _("Note"), _("The query was cancelled before the end."));
  g_string_append (out, "</dl>\n");
}

/**
 * pq_report_to_html:
 *
 * Returns: (transfer full): a self-contained page (inline style, no
 *   script, no external resources) that prints well
 */
char *
pq_report_to_html (PqReport *self)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  static const PqPortState states[] = {
    PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_NOT_LISTENING,
    PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_LISTENING_OR_FILTERED,
  };

  g_string_append (out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
  pq_html_append_escaped (out, _("Port Query report"));
  g_string_append (out, ": ");
  pq_html_append_escaped (out, pq_target_get_input (pq_report_get_target (self)));
  g_string_append_printf (out, "</title>\n<style>%s</style></head><body>\n", html_style);
  html_header (out, self);

  g_string_append (out, "<table>\n<thead><tr>");
  for (guint i = 0; i < 7; i++)
    {
      const char *heads[] = { N_("Port"), N_("Protocol"), N_("Service"), N_("Status"),
                              N_("Evidence and details"), N_("Address"), N_("Time") };

      g_string_append (out, "<th>");
      pq_html_append_escaped (out, _(heads[i]));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      const char *state = pq_port_state_to_string (pq_result_get_state (r));
      g_autofree char *css = g_strdelimit (g_strdup (state), " ", '_');

      g_string_append_printf (out, "<tr><td>%u</td><td>%s</td><td>", pq_result_get_port (r),
                              pq_protocol_to_string (pq_result_get_protocol (r)));
      pq_html_append_escaped (out, pq_result_get_service (r) ? pq_result_get_service (r) : _("unknown"));
      g_string_append_printf (out, "</td><td class=\"%s\">", css);
      pq_html_append_escaped (out, state);
      g_string_append (out, "</td><td>");
      pq_html_append_escaped (out, pq_result_get_evidence (r));
      html_details (out, pq_result_get_details (r), 0);
      g_string_append (out, "</td><td>");
      pq_html_append_escaped (out, pq_result_get_address (r));
      g_string_append (out, "</td><td>");
      pq_append_decimal (out, pq_result_get_elapsed_ms (r), 1);
      g_string_append (out, " ms</td></tr>\n");
    }
  g_string_append (out, "</tbody></table>\n<h2>");
  pq_html_append_escaped (out, _("What the states mean"));
  g_string_append (out, "</h2>\n<ul>\n");
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_string_append (out, "<li>");
      pq_html_append_escaped (out, pq_state_explain (states[i]));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n</body></html>\n");
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

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
 * Writes the report atomically: to a temporary file renamed over @file,
 * so a failure never leaves half a report behind. Blocking; the
 * application calls it from a worker thread.
 */
gboolean
pq_report_write_file (PqReport        *self,
                      GFile           *file,
                      PqReportFormat   format,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autofree char *contents = pq_report_to_format (self, format);

  return g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}
