/* pq-report-text.c: PortQry's text layout, the one text rendering of a query
 *
 * The headings and the state words are PortQry's and stay in English:
 * people and scripts that read PortQry logs look for them. Everything that
 * came from the network or was typed is passed through pq_text_sanitize(),
 * so nothing a host sends can drive a terminal.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-report-text"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-findings.h"
#include "pq-report-text.h"
#include "pq-writers.h"
#include "pq-writers-private.h"
#include "protocols/pq-probe.h"

/**
 * pq_text_sanitize:
 *
 * Network text may hold terminal escape sequences and other controls; they
 * are shown as \xNN so nothing the host sends can drive the terminal.
 */
char *
pq_text_sanitize (const char *text)
{
  return pq_probe_printable ((const guint8 *) (text ? text : ""), text ? strlen (text) : 0);
}

/* PortQry's status line: "TCP port 53 (domain service): LISTENING" */
char *
pq_text_result_line (PqResult *result)
{
  g_autofree char *service = pq_text_sanitize (pq_result_get_service (result));

  return g_strdup_printf ("%s port %u (%s service): %s",
                          pq_protocol_to_string (pq_result_get_protocol (result)),
                          pq_result_get_port (result),
                          pq_result_get_service (result) ? service : "unknown",
                          pq_port_state_to_string (pq_result_get_state (result)));
}

/* NetBIOS's MAC address as PortQry prints it: 12 hex digits, no colons
 * ("00155d0a0b0c"); any words after the address are kept. */
static char *
mac_digits (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  for (; *p != '\0' && (g_ascii_isxdigit (*p) || *p == ':'); p++)
    if (*p != ':')
      g_string_append_c (out, *p);
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/* A probe's findings as PortQry prints them under a port: one
 * "label: value" line per finding, its parts indented below it. The
 * SNMP community is printed before the query (PortQry's line), not here. */
void
pq_text_append_details (GString    *out,
                        GListModel *details,
                        guint       depth)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n && depth < 8; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);
      const char *kind = pq_detail_get_kind (d);
      g_autofree char *label = pq_text_sanitize (pq_detail_get_label (d));
      g_autofree char *value = pq_text_sanitize (pq_detail_get_value (d));

      if (g_strcmp0 (kind, "snmp-community") == 0)
        continue;
      if (g_strcmp0 (kind, "mac") == 0)
        {
          char *digits = mac_digits (value);

          g_free (value);
          value = digits;
        }
      if (*label != '\0' && *value != '\0')
        g_string_append_printf (out, "%*s%s: %s\n", 4 + 2 * depth, "", label, value);
      else
        g_string_append_printf (out, "%*s%s\n", 4 + 2 * depth, "", *label ? label : value);
      pq_text_append_details (out, pq_detail_get_children (d), depth + 1);
    }
}

/* PortQry's lines around a protocol query: what it sends, the heading of
 * the answer and the line that closes it (NULL where PortQry prints none). */
typedef struct
{
  PqProbeKind  kind;
  const char  *sending;      /* "Sending <this> query to UDP port 53..." */
  const char  *response;
  const char  *end;
} QueryLines;

static const QueryLines query_lines[] = {
  { PQ_PROBE_DNS, "DNS", NULL, NULL },
  { PQ_PROBE_LDAP, "LDAP", "LDAP query response:", "======== End of LDAP query response ========" },
  { PQ_PROBE_RPC_EPMAP, NULL, "Server's response:", "==== End of RPC Endpoint Mapper query response ====" },
  { PQ_PROBE_NETBIOS_NS, NULL, "Server's response:", NULL },
  { PQ_PROBE_SNMP, "SNMP", NULL, NULL },
  { PQ_PROBE_SQL_BROWSER, "SQL Server", "Server's response:", "==== End of SQL Server query response ====" },
  { PQ_PROBE_TFTP, "TFTP", NULL, NULL },
  { PQ_PROBE_L2TP, "L2TP", NULL, NULL },
  { PQ_PROBE_IKE, "ISAKMP", NULL, NULL },
  { PQ_PROBE_IKE_NATT, "ISAKMP", NULL, NULL },
};

static const QueryLines *
query_lines_for (PqProbeKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (query_lines); i++)
    if (query_lines[i].kind == kind)
      return &query_lines[i];
  return NULL;
}

/* Whether the port got its protocol query: probes on, a codec for the
 * service, and (TCP) a connection to send it on or (UDP) a datagram that
 * left this computer. @options NULL: as a query with probes on. */
static gboolean
query_was_sent (PqResult            *result,
                const PqScanOptions *options)
{
  PqProtocol protocol = pq_result_get_protocol (result);
  PqReason reason = pq_result_get_reason (result);

  if ((options != NULL && !options->probes) ||
      pq_probe_codec_for (pq_result_get_probe (result), protocol) == NULL)
    return FALSE;
  if (protocol == PQ_PROTOCOL_TCP)
    return reason == PQ_REASON_SYN_ACK;
  return reason != PQ_REASON_NONE && reason != PQ_REASON_LOCAL_ERROR &&
         reason != PQ_REASON_LOCAL_FIREWALL;
}

static char *
find_detail_value (GListModel *details,
                   const char *kind)
{
  guint n = g_list_model_get_n_items (details);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);

      if (g_strcmp0 (pq_detail_get_kind (d), kind) == 0)
        return pq_text_sanitize (pq_detail_get_value (d));
    }
  return NULL;
}

/* What PortQry prints before it sends the query. */
static void
append_query_intro (GString             *out,
                    PqResult            *result,
                    const PqScanOptions *options,
                    const QueryLines    *lines)
{
  PqProbeKind kind = pq_result_get_probe (result);
  PqProtocol protocol = pq_result_get_protocol (result);
  const char *proto = pq_protocol_to_string (protocol);
  guint port = pq_result_get_port (result);
  g_autofree char *community = find_detail_value (pq_result_get_details (result), "snmp-community");

  if (options != NULL && options->source_port != 0 && pq_probe_ephemeral_source (kind, protocol))
    g_string_append (out, "    Using ephemeral source port\n");
  if (community != NULL)
    g_string_append_printf (out, "    community name for query:\n    %s\n", community);
  if (kind == PQ_PROBE_RPC_EPMAP)
    g_string_append (out, "    Querying Endpoint Mapper Database...\n");
  else if (kind == PQ_PROBE_NETBIOS_NS)
    g_string_append_printf (out, "    Attempting NETBIOS adapter status query to %s port %u...\n", proto, port);
  else if (lines->sending != NULL)
    g_string_append_printf (out, "    Sending %s query to %s port %u...\n", lines->sending, proto, port);
}

/* The findings, inside PortQry's lines when the port got its query. */
static void
append_findings (GString             *out,
                 PqResult            *result,
                 const PqScanOptions *options)
{
  GListModel *details = pq_result_get_details (result);
  const QueryLines *lines = query_lines_for (pq_result_get_probe (result));
  gboolean answered;

  if (lines == NULL || !query_was_sent (result, options))
    {
      pq_text_append_details (out, details, 0);
      return;
    }
  append_query_intro (out, result, options, lines);
  /* The SNMP community alone is what was sent, not an answer. */
  answered = g_list_model_get_n_items (details) >
             (pq_result_get_probe (result) == PQ_PROBE_SNMP ? 1u : 0u);
  if (answered && lines->response != NULL)
    g_string_append_printf (out, "    %s\n", lines->response);
  pq_text_append_details (out, details, 0);
  if (answered && lines->end != NULL)
    g_string_append_printf (out, "    %s\n", lines->end);
}

/**
 * pq_text_append_query_result:
 * @options: (nullable): the query's settings, for PortQry's lines around
 *   the protocol query (-sp's exceptions); NULL as the defaults
 *
 * The status line, PortQry's lines around the protocol query with the
 * findings, and with @evidence (portqry -v, the text export) the
 * evidence behind the state.
 */
void
pq_text_append_query_result (GString             *out,
                             PqResult            *result,
                             const PqScanOptions *options,
                             gboolean             evidence)
{
  g_autofree char *line = pq_text_result_line (result);

  g_string_append_printf (out, "%s\n", line);
  append_findings (out, result, options);
  if (evidence)
    {
      g_autofree char *clean = pq_text_sanitize (pq_result_get_evidence (result));
      g_autofree char *plain = pq_findings_explain (result);

      g_string_append_printf (out, "    %s\n    %s\n", clean, plain);
    }
  else if (pq_result_get_state (result) == PQ_PORT_STATE_ERROR)
    {
      /* A port that could not be queried always says why. */
      g_autofree char *clean = pq_text_sanitize (pq_result_get_evidence (result));

      g_string_append_printf (out, "    %s\n", clean);
    }
}

static void
append_target_called (GString  *out,
                      PqTarget *target)
{
  g_autofree char *input = pq_text_sanitize (pq_target_get_input (target));

  g_string_append_printf (out, "\nQuerying target system called:\n\n %s\n\n", input);
}

/* A name with several addresses: the others, and how to choose them. */
static void
append_other_addresses (GString    *out,
                        PqTarget   *target,
                        const char *address)
{
  GPtrArray *all = pq_target_get_addresses (target);
  g_autoptr(GString) others = g_string_new (NULL);

  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *a = pq_address_to_string (g_ptr_array_index (all, i),
                                                 pq_target_get_scope_id (target));

      if (g_strcmp0 (a, address) != 0)
        g_string_append_printf (others, "%s%s", others->len ? ", " : "", a);
    }
  if (all->len > 1)
    g_string_append_printf (out, _("The name has other addresses too: %s (-4, -6 or --all-addresses to choose)\n\n"),
                            others->str);
}

/* What PortQry prints before the ports of one address: the target, how
 * its name or address was resolved, and "querying...". */
void
pq_text_append_address (GString  *out,
                        PqReport *report,
                        guint     index)
{
  PqTarget *target = pq_report_get_nth_target (report, pq_report_get_queried_target (report, index));
  const char *address = g_ptr_array_index (pq_report_get_queried (report), index);
  const char *reverse = pq_report_get_reverse_name (report, index);

  append_target_called (out, target);
  if (!pq_target_is_literal (target))
    {
      g_string_append_printf (out, "Attempting to resolve name to IP address...\n\nName resolved to %s\n\n", address);
      append_other_addresses (out, target, address);
    }
  else if (!pq_report_get_no_reverse (report))
    {
      g_autofree char *name = pq_text_sanitize (reverse);

      g_string_append (out, "Attempting to resolve IP address to a name...\n\n");
      if (reverse != NULL)
        g_string_append_printf (out, "IP address resolved to %s\n\n", name);
      else
        g_string_append (out, "Failed to resolve IP address to name\n\n");
    }
  g_string_append (out, "querying...\n\n");
}

/* What PortQry prints before it says a name does not resolve. */
void
pq_text_append_unresolved (GString  *out,
                           PqTarget *target)
{
  append_target_called (out, target);
  g_string_append (out, "Attempting to resolve name to IP address...\n\n");
}

void
pq_text_append_log_header (GString   *out,
                           GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);
  g_autofree char *text = g_date_time_format (local, "%a %b %d %H:%M:%S %Y");

  g_string_append_printf (out, "PortQry (Port Query for Linux) version %s Log File\n\n", PACKAGE_VERSION);
  g_string_append_printf (out, "System Date: %s\n\n", text);
}

void
pq_text_append_log_footer (GString *out)
{
  g_string_append (out, "\n========= end of log file =========\n");
}

/* "2026-11-25 14:01:02 CET", or "-" for a query still running */
char *
pq_text_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("-");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
}

char *
pq_text_settings_line (PqReport *report)
{
  const PqScanOptions *o = pq_report_get_options (report);
  /* Translators: the source port in the settings line, when none was chosen */
  g_autofree char *source = o->source_port ? g_strdup_printf ("%u", o->source_port) : g_strdup (_("any"));

  return g_strdup_printf (_("TCP: %u tries of %u ms%s; UDP: %u tries of %u ms%s; %u ports in flight; source port %s; protocol probes %s"),
                          o->tcp_tries, o->tcp_timeout_ms,
                          o->adaptive ? _(" (shorter once the host's round trip is known)") : "",
                          o->udp_tries, o->slow_link ? 2 * o->udp_wait_ms : o->udp_wait_ms,
                          o->slow_link ? _(" (slow link)") : "",
                          o->window, source, o->probes ? _("on") : _("off"));
}

static void
append_address_results (GString      *out,
                        PqReport     *report,
                        const char   *address,
                        GCancellable *cancellable)
{
  GListModel *results = pq_report_get_results (report);
  guint n = g_list_model_get_n_items (results);

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);

      if (g_strcmp0 (pq_result_get_address (r), address) == 0)
        pq_text_append_query_result (out, r, pq_report_get_options (report), TRUE);
    }
}

/* "Host, if a name, and address: counts" */
static char *
host_label (PqReport *report,
            guint     index)
{
  PqTarget *target = pq_report_get_nth_target (report, pq_report_get_queried_target (report, index));
  const char *address = g_ptr_array_index (pq_report_get_queried (report), index);
  g_autofree char *input = pq_text_sanitize (pq_target_get_input (target));

  if (pq_target_is_literal (target))
    return g_strdup (address);
  return g_strdup_printf ("%s (%s)", input, address);
}

/**
 * pq_text_append_hosts_summary:
 *
 * For a query of several hosts: a line per address queried with its
 * counts, a line per host that could not be queried with why, and the
 * number of hosts.
 */
void
pq_text_append_hosts_summary (GString  *out,
                              PqReport *report)
{
  GPtrArray *queried = pq_report_get_queried (report);
  guint n_targets = pq_report_get_n_targets (report);
  g_autofree char *all = pq_report_summary (report);
  guint failed = 0;

  g_string_append_printf (out, "\n%s\n", _("Summary by host:"));
  for (guint i = 0; i < queried->len; i++)
    {
      g_autofree char *label = host_label (report, i);
      g_autofree char *summary = pq_report_summary_for_address (report, g_ptr_array_index (queried, i));

      g_string_append_printf (out, " %s: %s\n", label, summary);
    }
  for (guint t = 0; t < n_targets; t++)
    {
      const char *error = pq_report_get_target_error (report, t);
      g_autofree char *input = NULL;
      g_autofree char *why = NULL;

      if (error == NULL)
        continue;
      input = pq_text_sanitize (pq_target_get_input (pq_report_get_nth_target (report, t)));
      why = pq_text_sanitize (error);
      /* Translators: a host of several that was not queried, and why */
      g_string_append_printf (out, _(" %s: not queried: %s\n"), input, why);
      failed++;
    }
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u host queried", "%u hosts queried",
                                            n_targets - failed), n_targets - failed);
  if (failed > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", %u not queried", ", %u not queried",
                                              failed), failed);
  g_string_append_printf (out, ": %s", all);
  g_string_append_c (out, '\n');
}

/**
 * pq_report_to_text:
 *
 * Returns: (transfer full): the report in PortQry's log layout, with what
 *   was asked, the evidence under each status line and the summary
 */
char *
pq_report_to_text (PqReport *report)
{
  return pq_report_to_text_cancellable (report, NULL);
}

char *
pq_report_to_text_cancellable (PqReport     *report,
                               GCancellable *cancellable)
{
  GString *out = g_string_new (NULL);
  GPtrArray *queried = pq_report_get_queried (report);
  g_autofree char *ports = pq_report_get_ports_text (report);
  g_autofree char *settings = pq_text_settings_line (report);
  g_autofree char *summary = pq_report_summary (report);

  pq_text_append_log_header (out, pq_report_get_started (report));
  g_string_append_printf (out, "Ports: %s (%s)\n", ports, pq_report_get_protocols_text (report));
  g_string_append_printf (out, "Settings: %s\n", settings);
  for (guint a = 0; a < queried->len; a++)
    {
      pq_text_append_address (out, report, a);
      append_address_results (out, report, g_ptr_array_index (queried, a), cancellable);
    }
  if (pq_report_get_n_targets (report) > 1)
    pq_text_append_hosts_summary (out, report);
  g_string_append_printf (out, "\n%s: %s%s\n", _("Summary"), summary,
                          pq_report_get_cancelled (report) ? _(" (cancelled before the end)") : "");
  pq_text_append_log_footer (out);
  return pq_writer_finish (out, cancellable);
}

/**
 * pq_report_to_summary_text:
 *
 * Returns: (transfer full): the counts and one line per port, for a ticket
 *   or a chat
 */
char *
pq_report_to_summary_text (PqReport *report)
{
  GString *out = g_string_new (NULL);
  GListModel *results = pq_report_get_results (report);
  gboolean several = pq_report_get_n_targets (report) > 1;
  g_autofree char *hosts = pq_report_dup_hosts_text (report, 8);
  g_autofree char *input = pq_text_sanitize (hosts);
  g_autofree char *summary = pq_report_summary (report);
  guint n = g_list_model_get_n_items (results);

  g_string_append_printf (out, _("Port Query: %s"), input);
  g_string_append_printf (out, "\n%s\n", summary);
  if (several)
    pq_text_append_hosts_summary (out, report);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);
      g_autofree char *line = pq_text_result_line (result);

      /* Of several hosts, a port line alone would not say whose it is. */
      if (several)
        {
          g_autofree char *address = pq_text_sanitize (pq_result_get_address (result));

          g_string_append_printf (out, "%s ", address);
        }
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}
