/* pq-nbns.c: the NetBIOS node status query PortQry sends to UDP 137
 * (RFC 1002 4.2.17 and 4.2.18): the request asks about the name "*", and
 * the reply lists every name the host registered (computer, workgroup,
 * services) and, in its statistics block, the adapter's MAC address.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-dns.h"
#include "pq-nbns.h"

#define TYPE_NBSTAT     0x0021
#define NAME_ENTRY_LEN  18     /* 15 name bytes, the suffix, 2 flag bytes */
#define MAC_LEN         6

#define NB_GROUP        0x8000
#define NB_DRG          0x1000
#define NB_CNF          0x0800
#define NB_ACT          0x0400
#define NB_PRM          0x0200
#define NB_ONT_SHIFT    13     /* owner node type, RFC 1002 4.2.18 */

typedef struct
{
  guint16 id;
} Nbstat;

typedef struct
{
  guint8       suffix;
  gint         group;      /* 1 group, 0 unique, -1 either */
  const char  *meaning;
} Suffix;

/* The well-known suffixes (Microsoft's NetBIOS suffix list, as nbtstat
 * and nmblookup users know them). */
static const Suffix suffixes[] = {
  { 0x00, 0, N_("Workstation Service") },
  { 0x00, 1, N_("Domain Name") },
  { 0x01, 0, N_("Messenger Service") },
  { 0x01, 1, N_("Master Browser") },
  { 0x03, -1, N_("Messenger Service") },
  { 0x06, -1, N_("RAS Server Service") },
  { 0x1b, -1, N_("Domain Master Browser") },
  { 0x1c, -1, N_("Domain Controllers") },
  { 0x1d, -1, N_("Master Browser") },
  { 0x1e, -1, N_("Browser Service Elections") },
  { 0x1f, -1, N_("NetDDE Service") },
  { 0x20, -1, N_("File Server Service") },
  { 0x21, -1, N_("RAS Client Service") },
  { 0x22, -1, N_("Exchange Interchange") },
  { 0x23, -1, N_("Exchange Store") },
  { 0x24, -1, N_("Exchange Directory") },
  { 0x2b, -1, N_("Lotus Notes Server") },
  { 0x30, -1, N_("Modem Sharing Server") },
  { 0x31, -1, N_("Modem Sharing Client") },
  { 0x43, -1, N_("SMS Client Remote Control") },
  { 0x44, -1, N_("SMS Administrators Remote Control Tool") },
  { 0x45, -1, N_("SMS Client Remote Chat") },
  { 0x46, -1, N_("SMS Client Remote Transfer") },
  { 0x6a, -1, N_("Exchange IMC") },
  { 0x87, -1, N_("Exchange MTA") },
  { 0xbe, -1, N_("Network Monitor Agent") },
  { 0xbf, -1, N_("Network Monitor Application") },
};

static const char *
suffix_meaning (guint8   suffix,
                gboolean group)
{
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (suffixes[i].suffix == suffix && (suffixes[i].group < 0 || suffixes[i].group == group))
      return _(suffixes[i].meaning);
  return NULL;
}

static void
nbstat_init (gpointer             state,
             const PqProbeParams *params)
{
  Nbstat *n = state;

  n->id = (guint16) (params->seed ^ (params->seed >> 16));
}

/* The node status request for "*" (RFC 1002 4.2.17): the name is the
 * first-level encoding of "*" padded with NULs to 16 bytes. */
static void
build_request (Nbstat     *n,
               GByteArray *out)
{
  guint8 header[PQ_DNS_HEADER_LEN] = { n->id >> 8, n->id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
  guint8 name[34];
  static const guint8 tail[4] = { 0, TYPE_NBSTAT, 0, 1 };

  name[0] = 32;
  for (guint i = 0; i < 16; i++)
    {
      guint8 c = i == 0 ? '*' : 0;

      name[1 + 2 * i] = 'A' + (c >> 4);
      name[2 + 2 * i] = 'A' + (c & 0xf);
    }
  name[33] = 0;
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, name, sizeof name);
  g_byte_array_append (out, tail, sizeof tail);
}

/* A NetBIOS name as nbtstat shows it: padding dropped, control bytes as
 * dots (so __MSBROWSE__ reads "..__MSBROWSE__."), the rest made safe. */
static char *
name_text (const guint8 *p)
{
  guint8 buf[15];
  gsize len = 15;

  while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\0'))
    len--;
  for (gsize i = 0; i < len; i++)
    buf[i] = p[i] < 0x20 || p[i] == 0x7f ? '.' : p[i];
  return pq_probe_printable (buf, len);
}

static char *
status_text (guint16 flags)
{
  static const struct { guint16 bit; const char *word; } states[] = {
    { NB_ACT, N_("active") },
    { NB_CNF, N_("conflict") },
    { NB_DRG, N_("deregistering") },
    { NB_PRM, N_("permanent") },
  };
  GString *s = g_string_new (flags & NB_GROUP ? _("GROUP") : _("UNIQUE"));

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (flags & states[i].bit)
      g_string_append_printf (s, ", %s", _(states[i].word));
  if (!(flags & (NB_ACT | NB_CNF | NB_DRG | NB_PRM)))
    g_string_append_printf (s, ", %s", _("inactive"));
  return g_string_free (s, FALSE);
}

/* The owner node type of the name flags: how the host resolves names
 * (broadcast, WINS, or both in either order). RFC 1002 reserves 11;
 * Microsoft uses it for the hybrid node. */
static const char *
node_type_text (guint16 flags)
{
  static const char * const types[] = {
    N_("B-node (broadcast)"),
    N_("P-node (point-to-point: WINS only)"),
    N_("M-node (mixed: broadcast, then WINS)"),
    N_("H-node (hybrid: WINS, then broadcast)"),
  };

  return _(types[(flags >> NB_ONT_SHIFT) & 3]);
}

typedef struct
{
  char *computer;
  char *domain;
} Names;

static void
add_name (PqDetail     *table,
          const guint8 *entry,
          Names        *names)
{
  g_autofree char *name = name_text (entry);
  g_autofree char *status = NULL;
  g_autofree char *label = NULL;
  g_autofree char *value = NULL;
  guint8 suffix = entry[15];
  guint16 flags = pq_dns_get16 (entry + 16);
  gboolean group = (flags & NB_GROUP) != 0;
  const char *meaning = suffix_meaning (suffix, group);

  status = status_text (flags);
  label = g_strdup_printf ("%s <%02X>", name, suffix);
  value = meaning ? g_strdup_printf ("%s: %s", status, meaning) : g_strdup (status);
  pq_dns_detail_child (table, "netbios-name", label, value);

  /* Permanent names (Samba's __SAMBA__) are no computer or workgroup. */
  if (suffix != 0x00 || (flags & NB_PRM))
    return;
  if (!group && names->computer == NULL)
    names->computer = g_strdup (name);
  if (group && names->domain == NULL)
    names->domain = g_strdup (name);
}

/* Reads the node status response's data: the name table, then the
 * statistics block whose first 6 bytes are the unit id (MAC address). */
static const char *
read_rdata (const guint8    *rd,
            gsize            len,
            PqProbeFindings *findings)
{
  Names names = { NULL, NULL };
  const char *error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *mac = NULL;
  gboolean no_mac = FALSE;
  PqDetail *table;
  guint n, shown;

  if (len < 1)
    return N_("the reply has no name table");
  n = rd[0];
  shown = (guint) MIN (n, (len - 1) / NAME_ENTRY_LEN);
  if (shown < n)
    error = N_("the name table runs past the end of the reply");

  count = g_strdup_printf ("%u", n);
  table = pq_detail_new ("netbios-names", _("Names"), count);
  pq_probe_findings_add (findings, table);
  for (guint i = 0; i < shown; i++)
    add_name (table, rd + 1 + i * NAME_ENTRY_LEN, &names);
  /* Every name of a host carries its node type; the first one tells. */
  if (shown > 0)
    pq_probe_add_detail (findings, "netbios-node-type", _("Node type"),
                         node_type_text (pq_dns_get16 (rd + 1 + 15 + 1)));

  g_string_printf (findings->summary, g_dngettext (GETTEXT_PACKAGE, "NetBIOS: %u name", "NetBIOS: %u names", n), n);
  if (names.computer != NULL && names.domain != NULL)
    g_string_append_printf (findings->summary, _(" (computer %s, workgroup or domain %s)"),
                            names.computer, names.domain);
  else if (names.computer != NULL)
    g_string_append_printf (findings->summary, _(" (computer %s)"), names.computer);
  g_free (names.computer);
  g_free (names.domain);

  if (error == NULL && len - 1 - (gsize) n * NAME_ENTRY_LEN >= MAC_LEN)
    {
      const guint8 *m = rd + 1 + (gsize) n * NAME_ENTRY_LEN;

      no_mac = memcmp (m, "\0\0\0\0\0\0", MAC_LEN) == 0;
      mac = g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
      if (no_mac)
        {
          g_autofree char *v = g_strdup_printf (_("%s (the host did not report its MAC address)"), mac);

          pq_probe_add_detail (findings, "mac", _("MAC address"), v);
          g_string_append (findings->summary, _(", MAC address not reported"));
        }
      else
        {
          pq_probe_add_detail (findings, "mac", _("MAC address"), mac);
          g_string_append_printf (findings->summary, _(", MAC address %s"), mac);
        }
    }
  else if (error == NULL)
    error = N_("the reply ends before the MAC address");
  return error;
}

static PqStep
malformed (PqProbeFindings *findings,
           const char      *why)
{
  if (findings->summary->len > 0)
    g_string_append_printf (findings->summary, _("; the reply was malformed: %s."), _(why));
  else
    g_string_printf (findings->summary, _("NetBIOS reply malformed: %s."), _(why));
  pq_probe_findings_add (findings, pq_detail_new ("netbios-malformed", _("Malformed"), _(why)));
  return PQ_STEP_MALFORMED;
}

static PqStep
parse_reply (Nbstat          *n,
             const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  const char *error = NULL;
  g_autofree char *owner = NULL;
  gsize pos = PQ_DNS_HEADER_LEN, rdlen;
  guint16 flags, type;

  if (len < PQ_DNS_HEADER_LEN)
    return malformed (findings, N_("too short for a NetBIOS header"));
  flags = pq_dns_get16 (msg + 2);
  if (!(flags & 0x8000))
    return malformed (findings, N_("it is a request, not a response"));
  if (pq_dns_get16 (msg) != n->id)
    return malformed (findings, N_("its transaction id does not match the query's"));
  if ((flags & 0xf) != 0)
    {
      g_autofree char *code = g_strdup_printf ("%u", flags & 0xf);

      pq_probe_add_detail (findings, "netbios-rcode", _("Error code"), code);
      g_string_printf (findings->summary, _("NetBIOS name service answered with error %u."), flags & 0xf);
      return PQ_STEP_DONE;
    }
  if (pq_dns_get16 (msg + 6) == 0)
    return malformed (findings, N_("it has no answer record"));

  /* Samba and Windows put no question in the reply; skip any there is. */
  for (guint i = 0; i < pq_dns_get16 (msg + 4); i++)
    {
      g_autofree char *q = pq_dns_read_name (msg, len, &pos, &error);

      if (q == NULL)
        return malformed (findings, error);
      if (len - pos < 4)
        return malformed (findings, N_("the question runs past the end"));
      pos += 4;
    }
  owner = pq_dns_read_name (msg, len, &pos, &error);
  if (owner == NULL)
    return malformed (findings, error);
  if (len - pos < 10)
    return malformed (findings, N_("the answer record runs past the end"));
  type = pq_dns_get16 (msg + pos);
  rdlen = pq_dns_get16 (msg + pos + 8);
  pos += 10;
  if (type != TYPE_NBSTAT)
    return malformed (findings, N_("the answer is not a node status"));

  /* A length past the end is read as far as the bytes go. */
  error = read_rdata (msg + pos, MIN (rdlen, len - pos), findings);
  if (error == NULL && rdlen > len - pos)
    error = N_("its data length runs past the end");
  if (error != NULL)
    return malformed (findings, error);
  g_string_append_c (findings->summary, '.');
  return PQ_STEP_DONE;
}

static PqStep
nbstat_step (gpointer          state,
             const guint8     *in,
             gsize             in_len,
             gsize            *consumed,
             GByteArray       *out,
             PqProbeFindings  *findings)
{
  Nbstat *n = state;

  *consumed = in_len;
  if (in == NULL)
    {
      build_request (n, out);
      return PQ_STEP_SEND;
    }
  return parse_reply (n, in, in_len, findings);
}

const PqProbeCodec pq_nbstat_codec = {
  "NetBIOS", sizeof (Nbstat), nbstat_init, nbstat_step, NULL, 1,
  N_("No reply to a NetBIOS name query: NetBIOS over TCP/IP may be off on the host, or a firewall drops UDP 137."),
};
