/* pq-local-text.c: PortQry's local-mode layout (-local, -wport, -wpid)
 *
 * PortQry's sections and words ("TCP/UDP Port Usage", "Port Statistics",
 * "TCP/UDP Port to Process Mappings", the states) stay in English, as the
 * query's layout does; what explains them is translated. The process
 * names and command lines come from other users' programs and are passed
 * through pq_text_sanitize(), so none can drive the terminal. With -v,
 * PortQry's "services hosted by the process" are its systemd unit, and
 * its command line stands where PortQry lists Windows modules.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-local"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "pq-local-text.h"
#include "pq-report-text.h"

#define RULE "=============================================================================="

/* "10.0.0.9:51234", "[fe80::1]:22"; empty for a socket with no peer. */
static char *
remote_text (PqLocalEndpoint *e)
{
  const char *address = pq_local_endpoint_get_remote_address (e);

  if (pq_local_endpoint_get_remote_port (e) == 0)
    return g_strdup ("");
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", address, pq_local_endpoint_get_remote_port (e));
  return g_strdup_printf ("%s:%u", address, pq_local_endpoint_get_remote_port (e));
}

/* "TCP 22     0.0.0.0          LISTENING" and the peer, if any. */
static void
append_row (GString         *out,
            PqLocalEndpoint *e)
{
  g_autofree char *port = g_strdup_printf ("%s %u", pq_protocol_to_string (pq_local_endpoint_get_protocol (e)),
                                           pq_local_endpoint_get_local_port (e));
  g_autofree char *remote = remote_text (e);
  g_autoptr(GString) row = g_string_new (NULL);

  g_string_printf (row, "%-11s %-39s %-13s %s", port, pq_local_endpoint_get_local_address (e),
                   pq_local_endpoint_get_state_text (e), remote);
  while (row->len > 0 && row->str[row->len - 1] == ' ')
    g_string_truncate (row, row->len - 1);
  g_string_append_printf (out, "%s\n", row->str);
}

static void
append_table_head (GString    *out,
                   const char *first)
{
  g_string_append_printf (out, "%s%-11s %-39s %-13s %s\n", first, "Port", "Local IP", "State", "Remote IP:Port");
}

/* PortQry's "TCP/UDP Port Usage": every endpoint, one row each. */
void
pq_local_text_append_usage (GString    *out,
                            GListModel *endpoints)
{
  guint n = g_list_model_get_n_items (endpoints);

  g_string_append_printf (out, "TCP/UDP Port Usage\n\n%u active ports found\n\n", n);
  append_table_head (out, "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);

      append_row (out, e);
    }
  g_string_append_c (out, '\n');
}

/* "TCP mappings: 8", then each TCP state's share, in the kernel's order. */
void
pq_local_text_append_statistics (GString    *out,
                                 GListModel *endpoints)
{
  guint counts[PQ_TCP_N_STATES] = { 0 }, tcp = 0, udp = 0;
  guint n = g_list_model_get_n_items (endpoints);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);

      if (pq_local_endpoint_get_protocol (e) == PQ_PROTOCOL_UDP)
        udp++;
      else if (pq_local_endpoint_get_state (e) < PQ_TCP_N_STATES && ++tcp)
        counts[pq_local_endpoint_get_state (e)]++;
    }
  g_string_append_printf (out, "Port Statistics\n\nTCP mappings: %u\nUDP mappings: %u\n\n", tcp, udp);
  for (guint s = 1; s < PQ_TCP_N_STATES; s++)
    if (counts[s] > 0)
      g_string_append_printf (out, "TCP ports in a %s state: %u = %.2f%%\n",
                              pq_tcp_state_to_string (s), counts[s], 100.0 * counts[s] / tcp);
  g_string_append_c (out, '\n');
}

static char *
owner_text (PqLocalEndpoint *e)
{
  g_autofree char *name = pq_text_sanitize (pq_local_endpoint_get_process (e));

  if (pq_local_endpoint_get_process (e) == NULL)
    return g_strdup_printf ("%d", pq_local_endpoint_get_pid (e));
  return g_strdup_printf ("%d:%s", pq_local_endpoint_get_pid (e), name);
}

/* PortQry's "TCP/UDP Port to Process Mappings": the endpoints whose
 * process is known, each after "PID:name". */
void
pq_local_text_append_mappings (GString    *out,
                               GListModel *endpoints)
{
  guint n = g_list_model_get_n_items (endpoints), mapped = 0;
  g_autoptr(GString) rows = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);
      g_autofree char *owner = NULL;

      if (pq_local_endpoint_get_pid (e) == 0)
        continue;
      owner = owner_text (e);
      g_string_append_printf (rows, "%-24s ", owner);
      append_row (rows, e);
      mapped++;
    }
  g_string_append_printf (out, "TCP/UDP Port to Process Mappings\n\n%u mappings found\n\n", mapped);
  g_string_append_printf (out, "%-24s ", "PID:Process");
  append_table_head (out, "");
  g_string_append_printf (out, "%s\n", rows->str);
}

/* An ordinary user sees every socket but not who holds another user's. */
void
pq_local_text_append_hidden (GString *out,
                             guint    n_hidden)
{
  if (n_hidden == 0)
    return;
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                            "%u endpoint belongs to a process of another user, which this user may not see. Run portqry as root to see every process.\n\n",
                                            "%u endpoints belong to processes of other users, which this user may not see. Run portqry as root to see every process.\n\n",
                                            n_hidden),
                          n_hidden);
}

/* One process's block of -v: who it is, its unit, its endpoints. */
static void
append_process (GString    *out,
                GListModel *endpoints,
                int         pid,
                const char *process)
{
  g_autofree char *name = pq_text_sanitize (process);
  g_autofree char *cmdline = pq_local_process_cmdline (pid);
  g_autofree char *clean_cmdline = pq_text_sanitize (cmdline);
  g_autofree char *unit = pq_local_process_unit (pid);
  g_autofree char *clean_unit = pq_text_sanitize (unit);
  g_autoptr(GListStore) own = g_list_store_new (PQ_TYPE_LOCAL_ENDPOINT);
  guint n = g_list_model_get_n_items (endpoints);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);

      if (pq_local_endpoint_get_pid (e) == pid)
        g_list_store_append (own, e);
    }
  g_string_append_printf (out, "%s\nProcess ID: %d (%s)\n\n", RULE, pid, process ? name : "?");
  if (cmdline != NULL)
    g_string_append_printf (out, _("Command line: %s\n"), *cmdline ? clean_cmdline : _("(none: a kernel thread)"));
  if (unit != NULL)
    g_string_append_printf (out, _("Systemd unit: %s\n\n"), clean_unit);
  else
    g_string_append (out, _("This process does not appear to run as a systemd service.\n\n"));
  append_table_head (out, "");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (own)); i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (G_LIST_MODEL (own), i);

      append_row (out, e);
    }
  g_string_append_c (out, '\n');
  pq_local_text_append_statistics (out, G_LIST_MODEL (own));
}

/* PortQry's "Port and Module Information by Process" (-v), in the order
 * the processes first appear. */
void
pq_local_text_append_processes (GString    *out,
                                GListModel *endpoints)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (endpoints);

  g_string_append (out, "Port and Module Information by Process\n\n");
  if (getuid () != 0)
    g_string_append (out, _("Note: an ordinary user may not read other users' processes; run portqry as root for the most complete information.\n\n"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);
      int pid = pq_local_endpoint_get_pid (e);

      if (pid == 0 || g_hash_table_contains (seen, GINT_TO_POINTER (pid)))
        continue;
      g_hash_table_add (seen, GINT_TO_POINTER (pid));
      append_process (out, endpoints, pid, pq_local_endpoint_get_process (e));
    }
  g_string_append_printf (out, "%s\n", RULE);
}

/**
 * pq_local_table_to_text:
 *
 * Returns: (transfer full): what portqry -local prints of the table's
 *   last refresh; with @verbose, each process's block too
 */
char *
pq_local_table_to_text (PqLocalTable *table,
                        gboolean      verbose)
{
  GString *out = g_string_new (NULL);
  GListModel *endpoints = pq_local_table_get_endpoints (table);

  pq_local_text_append_usage (out, endpoints);
  pq_local_text_append_statistics (out, endpoints);
  pq_local_text_append_mappings (out, endpoints);
  pq_local_text_append_hidden (out, pq_local_table_get_n_hidden (table));
  if (verbose)
    pq_local_text_append_processes (out, endpoints);
  return g_string_free (out, FALSE);
}
