/* pq-cli-args.c: portqry's command line, as PortQry and GNU take it
 *
 * PortQry's options with - or /, in any case (-n, /N), each with a GNU long
 * form; a value that is another option is refused (-l -y).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "portqry"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-cli-args.h"
#include "pq-error.h"
#include "pq-ports.h"

void
pq_cli_args_clear (Args *args)
{
  g_free (args->name);
  g_clear_pointer (&args->names, g_ptr_array_unref);
  g_free (args->protocol);
  g_free (args->endpoints);
  g_free (args->ordered);
  g_free (args->range);
  g_free (args->log_file);
  g_free (args->services_file);
  g_free (args->community);
  g_free (args->export_file);
  g_free (args->domain);
}

void
pq_cli_print_usage (FILE *out)
{
  fprintf (out, _(
  /* Translators: keep the option names, tcp|udp|both and the states in
     capitals (LISTENING, NOT LISTENING, FILTERED): they are what is typed and
     printed. Keep the lines under 80 columns. */
"Usage: portqry -n name [-p tcp|udp|both] [-e port | -o list | -r start:end]\n"
"               [-l logfile [-y]] [-sp port] [-sl] [-nr] [-q] [-cn !community!]\n"
"               [-4 | -6 | --all-addresses] [--json] [-v] [--trace]\n"
"               [--domain D]\n"
"       portqry -local | -wport port | -wpid pid [-wt seconds]\n"
"               [-l logfile [-y]] [-v]\n"
"       portqry -i [-n name] [-e port] [-p tcp|udp|both] [-sp port]\n"
"\n"
"Queries TCP and UDP ports of a host and reports each as LISTENING,\n"
"NOT LISTENING, FILTERED or LISTENING or FILTERED, as Microsoft PortQry does.\n"
"Options are accepted with - or /, in any case (-n, /N).\n"
"\n"
"  -n, --name NAME        host to query: name, IPv4 or IPv6 address, [IPv6] or\n"
"                         fe80::1%%eth0; several: -n again, a,b, 10.0.0.0/28 or\n"
"                         10.0.0.1-20 (at most 4096 hosts)\n"
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
"  -local                 list this computer's TCP and UDP endpoints and\n"
"                         their processes (-v: command line, systemd unit)\n"
"  -wport PORT            watch a port of this computer until Ctrl+C or Esc\n"
"  -wpid PID              watch the endpoints of a process until Ctrl+C or Esc\n"
"  -wt SECONDS            how often -wport and -wpid look (1-1200, default 60)\n"
"  -i, --interactive      type commands: node, query, set, help, exit\n"
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
"      --trace            trace the path to each port not listening: where the\n"
"                         packets stop (no privileges needed)\n"
"      --domain D         query each domain controller of D (DNS SRV records)\n"
"      --services FILE    services file naming the ports (default /etc/services)\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit codes: 0 LISTENING, 1 NOT LISTENING, 2 FILTERED or LISTENING or FILTERED.\n"
"For several ports: 1 if any is not listening, else 2 if any is filtered, else 0.\n"
"3: the command line is wrong; 4: the query could not run (name not found,\n"
"source port in use, cancelled with Ctrl+C), a port could not be queried from\n"
"this computer (ERROR: no route, datagram too big), or the log or export\n"
"could not be written.\n"),
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
  { "local", "local", OPT_FLAG, ARG (local), 0 },
  { "wport", "watch-port", OPT_UINT, ARG (watch_port), 65535, "-wport 80" },
  { "wpid", "watch-pid", OPT_UINT, ARG (watch_pid), G_MAXINT, "-wpid 1234" },
  { "wt", "watch-time", OPT_UINT, ARG (watch_seconds), 1200, "-wt 60" },
  { "i", "interactive", OPT_FLAG, ARG (interactive), 0 },
  { NULL, "json", OPT_FLAG, ARG (json), 0 },
  { NULL, "version", OPT_FLAG, ARG (version), 0 },
  { NULL, "trace", OPT_FLAG, ARG (trace), 0 },
  { NULL, "domain", OPT_STRING, ARG (domain), 0, "--domain ad.example.com" },
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
      /* -n may be given several times: every host is queried. */
      if (opt->offset == ARG (name))
        {
          if (args->names == NULL)
            args->names = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (args->names, g_strdup (value));
        }
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

/* PortQry wants the community as !name!; a bare name is taken as it is. */
static char *
unwrap_community (const char *text)
{
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '!' && text[len - 1] == '!')
    return g_strndup (text + 1, len - 2);
  return g_strdup (text);
}

/* Agents keep a community of at most 255 bytes (Net-SNMP's and Windows'
 * limit); a longer one can only be refused, and one of 65,000 bytes does
 * not even fit in a datagram. Refused here, before anything is sent. */
#define MAX_COMMUNITY 255

static gboolean
check_community (const char  *community,
                 GError     **error)
{
  gsize len = strlen (community);

  if (len <= MAX_COMMUNITY)
    return TRUE;
  g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
               ngettext ("The community after -cn is %lu byte long; SNMP agents accept at most %u. Give the community the agent is configured with, for example -cn !public!",
                         "The community after -cn is %lu bytes long; SNMP agents accept at most %u. Give the community the agent is configured with, for example -cn !public!",
                         (gulong) len),
               (gulong) len, MAX_COMMUNITY);
  return FALSE;
}

gboolean
pq_cli_args_parse (Args    *args,
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
  if (args->community != NULL)
    {
      g_autofree char *community = unwrap_community (args->community);

      g_free (args->community);
      args->community = g_steal_pointer (&community);
      return check_community (args->community, error);
    }
  return TRUE;
}


GArray *
pq_cli_args_ports (Args    *args,
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
