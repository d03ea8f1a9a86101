/* check-bench.c: how long the window takes to show a service check's
 * last row, for bench/scan-bench
 *
 * Opens the real window (as tests/app/test-window.c does), chooses the
 * service check CHECK, types HOST and presses Query RUNS times, and
 * prints for each run the time from the press until the window is no
 * longer busy, which is when the last row shows its state (the window
 * lists every port of the check before the query runs, and the query ends
 * with its last result). Reverse lookup is off, as portqry's -nr; every
 * other setting is the default. scan-bench runs it under Xvfb in the
 * rig's client namespace and compares it with portqry on the same ports.
 *
 *   check-bench HOST CHECK-ID RUNS
 *
 * Needs GSETTINGS_SCHEMA_DIR (the build's data/) and a display.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "pq-application.h"
#include "pq-checks.h"
#include "pq-window-private.h"

static PqWindow *window;

static gpointer
child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), PQ_TYPE_WINDOW, name);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop while the window's busy state is @busy, at most
 * @seconds. Returns: FALSE on time out */
static gboolean
wait_while_busy (gboolean busy,
                 guint    seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (pq_window_get_busy (window) == busy && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
choose_check (const char *id)
{
  GListModel *checks = gtk_drop_down_get_model (GTK_DROP_DOWN (child ("check_dropdown")));
  guint position;

  if (pq_checks_find (checks, id, &position) == NULL)
    return FALSE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("check_dropdown")), position);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child ("check_radio")), TRUE);
  return TRUE;
}

/* Returns: seconds from Query to the last row, or -1 */
static double
one_run (void)
{
  gint64 start = g_get_monotonic_time ();

  g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
  /* The query may start on the next iteration; then wait for its end. */
  if (!pq_window_get_busy (window))
    wait_while_busy (FALSE, 5);
  if (!wait_while_busy (TRUE, 120))
    return -1;
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(PqApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  int runs;

  if (argc != 4 || (runs = atoi (argv[3])) < 1)
    {
      g_printerr ("usage: %s HOST CHECK-ID RUNS\n", argv[0]);
      return 2;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  settings = g_settings_new (SCHEMA_ID);
  g_settings_set_boolean (settings, "reverse-lookup", FALSE);

  app = pq_application_new ("io.github.portquery.PortQuery.Bench", G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("window-bench: %s\n", error->message);
      return 2;
    }
  window = pq_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));

  if (!choose_check (argv[2]))
    {
      g_printerr ("window-bench: no service check “%s”\n", argv[2]);
      return 2;
    }
  gtk_editable_set_text (GTK_EDITABLE (child ("target_entry")), argv[1]);

  for (int i = 1; i <= runs; i++)
    {
      double s = one_run ();
      GListModel *results = pq_window_get_results (window);

      if (s < 0)
        {
          g_printerr ("window-bench: run %d did not finish\n", i);
          return 1;
        }
      g_print ("run %d: %.3f s, %u rows\n", i, s, g_list_model_get_n_items (results));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
