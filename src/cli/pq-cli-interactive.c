/* pq-cli-interactive.c: portqry -i, PortQry's interactive mode
 *
 * PortQry's commands (node, query and its shortcuts, set, help, exit)
 * read from a terminal with line editing (GNU readline, when built with
 * it) or one per line from a pipe, for scripts. Each query runs through
 * the one query pipeline (PqQuery) and prints PortQry's text pieces
 * (pq-report-text.c), so it prints what portqry -n NODE -e PORT -p P does.
 * The command words and PortQry's option names stay in English: they are
 * what is typed.
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
#include <string.h>
#include <unistd.h>
#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "pq-cli-interactive.h"
#include "pq-error.h"
#include "pq-ports.h"
#include "pq-query.h"
#include "pq-report-text.h"

typedef struct
{
  char          *node;
  guint16        port;
  PqProtocols    protocols;
  char          *community;
  gboolean       no_reverse;
  gboolean       verbose;
  PqScanOptions  scan;          /* source port, slow link, waits */
} Session;

/* PortQry's query shortcuts: "q dns" queries TCP 53 and UDP 53. */
typedef struct
{
  const char  *name;
  const char  *tcp;             /* ports on TCP, or NULL */
  const char  *udp;             /* ports on UDP, or NULL */
} Shortcut;

static const Shortcut shortcuts[] = {
  { "dns", "53", "53" },
  { "ftp", "21", NULL },
  { "imap", "143", NULL },
  { "ipsec", NULL, "500" },
  { "ldap", "389", "389" },
  { "l2tp", NULL, "1701" },
  { "mail", "25,110,143", NULL },
  { "pop3", "110", NULL },
  { "rpc", "135", "135" },
  { "smtp", "25", NULL },
  { "snmp", NULL, "161" },
  { "sql", "1433", "1434" },
  { "tftp", NULL, "69" },
};

static void
print_settings (Session *s)
{
  printf ("Current option values:\n");
  printf ("   end port= %u\n", s->port);
  printf ("   protocol= %s\n", s->protocols == PQ_PROTOCOLS_BOTH ? "BOTH"
                               : s->protocols == PQ_PROTOCOLS_UDP ? "UDP" : "TCP");
  if (s->scan.source_port == 0)
    printf ("   source port= 0 (ephemeral)\n");
  else
    printf ("   source port= %u\n", s->scan.source_port);
  printf ("   community= %s\n", s->community ? s->community : "public");
  printf ("   name resolution (nr)= %s\n", s->no_reverse ? "off" : "on");
  printf ("   slow link delay (sl)= %s\n", s->scan.slow_link ? "on" : "off");
  printf ("\nDefault Node: %s\n\n", s->node);
}

static void
print_help (void)
{
  fputs (_("Commands:\n"
           "  node NAME, n NAME      the host to query (default 127.0.0.1)\n"
           "  query, q               query it with the current settings\n"
           "  q SHORTCUT             query a service's ports: dns, ftp, imap, ipsec, ldap,\n"
           "                         l2tp, mail, pop3, rpc, smtp, snmp, sql, tftp\n"
           "  set all                show the current settings\n"
           "  set port=N, set e=N    the port to query\n"
           "  set sport=N, set sp=N  the source port (0: any)\n"
           "  set protocol=P, p=P    tcp, udp or both\n"
           "  set cn=COMMUNITY       the SNMP community\n"
           "  set nr                 turn looking up the name of an address off or on\n"
           "  set sl                 turn the slow link delay on or off\n"
           "  help                   this list\n"
           "  exit                   leave\n"), stdout);
}

static void
on_address (PqQuery *query,
            guint    index,
            gpointer data)
{
  g_autoptr(GString) piece = g_string_new (NULL);

  pq_text_append_address (piece, pq_query_get_report (query), index);
  fputs (piece->str, stdout);
  fflush (stdout);
}

static void
on_result (PqQuery  *query,
           PqResult *result,
           Session  *s)
{
  g_autoptr(GString) piece = g_string_new (NULL);

  pq_text_append_query_result (piece, result, &s->scan, s->verbose);
  fputs (piece->str, stdout);
  fflush (stdout);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  GError **error = ((gpointer *) data)[0];
  GMainLoop *loop = ((gpointer *) data)[1];

  pq_query_run_finish (PQ_QUERY (object), result, error);
  g_main_loop_quit (loop);
}

static gboolean
on_sigint (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
add_ports (PqQuery     *query,
           const char  *text,
           PqProtocols  protocols,
           GError     **error)
{
  g_autoptr(GArray) ports = pq_ports_parse (text, error);

  if (ports == NULL)
    return FALSE;
  pq_query_add_ports (query, ports, protocols);
  return TRUE;
}

/* Runs one query to its end, Ctrl+C cancelling it, not the session. */
static void
run_query (Session        *s,
           const Shortcut *shortcut)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (s->node, &error);
  g_autoptr(PqQuery) query = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *port = g_strdup_printf ("%u", s->port);
  gpointer done[2] = { &error, loop };
  guint sigint_id;

  if (target == NULL)
    {
      printf ("%s\n\n", error->message);
      return;
    }
  query = pq_query_new (target, &s->scan, PQ_ADDRESS_FIRST);
  if (shortcut == NULL)
    add_ports (query, port, s->protocols, NULL);
  else if ((shortcut->tcp != NULL && !add_ports (query, shortcut->tcp, PQ_PROTOCOLS_TCP, NULL)) ||
           (shortcut->udp != NULL && !add_ports (query, shortcut->udp, PQ_PROTOCOLS_UDP, NULL)))
    g_return_if_reached ();
  pq_query_set_community (query, s->community);
  pq_query_set_reverse_lookup (query, !s->no_reverse);
  g_signal_connect (query, "address", G_CALLBACK (on_address), s);
  g_signal_connect (query, "result", G_CALLBACK (on_result), s);

  sigint_id = g_unix_signal_add (SIGINT, on_sigint, cancellable);
  pq_query_run_async (query, cancellable, query_done_cb, done);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);

  if (error != NULL && pq_query_get_report (query) == NULL &&
      (g_error_matches (error, PQ_ERROR, PQ_ERROR_NOT_FOUND) ||
       g_error_matches (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS)))
    {
      g_autoptr(GString) piece = g_string_new (NULL);

      pq_text_append_unresolved (piece, target);
      fputs (piece->str, stdout);
    }
  if (error != NULL)
    printf ("%s\n", g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? _("Query cancelled.") : error->message);
  printf ("\n");
  fflush (stdout);
}

static void
query_command (Session    *s,
               const char *what)
{
  if (what == NULL || *what == '\0')
    {
      run_query (s, NULL);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    if (g_ascii_strcasecmp (what, shortcuts[i].name) == 0)
      {
        run_query (s, &shortcuts[i]);
        return;
      }
  printf (_("No query shortcut “%s”. The shortcuts are dns, ftp, imap, ipsec, ldap, l2tp, mail, pop3, rpc, smtp, snmp, sql and tftp.\n\n"),
          what);
}

/* "set e=53": a port from 0 (source port: any) or 1 to 65535. */
static gboolean
parse_port (const char *value,
            guint       min,
            guint16    *port)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (value, 10, min, 65535, &n, NULL))
    {
      printf (_("“%s” is no port: type a number from %u to 65535.\n\n"), value, min);
      return FALSE;
    }
  *port = (guint16) n;
  return TRUE;
}

static gboolean
set_value (Session    *s,
           const char *key,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  if (g_ascii_strcasecmp (key, "port") == 0 || g_ascii_strcasecmp (key, "e") == 0)
    return parse_port (value, 1, &s->port);
  if (g_ascii_strcasecmp (key, "sport") == 0 || g_ascii_strcasecmp (key, "sp") == 0)
    return parse_port (value, 0, &s->scan.source_port);
  if (g_ascii_strcasecmp (key, "protocol") == 0 || g_ascii_strcasecmp (key, "p") == 0)
    {
      if (pq_protocols_parse (value, &s->protocols, &error))
        return TRUE;
      printf ("%s\n\n", error->message);
      return FALSE;
    }
  if (g_ascii_strcasecmp (key, "cn") == 0)
    {
      g_free (s->community);
      s->community = g_strdup (value);
      return TRUE;
    }
  printf (_("No option “%s”. Type help for the list.\n\n"), key);
  return FALSE;
}

static void
set_command (Session    *s,
             const char *what)
{
  g_auto(GStrv) kv = NULL;

  if (what == NULL || g_ascii_strcasecmp (what, "all") == 0)
    {
      print_settings (s);
      return;
    }
  if (g_ascii_strcasecmp (what, "nr") == 0)
    s->no_reverse = !s->no_reverse;
  else if (g_ascii_strcasecmp (what, "sl") == 0)
    s->scan.slow_link = !s->scan.slow_link;
  else
    {
      kv = g_strsplit (what, "=", 2);
      if (kv[1] == NULL)
        {
          printf (_("Type set NAME=VALUE, for example set port=53, or set all.\n\n"));
          return;
        }
      if (!set_value (s, g_strstrip (kv[0]), g_strstrip (kv[1])))
        return;
    }
  print_settings (s);
}

/* Returns: FALSE when the session ends */
static gboolean
handle_line (Session *s,
             char    *line)
{
  g_auto(GStrv) words = NULL;
  const char *command, *rest;

  g_strstrip (line);
  if (*line == '\0')
    return TRUE;
  words = g_regex_split_simple ("\\s+", line, 0, 0);
  command = words[0];
  rest = words[1];
  if (g_ascii_strcasecmp (command, "exit") == 0 || g_ascii_strcasecmp (command, "quit") == 0)
    return FALSE;
  if (g_ascii_strcasecmp (command, "node") == 0 || g_ascii_strcasecmp (command, "n") == 0)
    {
      if (rest != NULL)
        {
          g_free (s->node);
          s->node = g_strdup (rest);
        }
      printf ("Default Node: %s\n\n", s->node);
    }
  else if (g_ascii_strcasecmp (command, "query") == 0 || g_ascii_strcasecmp (command, "q") == 0)
    query_command (s, rest);
  else if (g_ascii_strcasecmp (command, "set") == 0)
    set_command (s, strchr (line, ' ') ? g_strstrip (strchr (line, ' ')) : NULL);
  else if (g_ascii_strcasecmp (command, "help") == 0 || strcmp (command, "?") == 0)
    print_help ();
  else
    printf (_("Unknown command “%s”. Type help for the list.\n\n"), command);
  fflush (stdout);
  return TRUE;
}

/* A line from the terminal, with editing and history, or from a pipe. */
static char *
read_line (gboolean tty)
{
#ifdef HAVE_READLINE
  if (tty)
    {
      char *line = readline ("> ");
      char *copy;

      if (line == NULL)
        return NULL;
      if (*line != '\0')
        add_history (line);
      copy = g_strdup (line);
      free (line);
      return copy;
    }
#endif
  {
    char buf[4096];

    if (tty)
      {
        fputs ("> ", stdout);
        fflush (stdout);
      }
    if (fgets (buf, sizeof buf, stdin) == NULL)
      return NULL;
    return g_strdup (buf);
  }
}

static void
session_init (Session *s,
              Args    *args)
{
  g_autoptr(GArray) ports = NULL;

  s->node = g_strdup (args->names != NULL && args->names->len > 0
                      ? (const char *) g_ptr_array_index (args->names, 0) : "127.0.0.1");
  s->port = 80;
  if (args->endpoints != NULL && (ports = pq_ports_parse (args->endpoints, NULL)) != NULL && ports->len > 0)
    s->port = g_array_index (ports, guint16, 0);
  s->protocols = PQ_PROTOCOLS_TCP;
  if (args->protocol != NULL)
    pq_protocols_parse (args->protocol, &s->protocols, NULL);
  s->community = g_strdup (args->community);
  s->no_reverse = args->no_reverse;
  s->verbose = args->verbose;
  s->scan = args->scan;
}

/**
 * pq_cli_interactive_run:
 *
 * Returns: the exit code: 0 at exit or the end of the input
 */
int
pq_cli_interactive_run (Args *args)
{
  Session s = { 0 };
  gboolean tty = isatty (STDIN_FILENO);
  char *line;

  session_init (&s, args);
  printf ("Portqry Interactive Mode\n\n%s\n\n", _("Type help for a list of commands."));
  print_settings (&s);
  fflush (stdout);
  while ((line = read_line (tty)) != NULL)
    {
      gboolean more = handle_line (&s, line);

      g_free (line);
      if (!more)
        break;
    }
  g_free (s.node);
  g_free (s.community);
  return 0;
}
