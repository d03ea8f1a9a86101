/* test-kerberos-smb.c: the Kerberos and SMB codecs on replies captured
 * from Samba's KDC and smbd (the fuzz seeds) and on hostile bytes
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-ber.h"
#include "pq-kerberos.h"
#include "pq-services.h"
#include "pq-smb.h"

/* One conversation: the codec's requests and what it found. */
typedef struct
{
  const PqProbeCodec *codec;
  PqProtocol          protocol;
  gpointer            state;
  PqProbeFindings     findings;
  GByteArray         *sent;      /* every request, in order */
  GByteArray         *stream;    /* TCP bytes not yet consumed */
  PqStep              step;
  guint               requests;
} Talk;

static Talk *
talk_start (const PqProbeCodec *codec,
            PqProtocol          protocol,
            guint16             port,
            const char         *host)
{
  Talk *t = g_new0 (Talk, 1);
  PqProbeParams params = { protocol, port, host, "public", 42 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  t->codec = codec;
  t->protocol = protocol;
  t->state = g_malloc0 (codec->state_size);
  t->sent = g_byte_array_new ();
  t->stream = g_byte_array_new ();
  pq_probe_findings_init (&t->findings);
  codec->init (t->state, &params);
  t->step = codec->step (t->state, NULL, 0, &consumed, out, &t->findings);
  /* An address sends Kerberos to LDAP first: a connection of its own. */
  g_assert_true (t->step == PQ_STEP_SEND || t->step == PQ_STEP_CONNECT);
  g_byte_array_append (t->sent, out->data, out->len);
  t->requests = t->step == PQ_STEP_SEND;
  return t;
}

/* The engine's part in PQ_STEP_CONNECT: a new connection to @port, where
 * the codec speaks first again. */
static PqStep
talk_next (Talk    *t,
           guint16  port)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  g_assert_cmpint (t->step, ==, PQ_STEP_CONNECT);
  g_assert_cmpuint (t->codec->connect_port ? t->codec->connect_port (t->state) : 0, ==, port);
  g_byte_array_set_size (t->stream, 0);
  g_byte_array_set_size (t->sent, 0);
  t->step = t->codec->step (t->state, NULL, 0, &consumed, out, &t->findings);
  if (t->step == PQ_STEP_SEND)
    {
      g_byte_array_append (t->sent, out->data, out->len);
      t->requests++;
    }
  return t->step;
}

/* A connection after the first ends before the codec is done. */
static PqStep
talk_cut (Talk       *t,
          const char *why)
{
  g_assert_nonnull (t->codec->ended);
  t->step = t->codec->ended (t->state, why, &t->findings);
  return t->step;
}

static void
talk_free (Talk *t)
{
  if (t->codec->clear != NULL)
    t->codec->clear (t->state);
  g_free (t->state);
  pq_probe_findings_clear (&t->findings);
  g_byte_array_unref (t->sent);
  g_byte_array_unref (t->stream);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Talk, talk_free)

/* The peer speaks: one datagram, or @len more bytes of the stream. */
static PqStep
talk_hear (Talk         *t,
           const guint8 *data,
           gsize         len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *in = data;
  gsize in_len = len, consumed = 0;

  if (t->protocol == PQ_PROTOCOL_TCP)
    {
      g_byte_array_append (t->stream, data, (guint) len);
      in = t->stream->data;
      in_len = t->stream->len;
    }
  t->step = t->codec->step (t->state, in, in_len, &consumed, out, &t->findings);
  g_assert_cmpuint (consumed, <=, in_len);
  if (t->protocol == PQ_PROTOCOL_TCP)
    g_byte_array_remove_range (t->stream, 0, (guint) consumed);
  if (t->step == PQ_STEP_SEND)
    {
      g_byte_array_append (t->sent, out->data, out->len);
      t->requests++;
    }
  return t->step;
}

/* The stream a byte at a time, as a slow peer sends it. */
static PqStep
talk_hear_slowly (Talk         *t,
                  const guint8 *data,
                  gsize         len)
{
  for (gsize i = 0; i < len && (t->step == PQ_STEP_READ || t->step == PQ_STEP_SEND); i++)
    talk_hear (t, data + i, 1);
  return t->step;
}

static const char *
finding (Talk       *t,
         const char *label)
{
  for (guint i = 0; i < t->findings.details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (t->findings.details, i);

      if (g_strcmp0 (pq_detail_get_label (d), label) == 0)
        return pq_detail_get_value (d);
    }
  return NULL;
}

/* A captured reply: the seed without its first byte (the fuzz harness's
 * chunk size). */
static GBytes *
seed (const char *dir,
      const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 1);
  return g_bytes_new (data + 1, len - 1);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("expected \"%s\" in \"%s\"", part, text ? text : "(null)");
}

/* ------------------------------------------------------------------ */
/* Kerberos                                                            */

static void
test_kerberos_realm (void)
{
  static const struct
  {
    const char *host;
    const char *realm;
    gboolean    from_name;
  } cases[] = {
    { "dc1.test.lan", "TEST.LAN", TRUE },
    { "test.lan", "TEST.LAN", TRUE },
    { "DC1.Corp.Example.com.", "CORP.EXAMPLE.COM", TRUE },
    { "dc1", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "10.200.78.2", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "fe80::1%eth0", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "a b.example", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "x.", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "x..", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { "", PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
    { NULL, PQ_KERBEROS_PLACEHOLDER_REALM, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean from_name = !cases[i].from_name;
      g_autofree char *realm = pq_kerberos_realm_for_host (cases[i].host, &from_name);

      g_test_message ("%s", cases[i].host ? cases[i].host : "(null)");
      g_assert_cmpstr (realm, ==, cases[i].realm);
      g_assert_cmpint (from_name, ==, cases[i].from_name);
    }
}

static void
test_kerberos_chosen_by_name (void)
{
  g_autoptr(PqServices) s = pq_services_new_from_data ("", 0);

  g_assert_cmpint (pq_probe_kind_for_name ("kerberos"), ==, PQ_PROBE_KERBEROS);
  g_assert_cmpint (pq_probe_kind_for_name ("kerberos-sec"), ==, PQ_PROBE_KERBEROS);
  g_assert_cmpint (pq_probe_kind_for_name ("kdc"), ==, PQ_PROBE_NONE);   /* Kerberos 4 */
  g_assert_cmpstr (pq_probe_kind_to_nick (PQ_PROBE_KERBEROS), ==, "kerberos");
  g_assert_cmpint (pq_services_probe_for (s, 88, PQ_PROTOCOL_UDP), ==, PQ_PROBE_KERBEROS);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_KERBEROS, PQ_PROTOCOL_UDP) == &pq_kerberos_codec);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_KERBEROS, PQ_PROTOCOL_TCP) == &pq_kerberos_codec);
}

/* The AS-REQ: [APPLICATION 10] { pvno 5, msg-type 10, req-body { cname
 * krbtgt, realm, sname krbtgt/realm, ... } }, with TCP's length prefix. */
static void
test_kerberos_request (void)
{
  g_autoptr(Talk) udp = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");
  g_autoptr(Talk) tcp = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_TCP, 88, "dc1.test.lan");
  PqBerReader top, app, seq;
  PqBerTlv tlv;
  gint64 v;
  guint32 len;

  pq_ber_reader_init (&top, udp->sent->data, udp->sent->len);
  g_assert_true (pq_ber_enter (&top, 0x6a, &app));
  g_assert_true (pq_ber_at_end (&top));
  g_assert_true (pq_ber_enter (&app, PQ_BER_SEQUENCE, &seq));
  g_assert_true (pq_ber_read_tag (&seq, 0xa1, &tlv));
  pq_ber_reader_init (&top, tlv.value, tlv.len);
  g_assert_true (pq_ber_read_int (&top, PQ_BER_INTEGER, &v));
  g_assert_cmpint (v, ==, 5);
  g_assert_true (pq_ber_read_tag (&seq, 0xa2, &tlv));
  pq_ber_reader_init (&top, tlv.value, tlv.len);
  g_assert_true (pq_ber_read_int (&top, PQ_BER_INTEGER, &v));
  g_assert_cmpint (v, ==, 10);
  g_assert_true (pq_ber_read_tag (&seq, 0xa4, &tlv));
  g_assert_true (pq_ber_at_end (&seq));
  g_assert_nonnull (memmem (tlv.value, tlv.len, "\x1b\x08TEST.LAN", 10));
  g_assert_nonnull (memmem (tlv.value, tlv.len, "\x1b\x06krbtgt\x1b\x08TEST.LAN", 18));

  len = (guint32) tcp->sent->data[0] << 24 | tcp->sent->data[1] << 16 | tcp->sent->data[2] << 8 | tcp->sent->data[3];
  g_assert_cmpuint (len, ==, udp->sent->len);
  g_assert_cmpmem (tcp->sent->data + 4, len, udp->sent->data, udp->sent->len);
}

static void
test_kerberos_samba_udp (void)
{
  g_autoptr(GBytes) reply = seed ("kerberos", "samba-preauth-required");
  g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);

  g_assert_cmpint (talk_hear (t, data, len), ==, PQ_STEP_DONE);
  g_assert_cmpuint (t->requests, ==, 1);
  assert_contains (finding (t, "Asked for"), "krbtgt@TEST.LAN without pre-authentication (realm from the name typed)");
  assert_contains (finding (t, "Error"), "25 KDC_ERR_PREAUTH_REQUIRED: the KDC works and serves this realm");
  g_assert_cmpstr (finding (t, "Realm"), ==, "TEST.LAN");
  g_assert_cmpstr (finding (t, "Service"), ==, "krbtgt/TEST.LAN");
  g_assert_cmpstr (finding (t, "Message"), ==, "Need to use PA-ENC-TIMESTAMP/PA-PK-AS-REQ");
  assert_contains (finding (t, "Pre-authentication offered"), "PA-ENC-TIMESTAMP (2)");
  assert_contains (finding (t, "Pre-authentication offered"), "PA-PK-AS-REQ (16)");
  g_assert_cmpstr (finding (t, "Encryption types for pre-authentication"), ==, "aes256-cts-hmac-sha1-96 (18)");
  g_assert_cmpstr (finding (t, "Salt"), ==, "TEST.LANkrbtgt");
  assert_contains (finding (t, "KDC time"), "2026-11-29 ");
  g_assert_nonnull (finding (t, "Clock skew"));
  assert_contains (t->findings.summary->str,
                   "Kerberos KDC answered KDC_ERR_PREAUTH_REQUIRED (25) for realm TEST.LAN: the KDC works and serves this realm");
}

/* Over TCP, byte by byte: READ until the length prefix is satisfied. */
static void
test_kerberos_samba_tcp (void)
{
  g_autoptr(GBytes) reply = seed ("kerberos-tcp", "samba-other-realm");
  g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_TCP, 88, "10.200.78.2");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);

  /* No LDAP on the host: the placeholder realm, on the port asked. */
  g_assert_cmpint (talk_next (t, PQ_KERBEROS_LDAP_PORT), ==, PQ_STEP_SEND);
  g_assert_cmpint (talk_cut (t, "Connection refused"), ==, PQ_STEP_CONNECT);
  g_assert_cmpint (talk_next (t, 0), ==, PQ_STEP_SEND);
  g_assert_nonnull (memmem (t->sent->data, t->sent->len, "\x1b\x09" PQ_KERBEROS_PLACEHOLDER_REALM, 11));
  talk_hear (t, data, 10);
  g_assert_cmpint (t->step, ==, PQ_STEP_READ);
  assert_contains (t->findings.summary->str, "Kerberos answered, but the reply is incomplete: 6 of ");
  g_assert_cmpint (talk_hear_slowly (t, data + 10, len - 10), ==, PQ_STEP_DONE);
  g_assert_cmpuint (t->stream->len, ==, 0);
  assert_contains (finding (t, "Error"), "6 KDC_ERR_C_PRINCIPAL_UNKNOWN: the KDC works; the realm was not checked");
  g_assert_cmpstr (finding (t, "Realm"), ==, PQ_KERBEROS_PLACEHOLDER_REALM);
  assert_contains (finding (t, "Asked for"), "a placeholder realm: an address names none, and LDAP on port 389 did not say: Connection refused");
}

/* By address: the realm from Samba's LDAP root entry (ldapServiceName),
 * on a connection to 389, then the AS-REQ on a new one to 88. */
static void
test_kerberos_realm_from_ldap (void)
{
  g_autoptr(GBytes) root = seed ("../../ldap-snmp/seeds/ldap", "samba-ad");
  g_autoptr(GBytes) reply = seed ("kerberos-tcp", "samba-preauth-required");
  g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_TCP, 88, "10.200.78.2");
  gsize len;
  const guint8 *data;

  g_assert_cmpuint (t->sent->len, ==, 0);   /* nothing said on 88 yet */
  g_assert_cmpint (talk_next (t, PQ_KERBEROS_LDAP_PORT), ==, PQ_STEP_SEND);
  g_assert_nonnull (memmem (t->sent->data, t->sent->len, "ldapServiceName", 15));
  data = g_bytes_get_data (root, &len);
  g_assert_cmpint (talk_hear_slowly (t, data, len), ==, PQ_STEP_CONNECT);
  g_assert_cmpuint (t->findings.details->len, ==, 0);   /* the root entry is not this port's */
  g_assert_cmpint (talk_next (t, 0), ==, PQ_STEP_SEND);
  g_assert_nonnull (memmem (t->sent->data, t->sent->len, "\x1b\x06krbtgt\x1b\x08TEST.LAN", 18));
  data = g_bytes_get_data (reply, &len);
  g_assert_cmpint (talk_hear (t, data, len), ==, PQ_STEP_DONE);
  g_assert_cmpstr (finding (t, "Asked for"), ==,
                   "krbtgt@TEST.LAN without pre-authentication (realm from the host's LDAP root entry, ldapServiceName)");
  assert_contains (finding (t, "Error"), "25 KDC_ERR_PREAUTH_REQUIRED: the KDC works and serves this realm");
  g_assert_cmpuint (t->requests, ==, 2);

  /* The AS-REQ's own connection cut: said, as the query's end. */
  {
    g_autoptr(Talk) u = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1");

    talk_next (u, PQ_KERBEROS_LDAP_PORT);
    data = g_bytes_get_data (root, &len);
    talk_hear (u, data, len);
    g_assert_cmpint (talk_next (u, 0), ==, PQ_STEP_SEND);
    g_assert_cmpint (talk_cut (u, "Connection reset by peer"), ==, PQ_STEP_DONE);
    g_assert_cmpstr (u->findings.summary->str, ==, "The Kerberos query got no answer: Connection reset by peer.");
  }
}

static PqDetail *
attribute (const char *name,
           const char *value)
{
  return pq_detail_new ("ldap-attribute", name, value);
}

/* Which attribute names the realm, and root entries that name none. */
static void
test_kerberos_realm_from_root (void)
{
  struct { const char *service, *context, *realm, *from; } cases[] = {
    { "test.lan:dc1$@TEST.LAN", "DC=test,DC=lan", "TEST.LAN", "ldapServiceName" },
    { NULL, "DC=corp, DC=example,DC=com", "CORP.EXAMPLE.COM", "defaultNamingContext" },
    { "no realm here", "dc=Sub,dc=Test,dc=lan", "SUB.TEST.LAN", "defaultNamingContext" },
    { "x@bad realm", "DC=a,DC=,DC=b", NULL, NULL },
    { "x@", "O=example", NULL, NULL },
    { "x@a\x01b", "DC=te\x1bst", NULL, NULL },
    { NULL, NULL, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *realm = NULL;
      const char *from = NULL;

      g_ptr_array_add (details, attribute ("dnsHostName", "dc1.test.lan"));
      if (cases[i].service != NULL)
        g_ptr_array_add (details, attribute ("ldapServiceName", cases[i].service));
      if (cases[i].context != NULL)
        g_ptr_array_add (details, attribute ("defaultNamingContext", cases[i].context));
      realm = pq_kerberos_realm_from_root (details, &from);
      g_assert_cmpstr (realm, ==, cases[i].realm);
      g_assert_cmpstr (from, ==, cases[i].from);
    }
}

/* A KRB-ERROR built here: stime @stime (Unix seconds) and susec @susec. */
static GByteArray *
krb_error (gint64      code,
           gint64      stime,
           gint64      susec,
           const char *etext,
           int         pvno)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (stime);
  g_autofree char *when = g_date_time_format (dt, "%Y%m%d%H%M%SZ");
  g_autoptr(GByteArray) fields = g_byte_array_new ();
  g_autoptr(GByteArray) seq = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  struct { guint8 tag; GByteArray *v; } f[6];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    f[i].v = g_byte_array_new ();
  pq_ber_write_int (f[n].v, PQ_BER_INTEGER, pvno), f[n++].tag = 0xa0;
  pq_ber_write_int (f[n].v, PQ_BER_INTEGER, 30), f[n++].tag = 0xa1;
  pq_ber_write_string (f[n].v, 0x18, when), f[n++].tag = 0xa4;
  pq_ber_write_int (f[n].v, PQ_BER_INTEGER, susec), f[n++].tag = 0xa5;
  if (code >= 0)
    pq_ber_write_int (f[n].v, PQ_BER_INTEGER, code), f[n++].tag = 0xa6;
  if (etext != NULL)
    pq_ber_write_string (f[n].v, 0x1b, etext), f[n++].tag = 0xab;
  for (guint i = 0; i < n; i++)
    pq_ber_wrap (fields, f[i].tag, f[i].v);
  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    g_byte_array_unref (f[i].v);
  pq_ber_wrap (seq, PQ_BER_SEQUENCE, fields);
  pq_ber_wrap (out, 0x7e, seq);
  return out;
}

static Talk *
kerberos_hears (GByteArray *udp_reply)
{
  Talk *t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");

  talk_hear (t, udp_reply->data, udp_reply->len);
  return t;
}

static void
test_kerberos_clock (void)
{
  gint64 now_us = g_get_real_time ();
  g_autoptr(GByteArray) behind = krb_error (25, now_us / G_USEC_PER_SEC - 7260, now_us % G_USEC_PER_SEC, NULL, 5);
  g_autoptr(GByteArray) ahead = krb_error (68, now_us / G_USEC_PER_SEC + 30, now_us % G_USEC_PER_SEC, NULL, 5);
  g_autoptr(Talk) t1 = kerberos_hears (behind);
  g_autoptr(Talk) t2 = kerberos_hears (ahead);

  g_assert_cmpint (t1->step, ==, PQ_STEP_DONE);
  g_assert_cmpstr (finding (t1, "Clock skew"), ==,
                   "2 h 1 min behind this computer: more than 5 minutes, Kerberos authentication will fail");
  assert_contains (t1->findings.summary->str, ", clock 2 h 1 min behind this computer: more than 5 minutes");
  g_assert_cmpint (t2->step, ==, PQ_STEP_DONE);
  g_assert_cmpstr (finding (t2, "Clock skew"), ==, "30 s ahead of this computer");
  assert_contains (finding (t2, "Error"), "68 KDC_ERR_WRONG_REALM: the KDC serves another realm");
  g_assert_null (strstr (t2->findings.summary->str, "clock"));
  /* Neither names a realm: the summary says the one asked for. */
  assert_contains (t2->findings.summary->str, "for realm TEST.LAN");
}

/* An AS-REP: a ticket without pre-authentication, a security finding. */
static void
test_kerberos_as_rep (void)
{
  static const guint8 rep[] = {
    0x6b, 0x22, 0x30, 0x20,
    0xa0, 0x03, 0x02, 0x01, 0x05,
    0xa1, 0x03, 0x02, 0x01, 0x0b,
    0xa3, 0x0a, 0x1b, 0x08, 'T', 'E', 'S', 'T', '.', 'L', 'A', 'N',
    0xa4, 0x08, 0x30, 0x06, 0xa1, 0x04, 0x30, 0x02, 0x1b, 0x00,
  };
  g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");

  g_assert_cmpint (talk_hear (t, rep, sizeof rep), ==, PQ_STEP_DONE);
  assert_contains (finding (t, "Security"), "without pre-authentication");
  assert_contains (finding (t, "Security"), "AS-REP roasting");
  g_assert_cmpstr (finding (t, "Realm"), ==, "TEST.LAN");
  assert_contains (t->findings.summary->str, "a security risk");
}

static void
test_kerberos_hostile (void)
{
  g_autoptr(GBytes) reply = seed ("kerberos", "samba-preauth-required");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);
  g_autoptr(GByteArray) bad_pvno = krb_error (25, 0, 0, NULL, 4);
  g_autoptr(GByteArray) no_code = krb_error (-1, 0, 0, NULL, 5);
  g_autoptr(GByteArray) escapes = krb_error (24, 0, 0, "evil\x1b]0;pwned\x07\x1b[2J", 5);
  g_autoptr(GString) long_text = g_string_new (NULL);
  static const guint8 huge_tcp[] = { 0x7f, 0xff, 0xff, 0xff, 0x7e, 0x00 };
  static const guint8 not_kerberos[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };

  /* Every cut of a real reply: refused, never read past its end. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");

      g_assert_cmpint (talk_hear (t, data, cut), ==, PQ_STEP_MALFORMED);
      g_assert_cmpuint (t->findings.details->len, ==, 0);
    }
  {
    g_autoptr(Talk) t = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_TCP, 88, "dc1.test.lan");

    g_assert_cmpint (talk_hear (t, huge_tcp, sizeof huge_tcp), ==, PQ_STEP_MALFORMED);
  }
  {
    g_autoptr(Talk) t1 = kerberos_hears (bad_pvno);
    g_autoptr(Talk) t2 = kerberos_hears (no_code);
    g_autoptr(Talk) t3 = kerberos_hears (escapes);
    g_autoptr(Talk) t4 = talk_start (&pq_kerberos_codec, PQ_PROTOCOL_UDP, 88, "dc1.test.lan");

    g_assert_cmpint (t1->step, ==, PQ_STEP_MALFORMED);
    g_assert_cmpint (t2->step, ==, PQ_STEP_MALFORMED);
    g_assert_cmpint (t3->step, ==, PQ_STEP_DONE);
    g_assert_cmpstr (finding (t3, "Message"), ==, "evil\\x1b]0;pwned\\x07\\x1b[2J");
    g_assert_cmpint (talk_hear (t4, not_kerberos, sizeof not_kerberos), ==, PQ_STEP_MALFORMED);
  }
  for (guint i = 0; i < 1000; i++)
    g_string_append (long_text, "long ");
  {
    g_autoptr(GByteArray) e = krb_error (60, 0, 0, long_text->str, 5);
    g_autoptr(Talk) t = kerberos_hears (e);

    g_assert_cmpint (t->step, ==, PQ_STEP_DONE);
    g_assert_cmpuint (strlen (finding (t, "Message")), <, 300);
    assert_contains (finding (t, "Error"), "60 KRB_ERR_GENERIC");
  }
}

/* e-data with thousands of pre-authentication methods: a bounded list. */
static void
test_kerberos_huge_counts (void)
{
  g_autoptr(GByteArray) list = g_byte_array_new ();
  g_autoptr(GByteArray) method_data = g_byte_array_new ();
  g_autoptr(GByteArray) edata = g_byte_array_new ();
  g_autoptr(GByteArray) msg = krb_error (25, 0, 0, NULL, 5);
  g_autoptr(GByteArray) fields = g_byte_array_new ();
  g_autoptr(GByteArray) seq = g_byte_array_new ();
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  PqBerReader top, app;
  PqBerTlv body;
  const char *shown;
  guint commas = 0;

  for (guint i = 0; i < 5000; i++)
    {
      static const guint8 pa[] = { 0x30, 0x09, 0xa1, 0x03, 0x02, 0x01, 0x02, 0xa2, 0x02, 0x04, 0x00 };

      g_byte_array_append (list, pa, sizeof pa);
    }
  pq_ber_wrap (method_data, PQ_BER_SEQUENCE, list);
  pq_ber_wrap (edata, PQ_BER_OCTET_STRING, method_data);
  /* The built error's fields, then e-data [12]. */
  pq_ber_reader_init (&top, msg->data, msg->len);
  g_assert_true (pq_ber_enter (&top, 0x7e, &app));
  g_assert_true (pq_ber_read_tag (&app, PQ_BER_SEQUENCE, &body));
  g_byte_array_append (fields, body.value, (guint) body.len);
  pq_ber_wrap (fields, 0xac, edata);
  pq_ber_wrap (seq, PQ_BER_SEQUENCE, fields);
  pq_ber_wrap (reply, 0x7e, seq);
  {
    g_autoptr(Talk) t = kerberos_hears (reply);

    g_assert_cmpint (t->step, ==, PQ_STEP_DONE);
    shown = finding (t, "Pre-authentication offered");
    g_assert_nonnull (shown);
    for (const char *p = shown; *p; p++)
      commas += *p == ',';
    g_assert_cmpuint (commas, ==, 31);
  }
}

/* ------------------------------------------------------------------ */
/* SMB                                                                 */

static gsize
frame_len (const guint8 *p)
{
  return 4 + ((gsize) p[1] << 16 | (gsize) p[2] << 8 | p[3]);
}

static void
test_smb_chosen_by_name (void)
{
  g_autoptr(PqServices) s = pq_services_new_from_data ("", 0);

  g_assert_cmpint (pq_probe_kind_for_name ("microsoft-ds"), ==, PQ_PROBE_SMB);
  g_assert_cmpint (pq_probe_kind_for_name ("netbios-ssn"), ==, PQ_PROBE_NETBIOS_SSN);
  g_assert_cmpint (pq_services_probe_for (s, 445, PQ_PROTOCOL_TCP), ==, PQ_PROBE_SMB);
  g_assert_cmpint (pq_services_probe_for (s, 139, PQ_PROTOCOL_TCP), ==, PQ_PROBE_NETBIOS_SSN);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_SMB, PQ_PROTOCOL_TCP) == &pq_smb_codec);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_NETBIOS_SSN, PQ_PROTOCOL_TCP) == &pq_smb_netbios_codec);
  g_assert_null (pq_probe_codec_for (PQ_PROBE_SMB, PQ_PROTOCOL_UDP));
  g_assert_cmpstr (pq_probe_kind_to_nick (PQ_PROBE_SMB), ==, "smb");
}

/* The multi-protocol NEGOTIATE; on 139 a session request to *SMBSERVER first. */
static void
test_smb_requests (void)
{
  g_autoptr(Talk) direct = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
  g_autoptr(Talk) nb = talk_start (&pq_smb_netbios_codec, PQ_PROTOCOL_TCP, 139, "srv");
  const guint8 *d = direct->sent->data;

  g_assert_cmpuint (frame_len (d), ==, direct->sent->len);
  g_assert_cmpint (d[0], ==, 0);
  g_assert_cmpmem (d + 4, 5, "\xffSMB\x72", 5);
  g_assert_nonnull (memmem (d, direct->sent->len, "\x02NT LM 0.12\0\x02SMB 2.002\0\x02SMB 2.???\0", 34));
  g_assert_cmpint (nb->sent->data[0], ==, 0x81);
  g_assert_cmpuint (frame_len (nb->sent->data), ==, 72);
  /* "*SMBSERVER" padded, first-level encoded; then "PORTQRY". */
  g_assert_cmpmem (nb->sent->data + 4, 34, "\x20" "CKFDENECFDEFFCFGEFFCCACACACACACA" "\0", 34);
  g_assert_cmpmem (nb->sent->data + 38, 15, "\x20" "FAEPFCFEFBFCFJ", 15);
}

static void
assert_samba_311 (Talk *t)
{
  g_assert_cmpint (t->step, ==, PQ_STEP_CONNECT);
  g_assert_cmpstr (finding (t, "Dialect"), ==, "SMB 3.1.1");
  g_assert_cmpstr (finding (t, "Signing"), ==, "enabled, not required");
  g_assert_cmpstr (finding (t, "Server GUID"), ==, "74736574-7273-0076-0000-000000000000");
  g_assert_cmpstr (finding (t, "Pre-authentication integrity"), ==, "SHA-512");
  g_assert_cmpstr (finding (t, "Cipher"), ==, "AES-128-GCM");
  g_assert_cmpstr (finding (t, "Signing algorithm"), ==, "AES-GMAC");
  g_assert_cmpstr (finding (t, "Authentication offered"), ==, "NTLMSSP");
  assert_contains (finding (t, "Server time"), "2026-11-29 ");
  g_assert_nonnull (finding (t, "Clock skew"));
  g_assert_null (finding (t, "SMB1"));   /* asked on the next connection */
  assert_contains (t->findings.summary->str, "SMB answered: SMB 3.1.1, signing enabled, not required, encryption AES-128-GCM");
}

/* The second connection offers SMB1 alone (on 139 behind a session). */
static void
assert_smb1_offer (Talk     *t,
                   gboolean  netbios)
{
  static const guint8 positive[] = { 0x82, 0, 0, 0 };
  const guint8 *d;

  g_assert_cmpint (talk_next (t, 0), ==, PQ_STEP_SEND);
  if (netbios)
    {
      g_assert_cmpint (t->sent->data[0], ==, 0x81);
      g_byte_array_set_size (t->sent, 0);
      g_assert_cmpint (talk_hear (t, positive, sizeof positive), ==, PQ_STEP_SEND);
    }
  d = t->sent->data;
  g_assert_cmpuint (frame_len (d), ==, t->sent->len);
  g_assert_cmpmem (d + 4, 5, "\xffSMB\x72", 5);
  g_assert_nonnull (memmem (d, t->sent->len, "\x02NT LM 0.12\0", 12));
  g_assert_null (memmem (d, t->sent->len, "SMB 2", 5));
}

/* The captured SMB2 NEGOTIATE response as one frame, for changing. */
static GByteArray *
samba_smb2_frame (void)
{
  g_autoptr(GBytes) reply = seed ("smb", "samba-3.1.1");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);
  gsize first = frame_len (data);
  GByteArray *frame = g_byte_array_new ();

  g_byte_array_append (frame, data + first, (guint) (len - first));
  return frame;
}

/* After the wildcard answer, @frame as the reply to SMB2 NEGOTIATE. */
static Talk *
smb_hears (GByteArray *frame)
{
  g_autoptr(GBytes) reply = seed ("smb", "samba-3.1.1");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);
  Talk *t = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");

  g_assert_cmpint (talk_hear (t, data, frame_len (data)), ==, PQ_STEP_SEND);
  talk_hear (t, frame->data, frame->len);
  return t;
}

/* SMB1 accepted alongside SMB2 (smbd with "server min protocol = NT1"),
 * then refused in each way a server refuses it. */
static void
test_smb_smb1_check (void)
{
  g_autoptr(GBytes) smb1 = seed ("smb", "samba-smb1-only");
  gsize len;
  const guint8 *data = g_bytes_get_data (smb1, &len);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GByteArray) frame = samba_smb2_frame ();
      g_autoptr(GByteArray) answer = g_byte_array_new ();
      g_autoptr(Talk) t = smb_hears (frame);

      g_assert_cmpint (t->step, ==, PQ_STEP_CONNECT);
      assert_smb1_offer (t, FALSE);
      g_byte_array_append (answer, data, (guint) len);
      if (i == 1)
        answer->data[4 + 33] = 0xff, answer->data[4 + 34] = 0xff;   /* no dialect chosen */
      if (i == 2)
        answer->data[4] = 0xfe;                                        /* not SMB1 */
      if (i < 3)
        g_assert_cmpint (talk_hear (t, answer->data, answer->len), ==, PQ_STEP_DONE);
      else
        g_assert_cmpint (talk_cut (t, "Connection reset by peer"), ==, PQ_STEP_DONE);
      g_assert_cmpstr (finding (t, "Dialect"), ==, "SMB 3.1.1");   /* the first's findings stay */
      if (i == 0)
        {
          assert_contains (finding (t, "SMB1"), "accepted as well as SMB2");
          assert_contains (finding (t, "SMB1"), "a security risk");
          g_assert_true (g_str_has_suffix (t->findings.summary->str, ", SMB1 accepted too: a security risk."));
          continue;
        }
      assert_contains (finding (t, "SMB1"), "not accepted: offered alone on a second connection, ");
      g_assert_true (g_str_has_suffix (t->findings.summary->str, ", SMB1 not accepted."));
      assert_contains (finding (t, "SMB1"), i == 1 ? "the server chose no dialect"
                                          : i == 2 ? "was no SMB1 NEGOTIATE response"
                                          : "the connection ended without an answer (Connection reset by peer)");
    }
}

/* smbd on 445: 0x02FF to the multi-protocol offer, then SMB2 NEGOTIATE
 * with message id 1 and three contexts, answered with 3.1.1. */
static void
test_smb_samba (void)
{
  g_autoptr(GBytes) reply = seed ("smb", "samba-3.1.1");
  g_autoptr(Talk) t = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
  gsize len, first;
  const guint8 *data = g_bytes_get_data (reply, &len);
  const guint8 *req;

  first = frame_len (data);
  g_assert_cmpint (talk_hear (t, data, first - 1), ==, PQ_STEP_READ);
  g_assert_cmpint (talk_hear (t, data + first - 1, 1), ==, PQ_STEP_SEND);
  req = t->sent->data + frame_len (t->sent->data);
  g_assert_cmpmem (req + 4, 4, "\xfeSMB", 4);
  g_assert_cmpint (req[4 + 24], ==, 1);                              /* MessageId */
  g_assert_cmpint (req[4 + 64 + 2], ==, 5);                          /* DialectCount */
  g_assert_cmpint (req[4 + 64 + 32], ==, 3);                         /* NegotiateContextCount */
  g_assert_nonnull (memmem (req, frame_len (req), "\x02\x02\x10\x02\x00\x03\x02\x03\x11\x03", 10));
  g_assert_cmpint (talk_hear_slowly (t, data + first, len - first), ==, PQ_STEP_CONNECT);
  g_assert_cmpuint (t->requests, ==, 2);
  assert_samba_311 (t);
  g_assert_cmpstr (finding (t, "Max read size"), ==, "8 MiB");
}

static void
test_smb_samba_netbios (void)
{
  g_autoptr(GBytes) reply = seed ("smb-netbios", "samba-3.1.1");
  g_autoptr(Talk) t = talk_start (&pq_smb_netbios_codec, PQ_PROTOCOL_TCP, 139, "srv");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);

  g_assert_cmpint (talk_hear (t, data, 4), ==, PQ_STEP_SEND);   /* positive session response */
  g_assert_cmpmem (t->sent->data + 72 + 4, 4, "\xffSMB", 4);
  talk_hear (t, data + 4, frame_len (data + 4));
  g_assert_cmpint (t->step, ==, PQ_STEP_SEND);
  talk_hear (t, data + 4 + frame_len (data + 4), len - 4 - frame_len (data + 4));
  g_assert_cmpuint (t->requests, ==, 3);
  assert_samba_311 (t);
  assert_smb1_offer (t, TRUE);
}

/* smbd with "server max protocol = NT1": SMB1 only, a security finding. */
static void
test_smb_smb1_only (void)
{
  g_autoptr(GBytes) reply = seed ("smb", "samba-smb1-only");
  g_autoptr(Talk) t = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);

  g_assert_cmpint (talk_hear (t, data, len), ==, PQ_STEP_DONE);
  g_assert_cmpstr (finding (t, "Dialect"), ==, "NT LM 0.12 (SMB1)");
  assert_contains (finding (t, "SMB1"), "accepted, and SMB2 refused");
  g_assert_cmpstr (finding (t, "Signing"), ==, "required");
  assert_contains (finding (t, "Server time"), "2026-11-29 ");
  assert_contains (t->findings.summary->str, "SMB answered with SMB1 only (NT LM 0.12): a security risk");
}

static void
test_smb_hostile (void)
{
  static const guint8 huge[] = { 0x00, 0xff, 0xff, 0xff, 0xfe, 'S', 'M', 'B' };
  static const guint8 wrong_type[] = { 0x42, 0x00, 0x00, 0x01, 0x00 };
  static const guint8 keepalive_then_junk[] = { 0x85, 0, 0, 0, 0x00, 0, 0, 4, 'H', 'T', 'T', 'P' };
  static const guint8 negative[] = { 0x83, 0, 0, 1, 0x82 };
  g_autoptr(GByteArray) frame = samba_smb2_frame ();
  guint8 *body = frame->data + 4 + 64;

  {
    g_autoptr(Talk) t = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
    g_autoptr(Talk) t2 = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
    g_autoptr(Talk) t3 = talk_start (&pq_smb_codec, PQ_PROTOCOL_TCP, 445, "srv");
    g_autoptr(Talk) t4 = talk_start (&pq_smb_netbios_codec, PQ_PROTOCOL_TCP, 139, "srv");

    g_assert_cmpint (talk_hear (t, huge, sizeof huge), ==, PQ_STEP_MALFORMED);
    g_assert_cmpint (talk_hear (t2, wrong_type, sizeof wrong_type), ==, PQ_STEP_MALFORMED);
    g_assert_cmpint (talk_hear (t3, keepalive_then_junk, sizeof keepalive_then_junk), ==, PQ_STEP_MALFORMED);
    g_assert_cmpint (talk_hear (t4, negative, sizeof negative), ==, PQ_STEP_DONE);
    g_assert_cmpstr (finding (t4, "NetBIOS session"), ==, "refused with error 0x82");
  }
  /* Every cut of the real response, its length header made to match: refused. */
  for (gsize cut = 4; cut < frame->len; cut += 7)
    {
      g_autoptr(GByteArray) cut_frame = g_byte_array_new ();
      g_autoptr(Talk) t = NULL;

      g_byte_array_append (cut_frame, frame->data, (guint) cut);
      cut_frame->data[1] = (guint8) ((cut - 4) >> 16);
      cut_frame->data[2] = (guint8) ((cut - 4) >> 8);
      cut_frame->data[3] = (guint8) (cut - 4);
      t = smb_hears (cut_frame);
      if (cut < 4 + 64 + 65)
        g_assert_cmpint (t->step, ==, PQ_STEP_MALFORMED);
      else
        g_assert_cmpint (t->step, ==, PQ_STEP_CONNECT);   /* contexts and blob past the end: left out */
    }
  /* Contexts: 65535 of them, at an offset past the end; a blob past the end. */
  body[6] = 0xff, body[7] = 0xff;
  body[60] = 0xf0, body[61] = 0xff, body[62] = 0xff, body[63] = 0x7f;
  body[56] = 0xff, body[57] = 0xff;
  {
    g_autoptr(Talk) t = smb_hears (frame);

    g_assert_cmpint (t->step, ==, PQ_STEP_CONNECT);
    g_assert_null (finding (t, "Cipher"));
    g_assert_null (finding (t, "Authentication offered"));
    g_assert_cmpstr (finding (t, "Dialect"), ==, "SMB 3.1.1");
  }
  /* The wildcard dialect twice; then an error status. */
  body[4] = 0xff, body[5] = 0x02;
  {
    g_autoptr(Talk) t = smb_hears (frame);

    g_assert_cmpint (t->step, ==, PQ_STEP_MALFORMED);
    g_assert_cmpuint (t->findings.details->len, ==, 0);
  }
  frame->data[4 + 8] = 0x22, frame->data[4 + 11] = 0xc0;
  {
    g_autoptr(Talk) t = smb_hears (frame);

    g_assert_cmpint (t->step, ==, PQ_STEP_DONE);
    g_assert_cmpstr (finding (t, "Status"), ==, "0xc0000022");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kerberos/realm", test_kerberos_realm);
  g_test_add_func ("/kerberos/chosen-by-name", test_kerberos_chosen_by_name);
  g_test_add_func ("/kerberos/request", test_kerberos_request);
  g_test_add_func ("/kerberos/samba-udp", test_kerberos_samba_udp);
  g_test_add_func ("/kerberos/samba-tcp", test_kerberos_samba_tcp);
  g_test_add_func ("/kerberos/realm-from-ldap", test_kerberos_realm_from_ldap);
  g_test_add_func ("/kerberos/realm-from-root", test_kerberos_realm_from_root);
  g_test_add_func ("/kerberos/clock", test_kerberos_clock);
  g_test_add_func ("/kerberos/as-rep", test_kerberos_as_rep);
  g_test_add_func ("/kerberos/hostile", test_kerberos_hostile);
  g_test_add_func ("/kerberos/huge-counts", test_kerberos_huge_counts);
  g_test_add_func ("/smb/chosen-by-name", test_smb_chosen_by_name);
  g_test_add_func ("/smb/requests", test_smb_requests);
  g_test_add_func ("/smb/samba", test_smb_samba);
  g_test_add_func ("/smb/samba-netbios", test_smb_samba_netbios);
  g_test_add_func ("/smb/smb1-only", test_smb_smb1_only);
  g_test_add_func ("/smb/smb1-check", test_smb_smb1_check);
  g_test_add_func ("/smb/hostile", test_smb_hostile);
  return g_test_run ();
}
