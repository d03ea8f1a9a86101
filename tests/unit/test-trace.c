/* test-trace.c: a path trace's verdicts in plain words, its hops under the
 * port in the text, and the JSON "trace" written and read back
 *
 * The probes themselves are tested on routed namespaces
 * (tests/integration/test-trace.sh).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-services.h"
#include "pq-trace.h"
#include "pq-writers.h"

#define HOST "10.203.3.2"
#define R1   "10.203.1.254"
#define R2   "10.203.2.254"

/* hops: "R1" time exceeded, "-" silence, "X" (not final) ... as
 * (address, kind) pairs ending with NULL */
static PqTrace *
make (const char *first,
      ...)
{
  PqTrace *trace = pq_trace_new ();
  va_list args;
  guint ttl = 1;

  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *), ttl++)
    {
      PqHopKind kind = va_arg (args, PqHopKind);

      pq_trace_add_hop (trace, ttl, *a ? a : NULL, kind);
    }
  va_end (args);
  return trace;
}

static void
assert_verdict (PqTrace    *target,
                PqTrace    *reference,
                int         distance,
                const char *expected)
{
  g_autofree char *verdict = pq_trace_verdict (target, reference, HOST, distance);

  g_assert_cmpstr (verdict, ==, expected);
}

static void
test_verdicts (void)
{
  g_autoptr(PqTrace) ref = make (R1, PQ_HOP_TIME_EXCEEDED, R2, PQ_HOP_TIME_EXCEEDED, HOST, PQ_HOP_RESET, NULL);
  g_autoptr(PqTrace) ref_silent = make (R1, PQ_HOP_TIME_EXCEEDED, "", PQ_HOP_NONE, NULL);
  g_autoptr(PqTrace) blocked = make (R1, PQ_HOP_TIME_EXCEEDED, "", PQ_HOP_NONE, NULL);
  g_autoptr(PqTrace) at_host = make (R1, PQ_HOP_TIME_EXCEEDED, R2, PQ_HOP_TIME_EXCEEDED, "", PQ_HOP_NONE, NULL);
  g_autoptr(PqTrace) first = make ("", PQ_HOP_NONE, NULL);
  g_autoptr(PqTrace) refused = make (R1, PQ_HOP_TIME_EXCEEDED, R2, PQ_HOP_TIME_EXCEEDED,
                                     R2, PQ_HOP_PROHIBITED, NULL);
  g_autoptr(PqTrace) closed = make (R1, PQ_HOP_TIME_EXCEEDED, R2, PQ_HOP_TIME_EXCEEDED,
                                    HOST, PQ_HOP_PORT_UNREACHABLE, NULL);
  g_autoptr(PqTrace) open = make (R1, PQ_HOP_TIME_EXCEEDED, HOST, PQ_HOP_CONNECTED, NULL);

  assert_verdict (blocked, ref, 3,
                  "blocked after hop 1 (" R1 "): hop 2 answers for other ports but never saw these packets");
  assert_verdict (blocked, ref_silent, -1,
                  "nothing answers after hop 1 (" R1 "), for this port or any other: "
                  "the packets stop there, or the next hop sends no ICMP");
  assert_verdict (at_host, ref, 3,
                  "reaches the host (3 hops); the host or a device right in front of it drops the packets");
  assert_verdict (first, ref, 3,
                  "not even the first hop answers for this port though it does for others: "
                  "this computer's firewall or the first router drops it");
  assert_verdict (first, first, -1,
                  "not even the first hop answers, for this port or any other: this computer's firewall "
                  "or the first router drops the packets, or the routers send no ICMP");
  /* The refusal came with TTL 3 from the router that was hop 2. */
  assert_verdict (refused, ref, 3, "refused at hop 2 (" R2 "), which answers administratively prohibited");
  assert_verdict (closed, NULL, 3, "reaches the host (3 hops), which answers that nothing listens on this port");
  assert_verdict (open, NULL, 2, "reaches the host (2 hops), which answers on this port");
}

static PqReport *
traced_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (HOST, &error);
  g_autoptr(GArray) ports = pq_ports_parse ("445", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqResult) result = NULL;
  g_autoptr(PqTrace) trace = make (R1, PQ_HOP_TIME_EXCEEDED, "", PQ_HOP_NONE, NULL);
  PqScanOptions options;
  PqReport *report;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  pq_report_add_queried_text (report, HOST, NULL);
  result = pq_result_new (HOST, 445, PQ_PROTOCOL_TCP);
  pq_result_set_state (result, PQ_PORT_STATE_FILTERED, PQ_REASON_NO_RESPONSE);
  pq_trace_set_result (trace, 3, "blocked after hop 1 (" R1 "): hop 2 answers for other ports but never saw these packets");
  pq_result_set_trace (result, trace);
  pq_report_add_result (report, result);
  pq_report_finish (report, FALSE);
  return report;
}

/* The hops under the port in every text; in JSON as "trace" only. */
static void
test_written_and_read (void)
{
  g_autoptr(PqReport) report = traced_report ();
  g_autofree char *json = pq_report_to_json (report);
  g_autofree char *text = pq_report_to_format (report, PQ_REPORT_FORMAT_TEXT);
  g_autofree char *csv = pq_report_to_format (report, PQ_REPORT_FORMAT_CSV);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) loaded = pq_report_load_bytes (bytes, &error);
  g_autoptr(PqResult) r = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *text2 = NULL;
  PqTrace *trace;

  g_assert_nonnull (strstr (text, "TCP port 445 (unknown service): FILTERED\n"
                                  "    Path trace: blocked after hop 1 (" R1 "): hop 2 answers for other ports but never saw these packets\n"
                                  "      hop 1: " R1 " (time exceeded)\n"
                                  "      hop 2: no answer\n"
                                  "      Host distance: 3 hops\n"));
  g_assert_nonnull (strstr (csv, "hop 1"));
  g_assert_nonnull (strstr (json, "\"trace\": {\n"));
  g_assert_nonnull (strstr (json, "\"ttl\": 1,\n"));
  g_assert_nonnull (strstr (json, "\"icmp\": \"time exceeded\""));
  g_assert_nonnull (strstr (json, "\"host_distance\": 3"));
  g_assert_nonnull (strstr (json, "\"details\": []"));

  g_assert_no_error (error);
  r = g_list_model_get_item (pq_report_get_results (loaded), 0);
  trace = pq_result_get_trace (r);
  g_assert_nonnull (trace);
  g_assert_cmpuint (pq_trace_get_n_hops (trace), ==, 2);
  g_assert_cmpstr (pq_trace_get_hop (trace, 0)->address, ==, R1);
  g_assert_null (pq_trace_get_hop (trace, 1)->address);
  g_assert_cmpint (pq_trace_get_hop (trace, 1)->kind, ==, PQ_HOP_NONE);
  g_assert_cmpint (pq_trace_get_host_distance (trace), ==, 3);
  json2 = pq_report_to_json (loaded);
  text2 = pq_report_to_format (loaded, PQ_REPORT_FORMAT_TEXT);
  g_assert_cmpstr (json2, ==, json);
  g_assert_cmpstr (text2, ==, text);
}

/* A hop that names an ICMP message Port Query does not know is refused. */
static void
test_unknown_icmp_refused (void)
{
  g_autoptr(PqReport) report = traced_report ();
  g_autofree char *json = pq_report_to_json (report);
  g_autoptr(GString) broken = g_string_new (json);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) loaded = NULL;

  g_string_replace (broken, "\"time exceeded\"", "\"lunch break\"", 1);
  bytes = g_bytes_new (broken->str, broken->len);
  loaded = pq_report_load_bytes (bytes, &error);
  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "results[0].trace.hops[0]"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/verdicts", test_verdicts);
  g_test_add_func ("/trace/written-and-read", test_written_and_read);
  g_test_add_func ("/trace/unknown-icmp-refused", test_unknown_icmp_refused);
  return g_test_run ();
}
