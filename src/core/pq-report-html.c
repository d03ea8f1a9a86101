/* pq-report-html.c: a report as one self-contained HTML page
 *
 * Everything that came from the network is escaped; the page carries no
 * script and loads nothing (its Content-Security-Policy says so too).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-report-html"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-findings.h"
#include "pq-report-text.h"
#include "pq-writers.h"
#include "pq-rules.h"
#include "pq-writers-private.h"

/* Escapes markup; control characters become \xNN first. */
void
pq_html_append_escaped (GString    *out,
                        const char *text)
{
  g_autofree char *clean = pq_text_sanitize (text);
  g_autofree char *escaped = g_markup_escape_text (clean, -1);

  g_string_append (out, escaped);
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
  ".plain{font-weight:bold;margin:0 0 .2em}"
  "details{margin-top:.4em}summary{cursor:pointer;color:#1a5fb4}"
  "table.findings{margin:.4em 0;font-size:.95em}table.findings th{background:#f7f7f7}"
  "dl.attributes{margin:.4em 0}dl.attributes dd{overflow-wrap:anywhere}"
  ".mac{font-size:1.2em;font-family:monospace}"
  ".print{display:none}"
  "@media print{body{margin:0}th{background:#eee}tr{page-break-inside:avoid}details{display:none}"
  ".print{display:block}}";

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
html_table (GString    *out,
            PqTable     table,
            GListModel *details)
{
  g_autoptr(GPtrArray) rows = pq_table_rows (table, details);
  g_autofree char *total = pq_table_total (table, rows);

  if (rows->len == 0)
    return;
  g_string_append (out, "<table class=\"findings\"><caption>");
  pq_html_append_escaped (out, total);
  g_string_append (out, "</caption>\n<thead><tr>");
  for (guint c = 0; c < pq_table_n_columns (table); c++)
    {
      g_string_append (out, "<th scope=\"col\">");
      pq_html_append_escaped (out, pq_table_title (table, c));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead><tbody>\n");
  for (guint r = 0; r < rows->len; r++)
    {
      g_string_append (out, "<tr>");
      for (guint c = 0; c < pq_table_n_columns (table); c++)
        {
          g_autofree char *cell = pq_table_cell (table, g_ptr_array_index (rows, r), c);

          g_string_append (out, "<td>");
          pq_html_append_escaped (out, cell);
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody></table>\n");
}

/* LDAP: each attribute's name beside all its values. */
static void
html_attributes (GString    *out,
                 GListModel *details)
{
  g_autoptr(GPtrArray) order = pq_findings_ldap_order (details);

  g_string_append (out, "<dl class=\"attributes\">");
  for (guint i = 0; i < order->len; i++)
    {
      PqDetail *d = g_ptr_array_index (order, i);
      GListModel *values = pq_detail_get_children (d);
      guint n = values ? g_list_model_get_n_items (values) : 0;

      g_string_append (out, "<dt>");
      pq_html_append_escaped (out, pq_detail_get_label (d));
      g_string_append (out, "</dt><dd>");
      if (n == 0)
        pq_html_append_escaped (out, pq_detail_get_value (d));
      for (guint v = 0; v < n; v++)
        {
          g_autoptr(PqDetail) value = g_list_model_get_item (values, v);

          g_string_append (out, v ? "<br>" : "");
          pq_html_append_escaped (out, pq_detail_get_value (value));
        }
      g_string_append (out, "</dd>");
    }
  g_string_append (out, "</dl>\n");
}

/* The findings of the kinds a table does not show, as a list. */
static void
html_rest (GString            *out,
           GListModel         *details,
           const char * const *skip)
{
  g_autoptr(GListStore) rest = g_list_store_new (PQ_TYPE_DETAIL);

  for (guint i = 0; i < g_list_model_get_n_items (details); i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);

      if (!g_strv_contains (skip, pq_detail_get_kind (d)))
        g_list_store_append (rest, d);
    }
  html_details (out, G_LIST_MODEL (rest), 0);
}

static void
html_shape (GString    *out,
            GListModel *details)
{
  PqDetail *mac;

  switch (pq_findings_shape (details))
    {
    case PQ_SHAPE_ENDPOINTS:
      html_rest (out, details, pq_table_kinds (PQ_TABLE_ENDPOINTS));
      html_table (out, PQ_TABLE_ENDPOINTS, details);
      break;
    case PQ_SHAPE_NETBIOS:
      if ((mac = pq_findings_find (details, "mac")) != NULL)
        {
          g_string_append (out, "<p><b>");
          pq_html_append_escaped (out, pq_detail_get_label (mac));
          g_string_append (out, ":</b> <span class=\"mac\">");
          pq_html_append_escaped (out, pq_detail_get_value (mac));
          g_string_append (out, "</span></p>");
        }
      html_rest (out, details, pq_table_kinds (PQ_TABLE_NETBIOS_NAMES));
      html_table (out, PQ_TABLE_NETBIOS_NAMES, details);
      break;
    case PQ_SHAPE_LDAP:
      html_attributes (out, details);
      break;
    case PQ_SHAPE_GENERIC:
    case PQ_SHAPE_NONE:
    default:
      html_details (out, details, 0);
      break;
    }
}

/* The plain sentence, the evidence, then the findings; more than a few
 * fold under <details> so the port table stays readable on screen. */
static void
html_evidence (GString  *out,
               PqResult *r)
{
  g_autofree char *plain = pq_findings_explain (r);
  GListModel *details = pq_result_get_details (r);
  guint n = details ? g_list_model_get_n_items (details) : 0;

  g_string_append (out, "<p class=\"plain\">");
  pq_html_append_escaped (out, plain);
  g_string_append (out, "</p>");
  pq_html_append_escaped (out, pq_result_get_evidence (r));
  if (n > 4 || pq_findings_shape (details) == PQ_SHAPE_ENDPOINTS)
    {
      g_autoptr(GString) summary = g_string_new (NULL);
      g_autoptr(GString) shape = g_string_new (NULL);

      if (pq_findings_shape (details) == PQ_SHAPE_ENDPOINTS)
        {
          g_autoptr(GPtrArray) rows = pq_table_rows (PQ_TABLE_ENDPOINTS, details);
          g_autofree char *total = pq_table_total (PQ_TABLE_ENDPOINTS, rows);

          pq_html_append_escaped (summary, total);
        }
      else
        g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%u finding", "%u findings", n), n);
      html_shape (shape, details);
      /* A closed <details> prints closed, and the page has no script to
       * open it: paper gets the same findings unfolded (.print). */
      g_string_append_printf (out, "<details><summary>%s</summary>%s</details>"
                              "<div class=\"print\"><p class=\"plain\">%s</p>%s</div>",
                              summary->str, shape->str, summary->str, shape->str);
    }
  else
    html_shape (out, details);
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

/* A query of several hosts: each address's counts, and why a host was
 * not queried. */
static void
html_hosts (GString  *out,
            PqReport *self)
{
  GPtrArray *queried = pq_report_get_queried (self);

  if (pq_report_get_n_targets (self) < 2)
    return;
  for (guint i = 0; i < queried->len; i++)
    {
      g_autofree char *summary = pq_report_summary_for_address (self, g_ptr_array_index (queried, i));

      html_field (out, g_ptr_array_index (queried, i), summary);
    }
  for (guint t = 0; t < pq_report_get_n_targets (self); t++)
    if (pq_report_get_target_error (self, t) != NULL)
      html_field (out, pq_target_get_input (pq_report_get_nth_target (self, t)),
                  pq_report_get_target_error (self, t));
}

static void
html_header (GString  *out,
             PqReport *self)
{
  PqTarget *target = pq_report_get_target (self);
  GPtrArray *queried = pq_report_get_queried (self);
  g_autofree char *started = pq_text_format_time (pq_report_get_started (self));
  g_autofree char *finished = pq_text_format_time (pq_report_get_finished (self));
  g_autofree char *ports = pq_report_get_ports_text (self);
  g_autofree char *settings = pq_text_settings_line (self);
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
  html_hosts (out, self);
  if (pq_report_get_cancelled (self))
    html_field (out, _("Note"), _("The query was cancelled before the end."));
  g_string_append (out, "</dl>\n");
}

static void
html_explain_states (GString    *out,
                     GListModel *results)
{
  guint counts[PQ_N_PORT_STATES];

  g_string_append (out, "<h2>");
  pq_html_append_escaped (out, _("What the states mean"));
  g_string_append (out, "</h2>\n<ul>\n");
  pq_count_states (results, counts);
  for (guint i = 0; i < PQ_N_PORT_STATES; i++)
    {
      /* ERROR is not a state: explained only where a port has it. */
      if (pq_port_states_in_order[i] == PQ_PORT_STATE_ERROR && counts[PQ_PORT_STATE_ERROR] == 0)
        continue;
      g_string_append (out, "<li>");
      pq_html_append_escaped (out, pq_state_explain (pq_port_states_in_order[i]));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
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
  return pq_report_to_html_cancellable (self, NULL);
}

char *
pq_report_to_html_cancellable (PqReport     *self,
                               GCancellable *cancellable)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);

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

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
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
      html_evidence (out, r);
      g_string_append (out, "</td><td>");
      pq_html_append_escaped (out, pq_result_get_address (r));
      g_string_append (out, "</td><td>");
      pq_append_decimal (out, pq_result_get_elapsed_ms (r), 1);
      g_string_append (out, " ms</td></tr>\n");
    }
  g_string_append (out, "</tbody></table>\n");
  html_explain_states (out, results);
  g_string_append (out, "</body></html>\n");
  return pq_writer_finish (out, cancellable);
}
