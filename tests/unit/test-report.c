/* test-report.c: one query's results, the text lines, the JSON and the exit codes
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <net/if.h>
#include <string.h>

#include "pq-ports.h"
#include "pq-report-text.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

/* What a hostile host might send back: quote, backslash, newline, tab, a
 * terminal escape, other controls, DEL, a C1 control, invalid UTF-8 and
 * the JavaScript line separator. */
#define HOSTILE "evil\"\\\n\t\x1b[31mred\x01\x1f\x7f\xc2\x85\xff\xfe\xe2\x80\xa8" "end"

static PqResult *
make_result (const char  *address,
             guint16      port,
             PqProtocol   protocol,
             PqPortState  state,
             PqReason     reason,
             const char  *service)
{
  PqResult *r = pq_result_new (address, port, protocol);

  pq_result_set_state (r, state, reason);
  pq_result_set_service (r, service, pq_probe_kind_for_name (service));
  return r;
}

static GListStore *
store_of_states (const PqPortState *states,
                 guint              n)
{
  GListStore *store = g_list_store_new (PQ_TYPE_RESULT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = make_result ("192.0.2.10", (guint16) (1000 + i), PQ_PROTOCOL_TCP,
                                           states[i], PQ_REASON_NONE, NULL);
      g_list_store_append (store, r);
    }
  return store;
}

/* ------------------------------------------------------------------ */
/* A report built by hand                                              */

typedef struct
{
  PqTarget   *target;
  GArray     *ports;
  PqServices *services;
  PqReport   *report;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PqScanOptions options;
  g_autoptr(PqResult) tcp = NULL;
  g_autoptr(PqResult) udp = NULL;
  g_autoptr(PqResult) silent = NULL;
  g_autoptr(PqDetail) answer = NULL;
  g_autoptr(PqDetail) record = NULL;
  g_autoptr(PqDetail) hostile = NULL;
  g_autoptr(GInetAddress) address = NULL;

  f->target = pq_target_new_parse ("192.0.2.10", &error);
  g_assert_no_error (error);
  f->ports = pq_ports_parse ("53,80-82", &error);
  g_assert_no_error (error);
  f->services = pq_services_new_from_data ("", 0);
  pq_scan_options_init (&options);
  options.slow_link = TRUE;
  options.source_port = 5353;

  f->report = pq_report_new (f->target, f->ports, PQ_PROTOCOLS_BOTH, &options, pq_services_get_source (f->services));
  address = g_inet_address_new_from_string ("192.0.2.10");
  pq_report_add_queried (f->report, address, "ns1.example.com");

  tcp = make_result ("192.0.2.10", 53, PQ_PROTOCOL_TCP, PQ_PORT_STATE_LISTENING,
                     PQ_REASON_SYN_ACK, "domain");
  pq_result_set_evidence (tcp, "192.0.2.10 accepted the TCP connection.");
  pq_result_set_timing (tcp, 1, 1.25);
  pq_result_set_local_address (tcp, "192.0.2.1:40000");
  pq_result_set_reply (tcp, "192.0.2.10", -1, -1, 0);
  answer = pq_detail_new ("dns-answer", "Answer", "NOERROR");
  record = pq_detail_new ("dns-record", "A", "192.0.2.53");
  hostile = pq_detail_new ("dns-record", "TXT", HOSTILE);
  pq_detail_append (answer, record);
  pq_detail_append (answer, hostile);
  pq_result_add_detail (tcp, answer);
  pq_report_add_result (f->report, tcp);

  udp = make_result ("192.0.2.10", 53, PQ_PROTOCOL_UDP, PQ_PORT_STATE_NOT_LISTENING,
                     PQ_REASON_PORT_UNREACH, HOSTILE);
  pq_result_set_evidence (udp, HOSTILE);
  pq_result_set_timing (udp, 2, 30.5);
  pq_result_set_reply (udp, "192.0.2.10", 3, 3, 0);
  pq_report_add_result (f->report, udp);

  silent = make_result ("192.0.2.10", 80, PQ_PROTOCOL_UDP, PQ_PORT_STATE_LISTENING_OR_FILTERED,
                        PQ_REASON_NO_RESPONSE, NULL);
  pq_report_add_result (f->report, silent);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->report);
  g_clear_object (&f->services);
  g_clear_object (&f->target);
  g_clear_pointer (&f->ports, g_array_unref);
}

/* No character a JSON parser (C0 controls) or a terminal (C0, DEL and,
 * for text, C1 controls) would act on. */
static void
check_controls (const char *text,
                gboolean    newlines_allowed,
                gboolean    c1_allowed)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && newlines_allowed)
        continue;
      if (c >= 0x80 && c < 0xa0 && c1_allowed)
        continue;
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_error ("raw control U+%04X at offset %td of “%s”", c, p - text, text);
    }
}

/* JSON may carry C1 controls as they are (RFC 8259 escapes only C0). */
static void
assert_json_clean (const char *json,
                   gboolean    newlines_allowed)
{
  check_controls (json, newlines_allowed, TRUE);
}

static void
assert_text_clean (const char *text)
{
  check_controls (text, FALSE, FALSE);
}

/* Runs python3 on @json, which must parse, and returns what @script prints. */
static char *
python_json (const char  *json,
             const char  *script)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (python == NULL)
    return NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           python, "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, json, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("python3 could not read the JSON: %s\n%s", err, json);
  return g_steal_pointer (&out);
}

static void
test_json_parses (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *facts = NULL;
  /* Reads the document back and prints what a consumer would use. */
  const char *script =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "r = d['results']\n"
    "t = r[0]['details'][0]\n"
    "out = [d['format'], d['cancelled'], d['finished'] is not None, d['exit_code'],\n"
    "       d['target']['input'], d['target']['addresses'], d['target']['queried'],\n"
    "       d['settings']['ports'], d['settings']['protocol'], d['settings']['slow_link'],\n"
    "       d['settings']['source_port'], d['settings']['services_file'],\n"
    "       d['summary'], len(r),\n"
    "       r[0]['port'], r[0]['protocol'], r[0]['state'], r[0]['reason'], r[0]['service'],\n"
    "       r[0]['probe'], r[0]['tries'], r[0]['elapsed_ms'], r[0]['local_address'],\n"
    "       'icmp_type' in r[0], t['kind'], t['value'], [c['value'] for c in t['children']],\n"
    "       t['children'][0]['children'],\n"
    "       r[1]['state'], r[1]['reason'], r[1]['icmp_type'], r[1]['icmp_code'], r[1]['service'],\n"
    "       r[1]['evidence'] == r[1]['service'], r[1]['details'],\n"
    "       r[2]['state'], r[2]['service'], r[2]['evidence'], r[2]['reply_from']]\n"
    "sys.stdout.write(json.dumps(out, ensure_ascii=True))\n";
  const char *expected =
    "[\"io.github.portquery.report/1\", true, true, 4, "
    "\"192.0.2.10\", [\"192.0.2.10\"], [{\"address\": \"192.0.2.10\", \"reverse_name\": \"ns1.example.com\"}], "
    "\"53,80-82\", \"both\", true, 5353, \"built-in table\", "
    "{\"listening\": 1, \"not_listening\": 1, \"filtered\": 0, \"listening_or_filtered\": 1, "
    "\"text\": \"1 listening, 1 not listening, 1 listening or filtered\"}, 3, "
    "53, \"tcp\", \"LISTENING\", \"syn-ack\", \"domain\", \"dns\", 1, 1.25, \"192.0.2.1:40000\", "
    "false, \"dns-answer\", \"NOERROR\", "
    "[\"192.0.2.53\", \"evil\\\"\\\\\\n\\t\\u001b[31mred\\u0001\\u001f\\u007f\\u0085\\ufffd\\ufffd\\u2028end\"], "
    "[], "
    "\"NOT LISTENING\", \"port-unreach\", 3, 3, "
    "\"evil\\\"\\\\\\n\\t\\u001b[31mred\\u0001\\u001f\\u007f\\u0085\\ufffd\\ufffd\\u2028end\", "
    "true, [], "
    "\"LISTENING or FILTERED\", null, null, null]";

  pq_report_finish (f->report, TRUE);
  json = pq_report_to_json (f->report);
  g_test_message ("%s", json);

  /* Valid UTF-8 with no raw control but the layout's newlines. */
  assert_json_clean (json, TRUE);
  g_assert_null (strchr (json, '\x1b'));

  /* What a script greps for. */
  g_assert_nonnull (strstr (json, "\"format\": \"io.github.portquery.report/1\""));
  g_assert_nonnull (strstr (json, "\"state\": \"LISTENING\""));
  g_assert_nonnull (strstr (json, "\"state\": \"NOT LISTENING\""));
  g_assert_nonnull (strstr (json, "\"reason\": \"syn-ack\""));
  g_assert_nonnull (strstr (json, "\"icmp_type\": 3"));
  g_assert_nonnull (strstr (json, "\"ports\": \"53,80-82\""));
  g_assert_nonnull (strstr (json, "\"cancelled\": true"));
  /* A stopped query answers nothing about its ports: the error code. */
  g_assert_nonnull (strstr (json, "\"exit_code\": 4"));
  g_assert_nonnull (strstr (json, "\\u001b[31m"));
  g_assert_nonnull (strstr (json, "evil\\\"\\\\\\n\\t"));
  g_assert_nonnull (strstr (json, "\\u2028"));

  facts = python_json (json, script);
  if (facts == NULL)
    {
      g_test_skip ("python3 is not installed: the JSON was not parsed");
      return;
    }
  g_assert_cmpstr (facts, ==, expected);
}

static void
test_json_unfinished (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = pq_report_to_json (f->report);
  g_autofree char *facts = NULL;

  /* Before pq_report_finish(): no finish time, not cancelled. */
  g_assert_nonnull (strstr (json, "\"finished\": null"));
  g_assert_nonnull (strstr (json, "\"cancelled\": false"));
  facts = python_json (json, "import json,sys; d=json.load(sys.stdin); print(d['finished'], d['cancelled'], d['started'] is not None)");
  if (facts != NULL)
    g_assert_cmpstr (facts, ==, "None False True\n");
}

static void
test_json_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("2001:db8::1", &error);
  g_autoptr(GArray) ports = pq_ports_parse ("443", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqReport) report = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *facts = NULL;
  PqScanOptions options;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_UDP, &options, pq_services_get_source (services));
  pq_report_finish (report, FALSE);

  summary = pq_report_summary (report);
  g_assert_cmpstr (summary, ==, "no ports queried");
  g_assert_cmpuint (g_list_model_get_n_items (pq_report_get_results (report)), ==, 0);

  json = pq_report_to_json (report);
  assert_json_clean (json, TRUE);
  g_assert_nonnull (strstr (json, "\"results\": []"));
  g_assert_nonnull (strstr (json, "\"protocol\": \"udp\""));
  facts = python_json (json, "import json,sys; d=json.load(sys.stdin); print(d['results'], d['target']['queried'], d['settings']['protocol'], d['settings']['ports'], d['target']['addresses'])");
  if (facts != NULL)
    g_assert_cmpstr (facts, ==, "[] [] udp 443 ['2001:db8::1']\n");
}

static void
test_json_scoped_target (void)
{
  guint32 lo = if_nametoindex ("lo");
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("22", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqReport) report = NULL;
  g_autofree char *json = NULL;
  PqScanOptions options;

  if (lo == 0)
    {
      g_test_skip ("this system has no interface called lo");
      return;
    }

  target = pq_target_new_parse ("fe80::1%lo", &error);
  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  pq_report_add_queried (report, g_ptr_array_index (pq_target_get_addresses (target), 0), NULL);
  json = pq_report_to_json (report);

  /* The interface stays with the address, so the report can be replayed. */
  g_assert_nonnull (strstr (json, "\"input\": \"fe80::1%lo\""));
  g_assert_nonnull (strstr (json, "\"host\": \"fe80::1\""));
  g_assert_nonnull (strstr (json, "\"addresses\": [\n      \"fe80::1%lo\"\n    ]"));
  g_assert_nonnull (strstr (json, "{\n        \"address\": \"fe80::1%lo\",\n        \"reverse_name\": null\n      }"));
  g_assert_nonnull (strstr (json, "\"protocol\": \"tcp\""));
}

static gboolean
numbers_have_comma (void)
{
  g_autofree char *formatted = g_strdup_printf ("%.2f", 1.25);

  return g_str_equal (formatted, "1,25");
}

/* Switches LC_NUMERIC to a locale that writes 1,25 for 1.25. Returns the
 * locale to go back to, or NULL (and changes nothing) if none is there. */
static char *
use_decimal_comma_locale (void)
{
  static const char * const names[] = {
    "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8", "es_ES.UTF-8",
  };
  const char *locpath = g_getenv ("PQ_TEST_LOCPATH");
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  gboolean found = FALSE;

  /* The locale the build made (tests/unit/meson.build), if it could. */
  if (locpath != NULL)
    g_setenv ("LOCPATH", locpath, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (names) && !found; i++)
    if (setlocale (LC_NUMERIC, names[i]) != NULL)
      found = numbers_have_comma ();

  /* What is loaded stays; later setlocale () calls use the system's. */
  g_unsetenv ("LOCPATH");
  if (found)
    return g_steal_pointer (&saved);
  g_assert_nonnull (setlocale (LC_NUMERIC, saved));
  return NULL;
}

/* portqry calls setlocale (LC_ALL, ""): a user's locale must not change
 * the JSON's numbers into something no parser reads. */
static void
test_json_decimal_comma_locale (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *saved = use_decimal_comma_locale ();
  g_autofree char *json = NULL;
  g_autofree char *facts = NULL;

  if (saved == NULL)
    {
      g_test_skip ("no locale with a decimal comma is available");
      return;
    }

  json = pq_report_to_json (f->report);
  g_assert_nonnull (setlocale (LC_NUMERIC, saved));

  g_test_message ("%s", json);
  if (strstr (json, "\"elapsed_ms\": 1.25,") == NULL)
    {
      /* Not fatal: the other tests still run. */
      g_test_fail_printf ("under a decimal-comma locale the JSON has no \"elapsed_ms\": 1.25 "
                          "(it follows LC_NUMERIC: see the document above)");
      return;
    }
  facts = python_json (json, "import json,sys; d=json.load(sys.stdin); print(d['results'][0]['elapsed_ms'])");
  if (facts != NULL)
    g_assert_cmpstr (facts, ==, "1.25\n");
}

/* A finished report of one TCP result whose evidence is @evidence. */
static PqReport *
report_with_evidence (const char *evidence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("192.0.2.10", &error);
  g_autoptr(GArray) ports = pq_ports_parse ("80", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqResult) r = make_result ("192.0.2.10", 80, PQ_PROTOCOL_TCP, PQ_PORT_STATE_FILTERED,
                                       PQ_REASON_NO_RESPONSE, NULL);
  PqScanOptions options;
  PqReport *report;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  pq_result_set_evidence (r, evidence);
  pq_report_add_result (report, r);
  pq_report_finish (report, FALSE);
  return report;
}

/* Text from the network, as the document writes it: JSON's escapes for
 * C0 controls (U+001F too, which json-glib 1.6 leaves raw), \u escapes
 * for DEL, C1 controls and the JavaScript line separators, invalid UTF-8
 * replaced. */
static void
test_json_string (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "plain", "\"plain\"" },
    { "", "\"\"" },
    { "quote \" backslash \\", "\"quote \\\" backslash \\\\\"" },
    { "line\nbreak\ttab\rreturn\bback\fform", "\"line\\nbreak\\ttab\\rreturn\\bback\\fform\"" },
    { "\x1b[31mred\x1b[0m", "\"\\u001b[31mred\\u001b[0m\"" },
    { "\x01\x02\x1e\x1f\x7f", "\"\\u0001\\u0002\\u001e\\u001f\\u007f\"" },
    { "c1 \xc2\x85\xc2\x9b" "31m", "\"c1 \\u0085\\u009b31m\"" },
    { "bad \xff\xfe utf-8", "\"bad \xef\xbf\xbd\xef\xbf\xbd utf-8\"" },
    { "sep \xe2\x80\xa8 \xe2\x80\xa9", "\"sep \\u2028 \\u2029\"" },
    { "héllo ✓", "\"héllo ✓\"" },
    { "</script>", "\"</script>\"" },
    { "\"key\" : 1.50000000000000001", "\"\\\"key\\\" : 1.50000000000000001\"" },
    { NULL, "null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PqReport) report = report_with_evidence (cases[i].input);
      g_autofree char *json = pq_report_to_json (report);
      g_autofree char *member = g_strdup_printf ("\n      \"evidence\": %s,\n", cases[i].expected);

      if (strstr (json, member) == NULL)
        g_error ("case %u: no %s in\n%s", i, member, json);
      assert_json_clean (json, TRUE);
    }
}

/* Milliseconds to three decimals, short: json-glib alone would print
 * 8123.456 as 8123.4560000000001. A whole number stays a fraction. */
static void
test_json_numbers (void)
{
  static const struct
  {
    double      ms;
    const char *expected;
  } cases[] = {
    { 8123.456, "8123.456" },
    { 0.123, "0.123" },
    { 12.3456789, "12.346" },
    { 30.5, "30.5" },
    { 1000, "1000.0" },
    { 0.0004, "0.0" },
    { 1e9, "1000000000.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PqReport) report = report_with_evidence (NULL);
      g_autoptr(PqResult) r = g_list_model_get_item (pq_report_get_results (report), 0);
      g_autofree char *json = NULL;
      g_autofree char *member = g_strdup_printf ("\"elapsed_ms\": %s,\n", cases[i].expected);

      pq_result_set_timing (r, 1, cases[i].ms);
      json = pq_report_to_json (report);
      if (strstr (json, member) == NULL)
        g_error ("case %u: no %s in\n%s", i, member, json);
    }
}

static void
test_sanitize (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "plain text", "plain text" },
    { "", "" },
    { "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
    { "a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd" },
    { "\x01\x07\x7f", "\\x01\\x07\\x7f" },
    { "c1 \xc2\x9b" "31m", "c1 \\x9b31m" },
    { "bad \xff utf-8", "bad \xef\xbf\xbd utf-8" },
    { "héllo ✓ \\ \"", "héllo ✓ \\ \"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = pq_text_sanitize (cases[i].input);

      g_assert_cmpstr (clean, ==, cases[i].expected);
      assert_text_clean (clean);
    }

  {
    g_autofree char *clean = pq_text_sanitize (NULL);

    g_assert_cmpstr (clean, ==, "");
  }

  {
    g_autofree char *clean = pq_text_sanitize (HOSTILE);

    assert_text_clean (clean);
    g_assert_null (strchr (clean, '\x1b'));
    g_assert_nonnull (strstr (clean, "\\x1b[31mred"));
  }
}

static void
test_result_line (void)
{
  g_autoptr(PqResult) dns = make_result ("192.0.2.10", 53, PQ_PROTOCOL_TCP, PQ_PORT_STATE_LISTENING,
                                         PQ_REASON_SYN_ACK, "domain");
  g_autoptr(PqResult) unknown = make_result ("192.0.2.10", 9999, PQ_PROTOCOL_UDP,
                                             PQ_PORT_STATE_LISTENING_OR_FILTERED,
                                             PQ_REASON_NO_RESPONSE, NULL);
  g_autoptr(PqResult) closed = make_result ("192.0.2.10", 25, PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING,
                                            PQ_REASON_RESET, "smtp");
  g_autoptr(PqResult) filtered = make_result ("192.0.2.10", 135, PQ_PROTOCOL_UDP, PQ_PORT_STATE_FILTERED,
                                              PQ_REASON_ADMIN_PROHIBITED, "epmap");
  g_autoptr(PqResult) hostile = make_result ("192.0.2.10", 1, PQ_PROTOCOL_TCP, PQ_PORT_STATE_FILTERED,
                                             PQ_REASON_NO_RESPONSE, "a\x1b]0;owned\x07" "b");
  g_autofree char *dns_line = pq_text_result_line (dns);
  g_autofree char *unknown_line = pq_text_result_line (unknown);
  g_autofree char *closed_line = pq_text_result_line (closed);
  g_autofree char *filtered_line = pq_text_result_line (filtered);
  g_autofree char *hostile_line = pq_text_result_line (hostile);

  /* PortQry's status lines, word for word. */
  g_assert_cmpstr (dns_line, ==, "TCP port 53 (domain service): LISTENING");
  g_assert_cmpstr (unknown_line, ==, "UDP port 9999 (unknown service): LISTENING or FILTERED");
  g_assert_cmpstr (closed_line, ==, "TCP port 25 (smtp service): NOT LISTENING");
  g_assert_cmpstr (filtered_line, ==, "UDP port 135 (epmap service): FILTERED");
  g_assert_cmpstr (hostile_line, ==, "TCP port 1 (a\\x1b]0;owned\\x07b service): FILTERED");
}

static void
test_result_defaults (void)
{
  g_autoptr(PqResult) r = pq_result_new ("192.0.2.10", 80, PQ_PROTOCOL_TCP);

  g_assert_cmpstr (pq_result_get_address (r), ==, "192.0.2.10");
  g_assert_cmpuint (pq_result_get_port (r), ==, 80);
  g_assert_cmpint (pq_result_get_protocol (r), ==, PQ_PROTOCOL_TCP);
  g_assert_null (pq_result_get_service (r));
  g_assert_null (pq_result_get_evidence (r));
  g_assert_cmpint (pq_result_get_icmp_type (r), ==, -1);
  g_assert_cmpint (pq_result_get_icmp_code (r), ==, -1);
  g_assert_cmpuint (g_list_model_get_n_items (pq_result_get_details (r)), ==, 0);

  /* Setters replace, they do not add. */
  pq_result_set_evidence (r, "one");
  pq_result_set_evidence (r, "two");
  g_assert_cmpstr (pq_result_get_evidence (r), ==, "two");
  pq_result_set_service (r, "http", PQ_PROBE_HTTP);
  pq_result_set_service (r, NULL, PQ_PROBE_NONE);
  g_assert_null (pq_result_get_service (r));
  g_assert_cmpint (pq_result_get_probe (r), ==, PQ_PROBE_NONE);
}

static void
test_detail_tree (void)
{
  g_autoptr(PqDetail) root = pq_detail_new ("ldap-entry", "Root DSE", NULL);
  g_autoptr(PqDetail) a = pq_detail_new ("ldap-attribute", "namingContexts", "DC=example,DC=com");
  g_autoptr(PqDetail) b = pq_detail_new ("ldap-attribute", "dnsHostName", "dc01.example.com");
  g_autoptr(PqDetail) first = NULL;
  GListModel *children;

  g_assert_null (pq_detail_get_children (a));   /* a leaf until something is appended */
  pq_detail_append (root, a);
  pq_detail_append (root, b);
  children = pq_detail_get_children (root);
  g_assert_nonnull (children);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  first = g_list_model_get_item (children, 0);
  g_assert_true (first == a);
  g_assert_cmpstr (pq_detail_get_kind (first), ==, "ldap-attribute");
  g_assert_cmpstr (pq_detail_get_label (first), ==, "namingContexts");
  g_assert_cmpstr (pq_detail_get_value (first), ==, "DC=example,DC=com");
  g_assert_null (pq_detail_get_value (root));
}

static void
test_exit_codes (void)
{
  static const struct
  {
    PqPortState  states[4];
    guint        n;
    PqExitCode   expected;
  } cases[] = {
    /* One port: PortQry's codes. */
    { { PQ_PORT_STATE_LISTENING }, 1, PQ_EXIT_LISTENING },
    { { PQ_PORT_STATE_NOT_LISTENING }, 1, PQ_EXIT_NOT_LISTENING },
    { { PQ_PORT_STATE_FILTERED }, 1, PQ_EXIT_FILTERED },
    { { PQ_PORT_STATE_LISTENING_OR_FILTERED }, 1, PQ_EXIT_FILTERED },
    /* Several: 1 if any is not listening, else 2 if any is filtered, else 0. */
    { { PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_LISTENING }, 2, PQ_EXIT_LISTENING },
    { { PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_FILTERED }, 2, PQ_EXIT_FILTERED },
    { { PQ_PORT_STATE_LISTENING_OR_FILTERED, PQ_PORT_STATE_LISTENING }, 2, PQ_EXIT_FILTERED },
    { { PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_NOT_LISTENING }, 2, PQ_EXIT_NOT_LISTENING },
    { { PQ_PORT_STATE_NOT_LISTENING, PQ_PORT_STATE_FILTERED }, 2, PQ_EXIT_NOT_LISTENING },
    { { PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_LISTENING_OR_FILTERED,
        PQ_PORT_STATE_NOT_LISTENING }, 4, PQ_EXIT_NOT_LISTENING },
    { { PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_LISTENING_OR_FILTERED,
        PQ_PORT_STATE_LISTENING }, 3, PQ_EXIT_FILTERED },
    /* A port that could not be queried from here: 4 over everything. */
    { { PQ_PORT_STATE_ERROR }, 1, PQ_EXIT_ERROR },
    { { PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_ERROR }, 2, PQ_EXIT_ERROR },
    { { PQ_PORT_STATE_NOT_LISTENING, PQ_PORT_STATE_ERROR, PQ_PORT_STATE_FILTERED }, 3, PQ_EXIT_ERROR },
    { { PQ_PORT_STATE_ERROR, PQ_PORT_STATE_NOT_LISTENING }, 2, PQ_EXIT_ERROR },
  };

  /* The documented numbers themselves. */
  g_assert_cmpint (PQ_EXIT_LISTENING, ==, 0);
  g_assert_cmpint (PQ_EXIT_NOT_LISTENING, ==, 1);
  g_assert_cmpint (PQ_EXIT_FILTERED, ==, 2);
  g_assert_cmpint (PQ_EXIT_USAGE, ==, 3);
  g_assert_cmpint (PQ_EXIT_ERROR, ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListStore) store = store_of_states (cases[i].states, cases[i].n);

      g_test_message ("case %u", i);
      g_assert_cmpint (pq_exit_code_for_results (G_LIST_MODEL (store)), ==, cases[i].expected);
    }
}

static void
test_report_exit_code (Fixture       *f,
                       gconstpointer  data)
{
  /* LISTENING, NOT LISTENING, LISTENING or FILTERED: any not listening → 1. */
  g_assert_cmpint (pq_report_get_exit_code (f->report), ==, PQ_EXIT_NOT_LISTENING);
  g_assert_cmpuint (g_list_model_get_n_items (pq_report_get_results (f->report)), ==, 3);
}

static void
test_summary (void)
{
  static const PqPortState states[] = {
    PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_LISTENING_OR_FILTERED,
    PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_NOT_LISTENING, PQ_PORT_STATE_LISTENING,
    PQ_PORT_STATE_FILTERED,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("192.0.2.10", &error);
  g_autoptr(GArray) ports = pq_ports_parse ("1-7", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqReport) only_listening = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *summary_listening = NULL;
  PqScanOptions options;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  only_listening = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(PqResult) r = make_result ("192.0.2.10", (guint16) (i + 1), PQ_PROTOCOL_TCP,
                                           states[i], PQ_REASON_NONE, NULL);

      pq_report_add_result (report, r);
      if (states[i] == PQ_PORT_STATE_LISTENING)
        pq_report_add_result (only_listening, r);
    }

  summary = pq_report_summary (report);
  g_assert_cmpstr (summary, ==, "3 listening, 1 not listening, 2 filtered, 1 listening or filtered");
  summary_listening = pq_report_summary (only_listening);
  g_assert_cmpstr (summary_listening, ==, "3 listening");
  g_assert_cmpint (pq_report_get_exit_code (only_listening), ==, PQ_EXIT_LISTENING);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pq/report/json/parses", Fixture, NULL,
              fixture_set_up, test_json_parses, fixture_tear_down);
  g_test_add ("/pq/report/json/unfinished", Fixture, NULL,
              fixture_set_up, test_json_unfinished, fixture_tear_down);
  g_test_add ("/pq/report/json/decimal-comma-locale", Fixture, NULL,
              fixture_set_up, test_json_decimal_comma_locale, fixture_tear_down);
  g_test_add_func ("/pq/report/json/empty", test_json_empty);
  g_test_add_func ("/pq/report/json/scoped-target", test_json_scoped_target);
  g_test_add_func ("/pq/report/json/string", test_json_string);
  g_test_add_func ("/pq/report/json/numbers", test_json_numbers);
  g_test_add_func ("/pq/report/text/sanitize", test_sanitize);
  g_test_add_func ("/pq/report/text/result-line", test_result_line);
  g_test_add_func ("/pq/report/result/defaults", test_result_defaults);
  g_test_add_func ("/pq/report/result/detail-tree", test_detail_tree);
  g_test_add_func ("/pq/report/exit-codes", test_exit_codes);
  g_test_add ("/pq/report/exit-code", Fixture, NULL,
              fixture_set_up, test_report_exit_code, fixture_tear_down);
  g_test_add_func ("/pq/report/summary", test_summary);

  return g_test_run ();
}
