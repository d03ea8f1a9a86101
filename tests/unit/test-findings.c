/* test-findings.c: the shapes of findings (endpoint and NetBIOS tables,
 * LDAP order), the plain sentence about evidence, the reports that use
 * them (HTML tables, CSV one row per finding), and a result's findings
 * model as a view holds it
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-findings.h"
#include "pq-ports.h"
#include "pq-rules.h"
#include "pq-scanner.h"
#include "pq-writers.h"

static PqDetail *
endpoint (const char *value,
          const char *binding,
          const char *interface)
{
  PqDetail *d = pq_detail_new ("rpc-endpoint", "UUID", value);
  g_autoptr(PqDetail) b = pq_detail_new ("rpc-binding", "", binding);

  pq_detail_append (d, b);
  if (interface != NULL)
    {
      g_autoptr(PqDetail) i = pq_detail_new ("rpc-interface", "Interface", interface);

      pq_detail_append (d, i);
    }
  return d;
}

static PqResult *
epm_result (void)
{
  PqResult *r = pq_result_new ("192.0.2.10", 135, PQ_PROTOCOL_TCP);
  g_autoptr(PqDetail) a = endpoint ("12345778-1234-abcd-ef00-0123456789ac samr", "ncacn_np:[\\pipe\\samr]",
                                    "samr (Security Account Manager) v1.0");
  g_autoptr(PqDetail) b = endpoint ("50abc2a4-574d-40b3-9d66-ee4fd5fba076 =cmd|' /C calc'!A0",
                                    "ncacn_ip_tcp:10.0.0.1[49153]", "dnsserver (DNS server management) v5.0");
  g_autoptr(PqDetail) c = endpoint ("0b6edbfa-4a24-4fc6-8a23-942b1eca65d1", "ncalrpc:[LRPC-1]", NULL);
  g_autoptr(PqDetail) total = pq_detail_new ("rpc-endpoint-count", "Total endpoints found", "3");

  pq_result_set_state (r, PQ_PORT_STATE_LISTENING, PQ_REASON_SYN_ACK);
  pq_result_set_service (r, "epmap", PQ_PROBE_RPC_EPMAP);
  pq_result_set_evidence (r, "192.0.2.10 accepted the TCP connection.");
  pq_result_add_detail (r, a);
  pq_result_add_detail (r, b);
  pq_result_add_detail (r, c);
  pq_result_add_detail (r, total);
  return r;
}

static void
test_endpoint_table (void)
{
  g_autoptr(PqResult) r = epm_result ();
  GListModel *details = pq_result_get_details (r);
  g_autoptr(GPtrArray) rows = pq_table_rows (PQ_TABLE_ENDPOINTS, details);
  g_autofree char *total = pq_table_total (PQ_TABLE_ENDPOINTS, rows);
  g_autofree char *row = NULL;
  const char *expected[][6] = {
    { "samr (Security Account Manager)", "12345778-1234-abcd-ef00-0123456789ac", "1.0", "named pipe", "\\pipe\\samr", "samr" },
    { "dnsserver (DNS server management)", "50abc2a4-574d-40b3-9d66-ee4fd5fba076", "5.0", "TCP", "10.0.0.1:49153", "=cmd|' /C calc'!A0" },
    { "", "0b6edbfa-4a24-4fc6-8a23-942b1eca65d1", "", "local RPC", "LRPC-1", "" },
  };

  g_assert_cmpint (pq_findings_shape (details), ==, PQ_SHAPE_ENDPOINTS);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    for (guint c = 0; c < pq_table_n_columns (PQ_TABLE_ENDPOINTS); c++)
      {
        g_autofree char *cell = pq_table_cell (PQ_TABLE_ENDPOINTS, g_ptr_array_index (rows, i), c);

        g_assert_cmpstr (cell, ==, expected[i][c]);
      }
  g_assert_cmpstr (total, ==, "3 endpoints: 1 TCP, 1 named pipe, 1 local RPC");
  g_assert_cmpstr (pq_table_title (PQ_TABLE_ENDPOINTS, 4), ==, "Address, port or pipe");
  row = pq_table_row_text (PQ_TABLE_ENDPOINTS, g_ptr_array_index (rows, 0));
  g_assert_cmpstr (row, ==, "samr (Security Account Manager)\t12345778-1234-abcd-ef00-0123456789ac\t1.0\t"
                            "named pipe\t\\pipe\\samr\tsamr");
}

static void
test_netbios_table (void)
{
  g_autoptr(PqDetail) names = pq_detail_new ("netbios-names", "Names", "2");
  g_autoptr(PqDetail) dc = pq_detail_new ("netbios-name", "DC1 <00>", "UNIQUE, active: Workstation Service");
  g_autoptr(PqDetail) dom = pq_detail_new ("netbios-name", "__SAMBA__ <20>", "GROUP, active, permanent: File Server Service");
  g_autoptr(PqDetail) mac = pq_detail_new ("mac", "MAC address", "00:15:5d:01:02:03");
  g_autoptr(GListStore) details = g_list_store_new (PQ_TYPE_DETAIL);
  g_autoptr(GPtrArray) rows = NULL;
  const char *expected[][5] = {
    { "DC1", "<00>", "Workstation Service", "unique", "active" },
    { "__SAMBA__", "<20>", "File Server Service", "group", "active, permanent" },
  };

  pq_detail_append (names, dc);
  pq_detail_append (names, dom);
  g_list_store_append (details, names);
  g_list_store_append (details, mac);
  g_assert_cmpint (pq_findings_shape (G_LIST_MODEL (details)), ==, PQ_SHAPE_NETBIOS);
  rows = pq_table_rows (PQ_TABLE_NETBIOS_NAMES, G_LIST_MODEL (details));
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    for (guint c = 0; c < 5; c++)
      {
        g_autofree char *cell = pq_table_cell (PQ_TABLE_NETBIOS_NAMES, g_ptr_array_index (rows, i), c);

        g_assert_cmpstr (cell, ==, expected[i][c]);
      }
}

static void
test_ldap_order (void)
{
  g_autoptr(GListStore) details = g_list_store_new (PQ_TYPE_DETAIL);
  const char *labels[] = { "configurationNamingContext", "currentTime", "domainFunctionality",
                           "Clock skew", "forestFunctionality" };
  const char *kinds[] = { "ldap-attribute", "ldap-attribute", "ldap-attribute", "ldap-clock-skew", "ldap-attribute" };
  const char *order[] = { "domainFunctionality", "Clock skew", "forestFunctionality",
                          "configurationNamingContext", "currentTime" };
  g_autoptr(GPtrArray) sorted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr(PqDetail) d = pq_detail_new (kinds[i], labels[i], "x");

      g_list_store_append (details, d);
    }
  g_assert_cmpint (pq_findings_shape (G_LIST_MODEL (details)), ==, PQ_SHAPE_LDAP);
  sorted = pq_findings_ldap_order (G_LIST_MODEL (details));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (pq_detail_get_label (g_ptr_array_index (sorted, i)), ==, order[i]);
}

/* One sentence per kind of evidence, naming who refused. */
static void
test_plain (void)
{
  g_autofree char *own = pq_rules_plain (PQ_PROTOCOL_TCP, PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED,
                                         "10.0.0.2", "10.0.0.2");
  g_autofree char *other = pq_rules_plain (PQ_PROTOCOL_TCP, PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED,
                                           "10.0.0.2", "10.0.1.1");
  g_autofree char *silent = pq_rules_plain (PQ_PROTOCOL_TCP, PQ_PORT_STATE_FILTERED, PQ_REASON_NO_RESPONSE,
                                            "10.0.0.2", NULL);
  g_autofree char *router = pq_rules_plain (PQ_PROTOCOL_UDP, PQ_PORT_STATE_FILTERED, PQ_REASON_HOST_UNREACH,
                                            "10.0.0.2", "10.0.1.1");
  g_autofree char *reset = pq_rules_plain (PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_RESET,
                                           "10.0.0.2", "10.0.0.2");

  g_assert_nonnull (strstr (own, "host’s own firewall refused"));
  g_assert_nonnull (strstr (other, "10.0.1.1"));
  g_assert_null (strstr (other, "own firewall"));
  g_assert_cmpstr (silent, ==, "Nothing answered: a firewall on the way probably drops the packets.");
  g_assert_nonnull (strstr (router, "The router 10.0.1.1 could not reach the host"));
  g_assert_nonnull (strstr (reset, "no program listens"));
}

static PqReport *
report_with (PqResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("192.0.2.10", &error);
  g_autoptr(GArray) ports = pq_ports_parse ("135", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("192.0.2.10");
  PqScanOptions options;
  PqReport *report;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  pq_report_add_queried (report, address, NULL);
  pq_report_add_result (report, result);
  pq_report_finish (report, FALSE);
  return report;
}

static void
test_reports (void)
{
  g_autoptr(PqResult) r = epm_result ();
  g_autoptr(PqReport) report = report_with (r);
  g_autofree char *html = pq_report_to_html (report);
  g_autofree char *csv = pq_report_to_csv_findings (report);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  /* HTML: the plain sentence, the endpoint table folded, its headers. */
  g_assert_nonnull (strstr (html, "<p class=\"plain\">The host accepted the connection"));
  g_assert_nonnull (strstr (html, "<details><summary>3 endpoints: 1 TCP, 1 named pipe, 1 local RPC</summary>"));
  g_assert_nonnull (strstr (html, "<th scope=\"col\">Address, port or pipe</th>"));
  g_assert_nonnull (strstr (html, "<td>\\pipe\\samr</td>"));
  g_assert_nonnull (strstr (html, "<caption>3 endpoints: 1 TCP, 1 named pipe, 1 local RPC</caption>"));

  /* CSV: the port's state, then one row per finding and child. */
  g_assert_cmpstr (lines[0], ==, "\"address\",\"port\",\"protocol\",\"finding\",\"name\",\"value\"");
  g_assert_true (g_str_has_prefix (lines[1], "\"192.0.2.10\",\"135\",\"tcp\",\"state\",\"LISTENING\","));
  g_assert_cmpstr (lines[2], ==, "\"192.0.2.10\",\"135\",\"tcp\",\"rpc-endpoint[1]\",\"UUID\","
                                 "\"12345778-1234-abcd-ef00-0123456789ac samr\"");
  g_assert_cmpstr (lines[3], ==, "\"192.0.2.10\",\"135\",\"tcp\",\"rpc-endpoint[1]/rpc-binding[1]\",\"rpc-binding\","
                                 "\"ncacn_np:[\\pipe\\samr]\"");
  g_assert_nonnull (strstr (csv, "\"rpc-endpoint[3]/rpc-binding[1]\""));
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + 3 * 2 + 2 + 1 + 1);
  {
    g_autofree char *again = pq_report_to_format (report, PQ_REPORT_FORMAT_CSV_FINDINGS);

    g_assert_cmpstr (again, ==, csv);
  }
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  *count += added;
}

/* A port without findings shows none; a view that took its findings'
 * model before any came (the path trace is added after the row shows)
 * sees them arrive in that same model. */
static void
test_result_model (void)
{
  g_autoptr(PqResult) r = pq_result_new ("192.0.2.10", 135, PQ_PROTOCOL_TCP);
  g_autoptr(PqDetail) d = pq_detail_new ("banner", "Banner", "hello");
  g_autoptr(GListModel) from_property = NULL;
  GListModel *model = pq_result_get_details (r);
  guint added = 0;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (pq_result_get_details (r) == model);
  g_object_get (r, "details", &from_property, NULL);
  g_assert_true (from_property == model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &added);

  pq_result_add_detail (r, d);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (pq_result_get_details (r)), ==, 1);

  pq_result_set_reply (r, "192.0.2.10", -1, -1, 0);
  g_assert_cmpstr (pq_result_get_address (r), ==, "192.0.2.10");
  g_assert_cmpstr (pq_result_get_reply_from (r), ==, "192.0.2.10");
  pq_result_set_reply (r, NULL, 3, 3, 0);
  g_assert_null (pq_result_get_reply_from (r));
}

/* Printed, the folded endpoint table is on paper (the page has no script
 * to open a <details>): headless Chromium prints the page to a PDF and
 * pdftotext reads the endpoint rows back. On screen they stay folded:
 * the printed copy is hidden there. */
static void
test_html_print (void)
{
  g_autoptr(PqResult) r = epm_result ();
  g_autoptr(PqReport) report = report_with (r);
  g_autofree char *html = pq_report_to_html (report);
  g_autofree char *dir = g_dir_make_tmp ("pq-print-XXXXXX", NULL);
  g_autofree char *page = g_build_filename (dir, "report.html", NULL);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *print_arg = g_strdup_printf ("--print-to-pdf=%s", pdf);
  g_autofree char *profile = g_strdup_printf ("--user-data-dir=%s/profile", dir);
  g_autofree char *url = g_filename_to_uri (page, NULL, NULL);
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (strstr (html, "<div class=\"print\"><p class=\"plain\">3 endpoints"));
  if (chromium == NULL || pdftotext == NULL)
    {
      g_test_skip ("chromium or pdftotext is not installed (scripts/install-deps.sh installs them)");
      return;
    }
  g_assert_true (g_file_set_contents (page, html, -1, NULL));
  {
    const char *print[] = { chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            profile, print_arg, url, NULL };
    const char *read[] = { pdftotext, "-layout", pdf, "-", NULL };

    g_spawn_sync (NULL, (char **) print, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
    g_spawn_sync (NULL, (char **) read, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL, &status, &error);
    g_assert_no_error (error);
  }
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "3 endpoints: 1 TCP, 1 named pipe, 1 local RPC"));
  g_assert_nonnull (strstr (text, "\\pipe\\samr"));
  g_assert_nonnull (strstr (text, "LRPC-1"));
  g_assert_nonnull (strstr (text, "10.0.0.1:49153"));
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pq/findings/endpoint-table", test_endpoint_table);
  g_test_add_func ("/pq/findings/netbios-table", test_netbios_table);
  g_test_add_func ("/pq/findings/ldap-order", test_ldap_order);
  g_test_add_func ("/pq/findings/plain", test_plain);
  g_test_add_func ("/pq/findings/reports", test_reports);
  g_test_add_func ("/pq/findings/result-model", test_result_model);
  g_test_add_func ("/pq/findings/html-print", test_html_print);
  return g_test_run ();
}
