/* test-scanner-loopback.c: the real scan engine on loopback ports this test opened
 *
 * Every port scanned here is one the test bound itself a moment before: a
 * TCP listener, a UDP socket that echoes, a UDP socket that never answers,
 * and ports bound and closed again just before the scan. No other port of
 * the loopback interface, and no other address, is ever queried.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pq-error.h"
#include "pq-report-text.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "pq-writers-private.h"
#include "pq-scanner.h"
#include "pq-services.h"
#include "loopback-servers.h"

/* A scan of a few loopback ports takes milliseconds; this is a hang. */
#define SCAN_LIMIT_S 60

/* ------------------------------------------------------------------ */
/* Running a scan                                                      */

typedef struct
{
  GPtrArray    *results;          /* PqResult, in the order they came */
  guint         progress_calls;
  guint         last_done;
  guint         last_total;
  gboolean      progress_went_back;
  gboolean      wrong_thread;
  GThread      *thread;
  GAsyncResult *async_result;
  guint         results_at_finish;
  gboolean      timed_out;
} Scan;

static void
result_cb (PqScanner *scanner,
           PqResult  *result,
           Scan      *scan)
{
  if (g_thread_self () != scan->thread)
    scan->wrong_thread = TRUE;
  g_ptr_array_add (scan->results, g_object_ref (result));
}

static void
progress_cb (PqScanner *scanner,
             guint      done,
             guint      total,
             Scan      *scan)
{
  if (g_thread_self () != scan->thread)
    scan->wrong_thread = TRUE;
  if (done < scan->last_done || (scan->progress_calls > 0 && total != scan->last_total))
    scan->progress_went_back = TRUE;
  scan->progress_calls++;
  scan->last_done = done;
  scan->last_total = total;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  Scan *scan = data;

  scan->results_at_finish = scan->results->len;
  scan->async_result = g_object_ref (result);
}

static gboolean
scan_timeout_cb (gpointer data)
{
  Scan *scan = data;

  scan->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->results, g_ptr_array_unref);
  g_clear_object (&scan->async_result);
}

/* Scans @ports of @address and waits for the end. */
static gboolean
run_scan (PqScanner     *scanner,
          GInetAddress  *address,
          GArray        *ports,
          PqProtocols    protocols,
          GCancellable  *cancellable,
          Scan          *scan,
          GError       **error)
{
  gulong result_id, progress_id;
  guint timeout_id;
  gboolean ok;

  memset (scan, 0, sizeof *scan);
  scan->results = g_ptr_array_new_with_free_func (g_object_unref);
  scan->thread = g_thread_self ();

  result_id = g_signal_connect (scanner, "result", G_CALLBACK (result_cb), scan);
  progress_id = g_signal_connect (scanner, "progress", G_CALLBACK (progress_cb), scan);
  timeout_id = g_timeout_add_seconds (SCAN_LIMIT_S, scan_timeout_cb, scan);

  pq_scanner_scan_async (scanner, address, 0, ports, protocols, cancellable, scan_done_cb, scan);
  while (scan->async_result == NULL && !scan->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (scan->timed_out)
    g_error ("the scan did not finish in %u s", SCAN_LIMIT_S);
  g_source_remove (timeout_id);

  g_signal_handler_disconnect (scanner, result_id);
  g_signal_handler_disconnect (scanner, progress_id);

  ok = pq_scanner_scan_finish (scanner, scan->async_result, error);
  g_assert_false (scan->wrong_thread);
  /* Every decided port is handed over before the scan says it is done. */
  g_assert_cmpuint (scan->results_at_finish, ==, scan->results->len);
  g_assert_false (scan->progress_went_back);
  return ok;
}

static PqResult *
find_result (Scan       *scan,
             guint16     port,
             PqProtocol  protocol)
{
  PqResult *found = NULL;

  for (guint i = 0; i < scan->results->len; i++)
    {
      PqResult *r = g_ptr_array_index (scan->results, i);

      if (pq_result_get_port (r) != port || pq_result_get_protocol (r) != protocol)
        continue;
      if (found != NULL)
        g_error ("%s port %u was reported twice", pq_protocol_to_string (protocol), port);
      found = r;
    }
  if (found == NULL)
    g_error ("%s port %u was not reported", pq_protocol_to_string (protocol), port);
  return found;
}

/* Every port reported once, and progress reached the total. */
static void
assert_complete (Scan  *scan,
                 guint  total)
{
  g_assert_cmpuint (scan->results->len, ==, total);
  g_assert_cmpuint (scan->progress_calls, >=, 1);
  g_assert_cmpuint (scan->last_done, ==, total);
  g_assert_cmpuint (scan->last_total, ==, total);
}

static PqScanner *
make_scanner_full (guint    udp_wait_ms,
                   guint    udp_tries,
                   gboolean adaptive)
{
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  PqScanOptions options;

  pq_scan_options_init (&options);
  options.tcp_timeout_ms = 5000;
  options.udp_wait_ms = udp_wait_ms;
  options.udp_tries = udp_tries;
  options.adaptive = adaptive;
  g_assert_true (pq_scan_options_validate (&options, NULL));
  return pq_scanner_new (services, &options);
}

static PqScanner *
make_scanner (guint udp_wait_ms,
              guint udp_tries)
{
  return make_scanner_full (udp_wait_ms, udp_tries, TRUE);
}

/* Ports up to a 0; guint, as variadic arguments are promoted. */
static GArray *
ports_of (guint first,
          ...)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  va_list ap;

  va_start (ap, first);
  for (guint port = first; port != 0; port = va_arg (ap, guint))
    {
      guint16 p = (guint16) port;
      g_array_append_val (ports, p);
    }
  va_end (ap);
  return ports;
}

static void
assert_local_address (Servers  *s,
                      PqResult *r)
{
  const char *local = pq_result_get_local_address (r);
  g_autofree char *prefix = s->family == G_SOCKET_FAMILY_IPV6 ? g_strdup ("[::1]:")
                                                              : g_strdup ("127.0.0.1:");

  g_test_message ("%s port %u: local address %s", pq_protocol_to_string (pq_result_get_protocol (r)),
                  pq_result_get_port (r), local ? local : "(none)");
  g_assert_nonnull (local);
  g_assert_true (g_str_has_prefix (local, prefix));
  g_assert_cmpstr (local + strlen (prefix), !=, "0");
}

static void
assert_evidence (PqResult   *r,
                 const char *must_mention)
{
  const char *evidence = pq_result_get_evidence (r);

  g_test_message ("%s port %u: %s — %s", pq_protocol_to_string (pq_result_get_protocol (r)),
                  pq_result_get_port (r), pq_port_state_to_string (pq_result_get_state (r)),
                  evidence ? evidence : "(no evidence)");
  g_assert_nonnull (evidence);
  g_assert_cmpuint (strlen (evidence), >, 10);
  if (must_mention != NULL && strstr (evidence, must_mention) == NULL)
    g_error ("evidence “%s” does not mention “%s”", evidence, must_mention);
}

static void
assert_tcp_open (Servers  *s,
                 PqResult *r)
{
  g_autofree char *loopback = servers_loopback_string (s);

  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (r)), ==, "LISTENING");
  g_assert_cmpstr (pq_reason_to_nick (pq_result_get_reason (r)), ==, "syn-ack");
  g_assert_cmpstr (pq_result_get_address (r), ==, loopback);
  g_assert_cmpstr (pq_result_get_reply_from (r), ==, loopback);
  g_assert_cmpuint (pq_result_get_tries (r), ==, 1);
  g_assert_cmpfloat (pq_result_get_elapsed_ms (r), >=, 0.0);
  g_assert_cmpfloat (pq_result_get_elapsed_ms (r), <, 5000.0);
  g_assert_null (pq_result_get_service (r));
  assert_evidence (r, loopback);
  assert_evidence (r, "handshake");
  assert_local_address (s, r);
}

static void
assert_tcp_closed (Servers  *s,
                   PqResult *r)
{
  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (r)), ==, "NOT LISTENING");
  /* A port in this host's ephemeral range can meet the scanner's own
   * socket (simultaneous open); that too is no listener. */
  g_assert_true (pq_result_get_reason (r) == PQ_REASON_RESET ||
                 pq_result_get_reason (r) == PQ_REASON_SELF_CONNECT);
  if (pq_result_get_reason (r) == PQ_REASON_RESET)
    assert_evidence (r, "reset");
  g_test_message ("TCP port %u: local address %s", pq_result_get_port (r),
                  pq_result_get_local_address (r) ? pq_result_get_local_address (r) : "(none)");
}

static void
assert_udp_open (Servers  *s,
                 PqResult *r)
{
  g_autofree char *loopback = servers_loopback_string (s);

  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (r)), ==, "LISTENING");
  g_assert_cmpstr (pq_reason_to_nick (pq_result_get_reason (r)), ==, "udp-response");
  g_assert_cmpstr (pq_result_get_reply_from (r), ==, loopback);
  g_assert_cmpuint (pq_result_get_bytes_received (r), ==, 5);   /* "echo:" */
  g_assert_cmpuint (pq_result_get_tries (r), ==, 1);
  assert_evidence (r, "5 bytes");
  assert_local_address (s, r);
}

static void
assert_udp_closed (Servers  *s,
                   PqResult *r)
{
  g_autofree char *loopback = servers_loopback_string (s);

  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (r)), ==, "NOT LISTENING");
  g_assert_cmpstr (pq_reason_to_nick (pq_result_get_reason (r)), ==, "port-unreach");
  /* The kernel's ICMP port unreachable, from the target itself. */
  g_assert_cmpstr (pq_result_get_reply_from (r), ==, loopback);
  if (s->family == G_SOCKET_FAMILY_IPV6)
    {
      g_assert_cmpint (pq_result_get_icmp_type (r), ==, 1);
      g_assert_cmpint (pq_result_get_icmp_code (r), ==, 4);
    }
  else
    {
      g_assert_cmpint (pq_result_get_icmp_type (r), ==, 3);
      g_assert_cmpint (pq_result_get_icmp_code (r), ==, 3);
    }
  assert_evidence (r, "port unreachable");
  assert_evidence (r, "from the target");
  assert_local_address (s, r);
}

/* The listener saw the handshake (the scan reached the right port). */
static void
wait_for_accept (Servers *s)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (s->accepted == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (s->accepted, >=, 1);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_tcp (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  Scan scan;

  if (!servers_start (&s, family))
    return;
  scanner = make_scanner (2000, 2);
  ports = ports_of (s.open_port, s.closed_port, 0);

  g_assert_true (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_TCP, NULL, &scan, &error));
  g_assert_no_error (error);
  assert_complete (&scan, 2);
  assert_tcp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_TCP));
  assert_tcp_closed (&s, find_result (&scan, s.closed_port, PQ_PROTOCOL_TCP));
  wait_for_accept (&s);
  g_assert_cmpuint (s.echoed, ==, 0);

  scan_clear (&scan);
  servers_stop (&s);
}

static void
test_udp (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  Scan scan;

  if (!servers_start (&s, family))
    return;
  scanner = make_scanner (3000, 2);
  ports = ports_of (s.open_port, s.closed_port, 0);

  g_assert_true (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_UDP, NULL, &scan, &error));
  g_assert_no_error (error);
  assert_complete (&scan, 2);
  assert_udp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_UDP));
  assert_udp_closed (&s, find_result (&scan, s.closed_port, PQ_PROTOCOL_UDP));
  g_assert_cmpuint (s.echoed, >=, 1);
  g_assert_cmpuint (s.accepted, ==, 0);

  scan_clear (&scan);
  servers_stop (&s);
}

static void
test_both (void)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(PqReport) report = NULL;
  g_autofree char *summary = NULL;
  Scan scan;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  scanner = make_scanner (3000, 2);
  ports = ports_of (s.closed_port, s.open_port, 0);

  g_assert_true (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_BOTH, NULL, &scan, &error));
  g_assert_no_error (error);
  assert_complete (&scan, 4);
  assert_tcp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_TCP));
  assert_udp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_UDP));
  assert_tcp_closed (&s, find_result (&scan, s.closed_port, PQ_PROTOCOL_TCP));
  assert_udp_closed (&s, find_result (&scan, s.closed_port, PQ_PROTOCOL_UDP));
  wait_for_accept (&s);

  /* What portqry would print and exit with. */
  target = pq_target_new_parse ("127.0.0.1", &error);
  g_assert_no_error (error);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_BOTH, pq_scanner_get_options (scanner),
                          pq_services_get_source (pq_scanner_get_services (scanner)));
  for (guint i = 0; i < scan.results->len; i++)
    pq_report_add_result (report, g_ptr_array_index (scan.results, i));
  pq_report_finish (report, FALSE);
  summary = pq_report_summary (report);
  g_assert_cmpstr (summary, ==, "2 listening, 2 not listening");
  g_assert_cmpint (pq_report_get_exit_code (report), ==, PQ_EXIT_NOT_LISTENING);

  {
    g_autofree char *line = pq_text_result_line (find_result (&scan, s.open_port, PQ_PROTOCOL_UDP));
    g_autofree char *expected = g_strdup_printf ("UDP port %u (unknown service): LISTENING", s.open_port);

    g_assert_cmpstr (line, ==, expected);
  }

  scan_clear (&scan);
  servers_stop (&s);
}

/* One silent UDP port asked twice: LISTENING or FILTERED, after two
 * waits of @wait_text each, between @min_ms and @max_ms in all. */
static void
check_udp_silent (guint       udp_wait_ms,
                  gboolean    adaptive,
                  double      min_ms,
                  double      max_ms,
                  const char *wait_text)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  PqResult *r;
  Scan scan;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  scanner = make_scanner_full (udp_wait_ms, 2, adaptive);
  ports = ports_of (s.silent_port, 0);

  g_assert_true (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_UDP, NULL, &scan, &error));
  g_assert_no_error (error);
  assert_complete (&scan, 1);

  r = find_result (&scan, s.silent_port, PQ_PROTOCOL_UDP);
  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (r)), ==, "LISTENING or FILTERED");
  g_assert_cmpstr (pq_reason_to_nick (pq_result_get_reason (r)), ==, "no-response");
  g_assert_cmpuint (pq_result_get_tries (r), ==, 2);
  /* Measured from the first datagram. */
  g_assert_cmpfloat (pq_result_get_elapsed_ms (r), >=, min_ms);
  g_assert_cmpfloat (pq_result_get_elapsed_ms (r), <, max_ms);
  g_assert_null (pq_result_get_reply_from (r));
  assert_evidence (r, "2 datagrams");
  assert_evidence (r, wait_text);
  assert_local_address (&s, r);

  scan_clear (&scan);
  servers_stop (&s);
}

/* --fixed-timeout: the configured wait of 150 ms, whatever the round trip. */
static void
test_udp_silent (void)
{
  check_udp_silent (150, FALSE, 290.0, 5000.0, "150 ms");
}

/* Nothing else asked: on loopback the round trip is known to be nothing
 * (no packet leaves this computer), so each of the two datagrams waits the
 * floor of 100 ms, not the configured second. */
static void
test_udp_silent_learned (void)
{
  check_udp_silent (1000, TRUE, 190.0, 900.0, "100 ms");
}

static void
test_cancel_before_start (void)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Scan scan;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  scanner = make_scanner (10000, 2);
  ports = ports_of (s.silent_port, s.open_port, 0);

  g_cancellable_cancel (cancellable);
  g_assert_false (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_UDP, cancellable, &scan, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (scan.results->len, <=, 2);

  scan_clear (&scan);
  servers_stop (&s);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during (void)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start;
  double seconds;
  Scan scan;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  /* The silent port would take 2 × 10 s (fixed waits: the round trip
   * would cut them to 100 ms); the echo port answers at once. */
  scanner = make_scanner_full (10000, 2, FALSE);
  ports = ports_of (s.open_port, s.silent_port, 0);

  g_timeout_add (300, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_UDP, cancellable, &scan, &error));
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("cancelled scan ended after %.3f s", seconds);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (seconds, <, 5.0);
  /* The echo port was decided before the cancel; the silent one never was. */
  for (guint i = 0; i < scan.results->len; i++)
    g_assert_cmpuint (pq_result_get_port (g_ptr_array_index (scan.results, i)), !=, s.silent_port);
  assert_udp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_UDP));

  scan_clear (&scan);
  servers_stop (&s);
}

static void
slow_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  /* Another part of the program (a UI, say) reacting to the cancel. */
  g_usleep (300 * 1000);
}

static gboolean
cancel_with_slow_handler_cb (gpointer data)
{
  GCancellable *cancellable = data;

  /* Connected after the scan's own handler, so it runs after it, while
   * the scan's lane is already winding down. */
  g_signal_connect (cancellable, "cancelled", G_CALLBACK (slow_cancelled_cb), NULL);
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* The lane's wake-up source must be freed even when it is dropped while
 * the "cancelled" signal is still being emitted. Under LeakSanitizer a
 * lost GCancellableSource shows up as a 120-byte leak at exit. */
static void
test_cancel_with_slow_handler (void)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Scan scan;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  scanner = make_scanner_full (10000, 2, FALSE);   /* still waiting at the cancel */
  ports = ports_of (s.silent_port, 0);

  g_timeout_add (200, cancel_with_slow_handler_cb, cancellable);
  g_assert_false (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_UDP, cancellable, &scan, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (scan.results->len, ==, 0);

  scan_clear (&scan);
  servers_stop (&s);
}

static void
test_rescan (void)
{
  Servers s;
  g_autoptr(PqScanner) scanner = NULL;
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;
  scanner = make_scanner (2000, 1);
  ports = ports_of (s.open_port, s.closed_port, 0);

  /* One scanner, several scans one after the other, as the application. */
  for (guint i = 0; i < 3; i++)
    {
      Scan scan;

      g_assert_true (run_scan (scanner, s.loopback, ports, PQ_PROTOCOLS_TCP, NULL, &scan, &error));
      g_assert_no_error (error);
      assert_complete (&scan, 2);
      assert_tcp_open (&s, find_result (&scan, s.open_port, PQ_PROTOCOL_TCP));
      assert_tcp_closed (&s, find_result (&scan, s.closed_port, PQ_PROTOCOL_TCP));
      scan_clear (&scan);
    }

  servers_stop (&s);
}

static void
test_idle_scanner (void)
{
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqScanner) scanner = pq_scanner_new (services, NULL);
  g_autoptr(PqScanner) default_services = pq_scanner_new (NULL, NULL);
  const PqScanOptions *o = pq_scanner_get_options (scanner);

  /* Made and dropped without a scan; the defaults are the documented ones. */
  g_assert_cmpuint (o->tcp_timeout_ms, ==, PQ_DEFAULT_TCP_TIMEOUT_MS);
  g_assert_cmpuint (o->tcp_tries, ==, PQ_DEFAULT_TCP_TRIES);
  g_assert_cmpuint (o->udp_wait_ms, ==, PQ_DEFAULT_UDP_WAIT_MS);
  g_assert_cmpuint (o->udp_tries, ==, PQ_DEFAULT_UDP_TRIES);
  g_assert_cmpuint (o->window, ==, PQ_DEFAULT_WINDOW);
  g_assert_true (pq_scanner_get_services (scanner) == services);
  g_assert_nonnull (pq_scanner_get_services (default_services));
  g_assert_cmpuint (pq_scanner_get_effective_window (scanner), >=, 1);
  g_assert_cmpuint (pq_scanner_get_effective_window (scanner), <=, PQ_DEFAULT_WINDOW);
  g_assert_cmpuint (pq_fd_budget (), >=, 1);
}

static void
test_options_validate (void)
{
  PqScanOptions o;
  g_autoptr(GError) error = NULL;

  pq_scan_options_init (&o);
  g_assert_true (pq_scan_options_validate (&o, &error));
  g_assert_no_error (error);

  o.tcp_tries = 0;
  g_assert_false (pq_scan_options_validate (&o, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION);
  g_assert_nonnull (strstr (error->message, "1 to 10"));
  g_clear_error (&error);

  pq_scan_options_init (&o);
  o.udp_wait_ms = PQ_MAX_TIMEOUT_MS + 1;
  g_assert_false (pq_scan_options_validate (&o, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION);
  g_clear_error (&error);

  pq_scan_options_init (&o);
  o.window = 0;
  g_assert_false (pq_scan_options_validate (&o, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION);
}

static void
test_source_port_in_use (void)
{
  Servers s;
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  PqScanOptions options;
  const PqProtocols each[] = { PQ_PROTOCOLS_TCP, PQ_PROTOCOLS_UDP };

  if (!servers_start (&s, G_SOCKET_FAMILY_IPV4))
    return;

  /* Checked before any packet is sent: nothing is scanned here. */
  pq_scan_options_init (&options);
  options.source_port = s.open_port;
  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    {
      g_autoptr(PqScanner) scanner = pq_scanner_new (services, &options);
      g_autoptr(GError) error = NULL;
      g_autofree char *port = g_strdup_printf ("%u", s.open_port);

      g_assert_false (pq_scanner_check_source_port (scanner, G_SOCKET_FAMILY_IPV4, each[i], &error));
      g_assert_error (error, PQ_ERROR, PQ_ERROR_SOURCE_PORT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, port));
      g_assert_nonnull (strstr (error->message, "in use"));
      g_assert_nonnull (strstr (error->message, "-sp"));
    }

  {
    g_autoptr(PqScanner) scanner = NULL;

    options.source_port = 0;
    scanner = pq_scanner_new (services, &options);
    g_assert_true (pq_scanner_check_source_port (scanner, G_SOCKET_FAMILY_IPV4, PQ_PROTOCOLS_BOTH, NULL));
  }

  servers_stop (&s);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/pq/scanner/loopback/ipv4/tcp", GINT_TO_POINTER (G_SOCKET_FAMILY_IPV4), test_tcp);
  g_test_add_data_func ("/pq/scanner/loopback/ipv4/udp", GINT_TO_POINTER (G_SOCKET_FAMILY_IPV4), test_udp);
  g_test_add_data_func ("/pq/scanner/loopback/ipv6/tcp", GINT_TO_POINTER (G_SOCKET_FAMILY_IPV6), test_tcp);
  g_test_add_data_func ("/pq/scanner/loopback/ipv6/udp", GINT_TO_POINTER (G_SOCKET_FAMILY_IPV6), test_udp);
  g_test_add_func ("/pq/scanner/loopback/both", test_both);
  g_test_add_func ("/pq/scanner/loopback/udp-silent", test_udp_silent);
  g_test_add_func ("/pq/scanner/loopback/udp-silent-learned", test_udp_silent_learned);
  g_test_add_func ("/pq/scanner/loopback/rescan", test_rescan);
  g_test_add_func ("/pq/scanner/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/pq/scanner/cancel/during", test_cancel_during);
  g_test_add_func ("/pq/scanner/cancel/slow-handler", test_cancel_with_slow_handler);
  g_test_add_func ("/pq/scanner/idle", test_idle_scanner);
  g_test_add_func ("/pq/scanner/options-validate", test_options_validate);
  g_test_add_func ("/pq/scanner/source-port-in-use", test_source_port_in_use);

  return g_test_run ();
}
