/* pq-report-csv.c: a report as CSV, one row per port, or one row per
 * finding (each endpoint, name or attribute its own row)
 *
 * Cells come from the network: pq_csv_cell() neutralises those a
 * spreadsheet would run as formulas and strips control characters.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-report-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-enums.h"
#include "pq-report-text.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

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
  return pq_report_to_csv_cancellable (self, NULL);
}

char *
pq_report_to_csv_cancellable (PqReport     *self,
                              GCancellable *cancellable)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  const char *header[] = {
    "target", "address", "port", "protocol", "service", "state", "reason", "evidence",
    "tries", "elapsed_ms", "local_address", "reply_from", "details",
  };

  csv_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      g_autofree char *port = g_strdup_printf ("%u", pq_result_get_port (r));
      g_autofree char *tries = g_strdup_printf ("%u", pq_result_get_tries (r));
      g_autoptr(GString) elapsed = g_string_new (NULL);
      g_autoptr(GString) details = g_string_new (NULL);
      const char *row[G_N_ELEMENTS (header)];

      pq_append_decimal (elapsed, pq_result_get_elapsed_ms (r), 3);
      csv_details (details, pq_result_get_details (r), 0);
      row[0] = pq_target_get_input (pq_report_get_target_of_address (self, pq_result_get_address (r)));
      row[1] = pq_result_get_address (r);
      row[2] = port;
      row[3] = pq_enum_to_nick (PQ_TYPE_PROTOCOL, pq_result_get_protocol (r));
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
  return pq_writer_finish (out, cancellable);
}

/* Each finding and its children, depth first: the path names each by
 * its kind and place, "rpc-endpoint[4]/rpc-binding[1]". */
static void
csv_finding_rows (GString            *out,
                  const char * const *port_cells,
                  GListModel         *details,
                  const char         *parent,
                  guint               depth)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n && depth < 8; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);
      g_autofree char *path = g_strdup_printf ("%s%s%s[%u]", parent, *parent ? "/" : "",
                                               pq_detail_get_kind (d), i + 1);
      const char *label = pq_detail_get_label (d);
      const char *row[6] = {
        port_cells[0], port_cells[1], port_cells[2], path,
        label && *label ? label : pq_detail_get_kind (d), pq_detail_get_value (d),
      };

      csv_row (out, row, G_N_ELEMENTS (row));
      csv_finding_rows (out, port_cells, pq_detail_get_children (d), path, depth + 1);
    }
}

/**
 * pq_report_to_csv_findings:
 *
 * Returns: (transfer full): one row per finding (address, port, protocol,
 *   finding path, name, value), each port first with its state and
 *   evidence, so a spreadsheet filters 53 endpoints as 53 rows
 */
char *
pq_report_to_csv_findings (PqReport *self)
{
  return pq_report_to_csv_findings_cancellable (self, NULL);
}

char *
pq_report_to_csv_findings_cancellable (PqReport     *self,
                                       GCancellable *cancellable)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  const char *header[] = { "address", "port", "protocol", "finding", "name", "value" };

  csv_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      g_autofree char *port = g_strdup_printf ("%u", pq_result_get_port (r));
      const char *cells[3] = {
        pq_result_get_address (r), port, pq_enum_to_nick (PQ_TYPE_PROTOCOL, pq_result_get_protocol (r)),
      };
      const char *state[6] = {
        cells[0], cells[1], cells[2], "state",
        pq_port_state_to_string (pq_result_get_state (r)), pq_result_get_evidence (r),
      };

      csv_row (out, state, G_N_ELEMENTS (state));
      csv_finding_rows (out, cells, pq_result_get_details (r), "", 0);
    }
  return pq_writer_finish (out, cancellable);
}
