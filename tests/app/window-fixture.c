/* window-fixture.c: the window the application's tests drive
 *
 * Never the user's checks or settings (a fresh configuration folder, the
 * memory settings backend); short waits, so a dropped port is FILTERED
 * after one 300 ms try; no reverse lookup unless a test turns it on.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "window-fixture.h"

/* GTK's recent files off, as a desktop may have them: GTK 4.8's file
 * chooser adds each file chosen to recently-used.xbel, and that code
 * leaks a GDateTime each time (LeakSanitizer, scripts/test.sh). Port
 * Query does not use them. */
static void
write_gtk_settings (const char *config)
{
  g_autofree char *folder = g_build_filename (config, "gtk-4.0", NULL);
  g_autofree char *path = g_build_filename (folder, "settings.ini", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Settings]\ngtk-recent-files-enabled=false\n", -1, NULL));
}

/* Sets up the environment and GTK.
 * Returns: (transfer full): the configuration folder, for the caller to
 *   look into */
char *
window_fixture_init (int    *argc,
                     char ***argv)
{
  g_autoptr(GError) error = NULL;
  char *tmpdir;

  /* Memory as the application keeps it (the soak test measures it). */
  pq_application_setup_memory (*argv);
  tmpdir = g_dir_make_tmp ("pq-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  write_gtk_settings (tmpdir);
  g_setenv ("XDG_CONFIG_HOME", tmpdir, TRUE);
  /* GTK's data (recently-used.xbel) too, never the tester's own. */
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* The session bus lives in another network namespace (abstract socket). */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return tmpdir;
}

/* Returns: (transfer none): the window, shown; @app holds it */
PqWindow *
window_fixture_open (const char     *app_id,
                     PqApplication **app)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GError) error = NULL;
  PqWindow *window;

  g_settings_set_uint (settings, "tcp-timeout", 300);
  g_settings_set_uint (settings, "tcp-tries", 1);
  g_settings_set_uint (settings, "udp-wait", 300);
  g_settings_set_uint (settings, "udp-tries", 1);
  g_settings_set_boolean (settings, "reverse-lookup", FALSE);

  *app = pq_application_new (app_id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (*app), NULL, &error);
  g_assert_no_error (error);
  window = pq_window_new (*app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @window is idle (no query, no file being
 * written or read), or @seconds pass.
 * Returns: TRUE if it became idle */
gboolean
window_fixture_run_until_idle (PqWindow *window,
                               guint     seconds)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (seconds, set_flag_cb, &late);

  while (pq_window_get_busy (window) && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (id);
  return !late;
}

/* Runs the main loop until @cond holds; fails after @seconds, saying
 * what it waited for. */
void
window_fixture_wait (WindowFixtureCondition  cond,
                     gpointer                data,
                     guint                   seconds,
                     const char             *what)
{
  gboolean late = FALSE;
  guint id;

  seconds *= WINDOW_TIME_FACTOR;
  id = g_timeout_add_seconds (seconds, set_flag_cb, &late);
  while (!cond (data) && !late)
    g_main_context_iteration (NULL, TRUE);
  if (late)
    g_error ("timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

/* Runs the main loop for @ms milliseconds: the window draws and
 * settles meanwhile. */
void
window_fixture_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
width_is (PqWindow *window,
          int       width)
{
  int now = gtk_widget_get_width (GTK_WIDGET (window));

  /* The default size counts the frame GTK draws around the window. */
  return now <= width && now >= width - 20;
}

/* As a user drags the window's edge: a layout change on the way may
 * let it go narrower still, so the size is asked again until it holds.
 * (GTK 4.8 on X11 takes a new default size when the window maps.) */
void
window_fixture_resize (PqWindow *window,
                       int       width,
                       int       height)
{
  for (guint i = 0; i < 3 && !width_is (window, width); i++)
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      gtk_window_present (GTK_WINDOW (window));
      window_fixture_spin (500);
    }
  g_assert_true (width_is (window, width));
  window_fixture_spin (300);
}
