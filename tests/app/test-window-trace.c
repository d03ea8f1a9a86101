/* test-window-trace.c: "Where is it blocked?" in the window, on a routed
 * path of namespaces (tests/lib/trace-path.sh):
 *   client 10.213.1.1 -- .1.254 R1 .2.1 -- .2.2 R2 .3.254 -- 10.213.3.2 host
 * 7002 is dropped in R1's forward chain, 7003 rejected admin-prohibited
 * by R2, 7001 dropped at the host, 7004 closed, 7006 open.
 *
 * Run by run-test-window-trace.sh inside the client namespace, as the
 * other window tests run (root; the trace itself needs no privileges:
 * tests/integration/test-trace.sh traces as nobody). The button is pressed
 * as a user does (gtk_widget_activate on the pane's own button, Stop's
 * own button), and what is checked is what the user reads: the verdict's
 * label, the hops, the progress line, the saved report.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pq-application.h"
#include "pq-results-view-private.h"
#include "pq-trace-pane.h"
#include "pq-window-private.h"
#include "window-fixture.h"

#define HOST "10.213.3.2"
/* A button activated from the keyboard clicks after GTK's 250 ms press;
 * the window must then be idle within 200 ms, as after a query's Stop. */
#define PRESS_MS 250
#define STOP_WITHIN_US ((PRESS_MS + 200) * 1000)

static PqApplication *app;
static PqWindow *window;
static char *tmpdir;

static gpointer
template_child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name);
}

/* Returns: (transfer none) (nullable): the visible button of @action */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
query_host (const char *host,
            const char *ports)
{
  gtk_editable_set_text (GTK_EDITABLE (template_child ("target_entry")), host);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (template_child ("ports_radio")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (template_child ("ports_entry")), ports);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (template_child ("protocol_dropdown")), 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
  g_assert_true (window_fixture_run_until_idle (window, 20));
}

static void
query (const char *ports)
{
  query_host (HOST, ports);
}

/* Returns: (transfer none): the row of TCP @port */
static PqResult *
result_of (guint port)
{
  GListModel *results = pq_window_get_results (window);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);

      if (pq_result_get_port (result) == port)
        return result;   /* the list keeps it */
    }
  g_error ("no row for port %u", port);
}

/* Opens @port's pane as its row's arrow does. Returns: its trace part */
static PqTracePane *
open_pane (guint port)
{
  PqResultsView *view = template_child ("results_view");
  PqFindingsPane *pane = _pq_results_view_get_pane (view);

  pq_results_view_open (view, result_of (port));
  g_assert_true (pq_findings_pane_get_result (pane) == result_of (port));
  return PQ_TRACE_PANE (pq_findings_pane_get_trace (pane));
}

/* The visible labels' text under @widget, in order: "|a|b|" */
static void
append_text (GtkWidget *widget,
             GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_text (child, text);
}

static GString *
visible_text (GtkWidget *widget)
{
  GString *text = g_string_new ("|");

  append_text (widget, text);
  return text;
}

static const char *
verdict_of (PqTracePane *trace)
{
  GtkLabel *verdict = pq_trace_pane_get_verdict (trace);

  return gtk_widget_get_visible (GTK_WIDGET (verdict)) ? gtk_label_get_text (verdict) : NULL;
}

/* The button of a dropped port, pressed: progress while it runs, then
 * the verdict that names the router that dropped it, and the hops. */
static void
test_trace_port (void)
{
  PqTracePane *trace;
  GtkWidget *button;
  const char *progress;
  g_autoptr(GString) text = NULL;

  query ("7006,7004,7002,7003");
  g_assert_cmpint (pq_result_get_state (result_of (7002)), ==, PQ_PORT_STATE_FILTERED);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "trace-all"));
  /* A listening port is not offered the trace. */
  trace = open_pane (7006);
  g_assert_false (gtk_widget_get_visible (pq_trace_pane_get_button (trace)));

  trace = open_pane (7002);
  button = pq_trace_pane_get_button (trace);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_null (verdict_of (trace));
  gtk_widget_activate (button);
  window_fixture_spin (PRESS_MS + 100);
  g_assert_true (pq_window_get_busy (window));
  g_assert_true (gtk_revealer_get_reveal_child (template_child ("progress_revealer")));
  window_fixture_spin (1500);
  progress = gtk_label_get_text (template_child ("progress_label"));
  g_test_message ("progress: %s", progress);
  g_assert_true (g_str_has_prefix (progress, "Tracing TCP 7002"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));

  g_assert_true (window_fixture_run_until_idle (window, 30));
  g_assert_false (gtk_revealer_get_reveal_child (template_child ("progress_revealer")));
  g_assert_cmpstr (verdict_of (trace), ==,
                   "Blocked after hop 1 (10.213.1.254): hop 2 answers for other ports "
                   "but never saw these packets");
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_nonnull (pq_result_get_trace (result_of (7002)));
  /* The hops as the table shows them, row by row, then the distance. */
  text = visible_text (GTK_WIDGET (trace));
  g_test_message ("pane: %s", text->str);
  g_assert_nonnull (strstr (text->str, "|TTL|Address|Answer|1|10.213.1.254|time exceeded|2|—|no answer|"));
  g_assert_true (g_str_has_suffix (text->str, "|Host distance: 3 hops|"));
  /* The other ports wait for their own button, or for the menu. */
  g_assert_null (pq_result_get_trace (result_of (7003)));
}

/* The menu's "Where Are They Blocked?": every port not listening that
 * has no trace yet; R2's refusal names R2. */
static void
test_trace_all (void)
{
  PqTracePane *trace;

  GtkTextBuffer *buffer = gtk_text_view_get_buffer (template_child ("text_view"));
  g_autofree char *shown = NULL;
  GtkTextIter start, end;
  const char *progress;

  /* The Text view shown while the traces run: it follows them. */
  gtk_toggle_button_set_active (template_child ("text_toggle"), TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "trace-all", NULL);
  g_assert_true (pq_window_get_busy (window));
  window_fixture_spin (300);
  progress = gtk_label_get_text (template_child ("progress_label"));
  g_test_message ("progress: %s", progress);
  /* 7004 and 7003, each a few waves: the first may be over already. */
  g_assert_true (g_str_has_prefix (progress, "Tracing TCP 700"));
  g_assert_true (g_str_has_suffix (progress, "(port 1 of 2)") || g_str_has_suffix (progress, "(port 2 of 2)"));
  g_assert_true (window_fixture_run_until_idle (window, 40));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (shown, "    Path trace: refused at hop 2 (10.213.2.2), which answers administratively prohibited\n"));
  g_assert_nonnull (strstr (shown, "    Path trace: blocked after hop 1 (10.213.1.254)"));
  gtk_toggle_button_set_active (template_child ("table_toggle"), TRUE);
  trace = open_pane (7003);
  g_assert_cmpstr (verdict_of (trace), ==,
                   "Refused at hop 2 (10.213.2.2), which answers administratively prohibited");
  trace = open_pane (7004);
  g_assert_cmpstr (verdict_of (trace), ==,
                   "Reaches the host (3 hops), which answers that nothing listens on this port");
  g_assert_null (pq_result_get_trace (result_of (7006)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "trace-all"));
}

static void
on_file_done (PqWindow   *win,
              GFile      *file,
              const char *error,
              gboolean   *done)
{
  g_assert_null (error);
  *done = TRUE;
}

/* Save keeps the traces: the report's "trace" of each traced port. */
static void
test_trace_saved (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "traced.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gulong id = g_signal_connect (window, "file-done", G_CALLBACK (on_file_done), &done);
  JsonArray *results;
  guint traced = 0;

  _pq_window_save_file (window, file);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (window, id);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      if (!json_object_has_member (r, "trace"))
        continue;
      traced++;
      if (json_object_get_int_member (r, "port") == 7002)
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "trace"), "verdict"),
                         ==, "blocked after hop 1 (10.213.1.254): hop 2 answers for other ports "
                             "but never saw these packets");
    }
  g_assert_cmpuint (traced, ==, 3);
}

/* Every export shows the traces: the verdict and the hops. */
static void
test_trace_exported (void)
{
  static const char * const names[] = { "traced.txt", "traced.csv", "traced.html" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      gboolean done = FALSE;
      gulong id = g_signal_connect (window, "file-done", G_CALLBACK (on_file_done), &done);

      _pq_window_export_file (window, file, -1);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (window, id);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_test_message ("%s", names[i]);
      g_assert_nonnull (strstr (contents, "blocked after hop 1 (10.213.1.254): hop 2 answers for other ports"));
      g_assert_nonnull (strstr (contents, "refused at hop 2 (10.213.2.2), which answers administratively prohibited"));
      g_assert_nonnull (strstr (contents, "10.213.1.254 (time exceeded)"));
    }
}

/* Stop (its button; Escape is its shortcut) during a trace: the window
 * is idle at once, nothing is stored, and the button is offered again. */
static void
test_trace_stop (void)
{
  PqTracePane *trace;
  gint64 pressed;

  query ("7001,7004");
  trace = open_pane (7001);
  gtk_widget_activate (pq_trace_pane_get_button (trace));
  window_fixture_spin (1200);
  g_assert_true (pq_window_get_busy (window));
  pressed = g_get_monotonic_time ();
  gtk_widget_activate (find_button (GTK_WIDGET (window), "win.stop"));
  g_assert_true (window_fixture_run_until_idle (window, 5));
  g_test_message ("idle %.1f ms after Stop", (g_get_monotonic_time () - pressed) / 1e3);
  g_assert_cmpint (g_get_monotonic_time () - pressed, <, STOP_WITHIN_US);
  g_assert_false (gtk_revealer_get_reveal_child (template_child ("progress_revealer")));
  /* The tracer's wave still in the air ends without a trace landing. */
  window_fixture_spin (1500);
  g_assert_null (pq_result_get_trace (result_of (7001)));
  g_assert_true (gtk_widget_get_visible (pq_trace_pane_get_button (trace)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "trace-port"));
}

/* IPv6: the hop limit, ICMPv6, and the verdict names R1's IPv6 address. */
static void
test_trace_ipv6 (void)
{
  PqTracePane *trace;

  query_host ("fd00:213:3::2", "7004,7002");
  trace = open_pane (7002);
  gtk_widget_activate (pq_trace_pane_get_button (trace));
  window_fixture_spin (PRESS_MS + 100);
  g_assert_true (window_fixture_run_until_idle (window, 30));
  g_assert_cmpstr (verdict_of (trace), ==,
                   "Blocked after hop 1 (fd00:213:1::fe): hop 2 answers for other ports "
                   "but never saw these packets");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmpdir = window_fixture_init (&argc, &argv);
  window = window_fixture_open ("io.github.portquery.PortQuery.TraceTest", &app);

  g_test_add_func ("/app/window/trace-port", test_trace_port);
  g_test_add_func ("/app/window/trace-all", test_trace_all);
  g_test_add_func ("/app/window/trace-saved", test_trace_saved);
  g_test_add_func ("/app/window/trace-exported", test_trace_exported);
  g_test_add_func ("/app/window/trace-stop", test_trace_stop);
  g_test_add_func ("/app/window/trace-ipv6", test_trace_ipv6);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_free (tmpdir);
  return status;
}
