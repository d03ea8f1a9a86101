/* bench-window.c: what a large report costs the window (bench/window-bench
 * runs it): the time from reading a saved report to the first frame that
 * shows it, and the memory it adds to an empty window; sorting, the
 * All/Listening/Problems switch and search keystrokes, each until the next
 * frame is painted
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "pq-application.h"
#include "pq-report-load.h"
#include "pq-results-view-private.h"
#include "pq-window-private.h"

static guint paints;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  paints++;
}

/* Runs the main loop until a frame has been painted after now. */
static void
wait_for_frame (GtkWidget *window)
{
  guint before = paints;

  gtk_widget_queue_draw (window);
  while (paints == before)
    g_main_context_iteration (NULL, TRUE);
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
timed (const char *what,
       GtkWidget  *window,
       void      (*step) (PqResultsView *, gpointer),
       PqResultsView *view,
       gconstpointer arg)
{
  double t = now_ms ();
  double work;

  step (view, (gpointer) arg);
  work = now_ms () - t;
  wait_for_frame (window);
  printf ("%-40s %8.1f ms (%.1f ms before the frame)\n", what, now_ms () - t, work);
}

static void
sort_by (PqResultsView *view,
         gpointer       column_name)
{
  GtkColumnView *cv = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view), PQ_TYPE_RESULTS_VIEW,
                                                                      "column_view"));
  GtkColumnViewColumn *column = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                       PQ_TYPE_RESULTS_VIEW,
                                                                                       column_name));

  gtk_column_view_sort_by_column (cv, column, GTK_SORT_DESCENDING);
}

static void
show (PqResultsView *view,
      gpointer       mode)
{
  pq_results_view_set_show (view, GPOINTER_TO_INT (mode));
}

static void
search (PqResultsView *view,
        gpointer       text)
{
  pq_results_view_set_search_text (view, text);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PqApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;
  PqWindow *window;
  PqResultsView *view;
  double empty_mb, t;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-window REPORT.json\n");
      return 2;
    }
  /* As src/app/main.c does (GLib reads it when it loads). */
  if (getenv ("G_SLICE") == NULL && setenv ("G_SLICE", "always-malloc", 1) == 0)
    execv ("/proc/self/exe", argv);
  adw_init ();
  app = pq_application_new ("io.github.portquery.PortQuery.Bench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = pq_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame (GTK_WIDGET (window));
  wait_for_frame (GTK_WIDGET (window));
  empty_mb = rss_mb ();
  view = window->results_view;

  t = now_ms ();
  report = pq_report_load_file (argv[1], &error);
  if (report == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%-40s %8.1f ms, %.1f MB\n", "of which reading the report", now_ms () - t, rss_mb () - empty_mb);
  pq_window_show_report (window, report);
  wait_for_frame (GTK_WIDGET (window));
  printf ("%-40s %8.1f ms\n", "open the report (read, show, paint)", now_ms () - t);
  printf ("%-40s %8.1f MB\n", "memory added to the empty window", rss_mb () - empty_mb);
  printf ("%-40s %8u\n", "rows", g_list_model_get_n_items (_pq_results_view_get_shown_rows (view)));

  timed ("sort by Status", GTK_WIDGET (window), sort_by, view, "status_column");
  timed ("sort by Port", GTK_WIDGET (window), sort_by, view, "port_column");
  timed ("show Listening", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_LISTENING));
  timed ("show Problems", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_PROBLEMS));
  timed ("show All", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_ALL));
  timed ("search keystroke “4”", GTK_WIDGET (window), search, view, "4");
  timed ("search keystroke “44”", GTK_WIDGET (window), search, view, "44");
  timed ("search keystroke “443”", GTK_WIDGET (window), search, view, "443");
  timed ("search keystroke “refused”", GTK_WIDGET (window), search, view, "refused");
  timed ("search cleared", GTK_WIDGET (window), search, view, NULL);
  printf ("%-40s %8.1f MB\n", "memory added after all of the above", rss_mb () - empty_mb);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
