/* pq-cli-local.c: portqry -local, -wport and -wpid (PortQry's local mode)
 *
 * -local prints this computer's endpoints once (pq-local-text.c). -wport
 * and -wpid look every -wt seconds and print a snapshot whenever what
 * they watch changed, until Ctrl+C or, on a terminal, Esc; -l logs it all.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "portqry"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "pq-cli-local.h"
#include "pq-cli-log.h"
#include "pq-error.h"
#include "pq-local-text.h"
#include "pq-report-text.h"

#define PQ_DEFAULT_WATCH_SECONDS 60

typedef struct
{
  Args          *args;
  PqLocalTable  *table;
  GString       *text;        /* everything printed, for -l */
  GMainLoop     *loop;
  char          *last;        /* the watched endpoints' keys at the last look */
  const char    *stopped;     /* why watching stopped */
  GError        *error;
} Watch;

gboolean
pq_cli_is_local_mode (Args *args)
{
  return args->local || args->watch_port != 0 || args->watch_pid != 0 || args->watch_seconds != 0;
}

static void
emit (Watch      *w,
      const char *text)
{
  g_string_append (w->text, text);
  fputs (text, stdout);
  fflush (stdout);
}

/* PortQry's rules: one mode at a time, -wt only with a watch, nothing
 * of a remote query. */
static gboolean
check_args (Args    *args,
            GError **error)
{
  guint modes = (args->local != FALSE) + (args->watch_port != 0) + (args->watch_pid != 0);
  g_autofree char *proc = g_strdup_printf ("/proc/%u", args->watch_pid);
  const char *message = NULL;

  if (modes > 1)
    message = _("Use only one of -local, -wport and -wpid.");
  else if (modes == 0 || (args->watch_seconds != 0 && args->local))
    message = _("-wt says how often -wport or -wpid look, for example: portqry -wport 80 -wt 10");
  else if (args->names != NULL || args->endpoints != NULL || args->ordered != NULL ||
           args->range != NULL || args->protocol != NULL)
    message = _("-local, -wport and -wpid look at this computer: leave out -n, -p, -e, -o and -r.");
  else if (args->watch_pid != 0 && !g_file_test (proc, G_FILE_TEST_IS_DIR))
    message = _("No process has this PID. ps or top lists the running processes.");
  if (message != NULL)
    g_set_error_literal (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION, message);
  return message == NULL;
}

/* The watched endpoints, and whether they changed since the last look. */
static GListModel *
look (Watch     *w,
      gboolean  *changed)
{
  g_autoptr(GString) keys = g_string_new (NULL);
  GListModel *mine;
  guint n;

  if (!pq_local_table_refresh (w->table, &w->error))
    return NULL;
  mine = pq_local_table_filter (w->table, w->args->watch_port, (int) w->args->watch_pid);
  n = g_list_model_get_n_items (mine);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (mine, i);
      g_autofree char *key = pq_local_endpoint_key (e);

      g_string_append_printf (keys, "%s\n", key);
    }
  *changed = g_strcmp0 (keys->str, w->last) != 0;
  g_free (w->last);
  w->last = g_string_free (g_steal_pointer (&keys), FALSE);
  return mine;
}

static void
append_date (GString *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = g_date_time_format (now, "%a %b %d %H:%M:%S %Y");

  g_string_append_printf (out, "System Date: %s\n\n", text);
}

static void
print_snapshot (Watch      *w,
                GListModel *mine)
{
  g_autoptr(GString) out = g_string_new ("\n==============\n");

  append_date (out);
  if (g_list_model_get_n_items (mine) == 0)
    g_string_append_printf (out, w->args->watch_port ? _("No endpoint uses port %u.\n\n")
                                                     : _("Process %u has no TCP or UDP endpoint.\n\n"),
                            w->args->watch_port ? w->args->watch_port : w->args->watch_pid);
  else
    {
      pq_local_text_append_usage (out, mine);
      pq_local_text_append_statistics (out, mine);
      pq_local_text_append_mappings (out, mine);
      if (w->args->verbose)
        pq_local_text_append_processes (out, mine);
    }
  if (w->args->watch_port != 0)
    pq_local_text_append_hidden (out, pq_local_table_get_n_hidden (w->table));
  emit (w, out->str);
}

static gboolean
on_tick (gpointer data)
{
  Watch *w = data;
  gboolean changed = FALSE;
  g_autoptr(GListModel) mine = look (w, &changed);

  if (mine == NULL)
    {
      g_main_loop_quit (w->loop);
      return G_SOURCE_REMOVE;
    }
  if (changed)
    print_snapshot (w, mine);
  return G_SOURCE_CONTINUE;
}

/* Ctrl+C or a kill: the watch stops, and says which. */
typedef struct
{
  Watch      *watch;
  const char *why;
} Stop;

static gboolean
on_signal (gpointer data)
{
  Stop *stop = data;

  stop->watch->stopped = stop->why;
  g_main_loop_quit (stop->watch->loop);
  return G_SOURCE_CONTINUE;
}

/* Esc on the terminal stops watching, as in PortQry. */
static gboolean
on_key (int          fd,
        GIOCondition condition,
        gpointer     data)
{
  Watch *w = data;
  char c = 0;

  if (read (fd, &c, 1) <= 0)
    return G_SOURCE_REMOVE;   /* end of input: Ctrl+C still stops */
  if (c == 0x1b)
    {
      w->stopped = "Escape key pressed";
      g_main_loop_quit (w->loop);
    }
  return G_SOURCE_CONTINUE;
}

static void
print_watch_head (Watch *w)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint seconds = w->args->watch_seconds ? w->args->watch_seconds : PQ_DEFAULT_WATCH_SECONDS;

  if (w->args->watch_port != 0)
    g_string_append_printf (out, "Watching port: %u\n", w->args->watch_port);
  else
    g_string_append_printf (out, "Watching PID: %u\n", w->args->watch_pid);
  g_string_append_printf (out, "Checking for changes every %u seconds\n", seconds);
  if (w->args->verbose)
    g_string_append (out, "verbose output requested\n");
  emit (w, out->str);
}

static void
watch_until_stopped (Watch *w)
{
  guint seconds = w->args->watch_seconds ? w->args->watch_seconds : PQ_DEFAULT_WATCH_SECONDS;
  struct termios saved, raw;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  guint key_id = 0, tick_id, sigint_id, sigterm_id;
  g_autoptr(GString) out = g_string_new (NULL);
  Stop interrupted = { w, "Ctrl+C pressed" }, terminated = { w, "Terminated" };

  print_watch_head (w);
  if (tty)
    {
      /* Keys without Enter and without echo, so Esc is seen at once. */
      raw = saved;
      raw.c_lflag &= ~(ICANON | ECHO);
      tcsetattr (STDIN_FILENO, TCSANOW, &raw);
      key_id = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_key, w);
    }
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &interrupted);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &terminated);
  if (on_tick (w))
    {
      tick_id = g_timeout_add_seconds (seconds, on_tick, w);
      g_main_loop_run (w->loop);
      g_source_remove (tick_id);
    }
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (key_id != 0)
    g_source_remove (key_id);
  if (tty)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);

  if (w->error == NULL)
    {
      g_string_append_printf (out, "\n%s: watching stopped\n", w->stopped ? w->stopped : "Error");
      append_date (out);
      emit (w, out->str);
    }
}

/**
 * pq_cli_local_run:
 *
 * Returns: the exit code: 0, 3 for a wrong command line, 4 when the
 *   kernel's tables or the log could not be read or written
 */
int
pq_cli_local_run (Args  *args,
                  char **argv)
{
  g_autoptr(PqLocalTable) table = pq_local_table_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Watch w = { args, table, text, loop, NULL, NULL, NULL };
  int code = 0;

  if (!check_args (args, &error) ||
      !pq_cli_may_write_log (args->log_file, args->overwrite, FALSE, &error))
    {
      g_printerr ("portqry: %s\n%s", error->message, _("Type portqry --help for the options.\n"));
      return PQ_EXIT_USAGE;
    }
  if (args->local)
    {
      g_autofree char *listing = NULL;

      if (pq_local_table_refresh (table, &w.error))
        {
          listing = pq_local_table_to_text (table, args->verbose);
          emit (&w, listing);
        }
    }
  else
    watch_until_stopped (&w);
  g_free (w.last);

  if (w.error != NULL)
    {
      g_printerr ("portqry: %s\n", w.error->message);
      g_clear_error (&w.error);
      code = PQ_EXIT_ERROR;
    }
  if (args->log_file != NULL && !pq_cli_write_log (args->log_file, argv, text->str, &error))
    {
      g_printerr ("portqry: %s\n", error->message);
      code = PQ_EXIT_ERROR;
    }
  return code;
}
