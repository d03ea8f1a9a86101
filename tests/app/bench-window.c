/* bench-window.c: what large scans cost the window (bench/window-bench
 * runs it and takes the medians of its runs)
 *
 *   bench-window open REPORT.json REPEATS: the time from reading a saved
 *     report to the first frame that shows it and the memory it adds to an
 *     empty window; then REPEATS times each sort, All/Listening/Problems
 *     switch and search keystroke, until the next frame is painted
 *   bench-window scan HOST COUNT: COUNT live queries of TCP 1-65535 in one
 *     window: the memory the first adds to the empty window, and each
 *     query's time and memory after it
 *
 * Every figure is printed as a line "name value" for the script.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <malloc.h>
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

/* What malloc has handed out and not got back: unlike the resident
 * size, blind to the free pieces glibc keeps between live ones. A leak
 * grows both; fragments grow only the resident size. */
static double
heap_in_use_mb (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / 1048576.0;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Runs @step and prints "@what ms" until the next frame is painted. */
static void
timed (const char *what,
       GtkWidget  *window,
       void      (*step) (PqResultsView *, gpointer),
       PqResultsView *view,
       gconstpointer arg)
{
  double t = now_ms ();

  step (view, (gpointer) arg);
  wait_for_frame (window);
  printf ("%s %.1f\n", what, now_ms () - t);
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

static PqWindow *
open_window (PqApplication *app,
             double        *empty_mb)
{
  PqWindow *window = pq_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  wait_for_frame (GTK_WIDGET (window));
  wait_for_frame (GTK_WIDGET (window));
  *empty_mb = rss_mb ();
  return window;
}

static int
bench_open (PqWindow   *window,
            double      empty_mb,
            const char *path,
            guint       repeats)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = NULL;
  PqResultsView *view = window->results_view;
  double t = now_ms ();

  report = pq_report_load_file (path, &error);
  if (report == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("read_ms %.1f\n", now_ms () - t);
  pq_window_show_report (window, report);
  wait_for_frame (GTK_WIDGET (window));
  printf ("open_ms %.1f\n", now_ms () - t);
  printf ("open_mb %.1f\n", rss_mb () - empty_mb);
  printf ("rows %u\n", g_list_model_get_n_items (_pq_results_view_get_shown_rows (view)));

  for (guint i = 0; i < repeats; i++)
    {
      timed ("sort_status_ms", GTK_WIDGET (window), sort_by, view, "status_column");
      timed ("sort_port_ms", GTK_WIDGET (window), sort_by, view, "port_column");
      timed ("show_listening_ms", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_LISTENING));
      timed ("show_problems_ms", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_PROBLEMS));
      timed ("show_all_ms", GTK_WIDGET (window), show, view, GINT_TO_POINTER (PQ_SHOW_ALL));
      timed ("search_4_ms", GTK_WIDGET (window), search, view, "4");
      timed ("search_44_ms", GTK_WIDGET (window), search, view, "44");
      timed ("search_443_ms", GTK_WIDGET (window), search, view, "443");
      timed ("search_refused_ms", GTK_WIDGET (window), search, view, "refused");
      timed ("search_cleared_ms", GTK_WIDGET (window), search, view, NULL);
    }
  printf ("after_all_mb %.1f\n", rss_mb () - empty_mb);
  return 0;
}

/* @count queries of every TCP port of @host, as a person types them. */
static int
bench_scan (PqWindow   *window,
            double      empty_mb,
            const char *host,
            guint       count)
{
  double first_mb = 0;
  double first_heap_mb = 0;

  for (guint i = 0; i < count; i++)
    {
      double t = now_ms ();

      gtk_editable_set_text (GTK_EDITABLE (window->target_entry), host);
      gtk_check_button_set_active (window->ports_radio, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (window->ports_entry), "1-65535");
      gtk_drop_down_set_selected (window->protocol_dropdown, 0);
      g_action_group_activate_action (G_ACTION_GROUP (window), "query", NULL);
      while (pq_window_get_busy (window))
        g_main_context_iteration (NULL, TRUE);
      wait_for_frame (GTK_WIDGET (window));
      printf ("scan_ms %.1f\n", now_ms () - t);
      if (g_list_model_get_n_items (pq_window_get_results (window)) != 65535)
        {
          fprintf (stderr, "the query gave %u results, not 65535\n",
                   g_list_model_get_n_items (pq_window_get_results (window)));
          return 1;
        }
      if (i == 0)
        {
          first_mb = rss_mb ();
          first_heap_mb = heap_in_use_mb ();
          printf ("scan_first_mb %.1f\n", first_mb - empty_mb);
        }
      printf ("scan_%u_growth_mb %.1f\n", i + 1, rss_mb () - first_mb);
    }
  printf ("scans_growth_mb %.1f\n", rss_mb () - first_mb);
  printf ("scans_heap_growth_mb %.1f\n", heap_in_use_mb () - first_heap_mb);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PqApplication) app = NULL;
  PqWindow *window;
  double empty_mb;
  int status;

  if (argc != 4 || (strcmp (argv[1], "open") != 0 && strcmp (argv[1], "scan") != 0))
    {
      fprintf (stderr, "usage: bench-window open REPORT.json REPEATS | scan HOST COUNT\n");
      return 2;
    }
  /* As src/app/main.c does, before GLib starts. */
  pq_application_setup_memory (argv);
  adw_init ();
  app = pq_application_new ("io.github.portquery.PortQuery.Bench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = open_window (app, &empty_mb);
  if (strcmp (argv[1], "open") == 0)
    status = bench_open (window, empty_mb, argv[2], (guint) atoi (argv[3]));
  else
    status = bench_scan (window, empty_mb, argv[2], (guint) atoi (argv[3]));
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
