/* pq-report-json.c: the report as a JSON document, for saved reports and
 * portqry --json
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib builds and prints the document; the field names are those of
 * pq-report-json-private.h, which the reader (pq-report-load*.c) uses too.
 * One pass over json-glib's text (tidy_append) keeps what this format
 * has always promised that json-glib 1.6 does not give by itself. The
 * results are printed one by one (append_results), so a Stop is heard
 * between them.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "pq-enums.h"
#include "pq-report.h"
#include "pq-report-json-private.h"
#include "pq-trace.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

/* ------------------------------------------------------------------ */
/* Building the tree                                                   */

/* A string from the network may be anything: json-glib copies bytes, so
 * invalid UTF-8 is replaced (U+FFFD) first. */
static void
add_text (JsonBuilder *b,
          const char  *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    json_builder_add_null_value (b);
  else if (g_utf8_validate (text, -1, NULL))
    json_builder_add_string_value (b, text);
  else
    {
      valid = g_utf8_make_valid (text, -1);
      json_builder_add_string_value (b, valid);
    }
}

static void
member_text (JsonBuilder *b,
             const char  *name,
             const char  *text)
{
  json_builder_set_member_name (b, name);
  add_text (b, text);
}

static void
member_int (JsonBuilder *b,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
member_bool (JsonBuilder *b,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
member_time (JsonBuilder *b,
             const char  *name,
             GDateTime   *time)
{
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  member_text (b, name, text);
}

/* Milliseconds to the microsecond, as the format has always written them:
 * the value of the three-decimal text, whatever digits the double has. */
static void
member_milliseconds (JsonBuilder *b,
                     const char  *name,
                     double       ms)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, "%.3f", ms),
                                                    NULL));
}

static void
add_details (JsonBuilder *b,
             GListModel  *details,
             gboolean     top)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);

      /* A trace's finding is written as the result's "trace". */
      if (top && g_strcmp0 (pq_detail_get_kind (d), PQ_DETAIL_KIND_TRACE) == 0)
        continue;
      json_builder_begin_object (b);
      member_text (b, PQ_JSON_KIND, pq_detail_get_kind (d));
      member_text (b, PQ_JSON_LABEL, pq_detail_get_label (d));
      member_text (b, PQ_JSON_VALUE, pq_detail_get_value (d));
      json_builder_set_member_name (b, PQ_JSON_CHILDREN);
      add_details (b, pq_detail_get_children (d), FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_trace (JsonBuilder *b,
           PqTrace     *trace)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, PQ_JSON_HOPS);
  json_builder_begin_array (b);
  for (guint i = 0; i < pq_trace_get_n_hops (trace); i++)
    {
      const PqTraceHop *hop = pq_trace_get_hop (trace, i);
      gboolean icmp = pq_hop_kind_is_icmp (hop->kind);

      json_builder_begin_object (b);
      member_int (b, PQ_JSON_TTL, hop->ttl);
      member_text (b, PQ_JSON_ADDRESS, hop->address);
      member_text (b, PQ_JSON_ICMP, icmp ? pq_hop_kind_to_nick (hop->kind) : NULL);
      member_text (b, PQ_JSON_ANSWER, icmp ? NULL : pq_hop_kind_to_nick (hop->kind));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, PQ_JSON_HOST_DISTANCE);
  if (pq_trace_get_host_distance (trace) > 0)
    json_builder_add_int_value (b, pq_trace_get_host_distance (trace));
  else
    json_builder_add_null_value (b);
  member_text (b, PQ_JSON_VERDICT, pq_trace_get_verdict (trace));
  json_builder_end_object (b);
}

static void
add_result (JsonBuilder *b,
            PqResult    *r)
{
  json_builder_begin_object (b);
  member_text (b, PQ_JSON_ADDRESS, pq_result_get_address (r));
  member_int (b, PQ_JSON_PORT, pq_result_get_port (r));
  member_text (b, PQ_JSON_PROTOCOL, pq_enum_to_nick (PQ_TYPE_PROTOCOL, pq_result_get_protocol (r)));
  member_text (b, PQ_JSON_SERVICE, pq_result_get_service (r));
  member_text (b, PQ_JSON_STATE, pq_port_state_to_string (pq_result_get_state (r)));
  member_text (b, PQ_JSON_REASON, pq_reason_to_nick (pq_result_get_reason (r)));
  member_text (b, PQ_JSON_EVIDENCE, pq_result_get_evidence (r));
  member_int (b, PQ_JSON_TRIES, pq_result_get_tries (r));
  member_milliseconds (b, PQ_JSON_ELAPSED_MS, pq_result_get_elapsed_ms (r));
  member_text (b, PQ_JSON_LOCAL_ADDRESS, pq_result_get_local_address (r));
  member_text (b, PQ_JSON_REPLY_FROM, pq_result_get_reply_from (r));
  /* Only when an ICMP message came: absent, not null, otherwise. */
  if (pq_result_get_icmp_type (r) >= 0)
    {
      member_int (b, PQ_JSON_ICMP_TYPE, pq_result_get_icmp_type (r));
      member_int (b, PQ_JSON_ICMP_CODE, pq_result_get_icmp_code (r));
    }
  member_int (b, PQ_JSON_BYTES_RECEIVED, pq_result_get_bytes_received (r));
  member_text (b, PQ_JSON_PROBE, pq_probe_kind_to_nick (pq_result_get_probe (r)));
  json_builder_set_member_name (b, PQ_JSON_DETAILS);
  add_details (b, pq_result_get_details (r), pq_result_get_trace (r) != NULL);
  if (pq_result_get_trace (r) != NULL)
    {
      json_builder_set_member_name (b, PQ_JSON_TRACE);
      add_trace (b, pq_result_get_trace (r));
    }
  json_builder_end_object (b);
}

/* The t-th target with the addresses queried of it; with @multi (a
 * query of several hosts), why it was not queried and each address's
 * summary too. */
static void
add_target (JsonBuilder *b,
            PqReport    *self,
            guint        t,
            gboolean     multi)
{
  PqTarget *target = pq_report_get_nth_target (self, t);
  GPtrArray *all = pq_target_get_addresses (target);
  GPtrArray *queried = pq_report_get_queried (self);

  json_builder_begin_object (b);
  member_text (b, PQ_JSON_INPUT, pq_target_get_input (target));
  member_text (b, PQ_JSON_HOST, pq_target_get_host (target));
  json_builder_set_member_name (b, PQ_JSON_ADDRESSES);
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *a = pq_address_to_string (g_ptr_array_index (all, i),
                                                 pq_target_get_scope_id (target));
      add_text (b, a);
    }
  json_builder_end_array (b);
  member_bool (b, PQ_JSON_REVERSE_LOOKUP, !pq_report_get_no_reverse (self));
  if (multi)
    member_text (b, PQ_JSON_ERROR, pq_report_get_target_error (self, t));
  json_builder_set_member_name (b, PQ_JSON_QUERIED);
  json_builder_begin_array (b);
  for (guint i = 0; i < queried->len; i++)
    {
      if (pq_report_get_queried_target (self, i) != t)
        continue;
      json_builder_begin_object (b);
      member_text (b, PQ_JSON_ADDRESS, g_ptr_array_index (queried, i));
      member_text (b, PQ_JSON_REVERSE_NAME, pq_report_get_reverse_name (self, i));
      if (multi)
        {
          g_autofree char *summary = pq_report_summary_for_address (self, g_ptr_array_index (queried, i));

          member_text (b, PQ_JSON_SUMMARY, summary);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_settings (JsonBuilder *b,
              PqReport    *self)
{
  const PqScanOptions *o = pq_report_get_options (self);
  g_autofree char *ports = pq_report_get_ports_text (self);

  json_builder_begin_object (b);
  member_text (b, PQ_JSON_PORTS, ports);
  member_text (b, PQ_JSON_PROTOCOL, pq_report_get_protocols_text (self));
  member_int (b, PQ_JSON_TCP_TIMEOUT_MS, o->tcp_timeout_ms);
  member_int (b, PQ_JSON_TCP_TRIES, o->tcp_tries);
  member_int (b, PQ_JSON_UDP_WAIT_MS, o->udp_wait_ms);
  member_int (b, PQ_JSON_UDP_TRIES, o->udp_tries);
  member_bool (b, PQ_JSON_SLOW_LINK, o->slow_link);
  member_int (b, PQ_JSON_PORTS_IN_FLIGHT, o->window);
  member_int (b, PQ_JSON_SOURCE_PORT, o->source_port);
  member_bool (b, PQ_JSON_PROTOCOL_PROBES, o->probes);
  member_bool (b, PQ_JSON_ADAPTIVE_TCP_WAIT, o->adaptive);
  member_text (b, PQ_JSON_SERVICES_FILE, pq_report_get_services_source (self));
  json_builder_end_object (b);
}

static void
add_summary (JsonBuilder *b,
             PqReport    *self)
{
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  guint counts[PQ_N_PORT_STATES] = { 0 };
  g_autofree char *text = pq_report_summary (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      counts[pq_result_get_state (r)]++;
    }
  json_builder_begin_object (b);
  member_int (b, PQ_JSON_LISTENING, counts[PQ_PORT_STATE_LISTENING]);
  member_int (b, PQ_JSON_NOT_LISTENING, counts[PQ_PORT_STATE_NOT_LISTENING]);
  member_int (b, PQ_JSON_FILTERED, counts[PQ_PORT_STATE_FILTERED]);
  member_int (b, PQ_JSON_LISTENING_OR_FILTERED, counts[PQ_PORT_STATE_LISTENING_OR_FILTERED]);
  if (counts[PQ_PORT_STATE_ERROR] > 0)
    member_int (b, PQ_JSON_ERRORS, counts[PQ_PORT_STATE_ERROR]);
  member_text (b, PQ_JSON_TEXT, text);
  json_builder_end_object (b);
}

/* Everything but the results, which results_text() writes. */
static JsonNode *
build_document (PqReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  member_text (b, PQ_JSON_FORMAT, PQ_JSON_FORMAT_ID);
  member_text (b, PQ_JSON_GENERATOR, "portqry " PACKAGE_VERSION);
  member_time (b, PQ_JSON_STARTED, pq_report_get_started (self));
  member_time (b, PQ_JSON_FINISHED, pq_report_get_finished (self));
  member_bool (b, PQ_JSON_CANCELLED, pq_report_get_cancelled (self));
  json_builder_set_member_name (b, PQ_JSON_TARGET);
  add_target (b, self, 0, FALSE);
  if (pq_report_get_n_targets (self) > 1)
    {
      json_builder_set_member_name (b, PQ_JSON_TARGETS);
      json_builder_begin_array (b);
      for (guint t = 0; t < pq_report_get_n_targets (self); t++)
        add_target (b, self, t, TRUE);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, PQ_JSON_SETTINGS);
  add_settings (b, self);
  json_builder_set_member_name (b, PQ_JSON_SUMMARY);
  add_summary (b, self);
  member_int (b, PQ_JSON_EXIT_CODE, pq_report_get_exit_code (self));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------ */
/* json-glib's text, tidied                                            */

/* Characters a string carries as \u escapes: all C0 controls, the C1
 * controls (a terminal may act on them when portqry --json prints to it)
 * and U+2028/U+2029 (line ends in JavaScript). */
static gboolean
needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
}

/* A double with the fewest decimals, at least one so it stays a fraction,
 * that reads back as the same double: what Python and JavaScript print.
 * Outside that range json-glib's own text is kept (it reads back exactly). */
static void
append_short_double (GString    *out,
                     const char *token,
                     gsize       len)
{
  g_autofree char *text = g_strndup (token, len);
  double value = g_ascii_strtod (text, NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (value) && fabs (value) < 1e15)
    for (guint digits = 1; digits <= 17; digits++)
      {
        char format[8];

        g_snprintf (format, sizeof format, "%%.%uf", digits);
        if (g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, format, value), NULL) == value)
          {
            g_string_append (out, buf);
            return;
          }
      }
  g_string_append (out, text);
}

/* One character of a string (an escape whole), with what needs_escape()
 * names escaped. Returns where the next one starts. */
static const char *
tidy_string_char (GString    *out,
                  const char *p)
{
  gunichar c = g_utf8_get_char (p);
  const char *next = *p == '\\' && p[1] != '\0' ? p + 2 : g_utf8_next_char (p);

  if (needs_escape (c))
    g_string_append_printf (out, "\\u%04x", c);
  else
    g_string_append_len (out, p, next - p);
  return next;
}

/* json-glib 1.6's generator differs from what this format has always
 * written in three ways, put right here in one pass over its text:
 *
 * - it leaves U+001F raw in strings (its test is "< 0x1f"), which strict
 *   parsers (Python's json) refuse, and C1 controls and U+2028/9 too:
 *   all become \u escapes, as before;
 * - it prints doubles as g_ascii_dtostr() does (%.17g), 8123.456 as
 *   8123.4560000000001: each is written short (append_short_double);
 * - it writes members as "key" : value: "key": value again, which
 *   scripts grep for ("state": "LISTENING").
 *
 * Outside strings its text holds only punctuation, literals and numbers,
 * and every change is to an equal JSON text: the values read back the same.
 */
static void
tidy_append (GString    *out,
             const char *json)
{
  gboolean in_string = FALSE;
  const char *p = json;

  while (*p != '\0')
    {
      if (in_string)
        {
          in_string = *p != '"';
          p = tidy_string_char (out, p);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          gsize len = strspn (p, "0123456789+-.eE");

          if (strcspn (p, ".eE") < len)
            append_short_double (out, p, len);
          else
            g_string_append_len (out, p, len);
          p += len;
        }
      else
        {
          in_string = *p == '"';
          if (!(*p == ' ' && p[1] == ':'))
            g_string_append_c (out, *p);
          p++;
        }
    }
}

/* The results, each generated and tidied alone and indented to its place
 * in the array: json-glib's generator cannot be stopped, and 65,535 at
 * once keep it busy over a second, so @cancellable is looked at between
 * them. The text is what one generator gives for the whole array.
 * Returns: FALSE once cancelled */
static gboolean
append_results (GString      *out,
                PqReport     *self,
                GCancellable *cancellable)
{
  GListModel *results = pq_report_get_results (self);
  guint n = g_list_model_get_n_items (results);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GString) one = g_string_new (NULL);

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  g_string_append (out, ",\n  \"" PQ_JSON_RESULTS "\": [");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      add_result (b, r);
      node = json_builder_get_root (b);
      json_generator_set_root (generator, node);
      json = json_generator_to_data (generator, NULL);
      g_string_truncate (one, 0);
      tidy_append (one, json);
      /* Raw line ends are the generator's layout only: strings escape theirs. */
      g_string_replace (one, "\n", "\n    ", 0);
      g_string_append (out, i > 0 ? ",\n    " : "\n    ");
      g_string_append_len (out, one->str, one->len);
    }
  g_string_append (out, n > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return TRUE;
}

/**
 * pq_report_to_json:
 *
 * Returns: (transfer full): the report as a JSON document, the same
 *   structure for portqry --json and the application's saved reports
 */
char *
pq_report_to_json (PqReport *self)
{
  return pq_report_to_json_cancellable (self, NULL);
}

char *
pq_report_to_json_cancellable (PqReport     *self,
                               GCancellable *cancellable)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GString *out;

  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);

  root = build_document (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  out = g_string_sized_new (strlen (json) + 1024);
  tidy_append (out, json);
  /* The results go before the closing brace, as the last member. */
  g_assert (g_str_has_suffix (out->str, "\n}"));
  g_string_truncate (out, out->len - 2);
  if (!append_results (out, self, cancellable))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}
