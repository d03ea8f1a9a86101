/* pq-application.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <unistd.h>

#include "pq-application.h"
#include "pq-preferences-window.h"
#include "pq-window.h"

struct _PqApplication
{
  AdwApplication  parent_instance;
};

G_DEFINE_FINAL_TYPE (PqApplication, pq_application, ADW_TYPE_APPLICATION)

/* Also for .Devel: the resources, style.css and help-overlay.ui live here. */
#define RESOURCE_BASE "/io/github/portquery/PortQuery"

static void
pq_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (pq_window_new (PQ_APPLICATION (app)));
  gtk_window_present (window);
}

/* `portquery report.json`: each saved report in a window of its own, to
 * look at again or to compare side by side. */
static void
pq_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      PqWindow *window = pq_window_new (PQ_APPLICATION (app));

      gtk_window_present (GTK_WINDOW (window));
      pq_window_open_file (window, files[i]);
    }
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Closing the windows lets each save its size and stop its query. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
  g_application_quit (G_APPLICATION (app));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWindow *prefs = pq_preferences_window_new (parent);

  gtk_window_present (prefs);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  static const char *developers[] = { "The Port Query authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about = adw_about_window_new ();

  /* AdwAboutWindow 1.2 has no new_from_appdata: fill it by hand. */
  g_object_set (about,
                "transient-for", parent,
                "application-name", _("Port Query"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Port Query authors"),
                "developers", developers,
                "comments", _("See whether the ports of a host are listening, not listening or filtered, and why."),
                "website", "https://github.com/portquery/portquery",
                "issue-url", "https://github.com/portquery/portquery/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Port Query authors",
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "about", .activate = about_activated },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.query", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "win.stop", { "Escape", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.search", { "<Control>f", NULL } },
};

static void
pq_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (pq_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), app_accels[i].action,
                                           app_accels[i].accels);
}

static void
pq_application_class_init (PqApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pq_application_activate;
  app_class->open = pq_application_open;
  app_class->startup = pq_application_startup;
}

static void
pq_application_init (PqApplication *self)
{
}

PqApplication *
pq_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (PQ_TYPE_APPLICATION,
                       "application-id", application_id,
                       /* Saved reports open from the command line. */
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * pq_application_setup_memory:
 * @argv: the program's arguments, to start it again with
 *
 * Before anything else in main(): how the window's memory is kept, for
 * a window open all day that queries 65,535 ports at a time.
 */
void
pq_application_setup_memory (char **argv)
{
  /* GLib 2.74's slice allocator keeps every block it ever handed out: a
   * 65,535-port report's parse tree stayed as 180 MB after it was freed.
   * Plain malloc gives it back (pq_results_view_set_results trims). GLib
   * reads G_SLICE when it loads, so the program starts again with it;
   * GLib 2.76 and later always use malloc and ignore it. */
  if (getenv ("G_SLICE") == NULL && setenv ("G_SLICE", "always-malloc", 1) == 0)
    execv ("/proc/self/exe", argv);
#ifdef __GLIBC__
  /* Each thread that allocates gets a malloc arena of its own (up to 8
   * a CPU); the scanner's, GIO's and GTK's threads left a query's rows
   * spread over up to 16 arenas, each keeping pages half used. Two:
   * growth over 20 full-range queries 2.6 - 11.2 MB (median 5.0)
   * against 7.0 - 21.3 MB (median 14.1), memory in use the same
   * (bench/window-bench, README). */
  mallopt (M_ARENA_MAX, 2);
#endif
}
