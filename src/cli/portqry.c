/* portqry.c: PortQry's command line on Linux
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "portqry"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pq-cli-args.h"
#include "pq-cli-interactive.h"
#include "pq-cli-local.h"
#include "pq-cli-log.h"
#include "pq-domain.h"
#include "pq-error.h"
#include "pq-file.h"
#include "pq-ports.h"
#include "pq-query.h"
#include "pq-report-text.h"
#include "pq-target-list.h"
#include "pq-scan-options.h"
#include "pq-writers.h"

typedef struct
{
  Args         *args;
  GMainLoop    *loop;
  PqQuery      *query;
  GString      *text;          /* everything printed, for -l */
  GError       *error;
  char        **argv;
  GCancellable *cancellable;   /* Ctrl+C, in every phase */
  gboolean      writing;       /* the query is over, the files are written */
  gboolean      writing_done;
  gboolean      write_stopped; /* Ctrl+C stopped the export: no file changed */
  int           code;          /* of the writing phase */
  GCancellable *write_cancellable;  /* Ctrl+C while the files are written:
                                     * a cancelled query's are written too */
} Run;

/* ------------------------------------------------------------------ */
/* Output: PortQry's text layout (pq-report-text.c) as the query goes   */

static void
emit (Run        *run,
      GString    *piece)
{
  g_string_append_len (run->text, piece->str, (gssize) piece->len);
  if (!run->args->quiet && !run->args->json)
    {
      fputs (piece->str, stdout);
      fflush (stdout);
    }
}

/* Nothing shows the text and no log keeps it: skip the formatting. */
static gboolean
wants_text (Run *run)
{
  return (!run->args->quiet && !run->args->json) || run->args->log_file != NULL;
}

static void
on_address (PqQuery *query,
            guint    index,
            Run     *run)
{
  g_autoptr(GString) piece = g_string_new (NULL);

  pq_text_append_address (piece, pq_query_get_report (query), index);
  emit (run, piece);
}

static void
on_result (PqQuery  *query,
           PqResult *result,
           Run      *run)
{
  g_autoptr(GString) piece = NULL;

  if (!wants_text (run))
    return;
  piece = g_string_new (NULL);
  pq_text_append_query_result (piece, result, &run->args->scan, run->args->verbose);
  emit (run, piece);
}

/* The traces come after every port is decided, a few seconds each: say
 * so, or the pause looks like a hang. */
static void
on_trace (PqQuery  *query,
          PqResult *result,
          guint     index,
          guint     total,
          Run      *run)
{
  if (index == 0 && !run->args->quiet)
    g_printerr (ngettext ("portqry: tracing the path to %u port not listening, a few seconds each\n",
                          "portqry: tracing the path to %u ports not listening, a few seconds each\n",
                          total), total);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Run *run = data;

  pq_query_run_finish (PQ_QUERY (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_sigint (gpointer data)
{
  Run *run = data;

  g_cancellable_cancel (run->cancellable);
  if (run->write_cancellable != NULL)
    g_cancellable_cancel (run->write_cancellable);
  /* While the files are written nothing else listens: stop waiting for
   * them (run_query says the query was cancelled). */
  if (run->writing)
    g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
write_log (Run     *run,
           GError **error)
{
  g_autoptr(GString) text = g_string_new (run->text->str);

  /* A log that stops short says why, as the terminal did. */
  if (is_cancelled (run->error))
    g_string_append_printf (text, "\n%s\n", _("Query cancelled."));
  /* Whether it may be overwritten was checked before the query. */
  return pq_cli_write_log (run->args->log_file, run->argv, text->str, error);
}

/* Ctrl+C (@cancellable) stops the export between rows, and its
 * temporary file goes. */
static gboolean
export_report (PqReport      *report,
               const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  PqReportFormat format;

  return pq_report_format_for_path (path, &format, error) &&
         pq_report_write_path (report, path, format, cancellable, error);
}

static int
fail (PqExitCode   code,
      const char  *message)
{
  g_printerr ("portqry: %s\n", message);
  if (code == PQ_EXIT_USAGE)
    g_printerr (_("Type portqry --help for the options.\n"));
  return code;
}

/* Every -n: a name or address as PortQry takes it; several hosts, a
 * CIDR block or a last-octet range make a query of several hosts. */
static gboolean
parse_targets (Args       *args,
               GPtrArray  *targets,
               GError    **error)
{
  for (guint i = 0; i < args->names->len; i++)
    if (!pq_target_list_append (targets, g_ptr_array_index (args->names, i), error))
      return FALSE;
  return TRUE;
}

/* What can be checked before anything is sent: the arguments, the log
 * file, the export's format and the services file. */
static PqQuery *
prepare_query (Args    *args,
               GError **error)
{
  g_autoptr(GArray) ports = NULL;
  g_autoptr(PqServices) services = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  PqProtocols protocols = PQ_PROTOCOLS_TCP;
  PqReportFormat format;
  PqQuery *query;

  if (args->names == NULL || args->names->len == 0)
    {
      g_set_error_literal (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("Say which host to query with -n, for example: portqry -n server.example.com -e 53"));
      return NULL;
    }
  if ((args->protocol && !pq_protocols_parse (args->protocol, &protocols, error)) ||
      (ports = pq_cli_args_ports (args, error)) == NULL ||
      !pq_scan_options_validate (&args->scan, error) ||
      !parse_targets (args, targets, error))
    return NULL;

  if (!pq_cli_may_write_log (args->log_file, args->overwrite, args->quiet, error))
    return NULL;
  if (args->export_file != NULL && !pq_report_format_for_path (args->export_file, &format, error))
    return NULL;
  if (args->services_file != NULL &&
      (services = pq_services_new_from_file (args->services_file, error)) == NULL)
    return NULL;

  query = pq_query_new (g_ptr_array_index (targets, 0), &args->scan, args->choice);
  for (guint i = 1; i < targets->len; i++)
    pq_query_add_target (query, g_ptr_array_index (targets, i));
  pq_query_add_ports (query, ports, protocols);
  pq_query_set_services (query, services);
  pq_query_set_community (query, args->community);
  pq_query_set_reverse_lookup (query, !args->no_reverse);
  pq_query_set_trace (query, args->trace);
  return query;
}

static gboolean
is_resolve_error (const GError *error)
{
  return g_error_matches (error, PQ_ERROR, PQ_ERROR_NOT_FOUND) ||
         g_error_matches (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
}

/* Runs the query on a main loop, Ctrl+C cancelling it. */
static void
run_to_end (Run *run)
{
  g_signal_connect (run->query, "address", G_CALLBACK (on_address), run);
  g_signal_connect (run->query, "result", G_CALLBACK (on_result), run);
  g_signal_connect (run->query, "trace", G_CALLBACK (on_trace), run);
  pq_query_run_async (run->query, run->cancellable, query_done_cb, run);
  g_main_loop_run (run->loop);
}

/* Of several hosts, one that could not be queried is said on standard
 * error; it makes the exit code 4, as one host's would. */
static gboolean
all_hosts_queried (PqReport *report)
{
  gboolean all = TRUE;

  for (guint t = 0; t < pq_report_get_n_targets (report); t++)
    if (pq_report_get_target_error (report, t) != NULL)
      {
        g_printerr ("portqry: %s: %s\n", pq_target_get_input (pq_report_get_nth_target (report, t)),
                    pq_report_get_target_error (report, t));
        all = FALSE;
      }
  return all;
}

/* The JSON, the log and the export, then the exit code: a file that
 * could not be written is a failure (4), not the ports' answer. */
static int
write_outputs (Run *run)
{
  PqReport *report = pq_query_get_report (run->query);
  g_autoptr(GError) log_error = NULL;
  g_autoptr(GError) export_error = NULL;

  if (report != NULL && pq_report_get_n_targets (report) > 1)
    {
      g_autoptr(GString) piece = g_string_new (NULL);

      pq_text_append_hosts_summary (piece, report);
      emit (run, piece);
    }
  if (run->args->json && report != NULL)
    {
      g_autofree char *json = pq_report_to_json (report);
      fputs (json, stdout);
      fflush (stdout);
    }
  if (run->args->log_file != NULL && !write_log (run, &log_error))
    g_printerr ("portqry: %s\n", log_error->message);
  if (run->args->export_file != NULL && report != NULL &&
      !export_report (report, run->args->export_file, run->write_cancellable, &export_error))
    {
      g_printerr ("portqry: %s\n", export_error->message);
      run->write_stopped = is_cancelled (export_error);
    }

  if (run->error != NULL)
    return fail (PQ_EXIT_ERROR, is_cancelled (run->error) ? _("Query cancelled.") : run->error->message);
  if (log_error != NULL || export_error != NULL || (report != NULL && !all_hosts_queried (report)))
    return PQ_EXIT_ERROR;
  return pq_report_get_exit_code (report);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Run *run = data;

  run->code = write_outputs (run);
  g_task_return_boolean (task, TRUE);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Run *run = data;

  run->writing_done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Writing may block (a FIFO nobody reads, a slow disk, a full pipe on
 * standard output), so it runs in a thread and Ctrl+C still ends the
 * program at once. A stopped writer is left behind: the process exits
 * under it. Regular files are replaced by rename, so none is cut short. */
static int
write_outputs_stoppable (Run *run)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, write_done_cb, run);

  run->write_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, run, NULL);
  g_task_run_in_thread (task, write_thread);
  g_main_loop_run (run->loop);
  if (run->writing_done)
    g_clear_object (&run->write_cancellable);
  else
    {
      /* An export stops at once and removes its temporary file: a moment
       * for that, so none is left behind. */
      gint64 until = g_get_monotonic_time () + 100 * 1000;

      while (!run->writing_done && g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (1000);
      /* Ctrl+C came as the last byte went: every file is whole, and the
       * exit code says what the query found, not that it was stopped. */
      if (run->writing_done && !run->write_stopped)
        {
          g_clear_object (&run->write_cancellable);
          return run->code;
        }
      fail (PQ_EXIT_ERROR, _("Query cancelled."));
      fflush (stdout);
      _exit (PQ_EXIT_ERROR);
    }
  return run->code;
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *controllers;
  GError    *error;
} Lookup;

static void
domain_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Lookup *lookup = data;

  lookup->controllers = pq_domain_lookup_finish (result, &lookup->error);
  g_main_loop_quit (lookup->loop);
}

/* --domain: the domain's controllers (DNS SRV), printed with priority
 * and weight, become hosts of the query after those of -n. */
static gboolean
find_controllers (Run     *run,
                  GError **error)
{
  Lookup lookup = { run->loop, NULL, NULL };
  g_autoptr(GString) piece = NULL;
  g_autofree char *list = NULL;

  pq_domain_lookup_async (run->args->domain, NULL, domain_cb, &lookup);
  g_main_loop_run (run->loop);
  if (lookup.controllers == NULL)
    {
      g_propagate_error (error, lookup.error);
      return FALSE;
    }
  if (run->args->names == NULL)
    run->args->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < lookup.controllers->len; i++)
    g_ptr_array_add (run->args->names,
                     g_strdup (g_srv_target_get_hostname (g_ptr_array_index (lookup.controllers, i))));
  list = pq_domain_describe (run->args->domain, lookup.controllers);
  piece = g_string_new (list);
  emit (run, piece);
  g_ptr_array_unref (lookup.controllers);
  return TRUE;
}

static int
run_query (Args  *args,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PqQuery) query = NULL;
  Run run = { args, loop, NULL, text, NULL, argv, cancellable, FALSE, FALSE, 0 };
  guint sigint_id;
  int code;

  if (args->domain != NULL && !find_controllers (&run, &error))
    return fail (g_error_matches (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET) ? PQ_EXIT_USAGE : PQ_EXIT_ERROR,
                 error->message);
  if ((query = prepare_query (args, &error)) == NULL)
    return fail (PQ_EXIT_USAGE, error->message);
  run.query = query;

  /* One handler from the first lookup to the last byte written. */
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &run);
  run_to_end (&run);
  /* Ctrl+C just after the last port is a stop all the same. */
  if (run.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &run.error);
  if (pq_query_get_report (query) == NULL && is_resolve_error (run.error))
    {
      /* The name did not resolve; the log keeps what was printed. */
      g_autoptr(GString) piece = g_string_new (NULL);

      pq_text_append_unresolved (piece, pq_query_get_target (query));
      emit (&run, piece);
    }
  run.writing = TRUE;
  code = write_outputs_stoppable (&run);
  g_source_remove (sigint_id);
  g_clear_error (&run.error);
  return code;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Args) args = { 0 };
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("PORTQUERY_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* PORTQUERY_LOCALEDIR lets the tests (and translators) use the catalogs
   * of a build tree before they are installed. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);
  /* Every port in flight holds a descriptor. */
  pq_raise_fd_limit ();

  if (!pq_cli_args_parse (&args, argc, argv, &error))
    return fail (PQ_EXIT_USAGE, error->message);
  if (args.help || argc == 1)
    {
      pq_cli_print_usage (args.help ? stdout : stderr);
      return args.help ? 0 : PQ_EXIT_USAGE;
    }
  if (args.version)
    {
      printf ("portqry %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (args.interactive)
    return pq_cli_interactive_run (&args);
  if (pq_cli_is_local_mode (&args))
    return pq_cli_local_run (&args, argv);
  return run_query (&args, argv);
}
