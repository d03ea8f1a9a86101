/* pq-dns.c: a DNS query over UDP and TCP 53 (RFC 1035). PortQry asks the
 * server about the host name it was given; we do the same: the A record of
 * a name, the PTR record of an address literal, or the root's NS records
 * when there is nothing to ask about. Any answer, even an error or a
 * malformed one, shows that a DNS server listens.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-dns.h"

/* Compression pointers followed for one name at most: real names need a
 * handful, and each must point backwards, so loops end anyway. */
#define MAX_POINTER_HOPS 32
/* A name on the wire is at most 255 bytes (RFC 1035 3.1). */
#define MAX_NAME_WIRE 255
/* Records shown per section; the rest are counted. */
#define MAX_SHOWN 32
/* Text strings of a TXT record shown at most. */
#define MAX_TXT_STRINGS 8

#define TYPE_A      1
#define TYPE_NS     2
#define TYPE_CNAME  5
#define TYPE_SOA    6
#define TYPE_PTR    12
#define TYPE_MX     15
#define TYPE_TXT    16
#define TYPE_AAAA   28
#define TYPE_SRV    33
#define TYPE_DNAME  39
#define TYPE_OPT    41

#define FLAG_QR 0x8000
#define FLAG_AA 0x0400
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define FLAG_RA 0x0080

typedef struct
{
  gboolean  tcp;
  guint16   id;
  guint16   qtype;
  char     *qname;
} Dns;

static const char *
type_name (guint16 type)
{
  switch (type)
    {
    case TYPE_A: return "A";
    case TYPE_NS: return "NS";
    case TYPE_CNAME: return "CNAME";
    case TYPE_SOA: return "SOA";
    case TYPE_PTR: return "PTR";
    case TYPE_MX: return "MX";
    case TYPE_TXT: return "TXT";
    case TYPE_AAAA: return "AAAA";
    case TYPE_SRV: return "SRV";
    case TYPE_DNAME: return "DNAME";
    case TYPE_OPT: return "OPT";
    case 255: return "ANY";
    default: return NULL;
    }
}

static const char *
rcode_name (guint rcode)
{
  static const char * const names[] = {
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
  };

  return rcode < G_N_ELEMENTS (names) ? names[rcode] : NULL;
}

void
pq_dns_detail_child (PqDetail   *parent,
                     const char *kind,
                     const char *label,
                     const char *value)
{
  g_autoptr(PqDetail) child = pq_detail_new (kind, label, value);

  pq_detail_append (parent, child);
}

/* A label's bytes as dig shows them: printable ASCII as is, '.' and '\'
 * escaped, anything else as \DDD, so the result is plain ASCII. */
static void
append_label (GString      *out,
              const guint8 *label,
              gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = label[i];

      if (c == '.' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c > 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "\\%03u", c);
    }
}

/**
 * pq_dns_read_name:
 * @msg: the whole message (compression pointers count from its start)
 * @pos: (inout): where the name starts; set past it
 * @error: (out): why the name could not be read
 *
 * Reads a possibly compressed domain name. Every pointer must point before
 * the place it was found, and their number is bounded, so no message can
 * make this loop.
 *
 * Returns: (transfer full) (nullable): the name, dotted and escaped
 */
char *
pq_dns_read_name (const guint8  *msg,
                  gsize          msg_len,
                  gsize         *pos,
                  const char   **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gsize p = *pos, end = 0, wire = 0;
  guint hops = 0;

  for (;;)
    {
      guint8 len;

      if (p >= msg_len)
        {
          *error = N_("a name runs past the end");
          return NULL;
        }
      len = msg[p];
      if ((len & 0xc0) == 0xc0)
        {
          gsize target;

          if (p + 1 >= msg_len)
            {
              *error = N_("a name runs past the end");
              return NULL;
            }
          target = ((gsize) (len & 0x3f) << 8) | msg[p + 1];
          if (target >= p || ++hops > MAX_POINTER_HOPS)
            {
              *error = N_("a name has a compression loop");
              return NULL;
            }
          if (end == 0)
            end = p + 2;
          p = target;
          continue;
        }
      if ((len & 0xc0) != 0)
        {
          *error = N_("a name has an unknown label type");
          return NULL;
        }
      wire += (gsize) len + 1;
      if (wire > MAX_NAME_WIRE)
        {
          *error = N_("a name is longer than 255 bytes");
          return NULL;
        }
      if (len == 0)
        break;
      if (p + 1 + len > msg_len)
        {
          *error = N_("a name runs past the end");
          return NULL;
        }
      append_label (name, msg + p + 1, len);
      g_string_append_c (name, '.');
      p += 1 + (gsize) len;
    }

  *pos = end != 0 ? end : p + 1;
  if (name->len == 0)
    g_string_append_c (name, '.');
  else
    g_string_truncate (name, name->len - 1);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* ------------------------------------------------------------------ */
/* The query                                                           */

/* The reverse-lookup name of an address: 2.77.200.10.in-addr.arpa */
static char *
reverse_name (GInetAddress *address)
{
  const guint8 *b = g_inet_address_to_bytes (address);
  gsize n = g_inet_address_get_native_size (address);
  GString *s = g_string_new (NULL);

  if (n == 4)
    {
      g_string_printf (s, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
      return g_string_free (s, FALSE);
    }
  for (gsize i = n; i-- > 0;)
    g_string_append_printf (s, "%x.%x.", b[i] & 0xf, b[i] >> 4);
  g_string_append (s, "ip6.arpa");
  return g_string_free (s, FALSE);
}

/* TRUE if @name fits the wire format: labels of 1..63 bytes, 253 in all. */
static gboolean
name_is_valid (const char *name)
{
  g_auto(GStrv) labels = NULL;

  if (strlen (name) > 253 || name[0] == '\0' || name[0] == '.')
    return FALSE;
  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    if (strlen (labels[i]) > 63 || (labels[i][0] == '\0' && labels[i + 1] != NULL))
      return FALSE;
  return TRUE;
}

static void
dns_init (gpointer             state,
          const PqProbeParams *params)
{
  Dns *d = state;
  g_autoptr(GInetAddress) address = NULL;
  const char *host = params->host ? params->host : "";

  d->tcp = params->protocol == PQ_PROTOCOL_TCP;
  d->id = (guint16) (params->seed ^ (params->seed >> 16));
  {
    /* fe80::1%eth0: the zone is not part of the address */
    g_autofree char *literal = g_strndup (host, strcspn (host, "%"));

    address = g_inet_address_new_from_string (literal);
  }
  if (address != NULL)
    {
      d->qname = reverse_name (address);
      d->qtype = TYPE_PTR;
    }
  else if (name_is_valid (host))
    {
      d->qname = g_strdup (host);
      if (g_str_has_suffix (d->qname, "."))
        d->qname[strlen (d->qname) - 1] = '\0';
      d->qtype = TYPE_A;
    }
  else
    {
      d->qname = g_strdup ("");
      d->qtype = TYPE_NS;
    }
}

static void
dns_clear (gpointer state)
{
  Dns *d = state;

  g_free (d->qname);
}

static void
put16 (GByteArray *out,
       guint16     v)
{
  guint8 b[2] = { v >> 8, v & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
build_query (Dns        *d,
             GByteArray *out)
{
  g_auto(GStrv) labels = g_strsplit (d->qname, ".", -1);
  guint start = out->len;

  if (d->tcp)
    put16 (out, 0);   /* the length, filled in below */
  put16 (out, d->id);
  put16 (out, FLAG_RD);   /* as dig and resolvers ask */
  put16 (out, 1);
  put16 (out, 0);
  put16 (out, 0);
  put16 (out, 0);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint8 len = (guint8) strlen (labels[i]);

      if (len == 0)
        continue;
      g_byte_array_append (out, &len, 1);
      g_byte_array_append (out, (const guint8 *) labels[i], len);
    }
  g_byte_array_append (out, (const guint8 *) "", 1);
  put16 (out, d->qtype);
  put16 (out, 1);   /* class IN */
  if (d->tcp)
    {
      guint len = out->len - start - 2;

      out->data[start] = (guint8) (len >> 8);
      out->data[start + 1] = (guint8) (len & 0xff);
    }
}

/* ------------------------------------------------------------------ */
/* The reply                                                           */

typedef struct
{
  const guint8 *msg;
  gsize         len;
  gsize         pos;
  const char   *error;
  char         *first_answer;   /* the first answer's data, for the summary */
} Reader;

static char *
rdata_name (Reader *r,
            gsize   start,
            gsize   end)
{
  gsize p = start;
  char *name = pq_dns_read_name (r->msg, end, &p, &r->error);

  if (name == NULL)
    return NULL;
  return name;
}

static char *
format_txt (const guint8 *p,
            gsize         len)
{
  GString *s = g_string_new (NULL);
  guint n = 0;

  while (len > 0 && n++ < MAX_TXT_STRINGS)
    {
      gsize l = MIN (p[0], len - 1);

      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append_c (s, '"');
      append_label (s, p + 1, l);
      g_string_append_c (s, '"');
      p += l + 1;
      len -= l + 1;
    }
  return g_string_free (s, FALSE);
}

/* The record's data as dig prints it, where the type is a simple one.
 * Names inside the data may be compressed, but must end inside it. */
static char *
format_rdata (Reader  *r,
              guint16  type,
              gsize    start,
              gsize    rdlen)
{
  const guint8 *rd = r->msg + start;
  gsize end = start + rdlen;
  char buf[INET6_ADDRSTRLEN];
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  switch (type)
    {
    case TYPE_A:
      if (rdlen == 4)
        return g_strdup (inet_ntop (AF_INET, rd, buf, sizeof buf));
      break;
    case TYPE_AAAA:
      if (rdlen == 16)
        return g_strdup (inet_ntop (AF_INET6, rd, buf, sizeof buf));
      break;
    case TYPE_NS:
    case TYPE_CNAME:
    case TYPE_PTR:
    case TYPE_DNAME:
      return rdata_name (r, start, end);
    case TYPE_MX:
      if (rdlen > 2 && (a = rdata_name (r, start + 2, end)) != NULL)
        return g_strdup_printf ("%u %s", pq_dns_get16 (rd), a);
      return NULL;
    case TYPE_SRV:
      if (rdlen > 6 && (a = rdata_name (r, start + 6, end)) != NULL)
        return g_strdup_printf (_("priority %u, weight %u, port %u, target %s"),
                                pq_dns_get16 (rd), pq_dns_get16 (rd + 2), pq_dns_get16 (rd + 4), a);
      return NULL;
    case TYPE_SOA:
      {
        gsize p = start;

        if ((a = pq_dns_read_name (r->msg, end, &p, &r->error)) == NULL ||
            (b = pq_dns_read_name (r->msg, end, &p, &r->error)) == NULL)
          return NULL;
        if (end - p < 20)
          break;
        return g_strdup_printf (_("primary server %s, contact %s, serial %u"), a, b,
                                pq_dns_get32 (r->msg + p));
      }
    case TYPE_TXT:
      return format_txt (rd, rdlen);
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte of data",
                                           "%zu bytes of data", rdlen), rdlen);
    }
  r->error = N_("a record's data has the wrong length");
  return NULL;
}

/* Reads one resource record; adds it under @section unless @show is FALSE. */
static gboolean
read_record (Reader   *r,
             PqDetail *section,
             gboolean  show,
             gboolean  answer)
{
  g_autofree char *owner = pq_dns_read_name (r->msg, r->len, &r->pos, &r->error);
  g_autofree char *data = NULL;
  g_autofree char *label = NULL;
  g_autofree char *value = NULL;
  g_autofree char *tbuf = NULL;
  const char *tname;
  guint16 type, klass, rdlen;
  guint32 ttl;

  if (owner == NULL)
    return FALSE;
  if (r->len - r->pos < 10)
    {
      r->error = N_("a record runs past the end");
      return FALSE;
    }
  type = pq_dns_get16 (r->msg + r->pos);
  klass = pq_dns_get16 (r->msg + r->pos + 2);
  ttl = pq_dns_get32 (r->msg + r->pos + 4);
  rdlen = pq_dns_get16 (r->msg + r->pos + 8);
  r->pos += 10;
  if (r->len - r->pos < rdlen)
    {
      r->error = N_("a record's data runs past the end");
      return FALSE;
    }
  data = format_rdata (r, type, r->pos, rdlen);
  if (data == NULL)
    return FALSE;
  r->pos += rdlen;

  if (answer && r->first_answer == NULL)
    r->first_answer = g_strdup (data);
  if (!show)
    return TRUE;
  tname = type_name (type);
  if (tname == NULL)
    tname = tbuf = g_strdup_printf ("TYPE%u", type);
  if (type == TYPE_OPT)
    label = g_strdup ("OPT");
  else if (klass == 1)
    label = g_strdup_printf ("%s %s", owner, tname);
  else
    label = g_strdup_printf ("%s CLASS%u %s", owner, klass, tname);
  value = type == TYPE_OPT ? g_strdup_printf (_("EDNS, UDP size %u"), klass)
                           : g_strdup_printf (_("%s (TTL %u)"), data, ttl);
  pq_dns_detail_child (section, "dns-record", label, value);
  return TRUE;
}

/* Reads a section of @count records into a detail group. */
static gboolean
read_section (Reader          *r,
              guint            count,
              const char      *kind,
              const char      *label,
              PqProbeFindings *findings,
              gboolean         answer)
{
  g_autofree char *n = g_strdup_printf ("%u", count);
  PqDetail *section;
  gboolean ok = TRUE;
  guint i;

  if (count == 0)
    return TRUE;
  section = pq_detail_new (kind, label, n);
  pq_probe_findings_add (findings, section);
  for (i = 0; i < count && ok; i++)
    ok = read_record (r, section, i < MAX_SHOWN, answer);
  if (count > MAX_SHOWN && ok)
    {
      g_autofree char *more = g_strdup_printf (_("%u more not shown"), count - MAX_SHOWN);

      pq_dns_detail_child (section, "dns-record", "", more);
    }
  return ok;
}

static char *
flags_text (guint16 flags)
{
  GString *s = g_string_new (NULL);

  if (flags & FLAG_AA)
    g_string_append (s, _("authoritative"));
  if (flags & FLAG_RA)
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", _("recursion available"));
  if (flags & FLAG_TC)
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", _("truncated"));
  return g_string_free (s, FALSE);
}

/* Questions are skipped: the server echoes ours. */
static gboolean
skip_questions (Reader  *r,
                guint16  qd)
{
  for (guint i = 0; i < qd; i++)
    {
      g_autofree char *name = pq_dns_read_name (r->msg, r->len, &r->pos, &r->error);

      if (name == NULL)
        return FALSE;
      if (r->len - r->pos < 4)
        {
          r->error = N_("the question runs past the end");
          return FALSE;
        }
      r->pos += 4;
    }
  return TRUE;
}

/* Parses one whole DNS message: header, question, answer, authority and
 * additional sections. What could be read stays in the findings. */
static PqStep
parse_reply (Dns             *d,
             const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  Reader r = { msg, len, PQ_DNS_HEADER_LEN, NULL, NULL };
  g_autofree char *rcode_buf = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *query = NULL;
  const char *rcode;
  guint16 id, fl, qd, an, ns, ar;
  gboolean ok = TRUE;

  if (len < PQ_DNS_HEADER_LEN)
    {
      g_string_printf (findings->summary,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "DNS reply malformed: %zu byte, too short for a DNS header.",
                                    "DNS reply malformed: %zu bytes, too short for a DNS header.",
                                    len), len);
      return PQ_STEP_MALFORMED;
    }
  id = pq_dns_get16 (msg);
  fl = pq_dns_get16 (msg + 2);
  qd = pq_dns_get16 (msg + 4);
  an = pq_dns_get16 (msg + 6);
  ns = pq_dns_get16 (msg + 8);
  ar = pq_dns_get16 (msg + 10);
  if (!(fl & FLAG_QR))
    {
      g_string_printf (findings->summary, _("DNS reply malformed: it is a query, not a response."));
      return PQ_STEP_MALFORMED;
    }
  if (id != d->id)
    {
      g_string_printf (findings->summary,
                       _("DNS reply malformed: its id %u does not match the query's %u."), id, d->id);
      return PQ_STEP_MALFORMED;
    }

  rcode = rcode_name (fl & 0xf);
  if (rcode == NULL)
    rcode = rcode_buf = g_strdup_printf ("RCODE%u", fl & 0xf);
  flags = flags_text (fl);
  query = g_strdup_printf ("%s %s", d->qname[0] ? d->qname : ".", type_name (d->qtype));
  counts = g_strdup_printf (_("question %u, answer %u, authority %u, additional %u"), qd, an, ns, ar);
  pq_probe_add_detail (findings, "dns-query", _("Query"), query);
  pq_probe_add_detail (findings, "dns-rcode", _("Response code"), rcode);
  pq_probe_add_detail (findings, "dns-flags", _("Flags"), *flags ? flags : _("none"));
  pq_probe_add_detail (findings, "dns-counts", _("Records"), counts);

  ok = skip_questions (&r, qd);
  ok = ok && read_section (&r, an, "dns-answers", _("Answers"), findings, TRUE);
  ok = ok && read_section (&r, ns, "dns-authority", _("Authority"), findings, FALSE);
  ok = ok && read_section (&r, ar, "dns-additional", _("Additional"), findings, FALSE);

  g_string_printf (findings->summary, _("DNS answered %s for %s"), rcode, query);
  if (*flags)
    g_string_append_printf (findings->summary, ", %s", flags);
  g_string_append_printf (findings->summary,
                          g_dngettext (GETTEXT_PACKAGE, ", %u answer", ", %u answers", an), an);
  if (r.first_answer != NULL)
    g_string_append_printf (findings->summary, an > 1 ? _(" (first: %s)") : " (%s)", r.first_answer);
  g_free (r.first_answer);
  if (!ok)
    {
      g_string_append_printf (findings->summary, _("; the reply was malformed: %s."), _(r.error));
      pq_probe_add_detail (findings, "dns-malformed", _("Malformed"), _(r.error));
      return PQ_STEP_MALFORMED;
    }
  g_string_append_c (findings->summary, '.');
  return PQ_STEP_DONE;
}

static PqStep
dns_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  Dns *d = state;
  gsize len;

  *consumed = 0;
  if (in == NULL)
    {
      build_query (d, out);
      return PQ_STEP_SEND;
    }
  if (!d->tcp)
    {
      *consumed = in_len;
      return parse_reply (d, in, in_len, findings);
    }

  /* TCP: a 2-byte length, then the message, which may come in pieces. */
  if (in_len < 2)
    return PQ_STEP_READ;
  len = pq_dns_get16 (in);
  if (in_len - 2 < len)
    {
      g_string_printf (findings->summary,
                       _("DNS reply incomplete: %zu of %zu bytes arrived."),
                       in_len - 2, len);
      return PQ_STEP_READ;
    }
  *consumed = 2 + len;
  return parse_reply (d, in + 2, len, findings);
}

const PqProbeCodec pq_dns_codec = {
  "DNS", sizeof (Dns), dns_init, dns_step, dns_clear, 1,
  N_("No reply to a DNS query: no DNS server answers on this port, or a firewall drops the query."),
};
