/* test-tls-rdp.c: the RDP codec on Connection Confirms captured from xrdp
 * (the fuzz seeds) and on hostile bytes; the certificate reader on
 * certificates openssl made (the fuzz seeds in seeds/x509) and on broken
 * ones; the TLS findings, an expired certificate above all
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-banner.h"
#include "pq-ber.h"
#include "pq-ldap.h"
#include "pq-rdp.h"
#include "pq-services.h"
#include "pq-tls.h"
#include "pq-x509.h"

#define DAY (24 * 60 * 60)

static GBytes *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static const char *
finding (PqProbeFindings *findings,
         const char      *kind)
{
  for (guint i = 0; i < findings->details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (findings->details, i);

      if (g_strcmp0 (pq_detail_get_kind (d), kind) == 0)
        return pq_detail_get_value (d);
    }
  return NULL;
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("expected “%s” in “%s”", part, text ? text : "(null)");
}

/* ------------------------------------------------------------------ */
/* RDP                                                                 */

static PqStep rdp_talk_on (gpointer         state,
                           const guint8    *reply,
                           gsize            len,
                           gsize            chunk,
                           PqProbeFindings *findings,
                           GByteArray      *request);

/* A first connection: the codec's request, then the peer's bytes. */
static PqStep
rdp_talk (const guint8    *reply,
          gsize            len,
          gsize            chunk,
          PqProbeFindings *findings,
          GByteArray      *request)
{
  g_autofree gpointer state = g_malloc0 (pq_rdp_codec.state_size);

  return rdp_talk_on (state, reply, len, chunk, findings, request);
}

/* One connection of @state's conversation: its request, then the peer's
 * bytes @chunk at a time (0: all). */
static PqStep
rdp_talk_on (gpointer         state,
             const guint8    *reply,
             gsize            len,
             gsize            chunk,
             PqProbeFindings *findings,
             GByteArray      *request)
{
  PqProbeParams params = { PQ_PROTOCOL_TCP, 3389, "host.example", "public", 42 };
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  gsize consumed = 0, pos = 0;
  PqStep step;

  pq_rdp_codec.init (state, &params);
  g_byte_array_set_size (request, 0);
  step = pq_rdp_codec.step (state, NULL, 0, &consumed, request, findings);
  g_assert_cmpint (step, ==, PQ_STEP_SEND);
  while (step == PQ_STEP_SEND || step == PQ_STEP_READ)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize n = chunk ? MIN (chunk, len - pos) : len - pos;

      if (n == 0)
        break;
      g_byte_array_append (stream, reply + pos, (guint) n);
      pos += n;
      step = pq_rdp_codec.step (state, stream->data, stream->len, &consumed, out, findings);
      g_assert_cmpuint (consumed, <=, stream->len);
      g_assert_cmpuint (out->len, ==, 0);
      g_byte_array_remove_range (stream, 0, (guint) consumed);
    }
  return step;
}

/* MS-RDPBCGR 4.1.1: TPKT, X.224 CR, RDP_NEG_REQ offering 0x7. */
static void
test_rdp_request (void)
{
  static const guint8 expected[] = {
    0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x08, 0x00, 0x07, 0x00, 0x00, 0x00,
  };
  g_autoptr(GByteArray) request = g_byte_array_new ();
  PqProbeFindings findings;

  pq_probe_findings_init (&findings);
  g_assert_cmpint (rdp_talk ((const guint8 *) "", 0, 0, &findings, request), ==, PQ_STEP_SEND);
  g_assert_cmpmem (request->data, request->len, expected, sizeof expected);
  pq_probe_findings_clear (&findings);
}

static void
test_rdp_xrdp (void)
{
  g_autoptr(GBytes) tls = read_file ("seeds/rdp", "xrdp-tls");
  g_autoptr(GBytes) rdp = read_file ("seeds/rdp", "xrdp-rdp-only");
  const guint8 *p;
  gsize len;

  for (gsize chunk = 0; chunk <= 1; chunk++)
    {
      g_autoptr(GByteArray) request = g_byte_array_new ();
      PqProbeFindings f;

      /* xrdp with security_layer=negotiate: TLS, so no NLA, then TLS. */
      pq_probe_findings_init (&f);
      p = g_bytes_get_data (tls, &len);
      g_assert_cmpint (rdp_talk (p + 1, len - 1, chunk, &f, request), ==, PQ_STEP_STARTTLS);
      g_assert_cmpstr (finding (&f, "rdp-protocol"), ==, "TLS");
      assert_contains (finding (&f, "rdp-nla"), "not required");
      g_assert_cmpstr (finding (&f, "rdp-flags"), ==, "EXTENDED_CLIENT_DATA_SUPPORTED");
      g_assert_cmpstr (f.summary->str, ==, "RDP answered: the server chose TLS, NLA not required: a security risk.");
      pq_probe_findings_clear (&f);

      /* security_layer=rdp: standard RDP security, a risk, and no TLS. */
      pq_probe_findings_init (&f);
      p = g_bytes_get_data (rdp, &len);
      g_assert_cmpint (rdp_talk (p + 1, len - 1, chunk, &f, request), ==, PQ_STEP_DONE);
      g_assert_cmpstr (finding (&f, "rdp-protocol"), ==, "standard RDP security");
      assert_contains (finding (&f, "rdp-standard-security"), "a security risk");
      assert_contains (finding (&f, "rdp-nla"), "not offered");
      pq_probe_findings_clear (&f);
    }
}

static PqStep
rdp_hear (const char      *hex,
          PqProbeFindings *findings)
{
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GByteArray) reply = g_byte_array_new ();

  for (const char *h = hex; h[0] && h[1]; h += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (h[0]) << 4 | g_ascii_xdigit_value (h[1]));

      g_byte_array_append (reply, &b, 1);
    }
  return rdp_talk (reply->data, reply->len, 0, findings, request);
}

/* Answers a server may give besides xrdp's. */
static void
test_rdp_answers (void)
{
  struct { const char *hex; PqStep step; const char *kind; const char *part; } cases[] = {
    /* Windows choosing CredSSP, with its usual flags */
    { "030000130ed000001234000201080002000000", PQ_STEP_CONNECT, "rdp-protocol", "CredSSP (NLA)" },
    { "030000130ed00000123400021f080008000000", PQ_STEP_CONNECT, "rdp-flags", "RESTRICTED_ADMIN_MODE_SUPPORTED" },
    /* a Negotiation Failure, and one with a code not in the spec */
    { "030000130ed000001234000300080005000000", PQ_STEP_DONE, "rdp-failure", "HYBRID_REQUIRED_BY_SERVER" },
    { "030000130ed000001234000300080005000000", PQ_STEP_DONE, "rdp-nla", "required: the server refuses clients without CredSSP" },
    { "030000130ed000001234000300080063000000", PQ_STEP_DONE, "rdp-failure", "unknown failure code 99" },
    /* a server older than negotiation: a bare Connection Confirm */
    { "0300000b06d00000123400", PQ_STEP_DONE, "rdp-standard-security", "does not negotiate" },
    /* a protocol this codec does not know: shown, no TLS attempted */
    { "030000130ed000001234000200080040000000", PQ_STEP_DONE, "rdp-protocol", "unknown (0x00000040)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PqProbeFindings f;

      pq_probe_findings_init (&f);
      g_assert_cmpint (rdp_hear (cases[i].hex, &f), ==, cases[i].step);
      assert_contains (finding (&f, cases[i].kind), cases[i].part);
      g_assert_cmpuint (f.summary->len, >, 0);
      pq_probe_findings_clear (&f);
    }
}

static GByteArray *
hex_bytes (const char *hex)
{
  GByteArray *bytes = g_byte_array_new ();

  for (const char *h = hex; h[0] && h[1]; h += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (h[0]) << 4 | g_ascii_xdigit_value (h[1]));

      g_byte_array_append (bytes, &b, 1);
    }
  return bytes;
}

/* A server that chose CredSSP gets a second connection offering TLS
 * alone: refused for want of CredSSP (as Windows with NLA required, and
 * MS-RDPBCGR 2.2.1.2.2), accepted, cut off, or answered with garbage. */
static void
test_rdp_nla (void)
{
  static const char *credssp = "030000130ed000001234000201080002000000";
  struct { const char *second; PqStep step; const char *nla; const char *summary_end; } cases[] = {
    { "030000130ed000001234000300080005000000", PQ_STEP_CONNECT,
      "required: a second connection offering TLS alone was refused (HYBRID_REQUIRED_BY_SERVER)", ", NLA required." },
    { "030000130ed000001234000200080001000000", PQ_STEP_STARTTLS,
      "supported, not required: a second connection offering TLS alone was accepted", ", NLA not required: a security risk." },
    { NULL, PQ_STEP_CONNECT, "probably required: a second connection offering TLS alone was cut off (Connection reset by peer)",
      ", NLA probably required." },
    { "485454502f312e31203230300d0a", PQ_STEP_CONNECT, "probably required: a second connection offering TLS alone was cut off (the answer was not RDP)",
      ", NLA probably required." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gpointer state = g_malloc0 (pq_rdp_codec.state_size);
      g_autoptr(GByteArray) request = g_byte_array_new ();
      g_autoptr(GByteArray) first = hex_bytes (credssp);
      PqProbeFindings f;
      PqStep step;

      pq_probe_findings_init (&f);
      g_assert_cmpint (rdp_talk_on (state, first->data, first->len, 0, &f, request), ==, PQ_STEP_CONNECT);
      g_assert_cmpint (request->data[15], ==, 0x07);   /* TLS, CredSSP and RDSTLS offered */
      if (cases[i].second != NULL)
        {
          g_autoptr(GByteArray) second = hex_bytes (cases[i].second);

          step = rdp_talk_on (state, second->data, second->len, 1, &f, request);
        }
      else
        {
          g_assert_cmpint (rdp_talk_on (state, (const guint8 *) "", 0, 0, &f, request), ==, PQ_STEP_SEND);
          step = pq_rdp_codec.ended (state, "Connection reset by peer", &f);
        }
      g_assert_cmpint (request->data[15], ==, 0x01);   /* TLS alone */
      g_assert_cmpint (step, ==, cases[i].step);
      assert_contains (finding (&f, "rdp-nla"), cases[i].nla);
      g_assert_true (g_str_has_prefix (f.summary->str, "RDP answered: the server chose CredSSP (NLA), NLA "));
      g_assert_true (g_str_has_suffix (f.summary->str, cases[i].summary_end));
      if (step == PQ_STEP_CONNECT)
        {
          /* The third offers all again, for the certificate only. */
          guint before = f.details->len;

          g_assert_cmpint (rdp_talk_on (state, first->data, first->len, 0, &f, request), ==, PQ_STEP_STARTTLS);
          g_assert_cmpint (request->data[15], ==, 0x07);
          g_assert_cmpuint (f.details->len, ==, before);
        }
      pq_probe_findings_clear (&f);
    }
}

/* Not RDP, or RDP that lies about its lengths: MALFORMED at once, never a
 * wait for bytes that a bogus length asks for. */
static void
test_rdp_hostile (void)
{
  const char *cases[] = {
    "485454502f312e31203230300d0a",                 /* an HTTP server */
    "0301001300",                                   /* TPKT reserved byte set */
    "0300ffff0ed0",                                 /* a 65535-byte packet */
    "03000005ff",                                   /* shorter than a Confirm */
    "030000130ee000001234000201080002000000",       /* a Request, not a Confirm */
    "030000130ff000001234000201080002000000",       /* LI past the packet */
    "030000130ed000001234000201090002000000",       /* negotiation length 9 */
    "030000130ed000001234000901080002000000",       /* negotiation type 9 */
    "030000130ed000001234000201080002000000",       /* fine: the control */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PqProbeFindings f;
      PqStep step;

      pq_probe_findings_init (&f);
      step = rdp_hear (cases[i], &f);
      if (i == G_N_ELEMENTS (cases) - 1)
        g_assert_cmpint (step, ==, PQ_STEP_CONNECT);
      else
        g_assert_cmpint (step, ==, PQ_STEP_MALFORMED);
      pq_probe_findings_clear (&f);
    }
}

/* ------------------------------------------------------------------ */
/* STARTTLS inside LDAP and SMTP                                       */

/* One peer message in, the codec's step out; @sent gets its request. */
static PqStep
hear (const PqProbeCodec *codec,
      gpointer            state,
      const guint8       *data,
      gsize               len,
      PqProbeFindings    *findings,
      GByteArray         *sent)
{
  gsize consumed = 0;
  PqStep step;

  g_byte_array_set_size (sent, 0);
  step = codec->step (state, data, len, &consumed, sent, findings);
  g_assert_cmpuint (consumed, ==, len);
  return step;
}

/* LDAPMessage { id, [APPLICATION @op] { @contents } } */
static GByteArray *
ldap_message (gint64      id,
              guint8      op,
              GByteArray *contents)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();

  pq_ber_write_int (msg, PQ_BER_INTEGER, id);
  pq_ber_wrap (msg, op, contents);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
  return out;
}

static GByteArray *
ldap_result (gint64 id,
             guint8 op,
             gint64 code)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();

  pq_ber_write_int (r, PQ_BER_ENUMERATED, code);
  pq_ber_write_string (r, PQ_BER_OCTET_STRING, "");
  pq_ber_write_string (r, PQ_BER_OCTET_STRING, "");
  return ldap_message (id, op, r);
}

/* A root entry listing StartTLS, and its search's result. */
static GByteArray *
ldap_root_entry (gint64 id)
{
  g_autoptr(GByteArray) entry = g_byte_array_new ();
  g_autoptr(GByteArray) attrs = g_byte_array_new ();
  g_autoptr(GByteArray) attr = g_byte_array_new ();
  g_autoptr(GByteArray) vals = g_byte_array_new ();
  g_autoptr(GByteArray) done = ldap_result (id, 0x65, 0);
  GByteArray *out;

  pq_ber_write_string (vals, PQ_BER_OCTET_STRING, "1.3.6.1.4.1.1466.20037");
  pq_ber_write_string (attr, PQ_BER_OCTET_STRING, "supportedExtension");
  pq_ber_wrap (attr, PQ_BER_SET, vals);
  pq_ber_wrap (attrs, PQ_BER_SEQUENCE, attr);
  pq_ber_write_string (entry, PQ_BER_OCTET_STRING, "");
  pq_ber_wrap (entry, PQ_BER_SEQUENCE, attrs);
  out = ldap_message (id, 0x64, entry);
  g_byte_array_append (out, done->data, done->len);
  return out;
}

/* StartTLS asked after the root entry, asked again while slapd still
 * counts the search (operationsError), and TLS once it says success; a
 * lasting refusal is said. */
static void
test_ldap_starttls (void)
{
  static const char oid[] = "1.3.6.1.4.1.1466.20037";
  PqProbeParams params = { PQ_PROTOCOL_TCP, 389, "host.example", "public", 42 };
  const gint64 codes[] = { 0, 53 };

  for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
    {
      gpointer state = g_malloc0 (pq_ldap_codec.state_size);
      g_autoptr(GByteArray) sent = g_byte_array_new ();
      g_autoptr(GByteArray) root = ldap_root_entry (43);   /* 1 + seed 42 */
      g_autoptr(GByteArray) busy = ldap_result (44, 0x78, 1);
      g_autoptr(GByteArray) last = ldap_result (45, 0x78, codes[c]);
      PqProbeFindings f;
      gsize consumed;

      pq_probe_findings_init (&f);
      pq_ldap_codec.init (state, &params);
      g_assert_cmpint (pq_ldap_codec.step (state, NULL, 0, &consumed, sent, &f), ==, PQ_STEP_SEND);
      g_assert_cmpint (hear (&pq_ldap_codec, state, root->data, root->len, &f, sent), ==, PQ_STEP_SEND);
      g_assert_nonnull (memmem (sent->data, sent->len, oid, strlen (oid)));
      g_assert_cmpint (hear (&pq_ldap_codec, state, busy->data, busy->len, &f, sent), ==, PQ_STEP_SEND);
      g_assert_nonnull (memmem (sent->data, sent->len, oid, strlen (oid)));
      if (codes[c] == 0)
        g_assert_cmpint (hear (&pq_ldap_codec, state, last->data, last->len, &f, sent), ==, PQ_STEP_STARTTLS);
      else
        {
          g_assert_cmpint (hear (&pq_ldap_codec, state, last->data, last->len, &f, sent), ==, PQ_STEP_DONE);
          g_assert_cmpstr (finding (&f, "ldap-starttls"), ==, "refused: 53 (unwillingToPerform)");
        }
      assert_contains (f.summary->str, "LDAP answered with result 0 (success)");
      pq_ldap_codec.clear (state);
      g_free (state);
      pq_probe_findings_clear (&f);
    }
}

/* SMTP: EHLO after a 220 greeting, STARTTLS if offered, TLS after its 220. */
static void
test_smtp_starttls (void)
{
  struct { const char *ehlo; const char *reply; PqStep step; const char *said; } cases[] = {
    { "250-mail\r\n250-starttls\r\n250 SIZE 10\r\n", "220 go ahead\r\n", PQ_STEP_STARTTLS, NULL },
    { "250-mail\r\n250 SIZE 10\r\n", NULL, PQ_STEP_DONE, "not offered" },
    { "250-mail\r\n250 STARTTLS\r\n", "454 TLS not available\r\n", PQ_STEP_DONE,
      "offered, but refused: 454 TLS not available" },
    /* "STARTTLSX" is not STARTTLS */
    { "250-mail\r\n250 STARTTLSX\r\n", NULL, PQ_STEP_DONE, "not offered" },
  };
  static const char greeting[] = "220 mail.example ESMTP\r\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PqProbeParams params = { PQ_PROTOCOL_TCP, 25, "mail.example", "public", 42 };
      gpointer state = g_malloc0 (pq_smtp_codec.state_size);
      g_autoptr(GByteArray) sent = g_byte_array_new ();
      PqProbeFindings f;
      gsize consumed;
      PqStep step;

      pq_probe_findings_init (&f);
      pq_smtp_codec.init (state, &params);
      g_assert_cmpint (pq_smtp_codec.step (state, NULL, 0, &consumed, sent, &f), ==, PQ_STEP_READ);
      g_assert_cmpint (hear (&pq_smtp_codec, state, (const guint8 *) greeting, strlen (greeting), &f, sent),
                       ==, PQ_STEP_SEND);
      g_assert_cmpmem (sent->data, sent->len, "EHLO portqry.invalid\r\n", 22);
      step = hear (&pq_smtp_codec, state, (const guint8 *) cases[i].ehlo, strlen (cases[i].ehlo), &f, sent);
      if (cases[i].reply != NULL)
        {
          g_assert_cmpint (step, ==, PQ_STEP_SEND);
          g_assert_cmpmem (sent->data, sent->len, "STARTTLS\r\n", 10);
          step = hear (&pq_smtp_codec, state, (const guint8 *) cases[i].reply, strlen (cases[i].reply), &f, sent);
        }
      g_assert_cmpint (step, ==, cases[i].step);
      g_assert_cmpstr (finding (&f, "smtp-starttls"), ==, cases[i].said);
      g_assert_cmpstr (finding (&f, "banner"), ==, "220 mail.example ESMTP");
      pq_smtp_codec.clear (state);
      g_free (state);
      pq_probe_findings_clear (&f);
    }
}

/* ------------------------------------------------------------------ */
/* Certificates                                                        */

static void
assert_certificate (const char *file,
                    const char *key_type,
                    const char *curve,
                    guint       bits,
                    const char *signature,
                    gboolean    weak)
{
  g_autoptr(GBytes) der = read_file ("seeds/x509", file);
  g_auto(PqX509Info) x = { 0 };

  g_assert_true (pq_x509_parse (g_bytes_get_data (der, NULL), g_bytes_get_size (der), &x));
  g_assert_cmpstr (x.key_type, ==, key_type);
  g_assert_cmpstr (x.curve, ==, curve);
  g_assert_cmpuint (x.key_bits, ==, bits);
  g_assert_cmpstr (x.signature, ==, signature);
  g_assert_cmpint (x.weak_signature, ==, weak);
  /* openssl req -days 365 */
  g_assert_true (x.have_validity);
  g_assert_cmpint (x.not_after - x.not_before, ==, 365 * DAY);
}

static void
test_x509_keys (void)
{
  assert_certificate ("rsa2048-sha256.der", "RSA", NULL, 2048, "SHA-256 with RSA", FALSE);
  assert_certificate ("ec-p384-sha384.der", "EC", "P-384", 384, "ECDSA with SHA-384", FALSE);
  assert_certificate ("ed25519.der", "Ed25519", NULL, 256, "Ed25519", FALSE);
  assert_certificate ("rsa1024-sha1.der", "RSA", NULL, 1024, "SHA-1 with RSA", TRUE);
}

/* Every prefix of a real certificate, and every byte of it flipped: the
 * reader refuses or reads, and never reads past the bytes it was given. */
static void
test_x509_hostile (void)
{
  g_autoptr(GBytes) der = read_file ("seeds/x509", "rsa2048-sha256.der");
  gsize len = g_bytes_get_size (der);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (der, NULL), len);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autofree guint8 *prefix = g_memdup2 (copy, cut);   /* ASan sees an overrun */
      g_auto(PqX509Info) x = { 0 };

      g_assert_false (pq_x509_parse (prefix, cut, &x));
    }
  for (gsize i = 0; i < len; i++)
    {
      g_auto(PqX509Info) x = { 0 };

      copy[i] ^= 0xff;
      if (pq_x509_parse (copy, len, &x))
        g_assert_nonnull (x.signature);
      copy[i] ^= 0xff;
    }
}

static void
test_x509_times (void)
{
  gint64 t = 0;

  g_assert_true (pq_x509_parse_time (0x17, (const guint8 *) "491231235959Z", 13, &t));
  g_assert_cmpint (t, ==, 2524607999);                       /* 2049, not 1949 */
  g_assert_true (pq_x509_parse_time (0x17, (const guint8 *) "500101000000Z", 13, &t));
  g_assert_cmpint (t, ==, -631152000);                       /* 1950 */
  g_assert_true (pq_x509_parse_time (0x18, (const guint8 *) "99991231235959Z", 15, &t));
  g_assert_false (pq_x509_parse_time (0x17, (const guint8 *) "491331235959Z", 13, &t));  /* month 13 */
  g_assert_false (pq_x509_parse_time (0x17, (const guint8 *) "4912312359590", 13, &t));  /* no Z */
  g_assert_false (pq_x509_parse_time (0x17, (const guint8 *) "4912312359Z", 11, &t));    /* no seconds */
  g_assert_false (pq_x509_parse_time (0x18, (const guint8 *) "00001231235959Z", 15, &t)); /* year 0 */
  g_assert_false (pq_x509_parse_time (0x04, (const guint8 *) "491231235959Z", 13, &t));
}

static void
test_tls_days (void)
{
  const gint64 now = 1796000000;   /* 2026-11-29 */
  gboolean problem;
  g_autofree char *soon = pq_tls_describe_days (now - 100 * DAY, now + 12 * DAY + 5, now, &problem);
  g_autofree char *gone = NULL;
  g_autofree char *today = NULL;
  g_autofree char *early = NULL;

  assert_contains (soon, "expires in 12 days");
  g_assert_false (problem);
  gone = pq_tls_describe_days (now - 100 * DAY, now - 3 * DAY - 5, now, &problem);
  assert_contains (gone, "expired 3 days ago");
  g_assert_true (problem);
  today = pq_tls_describe_days (now - 100 * DAY, now - 5, now, &problem);
  assert_contains (today, "expired today");
  g_assert_true (problem);
  early = pq_tls_describe_days (now + 2 * DAY + 5, now + 100 * DAY, now, &problem);
  assert_contains (early, "not valid until");
  assert_contains (early, "(in 2 days)");
  g_assert_true (problem);
}

/* A handshake's outcome, as pq-scan-tls.c collects it, on a real DER. */
static void
tls_info_init (PqTlsInfo  *info,
               const char *file,
               gint64      now)
{
  memset (info, 0, sizeof *info);
  info->version = g_strdup ("TLS 1.3");
  info->ciphersuite = g_strdup ("TLS_AES_256_GCM_SHA384");
  info->der = read_file ("seeds/x509", file);
  info->subject = g_strdup ("CN=dc1.test.lan");
  info->issuer = g_strdup ("CN=dc1.test.lan");
  info->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (info->names, g_strdup ("dc1.test.lan"));
  g_ptr_array_add (info->names, g_strdup ("bad\x1b[2Jname"));
  info->identity = g_strdup ("10.200.78.2");
  info->errors = G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY;
  info->now = now;
}

static void
test_tls_findings (void)
{
  g_autoptr(GBytes) der = read_file ("seeds/x509", "rsa2048-sha256.der");
  g_auto(PqX509Info) x = { 0 };
  PqTlsInfo info;
  PqProbeFindings f;

  g_assert_true (pq_x509_parse (g_bytes_get_data (der, NULL), g_bytes_get_size (der), &x));

  /* Valid for another 12 days: said, not a problem. */
  tls_info_init (&info, "rsa2048-sha256.der", x.not_after - 12 * DAY - 60);
  pq_probe_findings_init (&f);
  g_string_assign (f.summary, "RDP answered: the server chose TLS.");
  pq_tls_add_findings (&info, &f);
  g_assert_cmpstr (finding (&f, "tls-version"), ==, "TLS 1.3");
  g_assert_cmpstr (finding (&f, "tls-issuer"), ==, "CN=dc1.test.lan (self-signed)");
  g_assert_cmpstr (finding (&f, "tls-names"), ==, "dc1.test.lan, bad\\x1b[2Jname");
  g_assert_cmpstr (finding (&f, "tls-key"), ==, "RSA, 2048 bits");
  g_assert_cmpstr (finding (&f, "tls-signature"), ==, "SHA-256 with RSA");
  assert_contains (finding (&f, "tls-expiry"), "expires in 12 days");
  g_assert_null (finding (&f, "tls-expired"));
  assert_contains (finding (&f, "tls-untrusted"), "self-signed or a private CA");
  assert_contains (finding (&f, "tls-untrusted"), "not issued for the name 10.200.78.2");
  g_assert_true (g_str_has_prefix (f.summary->str, "RDP answered: the server chose TLS. TLS 1.3 handshake: "));
  assert_contains (f.summary->str, "expires in 12 days");
  pq_probe_findings_clear (&f);
  pq_tls_info_clear (&info);

  /* Expired three days ago: a finding of its own kind, and the summary
   * leads with the problem. */
  tls_info_init (&info, "rsa2048-sha256.der", x.not_after + 3 * DAY + 60);
  info.errors = 0;
  pq_probe_findings_init (&f);
  pq_tls_add_findings (&info, &f);
  assert_contains (finding (&f, "tls-expired"), "expired 3 days ago");
  g_assert_null (finding (&f, "tls-expiry"));
  assert_contains (finding (&f, "tls-trusted"), "yes, for the name 10.200.78.2");
  assert_contains (f.summary->str, "PROBLEM: the certificate CN=dc1.test.lan expired 3 days ago");
  pq_probe_findings_clear (&f);
  pq_tls_info_clear (&info);
}

/* A handshake that failed, and a computer without glib-networking. */
static void
test_tls_failures (void)
{
  PqTlsInfo info = { 0 };
  PqProbeFindings f;

  info.error = g_strdup ("Peer sent fatal TLS alert: Handshake failed");
  pq_probe_findings_init (&f);
  pq_tls_add_findings (&info, &f);
  g_assert_cmpstr (finding (&f, "tls-error"), ==, "Peer sent fatal TLS alert: Handshake failed");
  g_assert_cmpstr (f.summary->str, ==, "The TLS handshake failed: Peer sent fatal TLS alert: Handshake failed.");
  pq_probe_findings_clear (&f);
  pq_tls_info_clear (&info);

  /* The certificate, then a failure (a client certificate required). */
  tls_info_init (&info, "rsa2048-sha256.der", 1796000000);
  info.error = g_strdup ("Peer sent fatal TLS alert: Certificate required");
  pq_probe_findings_init (&f);
  pq_tls_add_findings (&info, &f);
  g_assert_cmpstr (finding (&f, "tls-subject"), ==, "CN=dc1.test.lan");
  g_assert_cmpstr (finding (&f, "tls-error"), ==, "Peer sent fatal TLS alert: Certificate required");
  assert_contains (f.summary->str, ". The TLS handshake failed: Peer sent fatal TLS alert: Certificate required.");
  pq_probe_findings_clear (&f);
  pq_tls_info_clear (&info);

  info.no_backend = TRUE;
  pq_probe_findings_init (&f);
  pq_tls_add_findings (&info, &f);
  assert_contains (finding (&f, "tls-error"), "glib-networking");
  pq_probe_findings_clear (&f);
}

/* The ports the issue names get the TLS probe from the built-in table
 * (Debian's services file has no 3269 or 8443), 3389 RDP's. */
static void
test_services (void)
{
  g_autoptr(PqServices) s = pq_services_new_from_data ("", 0);
  const guint16 tls_ports[] = { 636, 3269, 443, 8443, 993, 995, 465 };

  for (guint i = 0; i < G_N_ELEMENTS (tls_ports); i++)
    g_assert_cmpint (pq_services_probe_for (s, tls_ports[i], PQ_PROTOCOL_TCP), ==, PQ_PROBE_TLS);
  g_assert_cmpint (pq_services_probe_for (s, 3389, PQ_PROTOCOL_TCP), ==, PQ_PROBE_RDP);
  g_assert_cmpint (pq_services_probe_for (s, 587, PQ_PROTOCOL_TCP), ==, PQ_PROBE_SMTP);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_TLS, PQ_PROTOCOL_UDP) == NULL);
  g_assert_true (pq_probe_codec_for (PQ_PROBE_RDP, PQ_PROTOCOL_TCP) == &pq_rdp_codec);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rdp/request", test_rdp_request);
  g_test_add_func ("/rdp/xrdp", test_rdp_xrdp);
  g_test_add_func ("/rdp/answers", test_rdp_answers);
  g_test_add_func ("/rdp/hostile", test_rdp_hostile);
  g_test_add_func ("/rdp/nla", test_rdp_nla);
  g_test_add_func ("/starttls/ldap", test_ldap_starttls);
  g_test_add_func ("/starttls/smtp", test_smtp_starttls);
  g_test_add_func ("/x509/keys", test_x509_keys);
  g_test_add_func ("/x509/hostile", test_x509_hostile);
  g_test_add_func ("/x509/times", test_x509_times);
  g_test_add_func ("/tls/days", test_tls_days);
  g_test_add_func ("/tls/findings", test_tls_findings);
  g_test_add_func ("/tls/failures", test_tls_failures);
  g_test_add_func ("/tls/services", test_services);
  return g_test_run ();
}
