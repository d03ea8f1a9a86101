/* test-writers.c: a report as text, CSV and HTML, and report files
 *
 * What a host sends back is untrusted: the writers must keep terminal
 * escapes out of text, formulas out of spreadsheets and markup out of
 * the HTML page.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-report-text.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

#define FORMULA  "=HYPERLINK(\"http://evil.example/\",\"x\")"
#define MARKUP   "<script>alert(1)</script><img src=x onerror=alert(2)>"
#define ESCAPES  "red\x1b[31m\x07" "bell\r\nnext"

typedef struct
{
  PqTarget   *target;
  GArray     *ports;
  PqServices *services;
  PqReport   *report;
  char       *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqResult) tcp = NULL;
  g_autoptr(PqResult) udp = NULL;
  g_autoptr(PqDetail) banner = NULL;
  g_autoptr(PqDetail) child = NULL;
  g_autoptr(GInetAddress) address = NULL;
  PqScanOptions options;

  f->target = pq_target_new_parse ("192.0.2.10", &error);
  g_assert_no_error (error);
  f->ports = pq_ports_parse ("25,53", &error);
  g_assert_no_error (error);
  f->services = pq_services_new_from_data ("", 0);
  pq_scan_options_init (&options);
  f->report = pq_report_new (f->target, f->ports, PQ_PROTOCOLS_BOTH, &options, pq_services_get_source (f->services));
  address = g_inet_address_new_from_string ("192.0.2.10");
  pq_report_add_queried (f->report, address, MARKUP);

  tcp = pq_result_new ("192.0.2.10", 25, PQ_PROTOCOL_TCP);
  pq_result_set_state (tcp, PQ_PORT_STATE_LISTENING, PQ_REASON_SYN_ACK);
  pq_result_set_service (tcp, "smtp", PQ_PROBE_SMTP);
  pq_result_set_evidence (tcp, "192.0.2.10 accepted the TCP connection.");
  pq_result_set_timing (tcp, 1, 2.5);
  banner = pq_detail_new ("banner", "Banner", "220 " MARKUP " " ESCAPES);
  child = pq_detail_new ("smtp-extension", "Extension", FORMULA);
  pq_detail_append (banner, child);
  pq_result_add_detail (tcp, banner);
  pq_report_add_result (f->report, tcp);

  udp = pq_result_new ("192.0.2.10", 53, PQ_PROTOCOL_UDP);
  pq_result_set_state (udp, PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED);
  pq_result_set_service (udp, FORMULA, PQ_PROBE_NONE);
  pq_result_set_evidence (udp, ESCAPES " " MARKUP " \"quoted\"");
  pq_result_set_timing (udp, 2, 10.0);
  pq_report_add_result (f->report, udp);

  pq_report_finish (f->report, FALSE);

  f->dir = g_dir_make_tmp ("pq-writers-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_object (&f->report);
  g_clear_object (&f->services);
  g_clear_object (&f->target);
  g_clear_pointer (&f->ports, g_array_unref);
}

/* No control character but the line ends @allowed lets through. */
static void
assert_no_controls (const char *text,
                    const char *allowed)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && c != 0 && strchr (allowed, (int) c) != NULL)
        continue;
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_error ("raw control U+%04X at offset %td", c, p - text);
    }
}

static void
assert_contains (const char *text,
                 const char *what)
{
  if (strstr (text, what) == NULL)
    g_error ("the output does not contain “%s”:\n%s", what, text);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *text = pq_report_to_text (f->report);

  g_test_message ("%s", text);
  assert_no_controls (text, "\n");
  assert_contains (text, "PortQry (Port Query for Linux) version");
  assert_contains (text, "Querying target system called:\n\n 192.0.2.10\n");
  assert_contains (text, "TCP port 25 (smtp service): LISTENING\n");
  assert_contains (text, "    Banner: 220 ");
  assert_contains (text, "      Extension: " FORMULA "\n");
  assert_contains (text, "red\\x1b[31m\\x07bell\\x0d\\x0anext");
  assert_contains (text, "UDP port 53 (=HYPERLINK");
  assert_contains (text, "Summary: 1 listening, 1 filtered\n");
  g_assert_true (g_str_has_suffix (text, "========= end of log file =========\n"));
}

static void
test_text_cancelled (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *text = NULL;

  pq_report_finish (f->report, TRUE);
  text = pq_report_to_text (f->report);
  assert_contains (text, "(cancelled before the end)");
}

/* A port whose probe never left this computer (a datagram too big) is
 * shown in every format as an ERROR with its reason, counted apart, read
 * back unchanged, and makes the exit code 4 over a NOT LISTENING port. */
static void
test_error_row (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqReport) loaded = NULL;
  g_autoptr(PqResult) closed = pq_result_new ("192.0.2.10", 25, PQ_PROTOCOL_TCP);
  g_autoptr(PqResult) error_row = pq_result_new ("192.0.2.10", 161, PQ_PROTOCOL_UDP);
  g_autoptr(PqResult) back = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GBytes) json_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *csv = NULL, *html = NULL, *json = NULL, *summary = NULL;
  PqScanOptions options;

  pq_scan_options_init (&options);
  report = pq_report_new (f->target, f->ports, PQ_PROTOCOLS_BOTH, &options, pq_services_get_source (f->services));
  pq_result_set_state (closed, PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_RESET);
  pq_report_add_result (report, closed);
  pq_result_set_state (error_row, PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR);
  pq_result_set_service (error_row, "snmp", PQ_PROBE_SNMP);
  pq_result_set_evidence (error_row, "The probe could not be sent from this computer: Message too long.");
  pq_report_add_result (report, error_row);
  pq_report_finish (report, FALSE);

  g_assert_cmpint (pq_report_get_exit_code (report), ==, PQ_EXIT_ERROR);
  summary = pq_report_summary (report);
  g_assert_cmpstr (summary, ==, "1 not listening, 1 could not be queried");
  /* portqry without -v still says why. */
  pq_text_append_query_result (line, error_row, NULL, FALSE);
  g_assert_cmpstr (line->str, ==, "UDP port 161 (snmp service): ERROR\n"
                                  "    The probe could not be sent from this computer: Message too long.\n");
  text = pq_report_to_text (report);
  assert_contains (text, "Summary: 1 not listening, 1 could not be queried\n");
  csv = pq_report_to_csv (report);
  assert_contains (csv, "\"snmp\",\"ERROR\",\"local-error\"");
  html = pq_report_to_html (report);
  assert_contains (html, "<td class=\"ERROR\">ERROR</td>");
  assert_contains (html, "Error: the query could not be sent from this computer");
  json = pq_report_to_json (report);
  assert_contains (json, "\"errors\": 1,");
  json_bytes = g_bytes_new (json, strlen (json));
  loaded = pq_report_load_bytes (json_bytes, &error);
  g_assert_no_error (error);
  back = g_list_model_get_item (pq_report_get_results (loaded), 1);
  g_assert_cmpint (pq_result_get_state (back), ==, PQ_PORT_STATE_ERROR);
  g_assert_cmpint (pq_result_get_reason (back), ==, PQ_REASON_LOCAL_ERROR);
  g_assert_cmpint (pq_report_get_exit_code (loaded), ==, PQ_EXIT_ERROR);

  /* Without an error, the HTML page does not explain one. */
  g_free (html);
  html = pq_report_to_html (f->report);
  g_assert_null (strstr (html, "Error: the query could not be sent"));
}

static void
test_csv_cell (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "plain", "\"plain\"" },
    { "", "\"\"" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    /* What a spreadsheet would run is neutralised with an apostrophe. */
    { "=1+1", "\"'=1+1\"" },
    { "+1", "\"'+1\"" },
    { "-1", "\"'-1\"" },
    { "@SUM(A1)", "\"'@SUM(A1)\"" },
    { "1=1", "\"1=1\"" },
    /* Control characters become \xNN, so none ends a row. */
    { "a\r\nb", "\"a\\x0d\\x0ab\"" },
    { "\x1b[31m", "\"\\x1b[31m\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cell = pq_csv_cell (cases[i].input);

      g_assert_cmpstr (cell, ==, cases[i].expected);
    }

  {
    g_autofree char *cell = pq_csv_cell (NULL);

    g_assert_cmpstr (cell, ==, "\"\"");
  }
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *csv = pq_report_to_csv (f->report);
  g_auto(GStrv) rows = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");

  g_test_message ("%s", csv);
  assert_no_controls (csv, "\r\n");
  /* RFC 4180: CRLF after every row, a header, then one row per port. */
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  rows = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, 4);
  g_assert_cmpstr (rows[0], ==,
                   "\"target\",\"address\",\"port\",\"protocol\",\"service\",\"state\",\"reason\","
                   "\"evidence\",\"tries\",\"elapsed_ms\",\"local_address\",\"reply_from\",\"details\"");
  g_assert_true (g_str_has_prefix (rows[1], "\"192.0.2.10\",\"192.0.2.10\",\"25\",\"tcp\",\"smtp\",\"LISTENING\",\"syn-ack\""));
  assert_contains (rows[2], "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\"");
  g_assert_cmpstr (rows[3], ==, "");

  if (python != NULL)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;

      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                               python, "-c",
                               "import csv,io,sys\n"
                               "rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))\n"
                               "print(len(rows), set(len(r) for r in rows), rows[2][4], rows[1][12])\n",
                               NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, csv, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (proc));
      g_assert_true (g_str_has_prefix (out, "3 {13} '" FORMULA " Banner: 220 "));
    }
}

static void
test_html_escaped (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  pq_html_append_escaped (out, "<a href=\"x\" title='y'>&amp;</a>\x1b[1m");
  g_assert_cmpstr (out->str, ==,
                   "&lt;a href=&quot;x&quot; title=&apos;y&apos;&gt;&amp;amp;&lt;/a&gt;\\x1b[1m");
  g_string_truncate (out, 0);
  pq_html_append_escaped (out, NULL);
  g_assert_cmpstr (out->str, ==, "");
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *html = pq_report_to_html (f->report);
  g_autofree char *lower = g_ascii_strdown (html, -1);

  g_test_message ("%s", html);
  assert_no_controls (html, "\n");
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  assert_contains (html, "Content-Security-Policy");
  /* Nothing the host sent becomes markup. */
  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "<img"));
  assert_contains (html, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
  assert_contains (html, "&quot;quoted&quot;");
  assert_contains (html, "red\\x1b[31m");
  assert_contains (html, "class=\"LISTENING\"");
  assert_contains (html, "class=\"FILTERED\"");
  g_assert_true (g_str_has_suffix (html, "</html>\n"));
}

static void
test_format_for_path (void)
{
  static const struct
  {
    const char     *path;
    PqReportFormat  format;
  } good[] = {
    { "report.txt", PQ_REPORT_FORMAT_TEXT },
    { "report.log", PQ_REPORT_FORMAT_TEXT },
    { "/tmp/x.y/report.CSV", PQ_REPORT_FORMAT_CSV },
    { "report.json", PQ_REPORT_FORMAT_JSON },
    { "report.html", PQ_REPORT_FORMAT_HTML },
    { "REPORT.HTM", PQ_REPORT_FORMAT_HTML },
  };
  const char *bad[] = { "report", "report.pdf", "report.json.bak", "" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      PqReportFormat format = PQ_REPORT_FORMAT_TEXT;
      g_autoptr(GError) error = NULL;

      g_assert_true (pq_report_format_for_path (good[i].path, &format, &error));
      g_assert_no_error (error);
      g_assert_cmpint (format, ==, good[i].format);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PqReportFormat format;
      g_autoptr(GError) error = NULL;

      g_assert_false (pq_report_format_for_path (bad[i], &format, &error));
      g_assert_error (error, PQ_ERROR, PQ_ERROR_REPORT);
      assert_contains (error->message, ".txt, .csv, .json or .html");
    }
}

static void
test_write_file (Fixture       *f,
                 gconstpointer  data)
{
  static const PqReportFormat formats[] = {
    PQ_REPORT_FORMAT_TEXT, PQ_REPORT_FORMAT_CSV, PQ_REPORT_FORMAT_JSON, PQ_REPORT_FORMAT_HTML,
  };
  g_autofree char *path = g_build_filename (f->dir, "report", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_file_set_contents (path, "old contents that are longer than nothing", -1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = pq_report_to_format (f->report, formats[i]);
      g_autofree char *contents = NULL;

      /* Replaces what was there, whole. */
      g_assert_true (pq_report_write_file (f->report, file, formats[i], NULL, &error));
      g_assert_no_error (error);
      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (contents, ==, expected);
    }

  {
    g_autofree char *missing = g_build_filename (f->dir, "no-such-dir", "report.txt", NULL);
    g_autoptr(GFile) nowhere = g_file_new_for_path (missing);
    g_autoptr(GError) error = NULL;

    g_assert_false (pq_report_write_file (f->report, nowhere, PQ_REPORT_FORMAT_TEXT, NULL, &error));
    g_assert_nonnull (error);
  }
}

/* Stopped before or while it is written, a report leaves the file that
 * was there as it was, and nothing beside it. */
static void
test_write_file_cancelled (Fixture       *f,
                           gconstpointer  data)
{
  static const PqReportFormat formats[] = {
    PQ_REPORT_FORMAT_TEXT, PQ_REPORT_FORMAT_CSV, PQ_REPORT_FORMAT_CSV_FINDINGS,
    PQ_REPORT_FORMAT_JSON, PQ_REPORT_FORMAT_HTML,
  };
  g_autofree char *path = g_build_filename (f->dir, "report", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_file_set_contents (path, "old contents", -1, NULL);
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      g_autofree char *contents = NULL;

      g_assert_false (pq_report_write_file (f->report, file, formats[i], cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      assert_contains (error->message, "Stopped before");
      assert_contains (error->message, path);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old contents");
      dir = g_dir_open (f->dir, 0, NULL);
      g_assert_cmpstr (g_dir_read_name (dir), ==, "report");
      g_assert_null (g_dir_read_name (dir));
    }
  /* The writers themselves stop and give nothing. */
  g_assert_null (pq_report_to_json_cancellable (f->report, cancellable));
  g_assert_null (pq_report_to_html_cancellable (f->report, cancellable));
  g_assert_null (pq_report_to_text_cancellable (f->report, cancellable));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/pq/writers/text", test_text);
  ADD ("/pq/writers/text-cancelled", test_text_cancelled);
  ADD ("/pq/writers/error-row", test_error_row);
  g_test_add_func ("/pq/writers/csv-cell", test_csv_cell);
  ADD ("/pq/writers/csv", test_csv);
  g_test_add_func ("/pq/writers/html-escaped", test_html_escaped);
  ADD ("/pq/writers/html", test_html);
  g_test_add_func ("/pq/writers/format-for-path", test_format_for_path);
  ADD ("/pq/writers/write-file", test_write_file);
  ADD ("/pq/writers/write-file-cancelled", test_write_file_cancelled);

#undef ADD

  return g_test_run ();
}
