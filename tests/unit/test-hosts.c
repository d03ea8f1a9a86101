/* test-hosts.c: several hosts in one query: the host list (CIDR blocks,
 * last-octet ranges, commas), and a report of several hosts written and
 * read back with each host's addresses, summary and failure
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-report-text.h"
#include "pq-services.h"
#include "pq-target-list.h"
#include "pq-writers.h"

/* The hosts @text gives, as their inputs joined by spaces. */
static char *
expand (const char  *text,
        GError     **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) out = g_string_new (NULL);

  if (!pq_target_list_append (targets, text, error))
    return NULL;
  for (guint i = 0; i < targets->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", pq_target_get_input (g_ptr_array_index (targets, i)));
  return g_strdup (out->str);
}

static void
assert_expands (const char *text,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = expand (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

static void
assert_refused (const char *text,
                const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = expand (text, &error);

  g_assert_null (got);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_list (void)
{
  /* Network and broadcast left out below /31. */
  assert_expands ("10.0.0.0/30", "10.0.0.1 10.0.0.2");
  assert_expands ("10.0.0.5/29", "10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6");
  assert_expands ("10.0.0.4/31", "10.0.0.4 10.0.0.5");
  assert_expands ("10.0.0.9/32", "10.0.0.9");
  assert_expands ("fd00::/126", "fd00:: fd00::1 fd00::2 fd00::3");
  assert_expands ("10.0.0.254-255", "10.0.0.254 10.0.0.255");
  assert_expands ("10.1.2.3-3", "10.1.2.3");
  assert_expands ("a.example, 10.0.0.1-2 ,dc-01.example", "a.example 10.0.0.1 10.0.0.2 dc-01.example");
  assert_expands ("server.example.com", "server.example.com");
  /* Spaces after the commas are not part of a name ("fs1, dc1"). */
  assert_expands ("fs1.example,  dc1.example , 10.0.0.7", "fs1.example dc1.example 10.0.0.7");
}

static void
test_refused (void)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  assert_refused ("10.0.0.0/19", "more than 4096 hosts");
  assert_refused ("fd00::/64", "more than 4096 hosts");
  assert_refused ("10.0.0.0/33", "is not an address block");
  assert_refused ("10.0.0.0/x", "is not an address block");
  assert_refused ("10.0.0.20-1", "ends before it starts");
  /* No host at all: said, not an empty list (portqry -n "," crashed). */
  assert_refused ("", "No host given");
  assert_refused (" , ", "No host given");
  /* The limit is over the whole list: 16 × 254 hosts fit, 62 more not. */
  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *block = g_strdup_printf ("10.0.%u.0/24", i);

      g_assert_true (pq_target_list_append (targets, block, &error));
    }
  g_assert_cmpuint (targets->len, ==, 16 * 254);
  g_assert_false (pq_target_list_append (targets, "10.1.0.0/26", &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
}

static PqResult *
result (const char  *address,
        guint16      port,
        PqPortState  state)
{
  PqResult *r = pq_result_new (address, port, PQ_PROTOCOL_TCP);

  pq_result_set_state (r, state, PQ_REASON_NONE);
  return r;
}

/* Two hosts queried, one not resolved: the report of all three. */
static PqReport *
hosts_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) a = pq_target_new_parse ("192.0.2.1", &error);
  g_autoptr(PqTarget) b = pq_target_new_parse ("192.0.2.2", &error);
  g_autoptr(PqTarget) c = pq_target_new_parse ("nosuch.example", &error);
  g_autoptr(GArray) ports = pq_ports_parse ("22,80", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(GInetAddress) a_inet = g_inet_address_new_from_string ("192.0.2.1");
  g_autoptr(GInetAddress) b_inet = g_inet_address_new_from_string ("192.0.2.2");
  PqResult *rs[4];
  PqScanOptions options;
  PqReport *report;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (a, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  g_assert_cmpuint (pq_report_add_target (report, b), ==, 1);
  g_assert_cmpuint (pq_report_add_target (report, c), ==, 2);
  pq_report_set_target_error (report, 2, "Failed to resolve name to IP address");
  pq_report_add_queried (report, a_inet, NULL);
  pq_report_select_target (report, 1);
  pq_report_add_queried (report, b_inet, "b.example");
  rs[0] = result ("192.0.2.1", 22, PQ_PORT_STATE_LISTENING);
  rs[1] = result ("192.0.2.1", 80, PQ_PORT_STATE_LISTENING);
  rs[2] = result ("192.0.2.2", 22, PQ_PORT_STATE_FILTERED);
  rs[3] = result ("192.0.2.2", 80, PQ_PORT_STATE_NOT_LISTENING);
  for (guint i = 0; i < 4; i++)
    {
      pq_report_add_result (report, rs[i]);
      g_object_unref (rs[i]);
    }
  pq_report_finish (report, FALSE);
  return report;
}

static void
test_report (void)
{
  g_autoptr(PqReport) report = hosts_report ();
  g_autofree char *json = pq_report_to_json (report);
  g_autofree char *text = pq_report_to_format (report, PQ_REPORT_FORMAT_TEXT);
  g_autofree char *html = pq_report_to_format (report, PQ_REPORT_FORMAT_HTML);
  g_autofree char *csv = pq_report_to_format (report, PQ_REPORT_FORMAT_CSV);
  g_autofree char *summary = pq_report_to_summary_text (report);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) loaded = pq_report_load_bytes (bytes, &error);
  g_autofree char *json2 = NULL;
  g_autofree char *text2 = NULL;

  /* Grouped by host, each host's counts, then all of them. */
  g_assert_nonnull (strstr (text, "\n 192.0.2.1\n"));
  g_assert_nonnull (strstr (text, "IP address resolved to b.example"));
  g_assert_nonnull (strstr (text, "Summary by host:\n"
                                  " 192.0.2.1: 2 listening\n"
                                  " 192.0.2.2: 1 not listening, 1 filtered\n"
                                  " nosuch.example: not queried: Failed to resolve name to IP address\n"
                                  "2 hosts queried, 1 not queried: 2 listening, 1 not listening, 1 filtered\n"));
  g_assert_nonnull (strstr (html, "<dt>192.0.2.2</dt><dd>1 not listening, 1 filtered</dd>"));
  g_assert_nonnull (strstr (csv, "\r\n\"192.0.2.2\",\"192.0.2.2\",\"80\",\"tcp\","));
  g_assert_nonnull (strstr (json, "\"targets\": ["));
  g_assert_nonnull (strstr (json, "\"summary\": \"1 not listening, 1 filtered\""));
  g_assert_cmpint (pq_report_get_exit_code (report), ==, PQ_EXIT_NOT_LISTENING);
  /* Copy Summary names every host and whose each port line is. */
  g_assert_true (g_str_has_prefix (summary, "Port Query: 192.0.2.1, 192.0.2.2, nosuch.example\n"));
  g_assert_nonnull (strstr (summary, "\n 192.0.2.2: 1 not listening, 1 filtered\n"));
  g_assert_nonnull (strstr (summary, "\n192.0.2.1 TCP port 80 (unknown service): LISTENING\n"));
  g_assert_nonnull (strstr (summary, "\n192.0.2.2 TCP port 22 (unknown service): FILTERED\n"));

  g_assert_no_error (error);
  g_assert_cmpuint (pq_report_get_n_targets (loaded), ==, 3);
  g_assert_cmpstr (pq_target_get_input (pq_report_get_nth_target (loaded, 1)), ==, "192.0.2.2");
  g_assert_cmpuint (pq_report_get_queried_target (loaded, 1), ==, 1);
  g_assert_cmpstr (pq_report_get_target_error (loaded, 2), ==, "Failed to resolve name to IP address");
  json2 = pq_report_to_json (loaded);
  text2 = pq_report_to_format (loaded, PQ_REPORT_FORMAT_TEXT);
  g_assert_cmpstr (json2, ==, json);
  g_assert_cmpstr (text2, ==, text);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hosts/list", test_list);
  g_test_add_func ("/hosts/refused", test_refused);
  g_test_add_func ("/hosts/report", test_report);
  return g_test_run ();
}
