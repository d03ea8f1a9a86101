/* pq-ldap.c: an anonymous base-object search of the root entry (the root
 * DSE) as PortQry sends it, over TCP 389 and over CLDAP on UDP 389.
 *
 * The request names its attributes: OpenLDAP hides the operational ones
 * unless they are named, and Samba's AD DC returns nothing for "+". No
 * bind comes first; LDAPv3 takes an anonymous search as it is, and CLDAP
 * (RFC 1798, MS-ADTS 3.1.1.3.1.6) has no bind at all.
 *
 * A server whose root entry lists the StartTLS extension (RFC 4511 4.14,
 * 1.3.6.1.4.1.1466.20037) is asked for it next, over TCP; on success the
 * engine runs the TLS handshake on the connection and adds the server's
 * certificate (pq-tls.h). One that does not list it is not asked.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ber.h"
#include "pq-ldap.h"

/* A root entry is a few kilobytes; a message larger than this is refused
 * at once instead of being waited for. */
#define MAX_MESSAGE (256 * 1024)
/* Messages read before giving up on a SearchResultDone. */
#define MAX_MESSAGES 32
/* Attributes and values per attribute kept; the rest are counted. */
#define MAX_ATTRIBUTES 64
#define MAX_VALUES 256
/* A value longer than this is cut when shown. */
#define MAX_VALUE_SHOWN 512
/* Beyond this clock skew, Kerberos refuses tickets (its default). */
#define MAX_SKEW_SECONDS (5 * 60)

#define LDAP_SEARCH_REQUEST  0x63   /* [APPLICATION 3], constructed */
#define LDAP_SEARCH_ENTRY    0x64
#define LDAP_SEARCH_DONE     0x65
#define LDAP_SEARCH_REF      0x73
#define LDAP_EXTENDED_REQ    0x77   /* [APPLICATION 23], constructed */
#define LDAP_EXTENDED_RESP   0x78
#define LDAP_REQUEST_NAME    0x80   /* [0] primitive */
#define STARTTLS_OID         "1.3.6.1.4.1.1466.20037"
#define STARTTLS_TRIES       3
#define LDAP_FILTER_PRESENT  0x87   /* [7] primitive */

static const char * const attributes[] = {
  "currentTime", "subschemaSubentry", "dsServiceName", "namingContexts",
  "defaultNamingContext", "schemaNamingContext", "configurationNamingContext",
  "rootDomainNamingContext", "supportedControl", "supportedLDAPVersion",
  "supportedLDAPPolicies", "supportedSASLMechanisms", "highestCommittedUSN",
  "dnsHostName", "ldapServiceName", "serverName", "supportedCapabilities",
  "isSynchronized", "isGlobalCatalogReady", "domainFunctionality",
  "forestFunctionality", "domainControllerFunctionality", "vendorName",
  "vendorVersion", "supportedExtension", "supportedFeatures", "objectClass",
  "structuralObjectClass", "entryDN", "configContext",
};

typedef struct
{
  PqProtocol  protocol;
  gint64      message_id;
  guint       messages;
  guint       entries;
  guint       shown;         /* attributes added to the findings */
  guint       dropped;       /* attributes over MAX_ATTRIBUTES */
  char       *host_name;     /* dnsHostName, for the summary */
  char       *level;         /* domainFunctionality, decoded */
  gboolean    have_skew;
  gint64      skew;          /* server minus local clock, seconds */
  gboolean    starttls;      /* the root entry lists StartTLS */
  guint       starttls_sent; /* StartTLS requests sent */
} Ldap;

typedef enum
{
  MSG_MORE,    /* read on */
  MSG_DONE,    /* the search is over */
  MSG_BAD,     /* not LDAP */
  MSG_TLS,     /* StartTLS accepted: TLS from the next byte on */
  MSG_AGAIN,   /* StartTLS refused while the search was outstanding */
} MsgResult;

static void
ldap_init (gpointer             state,
           const PqProbeParams *params)
{
  Ldap *l = state;

  l->protocol = params->protocol;
  /* A message id of 1..0x7fff: two bytes, and never 0 (unsolicited). */
  l->message_id = 1 + (params->seed % 0x7fff);
}

static void
ldap_clear (gpointer state)
{
  Ldap *l = state;

  g_clear_pointer (&l->host_name, g_free);
  g_clear_pointer (&l->level, g_free);
}

static void
build_request (Ldap       *l,
               GByteArray *out)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) search = g_byte_array_new ();
  g_autoptr(GByteArray) attrs = g_byte_array_new ();
  static const guint8 false_value = 0x00;

  pq_ber_write_string (search, PQ_BER_OCTET_STRING, "");      /* baseObject: the root */
  pq_ber_write_int (search, PQ_BER_ENUMERATED, 0);            /* scope: baseObject */
  pq_ber_write_int (search, PQ_BER_ENUMERATED, 0);            /* derefAliases: never */
  pq_ber_write_int (search, PQ_BER_INTEGER, 1);               /* sizeLimit: one entry */
  pq_ber_write_int (search, PQ_BER_INTEGER, 10);              /* timeLimit, seconds */
  pq_ber_write_tlv (search, 0x01, &false_value, 1);           /* typesOnly: FALSE */
  pq_ber_write_string (search, LDAP_FILTER_PRESENT, "objectClass");
  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    pq_ber_write_string (attrs, PQ_BER_OCTET_STRING, attributes[i]);
  pq_ber_wrap (search, PQ_BER_SEQUENCE, attrs);

  pq_ber_write_int (msg, PQ_BER_INTEGER, l->message_id);
  pq_ber_wrap (msg, LDAP_SEARCH_REQUEST, search);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
}

/* ExtendedRequest ::= [APPLICATION 23] SEQUENCE { requestName [0] LDAPOID } */
static void
build_starttls (Ldap       *l,
                GByteArray *out)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) ext = g_byte_array_new ();

  l->message_id = l->message_id % 0x7fff + 1;
  l->starttls_sent++;
  pq_ber_write_string (ext, LDAP_REQUEST_NAME, STARTTLS_OID);
  pq_ber_write_int (msg, PQ_BER_INTEGER, l->message_id);
  pq_ber_wrap (msg, LDAP_EXTENDED_REQ, ext);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
}

/* ------------------------------------------------------------------ */
/* Values made readable                                                */

typedef struct
{
  const char *oid;
  const char *name;
} OidName;

/* Capabilities, controls, extensions and features a help desk meets. */
static const OidName oid_names[] = {
  { "1.2.840.113556.1.4.800", "Active Directory" },
  { "1.2.840.113556.1.4.1670", "Active Directory V51: Windows Server 2003 or later" },
  { "1.2.840.113556.1.4.1791", "LDAP signing and sealing by NTLM" },
  { "1.2.840.113556.1.4.1851", "AD LDS (ADAM)" },
  { "1.2.840.113556.1.4.1880", "AD LDS digest authentication" },
  { "1.2.840.113556.1.4.1920", "Read-only domain controller" },
  { "1.2.840.113556.1.4.1935", "Active Directory V60: Windows Server 2008 or later" },
  { "1.2.840.113556.1.4.2080", "Active Directory V61 R2: Windows Server 2008 R2 or later" },
  { "1.2.840.113556.1.4.2237", "Active Directory W8: Windows Server 2012 or later" },
  { "1.2.840.113556.1.4.319", "Paged results" },
  { "1.2.840.113556.1.4.417", "Show deleted objects" },
  { "1.2.840.113556.1.4.473", "Server-side sort" },
  { "1.2.840.113556.1.4.474", "Sort result" },
  { "1.2.840.113556.1.4.521", "Cross-domain move" },
  { "1.2.840.113556.1.4.528", "Change notification" },
  { "1.2.840.113556.1.4.529", "Extended DN" },
  { "1.2.840.113556.1.4.619", "Lazy commit" },
  { "1.2.840.113556.1.4.801", "Security descriptor flags" },
  { "1.2.840.113556.1.4.805", "Tree delete" },
  { "1.2.840.113556.1.4.841", "DirSync" },
  { "1.2.840.113556.1.4.970", "Search statistics" },
  { "1.2.840.113556.1.4.1338", "Verify name" },
  { "1.2.840.113556.1.4.1339", "Domain scope" },
  { "1.2.840.113556.1.4.1340", "Search options" },
  { "1.2.840.113556.1.4.1341", "RODC DCPROMO" },
  { "1.2.840.113556.1.4.1413", "Permissive modify" },
  { "1.2.840.113556.1.4.1504", "Attribute scoped query" },
  { "1.2.840.113556.1.4.1781", "Fast concurrent bind" },
  { "1.2.840.113556.1.4.1852", "Quota" },
  { "1.2.840.113556.1.4.1907", "Shutdown notify" },
  { "1.2.840.113556.1.4.1948", "Range retrieval without error" },
  { "1.2.840.113556.1.4.1974", "Force update" },
  { "1.2.840.113556.1.4.2026", "Input DN" },
  { "1.2.840.113556.1.4.2064", "Show recycled objects" },
  { "1.2.840.113556.1.4.2065", "Show deactivated links" },
  { "2.16.840.1.113730.3.4.2", "ManageDsaIT" },
  { "2.16.840.1.113730.3.4.9", "Virtual list view" },
  { "2.16.840.1.113730.3.4.10", "Virtual list view response" },
  { "2.16.840.1.113730.3.4.18", "Proxied authorization" },
  { "1.3.6.1.4.1.4203.1.10.1", "Subentries" },
  { "1.3.6.1.1.22", "Don't use copy" },
  { "1.2.826.0.1.3344810.2.3", "Matched values" },
  { "1.3.6.1.1.13.1", "Pre-read" },
  { "1.3.6.1.1.13.2", "Post-read" },
  { "1.3.6.1.1.12", "Assertion" },
  { "1.3.6.1.4.1.1466.20037", "StartTLS" },
  { "1.3.6.1.4.1.1466.101.119.1", "Dynamic refresh" },
  { "1.3.6.1.4.1.4203.1.11.1", "Modify password" },
  { "1.3.6.1.4.1.4203.1.11.3", "Who am I?" },
  { "1.3.6.1.1.8", "Cancel" },
  { "1.3.6.1.1.21.1", "Start transaction" },
  { "1.3.6.1.1.21.3", "End transaction" },
  { "1.3.6.1.1.14", "Modify-increment" },
  { "1.3.6.1.4.1.4203.1.5.1", "All operational attributes (+)" },
  { "1.3.6.1.4.1.4203.1.5.2", "Attributes by object class (@)" },
  { "1.3.6.1.4.1.4203.1.5.3", "Absolute true and false filters" },
  { "1.3.6.1.4.1.4203.1.5.4", "Language tag options" },
  { "1.3.6.1.4.1.4203.1.5.5", "Language range options" },
};

static const char *
oid_name (const char *oid)
{
  for (guint i = 0; i < G_N_ELEMENTS (oid_names); i++)
    if (strcmp (oid_names[i].oid, oid) == 0)
      return oid_names[i].name;
  return NULL;
}

/* MS-ADTS 6.1.4.2-4: the msDS-Behavior-Version of domain, forest and DC. */
static const char *
functional_level (const char *value)
{
  static const char * const levels[] = {
    "Windows 2000", "Windows Server 2003 interim", "Windows Server 2003",
    "Windows Server 2008", "Windows Server 2008 R2", "Windows Server 2012",
    "Windows Server 2012 R2", "Windows Server 2016",
  };
  guint64 n;

  if (!g_ascii_string_to_unsigned (value, 10, 0, 100, &n, NULL))
    return NULL;
  if (n < G_N_ELEMENTS (levels))
    return levels[n];
  if (n == 10)
    return "Windows Server 2025";
  return NULL;
}

static int
digits (const char *s,
        guint       n)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return -1;
      v = v * 10 + (s[i] - '0');
    }
  return v;
}

/**
 * pq_ldap_parse_time:
 *
 * Reads a GeneralizedTime as LDAP servers give currentTime:
 * "YYYYMMDDHHMMSS[.fraction]Z" or with a "+hhmm"/"-hhmm" offset.
 *
 * Returns: FALSE if @text is not one
 */
gboolean
pq_ldap_parse_time (const char *text,
                    gint64     *unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;
  const char *p = text + 14;
  int f[6], offset = 0;
  static const guint widths[] = { 4, 2, 2, 2, 2, 2 };
  guint at = 0;

  if (strlen (text) < 15)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    {
      if ((f[i] = digits (text + at, widths[i])) < 0)
        return FALSE;
      at += widths[i];
    }
  if (*p == '.' || *p == ',')
    for (p++; g_ascii_isdigit (*p); p++)
      ;
  if ((*p == '+' || *p == '-') && digits (p + 1, 4) >= 0 && p[5] == '\0')
    {
      offset = (digits (p + 1, 2) * 60 + digits (p + 3, 2)) * 60;
      offset = *p == '-' ? -offset : offset;
    }
  else if (strcmp (p, "Z") != 0)
    return FALSE;

  dt = g_date_time_new_utc (f[0], f[1], f[2], f[3], f[4], f[5]);
  if (dt == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (dt) - offset;
  return TRUE;
}

/**
 * pq_ldap_describe_skew:
 * @skew_seconds: the server's clock minus ours
 * @too_far: (out): whether Kerberos would fail
 *
 * Returns: (transfer full): the skew in words
 */
char *
pq_ldap_describe_skew (gint64    skew_seconds,
                       gboolean *too_far)
{
  guint64 a = (guint64) ABS (skew_seconds);
  g_autofree char *amount = NULL;

  *too_far = a > MAX_SKEW_SECONDS;
  if (a < 60)
    amount = g_strdup_printf (_("%u s"), (guint) a);
  else if (a < 3600)
    amount = g_strdup_printf (_("%u min %u s"), (guint) (a / 60), (guint) (a % 60));
  else if (a < 86400)
    amount = g_strdup_printf (_("%u h %u min"), (guint) (a / 3600), (guint) (a % 3600 / 60));
  else
    amount = g_strdup_printf (_("%llu days %u h"), (unsigned long long) (a / 86400), (guint) (a % 86400 / 3600));

  if (a <= 1)
    return g_strdup (_("in step with this computer (within 1 s)"));
  if (*too_far)
    return g_strdup_printf (skew_seconds > 0
                            ? _("%s ahead of this computer: more than 5 minutes, Kerberos authentication will fail")
                            : _("%s behind this computer: more than 5 minutes, Kerberos authentication will fail"),
                            amount);
  return g_strdup_printf (skew_seconds > 0 ? _("%s ahead of this computer") : _("%s behind this computer"),
                          amount);
}

static gboolean
is_oid_list (const char *name)
{
  return g_ascii_strcasecmp (name, "supportedCapabilities") == 0 ||
         g_ascii_strcasecmp (name, "supportedControl") == 0 ||
         g_ascii_strcasecmp (name, "supportedExtension") == 0 ||
         g_ascii_strcasecmp (name, "supportedFeatures") == 0;
}

static gboolean
is_level (const char *name)
{
  return g_ascii_strcasecmp (name, "domainFunctionality") == 0 ||
         g_ascii_strcasecmp (name, "forestFunctionality") == 0 ||
         g_ascii_strcasecmp (name, "domainControllerFunctionality") == 0;
}

/* One value as shown: printable, cut when long, with its meaning where
 * one is cheap to give. Notes what the summary wants on the way. */
static char *
show_value (Ldap            *l,
            const char      *name,
            const PqBerTlv  *v)
{
  g_autofree char *text = pq_probe_printable (v->value, MIN (v->len, MAX_VALUE_SHOWN));
  const char *meaning = NULL;
  g_autofree char *when = NULL;
  gint64 t;

  if (v->len > MAX_VALUE_SHOWN)
    {
      char *cut = g_strdup_printf (_("%s… (%zu bytes)"), text, v->len);

      g_free (text);
      text = cut;
    }
  else if (v->len == 0)
    {
      g_free (text);
      text = g_strdup (_("(empty)"));   /* entryDN of the root: shown, not left blank */
    }
  else if (is_oid_list (name))
    {
      meaning = oid_name (text);
      if (g_ascii_strcasecmp (name, "supportedExtension") == 0 && strcmp (text, STARTTLS_OID) == 0)
        l->starttls = TRUE;
    }
  else if (is_level (name))
    {
      meaning = functional_level (text);
      if (meaning != NULL && g_ascii_strcasecmp (name, "domainFunctionality") == 0 && l->level == NULL)
        l->level = g_strdup (meaning);
    }
  else if (g_ascii_strcasecmp (name, "currentTime") == 0 && pq_ldap_parse_time (text, &t))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

      when = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;
      meaning = when;
      if (!l->have_skew)
        {
          l->have_skew = TRUE;
          l->skew = t - g_get_real_time () / G_USEC_PER_SEC;
        }
    }
  else if (g_ascii_strcasecmp (name, "dnsHostName") == 0 && l->host_name == NULL)
    l->host_name = g_strdup (text);

  if (meaning != NULL)
    return g_strdup_printf ("%s (%s)", text, meaning);
  return g_steal_pointer (&text);
}

/* pq_detail_append() takes a reference of its own. */
static void
add_value (PqDetail   *attribute,
           const char *value)
{
  g_autoptr(PqDetail) child = pq_detail_new ("ldap-value", "", value);

  pq_detail_append (attribute, child);
}

/* PartialAttribute ::= SEQUENCE { type, vals SET OF value }: one detail,
 * with every value a child when there are several. */
static gboolean
read_attribute (Ldap            *l,
                PqBerReader     *list,
                PqProbeFindings *findings)
{
  PqBerReader attr, vals;
  PqBerTlv type, v;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  guint count = 0;
  PqDetail *detail;

  if (!pq_ber_enter (list, PQ_BER_SEQUENCE, &attr) ||
      !pq_ber_read_tag (&attr, PQ_BER_OCTET_STRING, &type) ||
      !pq_ber_enter (&attr, PQ_BER_SET, &vals))
    return FALSE;
  name = pq_probe_printable (type.value, MIN (type.len, 128));
  while (pq_ber_read (&vals, &v))
    {
      if (v.tag != PQ_BER_OCTET_STRING)
        return FALSE;
      if (count++ < MAX_VALUES)
        g_ptr_array_add (shown, show_value (l, name, &v));
    }
  if (vals.failed)
    return FALSE;

  if (l->shown >= MAX_ATTRIBUTES)
    {
      l->dropped++;
      return TRUE;
    }
  l->shown++;
  if (count == 1)
    {
      pq_probe_findings_add (findings, pq_detail_new ("ldap-attribute", name, g_ptr_array_index (shown, 0)));
      return TRUE;
    }

  {
    g_autofree char *several = g_strdup_printf (ngettext ("%u value", "%u values", count),
                                                count);

    detail = pq_detail_new ("ldap-attribute", name, several);
  }
  for (guint i = 0; i < shown->len; i++)
    add_value (detail, g_ptr_array_index (shown, i));
  if (count > shown->len)
    {
      g_autofree char *more = g_strdup_printf (_("… %u more values not shown"), count - shown->len);

      add_value (detail, more);
    }
  pq_probe_findings_add (findings, detail);
  return TRUE;
}

/* SearchResultEntry ::= [APPLICATION 4] SEQUENCE { objectName, attributes } */
static gboolean
read_entry (Ldap            *l,
            PqBerReader     *op,
            PqProbeFindings *findings)
{
  PqBerTlv dn;
  PqBerReader list;

  if (!pq_ber_read_tag (op, PQ_BER_OCTET_STRING, &dn) ||
      !pq_ber_enter (op, PQ_BER_SEQUENCE, &list))
    return FALSE;
  if (l->entries++ > 0)
    return TRUE;   /* a base search has one entry; another is not shown */
  if (dn.len > 0)
    {
      g_autofree char *text = pq_probe_printable (dn.value, MIN (dn.len, MAX_VALUE_SHOWN));

      pq_probe_findings_add (findings, pq_detail_new ("ldap-dn", _("Entry"), text));
    }
  while (!pq_ber_at_end (&list))
    if (!read_attribute (l, &list, findings))
      return FALSE;
  if (list.failed)
    return FALSE;
  /* Said now in case the result never comes; the result rewrites it. */
  g_string_printf (findings->summary,
                   ngettext ("LDAP answered with the root entry (%u attribute), but no search result.",
                             "LDAP answered with the root entry (%u attributes), but no search result.",
                             l->shown + l->dropped),
                   l->shown + l->dropped);
  return TRUE;
}

static const char *
result_name (gint64 code)
{
  switch (code)
    {
    case 0: return "success";
    case 1: return "operationsError";
    case 2: return "protocolError";
    case 3: return "timeLimitExceeded";
    case 4: return "sizeLimitExceeded";
    case 7: return "authMethodNotSupported";
    case 8: return "strongerAuthRequired";
    case 10: return "referral";
    case 11: return "adminLimitExceeded";
    case 13: return "confidentialityRequired";
    case 32: return "noSuchObject";
    case 48: return "inappropriateAuthentication";
    case 49: return "invalidCredentials";
    case 50: return "insufficientAccessRights";
    case 51: return "busy";
    case 52: return "unavailable";
    case 53: return "unwillingToPerform";
    case 80: return "other";
    default: return "unknown";
    }
}

static void
summarize (Ldap            *l,
           gint64           code,
           PqProbeFindings *findings)
{
  g_string_printf (findings->summary, _("LDAP answered with result %lld (%s):"), (long long) code, result_name (code));
  g_string_append_printf (findings->summary,
                          ngettext (" root entry with %u attribute", " root entry with %u attributes",
                                       l->shown + l->dropped),
                          l->shown + l->dropped);
  if (l->entries == 0)
    g_string_printf (findings->summary, _("LDAP answered with result %lld (%s), without the root entry"),
                     (long long) code, result_name (code));
  if (l->host_name != NULL)
    g_string_append_printf (findings->summary, _(", host %s"), l->host_name);
  if (l->level != NULL)
    g_string_append_printf (findings->summary, _(", domain level %s"), l->level);
  if (l->have_skew)
    {
      gboolean too_far;
      g_autofree char *skew = pq_ldap_describe_skew (l->skew, &too_far);

      pq_probe_findings_add (findings, pq_detail_new ("ldap-clock-skew", _("Clock skew"), skew));
      if (too_far)
        g_string_append_printf (findings->summary, _(", clock %s"), skew);
    }
  g_string_append_c (findings->summary, '.');
}

/* LDAPResult ::= resultCode, matchedDN, diagnosticMessage, ... */
static MsgResult
read_done (Ldap            *l,
           PqBerReader     *op,
           PqProbeFindings *findings)
{
  gint64 code;
  PqBerTlv matched, message;
  g_autofree char *result = NULL;

  if (!pq_ber_read_int (op, PQ_BER_ENUMERATED, &code) ||
      !pq_ber_read_tag (op, PQ_BER_OCTET_STRING, &matched) ||
      !pq_ber_read_tag (op, PQ_BER_OCTET_STRING, &message))
    return MSG_BAD;
  result = g_strdup_printf ("%" G_GINT64_FORMAT " (%s)", code, result_name (code));
  pq_probe_findings_add (findings, pq_detail_new ("ldap-result", _("Result"), result));
  if (message.len > 0)
    {
      g_autofree char *text = pq_probe_printable (message.value, MIN (message.len, MAX_VALUE_SHOWN));

      pq_probe_findings_add (findings, pq_detail_new ("ldap-result", _("Message"), text));
    }
  summarize (l, code, findings);
  return MSG_DONE;
}

/* ExtendedResponse to StartTLS: success, or why not. slapd refuses it
 * with operationsError while it still counts the search as outstanding,
 * which it may do for a moment after sending the search's result: that
 * is asked again, up to STARTTLS_TRIES in all. */
static MsgResult
read_starttls (Ldap            *l,
               PqBerReader     *op,
               PqProbeFindings *findings)
{
  gint64 code;
  g_autofree char *refused = NULL;

  if (!pq_ber_read_int (op, PQ_BER_ENUMERATED, &code))
    return MSG_BAD;
  if (code == 0)
    return MSG_TLS;
  if (code == 1 && l->starttls_sent < STARTTLS_TRIES)
    return MSG_AGAIN;
  refused = g_strdup_printf (_("refused: %lld (%s)"), (long long) code, result_name (code));
  pq_probe_add_detail (findings, "ldap-starttls", "StartTLS", refused);
  return MSG_DONE;
}

/* LDAPMessage ::= SEQUENCE { messageID, protocolOp, controls } (RFC 4511);
 * RFC 1798's CLDAP puts a user name between the first two. */
static MsgResult
read_message (Ldap            *l,
              const guint8    *data,
              gsize            len,
              PqProbeFindings *findings)
{
  PqBerReader top, msg, op;
  PqBerTlv tlv;
  gint64 id;

  pq_ber_reader_init (&top, data, len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &msg) ||
      !pq_ber_read_int (&msg, PQ_BER_INTEGER, &id) ||
      !pq_ber_read (&msg, &tlv))
    return MSG_BAD;
  if (tlv.tag == PQ_BER_OCTET_STRING && !pq_ber_read (&msg, &tlv))
    return MSG_BAD;
  if (id != l->message_id && id != 0)
    return MSG_MORE;   /* someone else's: not ours to read */

  pq_ber_reader_init (&op, tlv.value, tlv.len);
  op.depth = msg.depth + 1;
  switch (tlv.tag)
    {
    case LDAP_SEARCH_ENTRY:
      return read_entry (l, &op, findings) ? MSG_MORE : MSG_BAD;
    case LDAP_SEARCH_REF:
      return MSG_MORE;
    case LDAP_EXTENDED_RESP:
      if (l->starttls_sent && id != 0)
        return read_starttls (l, &op, findings);
      return read_done (l, &op, findings);   /* notice of disconnection */
    case LDAP_SEARCH_DONE:
      return l->starttls_sent ? MSG_BAD : read_done (l, &op, findings);
    default:
      return MSG_BAD;
    }
}

/* A reply that turned out not to be LDAP: nothing said so far stands,
 * unless the root entry was read before the bad part. */
static PqStep
malformed (Ldap            *l,
           PqProbeFindings *findings)
{
  if (l->entries == 0)
    g_string_truncate (findings->summary, 0);
  return PQ_STEP_MALFORMED;
}

static PqStep
ldap_step (gpointer          state,
           const guint8     *in,
           gsize             in_len,
           gsize            *consumed,
           GByteArray       *out,
           PqProbeFindings  *findings)
{
  Ldap *l = state;
  gsize pos = 0, total;

  *consumed = 0;
  if (in == NULL)
    {
      build_request (l, out);
      return PQ_STEP_SEND;
    }

  /* TCP: every whole message in the stream; UDP: every message in the
   * datagram (a CLDAP reply carries the entry and the result together). */
  while (pos < in_len)
    {
      PqBerStatus status = pq_ber_frame (in + pos, in_len - pos, MAX_MESSAGE, &total);
      MsgResult r;

      /* Every LDAPMessage is a SEQUENCE: anything else is not LDAP, and
       * waiting for the length its first bytes seem to give is pointless. */
      if (in[pos] != PQ_BER_SEQUENCE)
        status = PQ_BER_INVALID;

      if (status == PQ_BER_NEED_MORE && l->protocol == PQ_PROTOCOL_TCP)
        {
          /* Said now in case the rest never comes. */
          if (findings->summary->len == 0 && total > 0)
            g_string_printf (findings->summary, _("LDAP answered, but the reply is incomplete: %zu of %zu bytes."),
                             in_len - pos, total);
          break;
        }
      if (status != PQ_BER_OK)
        {
          *consumed = in_len;
          return malformed (l, findings);
        }
      r = read_message (l, in + pos, total, findings);
      pos += total;
      *consumed = pos;
      if (r == MSG_BAD)
        {
          *consumed = in_len;
          return malformed (l, findings);
        }
      if (r == MSG_TLS)
        return PQ_STEP_STARTTLS;
      if ((r == MSG_DONE && l->starttls && !l->starttls_sent && l->protocol == PQ_PROTOCOL_TCP) ||
          r == MSG_AGAIN)
        {
          build_starttls (l, out);
          return PQ_STEP_SEND;
        }
      if (r == MSG_DONE)
        return PQ_STEP_DONE;
      if (++l->messages >= MAX_MESSAGES)
        {
          g_string_assign (findings->summary, _("LDAP answered, but never ended the search."));
          return PQ_STEP_DONE;
        }
    }
  return PQ_STEP_READ;
}

const PqProbeCodec pq_ldap_codec = {
  "LDAP", sizeof (Ldap), ldap_init, ldap_step, ldap_clear, 1 + STARTTLS_TRIES, NULL
};
