/* test-window-hosts.c: the window with several hosts and a domain's controllers
 *
 * Run by run-test-window.sh (RIG_DNS=1) inside the client namespace of
 * the rig (tests/lib/rig-up.sh), resolving through the rig's dnsmasq:
 * 10.200.77.2 (srv.test.lan) answers on TCP 53 and drops 8081;
 * 10.200.78.2 (dc1.test.lan, no server running) resets every port;
 * 10.200.77.1 is this computer. _ldap._tcp.dc._msdcs.test.lan names
 * dc1.test.lan (priority 0, weight 100) and srv.test.lan (10, 50).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pq-domain-dialog.h"
#include "pq-results-view-private.h"
#include "pq-window-private.h"
#include "window-fixture.h"

static PqApplication *app;
static PqWindow *window;
static char *tmpdir;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static gpointer
child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name);
}

static const char *
label_text (const char *name)
{
  return gtk_label_get_text (GTK_LABEL (child (name)));
}

static PqResultsView *
results_view (void)
{
  return PQ_RESULTS_VIEW (child ("results_view"));
}

/* A click: GtkButton's "activate" clicks only after a pause. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
idle_cond (gpointer data)
{
  return !pq_window_get_busy (window);
}

/* As the user does it: types the hosts and the ports, presses Query. */
static void
query_hosts (const char *hosts,
             const char *ports)
{
  gtk_editable_set_text (GTK_EDITABLE (child ("target_entry")), hosts);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("ports_radio")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (child ("ports_entry")), ports);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("protocol_dropdown")), 0);   /* TCP */
  click (child ("query_button"));
}

static void
query_and_wait (const char *hosts,
                const char *ports)
{
  query_hosts (hosts, ports);
  g_assert_true (pq_window_get_busy (window));
  /* One query at a time: the controllers wait for this one's end. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "domain-controllers"));
  window_fixture_wait (idle_cond, NULL, 60, "the query to finish");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "domain-controllers"));
}

/* The rows as shown, "HOST PORT STATE" each, space-separated. */
static char *
shown_rows (void)
{
  GListModel *rows = _pq_results_view_get_shown_rows (results_view ());
  PqResultsHosts *hosts = pq_results_view_get_hosts (results_view ());
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (rows, i);

      g_string_append_printf (out, "%s%s %u %s", i ? " | " : "",
                              pq_results_hosts_get_label (hosts, pq_result_get_address (result)),
                              pq_result_get_port (result), pq_port_state_to_string (pq_result_get_state (result)));
    }
  return g_string_free (out, FALSE);
}

static gboolean
host_column_shown (void)
{
  return gtk_column_view_column_get_visible (pq_results_hosts_get_column (pq_results_view_get_hosts (results_view ())));
}

/* Counts the labels on screen under @widget that read @text. */
static guint
count_labels (GtkWidget  *widget,
              const char *text)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_mapped (c) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (c)), text) == 0)
        n++;
      n += count_labels (c, text);
    }
  return n;
}

static void
assert_by_host (const char *line)
{
  const char *text = _pq_window_hosts_get_by_host_text (window);

  if (text == NULL || strstr (text, line) == NULL)
    g_error ("By Host does not list “%s”: %s", line, text ? text : "(hidden)");
}

/* ------------------------------------------------------------------ */
/* Several hosts typed                                                 */

/* A comma list: one Host column, the rows host by host in the order
 * typed, the hosts counted; the switch, search and sorting still work;
 * Recent Hosts keeps the list as typed. */
static void
test_list (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_auto(GStrv) recent = NULL;
  g_autofree char *rows = NULL;

  query_and_wait ("10.200.78.2, 10.200.77.2", "53");
  g_assert_false (gtk_widget_get_visible (child ("target_error")));
  g_assert_true (host_column_shown ());
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==, "10.200.78.2 53 NOT LISTENING | 10.200.77.2 53 LISTENING");
  /* Addresses typed: the Host column says it all, no Address column. */
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.78.2"), ==, 1);
  g_assert_cmpstr (label_text ("summary_label"), ==, "2 hosts: 1 with problems · 1 listening, 1 not listening");
  assert_by_host (" 10.200.78.2: 1 not listening");
  assert_by_host (" 10.200.77.2: 1 listening");
  assert_by_host ("2 hosts queried: 1 listening, 1 not listening");
  recent = g_settings_get_strv (settings, "recent-targets");
  g_assert_cmpstr (recent[0], ==, "10.200.78.2, 10.200.77.2");

  /* Problems: the one host's row; a search for the other host: none. */
  pq_results_view_set_show (results_view (), PQ_SHOW_PROBLEMS);
  g_clear_pointer (&rows, g_free);
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==, "10.200.78.2 53 NOT LISTENING");
  pq_results_view_set_search_text (results_view (), "77.2");
  g_assert_cmpuint (g_list_model_get_n_items (_pq_results_view_get_shown_rows (results_view ())), ==, 0);
  pq_results_view_set_show (results_view (), PQ_SHOW_ALL);
  g_assert_cmpuint (g_list_model_get_n_items (_pq_results_view_get_shown_rows (results_view ())), ==, 1);
  pq_results_view_set_search_text (results_view (), NULL);

  /* The Host column sorts: the other way, the last host first. */
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (results_view ()),
                                                                                  PQ_TYPE_RESULTS_VIEW,
                                                                                  "column_view")),
                                  pq_results_hosts_get_column (pq_results_view_get_hosts (results_view ())),
                                  GTK_SORT_DESCENDING);
  g_clear_pointer (&rows, g_free);
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==, "10.200.77.2 53 LISTENING | 10.200.78.2 53 NOT LISTENING");

  /* One host again: no Host column, no host count, no By Host. */
  query_and_wait ("10.200.77.2", "53");
  g_assert_false (host_column_shown ());
  g_assert_cmpstr (label_text ("summary_label"), ==, "1 listening");
  g_assert_null (_pq_window_hosts_get_by_host_text (window));
}

/* A last-octet range: each host's ports under it, in port order, and
 * each host's counts. */
static void
test_range (void)
{
  g_autofree char *rows = NULL;

  query_and_wait ("10.200.77.1-2", "8081,53");
  g_assert_true (host_column_shown ());
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==,
                   "10.200.77.1 53 NOT LISTENING | 10.200.77.1 8081 NOT LISTENING | "
                   "10.200.77.2 53 LISTENING | 10.200.77.2 8081 FILTERED");
  g_assert_cmpstr (label_text ("summary_label"), ==,
                   "2 hosts: 2 with problems · 1 listening, 2 not listening, 1 filtered");
  /* Every row's Host cell names its host, as it came in (hosts run at
   * once: a later host's rows may come before an earlier one's). */
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.77.1"), ==, 2);
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.77.2"), ==, 2);
  assert_by_host (" 10.200.77.1: 2 not listening");
  assert_by_host (" 10.200.77.2: 1 listening, 1 filtered");

  /* The slow host first: the other one's rows come before its own. */
  query_hosts ("10.200.77.2, 10.200.77.1", "8081,53");
  /* While it runs: how many hosts, before the counts so far. */
  g_assert_true (g_str_has_prefix (label_text ("summary_label"), "2 hosts · "));
  g_assert_null (_pq_window_hosts_get_by_host_text (window));
  window_fixture_wait (idle_cond, NULL, 60, "the query to finish");
  g_clear_pointer (&rows, g_free);
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==,
                   "10.200.77.2 53 LISTENING | 10.200.77.2 8081 FILTERED | "
                   "10.200.77.1 53 NOT LISTENING | 10.200.77.1 8081 NOT LISTENING");
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.77.1"), ==, 2);
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.77.2"), ==, 2);
  query_and_wait ("10.200.77.1-2", "8081,53");
  /* The subtitle names the hosts. */
  g_assert_cmpstr (adw_window_title_get_subtitle (child ("window_title")), ==, "10.200.77.1, 10.200.77.2");
}

/* A bad entry of the list, or too many hosts: the parser's message
 * beside the Host field, saying what to type; nothing runs. */
static void
test_bad_list (void)
{
  query_hosts ("10.200.77.2, 10.0.0.0/99", "53");
  g_assert_false (pq_window_get_busy (window));
  g_assert_true (gtk_widget_get_visible (child ("target_error")));
  g_assert_true (gtk_widget_has_css_class (child ("target_entry"), "error"));
  g_assert_nonnull (strstr (label_text ("target_error"), "“10.0.0.0/99” is not an address block. Type"));

  query_hosts ("10.0.0.0/16", "53");
  g_assert_false (pq_window_get_busy (window));
  g_assert_nonnull (strstr (label_text ("target_error"), "more than 4096 hosts"));
  g_assert_nonnull (strstr (label_text ("target_error"), "Type a smaller block"));

  /* Commas only: no host, said so (the window crashed on it). */
  query_hosts (" , ", "53");
  g_assert_false (pq_window_get_busy (window));
  g_assert_nonnull (strstr (label_text ("target_error"), "No host given."));

  gtk_editable_set_text (GTK_EDITABLE (child ("target_entry")), "10.200.77.2");
  g_assert_false (gtk_widget_get_visible (child ("target_error")));
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

static gboolean
flag_cond (gpointer data)
{
  return *(gboolean *) data;
}

/* A saved report of several hosts opens grouped, with every host in
 * the Host field, so Query repeats it. */
static void
test_reopen (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "hosts.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *rows = NULL;
  gboolean done = FALSE;
  gulong id = g_signal_connect (window, "file-done", G_CALLBACK (on_file_done), &done);

  query_and_wait ("10.200.77.1-2", "8081,53");
  _pq_window_save_file (window, file);
  window_fixture_wait (flag_cond, &done, 20, "the report to be saved");
  query_and_wait ("10.200.77.2", "53");
  g_assert_false (host_column_shown ());

  done = FALSE;
  pq_window_open_file (window, file);
  window_fixture_wait (flag_cond, &done, 20, "the report to be read");
  g_signal_handler_disconnect (window, id);
  g_assert_true (host_column_shown ());
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==,
                   "10.200.77.1 53 NOT LISTENING | 10.200.77.1 8081 NOT LISTENING | "
                   "10.200.77.2 53 LISTENING | 10.200.77.2 8081 FILTERED");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child ("target_entry"))), ==, "10.200.77.1, 10.200.77.2");
  g_assert_cmpstr (label_text ("summary_label"), ==,
                   "2 hosts: 2 with problems · 1 listening, 2 not listening, 1 filtered");
  assert_by_host (" 10.200.77.2: 1 listening, 1 filtered");

  /* Wide, the page switcher has the title's place: the file's name and
   * its hosts show beside Table and Text instead. */
  {
    GtkWidget *where = GTK_WIDGET (window->where);

    g_assert_nonnull (where);
    window_fixture_spin (300);
    g_assert_true (gtk_widget_get_mapped (where));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (where)), ==, "hosts.json — 10.200.77.1, 10.200.77.2");
  }
}

/* ------------------------------------------------------------------ */
/* Domain controllers                                                  */

static PqDomainDialog *
find_domain_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (PQ_IS_DOMAIN_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return PQ_DOMAIN_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
lookup_done_cond (gpointer data)
{
  return !_pq_domain_dialog_get_busy (data);
}

/* The main menu's "Domain Controllers of…", a domain typed, Find. */
static PqDomainDialog *
find_controllers (const char *domain)
{
  PqDomainDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "domain-controllers", NULL);
  dialog = find_domain_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (gtk_widget_get_sensitive (_pq_domain_dialog_get_query (dialog)));
  gtk_editable_set_text (_pq_domain_dialog_get_entry (dialog), domain);
  click (_pq_domain_dialog_get_find (dialog));
  g_assert_true (_pq_domain_dialog_get_busy (dialog));
  window_fixture_wait (lookup_done_cond, dialog, 20, "the SRV lookup");
  return dialog;
}

static void
assert_row (GtkListBox *list,
            int         index,
            const char *title,
            const char *subtitle)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
}

/* test.lan's two controllers, listed with priority and weight in the
 * order a client tries them, then both queried. */
static void
test_domain (void)
{
  PqDomainDialog *dialog = find_controllers ("test.lan");
  GtkListBox *list = _pq_domain_dialog_get_list (dialog);
  g_autofree char *rows = NULL;

  g_assert_cmpstr (gtk_label_get_text (_pq_domain_dialog_get_status (dialog)), ==,
                   "2 domain controllers in DNS (SRV records _ldap._tcp.dc._msdcs.test.lan), "
                   "in the order a client tries them:");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (list)));
  assert_row (list, 0, "dc1.test.lan", "priority 0, weight 100, port 389");
  assert_row (list, 1, "srv.test.lan", "priority 10, weight 50, port 389");
  g_assert_null (gtk_list_box_get_row_at_index (list, 2));
  g_assert_true (gtk_widget_get_sensitive (_pq_domain_dialog_get_query (dialog)));

  gtk_editable_set_text (GTK_EDITABLE (child ("ports_entry")), "53");
  click (_pq_domain_dialog_get_query (dialog));
  g_assert_null (find_domain_dialog ());
  g_assert_true (pq_window_get_busy (window));
  window_fixture_wait (idle_cond, NULL, 60, "the controllers' query");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child ("target_entry"))), ==, "dc1.test.lan, srv.test.lan");
  g_assert_true (host_column_shown ());
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==, "dc1.test.lan 53 NOT LISTENING | srv.test.lan 53 LISTENING");
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "dc1.test.lan"), ==, 1);
  /* Names typed: the Address column says which address each was. */
  g_assert_cmpuint (count_labels (GTK_WIDGET (results_view ()), "10.200.78.2"), ==, 1);
  g_assert_cmpstr (label_text ("summary_label"), ==, "2 hosts: 1 with problems · 1 listening, 1 not listening");
  assert_by_host (" dc1.test.lan (10.200.78.2): 1 not listening");
  assert_by_host (" srv.test.lan (10.200.77.2): 1 listening");
  /* A search for a host's name finds its rows. */
  pq_results_view_set_search_text (results_view (), "dc1");
  g_clear_pointer (&rows, g_free);
  rows = shown_rows ();
  g_assert_cmpstr (rows, ==, "dc1.test.lan 53 NOT LISTENING");
  pq_results_view_set_search_text (results_view (), NULL);
}

/* A domain without records: said in the dialog, beside the domain;
 * nothing to query, and the window as it was. */
static void
test_no_domain (void)
{
  g_autofree char *summary = g_strdup (label_text ("summary_label"));
  g_autofree char *host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (child ("target_entry"))));
  PqReport *report = pq_window_get_report (window);
  PqDomainDialog *dialog = find_controllers ("nodc.test.lan");
  GtkLabel *status = _pq_domain_dialog_get_status (dialog);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   "The domain nodc.test.lan has no domain controllers in DNS: there is no SRV record "
                   "_ldap._tcp.dc._msdcs.nodc.test.lan. Check the domain's name, and that this computer "
                   "uses the domain's DNS servers.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_pq_domain_dialog_get_entry (dialog)), "error"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (_pq_domain_dialog_get_list (dialog))));
  g_assert_false (gtk_widget_get_sensitive (_pq_domain_dialog_get_query (dialog)));
  g_assert_false (pq_window_get_busy (window));
  g_assert_true (pq_window_get_report (window) == report);
  g_assert_cmpstr (label_text ("summary_label"), ==, summary);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child ("target_entry"))), ==, host);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("problem_revealer"))));

  /* The dialog fits a phone's 360 pixels. */
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (dialog), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }

  /* Typing another domain takes the message away; Escape closes. */
  gtk_editable_set_text (_pq_domain_dialog_get_entry (dialog), "test.lan");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  window_fixture_spin (100);
  g_assert_null (find_domain_dialog ());
  g_assert_true (pq_window_get_report (window) == report);
}

/* 360 pixels: the summary, By Host and the Host column still fit. */
static void
test_narrow (void)
{
  GtkWidget *summary = child ("summary_label");
  int minimum;

  /* As a user drags the edge: a layout change on the way lets the
   * window go narrower still, so the size is asked again. */
  for (guint i = 0; i < 3 && gtk_widget_get_width (GTK_WIDGET (window)) > 380; i++)
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
      gtk_window_present (GTK_WINDOW (window));
      window_fixture_spin (500);
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 380);
  g_assert_true (host_column_shown ());
  g_assert_nonnull (_pq_window_hosts_get_by_host_text (window));
  gtk_widget_measure (summary, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (summary), >=, minimum);
  g_assert_cmpint (gtk_widget_get_width (summary), >, 100);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
}

int
main (int    argc,
      char **argv)
{
  int status;

  tmpdir = window_fixture_init (&argc, &argv);
  window = window_fixture_open ("io.github.portquery.PortQuery.TestHosts", &app);

  g_test_add_func ("/app/hosts/list", test_list);
  g_test_add_func ("/app/hosts/range", test_range);
  g_test_add_func ("/app/hosts/bad-list", test_bad_list);
  g_test_add_func ("/app/hosts/reopen", test_reopen);
  g_test_add_func ("/app/hosts/domain", test_domain);
  g_test_add_func ("/app/hosts/no-domain", test_no_domain);
  g_test_add_func ("/app/hosts/narrow", test_narrow);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  return status;
}
