/* test-ldap-snmp.c: the BER reader, and the LDAP and SNMP codecs on replies
 * captured from slapd, Samba's AD DC and Net-SNMP (the fuzz seeds) and on
 * hostile bytes
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-ber.h"
#include "pq-ldap.h"
#include "pq-snmp.h"

/* The fuzz harness's seed: message id 43, SNMP request ids 43 and 44. */
#define SEED 42

typedef struct
{
  const PqProbeCodec *codec;
  gpointer            state;
  PqProbeFindings     findings;
  GByteArray         *request;   /* the last request sent */
  GByteArray         *pending;   /* TCP bytes not consumed */
  PqStep              step;
  guint               sends;
} Run;

static Run *
run_new (const PqProbeCodec *codec,
         PqProtocol          protocol,
         const char         *community)
{
  Run *r = g_new0 (Run, 1);
  PqProbeParams params = { protocol, 389, "host.example", community ? community : "public", SEED };
  gsize consumed = 0;

  r->codec = codec;
  r->state = g_malloc0 (codec->state_size);
  pq_probe_findings_init (&r->findings);
  r->request = g_byte_array_new ();
  r->pending = g_byte_array_new ();
  codec->init (r->state, &params);
  r->step = codec->step (r->state, NULL, 0, &consumed, r->request, &r->findings);
  r->sends = r->step == PQ_STEP_SEND;
  return r;
}

static void
run_free (Run *r)
{
  if (r->codec->clear)
    r->codec->clear (r->state);
  g_free (r->state);
  pq_probe_findings_clear (&r->findings);
  g_byte_array_unref (r->request);
  g_byte_array_unref (r->pending);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Feeds one datagram (UDP) or more of the stream (TCP), as the engine does. */
static PqStep
run_feed (Run          *r,
          const guint8 *data,
          gsize         len,
          gboolean      tcp)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  if (tcp)
    {
      g_byte_array_append (r->pending, data, (guint) len);
      r->step = r->codec->step (r->state, r->pending->data, r->pending->len, &consumed, out, &r->findings);
      g_assert_cmpuint (consumed, <=, r->pending->len);
      g_byte_array_remove_range (r->pending, 0, (guint) consumed);
    }
  else
    r->step = r->codec->step (r->state, data, len, &consumed, out, &r->findings);
  if (r->step == PQ_STEP_SEND)
    {
      g_byte_array_set_size (r->request, 0);
      g_byte_array_append (r->request, out->data, out->len);
      r->sends++;
    }
  return r->step;
}

static PqDetail *
find (Run        *r,
      const char *label)
{
  for (guint i = 0; i < r->findings.details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (r->findings.details, i);

      if (g_strcmp0 (pq_detail_get_label (d), label) == 0)
        return d;
    }
  return NULL;
}

static const char *
value_of (Run        *r,
          const char *label)
{
  PqDetail *d = find (r, label);

  return d ? pq_detail_get_value (d) : NULL;
}

static guint
n_children (PqDetail *d)
{
  GListModel *m = pq_detail_get_children (d);

  return m ? g_list_model_get_n_items (m) : 0;
}

static char *
child_value (PqDetail *d,
             guint     i)
{
  g_autoptr(PqDetail) c = g_list_model_get_item (pq_detail_get_children (d), i);

  return g_strdup (pq_detail_get_value (c));
}

/* A seed file without its first byte (the harness's chunk size). */
static GBytes *
load_seed (const char *name,
           guint      *chunk)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 1);
  if (chunk)
    *chunk = 1 + (guint) (guint8) data[0] * 16;
  {
    GBytes *bytes = g_bytes_new (data + 1, len - 1);

    g_free (data);
    return bytes;
  }
}

/* ------------------------------------------------------------------ */
/* BER                                                                 */

static void
test_ber_frame (void)
{
  static const guint8 short_form[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
  static const guint8 long_form[] = { 0x30, 0x81, 0x03, 0x02, 0x01 };
  static const guint8 four_gb[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00 };
  static const guint8 five_bytes[] = { 0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01 };
  static const guint8 indefinite[] = { 0x30, 0x80, 0x00, 0x00 };
  static const guint8 high_tag[] = { 0x1f, 0x81, 0x01, 0x00 };
  gsize total = 0;

  g_assert_cmpint (pq_ber_frame (short_form, 5, 1024, &total), ==, PQ_BER_OK);
  g_assert_cmpuint (total, ==, 5);
  g_assert_cmpint (pq_ber_frame (short_form, 4, 1024, &total), ==, PQ_BER_NEED_MORE);
  g_assert_cmpint (pq_ber_frame (short_form, 1, 1024, &total), ==, PQ_BER_NEED_MORE);
  g_assert_cmpint (pq_ber_frame (long_form, 2, 1024, &total), ==, PQ_BER_NEED_MORE);
  g_assert_cmpint (pq_ber_frame (long_form, 5, 1024, &total), ==, PQ_BER_NEED_MORE);
  /* A 4 GB length is refused at once, not waited for. */
  g_assert_cmpint (pq_ber_frame (four_gb, sizeof four_gb, 1024 * 1024, &total), ==, PQ_BER_INVALID);
  g_assert_cmpint (pq_ber_frame (five_bytes, sizeof five_bytes, 1024, &total), ==, PQ_BER_INVALID);
  g_assert_cmpint (pq_ber_frame (indefinite, sizeof indefinite, 1024, &total), ==, PQ_BER_INVALID);
  g_assert_cmpint (pq_ber_frame (high_tag, sizeof high_tag, 1024, &total), ==, PQ_BER_INVALID);
}

static void
test_ber_reader (void)
{
  /* SEQUENCE { INTEGER 5, OCTET STRING claiming 9 bytes of 2 } */
  static const guint8 past_end[] = { 0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x09, 0x41 };
  static const guint8 nine_byte_int[] = { 0x02, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  static const guint8 negative[] = { 0x02, 0x02, 0xff, 0x7f };
  PqBerReader top, seq;
  PqBerTlv tlv;
  gint64 v;

  pq_ber_reader_init (&top, past_end, sizeof past_end - 1);
  g_assert_false (pq_ber_enter (&top, PQ_BER_SEQUENCE, &seq));   /* the SEQUENCE itself is cut */
  g_assert_true (pq_ber_at_end (&top));

  pq_ber_reader_init (&top, past_end, sizeof past_end);
  g_assert_true (pq_ber_enter (&top, PQ_BER_SEQUENCE, &seq));
  g_assert_true (pq_ber_read_int (&seq, PQ_BER_INTEGER, &v));
  g_assert_cmpint (v, ==, 5);
  g_assert_false (pq_ber_read (&seq, &tlv));
  g_assert_true (seq.failed);
  g_assert_true (pq_ber_at_end (&seq));

  pq_ber_reader_init (&top, nine_byte_int, sizeof nine_byte_int);
  g_assert_false (pq_ber_read_int (&top, PQ_BER_INTEGER, &v));
  pq_ber_reader_init (&top, negative, sizeof negative);
  g_assert_true (pq_ber_read_int (&top, PQ_BER_INTEGER, &v));
  g_assert_cmpint (v, ==, -129);
}

static void
test_ber_depth (void)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  PqBerReader levels[64];
  guint depth = 0;

  /* Forty SEQUENCEs, one inside the other. */
  pq_ber_write_int (inner, PQ_BER_INTEGER, 1);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GByteArray) outer = g_byte_array_new ();

      pq_ber_wrap (outer, PQ_BER_SEQUENCE, inner);
      g_byte_array_set_size (inner, 0);
      g_byte_array_append (inner, outer->data, outer->len);
    }
  pq_ber_reader_init (&levels[0], inner->data, inner->len);
  while (depth < 63 && pq_ber_enter (&levels[depth], PQ_BER_SEQUENCE, &levels[depth + 1]))
    depth++;
  g_assert_cmpuint (depth, ==, PQ_BER_MAX_DEPTH);
}

static void
test_ber_oid (void)
{
  static const char * const oids[] = { "1.3.6.1.2.1.1.1.0", "2.16.840.1.113730.3.4.18", "1.2.840.113556.1.4.2080",
                                       "0.0", "2.999.4294967295" };
  static const guint8 cut[] = { 0x2b, 0x86 };
  g_autoptr(GByteArray) many = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (oids); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      PqBerReader r;
      PqBerTlv tlv;
      g_autofree char *back = NULL;

      g_assert_true (pq_ber_write_oid (out, oids[i]));
      pq_ber_reader_init (&r, out->data, out->len);
      g_assert_true (pq_ber_read_tag (&r, PQ_BER_OID, &tlv));
      back = pq_ber_oid_to_string (tlv.value, tlv.len);
      g_assert_cmpstr (back, ==, oids[i]);
    }
  g_assert_null (pq_ber_oid_to_string (cut, sizeof cut));
  g_assert_null (pq_ber_oid_to_string (cut, 0));
  for (guint i = 0; i < 200; i++)
    g_byte_array_append (many, (const guint8 *) "\x01", 1);
  g_assert_null (pq_ber_oid_to_string (many->data, many->len));
  g_assert_false (pq_ber_write_oid (many, "1"));
  g_assert_false (pq_ber_write_oid (many, "1.x.3"));
}

static void
test_ber_int_roundtrip (void)
{
  static const gint64 values[] = { 0, 1, 127, 128, 255, 256, -1, -128, -129, 0x7fff, G_MAXINT32, G_MININT64, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      PqBerReader r;
      gint64 v;

      pq_ber_write_int (out, PQ_BER_INTEGER, values[i]);
      pq_ber_reader_init (&r, out->data, out->len);
      g_assert_true (pq_ber_read_int (&r, PQ_BER_INTEGER, &v));
      g_assert_cmpint (v, ==, values[i]);
    }
}

/* ------------------------------------------------------------------ */
/* LDAP                                                                */

/* The attribute names of the codec's search request, checked on the way. */
static GPtrArray *
request_attributes (GByteArray *request)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  PqBerReader top, msg, search, attrs;
  PqBerTlv tlv;
  gint64 v;

  pq_ber_reader_init (&top, request->data, request->len);
  g_assert_true (pq_ber_enter (&top, PQ_BER_SEQUENCE, &msg));
  g_assert_true (pq_ber_at_end (&top));
  g_assert_true (pq_ber_read_int (&msg, PQ_BER_INTEGER, &v));
  g_assert_cmpint (v, ==, 43);
  g_assert_true (pq_ber_enter (&msg, 0x63, &search));
  g_assert_true (pq_ber_read_tag (&search, PQ_BER_OCTET_STRING, &tlv));
  g_assert_cmpuint (tlv.len, ==, 0);                              /* base: the root */
  g_assert_true (pq_ber_read_int (&search, PQ_BER_ENUMERATED, &v));
  g_assert_cmpint (v, ==, 0);                                     /* scope: baseObject */
  g_assert_true (pq_ber_read_int (&search, PQ_BER_ENUMERATED, &v));
  g_assert_true (pq_ber_read_int (&search, PQ_BER_INTEGER, &v));
  g_assert_true (pq_ber_read_int (&search, PQ_BER_INTEGER, &v));
  g_assert_true (pq_ber_read_tag (&search, 0x01, &tlv));
  g_assert_true (pq_ber_read_tag (&search, 0x87, &tlv));          /* (objectClass=*) */
  g_assert_cmpmem (tlv.value, tlv.len, "objectClass", 11);
  g_assert_true (pq_ber_enter (&search, PQ_BER_SEQUENCE, &attrs));
  while (pq_ber_read (&attrs, &tlv))
    g_ptr_array_add (names, g_strndup ((const char *) tlv.value, tlv.len));
  g_assert_false (attrs.failed);
  return names;
}

static gboolean
has_name (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_ldap_request (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GPtrArray) names = NULL;

  g_assert_cmpint (r->step, ==, PQ_STEP_SEND);
  names = request_attributes (r->request);
  /* Named attributes, never "+" (Samba's AD DC returns nothing for it). */
  g_assert_false (has_name (names, "+"));
  g_assert_false (has_name (names, "*"));
  for (guint i = 0; i < 3; i++)
    g_assert_true (has_name (names, (const char *[]) { "currentTime", "namingContexts", "domainControllerFunctionality" }[i]));
}

/* Samba AD DC over TCP, fed a few bytes at a time. */
static void
test_ldap_samba_tcp (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GBytes) seed = load_seed ("ldap/samba-ad", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);
  PqDetail *caps;
  g_autofree char *first = NULL;

  for (gsize pos = 0; pos < len && r->step != PQ_STEP_DONE; pos += 7)
    {
      run_feed (r, data + pos, MIN (7, len - pos), TRUE);
      if (pos + 7 < len - 16)
        g_assert_cmpint (r->step, ==, PQ_STEP_READ);
    }
  g_assert_cmpint (r->step, ==, PQ_STEP_DONE);
  g_assert_cmpstr (value_of (r, "dnsHostName"), ==, "dc1.test.lan");
  g_assert_cmpstr (value_of (r, "defaultNamingContext"), ==, "DC=test,DC=lan");
  g_assert_cmpstr (value_of (r, "domainFunctionality"), ==, "4 (Windows Server 2008 R2)");
  g_assert_cmpstr (value_of (r, "Result"), ==, "0 (success)");
  caps = find (r, "supportedCapabilities");
  g_assert_nonnull (caps);
  g_assert_cmpstr (pq_detail_get_value (caps), ==, "5 values");
  g_assert_cmpuint (n_children (caps), ==, 5);
  first = child_value (caps, 0);
  g_assert_cmpstr (first, ==, "1.2.840.113556.1.4.800 (Active Directory)");
  g_assert_cmpuint (n_children (find (r, "supportedControl")), ==, 21);
  g_assert_true (g_str_has_prefix (value_of (r, "currentTime"), "2026"));
  g_assert_nonnull (value_of (r, "Clock skew"));
  g_assert_true (g_str_has_prefix (r->findings.summary->str, "LDAP answered with result 0 (success): root entry with"));
  g_assert_nonnull (strstr (r->findings.summary->str, "host dc1.test.lan"));
}

static void
test_ldap_openldap (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GBytes) seed = load_seed ("ldap/openldap", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);

  g_assert_cmpint (run_feed (r, data, len, TRUE), ==, PQ_STEP_DONE);
  g_assert_cmpstr (value_of (r, "namingContexts"), ==, "dc=test,dc=lan");
  g_assert_cmpstr (value_of (r, "structuralObjectClass"), ==, "OpenLDAProotDSE");
  g_assert_cmpstr (value_of (r, "entryDN"), ==, "(empty)");
  g_assert_cmpuint (n_children (find (r, "supportedSASLMechanisms")), ==, 8);
  g_assert_null (value_of (r, "Clock skew"));   /* slapd gives no currentTime */
}

static void
test_cldap_samba (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_UDP, NULL);
  guint chunk;
  g_autoptr(GBytes) seed = load_seed ("cldap/samba-ad", &chunk);
  const guint8 *data = g_bytes_get_data (seed, NULL);

  /* Entry and result in one datagram. */
  g_assert_cmpint (run_feed (r, data, chunk, FALSE), ==, PQ_STEP_DONE);
  g_assert_cmpstr (value_of (r, "dnsHostName"), ==, "dc1.test.lan");
  g_assert_cmpstr (value_of (r, "Result"), ==, "0 (success)");
}

/* Truncated: TCP waits for the rest; a cut datagram is malformed, but what
 * was read before the cut is kept. */
static void
test_ldap_truncated (void)
{
  g_autoptr(GBytes) seed = load_seed ("ldap/samba-ad", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);
  g_autoptr(Run) tcp = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(Run) udp = run_new (&pq_ldap_codec, PQ_PROTOCOL_UDP, NULL);

  g_assert_cmpint (run_feed (tcp, data, len - 5, TRUE), ==, PQ_STEP_READ);
  g_assert_nonnull (strstr (tcp->findings.summary->str, "but no search result"));
  g_assert_cmpint (run_feed (udp, data, len / 2, FALSE), ==, PQ_STEP_MALFORMED);

  {
    g_autoptr(Run) cut = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);

    g_assert_cmpint (run_feed (cut, data, 40, TRUE), ==, PQ_STEP_READ);
    g_assert_true (g_str_has_prefix (cut->findings.summary->str, "LDAP answered, but the reply is incomplete: 40 of "));
  }
}

/* An LDAPMessage with id 43 around @op. */
static GByteArray *
ldap_message (guint8      tag,
              GByteArray *op)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();

  pq_ber_write_int (msg, PQ_BER_INTEGER, 43);
  pq_ber_wrap (msg, tag, op);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
  return out;
}

static GByteArray *
ldap_done (gint64      code,
           const char *message)
{
  g_autoptr(GByteArray) op = g_byte_array_new ();

  pq_ber_write_int (op, PQ_BER_ENUMERATED, code);
  pq_ber_write_string (op, PQ_BER_OCTET_STRING, "");
  pq_ber_write_string (op, PQ_BER_OCTET_STRING, message);
  return ldap_message (0x65, op);
}

/* An entry with @n_attrs attributes of @n_values values each. */
static GByteArray *
ldap_entry (guint       n_attrs,
            guint       n_values,
            const char *value)
{
  g_autoptr(GByteArray) op = g_byte_array_new ();
  g_autoptr(GByteArray) list = g_byte_array_new ();

  for (guint a = 0; a < n_attrs; a++)
    {
      g_autoptr(GByteArray) attr = g_byte_array_new ();
      g_autoptr(GByteArray) vals = g_byte_array_new ();
      g_autofree char *name = g_strdup_printf ("attr%u", a);

      for (guint v = 0; v < n_values; v++)
        pq_ber_write_string (vals, PQ_BER_OCTET_STRING, value);
      pq_ber_write_string (attr, PQ_BER_OCTET_STRING, name);
      pq_ber_wrap (attr, PQ_BER_SET, vals);
      pq_ber_wrap (list, PQ_BER_SEQUENCE, attr);
    }
  pq_ber_write_string (op, PQ_BER_OCTET_STRING, "");
  pq_ber_wrap (op, PQ_BER_SEQUENCE, list);
  return ldap_message (0x64, op);
}

static void
test_ldap_huge_counts (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GByteArray) values = ldap_entry (1, 5000, "v");
  g_autoptr(GByteArray) attrs = ldap_entry (1000, 1, "x");
  g_autoptr(GByteArray) done = ldap_done (0, "");
  PqDetail *d;
  g_autofree char *last = NULL;

  g_assert_cmpint (run_feed (r, values->data, values->len, TRUE), ==, PQ_STEP_READ);
  d = find (r, "attr0");
  g_assert_cmpstr (pq_detail_get_value (d), ==, "5000 values");
  g_assert_cmpuint (n_children (d), ==, 257);   /* 256 shown, and a line for the rest */
  last = child_value (d, 256);
  g_assert_nonnull (strstr (last, "4744 more"));

  /* A second entry is not shown; the attribute count is bounded. */
  g_assert_cmpint (run_feed (r, attrs->data, attrs->len, TRUE), ==, PQ_STEP_READ);
  g_assert_cmpuint (r->findings.details->len, ==, 1);
  g_assert_cmpint (run_feed (r, done->data, done->len, TRUE), ==, PQ_STEP_DONE);

  {
    g_autoptr(Run) r2 = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);

    run_feed (r2, attrs->data, attrs->len, TRUE);
    g_assert_cmpuint (r2->findings.details->len, ==, 64);
    g_assert_nonnull (strstr (r2->findings.summary->str, "1000 attributes"));
  }
}

static void
test_ldap_hostile_lengths (void)
{
  static const guint8 four_gb[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x2b };
  static const guint8 indefinite[] = { 0x30, 0x80, 0x02, 0x01, 0x2b, 0x00, 0x00 };
  /* A whole message whose inner OCTET STRING claims more than is left. */
  static const guint8 inner_past[] = { 0x30, 0x0a, 0x02, 0x01, 0x2b, 0x65, 0x05, 0x0a, 0x01, 0x00, 0x04, 0x7f };
  static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
  const struct { const guint8 *data; gsize len; } cases[] = {
    { four_gb, sizeof four_gb }, { indefinite, sizeof indefinite }, { inner_past, sizeof inner_past },
    { (const guint8 *) http, sizeof http - 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint tcp = 0; tcp < 2; tcp++)
      {
        g_autoptr(Run) r = run_new (&pq_ldap_codec, tcp ? PQ_PROTOCOL_TCP : PQ_PROTOCOL_UDP, NULL);

        g_assert_cmpint (run_feed (r, cases[i].data, cases[i].len, tcp), ==, PQ_STEP_MALFORMED);
      }
}

static void
test_ldap_deep_nesting (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) msg = NULL;

  /* An entry whose attribute list nests SEQUENCEs 2000 deep. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GByteArray) outer = g_byte_array_new ();

      pq_ber_wrap (outer, PQ_BER_SEQUENCE, inner);
      g_byte_array_set_size (inner, 0);
      g_byte_array_append (inner, outer->data, outer->len);
    }
  {
    g_autoptr(GByteArray) op = g_byte_array_new ();

    pq_ber_write_string (op, PQ_BER_OCTET_STRING, "");
    g_byte_array_append (op, inner->data, inner->len);
    msg = ldap_message (0x64, op);
  }
  g_assert_cmpint (run_feed (r, msg->data, msg->len, TRUE), ==, PQ_STEP_MALFORMED);
}

/* A peer that sends references without end: the codec stops counting. */
static void
test_ldap_endless (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GByteArray) ref = NULL;
  g_autoptr(GByteArray) op = g_byte_array_new ();
  guint n = 0;

  pq_ber_write_string (op, PQ_BER_OCTET_STRING, "ldap://elsewhere/");
  ref = ldap_message (0x73, op);
  while (run_feed (r, ref->data, ref->len, TRUE) == PQ_STEP_READ)
    g_assert_cmpuint (++n, <, 100);
  g_assert_cmpint (r->step, ==, PQ_STEP_DONE);
  g_assert_nonnull (strstr (r->findings.summary->str, "never ended"));
}

static void
test_ldap_escapes_and_errors (void)
{
  g_autoptr(Run) r = run_new (&pq_ldap_codec, PQ_PROTOCOL_TCP, NULL);
  g_autoptr(GByteArray) entry = ldap_entry (1, 1, "evil\x1b]0;pwned\x07");
  g_autoptr(GByteArray) done = ldap_done (49, "80090308: LdapErr\n");

  run_feed (r, entry->data, entry->len, TRUE);
  g_assert_cmpint (run_feed (r, done->data, done->len, TRUE), ==, PQ_STEP_DONE);
  g_assert_cmpstr (value_of (r, "attr0"), ==, "evil\\x1b]0;pwned\\x07");
  g_assert_cmpstr (value_of (r, "Result"), ==, "49 (invalidCredentials)");
  g_assert_cmpstr (value_of (r, "Message"), ==, "80090308: LdapErr");
}

static void
test_ldap_time (void)
{
  gint64 t = 0;
  gboolean too_far = FALSE;
  g_autofree char *near = NULL;
  g_autofree char *far = NULL;
  g_autofree char *behind = NULL;

  g_assert_true (pq_ldap_parse_time ("20261125140000.0Z", &t));
  g_assert_cmpint (t, ==, 1795615200);
  g_assert_true (pq_ldap_parse_time ("20261125140000Z", &t));
  g_assert_cmpint (t, ==, 1795615200);
  g_assert_true (pq_ldap_parse_time ("20261125150000+0100", &t));
  g_assert_cmpint (t, ==, 1795615200);
  g_assert_false (pq_ldap_parse_time ("2026112514", &t));
  g_assert_false (pq_ldap_parse_time ("20261325140000.0Z", &t));
  g_assert_false (pq_ldap_parse_time ("2026112514000x.0Z", &t));
  g_assert_false (pq_ldap_parse_time ("20261125140000.0", &t));

  near = pq_ldap_describe_skew (42, &too_far);
  g_assert_false (too_far);
  g_assert_cmpstr (near, ==, "42 s ahead of this computer");
  far = pq_ldap_describe_skew (301, &too_far);
  g_assert_true (too_far);
  g_assert_true (g_str_has_prefix (far, "5 min 1 s ahead"));
  {
    g_autofree char *hours = pq_ldap_describe_skew (-7290, &too_far);
    g_autofree char *limit = NULL;

    g_assert_true (g_str_has_prefix (hours, "2 h 1 min behind"));
    limit = pq_ldap_describe_skew (300, &too_far);   /* 5 minutes exactly: still fine */
    g_assert_false (too_far);
  }
  g_assert_nonnull (strstr (far, "Kerberos authentication will fail"));
  {
    g_autofree char *t1 = pq_snmp_format_timeticks (0);
    g_autofree char *t2 = pq_snmp_format_timeticks (8640000 + 360000 + 6000 + 101);

    g_assert_cmpstr (t1, ==, "0 days, 0 hours, 0 minutes, 0.00 seconds");
    g_assert_cmpstr (t2, ==, "1 day, 1 hour, 1 minute, 1.01 seconds");
  }
  behind = pq_ldap_describe_skew (-3 * 86400, &too_far);
  g_assert_true (too_far);
  g_assert_true (g_str_has_prefix (behind, "3 days 0 h behind"));
}

/* ------------------------------------------------------------------ */
/* SNMP                                                                */

typedef struct
{
  gint64     version;
  char      *community;
  gint64     request_id;
  GPtrArray *oids;
} SnmpRequest;

static void
snmp_request_free (SnmpRequest *q)
{
  g_free (q->community);
  g_ptr_array_unref (q->oids);
  g_free (q);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SnmpRequest, snmp_request_free)

static SnmpRequest *
parse_snmp_request (GByteArray *request)
{
  SnmpRequest *q = g_new0 (SnmpRequest, 1);
  PqBerReader top, msg, pdu, list, vb;
  PqBerTlv tlv;
  gint64 v;

  q->oids = g_ptr_array_new_with_free_func (g_free);
  pq_ber_reader_init (&top, request->data, request->len);
  g_assert_true (pq_ber_enter (&top, PQ_BER_SEQUENCE, &msg));
  g_assert_true (pq_ber_read_int (&msg, PQ_BER_INTEGER, &q->version));
  g_assert_true (pq_ber_read_tag (&msg, PQ_BER_OCTET_STRING, &tlv));
  q->community = g_strndup ((const char *) tlv.value, tlv.len);
  g_assert_true (pq_ber_enter (&msg, 0xa0, &pdu));
  g_assert_true (pq_ber_read_int (&pdu, PQ_BER_INTEGER, &q->request_id));
  g_assert_true (pq_ber_read_int (&pdu, PQ_BER_INTEGER, &v));
  g_assert_true (pq_ber_read_int (&pdu, PQ_BER_INTEGER, &v));
  g_assert_true (pq_ber_enter (&pdu, PQ_BER_SEQUENCE, &list));
  while (!pq_ber_at_end (&list))
    {
      g_assert_true (pq_ber_enter (&list, PQ_BER_SEQUENCE, &vb));
      g_assert_true (pq_ber_read_tag (&vb, PQ_BER_OID, &tlv));
      g_ptr_array_add (q->oids, pq_ber_oid_to_string (tlv.value, tlv.len));
      g_assert_true (pq_ber_read_tag (&vb, PQ_BER_NULL, &tlv));
    }
  g_assert_false (list.failed);
  return q;
}

static void
test_snmp_request (void)
{
  g_autoptr(Run) r = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, "s3cret community");
  g_autoptr(SnmpRequest) q = parse_snmp_request (r->request);

  g_assert_cmpint (q->version, ==, 0);   /* v1 first, as PortQry */
  g_assert_cmpstr (q->community, ==, "s3cret community");
  g_assert_cmpint (q->request_id, ==, 43);
  g_assert_cmpuint (q->oids->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (q->oids, 0), ==, "1.3.6.1.2.1.1.1.0");
  g_assert_cmpstr (g_ptr_array_index (q->oids, 5), ==, "1.3.6.1.2.1.1.6.0");
  g_assert_cmpstr (pq_snmp_codec.silence_hint, ==, "No reply; wrong community?");
}

static void
test_snmp_netsnmp (void)
{
  g_autoptr(Run) r = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  guint chunk;
  g_autoptr(GBytes) seed = load_seed ("snmp/netsnmp", &chunk);
  const guint8 *data = g_bytes_get_data (seed, NULL);
  PqDetail *group;
  g_autofree char *descr = NULL;
  g_autofree char *uptime = NULL;

  /* The v1 answer, then the same question as v2c. */
  g_assert_cmpint (run_feed (r, data, chunk, FALSE), ==, PQ_STEP_SEND);
  {
    g_autoptr(SnmpRequest) q = parse_snmp_request (r->request);

    g_assert_cmpint (q->version, ==, 1);
    g_assert_cmpint (q->request_id, ==, 44);
  }
  g_assert_cmpstr (value_of (r, "Versions answered"), ==, "v1");
  g_assert_cmpint (run_feed (r, data + chunk, chunk, FALSE), ==, PQ_STEP_DONE);
  g_assert_cmpstr (value_of (r, "Versions answered"), ==, "v1, v2c");
  g_assert_cmpstr (value_of (r, "Community"), ==, "public");
  group = find (r, "System group");
  g_assert_cmpuint (n_children (group), ==, 6);
  descr = child_value (group, 0);
  g_assert_cmpstr (descr, ==, "STRING: PortQry test rig SNMP agent");
  uptime = child_value (group, 2);
  g_assert_true (g_str_has_prefix (uptime, "Timeticks: ("));
  g_assert_nonnull (strstr (uptime, " hours, "));
  g_assert_cmpstr (r->findings.summary->str, ==,
                   "SNMP v1 and v2c agent answered community \"public\": testsrv (PortQry test rig SNMP agent).");
}

/* A GetResponse with @status/@index and the varbinds given as (tag, bytes). */
static GByteArray *
snmp_response (gint64        version,
               gint64        id,
               gint64        status,
               gint64        index,
               guint         n_varbinds,
               const char   *oid,
               guint8        tag,
               const guint8 *value,
               gsize         len)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) pdu = g_byte_array_new ();
  g_autoptr(GByteArray) list = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < n_varbinds; i++)
    {
      g_autoptr(GByteArray) vb = g_byte_array_new ();

      pq_ber_write_oid (vb, oid);
      pq_ber_write_tlv (vb, tag, value, len);
      pq_ber_wrap (list, PQ_BER_SEQUENCE, vb);
    }
  pq_ber_write_int (pdu, PQ_BER_INTEGER, id);
  pq_ber_write_int (pdu, PQ_BER_INTEGER, status);
  pq_ber_write_int (pdu, PQ_BER_INTEGER, index);
  pq_ber_wrap (pdu, PQ_BER_SEQUENCE, list);
  pq_ber_write_int (msg, PQ_BER_INTEGER, version);
  pq_ber_write_string (msg, PQ_BER_OCTET_STRING, "public");
  pq_ber_wrap (msg, 0xa2, pdu);
  pq_ber_wrap (out, PQ_BER_SEQUENCE, msg);
  return out;
}

/* v1's noSuchName: the object is dropped and the rest asked again. */
static void
test_snmp_no_such_name (void)
{
  g_autoptr(Run) r = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autoptr(GByteArray) err = snmp_response (0, 43, 2, 2, 6, "1.3.6.1.2.1.1.2.0", PQ_BER_NULL, NULL, 0);
  g_autoptr(GByteArray) stray = snmp_response (0, 7, 0, 0, 1, "1.3.6.1.2.1.1.2.0", PQ_BER_NULL, NULL, 0);
  static const guint8 ticks[] = { 0x01, 0x00, 0x00, 0x00 };   /* 16777216 hundredths */
  g_autoptr(GByteArray) ok = snmp_response (0, 44, 0, 0, 1, "1.3.6.1.2.1.1.3.0", 0x43, ticks, 4);
  g_autoptr(GByteArray) v2 = snmp_response (1, 45, 0, 0, 1, "1.3.6.1.2.1.1.7.0", 0x80, NULL, 0);
  g_autofree char *uptime = NULL;

  g_assert_cmpint (run_feed (r, stray->data, stray->len, FALSE), ==, PQ_STEP_READ);
  g_assert_cmpint (run_feed (r, err->data, err->len, FALSE), ==, PQ_STEP_SEND);
  {
    g_autoptr(SnmpRequest) q = parse_snmp_request (r->request);

    g_assert_cmpint (q->version, ==, 0);
    g_assert_cmpuint (q->oids->len, ==, 5);
    g_assert_cmpstr (g_ptr_array_index (q->oids, 1), ==, "1.3.6.1.2.1.1.3.0");
  }
  g_assert_cmpint (run_feed (r, ok->data, ok->len, FALSE), ==, PQ_STEP_SEND);
  uptime = child_value (find (r, "System group"), 0);
  g_assert_cmpstr (uptime, ==, "Timeticks: (16777216) 1 day, 22 hours, 36 minutes, 12.16 seconds");
  g_assert_cmpint (run_feed (r, v2->data, v2->len, FALSE), ==, PQ_STEP_DONE);
}

static void
test_snmp_hostile (void)
{
  static const guint8 four_gb[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00 };
  static const guint8 garbage[] = "\x00\x01\x02 not snmp";
  g_autoptr(GByteArray) many = snmp_response (0, 43, 0, 0, 2000, "1.3.6.1.2.1.1.1.0", PQ_BER_OCTET_STRING,
                                              (const guint8 *) "\x1b[2J", 4);
  g_autoptr(GByteArray) bad_ticks = snmp_response (0, 43, 0, 0, 1, "1.3.6.1.2.1.1.3.0", 0x43,
                                                   (const guint8 *) "\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9);
  g_autoptr(GByteArray) gen_err = snmp_response (0, 43, 5, 0, 0, "1.3", PQ_BER_NULL, NULL, 0);
  g_autoptr(Run) r1 = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autoptr(Run) r2 = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autoptr(Run) r3 = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autoptr(Run) r4 = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autoptr(Run) r5 = run_new (&pq_snmp_codec, PQ_PROTOCOL_UDP, NULL);
  g_autofree char *first = NULL;

  g_assert_cmpint (run_feed (r1, four_gb, sizeof four_gb, FALSE), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_feed (r2, garbage, sizeof garbage - 1, FALSE), ==, PQ_STEP_MALFORMED);
  /* 2000 varbinds: 16 kept; the escape sequence neutralised. */
  g_assert_cmpint (run_feed (r3, many->data, many->len, FALSE), ==, PQ_STEP_SEND);
  g_assert_cmpuint (n_children (find (r3, "System group")), ==, 16);
  first = child_value (find (r3, "System group"), 0);
  g_assert_cmpstr (first, ==, "STRING: \\x1b[2J");
  g_assert_cmpint (run_feed (r4, bad_ticks->data, bad_ticks->len, FALSE), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_feed (r5, gen_err->data, gen_err->len, FALSE), ==, PQ_STEP_SEND);
  g_assert_cmpstr (value_of (r5, "Error"), ==, "genErr (5)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ber/frame", test_ber_frame);
  g_test_add_func ("/ber/reader", test_ber_reader);
  g_test_add_func ("/ber/depth", test_ber_depth);
  g_test_add_func ("/ber/oid", test_ber_oid);
  g_test_add_func ("/ber/int-roundtrip", test_ber_int_roundtrip);
  g_test_add_func ("/ldap/request", test_ldap_request);
  g_test_add_func ("/ldap/samba-tcp", test_ldap_samba_tcp);
  g_test_add_func ("/ldap/openldap", test_ldap_openldap);
  g_test_add_func ("/ldap/cldap-samba", test_cldap_samba);
  g_test_add_func ("/ldap/truncated", test_ldap_truncated);
  g_test_add_func ("/ldap/huge-counts", test_ldap_huge_counts);
  g_test_add_func ("/ldap/hostile-lengths", test_ldap_hostile_lengths);
  g_test_add_func ("/ldap/deep-nesting", test_ldap_deep_nesting);
  g_test_add_func ("/ldap/endless", test_ldap_endless);
  g_test_add_func ("/ldap/escapes-and-errors", test_ldap_escapes_and_errors);
  g_test_add_func ("/ldap/time", test_ldap_time);
  g_test_add_func ("/snmp/request", test_snmp_request);
  g_test_add_func ("/snmp/netsnmp", test_snmp_netsnmp);
  g_test_add_func ("/snmp/no-such-name", test_snmp_no_such_name);
  g_test_add_func ("/snmp/hostile", test_snmp_hostile);
  return g_test_run ();
}
