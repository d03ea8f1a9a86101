/* test-window-stop.c: the window's Stop in every phase it can reach, an
 * error row, and a soak of twenty queries in one window
 *
 * Run by run-test-window.sh inside the client namespace of the rig
 * (tests/lib/rig-up.sh): 10.200.77.2 answers on 53/tcp (dnsmasq), drops
 * 8081 and resets everything else. Name lookups go to a test resolver
 * installed as GLib's default, which plays a DNS server that never answers
 * (it blocks as getaddrinfo does, whatever the cancellable says). A TCP
 * service on 127.0.0.1:25 of the namespace accepts and then never says a
 * word, so the SMTP query waits. Stop must leave the window idle within
 * 200 ms in each phase. The window is window-fixture.c's: 8081 FILTERED
 * after one 300 ms try. A datagram too big to send shows as an error row.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pq-application.h"
#include "pq-window-private.h"
#include "test-resolver.h"
#include "window-fixture.h"

#define SERVER "10.200.77.2"
#define SILENT_NAME "silent.test"
#define STOP_WITHIN_US (200 * 1000)

static PqApplication *app;
static PqWindow *window;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static gpointer
template_child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name);
}

static void
start_query (const char *target,
             const char *ports,
             guint       protocol_position)
{
  gtk_editable_set_text (GTK_EDITABLE (template_child ("target_entry")), target);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (template_child ("ports_radio")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (template_child ("ports_entry")), ports);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child ("protocol_dropdown")), protocol_position);
  g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
  g_assert_true (pq_window_get_busy (window));
}

/* Presses Stop @after_ms into the query; the window must be idle again
 * within 200 ms, ready for the next query. */
static void
stop_after (guint after_ms)
{
  gint64 pressed;

  window_fixture_spin (after_ms);
  g_assert_true (pq_window_get_busy (window));
  pressed = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  g_assert_true (window_fixture_run_until_idle (window, 5));
  g_test_message ("idle %.1f ms after Stop", (g_get_monotonic_time () - pressed) / 1e3);
  g_assert_cmpint (g_get_monotonic_time () - pressed, <, STOP_WITHIN_US);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));
}

/* ------------------------------------------------------------------ */
/* Stop in each phase                                                  */

static void
test_stop_resolving (void)
{
  start_query (SILENT_NAME, "53", 0);
  stop_after (300);
  g_assert_null (pq_window_get_report (window));
}

static void
test_stop_reverse_lookup (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

  g_settings_set_boolean (settings, "reverse-lookup", TRUE);
  start_query (SERVER, "53", 0);
  stop_after (300);
  g_settings_set_boolean (settings, "reverse-lookup", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, 0);
}

static void
test_stop_scanning (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

  /* Two ports in flight: every port, 8081 dropped among them, takes far
   * longer than the pause before Stop. */
  g_settings_set_uint (settings, "ports-in-flight", 2);
  start_query (SERVER, "8070-8090,1-65535", 2);
  stop_after (300);
  g_settings_reset (settings, "ports-in-flight");
  g_assert_true (pq_report_get_cancelled (pq_window_get_report (window)));
  g_assert_nonnull (strstr (gtk_label_get_text (template_child ("summary_label")), "stopped"));
}

static gboolean
hold_cb (GSocketService    *service,
         GSocketConnection *connection,
         GObject           *source,
         gpointer           data)
{
  /* Kept open and silent until the test ends. */
  g_ptr_array_add (data, g_object_ref (connection));
  return TRUE;
}

static void
test_stop_protocol_query (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 25);
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_cb), held);

  /* 25 is "smtp": after the handshake the SMTP query waits 5 s for the
   * greeting that never comes. */
  start_query ("127.0.0.1", "25", 0);
  window_fixture_spin (300);
  g_assert_cmpuint (held->len, ==, 1);
  stop_after (0);
  g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, 0);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* ------------------------------------------------------------------ */
/* A port that cannot be queried from here                             */

/* A 70,000-byte SNMP community makes the datagram too big to send: the
 * port is an error row, counted and explained apart, never a state. */
static void
test_error_row (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *community = g_strnfill (70000, 'x');
  g_autoptr(PqResult) result = NULL;

  g_settings_set_string (settings, "snmp-community", community);
  start_query ("127.0.0.1", "161", 1);
  g_assert_true (window_fixture_run_until_idle (window, 10));
  g_settings_reset (settings, "snmp-community");

  g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, 1);
  result = g_list_model_get_item (pq_window_get_results (window), 0);
  g_assert_cmpint (pq_result_get_state (result), ==, PQ_PORT_STATE_ERROR);
  g_assert_nonnull (strstr (pq_result_get_evidence (result), "Message too long"));
  g_assert_cmpstr (gtk_label_get_text (template_child ("summary_label")), ==, "1 could not be queried");
  g_assert_nonnull (strstr (gtk_label_get_text (template_child ("explain_label")),
                            "could not be sent from this computer"));
  g_assert_cmpint (pq_report_get_exit_code (pq_window_get_report (window)), ==, PQ_EXIT_ERROR);
}

/* ------------------------------------------------------------------ */
/* Soak                                                                */

/* Returns: the resident memory in kB, as /proc/self/status says */
static guint64
resident_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static guint
open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the one g_dir_open holds */
}

/* Twenty queries in one window, the full range every fifth: after the
 * first, memory grows at most 10 MB and no descriptor is left behind. */
static void
test_soak (void)
{
  guint64 rss_first = 0;
  guint fds_first = 0;

#ifdef __SANITIZE_ADDRESS__
  g_test_skip ("AddressSanitizer's shadow memory and quarantine make RSS meaningless");
  return;
#endif
  for (guint i = 0; i < 20; i++)
    {
      gboolean full = i % 5 == 0;

      start_query (SERVER, full ? "1-65535" : "1-1024,8081", full ? 0 : 2);
      g_assert_true (window_fixture_run_until_idle (window, 120));
      g_assert_nonnull (pq_window_get_report (window));
      g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==,
                        full ? 65535 : 2 * 1025);
      window_fixture_spin (100);   /* let the view settle */
      if (i == 0)
        {
          rss_first = resident_kb ();
          fds_first = open_descriptors ();
        }
      g_test_message ("query %u: RSS %" G_GUINT64_FORMAT " kB, %u descriptors",
                      i + 1, resident_kb (), open_descriptors ());
    }
  g_assert_cmpuint (resident_kb (), <=, rss_first + 10 * 1024);
  g_assert_cmpuint (open_descriptors (), <=, fds_first);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TestResolver) resolver = test_resolver_new ();
  g_autofree char *tmpdir = window_fixture_init (&argc, &argv);
  int status;

  /* A DNS server that never answers: SILENT_NAME and every reverse
   * lookup wait for it; other names are not found. */
  test_resolver_add_silent_name (resolver, SILENT_NAME);
  test_resolver_set_silent_reverse (resolver, TRUE);
  g_resolver_set_default (G_RESOLVER (resolver));
  window = window_fixture_open ("io.github.portquery.PortQuery.StopTest", &app);

  g_test_add_func ("/app/window/stop-resolving", test_stop_resolving);
  g_test_add_func ("/app/window/stop-reverse-lookup", test_stop_reverse_lookup);
  g_test_add_func ("/app/window/stop-scanning", test_stop_scanning);
  g_test_add_func ("/app/window/stop-protocol-query", test_stop_protocol_query);
  g_test_add_func ("/app/window/error-row", test_error_row);
  g_test_add_func ("/app/window/soak", test_soak);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  return status;
}
