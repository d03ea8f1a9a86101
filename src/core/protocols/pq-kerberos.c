/* pq-kerberos.c: an AS-REQ (RFC 4120 5.4.1) for krbtgt/REALM@REALM without
 * pre-authentication, and the KDC's KRB-ERROR (or AS-REP) decoded: error
 * code, realm, the KDC's clock against ours, e-text, and from the e-data
 * the pre-authentication methods and encryption types it offers.
 *
 * The client is "krbtgt": every Active Directory realm has that account,
 * so its KDC answers PREAUTH_REQUIRED (Samba) or CLIENT_REVOKED (Windows,
 * where the account is disabled) exactly when it serves the realm asked,
 * and C_PRINCIPAL_UNKNOWN when it does not. A made-up client ("portqry")
 * gets C_PRINCIPAL_UNKNOWN either way and tells nothing about the realm.
 * No key is involved: the request is what kinit sends first.
 *
 * The realm comes from the name typed (dc1.test.lan and test.lan ask for
 * TEST.LAN). An address or a one-label name names none: the host's LDAP
 * root entry is read first, on a connection of its own to TCP 389
 * (pq-kerberos-realm.c), and the AS-REQ goes on a new connection to the
 * port queried (or, over UDP, as the port's datagram) once it has said.
 * When it cannot say, a placeholder realm is asked for, and the KDC's
 * error still names its own.
 *
 * UDP carries the message as it is; TCP puts a 4-byte big-endian length
 * in front (RFC 4120 7.2.2).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ber.h"
#include "pq-kerberos.h"
#include "pq-ldap.h"

/* A KRB-ERROR is a few hundred bytes; a TCP length above this is refused
 * at once instead of being waited for. */
#define MAX_MESSAGE (64 * 1024)
#define MAX_TEXT_SHOWN 256
#define MAX_NAME_PARTS 8
#define MAX_PA_SHOWN 32
#define MAX_ETYPES_SHOWN 16

#define KRB_AS_REQ      0x6a   /* [APPLICATION 10], constructed */
#define KRB_AS_REP      0x6b   /* [APPLICATION 11] */
#define KRB_ERROR       0x7e   /* [APPLICATION 30] */
#define BER_BIT_STRING  0x03
#define BER_GENERAL_STR 0x1b
#define BER_GEN_TIME    0x18
#define CTX(n)          (PQ_BER_CONTEXT | PQ_BER_CONSTRUCTED | (n))

#define PA_ETYPE_INFO2  19
#define CLIENT_NAME     "krbtgt"

typedef enum
{
  PHASE_START,
  PHASE_LDAP,               /* asking for the realm on 389 */
  PHASE_KDC,                /* the AS-REQ's connection comes, or is there */
} Phase;

typedef struct
{
  PqProtocol  protocol;
  guint32     nonce;
  char       *realm;        /* asked for */
  gboolean    from_name;    /* the realm came from the name typed */
  Phase       phase;
  PqKerberosRealmAsk *ask;
  const char *from_ldap;    /* the root entry's attribute that named it */
  char       *ldap_failed;  /* why LDAP did not say, when it did not */
} Kerberos;

/* The fields of a KRB-ERROR (RFC 4120 5.9.1) that are shown. */
typedef struct
{
  gboolean      have_code;
  gint64        code;
  gboolean      have_time;
  gint64        stime;      /* Unix seconds */
  gint64        susec;
  char         *crealm;
  char         *realm;
  char         *sname;
  char         *etext;
  PqBerTlv      edata;
} KrbError;

static void
krb_error_clear (KrbError *e)
{
  g_free (e->crealm);
  g_free (e->realm);
  g_free (e->sname);
  g_free (e->etext);
}

/**
 * pq_kerberos_realm_for_host:
 * @from_name: (out): whether the realm came from @host
 *
 * The realm to ask for: the domain of a name with two dots or more
 * (dc1.test.lan: TEST.LAN), a name with one dot as it is (test.lan, the
 * domain itself), upper-cased; otherwise the placeholder.
 *
 * Returns: (transfer full): the realm
 */
char *
pq_kerberos_realm_for_host (const char *host,
                            gboolean   *from_name)
{
  g_autofree char *name = g_strdup (host ? host : "");
  const char *first_dot, *domain;
  gsize len = strlen (name);

  *from_name = FALSE;
  if (len > 0 && name[len - 1] == '.')
    name[--len] = '\0';
  first_dot = strchr (name, '.');
  /* Addresses, one-label names, and names with an empty label */
  if (len == 0 || len > 253 || first_dot == NULL || g_hostname_is_ip_address (name) ||
      strchr (name, ':') != NULL || strstr (name, "..") != NULL || name[0] == '.' ||
      name[len - 1] == '.')
    return g_strdup (PQ_KERBEROS_PLACEHOLDER_REALM);
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return g_strdup (PQ_KERBEROS_PLACEHOLDER_REALM);
  domain = strchr (first_dot + 1, '.') != NULL ? first_dot + 1 : name;
  *from_name = TRUE;
  return g_ascii_strup (domain, -1);
}

static void
kerberos_init (gpointer             state,
               const PqProbeParams *params)
{
  Kerberos *k = state;

  k->protocol = params->protocol;
  /* Positive as an Int32: four bytes at most in DER. */
  k->nonce = params->seed & 0x7fffffff;
  k->realm = pq_kerberos_realm_for_host (params->host, &k->from_name);
  k->phase = PHASE_START;
  if (!k->from_name)
    k->ask = pq_kerberos_realm_ask_new (params->seed);
}

static void
kerberos_clear (gpointer state)
{
  Kerberos *k = state;

  g_clear_pointer (&k->realm, g_free);
  g_clear_pointer (&k->ask, pq_kerberos_realm_ask_free);
  g_clear_pointer (&k->ldap_failed, g_free);
}

/* ------------------------------------------------------------------ */
/* The request                                                         */

/* Writes @inner's bytes as the body of an explicit [n] tag. */
static void
wrap_ctx (GByteArray *out,
          guint       n,
          GByteArray *inner)
{
  pq_ber_wrap (out, CTX (n), inner);
}

static void
write_ctx_int (GByteArray *out,
               guint       n,
               gint64      value)
{
  g_autoptr(GByteArray) v = g_byte_array_new ();

  pq_ber_write_int (v, PQ_BER_INTEGER, value);
  wrap_ctx (out, n, v);
}

static void
write_ctx_string (GByteArray *out,
                  guint       n,
                  guint8      tag,
                  const char *text)
{
  g_autoptr(GByteArray) v = g_byte_array_new ();

  pq_ber_write_string (v, tag, text);
  wrap_ctx (out, n, v);
}

/* PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } */
static void
write_principal (GByteArray *out,
                 guint       n,
                 gint64      type,
                 const char *first,
                 const char *second)
{
  g_autoptr(GByteArray) names = g_byte_array_new ();
  g_autoptr(GByteArray) seq = g_byte_array_new ();
  g_autoptr(GByteArray) fields = g_byte_array_new ();
  g_autoptr(GByteArray) principal = g_byte_array_new ();

  pq_ber_write_string (names, BER_GENERAL_STR, first);
  if (second != NULL)
    pq_ber_write_string (names, BER_GENERAL_STR, second);
  pq_ber_wrap (seq, PQ_BER_SEQUENCE, names);
  write_ctx_int (fields, 0, type);
  wrap_ctx (fields, 1, seq);
  pq_ber_wrap (principal, PQ_BER_SEQUENCE, fields);
  wrap_ctx (out, n, principal);
}

/* AS-REQ ::= [APPLICATION 10] KDC-REQ; KDC-REQ ::= SEQUENCE { pvno [1],
 * msg-type [2], padata [3] OPTIONAL, req-body [4] KDC-REQ-BODY } */
static void
build_request (Kerberos   *k,
               GByteArray *out)
{
  /* forwardable, renewable, canonicalize, renewable-ok: what kinit asks */
  static const guint8 options[] = { 0x00, 0x40, 0x81, 0x00, 0x10 };
  static const gint64 etypes[] = { 18, 17, 20, 19, 23 };
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) body_seq = g_byte_array_new ();
  g_autoptr(GByteArray) tmp = g_byte_array_new ();
  g_autoptr(GByteArray) list = g_byte_array_new ();
  g_autoptr(GByteArray) req = g_byte_array_new ();
  g_autoptr(GByteArray) seq = g_byte_array_new ();
  g_autoptr(GByteArray) msg = g_byte_array_new ();

  pq_ber_write_tlv (tmp, BER_BIT_STRING, options, sizeof options);
  wrap_ctx (body, 0, tmp);
  write_principal (body, 1, 1 /* NT-PRINCIPAL */, CLIENT_NAME, NULL);
  write_ctx_string (body, 2, BER_GENERAL_STR, k->realm);
  write_principal (body, 3, 2 /* NT-SRV-INST */, "krbtgt", k->realm);
  write_ctx_string (body, 5, BER_GEN_TIME, "20370913024805Z");   /* till: as kinit */
  write_ctx_int (body, 7, k->nonce);
  for (guint i = 0; i < G_N_ELEMENTS (etypes); i++)
    pq_ber_write_int (list, PQ_BER_INTEGER, etypes[i]);
  g_byte_array_set_size (tmp, 0);
  pq_ber_wrap (tmp, PQ_BER_SEQUENCE, list);
  wrap_ctx (body, 8, tmp);
  pq_ber_wrap (body_seq, PQ_BER_SEQUENCE, body);

  write_ctx_int (req, 1, 5);     /* pvno */
  write_ctx_int (req, 2, 10);    /* msg-type: AS-REQ */
  wrap_ctx (req, 4, body_seq);
  pq_ber_wrap (seq, PQ_BER_SEQUENCE, req);

  pq_ber_wrap (msg, KRB_AS_REQ, seq);
  if (k->protocol == PQ_PROTOCOL_TCP)
    {
      guint8 len[4] = { (guint8) (msg->len >> 24), (guint8) (msg->len >> 16),
                        (guint8) (msg->len >> 8), (guint8) msg->len };

      g_byte_array_append (out, len, 4);
    }
  g_byte_array_append (out, msg->data, msg->len);
}

/* ------------------------------------------------------------------ */
/* Names of codes                                                      */

/**
 * pq_kerberos_error_name:
 *
 * Returns: RFC 4120's name of a KRB-ERROR code, or "unknown"
 */
const char *
pq_kerberos_error_name (gint64 code)
{
  switch (code)
    {
    case 0: return "KDC_ERR_NONE";
    case 1: return "KDC_ERR_NAME_EXP";
    case 2: return "KDC_ERR_SERVICE_EXP";
    case 3: return "KDC_ERR_BAD_PVNO";
    case 6: return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
    case 7: return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
    case 8: return "KDC_ERR_PRINCIPAL_NOT_UNIQUE";
    case 12: return "KDC_ERR_POLICY";
    case 13: return "KDC_ERR_BADOPTION";
    case 14: return "KDC_ERR_ETYPE_NOSUPP";
    case 16: return "KDC_ERR_PADATA_TYPE_NOSUPP";
    case 18: return "KDC_ERR_CLIENT_REVOKED";
    case 23: return "KDC_ERR_KEY_EXPIRED";
    case 24: return "KDC_ERR_PREAUTH_FAILED";
    case 25: return "KDC_ERR_PREAUTH_REQUIRED";
    case 29: return "KDC_ERR_SVC_UNAVAILABLE";
    case 37: return "KRB_AP_ERR_SKEW";
    case 52: return "KRB_ERR_RESPONSE_TOO_BIG";
    case 60: return "KRB_ERR_GENERIC";
    case 68: return "KDC_ERR_WRONG_REALM";
    default: return "unknown";
    }
}

/* What the code says about the KDC, in plain words; NULL if nothing. */
static const char *
error_meaning (gint64 code)
{
  switch (code)
    {
    case 6: return _("the KDC works, but does not know the client krbtgt of this realm: it does not serve the realm asked for");
    case 7: return _("the KDC works, but does not know the service krbtgt of this realm");
    case 14: return _("the KDC works, but shares no encryption type with this request");
    case 18: return _("the KDC works and serves this realm (the krbtgt account is disabled, as in Active Directory)");
    case 24: return _("the KDC works and serves this realm");
    case 25: return _("the KDC works and serves this realm");
    case 29: return _("the KDC is not available");
    case 37: return _("the clocks of the KDC and this computer are too far apart");
    case 52: return _("the answer is too large for UDP; clients retry over TCP");
    case 68: return _("the KDC serves another realm");
    default: return NULL;
    }
}

static const char *
etype_name (gint64 etype)
{
  switch (etype)
    {
    case 1: return "des-cbc-crc";
    case 3: return "des-cbc-md5";
    case 17: return "aes128-cts-hmac-sha1-96";
    case 18: return "aes256-cts-hmac-sha1-96";
    case 19: return "aes128-cts-hmac-sha256-128";
    case 20: return "aes256-cts-hmac-sha384-192";
    case 23: return "rc4-hmac";
    case 24: return "rc4-hmac-exp";
    case 25: return "camellia128-cts-cmac";
    case 26: return "camellia256-cts-cmac";
    default: return "unknown";
    }
}

static const char *
padata_name (gint64 type)
{
  switch (type)
    {
    case 2: return "PA-ENC-TIMESTAMP";
    case 11: return "PA-ETYPE-INFO";
    case 15: return "PA-PK-AS-REQ-19";
    case 16: return "PA-PK-AS-REQ";
    case 17: return "PA-PK-AS-REP";
    case 19: return "PA-ETYPE-INFO2";
    case 128: return "PA-PAC-REQUEST";
    case 133: return "PA-FX-COOKIE";
    case 136: return "PA-FX-FAST";
    case 138: return "PA-ENCRYPTED-CHALLENGE";
    case 147: return "PA-PKINIT-KX";
    case 149: return "PA-REQ-ENC-PA-REP";
    case 165: return "PA-SUPPORTED-ENCTYPES";
    case 655: return "PA-GSS";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The one element inside an explicit [n] tag. */
static gboolean
inner (const PqBerTlv *field,
       PqBerTlv       *tlv)
{
  PqBerReader r;

  pq_ber_reader_init (&r, field->value, field->len);
  return pq_ber_read (&r, tlv) && pq_ber_at_end (&r) && !r.failed;
}

static gboolean
inner_int (const PqBerTlv *field,
           gint64         *value)
{
  PqBerTlv tlv;

  return inner (field, &tlv) && tlv.tag == PQ_BER_INTEGER && pq_ber_tlv_int (&tlv, value);
}

/* A KerberosString (GeneralString; UTF8String from some servers). */
static char *
tlv_text (const PqBerTlv *tlv)
{
  g_autofree char *text = NULL;

  if (tlv->tag != BER_GENERAL_STR && tlv->tag != 0x0c)
    return NULL;
  text = pq_probe_printable (tlv->value, MIN (tlv->len, MAX_TEXT_SHOWN));
  if (tlv->len > MAX_TEXT_SHOWN)
    return g_strdup_printf ("%s…", text);
  return g_steal_pointer (&text);
}

static char *
inner_text (const PqBerTlv *field)
{
  PqBerTlv tlv;

  return inner (field, &tlv) ? tlv_text (&tlv) : NULL;
}

/* A KerberosTime: "YYYYMMDDHHMMSSZ". */
static gboolean
inner_time (const PqBerTlv *field,
            gint64         *unix_seconds)
{
  PqBerTlv tlv;
  char text[32];

  if (!inner (field, &tlv) || tlv.tag != BER_GEN_TIME || tlv.len >= sizeof text)
    return FALSE;
  memcpy (text, tlv.value, tlv.len);
  text[tlv.len] = '\0';
  return strlen (text) == tlv.len && pq_ldap_parse_time (text, unix_seconds);
}

/* PrincipalName as "krbtgt/TEST.LAN". */
static char *
inner_principal (const PqBerTlv *field)
{
  PqBerReader top, seq, names;
  PqBerTlv tlv;
  g_autoptr(GString) s = g_string_new (NULL);
  guint parts = 0;

  pq_ber_reader_init (&top, field->value, field->len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &seq) ||
      !pq_ber_read_tag (&seq, CTX (0), &tlv) ||
      !pq_ber_read_tag (&seq, CTX (1), &tlv))
    return NULL;
  pq_ber_reader_init (&top, tlv.value, tlv.len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &names))
    return NULL;
  while (pq_ber_read (&names, &tlv))
    {
      g_autofree char *part = tlv_text (&tlv);

      if (part == NULL)
        return NULL;
      if (parts++ >= MAX_NAME_PARTS)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '/');
      g_string_append (s, part);
    }
  if (names.failed || parts == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno [0], msg-type [1],
 * ctime [2], cusec [3], stime [4], susec [5], error-code [6], crealm [7],
 * cname [8], realm [9], sname [10], e-text [11], e-data [12] } */
static gboolean
read_error (PqBerReader *seq,
            KrbError    *e)
{
  PqBerTlv field;
  gint64 v;

  while (pq_ber_read (seq, &field))
    {
      if ((field.tag & 0xe0) != (PQ_BER_CONTEXT | PQ_BER_CONSTRUCTED))
        return FALSE;
      switch (field.tag & 0x1f)
        {
        case 0:
          if (!inner_int (&field, &v) || v != 5)
            return FALSE;
          break;
        case 1:
          if (!inner_int (&field, &v) || v != 30)
            return FALSE;
          break;
        case 4:
          e->have_time = inner_time (&field, &e->stime);
          break;
        case 5:
          if (!inner_int (&field, &e->susec) || e->susec < 0 || e->susec > 999999)
            e->susec = 0;
          break;
        case 6:
          e->have_code = inner_int (&field, &e->code);
          break;
        case 7:
          g_free (e->crealm);
          e->crealm = inner_text (&field);
          break;
        case 9:
          g_free (e->realm);
          e->realm = inner_text (&field);
          break;
        case 10:
          g_free (e->sname);
          e->sname = inner_principal (&field);
          break;
        case 11:
          g_free (e->etext);
          e->etext = inner_text (&field);
          break;
        case 12:
          if (!inner (&field, &e->edata) || e->edata.tag != PQ_BER_OCTET_STRING)
            e->edata.len = 0;
          break;
        default:
          break;   /* ctime, cusec, cname: our own, echoed */
        }
    }
  return !seq->failed && e->have_code;
}

/* ETYPE-INFO2 ::= SEQUENCE OF SEQUENCE { etype [0], salt [1] OPTIONAL, s2kparams [2] } */
static void
read_etype_info2 (const PqBerTlv  *value,
                  GString         *etypes,
                  char           **salt)
{
  PqBerReader top, list, entry;
  PqBerTlv field;
  guint n = 0;

  pq_ber_reader_init (&top, value->value, value->len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &list))
    return;
  while (n < MAX_ETYPES_SHOWN && pq_ber_enter (&list, PQ_BER_SEQUENCE, &entry))
    while (pq_ber_read (&entry, &field))
      {
        gint64 etype;

        if (field.tag == CTX (0) && inner_int (&field, &etype))
          {
            g_string_append_printf (etypes, "%s%s (%" G_GINT64_FORMAT ")",
                                    n++ > 0 ? ", " : "", etype_name (etype), etype);
          }
        else if (field.tag == CTX (1) && *salt == NULL)
          *salt = inner_text (&field);
      }
}

/* e-data of PREAUTH_REQUIRED: METHOD-DATA ::= SEQUENCE OF PA-DATA
 * { padata-type [1] Int32, padata-value [2] OCTET STRING }. */
static void
read_method_data (const PqBerTlv  *edata,
                  PqProbeFindings *findings)
{
  PqBerReader top, list, pa;
  PqBerTlv type_field, value_field, value;
  g_autoptr(GString) methods = g_string_new (NULL);
  g_autoptr(GString) etypes = g_string_new (NULL);
  g_autofree char *salt = NULL;
  guint n = 0;

  pq_ber_reader_init (&top, edata->value, edata->len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &list))
    return;
  while (n < MAX_PA_SHOWN && pq_ber_enter (&list, PQ_BER_SEQUENCE, &pa))
    {
      gint64 type;

      if (!pq_ber_read_tag (&pa, CTX (1), &type_field) || !inner_int (&type_field, &type))
        break;
      g_string_append_printf (methods, "%s%s (%" G_GINT64_FORMAT ")",
                              n++ > 0 ? ", " : "", padata_name (type), type);
      if (type == PA_ETYPE_INFO2 && pq_ber_read_tag (&pa, CTX (2), &value_field) &&
          inner (&value_field, &value) && value.tag == PQ_BER_OCTET_STRING)
        read_etype_info2 (&value, etypes, &salt);
    }
  if (methods->len > 0)
    pq_probe_add_detail (findings, "kerberos-preauth", _("Pre-authentication offered"), methods->str);
  if (etypes->len > 0)
    pq_probe_add_detail (findings, "kerberos-etypes", _("Encryption types for pre-authentication"), etypes->str);
  if (salt != NULL)
    pq_probe_add_detail (findings, "kerberos-salt", _("Salt"), salt);
}

/**
 * pq_kerberos_add_clock:
 * @kind: the findings' kind prefix: "kerberos", "smb"
 * @label: what the time is called: "KDC time"
 * @unix_us: the server's clock, microseconds since 1970
 *
 * Adds a server's time and its skew against this computer's clock, which
 * Kerberos allows to be 5 minutes at most.
 *
 * Returns: (transfer full) (nullable): the skew in words when it is
 *   beyond that, else NULL
 */
char *
pq_kerberos_add_clock (PqProbeFindings *findings,
                       const char      *kind,
                       const char      *label,
                       gint64           unix_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autofree char *when = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;
  g_autofree char *time_kind = g_strconcat (kind, "-time", NULL);
  g_autofree char *skew_kind = g_strconcat (kind, "-clock-skew", NULL);
  gint64 diff = unix_us - g_get_real_time ();
  /* To the nearest second. */
  gint64 skew = diff >= 0 ? (diff + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC
                          : -((-diff + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC);
  gboolean too_far;
  g_autofree char *words = pq_ldap_describe_skew (skew, &too_far);

  if (when != NULL)
    pq_probe_add_detail (findings, time_kind, label, when);
  pq_probe_add_detail (findings, skew_kind, _("Clock skew"), words);
  return too_far ? g_steal_pointer (&words) : NULL;
}

static void
report_error (Kerberos        *k,
              const KrbError  *e,
              PqProbeFindings *findings)
{
  const char *meaning = error_meaning (e->code);
  const char *realm = e->realm ? e->realm : e->crealm;
  g_autofree char *code = NULL;
  g_autofree char *far = NULL;

  if (!k->from_name && k->from_ldap == NULL && e->code == 6)
    meaning = _("the KDC works; the realm was not checked, since an address names none: query the domain controller by name");
  code = meaning
    ? g_strdup_printf ("%" G_GINT64_FORMAT " %s: %s", e->code, pq_kerberos_error_name (e->code), meaning)
    : g_strdup_printf ("%" G_GINT64_FORMAT " %s", e->code, pq_kerberos_error_name (e->code));
  pq_probe_add_detail (findings, "kerberos-error", _("Error"), code);
  if (realm != NULL)
    pq_probe_add_detail (findings, "kerberos-realm", _("Realm"), realm);
  if (e->crealm != NULL && e->realm != NULL && strcmp (e->crealm, e->realm) != 0)
    pq_probe_add_detail (findings, "kerberos-realm", _("Client realm"), e->crealm);
  if (e->sname != NULL)
    pq_probe_add_detail (findings, "kerberos-service", _("Service"), e->sname);
  if (e->etext != NULL && *e->etext != '\0')
    pq_probe_add_detail (findings, "kerberos-text", _("Message"), e->etext);
  if (e->edata.len > 0)
    read_method_data (&e->edata, findings);
  if (e->have_time)
    far = pq_kerberos_add_clock (findings, "kerberos", _("KDC time"), e->stime * G_USEC_PER_SEC + e->susec);

  g_string_printf (findings->summary, _("Kerberos KDC answered %s (%lld) for realm %s"),
                   pq_kerberos_error_name (e->code), (long long) e->code, realm ? realm : k->realm);
  if (meaning != NULL)
    g_string_append_printf (findings->summary, ": %s", meaning);
  if (far != NULL)
    g_string_append_printf (findings->summary, _(", clock %s"), far);
  g_string_append_c (findings->summary, '.');
}

/* AS-REP ::= [APPLICATION 11] SEQUENCE { pvno [0], msg-type [1], padata [2],
 * crealm [3], cname [4], ticket [5], enc-part [6] }: a ticket handed out
 * without proof of the password. */
static gboolean
read_as_rep (Kerberos        *k,
             PqBerReader     *seq,
             PqProbeFindings *findings)
{
  PqBerTlv field;
  g_autofree char *crealm = NULL;
  g_autofree char *cname = NULL;
  gint64 v;

  while (pq_ber_read (seq, &field))
    if (field.tag == CTX (1) && (!inner_int (&field, &v) || v != 11))
      return FALSE;
    else if (field.tag == CTX (3) && crealm == NULL)
      crealm = inner_text (&field);
    else if (field.tag == CTX (4) && cname == NULL)
      cname = inner_principal (&field);
  if (seq->failed)
    return FALSE;
  {
    g_autofree char *who = g_strdup_printf ("%s@%s", cname ? cname : CLIENT_NAME, crealm ? crealm : k->realm);
    g_autofree char *note = g_strdup_printf (_("The KDC issued a ticket for %s without pre-authentication: "
                                               "its reply can be attacked offline to find the password (AS-REP roasting)."),
                                             who);

    pq_probe_add_detail (findings, "kerberos-security", _("Security"), note);
    if (crealm != NULL)
      pq_probe_add_detail (findings, "kerberos-realm", _("Realm"), crealm);
    g_string_printf (findings->summary, _("Kerberos KDC issued a ticket for %s without pre-authentication (AS-REP): a security risk."),
                     who);
  }
  return TRUE;
}

/* One whole message: FALSE if it is not a KRB-ERROR or an AS-REP. */
static gboolean
read_message (Kerberos        *k,
              const guint8    *data,
              gsize            len,
              PqProbeFindings *findings)
{
  PqBerReader top, app, seq;
  KrbError e = { 0 };
  gboolean ok;

  pq_ber_reader_init (&top, data, len);
  if (len < 2 || (data[0] != KRB_ERROR && data[0] != KRB_AS_REP) ||
      !pq_ber_enter (&top, data[0], &app) ||
      !pq_ber_enter (&app, PQ_BER_SEQUENCE, &seq))
    return FALSE;
  if (data[0] == KRB_AS_REP)
    return read_as_rep (k, &seq, findings);
  ok = read_error (&seq, &e);
  if (ok)
    report_error (k, &e, findings);
  krb_error_clear (&e);
  return ok;
}

static void
add_request (Kerberos        *k,
             PqProbeFindings *findings)
{
  g_autofree char *asked = NULL;

  if (k->from_name)
    asked = g_strdup_printf (_("krbtgt@%s without pre-authentication (realm from the name typed)"), k->realm);
  else if (k->from_ldap != NULL)
    /* Translators: the realm, then the LDAP attribute (“ldapServiceName”) */
    asked = g_strdup_printf (_("krbtgt@%s without pre-authentication (realm from the host's LDAP root entry, %s)"),
                             k->realm, k->from_ldap);
  else if (k->ldap_failed != NULL)
    /* Translators: the realm, then why LDAP did not say (“Connection refused”) */
    asked = g_strdup_printf (_("krbtgt@%s without pre-authentication (a placeholder realm: an address names none, "
                               "and LDAP on port 389 did not say: %s)"), k->realm, k->ldap_failed);
  else
    asked = g_strdup_printf (_("krbtgt@%s without pre-authentication (a placeholder realm: an address names none)"),
                             k->realm);

  pq_probe_add_detail (findings, "kerberos-request", _("Asked for"), asked);
}

/* The root entry's search is over: its realm, if it named one, replaces
 * the placeholder; the AS-REQ goes on the next connection. */
static PqStep
ldap_done (Kerberos *k)
{
  const char *attribute = NULL;
  char *realm = pq_kerberos_realm_ask_result (k->ask, &attribute);

  if (realm != NULL)
    {
      g_free (k->realm);
      k->realm = realm;
      k->from_ldap = attribute;
    }
  else if (k->ldap_failed == NULL)
    k->ldap_failed = g_strdup (_("its root entry names no realm"));
  g_clear_pointer (&k->ask, pq_kerberos_realm_ask_free);
  k->phase = PHASE_KDC;
  return PQ_STEP_CONNECT;
}

/* On 389: the LDAP codec's search. */
static PqStep
ldap_step (Kerberos     *k,
           const guint8 *in,
           gsize         in_len,
           gsize        *consumed,
           GByteArray   *out)
{
  PqStep step = pq_kerberos_realm_ask_step (k->ask, in, in_len, consumed, out);

  return step == PQ_STEP_DONE ? ldap_done (k) : step;
}

static guint16
kerberos_connect_port (gpointer state)
{
  Kerberos *k = state;

  return k->phase == PHASE_LDAP ? PQ_KERBEROS_LDAP_PORT : 0;
}

/* A connection after the first ended early: LDAP's (the placeholder
 * realm, then), or the AS-REQ's. */
static PqStep
kerberos_ended (gpointer         state,
                const char      *why,
                PqProbeFindings *findings)
{
  Kerberos *k = state;

  if (k->phase == PHASE_LDAP)
    {
      g_free (k->ldap_failed);
      k->ldap_failed = g_strdup (why);
      g_clear_pointer (&k->ask, pq_kerberos_realm_ask_free);
      k->phase = PHASE_KDC;
      return PQ_STEP_CONNECT;
    }
  if (findings->summary->len == 0)
    {
      add_request (k, findings);
      g_string_printf (findings->summary, _("The Kerberos query got no answer: %s."), why);
    }
  return PQ_STEP_DONE;
}

static PqStep
kerberos_step (gpointer          state,
               const guint8     *in,
               gsize             in_len,
               gsize            *consumed,
               GByteArray       *out,
               PqProbeFindings  *findings)
{
  Kerberos *k = state;
  guint32 len;

  *consumed = 0;
  if (k->phase == PHASE_START && k->ask != NULL)
    {
      /* Not a byte on this connection: the next one is LDAP's. */
      k->phase = PHASE_LDAP;
      return PQ_STEP_CONNECT;
    }
  if (k->phase == PHASE_LDAP)
    return ldap_step (k, in, in_len, consumed, out);
  if (in == NULL)
    {
      k->phase = PHASE_KDC;
      build_request (k, out);
      return PQ_STEP_SEND;
    }
  if (k->protocol == PQ_PROTOCOL_TCP)
    {
      if (in_len < 4)
        return PQ_STEP_READ;
      len = (guint32) in[0] << 24 | (guint32) in[1] << 16 | (guint32) in[2] << 8 | in[3];
      /* The top bit is reserved for extensions; no KDC reply is this large. */
      if (len > MAX_MESSAGE || len < 2)
        {
          *consumed = in_len;
          return PQ_STEP_MALFORMED;
        }
      if (in_len - 4 < len)
        {
          if (findings->summary->len == 0)
            g_string_printf (findings->summary, _("Kerberos answered, but the reply is incomplete: %zu of %zu bytes."),
                             in_len - 4, (gsize) len);
          return PQ_STEP_READ;
        }
      *consumed = 4 + len;
      in += 4;
      in_len = len;
    }
  else
    *consumed = in_len;

  g_string_truncate (findings->summary, 0);
  add_request (k, findings);
  if (!read_message (k, in, in_len, findings))
    {
      g_ptr_array_set_size (findings->details, 0);
      g_string_truncate (findings->summary, 0);
      return PQ_STEP_MALFORMED;
    }
  return PQ_STEP_DONE;
}

/* Requests: LDAP's search (by address), then the AS-REQ. */
const PqProbeCodec pq_kerberos_codec = {
  "Kerberos", sizeof (Kerberos), kerberos_init, kerberos_step, kerberos_clear, 2, NULL, NULL,
  0, FALSE, kerberos_connect_port, kerberos_ended
};
