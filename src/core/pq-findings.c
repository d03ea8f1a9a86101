/* pq-findings.c: the shapes of a port's findings, read from the generic
 * detail model (kind, label, value, children) that every codec writes and
 * every saved report keeps; nothing here knows a socket or a widget
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-findings.h"
#include "pq-rules.h"

/* Returns: (transfer none) (nullable): the first top-level finding of @kind */
PqDetail *
pq_findings_find (GListModel *details,
                  const char *kind)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) detail = g_list_model_get_item (details, i);

      if (g_strcmp0 (pq_detail_get_kind (detail), kind) == 0)
        return detail;   /* the list keeps it alive */
    }
  return NULL;
}

/* Which pane a port's findings get: decided by the kinds the codec
 * wrote, so a saved report opens in the same shape. */
PqShape
pq_findings_shape (GListModel *details)
{
  if (details == NULL || g_list_model_get_n_items (details) == 0)
    return PQ_SHAPE_NONE;
  if (pq_findings_find (details, "rpc-endpoint") != NULL)
    return PQ_SHAPE_ENDPOINTS;
  if (pq_findings_find (details, "netbios-names") != NULL || pq_findings_find (details, "mac") != NULL)
    return PQ_SHAPE_NETBIOS;
  if (pq_findings_find (details, "ldap-attribute") != NULL)
    return PQ_SHAPE_LDAP;
  return PQ_SHAPE_GENERIC;
}

/* Returns: (transfer full): the plain sentence about @result's evidence */
char *
pq_findings_explain (PqResult *result)
{
  return pq_rules_plain (pq_result_get_protocol (result), pq_result_get_state (result),
                         pq_result_get_reason (result), pq_result_get_address (result),
                         pq_result_get_reply_from (result));
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

enum { EP_INTERFACE, EP_UUID, EP_VERSION, EP_PROTOCOL, EP_ADDRESS, EP_ANNOTATION, EP_N };
enum { NB_NAME, NB_SUFFIX, NB_MEANING, NB_TYPE, NB_FLAGS, NB_N };

guint
pq_table_n_columns (PqTable table)
{
  return table == PQ_TABLE_ENDPOINTS ? EP_N : NB_N;
}

const char *
pq_table_title (PqTable table,
                guint   column)
{
  static const char * const endpoint_titles[EP_N] = {
    N_("Interface"), N_("UUID"), N_("Version"), N_("Protocol"), N_("Address, port or pipe"), N_("Annotation"),
  };
  static const char * const name_titles[NB_N] = {
    N_("Name"), N_("Suffix"), N_("Meaning"), N_("Type"), N_("Flags"),
  };

  g_return_val_if_fail (column < pq_table_n_columns (table), "");
  return _(table == PQ_TABLE_ENDPOINTS ? endpoint_titles[column] : name_titles[column]);
}

/* Returns: the kinds of finding a table shape shows itself (its rows,
 * its total, the MAC beside the names); the rest are names and values */
const char * const *
pq_table_kinds (PqTable table)
{
  static const char * const endpoint_kinds[] = { "rpc-endpoint", "rpc-endpoint-count", NULL };
  static const char * const netbios_kinds[] = { "netbios-names", "mac", NULL };

  return table == PQ_TABLE_ENDPOINTS ? endpoint_kinds : netbios_kinds;
}

/* Returns: (transfer container): the findings that are the table's rows */
GPtrArray *
pq_table_rows (PqTable     table,
               GListModel *details)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *list = details;
  const char *kind = "rpc-endpoint";
  guint n;

  if (table == PQ_TABLE_NETBIOS_NAMES)
    {
      PqDetail *names = pq_findings_find (details, "netbios-names");

      list = names ? pq_detail_get_children (names) : NULL;
      kind = "netbios-name";
    }
  n = list ? g_list_model_get_n_items (list) : 0;
  for (guint i = 0; i < n; i++)
    {
      PqDetail *detail = g_list_model_get_item (list, i);

      if (g_strcmp0 (pq_detail_get_kind (detail), kind) == 0)
        g_ptr_array_add (rows, detail);
      else
        g_object_unref (detail);
    }
  return rows;
}

static const char *
child_value (PqDetail   *detail,
             const char *kind)
{
  PqDetail *child = pq_findings_find (pq_detail_get_children (detail), kind);

  return child ? pq_detail_get_value (child) : NULL;
}

static const struct { const char *prefix; const char *name; } protocols[] = {
  { "ncacn_ip_tcp", N_("TCP") },
  { "ncacn_np", N_("named pipe") },
  { "ncalrpc", N_("local RPC") },
  { "ncacn_http", N_("HTTP") },
  { "ncadg_ip_udp", N_("UDP") },
};

/* The protocol sequence of a binding ("ncacn_np:[\pipe\x]"), in words;
 * -1 for one not in the list. */
static int
binding_protocol (const char *binding)
{
  const char *colon = binding ? strchr (binding, ':') : NULL;

  for (guint i = 0; colon != NULL && i < G_N_ELEMENTS (protocols); i++)
    if ((gsize) (colon - binding) == strlen (protocols[i].prefix) &&
        strncmp (binding, protocols[i].prefix, colon - binding) == 0)
      return (int) i;
  return -1;
}

/* "ncacn_ip_tcp:10.0.0.1[49153]" → "10.0.0.1:49153"; a pipe
 * "ncacn_np:\\HOST[\pipe\samr]" → "\\HOST\pipe\samr". */
static char *
binding_address (const char *binding)
{
  const char *colon = binding ? strchr (binding, ':') : NULL;
  const char *open, *close;
  g_autofree char *host = NULL;
  g_autofree char *inner = NULL;
  int protocol = binding_protocol (binding);

  if (colon == NULL || (open = strchr (colon, '[')) == NULL || (close = strrchr (open, ']')) == NULL)
    return g_strdup (binding ? binding : "");
  host = g_strndup (colon + 1, open - colon - 1);
  inner = g_strndup (open + 1, close - open - 1);
  if (protocol == 1 || protocol == 2)
    return g_strconcat (host, inner, NULL);
  if (*host == '\0')
    return g_steal_pointer (&inner);
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%s", host, inner);
  return g_strdup_printf ("%s:%s", host, inner);
}

/* "samr (Security Account Manager) v1.0": the version after the last
 * " v", the name before it. */
static char *
interface_part (const char *interface,
                gboolean    version)
{
  const char *v = interface ? g_strrstr (interface, " v") : NULL;

  if (interface == NULL)
    return g_strdup ("");
  if (v == NULL)
    return g_strdup (version ? "" : interface);
  return version ? g_strdup (v + 2) : g_strndup (interface, v - interface);
}

static char *
endpoint_cell (PqDetail *row,
               guint     column)
{
  const char *value = pq_detail_get_value (row);
  const char *space = value ? strchr (value, ' ') : NULL;
  const char *binding = child_value (row, "rpc-binding");
  int protocol;

  switch (column)
    {
    case EP_INTERFACE:
    case EP_VERSION:
      return interface_part (child_value (row, "rpc-interface"), column == EP_VERSION);
    case EP_UUID:
      return space ? g_strndup (value, space - value) : g_strdup (value ? value : "");
    case EP_PROTOCOL:
      protocol = binding_protocol (binding);
      if (protocol >= 0)
        return g_strdup (_(protocols[protocol].name));
      return g_strdup (binding ? binding : "");
    case EP_ADDRESS:
      return binding_protocol (binding) >= 0 ? binding_address (binding) : g_strdup ("");
    case EP_ANNOTATION:
    default:
      return g_strdup (space ? space + 1 : "");
    }
}

/* Label "DC1 <00>", value "UNIQUE, active, permanent: Workstation Service". */
static char *
name_cell (PqDetail *row,
           guint     column)
{
  const char *label = pq_detail_get_label (row);
  const char *value = pq_detail_get_value (row);
  const char *open = label ? g_strrstr (label, " <") : NULL;
  const char *colon = value ? strstr (value, ": ") : NULL;
  g_autofree char *status = colon ? g_strndup (value, colon - value) : g_strdup (value ? value : "");
  char *comma = strchr (status, ',');

  switch (column)
    {
    case NB_NAME:
      return open ? g_strndup (label, open - label) : g_strdup (label ? label : "");
    case NB_SUFFIX:
      return g_strdup (open ? open + 1 : "");
    case NB_MEANING:
      return g_strdup (colon ? colon + 2 : "");
    case NB_TYPE:
      if (comma != NULL)
        *comma = '\0';
      return g_ascii_strcasecmp (status, "GROUP") == 0 ? g_strdup (_("group")) : g_strdup (_("unique"));
    case NB_FLAGS:
    default:
      return g_strdup (comma ? g_strchug (comma + 1) : "");
    }
}

/* Returns: (transfer full): the text of one cell, from the network and
 * not yet cleaned of control characters */
char *
pq_table_cell (PqTable   table,
               PqDetail *row,
               guint     column)
{
  return table == PQ_TABLE_ENDPOINTS ? endpoint_cell (row, column) : name_cell (row, column);
}

/* Returns: (transfer full): a row as tab-separated text, for the clipboard */
char *
pq_table_row_text (PqTable   table,
                   PqDetail *row)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < pq_table_n_columns (table); i++)
    {
      g_autofree char *cell = pq_table_cell (table, row, i);

      g_string_append_printf (s, "%s%s", i ? "\t" : "", cell);
    }
  return g_string_free (s, FALSE);
}

/* The separator before the next count: ": " first, then ", ". */
static GString *
next_part (GString *s)
{
  return g_string_append (s, s->len ? ", " : ": ");
}

/* Returns: (transfer full): "53 endpoints: 16 TCP, 24 named pipes, 13 local RPC" */
char *
pq_table_total (PqTable    table,
                GPtrArray *rows)
{
  guint counts[G_N_ELEMENTS (protocols) + 1] = { 0 };
  g_autoptr(GString) parts = g_string_new (NULL);

  if (table == PQ_TABLE_NETBIOS_NAMES)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u name", "%u names", rows->len), rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      int p = binding_protocol (child_value (g_ptr_array_index (rows, i), "rpc-binding"));

      counts[p >= 0 ? (guint) p : G_N_ELEMENTS (protocols)]++;
    }
  /* One line each: a plural form needs its literal format string. */
  if (counts[0])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u TCP", "%u TCP", counts[0]), counts[0]);
  if (counts[1])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u named pipe", "%u named pipes", counts[1]), counts[1]);
  if (counts[2])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u local RPC", "%u local RPC", counts[2]), counts[2]);
  if (counts[3])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u HTTP", "%u HTTP", counts[3]), counts[3]);
  if (counts[4])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u UDP", "%u UDP", counts[4]), counts[4]);
  if (counts[5])
    g_string_append_printf (next_part (parts), g_dngettext (GETTEXT_PACKAGE, "%u other", "%u other", counts[5]), counts[5]);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u endpoint%s", "%u endpoints%s", rows->len),
                          rows->len, parts->str);
}

/* ------------------------------------------------------------------ */
/* LDAP                                                                */

static gboolean
ldap_first (PqDetail *detail)
{
  return g_strcmp0 (pq_detail_get_kind (detail), "ldap-clock-skew") == 0 ||
         g_str_has_suffix (pq_detail_get_label (detail), "Functionality");
}

/* Returns: (transfer container): the findings with the functional levels
 * and the clock skew first, what a help-desk person looks for, and the
 * rest in the order the server sent them */
GPtrArray *
pq_findings_ldap_order (GListModel *details)
{
  GPtrArray *order = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        PqDetail *detail = g_list_model_get_item (details, i);

        if (ldap_first (detail) == (pass == 0))
          g_ptr_array_add (order, detail);
        else
          g_object_unref (detail);
      }
  return order;
}
