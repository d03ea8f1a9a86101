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

#include "pq-error.h"
#include "pq-file.h"
#include "pq-ports.h"
#include "pq-query.h"
#include "pq-report-text.h"
#include "pq-writers.h"

typedef struct
{
  char            *name;
  char            *protocol;
  char            *endpoints;     /* -e: one port, or PortQryUI's list */
  char            *ordered;       /* -o */
  char            *range;         /* -r */
  char            *log_file;
  char            *services_file;
  char            *community;
  char            *export_file;
  gboolean         overwrite;
  gboolean         no_reverse;
  gboolean         quiet;
  gboolean         json;
  gboolean         verbose;
  gboolean         help;
  gboolean         version;
  PqAddressChoice  choice;
  PqScanOptions    scan;
} Args;

typedef struct
{
  Args         *args;
  GMainLoop    *loop;
  PqQuery      *query;
  GString      *text;          /* everything printed, for -l */
  GError       *error;
} Run;

static void
args_clear (Args *args)
{
  g_free (args->name);
  g_free (args->protocol);
  g_free (args->endpoints);
  g_free (args->ordered);
  g_free (args->range);
  g_free (args->log_file);
  g_free (args->services_file);
  g_free (args->community);
  g_free (args->export_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

static void
print_usage (FILE *out)
{
  fprintf (out, _(
  /* Translators: keep the option names, tcp|udp|both and the states in
     capitals (LISTENING, NOT LISTENING, FILTERED): they are what is typed and
     printed. Keep the lines under 80 columns. */
"Usage: portqry -n name [-p tcp|udp|both] [-e port | -o list | -r start:end]\n"
"               [-l logfile [-y]] [-sp port] [-sl] [-nr] [-q] [-cn !community!]\n"
"               [-4 | -6 | --all-addresses] [--json] [-v]\n"
"\n"
"Queries TCP and UDP ports of a host and reports each as LISTENING,\n"
"NOT LISTENING, FILTERED or LISTENING or FILTERED, as Microsoft PortQry does.\n"
"Options are accepted with - or /, in any case (-n, /N).\n"
"\n"
"  -n, --name NAME        host to query: name, IPv4 or IPv6 address,\n"
"                         [IPv6] or fe80::1%%eth0 (required)\n"
"  -p, --protocol P       tcp (default), udp or both\n"
"  -e, --endpoint PORT    one port (default 80); a list such as 80,443,1024-1350\n"
"                         is accepted too, as PortQryUI passes it\n"
"  -o, --ports LIST       ports in the order given: 25,110,143\n"
"  -r, --range S:E        a range of ports: 1:1024\n"
"  -l, --log FILE         also write the output to FILE\n"
"  -y, --overwrite        overwrite the log file without asking\n"
"  -sp, --source-port N   send from this local port (error if it is in use)\n"
"  -sl, --slow-link       wait twice as long for UDP replies\n"
"  -nr, --no-reverse      do not look up the name of an IP address\n"
"  -q, --quiet            print nothing but errors; the exit code tells\n"
"  -cn, --community !C!   SNMP community (default public)\n"
"  -4, -6                 query the first IPv4 or IPv6 address of the name\n"
"  -a, --all-addresses    query every address the name resolves to\n"
"  -v, --verbose          show the evidence behind each state\n"
"      --json             write the results as JSON on standard output\n"
"      --export FILE      also write a report: FILE.txt, .csv, .json or .html\n"
"      --timeout MS       wait for each TCP connection attempt (default %u; once\n"
"                         the host has answered, its round trip, at least 100)\n"
"      --fixed-timeout    always wait the full --timeout\n"
"      --tries N          TCP connection attempts (default %u)\n"
"      --udp-wait MS      wait for a reply to each UDP datagram (default %u)\n"
"      --udp-tries N      UDP datagrams per port (default %u)\n"
"      --parallel N       ports in flight at once (default %u, fewer if the\n"
"                         open-file limit is lower)\n"
"      --no-probes        skip the protocol-specific queries\n"
"      --services FILE    services file naming the ports (default /etc/services)\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit codes: 0 LISTENING, 1 NOT LISTENING, 2 FILTERED or LISTENING or FILTERED.\n"
"For several ports: 1 if any is not listening, else 2 if any is filtered, else 0.\n"
"3: the command line is wrong; 4: the query could not run (name not found,\n"
"source port in use, cancelled) or the log or export could not be written.\n"),
           PQ_DEFAULT_TCP_TIMEOUT_MS, PQ_DEFAULT_TCP_TRIES, PQ_DEFAULT_UDP_WAIT_MS,
           PQ_DEFAULT_UDP_TRIES, PQ_DEFAULT_WINDOW);
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */

typedef enum { OPT_FLAG, OPT_STRING, OPT_UINT } OptKind;

typedef struct
{
  const char *short_name;   /* PortQry's, without the dash; NULL for none */
  const char *long_name;    /* GNU's, without the dashes */
  OptKind     kind;
  gsize       offset;
  guint       max;          /* for OPT_UINT */
  const char *example;      /* for a value: what to type */
} Opt;

#define ARG(field) G_STRUCT_OFFSET (Args, field)

static const Opt options[] = {
  { "n", "name", OPT_STRING, ARG (name), 0, "-n server.example.com" },
  { "p", "protocol", OPT_STRING, ARG (protocol), 0, "-p both" },
  { "e", "endpoint", OPT_STRING, ARG (endpoints), 0, "-e 53" },
  { "o", "ports", OPT_STRING, ARG (ordered), 0, "-o 25,110,143" },
  { "r", "range", OPT_STRING, ARG (range), 0, "-r 1:1024" },
  { "l", "log", OPT_STRING, ARG (log_file), 0, "-l portqry.log" },
  { "y", "overwrite", OPT_FLAG, ARG (overwrite), 0 },
  { "sl", "slow-link", OPT_FLAG, ARG (scan.slow_link), 0 },
  { "nr", "no-reverse", OPT_FLAG, ARG (no_reverse), 0 },
  { "sp", "source-port", OPT_UINT, ARG (scan.source_port), 65535, "-sp 53" },
  { "q", "quiet", OPT_FLAG, ARG (quiet), 0 },
  { "cn", "community", OPT_STRING, ARG (community), 0, "-cn !public!" },
  { "v", "verbose", OPT_FLAG, ARG (verbose), 0 },
  { "h", "help", OPT_FLAG, ARG (help), 0 },
  { "?", NULL, OPT_FLAG, ARG (help), 0 },
  { NULL, "json", OPT_FLAG, ARG (json), 0 },
  { NULL, "version", OPT_FLAG, ARG (version), 0 },
  { NULL, "services", OPT_STRING, ARG (services_file), 0, "--services /etc/services" },
  { NULL, "export", OPT_STRING, ARG (export_file), 0, "--export report.html" },
  { NULL, "timeout", OPT_UINT, ARG (scan.tcp_timeout_ms), PQ_MAX_TIMEOUT_MS, "--timeout 1000" },
  { NULL, "tries", OPT_UINT, ARG (scan.tcp_tries), PQ_MAX_TRIES, "--tries 3" },
  { NULL, "udp-wait", OPT_UINT, ARG (scan.udp_wait_ms), PQ_MAX_TIMEOUT_MS, "--udp-wait 1000" },
  { NULL, "udp-tries", OPT_UINT, ARG (scan.udp_tries), PQ_MAX_TRIES, "--udp-tries 2" },
  { NULL, "parallel", OPT_UINT, ARG (scan.window), PQ_MAX_WINDOW, "--parallel 256" },
};

static const Opt *
find_option (const char *arg,
             const char **inline_value)
{
  const char *name;

  *inline_value = NULL;
  if (g_str_has_prefix (arg, "--"))
    {
      g_autofree char *key = g_strdup (arg + 2);
      char *eq = strchr (key, '=');

      if (eq != NULL)
        {
          *eq = '\0';
          *inline_value = strchr (arg, '=') + 1;
        }
      for (guint i = 0; i < G_N_ELEMENTS (options); i++)
        if (options[i].long_name && g_ascii_strcasecmp (options[i].long_name, key) == 0)
          return &options[i];
      return NULL;
    }
  if (arg[0] != '-' && arg[0] != '/')
    return NULL;

  name = arg + 1;
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].short_name && g_ascii_strcasecmp (options[i].short_name, name) == 0)
      return &options[i];
  return NULL;
}

static gboolean
set_option (Args        *args,
            const Opt   *opt,
            const char  *arg,
            const char  *value,
            GError     **error)
{
  gpointer field = G_STRUCT_MEMBER_P (args, opt->offset);
  guint64 n;

  switch (opt->kind)
    {
    case OPT_FLAG:
      *(gboolean *) field = TRUE;
      return TRUE;
    case OPT_STRING:
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;
    case OPT_UINT:
    default:
      if (!g_ascii_string_to_unsigned (value, 10, 1, opt->max, &n, NULL))
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                       _("%s takes a whole number from 1 to %u, not “%s”."), arg, opt->max, value);
          return FALSE;
        }
      if (opt->offset == ARG (scan.source_port))
        *(guint16 *) field = (guint16) n;
      else
        *(guint *) field = (guint) n;
      return TRUE;
    }
}

/* -l -y: the user forgot the file name; "-y" is not meant as one. */
static gboolean
is_option_word (const char *word)
{
  const char *inline_value;
  static const char * const flags[] = { "-4", "/4", "-6", "/6", "-a", "--all-addresses",
                                        "--no-probes", "--fixed-timeout" };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_ascii_strcasecmp (word, flags[i]) == 0)
      return TRUE;
  return find_option (word, &inline_value) != NULL;
}

static gboolean
parse_args (Args    *args,
            int      argc,
            char   **argv,
            GError **error)
{
  pq_scan_options_init (&args->scan);
  args->choice = PQ_ADDRESS_FIRST;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = NULL;
      const Opt *opt;

      if (strcmp (arg, "-4") == 0 || strcmp (arg, "/4") == 0)
        { args->choice = PQ_ADDRESS_IPV4; continue; }
      if (strcmp (arg, "-6") == 0 || strcmp (arg, "/6") == 0)
        { args->choice = PQ_ADDRESS_IPV6; continue; }
      if (g_ascii_strcasecmp (arg, "-a") == 0 || g_ascii_strcasecmp (arg, "--all-addresses") == 0)
        { args->choice = PQ_ADDRESS_ALL; continue; }
      if (g_ascii_strcasecmp (arg, "--no-probes") == 0)
        { args->scan.probes = FALSE; continue; }
      if (g_ascii_strcasecmp (arg, "--fixed-timeout") == 0)
        { args->scan.adaptive = FALSE; continue; }

      opt = find_option (arg, &value);
      if (opt == NULL)
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                       _("Unknown option “%s”."), arg);
          return FALSE;
        }
      if (opt->kind != OPT_FLAG && value == NULL)
        {
          if (i + 1 >= argc)
            {
              g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("%s needs a value after it."), arg);
              return FALSE;
            }
          value = argv[++i];
          if (is_option_word (value))
            {
              g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("%s needs a value after it, not the option %s: for example %s"),
                           arg, value, opt->example);
              return FALSE;
            }
        }
      if (!set_option (args, opt, arg, value, error))
        return FALSE;
    }
  return TRUE;
}

/* PortQry wants the community as !name!; a bare name is taken as it is. */
static char *
unwrap_community (const char *text)
{
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '!' && text[len - 1] == '!')
    return g_strndup (text + 1, len - 2);
  return g_strdup (text);
}

static GArray *
ports_from_args (Args    *args,
                 GError **error)
{
  guint given = (args->endpoints != NULL) + (args->ordered != NULL) + (args->range != NULL);

  if (given > 1)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("Use only one of -e, -o and -r: -e 53 for one port, -o 25,110,143 for a list, -r 1:1024 for a range."));
      return NULL;
    }
  if (args->range != NULL)
    return pq_ports_parse_range (args->range, error);
  if (args->ordered != NULL)
    return pq_ports_parse (args->ordered, error);
  return pq_ports_parse (args->endpoints ? args->endpoints : "80", error);
}

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
  pq_text_append_result (piece, result, run->args->verbose);
  emit (run, piece);
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
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_log (Run     *run,
           char   **argv,
           GError **error)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *command = g_strjoinv (" ", argv);

  /* Whether it may be overwritten was checked before the query. */
  pq_text_append_log_header (log, now);
  g_string_append_printf (log, "Command run:\n %s\n\n", command);
  g_string_append_printf (log, "Local computer name:\n\n %s\n", g_get_host_name ());
  g_string_append (log, run->text->str);
  g_string_append_c (log, '\n');
  pq_text_append_log_footer (log);
  /* Written whole or not at all (pq-file.c); a device stays a device. */
  return pq_file_write (run->args->log_file, log->str, log->len, error);
}

static gboolean
export_report (PqReport    *report,
               const char  *path,
               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  PqReportFormat format;

  return pq_report_format_for_path (path, &format, error) &&
         pq_report_write_file (report, file, format, NULL, error);
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

/* What can be checked before anything is sent: the arguments, the log
 * file, the export's format and the services file. */
static PqQuery *
prepare_query (Args    *args,
               GError **error)
{
  g_autoptr(GArray) ports = NULL;
  g_autoptr(PqServices) services = NULL;
  g_autoptr(PqTarget) target = NULL;
  PqProtocols protocols = PQ_PROTOCOLS_TCP;
  PqReportFormat format;
  PqQuery *query;

  if (args->name == NULL)
    {
      g_set_error_literal (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("Say which host to query with -n, for example: portqry -n server.example.com -e 53"));
      return NULL;
    }
  if ((args->protocol && !pq_protocols_parse (args->protocol, &protocols, error)) ||
      (ports = ports_from_args (args, error)) == NULL ||
      !pq_scan_options_validate (&args->scan, error) ||
      (target = pq_target_new_parse (args->name, error)) == NULL)
    return NULL;

  /* Only a file would be lost: /dev/null or a FIFO is written in place. */
  if (args->log_file != NULL && g_file_test (args->log_file, G_FILE_TEST_IS_REGULAR) &&
      !args->overwrite && !args->quiet)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("The log file %s already exists. Add -y to overwrite it, or choose another name."),
                   args->log_file);
      return NULL;
    }
  if (args->export_file != NULL && !pq_report_format_for_path (args->export_file, &format, error))
    return NULL;
  if (args->services_file != NULL &&
      (services = pq_services_new_from_file (args->services_file, error)) == NULL)
    return NULL;

  query = pq_query_new (target, &args->scan, args->choice);
  pq_query_add_ports (query, ports, protocols);
  pq_query_set_services (query, services);
  pq_query_set_community (query, args->community);
  pq_query_set_reverse_lookup (query, !args->no_reverse);
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
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint sigint_id;

  g_signal_connect (run->query, "address", G_CALLBACK (on_address), run);
  g_signal_connect (run->query, "result", G_CALLBACK (on_result), run);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, cancellable);
  pq_query_run_async (run->query, cancellable, query_done_cb, run);
  g_main_loop_run (run->loop);
  g_source_remove (sigint_id);
}

/* The JSON, the log and the export, then the exit code: a file that
 * could not be written is a failure (4), not the ports' answer. */
static int
write_outputs (Run   *run,
               char **argv)
{
  PqReport *report = pq_query_get_report (run->query);
  g_autoptr(GError) log_error = NULL;
  g_autoptr(GError) export_error = NULL;

  if (run->args->json)
    {
      g_autofree char *json = pq_report_to_json (report);
      fputs (json, stdout);
    }
  if (run->args->log_file != NULL && !write_log (run, argv, &log_error))
    g_printerr ("portqry: %s\n", log_error->message);
  if (run->args->export_file != NULL && !export_report (report, run->args->export_file, &export_error))
    g_printerr ("portqry: %s\n", export_error->message);

  if (run->error != NULL)
    return fail (PQ_EXIT_ERROR, g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                  ? _("Query cancelled.") : run->error->message);
  if (log_error != NULL || export_error != NULL)
    return PQ_EXIT_ERROR;
  return pq_report_get_exit_code (report);
}

static int
run_query (Args  *args,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PqQuery) query = prepare_query (args, &error);
  Run run = { args, loop, query, text, NULL };
  int code;

  if (query == NULL)
    return fail (PQ_EXIT_USAGE, error->message);

  run_to_end (&run);
  if (pq_query_get_report (query) == NULL)
    {
      /* The name did not resolve, or the source port is taken. */
      if (is_resolve_error (run.error))
        {
          g_autoptr(GString) piece = g_string_new (NULL);

          pq_text_append_unresolved (piece, pq_query_get_target (query));
          emit (&run, piece);
        }
      code = fail (PQ_EXIT_ERROR, g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                    ? _("Query cancelled.") : run.error->message);
      g_clear_error (&run.error);
      return code;
    }
  code = write_outputs (&run, argv);
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

  if (!parse_args (&args, argc, argv, &error))
    return fail (PQ_EXIT_USAGE, error->message);
  if (args.help || argc == 1)
    {
      print_usage (args.help ? stdout : stderr);
      return args.help ? 0 : PQ_EXIT_USAGE;
    }
  if (args.version)
    {
      printf ("portqry %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (args.community != NULL)
    {
      g_autofree char *community = unwrap_community (args.community);
      g_free (args.community);
      args.community = g_steal_pointer (&community);
    }

  return run_query (&args, argv);
}
