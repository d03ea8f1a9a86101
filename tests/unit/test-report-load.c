/* test-report-load.c: a saved report opens again and exports the same bytes;
 * a broken or hostile file is refused with a message saying what is wrong
 *
 * The real-scan case queries only loopback ports this test opened itself.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-report-load-private.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "loopback-servers.h"

#define HOSTILE "evil\"\\\n\t\x1b[31mred\x01\x1f\x7f\xc2\x85\xff\xfe\xe2\x80\xa8" "end"
#define PREFIX "This is not a Port Query report: "

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static PqReport *
load_text (const char  *json,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return pq_report_load_bytes (bytes, error);
}

/* The report loads back, and every writer gives the same bytes again. */
static PqReport *
assert_round_trip (PqReport *report)
{
  static const PqReportFormat formats[] = {
    PQ_REPORT_FORMAT_JSON, PQ_REPORT_FORMAT_TEXT, PQ_REPORT_FORMAT_CSV, PQ_REPORT_FORMAT_HTML,
  };
  g_autofree char *json = pq_report_to_json (report);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) loaded = load_text (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *before = pq_report_to_format (report, formats[i]);
      g_autofree char *after = pq_report_to_format (loaded, formats[i]);

      g_assert_cmpstr (after, ==, before);
    }
  g_assert_cmpint (pq_report_get_exit_code (loaded), ==, pq_report_get_exit_code (report));
  return g_steal_pointer (&loaded);
}

static PqResult *
result_at (PqReport *report,
           guint     index)
{
  GListModel *results = pq_report_get_results (report);
  g_autoptr(PqResult) r = g_list_model_get_item (results, index);

  g_assert_nonnull (r);
  return r;   /* the report keeps it alive */
}

static PqDetail *
detail_at (GListModel *details,
           guint       index)
{
  g_autoptr(PqDetail) d = g_list_model_get_item (details, index);

  g_assert_nonnull (d);
  return d;   /* the model keeps it alive */
}

/* ------------------------------------------------------------------ */
/* A report built by hand, with everything a report can hold          */

static PqReport *
make_report (const char *host,
             gboolean    finished)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (host, &error);
  g_autoptr(GArray) ports = NULL;
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqResult) tcp = NULL;
  g_autoptr(PqResult) udp = NULL;
  g_autoptr(PqResult) silent = NULL;
  g_autoptr(PqDetail) answer = NULL;
  g_autoptr(PqDetail) record = NULL;
  g_autoptr(PqDetail) deeper = NULL;
  g_autoptr(PqDetail) hostile = NULL;
  PqScanOptions options;
  PqReport *report;
  const char *address;

  g_assert_no_error (error);
  if (!pq_target_is_literal (target))
    {
      /* A name as if resolved: two addresses, no resolver asked. */
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (found, g_inet_address_new_from_string ("2001:db8::10"));
      g_ptr_array_add (found, g_inet_address_new_from_string ("192.0.2.10"));
      g_clear_object (&target);
      target = pq_target_new_loaded (host, host, FALSE, 0, found);
    }
  ports = pq_ports_parse ("389,53,80-82", &error);
  g_assert_no_error (error);
  pq_scan_options_init (&options);
  options.slow_link = TRUE;
  options.source_port = 5353;
  options.tcp_timeout_ms = 2500;
  options.udp_tries = 4;
  options.window = 17;
  options.probes = FALSE;
  options.adaptive = FALSE;

  report = pq_report_new (target, ports, PQ_PROTOCOLS_BOTH, &options, pq_services_get_source (services));
  pq_report_add_queried (report, g_ptr_array_index (pq_target_get_addresses (target), 0),
                         "ns1.example.com");
  address = g_ptr_array_index (pq_report_get_queried (report), 0);

  tcp = pq_result_new (address, 389, PQ_PROTOCOL_TCP);
  pq_result_set_state (tcp, PQ_PORT_STATE_LISTENING, PQ_REASON_SYN_ACK);
  pq_result_set_service (tcp, "ldap", PQ_PROBE_LDAP);
  pq_result_set_evidence (tcp, "The host accepted the TCP connection.");
  pq_result_set_timing (tcp, 1, 1.25);
  pq_result_set_local_address (tcp, "192.0.2.1:40000");
  pq_result_set_reply (tcp, address, -1, -1, 812);
  answer = pq_detail_new ("ldap-rootdse", "Root DSE", NULL);
  record = pq_detail_new ("ldap-attribute", "namingContexts", "DC=example,DC=com");
  deeper = pq_detail_new ("ldap-value", NULL, "CN=Configuration,DC=example,DC=com");
  hostile = pq_detail_new ("ldap-attribute", "description", HOSTILE);
  pq_detail_append (record, deeper);
  pq_detail_append (answer, record);
  pq_detail_append (answer, hostile);
  pq_result_add_detail (tcp, answer);
  pq_report_add_result (report, tcp);

  udp = pq_result_new (address, 53, PQ_PROTOCOL_UDP);
  pq_result_set_state (udp, PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_PORT_UNREACH);
  pq_result_set_service (udp, HOSTILE, PQ_PROBE_NONE);
  pq_result_set_evidence (udp, HOSTILE);
  pq_result_set_timing (udp, 2, 30.5);
  pq_result_set_reply (udp, address, 3, 3, 0);
  pq_report_add_result (report, udp);

  silent = pq_result_new (address, 80, PQ_PROTOCOL_UDP);
  pq_result_set_state (silent, PQ_PORT_STATE_LISTENING_OR_FILTERED, PQ_REASON_NO_RESPONSE);
  pq_result_set_timing (silent, 4, 8123.456);
  pq_report_add_result (report, silent);

  if (finished)
    pq_report_finish (report, TRUE);
  return report;
}

static void
test_round_trip_built (void)
{
  g_autoptr(PqReport) report = make_report ("192.0.2.10", TRUE);
  g_autoptr(PqReport) loaded = assert_round_trip (report);
  const PqScanOptions *o = pq_report_get_options (loaded);
  PqResult *tcp = result_at (loaded, 0);
  PqResult *udp = result_at (loaded, 1);
  PqDetail *answer, *record;
  g_autofree char *ports = pq_report_get_ports_text (loaded);

  /* What the user sees in the opened report, field by field. */
  g_assert_cmpstr (pq_target_get_input (pq_report_get_target (loaded)), ==, "192.0.2.10");
  g_assert_true (pq_target_is_literal (pq_report_get_target (loaded)));
  g_assert_cmpstr (pq_report_get_reverse_name (loaded, 0), ==, "ns1.example.com");
  g_assert_cmpstr (ports, ==, "389,53,80-82");
  g_assert_cmpstr (pq_report_get_protocols_text (loaded), ==, "both");
  g_assert_true (pq_report_get_cancelled (loaded));
  g_assert_true (g_date_time_equal (pq_report_get_started (loaded), pq_report_get_started (report)));
  g_assert_true (g_date_time_equal (pq_report_get_finished (loaded), pq_report_get_finished (report)));
  g_assert_cmpuint (o->tcp_timeout_ms, ==, 2500);
  g_assert_cmpuint (o->udp_tries, ==, 4);
  g_assert_cmpuint (o->window, ==, 17);
  g_assert_cmpuint (o->source_port, ==, 5353);
  g_assert_true (o->slow_link);
  g_assert_false (o->probes);
  g_assert_false (o->adaptive);

  g_assert_cmpuint (g_list_model_get_n_items (pq_report_get_results (loaded)), ==, 3);
  g_assert_cmpint (pq_result_get_state (tcp), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpint (pq_result_get_reason (tcp), ==, PQ_REASON_SYN_ACK);
  g_assert_cmpint (pq_result_get_probe (tcp), ==, PQ_PROBE_LDAP);
  g_assert_cmpstr (pq_result_get_service (tcp), ==, "ldap");
  g_assert_cmpstr (pq_result_get_local_address (tcp), ==, "192.0.2.1:40000");
  g_assert_cmpuint (pq_result_get_bytes_received (tcp), ==, 812);
  g_assert_cmpfloat_with_epsilon (pq_result_get_elapsed_ms (tcp), 1.25, 1e-9);
  g_assert_cmpint (pq_result_get_icmp_type (tcp), ==, -1);
  answer = detail_at (pq_result_get_details (tcp), 0);
  g_assert_cmpstr (pq_detail_get_label (answer), ==, "Root DSE");
  g_assert_null (pq_detail_get_value (answer));
  record = detail_at (pq_detail_get_children (answer), 0);
  g_assert_cmpstr (pq_detail_get_value (detail_at (pq_detail_get_children (record), 0)), ==,
                   "CN=Configuration,DC=example,DC=com");

  g_assert_cmpint (pq_result_get_state (udp), ==, PQ_PORT_STATE_NOT_LISTENING);
  g_assert_cmpint (pq_result_get_reason (udp), ==, PQ_REASON_PORT_UNREACH);
  g_assert_cmpint (pq_result_get_protocol (udp), ==, PQ_PROTOCOL_UDP);
  g_assert_cmpint (pq_result_get_icmp_type (udp), ==, 3);
  g_assert_cmpint (pq_result_get_icmp_code (udp), ==, 3);
  /* Control characters come back as the writer escaped them. */
  g_assert_nonnull (strstr (pq_result_get_evidence (udp), "\x1b[31mred"));
}

static void
test_round_trip_unfinished (void)
{
  g_autoptr(PqReport) report = make_report ("server.example.com", FALSE);
  g_autoptr(PqReport) loaded = assert_round_trip (report);

  g_assert_null (pq_report_get_finished (loaded));
  g_assert_false (pq_report_get_cancelled (loaded));
  g_assert_false (pq_target_is_literal (pq_report_get_target (loaded)));
}

/* A link-local target keeps its interface in every address. */
static void
test_round_trip_scoped (void)
{
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqReport) loaded = NULL;

  if (if_nametoindex ("lo") == 0)
    {
      g_test_skip ("this system has no interface called lo");
      return;
    }
  report = make_report ("fe80::1%lo", TRUE);
  pq_report_set_no_reverse (report, TRUE);
  loaded = assert_round_trip (report);
  g_assert_cmpuint (pq_target_get_scope_id (pq_report_get_target (loaded)), ==, if_nametoindex ("lo"));
  g_assert_true (pq_report_get_no_reverse (loaded));
  g_assert_cmpstr (g_ptr_array_index (pq_report_get_queried (loaded), 0), ==, "fe80::1%lo");
}

/* ------------------------------------------------------------------ */
/* A report of a real scan, saved to a file and opened again           */

typedef struct
{
  PqReport     *report;
  GAsyncResult *done;
} ScanRun;

static void
result_cb (PqScanner *scanner,
           PqResult  *result,
           ScanRun   *run)
{
  pq_report_add_result (run->report, result);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  ScanRun *run = data;

  run->done = g_object_ref (result);
}

static void
test_round_trip_scan_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(PqReport) loaded = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *again = NULL;
  PqScanOptions options;
  ScanRun run = { 0 };
  Servers s;
  gint64 deadline;

  servers_start (&s, G_SOCKET_FAMILY_IPV4);
  g_array_append_val (ports, s.open_port);
  g_array_append_val (ports, s.closed_port);

  pq_scan_options_init (&options);
  options.udp_wait_ms = 200;
  options.udp_tries = 1;
  scanner = pq_scanner_new (services, &options);
  target = pq_target_new_parse ("127.0.0.1", &error);
  g_assert_no_error (error);

  run.report = pq_report_new (target, ports, PQ_PROTOCOLS_BOTH, &options, pq_services_get_source (services));
  pq_report_set_no_reverse (run.report, TRUE);
  pq_report_add_queried (run.report, s.loopback, NULL);
  g_signal_connect (scanner, "result", G_CALLBACK (result_cb), &run);
  pq_scanner_scan_async (scanner, s.loopback, 0, ports, PQ_PROTOCOLS_BOTH, NULL, scan_done_cb, &run);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (run.done == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (run.done);
  g_assert_true (pq_scanner_scan_finish (scanner, run.done, &error));
  g_assert_no_error (error);
  pq_report_finish (run.report, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (pq_report_get_results (run.report)), ==, 4);

  dir = g_dir_make_tmp ("pq-report-load-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "report.json", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (pq_report_write_file (run.report, file, PQ_REPORT_FORMAT_JSON, NULL, &error));
  g_assert_no_error (error);

  loaded = pq_report_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  again = pq_report_to_json (loaded);
  g_assert_cmpstr (again, ==, saved);
  g_clear_object (&loaded);
  loaded = assert_round_trip (run.report);

  for (guint i = 0; i < 4; i++)
    {
      PqResult *r = result_at (loaded, i);
      gboolean open = pq_result_get_port (r) == s.open_port;

      if (pq_result_get_protocol (r) == PQ_PROTOCOL_TCP)
        g_assert_cmpint (pq_result_get_state (r), ==,
                         open ? PQ_PORT_STATE_LISTENING : PQ_PORT_STATE_NOT_LISTENING);
      g_assert_cmpstr (pq_result_get_address (r), ==, "127.0.0.1");
      g_assert_nonnull (pq_result_get_evidence (r));
    }

  g_unlink (path);
  g_rmdir (dir);
  g_clear_object (&run.done);
  g_clear_object (&run.report);
  servers_stop (&s);
}

static void
test_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;

  report = pq_report_load_file ("/nonexistent/pq-report.json", &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A large file is refused by its size. */
  {
    g_autofree char *dir = g_dir_make_tmp ("pq-report-load-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
    FILE *file = fopen (path, "w");

    g_assert_nonnull (file);
    g_assert_cmpint (ftruncate (fileno (file), PQ_REPORT_MAX_FILE_SIZE + 1), ==, 0);
    fclose (file);
    report = pq_report_load_file (path, &error);
    g_assert_null (report);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
    g_assert_nonnull (strstr (error->message, "larger than 64 MiB"));
    g_clear_error (&error);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* A device that never ends stops at the size limit. */
  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      report = pq_report_load_file ("/dev/zero", &error);
      g_assert_null (report);
      g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
      g_assert_true (g_str_has_prefix (error->message, PREFIX));
      g_assert_nonnull (strstr (error->message, "larger than 64 MiB"));
    }
}

/* ------------------------------------------------------------------ */
/* Broken and hostile files                                            */

typedef struct
{
  const char *name;
  const char *find;      /* in a good report; NULL for the whole text */
  const char *replace;
  const char *message;   /* part of the error message */
} Broken;

/* The target's addresses as the writer lays them out. */
#define ADDRESSES "\"addresses\": [\n      \"192.0.2.10\"\n    ]"

static const Broken broken[] = {
  { "not-json", NULL, "port 80 is open", "not valid JSON" },
  { "empty", NULL, "", "the file is empty" },
  { "list", NULL, "[1, 2, 3]", "does not hold a group of fields" },
  { "other-json", NULL, "{\"name\": \"x\"}", "no “format” field" },
  { "format", "io.github.portquery.report/1", "io.github.portquery.report/2",
    "its format is “io.github.portquery.report/2”" },
  { "format-type", "\"format\": \"io.github.portquery.report/1\"", "\"format\": 1",
    "“format” should be text" },
  { "state", "\"state\": \"LISTENING\"", "\"state\": \"OPEN\"",
    "“OPEN” in the field “results[0].state” is not a port state" },
  { "state-type", "\"state\": \"LISTENING\"", "\"state\": 0", "“results[0].state” should be text" },
  { "reason", "\"reason\": \"syn-ack\"", "\"reason\": \"magic\"", "“results[0].reason” is not a reason" },
  { "probe", "\"probe\": \"ldap\"", "\"probe\": \"gopher\"", "“results[0].probe” is not a protocol query" },
  { "protocol", "\"protocol\": \"udp\",\n      \"service\"", "\"protocol\": \"sctp\",\n      \"service\"",
    "“sctp” in the field “results[1].protocol”" },
  { "port-text", "\"port\": 389", "\"port\": \"389\"",
    "“results[0].port” should be a whole number from 0 to 65535" },
  { "port-range", "\"port\": 389", "\"port\": 70000",
    "“results[0].port” should be a whole number from 0 to 65535" },
  { "port-float", "\"port\": 389", "\"port\": 389.5", "“results[0].port” should be a whole number" },
  { "tries-negative", "\"tries\": 1", "\"tries\": -1", "“results[0].tries” should be a whole number" },
  { "elapsed", "\"elapsed_ms\": 1.25", "\"elapsed_ms\": -3", "“results[0].elapsed_ms” should be a number of milliseconds" },
  { "elapsed-huge", "\"elapsed_ms\": 1.25", "\"elapsed_ms\": 1e999", "“results[0].elapsed_ms” should be a number of milliseconds" },
  { "missing", "\"evidence\": \"The host accepted the TCP connection.\",", "",
    "the field “results[0].evidence” is missing" },
  { "details-type", "\"details\": []", "\"details\": \"none\"", "“results[1].details” should be a list" },
  { "detail-label", "\"label\": \"Root DSE\"", "\"label\": [\"Root DSE\"]",
    "“results[0].details[0].label” should be text or null" },
  { "icmp", "\"icmp_type\": 3", "\"icmp_type\": 300", "“results[1].icmp_type” should be a whole number from 0 to 255" },
  { "icmp-half", "\"icmp_type\": 3,", "", "the field “results[1].icmp_type” is missing" },
  { "results-type", "\"results\": [", "\"results\": 5, \"x\": [", "“results” should be a list" },
  { "result-type", "\"results\": [\n", "\"results\": [\"LISTENING\",\n", "“results[0]” should be a group of fields" },
  { "started", "\"started\": \"", "\"started\": \"yesterday", "is not a date and time" },
  { "cancelled", "\"cancelled\": true", "\"cancelled\": \"yes\"", "“cancelled” should be true or false" },
  { "address", ADDRESSES, "\"addresses\": [\"192.0.2.300\"]",
    "“192.0.2.300” in the field “target.addresses” is not an IP address" },
  { "address-type", ADDRESSES, "\"addresses\": [7]",
    "“target.addresses” should be a list of IP addresses" },
  { "queried", "\"queried\": [\n      {\n        \"address\": \"192.0.2.10\"", "\"queried\": [{\"address\": null",
    "“target.queried[0].address” should be text" },
  { "ports", "\"ports\": \"389,53,80-82\"", "\"ports\": \"http\"", "“settings.ports” is wrong" },
  { "settings-protocol", "\"protocol\": \"both\"", "\"protocol\": \"icmp\"", "“settings.protocol” is wrong" },
  { "timeout", "\"tcp_timeout_ms\": 2500", "\"tcp_timeout_ms\": 0",
    "“settings.tcp_timeout_ms” should be a whole number from 1 to 60000" },
  { "window", "\"ports_in_flight\": 17", "\"ports_in_flight\": 1000000", "“settings.ports_in_flight”" },
  { "target-type", "\"target\": {", "\"target\": \"192.0.2.10\", \"x\": {", "“target” should be a group of fields" },
  { "binary", "Root DSE", "Root\xff\xfe" "DSE", "not text" },
  { "nul", "Root DSE", "Root\\u0000DSE", NULL },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autoptr(PqReport) good = make_report ("192.0.2.10", TRUE);
  g_autofree char *json = pq_report_to_json (good);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;

  if (b->find == NULL)
    text = g_strdup (b->replace);
  else
    {
      char *at = strstr (json, b->find);

      g_assert_nonnull (at);
      text = g_strdup_printf ("%.*s%s%s", (int) (at - json), json, b->replace, at + strlen (b->find));
    }

  report = load_text (text, &error);
  if (b->message == NULL)
    {
      /* Allowed, but the text ends at the NUL: nothing beyond it leaks. */
      g_assert_no_error (error);
      return;
    }
  g_test_message ("%s: %s", b->name, error ? error->message : "(loaded)");
  g_assert_null (report);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
  g_assert_true (g_str_has_prefix (error->message, PREFIX));
  g_assert_nonnull (strstr (error->message, b->message));
}

/* Every prefix of a report is refused, none crashes or loads half. */
static void
test_truncated (void)
{
  g_autoptr(PqReport) good = make_report ("192.0.2.10", TRUE);
  g_autofree char *json = pq_report_to_json (good);
  gsize len = strlen (json);

  /* The last bytes are "}\n": without the newline it is still whole. */
  for (gsize cut = 0; cut + 2 < len; cut += 7)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(PqReport) report = pq_report_load_bytes (bytes, &error);

      g_assert_null (report);
      g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
      g_assert_true (g_str_has_prefix (error->message, PREFIX));
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"format\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqReport) good = make_report ("192.0.2.10", TRUE);
  g_autofree char *json = pq_report_to_json (good);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *nested = NULL;
  const char *at;

  /* A million brackets: refused before any parser recurses into them. */
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  report = load_text (deep->str, &error);
  g_assert_null (report);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
  g_assert_nonnull (strstr (error->message, "nested more than 64 levels"));
  g_clear_error (&error);

  /* Brackets inside text are text, not nesting. */
  g_string_assign (deep, "{\"x\": \"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (deep, "[{\\\"");
  g_string_append (deep, "\"}");
  report = load_text (deep->str, &error);
  g_assert_null (report);
  g_assert_nonnull (strstr (error->message, "no “format” field"));
  g_clear_error (&error);

  /* Findings 20 levels deep: within the bracket limit, over the findings limit. */
  for (guint i = 0; i < 20; i++)
    g_string_append (details, "{\"kind\": \"k\", \"label\": \"l\", \"value\": \"v\", \"children\": [");
  for (guint i = 0; i < 20; i++)
    g_string_append (details, "]}");
  at = strstr (json, "\"details\": [") + strlen ("\"details\": [");
  nested = g_strdup_printf ("%.*s%s,%s", (int) (at - json), json, details->str, at);
  report = load_text (nested, &error);
  g_assert_null (report);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
  g_assert_nonnull (strstr (error->message, "nested more than 16 levels"));
}

static void
test_too_large (void)
{
  gsize size = PQ_REPORT_MAX_FILE_SIZE + 1;
  char *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;

  memset (data, ' ', size);
  bytes = g_bytes_new_take (data, size);
  report = pq_report_load_bytes (bytes, &error);
  g_assert_null (report);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
  g_assert_cmpstr (error->message, ==,
                   PREFIX "the file is larger than 64 MiB; saved reports are much smaller.");
}

/* Text from the file shown in a message is made safe and cut short. */
static void
test_message_escaped (void)
{
  g_autoptr(PqReport) good = make_report ("192.0.2.10", TRUE);
  g_autofree char *json = pq_report_to_json (good);
  g_autoptr(GString) state = g_string_new ("\"state\": \"\\u001b[2J");
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;
  g_autofree char *text = NULL;
  char *at = strstr (json, "\"state\": \"LISTENING\"");

  for (guint i = 0; i < 500; i++)
    g_string_append_c (state, 'A');
  g_string_append_c (state, '"');
  text = g_strdup_printf ("%.*s%s%s", (int) (at - json), json, state->str, at + strlen ("\"state\": \"LISTENING\""));
  report = load_text (text, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "\\x1b[2J"));
  g_assert_cmpuint (strlen (error->message), <, 300);
}

/* The reader's own parser takes strict JSON; what json-glib also takes
 * (a comment, single quotes, a control character in a string) loads as
 * json-glib reads it, and exports the same bytes as the strict file. */
static void
test_lenient (void)
{
  g_autoptr(PqReport) good = make_report ("192.0.2.10", TRUE);
  g_autofree char *json = pq_report_to_json (good);
  g_autofree char *text = g_strdup_printf ("/* saved by hand */ %s", json);
  g_autofree char *single = g_strdup (json);
  char *format = strstr (single, "\"format\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) loaded = NULL;
  g_autofree char *again = NULL;

  g_assert_null (pq_json_parse (text, strlen (text), TRUE, NULL));
  loaded = load_text (text, &error);
  g_assert_no_error (error);
  again = pq_report_to_json (loaded);
  g_assert_cmpstr (again, ==, json);

  format[0] = format[7] = '\'';
  g_clear_object (&loaded);
  g_clear_pointer (&again, g_free);
  loaded = load_text (single, &error);
  g_assert_no_error (error);
  again = pq_report_to_json (loaded);
  g_assert_cmpstr (again, ==, json);
}

/* The strict parser's values: escapes, surrogate pairs, numbers as the
 * writer prints them, the last of two members of one name. */
static void
test_strict_values (void)
{
  static const char text[] = "{\"s\": \"\\u00e9\\ud83d\\ude00\\n\\/\", \"s\": \"last\", "
                             "\"n\": [-0, -0.5, 1e2, 123456789012345678, true, false, null]}";
  static const char *refused[] = {
    "[1,]", "[01]", "[\"\\ud83d\"]", "[\"\\u0000\"]", "[1234567890123456789]", "[1e999]",
    "[\"a\tb\"]", "{'a': 1}", "[1] x", "[tru]", "[\"open", "",
  };
  g_autoptr(PqJsonDoc) doc = pq_json_parse (text, strlen (text), TRUE, NULL);
  PqJson *root, *n;

  g_assert_nonnull (doc);
  root = pq_json_doc_get_root (doc);
  g_assert_cmpstr (pq_json_get_member (root, "s")->v.s, ==, "last");
  g_assert_cmpstr (root->first->v.s, ==, "\xc3\xa9\xf0\x9f\x98\x80\n/");
  n = pq_json_get_member (root, "n");
  g_assert_cmpuint (n->n, ==, 7);
  n = n->first;
  g_assert_cmpint (n->type, ==, PQ_JSON_INT);
  g_assert_cmpint (n->v.i, ==, 0);
  n = n->next;
  g_assert_cmpint (n->type, ==, PQ_JSON_DOUBLE);
  g_assert_cmpfloat (n->v.d, ==, -0.5);
  n = n->next;
  g_assert_cmpint (n->type, ==, PQ_JSON_DOUBLE);
  g_assert_cmpfloat (n->v.d, ==, 100.0);
  n = n->next;
  g_assert_cmpint (n->v.i, ==, G_GINT64_CONSTANT (123456789012345678));
  g_assert_true (n->next->v.b);
  g_assert_false (n->next->next->v.b);
  g_assert_cmpint (n->next->next->next->type, ==, PQ_JSON_NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(PqJsonDoc) no = pq_json_parse (refused[i], strlen (refused[i]), TRUE, NULL);

      g_test_message ("%s", refused[i]);
      g_assert_null (no);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-load/round-trip/built", test_round_trip_built);
  g_test_add_func ("/report-load/round-trip/unfinished", test_round_trip_unfinished);
  g_test_add_func ("/report-load/round-trip/scoped", test_round_trip_scoped);
  g_test_add_func ("/report-load/round-trip/scan-file", test_round_trip_scan_file);
  g_test_add_func ("/report-load/file-errors", test_file_errors);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/report-load/broken/%s", broken[i].name);
      g_test_add_data_func (path, &broken[i], test_broken);
    }
  g_test_add_func ("/report-load/truncated", test_truncated);
  g_test_add_func ("/report-load/deep-nesting", test_deep_nesting);
  g_test_add_func ("/report-load/too-large", test_too_large);
  g_test_add_func ("/report-load/message-escaped", test_message_escaped);
  g_test_add_func ("/report-load/lenient", test_lenient);
  g_test_add_func ("/report-load/strict-values", test_strict_values);

  return g_test_run ();
}
