/* pq-sqlbrowser.c: the SQL Server Browser query PortQry sends to UDP 1434
 * ([MC-SQLR] SQL Server Resolution Protocol). The request is CLNT_UCAST_EX
 * (one byte, 0x03); the reply is SVR_RESP: 0x05, a 2-byte little-endian
 * length, then "key;value;" pairs for each instance, each instance ended
 * by an empty key (";;"):
 *
 *   ServerName;SRV;InstanceName;SQLEXPRESS;IsClustered;No;Version;15.0.2000.5;tcp;1433;;
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-sqlbrowser.h"

#define CLNT_UCAST_EX 0x03
#define SVR_RESP      0x05
/* Shown at most; the rest are counted. */
#define MAX_INSTANCES 64
#define MAX_PAIRS     32
#define MAX_VALUE     512
/* Instances named in the one-line summary. */
#define MAX_SUMMARY   4

typedef struct
{
  guint        instances;
  GString     *names;        /* for the summary: "SRV\INST on TCP 1433, ..." */
  GPtrArray   *pairs;        /* PqDetail rows of the instance being read */
  gboolean     open;         /* an instance is being read */
  char        *server;
  char        *instance;
  char        *tcp;
} Reader;

static const struct { const char *key; const char *label; } known_keys[] = {
  { "ServerName", N_("Server name") },
  { "InstanceName", N_("Instance name") },
  { "IsClustered", N_("Clustered") },
  { "Version", N_("Version") },
  { "tcp", N_("TCP port") },
  { "np", N_("Named pipe") },
  { "via", N_("VIA") },
  { "rpc", N_("RPC") },
  { "spx", N_("SPX") },
  { "adsp", N_("AppleTalk") },
  { "bv", N_("Banyan VINES") },
};

static void
sqlbrowser_init (gpointer             state,
                 const PqProbeParams *params)
{
}

/* A token as text: safe, and cut at MAX_VALUE bytes. */
static char *
token_text (const guint8 *p,
            gsize         len)
{
  g_autofree char *text = pq_probe_printable (p, MIN (len, MAX_VALUE));

  if (len > MAX_VALUE)
    return g_strconcat (text, "…", NULL);
  return g_steal_pointer (&text);
}

/* The instance is complete: one detail named SERVER\INSTANCE with a row
 * per pair, and a mention in the summary. */
static void
close_instance (Reader          *r,
                PqProbeFindings *findings)
{
  g_autofree char *name = NULL;
  PqDetail *detail;

  if (!r->open)
    return;
  r->open = FALSE;
  name = r->instance != NULL && g_ascii_strcasecmp (r->instance, "MSSQLSERVER") != 0
    ? g_strdup_printf ("%s\\%s", r->server ? r->server : "?", r->instance)
    : g_strdup_printf (_("%s (default instance)"), r->server ? r->server : "?");
  if (r->instances <= MAX_INSTANCES)
    {
      detail = pq_detail_new ("sql-instance", _("Instance"), name);
      for (guint i = 0; i < r->pairs->len; i++)
        pq_detail_append (detail, g_ptr_array_index (r->pairs, i));
      pq_probe_findings_add (findings, detail);
    }
  if (r->instances <= MAX_SUMMARY)
    {
      if (r->names->len > 0)
        g_string_append (r->names, ", ");
      if (r->tcp != NULL)
        g_string_append_printf (r->names, _("%s on TCP port %s"), name, r->tcp);
      else
        g_string_append (r->names, name);
    }
  g_ptr_array_set_size (r->pairs, 0);
  g_clear_pointer (&r->server, g_free);
  g_clear_pointer (&r->instance, g_free);
  g_clear_pointer (&r->tcp, g_free);
}

static void
add_pair (Reader       *r,
          const guint8 *key,
          gsize         key_len,
          const guint8 *value,
          gsize         value_len)
{
  g_autofree char *k = token_text (key, key_len);
  g_autofree char *v = token_text (value, value_len);
  const char *label = k;

  if (!r->open)
    {
      r->open = TRUE;
      r->instances++;
    }
  if (g_ascii_strcasecmp (k, "ServerName") == 0 && r->server == NULL)
    r->server = g_strdup (v);
  else if (g_ascii_strcasecmp (k, "InstanceName") == 0 && r->instance == NULL)
    r->instance = g_strdup (v);
  else if (g_ascii_strcasecmp (k, "tcp") == 0 && r->tcp == NULL)
    r->tcp = g_strdup (v);

  if (r->instances > MAX_INSTANCES || r->pairs->len >= MAX_PAIRS)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (known_keys); i++)
    if (g_ascii_strcasecmp (k, known_keys[i].key) == 0)
      label = _(known_keys[i].label);
  g_ptr_array_add (r->pairs, pq_detail_new ("sql-property", label, v));
}

/* Reads the "key;value;...;;" text. Returns: why it is malformed, or NULL */
static const char *
read_instances (Reader          *r,
                const guint8    *data,
                gsize            len,
                PqProbeFindings *findings)
{
  gsize pos = 0;

  while (pos < len)
    {
      const guint8 *key = data + pos;
      const guint8 *key_end = memchr (key, ';', len - pos);
      const guint8 *value, *value_end;

      if (key_end == NULL)
        return N_("it ends in the middle of an instance");
      if (key_end == key)
        {
          /* An empty key ends the instance (";;"). */
          close_instance (r, findings);
          pos++;
          continue;
        }
      value = key_end + 1;
      if (value >= data + len)
        return N_("a name has no value (an odd number of fields)");
      value_end = memchr (value, ';', (gsize) (data + len - value));
      if (value_end == NULL)
        {
          add_pair (r, key, (gsize) (key_end - key), value, (gsize) (data + len - value));
          return N_("it ends in the middle of an instance");
        }
      add_pair (r, key, (gsize) (key_end - key), value, (gsize) (value_end - value));
      pos = (gsize) (value_end - data) + 1;
    }
  if (r->open)
    return N_("the last instance does not end with ;;");
  return NULL;
}

static void
add_malformed (PqProbeFindings *findings,
               const char      *why)
{
  pq_probe_findings_add (findings, pq_detail_new ("sql-malformed", _("Malformed"), _(why)));
}

static PqStep
parse_reply (const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  Reader r = { 0, };
  const char *error = NULL;
  gsize size;

  if (len < 3 || msg[0] != SVR_RESP)
    {
      g_string_printf (findings->summary, _("SQL Server browser reply malformed: it is not an SVR_RESP message."));
      add_malformed (findings, N_("it is not an SVR_RESP message"));
      return PQ_STEP_MALFORMED;
    }
  size = (gsize) msg[1] | ((gsize) msg[2] << 8);
  if (size > len - 3)
    {
      error = N_("its length runs past the end of the reply");
      size = len - 3;
    }

  r.names = g_string_new (NULL);
  r.pairs = g_ptr_array_new_with_free_func (g_object_unref);
  {
    const char *inner = read_instances (&r, msg + 3, size, findings);

    if (error == NULL)
      error = inner;
  }
  close_instance (&r, findings);
  if (r.instances > MAX_INSTANCES)
    {
      g_autofree char *more = g_strdup_printf (_("%u more instances not shown"), r.instances - MAX_INSTANCES);

      pq_probe_findings_add (findings, pq_detail_new ("sql-instance", "", more));
    }

  g_string_printf (findings->summary,
                   g_dngettext (GETTEXT_PACKAGE, "SQL Server browser: %u instance", "SQL Server browser: %u instances",
                                r.instances), r.instances);
  if (r.names->len > 0)
    g_string_append_printf (findings->summary, " (%s%s)", r.names->str, r.instances > MAX_SUMMARY ? ", …" : "");
  g_string_free (r.names, TRUE);
  g_ptr_array_unref (r.pairs);
  g_free (r.server);
  g_free (r.instance);
  g_free (r.tcp);

  if (error != NULL)
    {
      g_string_append_printf (findings->summary, _("; the reply was malformed: %s."), _(error));
      add_malformed (findings, error);
      return PQ_STEP_MALFORMED;
    }
  g_string_append_c (findings->summary, '.');
  return PQ_STEP_DONE;
}

static PqStep
sqlbrowser_step (gpointer          state,
                 const guint8     *in,
                 gsize             in_len,
                 gsize            *consumed,
                 GByteArray       *out,
                 PqProbeFindings  *findings)
{
  static const guint8 request = CLNT_UCAST_EX;

  *consumed = in_len;
  if (in == NULL)
    {
      g_byte_array_append (out, &request, 1);
      return PQ_STEP_SEND;
    }
  return parse_reply (in, in_len, findings);
}

const PqProbeCodec pq_sqlbrowser_codec = {
  "SQL Server browser", 0, sqlbrowser_init, sqlbrowser_step, NULL, 1,
  N_("No reply to a SQL Server browser query: the SQL Server Browser service may be stopped, or a firewall drops UDP 1434."),
};
