/* pq-snmp.c: an SNMP GetRequest for the system group (sysDescr,
 * sysObjectID, sysUpTime, sysContact, sysName, sysLocation) with the
 * scan's community.
 *
 * PortQry sends SNMP v1, and so does the first request here: it is what
 * every agent speaks. v1 fails a whole request over one missing object
 * (noSuchName with its index), so that object is dropped and the rest
 * asked again. Once v1 has answered, the same request goes out as v2c, to
 * tell whether the agent speaks v2c too; an agent that does not stays
 * silent, and the v1 findings stand. An agent that speaks v2c only, or a
 * wrong community, gets no answer at all: the silence hint says so.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ber.h"
#include "pq-snmp.h"

#define SNMP_GET_REQUEST   0xa0
#define SNMP_GET_RESPONSE  0xa2
#define SNMP_IP_ADDRESS    0x40
#define SNMP_COUNTER32     0x41
#define SNMP_GAUGE32       0x42
#define SNMP_TIMETICKS     0x43
#define SNMP_OPAQUE        0x44
#define SNMP_COUNTER64     0x46
#define SNMP_UINTEGER32    0x47
#define SNMP_NO_SUCH_OBJECT    0x80
#define SNMP_NO_SUCH_INSTANCE  0x81
#define SNMP_END_OF_MIB_VIEW   0x82

#define SNMP_V1   0
#define SNMP_V2C  1

/* Values kept from one reply; the request asks for six. */
#define MAX_VARBINDS 16
/* A value longer than this is cut when shown. */
#define MAX_VALUE_SHOWN 512

static const struct
{
  const char *oid;
  const char *name;
} system_group[] = {
  { "1.3.6.1.2.1.1.1.0", "sysDescr" },
  { "1.3.6.1.2.1.1.2.0", "sysObjectID" },
  { "1.3.6.1.2.1.1.3.0", "sysUpTime" },
  { "1.3.6.1.2.1.1.4.0", "sysContact" },
  { "1.3.6.1.2.1.1.5.0", "sysName" },
  { "1.3.6.1.2.1.1.6.0", "sysLocation" },
};

typedef struct
{
  char      *community;
  gint64     request_id;
  guint      version;        /* of the request in flight */
  guint      wanted;         /* bit i: system_group[i] is asked for */
  gboolean   v1_answered;
  char      *name;           /* sysName and sysDescr, for the summary */
  char      *descr;
  char      *error;          /* a v1 error-status other than noSuchName */
  guint      versions_at;    /* index of the "Versions" detail */
} Snmp;

static void
snmp_init (gpointer             state,
           const PqProbeParams *params)
{
  Snmp *s = state;

  s->community = g_strdup (params->community ? params->community : "public");
  s->request_id = 1 + (params->seed % 0x3fffffff);
  s->wanted = (1u << G_N_ELEMENTS (system_group)) - 1;
}

static void
snmp_clear (gpointer state)
{
  Snmp *s = state;

  g_clear_pointer (&s->community, g_free);
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->descr, g_free);
  g_clear_pointer (&s->error, g_free);
}

/* Message ::= SEQUENCE { version, community, GetRequest-PDU } */
static void
build_request (Snmp       *s,
               GByteArray *out)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) pdu = g_byte_array_new ();
  g_autoptr(GByteArray) list = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (system_group); i++)
    {
      g_autoptr(GByteArray) vb = g_byte_array_new ();

      if (!(s->wanted & (1u << i)))
        continue;
      pq_ber_write_oid (vb, system_group[i].oid);
      pq_ber_write_tlv (vb, PQ_BER_NULL, NULL, 0);
      pq_ber_wrap (list, PQ_BER_SEQUENCE, vb);
    }
  pq_ber_write_int (pdu, PQ_BER_INTEGER, s->request_id);
  pq_ber_write_int (pdu, PQ_BER_INTEGER, 0);   /* error-status */
  pq_ber_write_int (pdu, PQ_BER_INTEGER, 0);   /* error-index */
  pq_ber_wrap (pdu, PQ_BER_SEQUENCE, list);

  pq_ber_write_int (msg, PQ_BER_INTEGER, s->version);
  pq_ber_write_string (msg, PQ_BER_OCTET_STRING, s->community);
  pq_ber_wrap (msg, SNMP_GET_REQUEST, pdu);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
}

/**
 * pq_snmp_format_timeticks:
 * @ticks: hundredths of a second
 *
 * Returns: (transfer full): "3 days, 4 hours, 1 minute, 6.07 seconds"
 */
char *
pq_snmp_format_timeticks (guint64 ticks)
{
  guint64 days = ticks / 8640000;
  guint hours = (guint) (ticks / 360000 % 24);
  guint minutes = (guint) (ticks / 6000 % 60);
  guint seconds = (guint) (ticks / 100 % 60);
  guint hundredths = (guint) (ticks % 100);

  g_autofree char *d = g_strdup_printf (ngettext ("%llu day", "%llu days",
                                                 (gulong) MIN (days, G_MAXULONG)), (unsigned long long) days);
  g_autofree char *h = g_strdup_printf (ngettext ("%u hour", "%u hours", hours), hours);
  g_autofree char *m = g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes), minutes);

  /* TRANSLATORS: days, hours, minutes, then seconds with hundredths */
  return g_strdup_printf (_("%s, %s, %s, %u.%02u seconds"), d, h, m, seconds, hundredths);
}

static const char *
object_name (const char *oid)
{
  for (guint i = 0; i < G_N_ELEMENTS (system_group); i++)
    if (strcmp (system_group[i].oid, oid) == 0)
      return system_group[i].name;
  return NULL;
}

/* The value as snmpget shows it: "TYPE: value". NULL if it is not
 * well formed. */
static char *
show_value (const PqBerTlv *v)
{
  gint64 n;
  guint64 u;

  switch (v->tag)
    {
    case PQ_BER_INTEGER:
      return pq_ber_tlv_int (v, &n) ? g_strdup_printf ("INTEGER: %" G_GINT64_FORMAT, n) : NULL;
    case PQ_BER_OCTET_STRING:
      {
        g_autofree char *text = pq_probe_printable (v->value, MIN (v->len, MAX_VALUE_SHOWN));

        if (v->len > MAX_VALUE_SHOWN)
          return g_strdup_printf (_("STRING: %s… (%zu bytes)"), text, v->len);
        return g_strdup_printf ("STRING: %s", text);
      }
    case PQ_BER_NULL:
      return g_strdup ("NULL");
    case PQ_BER_OID:
      {
        g_autofree char *oid = pq_ber_oid_to_string (v->value, v->len);

        return oid ? g_strdup_printf ("OID: %s", oid) : NULL;
      }
    case SNMP_IP_ADDRESS:
      if (v->len != 4)
        return NULL;
      return g_strdup_printf ("IpAddress: %u.%u.%u.%u", v->value[0], v->value[1], v->value[2], v->value[3]);
    case SNMP_COUNTER32:
    case SNMP_GAUGE32:
    case SNMP_UINTEGER32:
    case SNMP_COUNTER64:
      {
        const char *type = v->tag == SNMP_COUNTER32 ? "Counter32" : v->tag == SNMP_GAUGE32 ? "Gauge32"
                           : v->tag == SNMP_COUNTER64 ? "Counter64" : "UInteger32";

        return pq_ber_tlv_uint (v, &u) ? g_strdup_printf ("%s: %" G_GUINT64_FORMAT, type, u) : NULL;
      }
    case SNMP_TIMETICKS:
      {
        g_autofree char *span = NULL;

        if (!pq_ber_tlv_uint (v, &u) || u > G_MAXUINT32)
          return NULL;
        span = pq_snmp_format_timeticks (u);
        return g_strdup_printf ("Timeticks: (%" G_GUINT64_FORMAT ") %s", u, span);
      }
    case SNMP_OPAQUE:
      return g_strdup_printf (_("Opaque: %zu bytes"), v->len);
    case SNMP_NO_SUCH_OBJECT:
      return g_strdup (_("noSuchObject: no such object on this agent"));
    case SNMP_NO_SUCH_INSTANCE:
      return g_strdup (_("noSuchInstance: no such instance on this agent"));
    case SNMP_END_OF_MIB_VIEW:
      return g_strdup (_("endOfMibView"));
    default:
      return g_strdup_printf (_("type 0x%02x, %zu bytes"), v->tag, v->len);
    }
}

/* VarBind ::= SEQUENCE { name OBJECT IDENTIFIER, value } */
static PqDetail *
read_varbind (Snmp        *s,
              PqBerReader *list)
{
  PqBerReader vb;
  PqBerTlv name, value;
  g_autofree char *oid = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *label = NULL;
  const char *known;

  if (!pq_ber_enter (list, PQ_BER_SEQUENCE, &vb) ||
      !pq_ber_read_tag (&vb, PQ_BER_OID, &name) ||
      !pq_ber_read (&vb, &value) ||
      (oid = pq_ber_oid_to_string (name.value, name.len)) == NULL ||
      (shown = show_value (&value)) == NULL)
    return NULL;

  known = object_name (oid);
  label = known ? g_strdup_printf ("%s (%s)", known, oid) : g_strdup (oid);
  if (value.tag == PQ_BER_OCTET_STRING && g_strcmp0 (known, "sysName") == 0 && s->name == NULL)
    s->name = pq_probe_printable (value.value, MIN (value.len, 128));
  if (value.tag == PQ_BER_OCTET_STRING && g_strcmp0 (known, "sysDescr") == 0 && s->descr == NULL)
    s->descr = pq_probe_printable (value.value, MIN (value.len, 128));
  return pq_detail_new ("snmp-varbind", label, shown);
}

static const char *
error_name (gint64 status)
{
  static const char * const names[] = {
    "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess", "wrongType",
    "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
    "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable",
    "inconsistentName",
  };

  return status >= 0 && status < (gint64) G_N_ELEMENTS (names) ? names[status] : "unknown";
}

/* Bit of system_group that the @index-th (1-based) varbind asked for. */
static guint
wanted_bit (Snmp   *s,
            gint64  index)
{
  gint64 seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (system_group); i++)
    if ((s->wanted & (1u << i)) && ++seen == index)
      return 1u << i;
  return 0;
}

static void
summarize (Snmp            *s,
           PqProbeFindings *findings,
           gboolean         v2c)
{
  g_autofree char *community = pq_probe_printable ((const guint8 *) s->community, strlen (s->community));

  if (!s->v1_answered)
    g_string_printf (findings->summary, _("SNMP v2c agent answered community \"%s\" (v1 got no reply)"),
                     community);
  else
    g_string_printf (findings->summary, v2c ? _("SNMP v1 and v2c agent answered community \"%s\"")
                                            : _("SNMP v1 agent answered community \"%s\""),
                     community);
  if (s->error != NULL)
    g_string_append_printf (findings->summary, _(" with error %s"), s->error);
  if (s->name != NULL)
    g_string_append_printf (findings->summary, _(": %s"), s->name);
  if (s->descr != NULL)
    g_string_append_printf (findings->summary, s->name ? " (%s)" : ": %s", s->descr);
  g_string_append_c (findings->summary, '.');
}

/* The values of a reply, or its error; @versions: "v1" or "v2c". */
static gboolean
read_values (Snmp            *s,
             gint64           status,
             PqBerReader     *list,
             PqProbeFindings *findings,
             const char      *versions)
{
  PqDetail *group;
  guint n = 0;

  /* The community is in the findings since the request (snmp_step). */
  if (status != 0)
    {
      s->error = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", error_name (status), status);
      pq_probe_findings_add (findings, pq_detail_new ("snmp-error", _("Error"), s->error));
    }
  else
    {
      group = pq_detail_new ("snmp-system", _("System group"), "");
      while (!pq_ber_at_end (list) && n++ < MAX_VARBINDS)
        {
          g_autoptr(PqDetail) vb = read_varbind (s, list);

          if (vb == NULL)
            {
              g_object_unref (group);
              return FALSE;
            }
          pq_detail_append (group, vb);   /* takes a reference of its own */
        }
      pq_probe_findings_add (findings, group);
    }
  s->versions_at = findings->details->len;
  pq_probe_findings_add (findings, pq_detail_new ("snmp-versions", _("Versions answered"), versions));
  return TRUE;
}

/* The v1 reply: its values, or an error to work around or report. */
static PqStep
read_v1 (Snmp            *s,
         gint64           status,
         gint64           index,
         PqBerReader     *list,
         GByteArray      *out,
         PqProbeFindings *findings)
{
  guint bit;

  /* noSuchName names the object v1 could not give: ask without it. */
  if (status == 2 && (bit = wanted_bit (s, index)) != 0 && (s->wanted & ~bit) != 0)
    {
      s->wanted &= ~bit;
      s->request_id++;
      build_request (s, out);
      return PQ_STEP_SEND;
    }

  s->v1_answered = TRUE;
  if (!read_values (s, status, list, findings, "v1"))
    return PQ_STEP_MALFORMED;
  summarize (s, findings, FALSE);

  /* Now the same question in v2c. */
  s->version = SNMP_V2C;
  s->request_id++;
  s->wanted = (1u << G_N_ELEMENTS (system_group)) - 1;
  build_request (s, out);
  return PQ_STEP_SEND;
}


static PqStep
snmp_step (gpointer          state,
           const guint8     *in,
           gsize             in_len,
           gsize            *consumed,
           GByteArray       *out,
           PqProbeFindings  *findings)
{
  Snmp *s = state;
  PqBerReader top, msg, pdu, list;
  PqBerTlv community;
  gint64 version, id, status, index;

  *consumed = in_len;
  if (in == NULL)
    {
      g_autofree char *shown = pq_probe_printable ((const guint8 *) s->community, strlen (s->community));

      /* PortQry's "community name for query:", kept whether or not the
       * agent answers: silence most often means this name is wrong. */
      pq_probe_add_detail (findings, "snmp-community", _("Community"), shown);
      build_request (s, out);
      return PQ_STEP_SEND;
    }

  pq_ber_reader_init (&top, in, in_len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &msg) ||
      !pq_ber_read_int (&msg, PQ_BER_INTEGER, &version) ||
      !pq_ber_read_tag (&msg, PQ_BER_OCTET_STRING, &community) ||
      !pq_ber_enter (&msg, SNMP_GET_RESPONSE, &pdu) ||
      !pq_ber_read_int (&pdu, PQ_BER_INTEGER, &id) ||
      !pq_ber_read_int (&pdu, PQ_BER_INTEGER, &status) ||
      !pq_ber_read_int (&pdu, PQ_BER_INTEGER, &index) ||
      !pq_ber_enter (&pdu, PQ_BER_SEQUENCE, &list))
    return s->v1_answered ? PQ_STEP_DONE : PQ_STEP_MALFORMED;
  if (id != s->request_id || version != (gint64) s->version)
    return PQ_STEP_READ;   /* a late answer to an earlier request */

  if (s->version == SNMP_V1)
    return read_v1 (s, status, index, &list, out, findings);
  if (!s->v1_answered)
    {
      /* Only the v2c retry was answered: an agent without v1. */
      if (!read_values (s, status, &list, findings, "v2c"))
        return PQ_STEP_MALFORMED;
      summarize (s, findings, TRUE);
      return PQ_STEP_DONE;
    }

  g_ptr_array_remove_index (findings->details, s->versions_at);
  g_ptr_array_insert (findings->details, (gint) s->versions_at,
                      pq_detail_new ("snmp-versions", _("Versions answered"), "v1, v2c"));
  summarize (s, findings, TRUE);
  return PQ_STEP_DONE;
}

/* Tries go v1, v2c, v1, ...: an agent that speaks only v2c answers the
 * second; one that speaks only v1 the first. */
static void
snmp_retry (gpointer    state,
            guint       try,
            GByteArray *out)
{
  Snmp *s = state;

  s->version = try % 2 == 0 ? SNMP_V2C : SNMP_V1;
  s->request_id++;
  s->wanted = (1u << G_N_ELEMENTS (system_group)) - 1;
  build_request (s, out);
}

const PqProbeCodec pq_snmp_codec = {
  "SNMP", sizeof (Snmp), snmp_init, snmp_step, snmp_clear,
  /* v1 with each of the six objects dropped in turn, then v2c */
  8, N_("No reply; wrong community?"), snmp_retry
};
