/* test-window-local.c: the This Computer page and Repeat, in the window
 *
 * Run by run-test-window-local.sh inside a network namespace of its own
 * (only loopback, only the sockets this test opens):
 *  - the page lists a TCP listener and a UDP socket the test opens, with
 *    this process's PID and name; the filter and Listening only find
 *    them; a socket the test closes goes at the next live refresh;
 *  - Repeat: 127.0.0.1 TCP 8085 dropped by nftables, queried every 5 s;
 *    the test removes the rule between runs and the port is marked
 *    "Changed from FILTERED to LISTENING"; Stop ends the runs;
 *  - /app/window-local/as-nobody, run by the script as nobody while a
 *    root process listens: the line about other users' sockets.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <unistd.h>

#include "pq-local-page.h"
#include "pq-local.h"
#include "pq-window-private.h"
#include "window-fixture.h"

#define REPEAT_PORT 8085

static PqApplication *app;
static PqWindow *window;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static void
spin (guint seconds)
{
  window_fixture_spin (seconds * 1000);
}

static GtkWidget *
child (const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name));
}

static PqLocalPage *
local_page (void)
{
  return PQ_LOCAL_PAGE (window->local_page);
}

static GtkWidget *
page_child (const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (window->local_page, PQ_TYPE_LOCAL_PAGE, name));
}

/* The rows shown for @port, as their text (cells joined by tabs). */
static GPtrArray *
rows_of_port (guint port)
{
  GListModel *shown = pq_local_page_get_shown (local_page ());
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *needle = g_strdup_printf ("\t%u", port);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (shown, i);

      if (pq_local_endpoint_get_local_port (e) == port)
        g_ptr_array_add (rows, pq_local_page_dup_row_text (local_page (), i));
    }
  return rows;
}

static guint refreshes_seen;

static gboolean
refreshed_cond (gpointer data)
{
  return pq_local_page_get_n_refreshes (local_page ()) > refreshes_seen;
}

/* Waits for the page's own timer to read the tables again. */
static void
wait_refresh (void)
{
  refreshes_seen = pq_local_page_get_n_refreshes (local_page ());
  window_fixture_wait (refreshed_cond, NULL, 6, "the page's next refresh");
}

static void
show_page (const char *name)
{
  adw_view_stack_set_visible_child_name (window->pages, name);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GSocket *
open_socket (GSocketType  type,
             guint16     *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  if (type == G_SOCKET_TYPE_STREAM)
    g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
set_filter (const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child ("filter_entry")), text);
  /* A search entry says "search-changed" after a short delay. */
  spin (1);
}

/* Renders the window's content into a PNG, on the window's background. */
static void
save_screenshot (const char *name,
                 gboolean    dark)
{
  const char *dir = g_getenv ("PQ_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  int width, height;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (content);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkRGBA light_bg = { 0.98f, 0.98f, 0.98f, 1.0f }, dark_bg = { 0.14f, 0.14f, 0.14f, 1.0f };

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  spin (1);
  width = gtk_widget_get_width (content);
  height = gtk_widget_get_height (content);
  gtk_snapshot_append_color (snapshot, dark ? &dark_bg : &light_bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, width, height);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
resize_to (int width,
           int height)
{
  window_fixture_resize (window, width, height);
}

static GtkWidget *
find_popover (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER_MENU (c))
      return c;
  return NULL;
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
nonnull_cond (gpointer data)
{
  return *(char **) data != NULL;
}

static char *
read_clipboard (void)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, read_text_cb, &text);
  window_fixture_wait (nonnull_cond, &text, 5, "the clipboard");
  return text;
}

/* ------------------------------------------------------------------ */
/* This Computer                                                       */

static gboolean
row_has (GPtrArray  *rows,
         const char *text)
{
  for (guint i = 0; i < rows->len; i++)
    if (strstr (g_ptr_array_index (rows, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_local_page (void)
{
  g_autoptr(GSocket) tcp = NULL;
  g_autoptr(GSocket) udp = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *pid = g_strdup_printf ("\t%d\t", (int) getpid ());
  g_autofree char *filter = NULL;
  guint16 tcp_port, udp_port;

  tcp = open_socket (G_SOCKET_TYPE_STREAM, &tcp_port);
  udp = open_socket (G_SOCKET_TYPE_DATAGRAM, &udp_port);
  show_page ("local");
  g_assert_true (gtk_widget_get_mapped (window->local_page));
  /* The Remote Host page's header buttons go with it. */
  g_assert_false (gtk_widget_get_visible (child ("search_button")));
  wait_refresh ();

  rows = rows_of_port (tcp_port);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (rows, 0), "TCP\t127.0.0.1\t"));
  g_assert_true (row_has (rows, "\tLISTENING\t"));
  g_assert_true (row_has (rows, pid));
  g_assert_true (row_has (rows, "test-window-loc"));  /* the kernel's comm: 15 characters */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of_port (udp_port);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (rows, 0), "UDP\t127.0.0.1\t"));
  g_assert_true (row_has (rows, pid));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The filter finds the port typed, and nothing else. */
  filter = g_strdup_printf ("%u", tcp_port);
  set_filter (filter);
  g_assert_cmpuint (g_list_model_get_n_items (pq_local_page_get_shown (local_page ())), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (pq_local_page_get_shown (local_page ())); i++)
    {
      g_autofree char *row = pq_local_page_dup_row_text (local_page (), i);

      g_assert_nonnull (strstr (row, filter));
    }
  set_filter ("LISTENING");
  rows = rows_of_port (tcp_port);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of_port (udp_port);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  set_filter ("");

  /* Copy Row (Ctrl+C's action) copies the selected row. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (page_child ("column_view")))), 0);
  g_assert_true (gtk_widget_activate_action (window->local_page, "local.copy", NULL));
  {
    g_autofree char *first = pq_local_page_dup_row_text (local_page (), 0);
    g_autofree char *copied = read_clipboard ();

    g_assert_nonnull (first);
    g_assert_cmpstr (copied, ==, first);
  }

  /* The Menu key's menu opens on the selected row; a refresh keeps
   * the row selected (the same endpoint, not the same position). */
  g_assert_true (gtk_widget_activate_action (window->local_page, "local.menu", NULL));
  g_assert_true (gtk_widget_get_visible (find_popover (window->local_page)));
  gtk_popover_popdown (GTK_POPOVER (find_popover (window->local_page)));
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (page_child ("column_view"))));
    gpointer chosen;

    guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
    g_autoptr(GSocket) more = NULL;
    guint16 more_port;

    gtk_single_selection_set_selected (selection, 1);
    chosen = gtk_single_selection_get_selected_item (selection);
    g_assert_nonnull (chosen);
    /* A new listener comes between: rows move, the selection stays. */
    more = open_socket (G_SOCKET_TYPE_STREAM, &more_port);
    wait_refresh ();
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, n + 1);
    g_assert_true (gtk_single_selection_get_selected_item (selection) == chosen);
    g_socket_close (more, NULL);
  }

  save_screenshot ("local-page-light.png", FALSE);
  save_screenshot ("local-page-dark.png", TRUE);
  /* At phone width the pages' switcher moves to the bottom bar. */
  resize_to (360, 640);
  g_assert_cmpint (gtk_widget_get_width (page_child ("column_view")), >, 0);
  save_screenshot ("local-page-360.png", FALSE);
  save_screenshot ("local-page-360-dark.png", TRUE);
  resize_to (1000, 720);

  /* A socket closed goes at the next refresh; the other stays. */
  g_socket_close (tcp, NULL);
  wait_refresh ();
  rows = rows_of_port (tcp_port);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of_port (udp_port);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Listening only keeps the bound UDP socket. */
  gtk_switch_set_active (GTK_SWITCH (page_child ("listening_switch")), TRUE);
  rows = rows_of_port (udp_port);
  g_assert_cmpuint (rows->len, ==, 1);
  gtk_switch_set_active (GTK_SWITCH (page_child ("listening_switch")), FALSE);

  /* Hidden, the page reads nothing. */
  show_page ("remote");
  refreshes_seen = pq_local_page_get_n_refreshes (local_page ());
  spin (3);
  g_assert_cmpuint (pq_local_page_get_n_refreshes (local_page ()), ==, refreshes_seen);
  g_assert_true (gtk_widget_get_visible (child ("search_button")));
}

/* ------------------------------------------------------------------ */
/* Repeat                                                              */

static void
nft (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strdup_printf ("nft '%s'", script);
  int status = 0;

  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The changed badge drawn in the results table, if any. */
static GtkWidget *
find_badge (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "emblem-synchronizing-symbolic") == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_badge (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static PqResult *
port_result (guint16 port)
{
  GListModel *results = pq_window_get_results (window);

  for (guint i = 0; results != NULL && i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);

      if (pq_result_get_port (result) == port)
        return result;
    }
  return NULL;
}

static gboolean
report_done_cond (gpointer data)
{
  PqReport *report = pq_window_get_report (window);

  return report != NULL && report != data && !pq_window_get_busy (window);
}

static void
test_repeat (void)
{
  GtkDropDown *repeat = _pq_window_repeat_get_dropdown (window);
  g_autofree char *evidence = NULL;
  g_autofree char *why = NULL;
  PqReport *first;

  show_page ("remote");
  nft ("add table inet pqwl");
  nft ("add chain inet pqwl input { type filter hook input priority 0; policy accept; }");
  nft ("add rule inet pqwl input tcp dport 8085 drop");
  {
    g_autoptr(GSocket) listener = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, REPEAT_PORT);

    listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
    g_socket_bind (listener, address, TRUE, &error);
    g_assert_no_error (error);
    g_socket_listen (listener, &error);
    g_assert_no_error (error);

    /* Off by default: Once. */
    g_assert_cmpuint (gtk_drop_down_get_selected (repeat), ==, 0);
    gtk_editable_set_text (GTK_EDITABLE (child ("target_entry")), "127.0.0.1");
    gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("ports_radio")), TRUE);
    gtk_editable_set_text (GTK_EDITABLE (child ("ports_entry")), "8085");
    gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("protocol_dropdown")), 0);
    gtk_drop_down_set_selected (repeat, 1);   /* Every 5 s */
    g_assert_true (gtk_widget_activate (child ("query_button")));
    window_fixture_wait (report_done_cond, NULL, 20, "the first run");
    first = pq_window_get_report (window);
    g_assert_cmpint (pq_result_get_state (port_result (REPEAT_PORT)), ==, PQ_PORT_STATE_FILTERED);
    g_assert_null (find_badge (child ("results_view")));
    /* Waiting for the next run, Stop is there to end them. */
    g_assert_true (_pq_window_repeat_pending (window));
    g_assert_true (g_action_get_enabled (g_action_map_lookup_action (G_ACTION_MAP (window), "stop")));

    /* The firewall change goes in between the runs. */
    nft ("delete table inet pqwl");
    window_fixture_wait (report_done_cond, first, 20, "the second run");
    g_assert_cmpint (pq_result_get_state (port_result (REPEAT_PORT)), ==, PQ_PORT_STATE_LISTENING);
    evidence = g_strdup (pq_result_get_evidence (port_result (REPEAT_PORT)));
    g_test_message ("evidence: %s", evidence);
    g_assert_true (g_str_has_prefix (evidence, "Changed from FILTERED to LISTENING since the run at "));
    g_assert_true (_pq_window_repeat_pending (window));
    /* The row's badge says it too, the change as its tooltip. */
    spin (1);
    g_assert_nonnull (find_badge (child ("results_view")));
    why = g_strndup (evidence, strstr (evidence, ". ") + 1 - evidence);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (find_badge (child ("results_view"))), ==, why);
    save_screenshot ("repeat-changed.png", FALSE);

    /* Stop (Escape) ends the runs: none comes after it. */
    first = pq_window_get_report (window);
    g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
    g_assert_false (_pq_window_repeat_pending (window));
    spin (7);
    g_assert_true (pq_window_get_report (window) == first);
    gtk_drop_down_set_selected (repeat, 0);
  }
}

/* ------------------------------------------------------------------ */
/* As an ordinary user                                                 */

static gboolean
hidden_cond (gpointer data)
{
  return gtk_widget_get_visible (page_child ("hidden_label"));
}

/* Run as nobody while root's process listens on PQ_ROOT_PORT: its row
 * is there without a process, and the line says why. */
static void
test_as_nobody (void)
{
  const char *port = g_getenv ("PQ_ROOT_PORT");
  g_autoptr(GPtrArray) rows = NULL;
  const char *line;

  if (getuid () == 0 || port == NULL)
    {
      g_test_skip ("run as nobody by run-test-window-local.sh, with PQ_ROOT_PORT");
      return;
    }
  show_page ("local");
  window_fixture_wait (hidden_cond, NULL, 10, "the line about other users' sockets");
  line = gtk_label_get_text (GTK_LABEL (page_child ("hidden_label")));
  g_test_message ("%s", line);
  g_assert_nonnull (strstr (line, "not shown: Port Query runs as an ordinary user"));
  rows = rows_of_port ((guint) g_ascii_strtoull (port, NULL, 10));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (row_has (rows, "\tLISTENING\t"));
  g_assert_true (row_has (rows, "(another user's)"));
  save_screenshot ("local-page-nobody.png", FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = window_fixture_init (&argc, &argv);
  int status;

  window = window_fixture_open ("io.github.portquery.TestLocal", &app);
  if (getuid () == 0)
    {
      g_test_add_func ("/app/window-local/page", test_local_page);
      g_test_add_func ("/app/window-local/repeat", test_repeat);
    }
  g_test_add_func ("/app/window-local/as-nobody", test_as_nobody);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
