/* test-window.c: the real window against a test host in a network namespace
 *
 * Run by run-test-window.sh inside the client namespace of the rig
 * (tests/lib/rig-up.sh): 10.200.77.2 answers on 53/tcp (dnsmasq), drops
 * 8081 and resets everything else. Needs a display (scripts/test.sh runs
 * the tests under xvfb-run).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pq-application.h"
#include "pq-checks.h"
#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-text.h"
#include "pq-results-view-private.h"
#include "pq-row-slots.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "pq-writers-private.h"
#include "pq-rules.h"
#include "pq-target.h"
#include "pq-window-private.h"
#include "window-fixture.h"

#define SERVER "10.200.77.2"

static PqApplication *app;
static PqWindow *window;
static char *tmpdir;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

typedef WindowFixtureCondition Condition;

/* Runs the main loop until @cond holds; fails after @seconds. */
#define wait_for window_fixture_wait

static gboolean
idle_cond (gpointer data)
{
  return !pq_window_get_busy (window);
}

static gboolean
flag_cond (gpointer data)
{
  return *(gboolean *) data;
}

static void
spin (guint ms)
{
  window_fixture_spin (ms);
}

static gpointer
child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name);
}

static void
set_text (const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (name)), text);
}

static const char *
label_text (const char *name)
{
  return gtk_label_get_text (GTK_LABEL (child (name)));
}

static void
query (const char *target,
       const char *ports,
       guint       protocol_position)
{
  set_text ("target_entry", target);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("ports_radio")), TRUE);
  set_text ("ports_entry", ports);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("protocol_dropdown")), protocol_position);
  g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
}

/* Returns: the protocol drop-down's choice, as the user reads it */
static const char *
selected_protocol (PqWindow *win)
{
  GObject *dropdown = gtk_widget_get_template_child (GTK_WIDGET (win), PQ_TYPE_WINDOW, "protocol_dropdown");

  return gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown)));
}

static PqResult *
find_result (GListModel *results,
             guint16     port,
             PqProtocol  protocol)
{
  guint n = g_list_model_get_n_items (results);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);

      if (pq_result_get_port (result) == port && pq_result_get_protocol (result) == protocol)
        return result;
    }
  return NULL;
}

typedef struct
{
  gboolean  done;
  char     *error;
  char     *path;
} FileWait;

static void
on_file_done (PqWindow   *win,
              GFile      *file,
              const char *error,
              FileWait   *wait)
{
  wait->done = TRUE;
  wait->error = g_strdup (error);
  wait->path = g_file_get_path (file);
}

/* Starts @op on the window as a file chooser would, waits for its end. */
static void
run_file_op (void     (*op) (PqWindow *, GFile *, int),
             GFile     *file,
             int        filter_format)
{
  FileWait wait = { FALSE, NULL, NULL };
  gulong id = g_signal_connect (window, "file-done", G_CALLBACK (on_file_done), &wait);

  op (window, file, filter_format);
  wait_for (flag_cond, &wait.done, 20, "a file to be written or read");
  g_signal_handler_disconnect (window, id);
  if (wait.error != NULL)
    g_error ("%s: %s", g_file_peek_path (file), wait.error);
  g_free (wait.path);
}

static void
export_op (PqWindow *win,
           GFile    *file,
           int       filter_format)
{
  _pq_window_export_file (win, file, filter_format);
}

static void
save_op (PqWindow *win,
         GFile    *file,
         int       filter_format)
{
  _pq_window_save_file (win, file);
}

static void
open_op (PqWindow *win,
         GFile    *file,
         int       filter_format)
{
  pq_window_open_file (win, file);
}

static char *
export_to (const char *name,
           int         filter_format,
           const char *expect_name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *expect = g_build_filename (tmpdir, expect_name ? expect_name : name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  run_file_op (export_op, file, filter_format);
  g_file_get_contents (expect, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Renders what the window shows into a PNG, as the compositor would see
 * it: the content on the window's background colour. (A paintable of the
 * toplevel itself draws nothing; its content does.) */
static gboolean dark_shots;

static void
save_screenshot (const char *path)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  int width = gtk_widget_get_width (content);
  int height = gtk_widget_get_height (content);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (content);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  GdkRGBA background = { 0.98f, 0.98f, 0.98f, 1.0f };
  GdkRGBA dark = { 0.14f, 0.14f, 0.14f, 1.0f };

  g_assert_cmpint (width, >, 0);
  gtk_snapshot_append_color (snapshot, dark_shots ? &dark : &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, width, height);
}

/* A button under @widget bound to @action with @target, toasts included. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action,
                    const char *target)
{
  GVariant *value;

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0 &&
      (value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget))) != NULL &&
      g_strcmp0 (g_variant_get_string (value, NULL), target) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, action, target);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint count_labels (GtkWidget *widget, const char *needle);
static guint count_exact_labels (GtkWidget *widget, const char *text);

/* Opens @result's pane as its arrow would. */
static gboolean
expand_result (PqResultsView *view,
               PqResult      *result)
{
  pq_results_view_open (view, result);
  return pq_results_view_get_open (view) == result &&
         pq_findings_pane_get_result (_pq_results_view_get_pane (view)) == result;
}

static void
collapse_all (PqResultsView *view)
{
  pq_results_view_close (view);
  g_assert_null (pq_results_view_get_open (view));
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_invalid_input (void)
{
  g_autoptr(GError) expected = NULL;
  g_autoptr(GArray) none = pq_ports_parse ("70000", &expected);

  g_assert_null (none);
  /* No query yet: no count beside the rows switch ("all 0 ports"). */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (child ("results_view"),
                                                                                 PQ_TYPE_RESULTS_VIEW,
                                                                                 "shown_label"))),
                   ==, "");
  query (SERVER, "70000", 0);
  g_assert_false (pq_window_get_busy (window));
  g_assert_true (gtk_widget_get_visible (child ("ports_error")));
  g_assert_true (gtk_widget_has_css_class (child ("ports_entry"), "error"));
  /* The core's message, which says what to type instead. */
  g_assert_cmpstr (label_text ("ports_error"), ==, expected->message);
  g_assert_false (gtk_widget_get_visible (child ("target_error")));

  /* Typing clears the mark. */
  set_text ("ports_entry", "53");
  g_assert_false (gtk_widget_get_visible (child ("ports_error")));
  g_assert_false (gtk_widget_has_css_class (child ("ports_entry"), "error"));

  g_clear_error (&expected);
  g_assert_null (pq_target_new_parse ("bad host!", &expected));
  query ("bad host!", "53", 0);
  g_assert_false (pq_window_get_busy (window));
  g_assert_true (gtk_widget_get_visible (child ("target_error")));
  g_assert_true (gtk_widget_has_css_class (child ("target_entry"), "error"));
  g_assert_cmpstr (label_text ("target_error"), ==, expected->message);
}

static void
test_unresolvable (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_auto(GStrv) recent = NULL;

  /* .invalid never resolves (RFC 6761): the reason shows beside the
   * Host field, once: no banner, no dialog. */
  query ("no-such-host.invalid", "53", 0);
  wait_for (idle_cond, NULL, 30, "the name lookup to fail");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));
  g_assert_true (gtk_widget_get_visible (child ("target_error")));
  g_assert_true (strstr (label_text ("target_error"), "no-such-host.invalid") != NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app))->next);
  /* Nothing ran: no host in the subtitle, none kept in Recent Hosts. */
  {
    const char *subtitle = adw_window_title_get_subtitle (child ("window_title"));

    g_assert_cmpstr (subtitle ? subtitle : "", ==, "");
  }
  recent = g_settings_get_strv (settings, "recent-targets");
  g_assert_false (g_strv_contains ((const char * const *) recent, "no-such-host.invalid"));

  /* The message goes once the host is being fixed. */
  set_text ("target_entry", SERVER);
  g_assert_false (gtk_widget_get_visible (child ("target_error")));
  g_assert_false (gtk_widget_has_css_class (child ("target_entry"), "error"));

  /* Without a host Query cannot be pressed. */
  set_text ("target_entry", "  ");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
  g_assert_false (gtk_widget_get_sensitive (child ("query_button")));
  set_text ("target_entry", SERVER);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
}

/* After a query ran, a host that does not resolve leaves its rows, its
 * subtitle and Recent Hosts as they were; Clear Recent Hosts empties. */
static void
test_failed_host_keeps_last (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *subtitle = g_strdup (adw_window_title_get_subtitle (child ("window_title")));
  g_autofree char *summary = g_strdup (label_text ("summary_label"));
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-targets");
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) cleared = NULL;

  g_assert_cmpstr (subtitle, ==, SERVER);
  g_assert_true (g_strv_contains ((const char * const *) recent, SERVER));
  query ("no-such-host.invalid", "1,53,8081,8082", 2);
  wait_for (idle_cond, NULL, 30, "the name lookup to fail");
  g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, 8);
  g_assert_cmpstr (adw_window_title_get_subtitle (child ("window_title")), ==, SERVER);
  g_assert_cmpstr (label_text ("summary_label"), ==, summary);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));
  g_assert_true (gtk_widget_get_visible (child ("target_error")));
  after = g_settings_get_strv (settings, "recent-targets");
  g_assert_cmpstrv (after, recent);

  /* The recent menu ends with Clear Recent Hosts, which empties it. */
  {
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child ("recent_button")));
    GMenuModel *last = g_menu_model_get_item_link (menu, g_menu_model_get_n_items (menu) - 1, G_MENU_LINK_SECTION);
    g_autofree char *action = NULL;

    g_menu_model_get_item_attribute (last, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action);
    g_assert_cmpstr (action, ==, "win.clear-recent");
    g_object_unref (last);
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "clear-recent", NULL);
  cleared = g_settings_get_strv (settings, "recent-targets");
  g_assert_cmpuint (g_strv_length (cleared), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (child ("recent_button")));
  /* Back as it was, for the tests that follow. */
  g_settings_set_strv (settings, "recent-targets", (const char * const *) recent);
  set_text ("target_entry", SERVER);
}

/* A web server on 127.0.0.1:80 of the client namespace: the HTTP probe
 * (port 80 is "http" in the services file) reads its status line and
 * Server header. With hostile_server set, the header carries markup, a
 * spreadsheet formula and terminal escapes. */
static gboolean hostile_server;

static gboolean
http_run_cb (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char request[2048];
  gsize have = 0;
  g_autofree char *response = NULL;

  while (have < sizeof request - 1)
    {
      gssize n = g_input_stream_read (in, request + have, sizeof request - 1 - have, NULL, NULL);

      if (n <= 0)
        break;
      have += n;
      request[have] = '\0';
      if (strstr (request, "\r\n\r\n") != NULL)
        break;
    }
  response = g_strdup_printf ("HTTP/1.0 200 OK\r\nServer: %s\r\nContent-Length: 0\r\n\r\n",
                              hostile_server ? "<script>alert(1)</script> =cmd|' /C calc'!A0 \x1b[31mRED\x1b[0m"
                                             : "PortQueryTest/1.0 (Debian)");
  g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
start_http_server (void)
{
  static GSocketService *service;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 80);
  g_autoptr(GError) error = NULL;

  if (service != NULL)
    return;
  service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (http_run_cb), NULL);
  g_socket_service_start (service);
}

static char *
screenshot_path (const char *name)
{
  const char *dir = g_getenv ("PQ_SCREENSHOT_DIR");

  return g_build_filename (dir ? dir : ".", name, NULL);
}

static PqDetail *
find_detail (GListModel *details,
             const char *text)
{
  guint n = g_list_model_get_n_items (details);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) detail = g_list_model_get_item (details, i);

      if (g_strrstr (pq_detail_get_value (detail) ? pq_detail_get_value (detail) : "", text) != NULL)
        return detail;
    }
  return NULL;
}

/* What the shortcut controller does when @keyval is pressed. */
static void
press_shortcut (GtkShortcutController *controller,
                guint                  keyval,
                GtkWidget             *widget)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

      if (GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
        {
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                       gtk_shortcut_get_arguments (shortcut)));
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_details (void)
{
  GListModel *results;
  PqResult *web;
  GListModel *shown;
  guint n_before;
  g_autofree char *shot = screenshot_path ("details.png");

  start_http_server ();
  hostile_server = FALSE;
  query ("127.0.0.1", "80,81", 0);
  wait_for (idle_cond, NULL, 30, "the loopback query to finish");

  results = pq_window_get_results (window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  web = find_result (results, 80, PQ_PROTOCOL_TCP);
  g_assert_nonnull (web);
  g_assert_cmpint (pq_result_get_state (web), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpint (pq_result_get_state (find_result (results, 81, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_NOT_LISTENING);
  g_assert_nonnull (find_detail (pq_result_get_details (web), "PortQueryTest/1.0"));

  /* The findings open in the pane, under the table; the table keeps its rows. */
  shown = _pq_results_view_get_shown_rows (child ("results_view"));
  n_before = g_list_model_get_n_items (shown);
  g_assert_cmpuint (n_before, ==, 2);
  g_assert_true (expand_result (child ("results_view"), web));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_before);
  spin (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_pq_results_view_get_pane (child ("results_view")))));
  g_assert_cmpuint (count_labels (GTK_WIDGET (_pq_results_view_get_pane (child ("results_view"))),
                                  "PortQueryTest/1.0"), >, 0);
  save_screenshot (shot);

  /* Left and Right on the selected row close and open its findings. */
  {
    GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (child ("results_view"), PQ_TYPE_RESULTS_VIEW,
                                                                 "column_view"));
    GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
    GtkShortcutController *shortcuts = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_SHORTCUT_CONTROLLER (controller) &&
            g_list_model_get_n_items (G_LIST_MODEL (controller)) == 8)
          shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
      }
    g_assert_nonnull (shortcuts);
    gtk_selection_model_select_item (selection, 0, TRUE);
    g_assert_true (pq_results_view_get_open (child ("results_view")) == web);
    press_shortcut (shortcuts, GDK_KEY_Left, view);
    g_assert_null (pq_results_view_get_open (child ("results_view")));
    press_shortcut (shortcuts, GDK_KEY_Right, view);
    g_assert_true (pq_results_view_get_open (child ("results_view")) == web);
  }
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_cond (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* While rows come, the line at the bottom counts exactly the rows
 * shown: never "no ports queried" above rows, never fewer. */
static void
on_rows_changed (GListModel *results,
                 guint       position,
                 guint       removed,
                 guint       added,
                 guint      *checks)
{
  const char *summary = label_text ("summary_label");
  guint n = g_list_model_get_n_items (results);
  guint counted = 0;

  g_assert_null (strstr (summary, "no ports"));
  for (const char *p = summary; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && (p == summary || !g_ascii_isdigit (p[-1])))
      counted += (guint) g_ascii_strtoull (p, NULL, 10);
  if (n == 0)
    g_assert_cmpstr (summary, ==, "Querying…");
  else
    g_assert_cmpuint (counted, ==, n);
  (*checks)++;
}

static void
test_query (void)
{
  guint live_checks = 0;
  GListModel *results;
  PqResult *dns, *dropped, *closed;
  GListModel *shown;
  g_autofree char *shot = screenshot_path ("main-window.png");
  g_autofree char *summary = NULL;

  query (SERVER, "1,53,8081,8082", 2);
  g_assert_true (pq_window_get_busy (window));
  g_signal_connect (pq_window_get_results (window), "items-changed", G_CALLBACK (on_rows_changed), &live_checks);
  wait_for (idle_cond, NULL, 60, "the query to finish");
  g_signal_handlers_disconnect_by_func (pq_window_get_results (window), on_rows_changed, &live_checks);
  g_assert_cmpuint (live_checks, >, 0);
  g_assert_cmpstr (adw_window_title_get_subtitle (child ("window_title")), ==, SERVER);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));

  results = pq_window_get_results (window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 8);
  dns = find_result (results, 53, PQ_PROTOCOL_TCP);
  dropped = find_result (results, 8081, PQ_PROTOCOL_TCP);
  closed = find_result (results, 1, PQ_PROTOCOL_TCP);
  g_assert_nonnull (dns);
  g_assert_nonnull (dropped);
  g_assert_nonnull (closed);
  g_assert_cmpint (pq_result_get_state (dns), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpint (pq_result_get_state (dropped), ==, PQ_PORT_STATE_FILTERED);
  g_assert_cmpint (pq_result_get_state (closed), ==, PQ_PORT_STATE_NOT_LISTENING);
  /* REJECT with admin-prohibited: filtered; ICMP port unreachable: not listening. */
  g_assert_cmpint (pq_result_get_state (find_result (results, 8082, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_FILTERED);
  g_assert_cmpint (pq_result_get_state (find_result (results, 1, PQ_PROTOCOL_UDP)), ==, PQ_PORT_STATE_NOT_LISTENING);

  /* What a person reads at the bottom: counts, then one sentence per state. */
  summary = pq_report_summary (pq_window_get_report (window));
  g_assert_cmpstr (label_text ("summary_label"), ==, summary);
  g_assert_nonnull (strstr (summary, "1 listening"));
  g_assert_nonnull (strstr (summary, "not listening"));
  g_assert_nonnull (strstr (summary, "filtered"));
  g_assert_nonnull (strstr (label_text ("explain_label"), pq_state_explain (PQ_PORT_STATE_FILTERED)));
  g_assert_nonnull (strstr (label_text ("explain_label"), pq_state_explain (PQ_PORT_STATE_LISTENING)));
  g_assert_nonnull (strstr (label_text ("explain_label"), pq_state_explain (PQ_PORT_STATE_NOT_LISTENING)));
  g_assert_cmpstr (label_text ("progress_label"), ==, "8 of 8 ports");

  /* For the picture: the findings of the DNS server open. */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);

      if (pq_result_get_port (result) == 53 && pq_result_get_protocol (result) == PQ_PROTOCOL_TCP &&
          g_list_model_get_n_items (pq_result_get_details (result)) > 0)
        g_assert_true (expand_result (child ("results_view"), result));
    }
  spin (500);
  save_screenshot (shot);
  collapse_all (child ("results_view"));

  /* Sorted by status; the open pane stays on its port. */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (child ("results_view"), PQ_TYPE_RESULTS_VIEW,
                                                                          "column_view"));
    GtkColumnViewColumn *status = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (child ("results_view"),
                                                                                          PQ_TYPE_RESULTS_VIEW,
                                                                                          "status_column"));
    GtkColumnViewColumn *port = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (child ("results_view"),
                                                                                        PQ_TYPE_RESULTS_VIEW,
                                                                                        "port_column"));
    GListModel *rows = _pq_results_view_get_shown_rows (child ("results_view"));
    int last_state = -1;

    g_assert_true (expand_result (child ("results_view"), dns));
    gtk_column_view_sort_by_column (view, status, GTK_SORT_DESCENDING);
    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(PqResult) item = g_list_model_get_item (rows, i);

        if (last_state >= 0)
          g_assert_cmpint (pq_result_get_state (item), <=, last_state);
        last_state = pq_result_get_state (item);
      }
    g_assert_true (pq_results_view_get_open (child ("results_view")) == dns);
    gtk_column_view_sort_by_column (view, port, GTK_SORT_ASCENDING);
    collapse_all (child ("results_view"));
  }

  /* Copy summary: the counts and PortQry's line for each port. */
  {
    g_autofree char *copied = NULL;
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));

    g_action_group_activate_action (G_ACTION_GROUP (window), "copy-summary", NULL);
    gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
    wait_for (pointer_cond, &copied, 10, "the clipboard");
    g_assert_nonnull (strstr (copied, "Port Query: " SERVER));
    g_assert_nonnull (strstr (copied, summary));
    g_assert_nonnull (strstr (copied, "TCP port 53 (domain service): LISTENING"));
    g_assert_nonnull (strstr (copied, "TCP port 8081"));
  }

  /* Problems hides 53, Listening shows only it, All brings every port back. */
  shown = _pq_results_view_get_shown_rows (child ("results_view"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 8);
  pq_results_view_set_show (child ("results_view"), PQ_SHOW_PROBLEMS);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 6);
  pq_results_view_set_show (child ("results_view"), PQ_SHOW_LISTENING);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);   /* DNS on TCP and UDP 53 */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (child ("results_view"),
                                                                                 PQ_TYPE_RESULTS_VIEW,
                                                                                 "shown_label"))),
                   ==, "Showing 2 of 8 ports");
  pq_results_view_set_show (child ("results_view"), PQ_SHOW_ALL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 8);

  /* The search filters on what is shown, the state included. */
  pq_results_view_set_search_text (child ("results_view"), "8081");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);

  /* The rows on screen say what is chosen (the table keeps its row
   * widgets and binds them again), and a selected port stays selected
   * as the rows around it come and go. */
  {
    GtkWidget *table = GTK_WIDGET (gtk_widget_get_template_child (child ("results_view"), PQ_TYPE_RESULTS_VIEW,
                                                                 "column_view"));
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (table)));
    g_autoptr(PqResult) filtered = g_list_model_get_item (shown, 1);
    g_autoptr(PqResult) selected = NULL;
    GtkWidget *titles = gtk_widget_get_first_child (table);

    /* The titles are column headers to GTK (AT-SPI reads "filler": see
     * test-atspi-results.py). */
    for (GtkWidget *t = gtk_widget_get_first_child (titles); t != NULL; t = gtk_widget_get_next_sibling (t))
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (t)), ==,
                       GTK_ACCESSIBLE_ROLE_COLUMN_HEADER);

    spin (200);
    g_assert_cmpuint (count_exact_labels (table, "8081"), ==, 2);
    g_assert_cmpuint (count_exact_labels (table, "53"), ==, 0);
    gtk_single_selection_set_selected (selection, 1);
    g_assert_true (pq_row_slots_unwrap (gtk_single_selection_get_selected_item (selection)) == filtered);
    pq_results_view_set_search_text (child ("results_view"), NULL);
    spin (200);
    g_assert_cmpuint (count_exact_labels (table, "53"), ==, 2);
    g_assert_cmpuint (count_exact_labels (table, "8081"), ==, 2);
    g_assert_true (pq_row_slots_unwrap (gtk_single_selection_get_selected_item (selection)) == filtered);
    selected = g_list_model_get_item (shown, gtk_single_selection_get_selected (selection));
    g_assert_true (selected == filtered);
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), >, 1);
    pq_results_view_set_show (child ("results_view"), PQ_SHOW_LISTENING);
    spin (200);
    g_assert_cmpuint (count_exact_labels (table, "8081"), ==, 0);
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
    pq_results_view_set_show (child ("results_view"), PQ_SHOW_ALL);
  }

}

static void
test_export (void)
{
  g_autofree char *text = export_to ("report.txt", -1, NULL);
  g_autofree char *csv = export_to ("report.csv", -1, NULL);
  g_autofree char *json = export_to ("report.json", -1, NULL);
  g_autofree char *html = export_to ("report.html", -1, NULL);
  g_autofree char *by_filter = export_to ("chosen-by-filter", PQ_REPORT_FORMAT_CSV, "chosen-by-filter.csv");
  /* The name proposed ends .html; the file type chosen is CSV. */
  g_autofree char *renamed = export_to ("proposed.html", PQ_REPORT_FORMAT_CSV, "proposed.csv");
  g_autofree char *html_path = g_build_filename (tmpdir, "proposed.html", NULL);

  /* PortQry's lines in the text, one row per port elsewhere. */
  g_assert_nonnull (strstr (text, "TCP port 53 (domain service): LISTENING"));
  g_assert_nonnull (strstr (text, "TCP port 8081"));
  g_assert_nonnull (strstr (text, "FILTERED"));
  g_assert_nonnull (strstr (csv, "8081"));
  g_assert_nonnull (strstr (csv, "NOT LISTENING"));
  g_assert_nonnull (strstr (json, "\"io.github.portquery.report/1\""));
  g_assert_nonnull (strstr (json, "\"" SERVER "\""));
  g_assert_nonnull (strstr (html, "<html"));
  g_assert_nonnull (strstr (html, "LISTENING"));
  /* The filter chose the format and the extension. */
  g_assert_cmpstr (by_filter, ==, csv);
  g_assert_cmpstr (renamed, ==, csv);
  g_assert_false (g_file_test (html_path, G_FILE_TEST_EXISTS));
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

static gboolean
no_chooser_cond (gpointer data)
{
  return find_file_chooser () == NULL;
}

/* The Export menu item opens a chooser (GTK's own dialog here: no portal
 * without a session bus) with one filter per format and a name made of
 * the host and the date; what it does with the chosen file is
 * _pq_window_export_file(), tested above. */
static void
test_export_dialog (void)
{
  GtkWidget *dialog;
  g_autoptr(GListModel) filters = NULL;
  g_autofree char *name = NULL;
  g_autofree char *expected_start = g_strdup_printf ("portquery-%s-", SERVER);

  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  dialog = find_file_chooser ();
  g_assert_nonnull (dialog);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 5);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_true (g_str_has_prefix (name, expected_start));
  g_assert_true (g_str_has_suffix (name, ".html"));

  /* Choosing another file type renames the name proposed. */
  {
    g_autoptr(GtkFileFilter) csv = g_list_model_get_item (filters, 2);
    g_autofree char *renamed = NULL;
    g_autofree char *stem = g_strndup (name, strlen (name) - strlen ("html"));
    g_autofree char *expected = g_strconcat (stem, "csv", NULL);

    gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), csv);
    renamed = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
    g_assert_cmpstr (renamed, ==, expected);
  }

  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL));
  wait_for (no_chooser_cond, NULL, 5, "the chooser to close");
  g_assert_false (pq_window_get_busy (window));
}

/* Accepted with a filter chosen and a name without extension, the export
 * chooser writes that format, with its extension. */
static void
test_export_dialog_accept (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "from-dialog.csv", NULL);
  g_autofree char *chosen = g_build_filename (tmpdir, "from-dialog", NULL);
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) csv = NULL;
  g_autofree char *contents = NULL;
  FileWait wait = { FALSE, NULL, NULL };
  GtkWidget *dialog;
  gulong id;

  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  dialog = find_file_chooser ();
  g_assert_nonnull (dialog);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
  csv = g_list_model_get_item (filters, 2);
  g_assert_cmpstr (gtk_file_filter_get_name (csv), ==, "Spreadsheet (CSV)");
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), csv);
  /* A whole path, as the name entry takes one typed: a folder set with
   * gtk_file_chooser_set_current_folder() loads asynchronously, and a bare
   * name accepted before would land in the working directory. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), chosen);

  id = g_signal_connect (window, "file-done", G_CALLBACK (on_file_done), &wait);
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT));
  wait_for (flag_cond, &wait.done, 20, "the export from the chooser");
  g_signal_handler_disconnect (window, id);
  g_assert_null (wait.error);
  g_assert_cmpstr (wait.path, ==, path);
  g_free (wait.path);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "NOT LISTENING"));
  wait_for (no_chooser_cond, NULL, 5, "the chooser to close");
}

static void
test_save_and_open (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "saved.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListModel) before = g_object_ref (pq_window_get_results (window));
  g_autofree char *summary = g_strdup (label_text ("summary_label"));
  GListModel *after;
  guint n = g_list_model_get_n_items (before);

  g_assert_cmpuint (n, ==, 8);
  run_file_op (save_op, file, -1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* The window now shows that file, and the toast offers to open it. */
  g_assert_cmpstr (adw_window_title_get_title (child ("window_title")), ==, "saved.json");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "saved.json — Port Query");
  {
    g_autofree char *uri = g_file_get_uri (file);
    GtkWidget *button = find_action_button (child ("toast_overlay"), "win.open-with-default", uri);

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_mapped (button));
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open-with-default"));
  }
  /* A new query is no longer that file. */
  query (SERVER, "53", 0);
  g_assert_cmpstr (adw_window_title_get_title (child ("window_title")), ==, "Port Query");
  wait_for (idle_cond, NULL, 30, "the query to finish");

  /* A different window state first, so the open has something to change. */
  set_text ("target_entry", "somewhere.else");
  set_text ("ports_entry", "9");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("protocol_dropdown")), 0);
  run_file_op (open_op, file, -1);
  /* The form shows what the report asked, so Query repeats it: the
   * ports, and both protocols (test_query asked "Both"). */
  {
    g_autofree char *asked = pq_report_get_ports_text (pq_window_get_report (window));

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child ("ports_entry"))), ==, asked);
    g_assert_cmpstr (asked, !=, "9");
    g_assert_cmpstr (pq_report_get_protocols_text (pq_window_get_report (window)), ==, "both");
    g_assert_cmpstr (selected_protocol (window), ==, "Both");
  }
  after = pq_window_get_results (window);
  g_assert_cmpstr (adw_window_title_get_title (child ("window_title")), ==, "saved.json");
  g_assert_true (after != before);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) old = g_list_model_get_item (before, i);
      PqResult *loaded = find_result (after, pq_result_get_port (old), pq_result_get_protocol (old));

      g_assert_nonnull (loaded);
      g_assert_cmpint (pq_result_get_state (loaded), ==, pq_result_get_state (old));
      g_assert_cmpstr (pq_result_get_evidence (loaded), ==, pq_result_get_evidence (old));
    }
  g_assert_cmpint (pq_result_get_state (find_result (after, 53, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child ("target_entry"))), ==, SERVER);
  g_assert_cmpstr (label_text ("summary_label"), ==, summary);

  /* Opening a report while a query runs stops the query and shows the file. */
  {
    g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

    g_settings_set_uint (settings, "ports-in-flight", 2);
    query (SERVER, "1-65535", 0);
    g_settings_reset (settings, "ports-in-flight");
    g_assert_true (pq_window_get_busy (window));
    run_file_op (open_op, file, -1);
    g_assert_false (pq_window_get_busy (window));
    g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, n);
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
    spin (300);
    g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (window)), ==, n);
    g_assert_cmpstr (label_text ("summary_label"), ==, summary);
  }
}

/* The protocol of the last query is kept under the name earlier versions
 * wrote, and the next window starts with it. */
/* The query in PortQry's log layout: the text export's very text. */
static void
test_text_view (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child ("text_view")));
  g_autofree char *expected = pq_report_to_text (pq_window_get_report (window));
  g_autofree char *shown = NULL;
  g_autofree char *copied = NULL;
  GtkTextIter start, end;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child ("text_toggle")), TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("results_stack"))), ==, "text");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_nonnull (strstr (shown, "TCP port 53 (domain service): LISTENING"));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (child ("text_view"))));

  /* Selected and copied as any text. */
  gtk_text_buffer_select_range (buffer, &start, &end);
  g_signal_emit_by_name (child ("text_view"), "copy-clipboard");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, read_text_cb, &copied);
  wait_for (pointer_cond, &copied, 10, "the clipboard");
  g_assert_cmpstr (copied, ==, expected);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child ("table_toggle")), TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("results_stack"))), ==, "table");
}

static void
resize_to (int width,
           int height)
{
  window_fixture_resize (window, width, height);
}

static int
grid_row (const char *name)
{
  GtkWidget *widget = child (name);
  GtkLayoutManager *grid = gtk_widget_get_layout_manager (gtk_widget_get_parent (widget));

  return gtk_grid_layout_child_get_row (GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (grid, widget)));
}

/* No field narrower than what it holds: the Ports field shows a range.
 * (The allocation counts the CSS box, as measure() does.) */
static void
assert_fields_fit (void)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (child ("ports_entry"), "1024-1350,65535");
  int text_width, minimum;

  pango_layout_get_pixel_size (layout, &text_width, NULL);
  g_object_unref (layout);
  gtk_widget_measure (child ("ports_entry"), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (child ("ports_entry")), >=, text_width);
  g_assert_cmpint (gtk_widget_get_allocated_width (child ("ports_entry")), >=, minimum);
  gtk_widget_measure (child ("target_entry"), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_allocated_width (child ("target_entry")), >=, minimum);
  gtk_widget_measure (child ("query_button"), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_allocated_width (child ("query_button")), >=, minimum);
}

static void
shoot (const char *name,
       gboolean    dark)
{
  g_autofree char *path = screenshot_path (name);

  dark_shots = dark;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  spin (300);
  save_screenshot (path);
  dark_shots = FALSE;
}

/* 600 x 500: the Query button under the form; 360 wide: each label
 * above its field; the legend folds into the summary's tooltip. */
static void
test_adaptive (void)
{
  PqWindow *main_window = window;

  /* A window of its own: no toasts of the tests before in the pictures,
   * and the main window's query stays for the tests after. */
  window = pq_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));

  /* The text view follows a query while it runs, to its end. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child ("text_toggle")), TRUE);
  query (SERVER, "1,53,8081,8082", 2);
  wait_for (idle_cond, NULL, 60, "the query to finish");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child ("text_view")));
    g_autofree char *expected = pq_report_to_text (pq_window_get_report (window));
    g_autofree char *shown = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, expected);
  }
  shoot ("main-window-text.png", FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child ("table_toggle")), TRUE);

  shoot ("main-window-dark.png", TRUE);
  resize_to (600, 500);
  g_assert_cmpint (grid_row ("query_box"), ==, 6);
  g_assert_cmpint (grid_row ("ports_box"), ==, 4);
  assert_fields_fit ();
  g_assert_false (gtk_widget_get_visible (child ("explain_label")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (child ("summary_label")),
                            pq_state_explain (PQ_PORT_STATE_FILTERED)));
  shoot ("main-window-600.png", FALSE);
  shoot ("main-window-600-dark.png", TRUE);

  resize_to (360, 640);
  g_assert_cmpint (grid_row ("target_label"), ==, 0);
  g_assert_cmpint (grid_row ("target_box"), ==, 1);
  g_assert_cmpint (grid_row ("ports_box"), ==, 7);
  g_assert_cmpint (grid_row ("query_box"), ==, 9);
  assert_fields_fit ();
  /* The whole form is inside the window. */
  g_assert_cmpint (gtk_widget_get_width (child ("form")), <=, 360);
  shoot ("main-window-360.png", FALSE);
  shoot ("main-window-360-dark.png", TRUE);

  resize_to (1000, 720);
  g_assert_cmpint (grid_row ("query_box"), ==, 0);
  g_assert_true (gtk_widget_get_visible (child ("explain_label")));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
  window = main_window;
}

/* A problem of the query's own (the source port in use) shows in the
 * banner, and goes once the setting that caused it changes. */
static void
test_query_problem (void)
{
  PqWindow *main_window = window;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  window = pq_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_settings_set_uint (settings, "source-port", port);
  /* Both, as the tests before asked: the last protocol stays theirs. */
  query (SERVER, "53", 2);
  wait_for (idle_cond, NULL, 30, "the query to fail");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));
  g_assert_nonnull (strstr (label_text ("problem_label"), "in use"));
  /* One place: nothing beside the fields. */
  g_assert_false (gtk_widget_get_visible (child ("target_error")));
  g_assert_false (gtk_widget_get_visible (child ("ports_error")));

  g_settings_reset (settings, "source-port");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));
  gtk_window_destroy (GTK_WINDOW (window));
  window = main_window;
}

static void
test_remember_protocol (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *saved = g_settings_get_string (settings, "last-protocol");
  PqWindow *next;

  /* test_query asked "Both". */
  g_assert_cmpstr (saved, ==, "both");
  g_assert_cmpint (g_settings_get_enum (settings, "last-protocol"), ==, PQ_PROTOCOLS_BOTH);

  /* A value an earlier version saved reads as the same choice. */
  g_settings_set_string (settings, "last-protocol", "udp");
  next = pq_window_new (app);
  g_assert_cmpstr (selected_protocol (next), ==, "UDP");
  gtk_window_destroy (GTK_WINDOW (next));
  g_settings_set_string (settings, "last-protocol", "both");
}

static gboolean
shows_report_cond (gpointer data)
{
  GListModel *results = pq_window_get_results (data);

  return !pq_window_get_busy (data) && results != NULL && g_list_model_get_n_items (results) > 0;
}

/* `portquery saved.json`: the application opens the report in a window of
 * its own, beside the one there is. */
static void
test_open_from_command_line (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "saved.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GList *windows;
  PqWindow *opened = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_application_open (G_APPLICATION (app), &file, 1, "");
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, 2);
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != (gpointer) window)
      opened = l->data;
  g_assert_true (PQ_IS_WINDOW (opened));
  wait_for (shows_report_cond, opened, 10, "the report opened from the command line");
  g_assert_cmpuint (g_list_model_get_n_items (pq_window_get_results (opened)), ==, 8);
  g_assert_cmpint (pq_result_get_state (find_result (pq_window_get_results (opened), 53, PQ_PROTOCOL_TCP)),
                   ==, PQ_PORT_STATE_LISTENING);
  gtk_window_destroy (GTK_WINDOW (opened));
}

static void
test_cancel (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  GListModel *results;
  guint n;

  /* Few ports in flight: the whole range would take far longer than
   * the test waits, so Stop really lands in the middle. */
  g_settings_set_uint (settings, "ports-in-flight", 2);
  query (SERVER, "1-65535", 0);
  results = pq_window_get_results (window);
  while (g_list_model_get_n_items (results) < 20)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pq_window_get_busy (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  wait_for (idle_cond, NULL, 5, "the query to stop");
  g_settings_reset (settings, "ports-in-flight");

  n = g_list_model_get_n_items (results);
  g_assert_cmpuint (n, >=, 20);
  g_assert_cmpuint (n, <, 65535);
  g_assert_nonnull (strstr (label_text ("summary_label"), "stopped"));
  g_assert_true (pq_report_get_cancelled (pq_window_get_report (window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "query"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));
}

static void
assert_escaped (const char *html,
                const char *csv,
                const char *text)
{
  g_assert_null (strstr (html, "<script>"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;"));
  g_assert_null (strchr (html, '\x1b'));
  /* No cell may start with =: after a separator, a quote or a line start. */
  g_assert_null (strstr (csv, ",=cmd"));
  g_assert_null (strstr (csv, "\"=cmd"));
  g_assert_null (strstr (csv, "\n=cmd"));
  g_assert_null (strchr (csv, '\x1b'));
  g_assert_null (strchr (text, '\x1b'));
  g_assert_null (strchr (text, '\x07'));
}

/* A server that answers with markup, a formula and escapes in its
 * Server header: the finding is shown and exported harmless. */
static void
test_hostile_server (void)
{
  GListModel *results;
  PqResult *web;
  g_autofree char *html = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;

  start_http_server ();
  hostile_server = TRUE;
  query ("127.0.0.1", "80", 0);
  wait_for (idle_cond, NULL, 30, "the loopback query to finish");
  hostile_server = FALSE;

  results = pq_window_get_results (window);
  web = find_result (results, 80, PQ_PROTOCOL_TCP);
  g_assert_nonnull (web);
  g_assert_nonnull (find_detail (pq_result_get_details (web), "alert(1)"));

  html = export_to ("server.html", -1, NULL);
  csv = export_to ("server.csv", -1, NULL);
  text = export_to ("server.txt", -1, NULL);
  assert_escaped (html, csv, text);
  g_assert_nonnull (strstr (text, "alert(1)"));
}

typedef struct
{
  gint64 last;
  gint64 worst;
} Stall;

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->worst = MAX (stall->worst, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/* Every port of the host: the rows arrive in batches, and the window
 * keeps answering (no main-loop stall a person would notice). */
static void
test_large_scan (void)
{
  Stall stall = { 0, 0 };
  guint tick;
  GListModel *results;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *summary = NULL;

  query (SERVER, "1-65535", 0);
  tick = g_timeout_add (10, stall_tick_cb, &stall);
  wait_for (idle_cond, NULL, 110, "the scan of every port to finish");
  g_source_remove (tick);

  results = pq_window_get_results (window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 65535);
  g_assert_cmpint (pq_result_get_state (find_result (results, 53, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpint (pq_result_get_state (find_result (results, 8081, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_FILTERED);
  g_assert_cmpstr (label_text ("progress_label"), ==, "65535 of 65535 ports");
  summary = pq_report_summary (pq_window_get_report (window));
  g_assert_cmpstr (label_text ("summary_label"), ==, summary);
  g_test_message ("65,535 ports in %.1f s, longest main-loop stall %.0f ms",
                  (g_get_monotonic_time () - start) / 1e6, stall.worst / 1e3);
  /* Setting a tooltip per cell once stalled the window 1.6 to 3.3 s here
   * (two CPUs shared with the scanner, software rendering); now about
   * 0.5 s at worst. */
  g_assert_cmpint (stall.worst, <, 1500 * 1000 * WINDOW_TIME_FACTOR);
}

static GtkWidget *
find_copy_button (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && gtk_widget_get_mapped (c) &&
          g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (c)), "edit-copy-symbolic") == 0)
        return c;
      if ((found = find_copy_button (c)) != NULL)
        return found;
    }
  return NULL;
}

/* Counts the labels under @widget whose text holds @needle. */
static guint
count_labels (GtkWidget  *widget,
              const char *needle)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_mapped (c) && strstr (gtk_label_get_text (GTK_LABEL (c)), needle) != NULL)
        n++;
      n += count_labels (c, needle);
    }
  return n;
}

/* Counts the labels on screen under @widget that say exactly @text. */
static guint
count_exact_labels (GtkWidget  *widget,
                    const char *text)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_mapped (c) && strcmp (gtk_label_get_text (GTK_LABEL (c)), text) == 0)
        n++;
      n += count_exact_labels (c, text);
    }
  return n;
}

/* A NetBIOS MAC address finding gets a button that copies it. */
static void
test_copy_mac (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (SERVER, &error);
  g_autoptr(GArray) ports = pq_ports_parse ("137", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqResult) result = pq_result_new (SERVER, 137, PQ_PROTOCOL_UDP);
  g_autoptr(PqDetail) mac = pq_detail_new ("mac", "MAC address", "00-15-5D-01-02-03");
  g_autoptr(PqDetail) name = pq_detail_new ("netbios-name", "Name", "TESTSRV <00> UNIQUE");
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (SERVER);
  g_autofree char *copied = NULL;
  PqScanOptions options;
  GtkWidget *button;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_UDP, &options, pq_services_get_source (services));
  pq_report_add_queried (report, address, NULL);
  pq_result_set_state (result, PQ_PORT_STATE_LISTENING, PQ_REASON_UDP_RESPONSE);
  pq_result_add_detail (result, name);
  pq_result_add_detail (result, mac);
  pq_report_add_result (report, result);
  pq_report_finish (report, FALSE);
  pq_window_show_report (window, report);

  spin (200);
  g_assert_null (find_copy_button (child ("results_view")));
  g_assert_true (expand_result (child ("results_view"), result));
  spin (300);
  button = find_copy_button (child ("results_view"));
  g_assert_nonnull (button);
  /* A keyboard activation: GTK clicks at the end of a short animation. */
  gtk_widget_activate (button);
  spin (600);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, read_text_cb, &copied);
  wait_for (pointer_cond, &copied, 10, "the clipboard");
  g_assert_cmpstr (copied, ==, "00-15-5D-01-02-03");
}

static void
test_hostile_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (SERVER, &error);
  g_autoptr(GArray) ports = pq_ports_parse ("80,81,82", &error);
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  g_autoptr(PqReport) report = NULL;
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (SERVER);
  static const char *evil[] = {
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "red \x1b[31mALERT\x1b[0m \x07" "bell",
  };
  PqScanOptions options;
  g_autofree char *html = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  report = pq_report_new (target, ports, PQ_PROTOCOLS_TCP, &options, pq_services_get_source (services));
  pq_report_add_queried (report, address, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (evil); i++)
    {
      g_autoptr(PqResult) result = pq_result_new (SERVER, 80 + i, PQ_PROTOCOL_TCP);
      g_autoptr(PqDetail) detail = pq_detail_new ("banner", evil[i], evil[i]);

      pq_result_set_state (result, PQ_PORT_STATE_LISTENING, PQ_REASON_SYN_ACK);
      pq_result_set_service (result, evil[i], PQ_PROBE_NONE);
      pq_result_set_evidence (result, evil[i]);
      pq_result_add_detail (result, detail);
      pq_report_add_result (report, result);
    }
  pq_report_finish (report, FALSE);
  pq_window_show_report (window, report);

  /* The table shows the text as text: markup literally, no escapes. */
  spin (300);
  g_assert_cmpuint (count_labels (child ("results_view"), "<script>alert(1)</script>"), >, 0);
  g_assert_cmpuint (count_labels (child ("results_view"), "\x1b"), ==, 0);
  g_assert_cmpuint (count_labels (child ("results_view"), "\x07"), ==, 0);
  g_assert_cmpuint (count_labels (child ("results_view"), "ALERT"), >, 0);

  html = export_to ("hostile.html", -1, NULL);
  csv = export_to ("hostile.csv", -1, NULL);
  text = export_to ("hostile.txt", -1, NULL);

  assert_escaped (html, csv, text);
  g_assert_nonnull (strstr (csv, "'=cmd"));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static void
select_check (const char *id)
{
  GListModel *checks = gtk_drop_down_get_model (GTK_DROP_DOWN (child ("check_dropdown")));
  guint position;

  g_assert_nonnull (pq_checks_find (checks, id, &position));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("check_dropdown")), position);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("check_radio")), TRUE);
}

static void
test_checks (void)
{
  GListModel *results;
  GListModel *checks = gtk_drop_down_get_model (GTK_DROP_DOWN (child ("check_dropdown")));
  g_autofree char *ini = g_build_filename (tmpdir, "portquery", "checks.ini", NULL);
  g_autofree char *contents = NULL;
  AdwMessageDialog *dialog;
  PqCheck *mine;
  guint n_checks = g_list_model_get_n_items (checks);

  /* PortQryUI's predefined services are there, with their ports shown. */
  g_assert_nonnull (pq_checks_find (checks, "domains-trusts", NULL));
  g_assert_nonnull (pq_checks_find (checks, "sql-server", NULL));
  g_assert_nonnull (pq_checks_find (checks, "remote-desktop", NULL));
  select_check ("dns");
  g_assert_cmpstr (label_text ("check_ports_label"), ==, "TCP 53 · UDP 53");
  g_assert_false (gtk_widget_get_sensitive (child ("ports_entry")));

  /* A check asks each port over its own protocols. */
  set_text ("target_entry", SERVER);
  g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
  wait_for (idle_cond, NULL, 30, "the DNS check to finish");
  results = pq_window_get_results (window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  g_assert_cmpint (pq_result_get_state (find_result (results, 53, PQ_PROTOCOL_TCP)), ==, PQ_PORT_STATE_LISTENING);
  g_assert_nonnull (find_result (results, 53, PQ_PROTOCOL_UDP));

  /* Save typed ports as a check of one's own, through the dialog. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("ports_radio")), TRUE);
  set_text ("ports_entry", "8080,8443");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("protocol_dropdown")), 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "save-check", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Proxy servers");
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, n_checks + 1);
  mine = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (child ("check_dropdown")));
  g_assert_cmpstr (pq_check_get_name (mine), ==, "Proxy servers");
  g_assert_cmpstr (pq_check_get_tcp_ports (mine), ==, "8080,8443");
  g_assert_true (pq_check_get_user_defined (mine));
  g_assert_true (g_file_get_contents (ini, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Proxy servers"));
  g_clear_pointer (&contents, g_free);

  /* Kept for the next start: a fresh load finds it. */
  {
    g_autoptr(GListStore) reloaded = pq_checks_load (ini, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, n_checks + 1);
  }

  /* Built-in checks cannot be deleted; one's own can. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "delete-check"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "delete-check", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, n_checks);
  g_assert_true (g_file_get_contents (ini, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Proxy servers"));
  select_check ("dns");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "delete-check"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("ports_radio")), TRUE);
}

static void
test_keyboard_and_menus (void)
{
  static const struct { const char *action, *accel; } accels[] = {
    { "win.query", "<Control>Return" }, { "win.stop", "Escape" },
    { "win.save", "<Control>s" }, { "win.open", "<Control>o" },
    { "win.export", "<Control>e" }, { "win.search", "<Control>f" },
    { "app.preferences", "<Control>comma" }, { "app.quit", "<Control>q" },
  };
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-targets");
  GListModel *toplevels = NULL;
  gboolean found_prefs = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_auto(GStrv) set = gtk_application_get_accels_for_action (GTK_APPLICATION (app), accels[i].action);

      g_assert_true (g_strv_contains ((const char * const *) set, accels[i].accel));
    }
  /* Ctrl+? comes with the shortcuts window from the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (child ("search_bar"))));
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (child ("search_bar")), FALSE);

  /* The hosts queried, newest first, for the recent-hosts menu. */
  g_assert_nonnull (recent[0]);
  g_assert_true (g_strv_contains ((const char * const *) recent, SERVER));
  g_assert_true (g_strv_contains ((const char * const *) recent, "127.0.0.1"));
  g_assert_true (gtk_widget_get_sensitive (child ("recent_button")));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (toplevel))
        {
          found_prefs = TRUE;
          gtk_window_destroy (GTK_WINDOW (toplevel));
          break;
        }
    }
  g_assert_true (found_prefs);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Never the user's checks or settings; short waits (window-fixture.c). */
  tmpdir = window_fixture_init (&argc, &argv);
  window = window_fixture_open ("io.github.portquery.PortQuery.Test", &app);

  g_test_add_func ("/app/window/invalid-input", test_invalid_input);
  g_test_add_func ("/app/window/unresolvable", test_unresolvable);
  g_test_add_func ("/app/window/details", test_details);
  g_test_add_func ("/app/window/query", test_query);
  g_test_add_func ("/app/window/failed-host-keeps-last", test_failed_host_keeps_last);
  g_test_add_func ("/app/window/text-view", test_text_view);
  g_test_add_func ("/app/window/adaptive", test_adaptive);
  g_test_add_func ("/app/window/query-problem", test_query_problem);
  g_test_add_func ("/app/window/remember-protocol", test_remember_protocol);
  g_test_add_func ("/app/window/export", test_export);
  g_test_add_func ("/app/window/export-dialog", test_export_dialog);
  g_test_add_func ("/app/window/export-dialog-accept", test_export_dialog_accept);
  g_test_add_func ("/app/window/save-and-open", test_save_and_open);
  g_test_add_func ("/app/window/open-from-command-line", test_open_from_command_line);
  g_test_add_func ("/app/window/cancel", test_cancel);
  g_test_add_func ("/app/window/large-scan", test_large_scan);
  g_test_add_func ("/app/window/checks", test_checks);
  g_test_add_func ("/app/window/keyboard-and-menus", test_keyboard_and_menus);
  g_test_add_func ("/app/window/copy-mac", test_copy_mac);
  g_test_add_func ("/app/window/hostile-values", test_hostile_values);
  g_test_add_func ("/app/window/hostile-server", test_hostile_server);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  return status;
}
