/* test-epm.c: the endpoint mapper codec on captured Samba replies and on
 * hostile ones built here
 *
 * The captures (seeds/epm/, made with epm-capture.py) are what Samba's two
 * endpoint mappers sent: the AD DC (53 entries, then "no more" in a reply
 * of its own) and samba-dcerpcd (38 entries and "no more" in the same
 * reply, or 20 + 18 when asked for 20 at a time). The first byte of each
 * file is the fuzzer's chunk size and is skipped here.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pq-epm.h"

#define NIL_UUID "00000000-0000-0000-0000-000000000000"
#define EPM_IF   "e1af8308-5d1f-11c9-91a4-08002b14a0fa"
#define SAMR_IF  "12345778-1234-abcd-ef00-0123456789ac"

/* ------------------------------------------------------------------ */
/* Driving the codec as the scan engine does                           */

typedef struct
{
  PqProbeFindings  findings;
  GPtrArray       *requests;   /* GByteArray: what the codec sent */
  PqStep           last;
  gpointer         state;
  const PqProbeCodec *codec;
} Run;

static void
run_init (Run                *run,
          const PqProbeCodec *codec,
          PqProtocol          protocol)
{
  PqProbeParams params = { protocol, 135, "192.0.2.1", "public", 7 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  pq_probe_findings_init (&run->findings);
  run->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  run->codec = codec;
  run->state = g_malloc0 (codec->state_size);
  codec->init (run->state, &params);
  run->last = codec->step (run->state, NULL, 0, &consumed, out, &run->findings);
  g_assert_cmpint (run->last, ==, PQ_STEP_SEND);
  g_ptr_array_add (run->requests, g_steal_pointer (&out));
}

static void
run_clear (Run *run)
{
  run->codec->clear (run->state);
  g_free (run->state);
  pq_probe_findings_clear (&run->findings);
  g_ptr_array_unref (run->requests);
}

/* TCP: the peer's bytes arrive @chunk at a time; the codec sees every byte
 * it has not consumed yet, and stops at DONE or MALFORMED or when the
 * bytes (or the engine's step limit) run out. */
static void
run_stream (Run          *run,
            const guint8 *data,
            gsize         len,
            gsize         chunk)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  gsize pos = 0;
  guint max = run->codec->max_steps;

  /* After a SEND, bytes already here are the reply (the test has them
   * all at once): they are read before more arrive. */
  while ((pos < len || (run->last == PQ_STEP_SEND && in->len > 0)) &&
         (run->last == PQ_STEP_SEND || run->last == PQ_STEP_READ))
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize n = MIN (chunk, len - pos), consumed = 0;

      g_byte_array_append (in, data + pos, (guint) n);
      pos += n;
      run->last = run->codec->step (run->state, in->data, in->len, &consumed, out, &run->findings);
      g_assert_cmpuint (consumed, <=, in->len);
      g_byte_array_remove_range (in, 0, (guint) consumed);
      if (run->last == PQ_STEP_SEND)
        {
          g_assert_cmpuint (out->len, >, 0);
          g_ptr_array_add (run->requests, g_steal_pointer (&out));
          if (run->requests->len > max)
            break;   /* the engine would end the conversation here */
        }
    }
}

static guint
count_kind (Run        *run,
            const char *kind)
{
  guint n = 0;

  for (guint i = 0; i < run->findings.details->len; i++)
    n += g_str_equal (pq_detail_get_kind (g_ptr_array_index (run->findings.details, i)), kind);
  return n;
}

static PqDetail *
find_kind (Run        *run,
           const char *kind)
{
  for (guint i = 0; i < run->findings.details->len; i++)
    if (g_str_equal (pq_detail_get_kind (g_ptr_array_index (run->findings.details, i)), kind))
      return g_ptr_array_index (run->findings.details, i);
  return NULL;
}

/* The endpoint whose UUID line is @uuid_line and binding is @binding. */
static gboolean
has_endpoint (Run        *run,
              const char *uuid_line,
              const char *binding)
{
  for (guint i = 0; i < run->findings.details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (run->findings.details, i);
      g_autoptr(PqDetail) child = NULL;

      if (!g_str_equal (pq_detail_get_kind (d), "rpc-endpoint") ||
          !g_str_equal (pq_detail_get_value (d), uuid_line))
        continue;
      child = g_list_model_get_item (pq_detail_get_children (d), 0);
      if (g_str_equal (pq_detail_get_value (child), binding))
        return TRUE;
    }
  return FALSE;
}

static const char *
total (Run *run)
{
  PqDetail *d = find_kind (run, "rpc-endpoint-count");

  return d ? pq_detail_get_value (d) : NULL;
}

static GBytes *
load_seed (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", "epm", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
run_seed (Run        *run,
          const char *name,
          gsize       chunk)
{
  g_autoptr(GBytes) seed = load_seed (name);
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);

  run_init (run, &pq_epm_tcp_codec, PQ_PROTOCOL_TCP);
  run_stream (run, data + 1, len - 1, chunk);
}

/* ------------------------------------------------------------------ */
/* Building replies (little- or big-endian)                            */

typedef struct
{
  GByteArray *b;
  gboolean    big;
  gboolean    packed;          /* towers: no NDR alignment */
} Out;

static void
o_u8 (Out    *o,
      guint8  v)
{
  g_byte_array_append (o->b, &v, 1);
}

static void
o_align (Out  *o,
         guint n)
{
  while (!o->packed && o->b->len % n)
    o_u8 (o, 0);
}

static void
o_u16 (Out     *o,
       guint16  v)
{
  o_align (o, 2);
  o_u8 (o, o->big ? v >> 8 : v & 0xff);
  o_u8 (o, o->big ? v & 0xff : v >> 8);
}

static void
o_u32 (Out     *o,
       guint32  v)
{
  o_align (o, 4);
  for (guint i = 0; i < 4; i++)
    o_u8 (o, (v >> (o->big ? 24 - 8 * i : 8 * i)) & 0xff);
}

static void
o_bytes (Out          *o,
         const void   *p,
         gsize         n)
{
  g_byte_array_append (o->b, p, (guint) n);
}

static void
o_uuid (Out        *o,
        const char *text)
{
  guint a, b, c, d[8];

  g_assert_cmpint (sscanf (text, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &a, &b, &c,
                           &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7]), ==, 11);
  o_u32 (o, a);
  o_u16 (o, (guint16) b);
  o_u16 (o, (guint16) c);
  for (guint i = 0; i < 8; i++)
    o_u8 (o, (guint8) d[i]);
}

/* A tower for ncacn_ip_tcp:<ip>[port]; towers are little-endian always. */
static GByteArray *
tcp_tower (const char *iface,
           guint16     vmajor,
           guint16     port)
{
  Out t = { g_byte_array_new (), FALSE, TRUE };

  o_u16 (&t, 5);
  o_u16 (&t, 19); o_u8 (&t, 0x0d); o_uuid (&t, iface); o_u16 (&t, vmajor);
  o_u16 (&t, 2); o_u16 (&t, 0);
  o_u16 (&t, 19); o_u8 (&t, 0x0d); o_uuid (&t, "8a885d04-1ceb-11c9-9fe8-08002b104860"); o_u16 (&t, 2);
  o_u16 (&t, 2); o_u16 (&t, 0);
  o_u16 (&t, 1); o_u8 (&t, 0x0b); o_u16 (&t, 2); o_u16 (&t, 0);
  o_u16 (&t, 1); o_u8 (&t, 0x07); o_u16 (&t, 2); o_u8 (&t, port >> 8); o_u8 (&t, port & 0xff);
  o_u16 (&t, 1); o_u8 (&t, 0x09); o_u16 (&t, 4);
  o_u8 (&t, 192); o_u8 (&t, 0); o_u8 (&t, 2); o_u8 (&t, 1);
  return t.b;
}

typedef struct
{
  guint32     num_ents;        /* as claimed; the entries below are written */
  guint       n;
  const char *annotation;
  GByteArray *tower;           /* the same tower for every entry; NULL: none */
  guint32     tower_len;       /* 0: the tower's real length */
  guint32     status;
  guint8      handle;          /* 0: null handle */
} Reply;

/* The NDR data of an ept_lookup reply. */
static GByteArray *
lookup_stub (gboolean     big,
             const Reply *r)
{
  Out o = { g_byte_array_new (), big };
  guint8 handle[20] = { 0 };

  memset (handle + 4, r->handle, 16);
  o_bytes (&o, handle, 20);
  o_u32 (&o, r->num_ents);
  o_u32 (&o, r->num_ents);
  o_u32 (&o, 0);
  o_u32 (&o, r->num_ents);
  for (guint i = 0; i < r->n; i++)
    {
      gsize alen = strlen (r->annotation) + 1;

      o_uuid (&o, NIL_UUID);
      o_u32 (&o, r->tower ? 0x20000 + i : 0);
      o_u32 (&o, 0);
      o_u32 (&o, (guint32) alen);
      o_bytes (&o, r->annotation, alen);
    }
  for (guint i = 0; r->tower && i < r->n; i++)
    {
      guint32 len = r->tower_len ? r->tower_len : r->tower->len;

      o_u32 (&o, len);
      o_u32 (&o, len);
      o_bytes (&o, r->tower->data, r->tower->len);
    }
  o_u32 (&o, r->status);
  return o.b;
}

static void
co_header (Out     *o,
           guint8   ptype,
           guint8   flags,
           guint16  frag_len,
           guint32  call_id)
{
  o_u8 (o, 5); o_u8 (o, 0); o_u8 (o, ptype); o_u8 (o, flags);
  o_u8 (o, o->big ? 0x00 : 0x10); o_u8 (o, 0); o_u8 (o, 0); o_u8 (o, 0);
  o_u16 (o, frag_len);
  o_u16 (o, 0);
  o_u32 (o, call_id);
}

static void
add_bind_ack (GByteArray *stream,
              gboolean    big,
              guint16     result,
              guint16     reason)
{
  Out o = { g_byte_array_new (), big };

  co_header (&o, 12, 3, 0, 1);
  o_u16 (&o, 5840); o_u16 (&o, 5840); o_u32 (&o, 0x1234);
  o_u16 (&o, 4); o_bytes (&o, "135", 4);
  o_align (&o, 4);
  o_u8 (&o, 1); o_u8 (&o, 0); o_u16 (&o, 0);
  o_u16 (&o, result); o_u16 (&o, reason);
  o_uuid (&o, "8a885d04-1ceb-11c9-9fe8-08002b104860"); o_u32 (&o, 2);
  o.b->data[big ? 8 : 9] = o.b->len >> 8;
  o.b->data[big ? 9 : 8] = o.b->len & 0xff;
  g_byte_array_append (stream, o.b->data, o.b->len);
  g_byte_array_unref (o.b);
}

/* The reply to call @call_id, in fragments of at most @frag bytes of data. */
static void
add_response (GByteArray  *stream,
              gboolean     big,
              guint32      call_id,
              GByteArray  *stub,
              gsize        frag)
{
  for (gsize pos = 0; pos < stub->len || pos == 0; )
    {
      gsize n = MIN (frag, stub->len - pos);
      guint8 flags = (pos == 0 ? 1 : 0) | (pos + n == stub->len ? 2 : 0);
      Out o = { g_byte_array_new (), big };

      co_header (&o, 2, flags, (guint16) (24 + n), call_id);
      o_u32 (&o, (guint32) (stub->len - pos)); o_u16 (&o, 0); o_u8 (&o, 0); o_u8 (&o, 0);
      o_bytes (&o, stub->data + pos, n);
      g_byte_array_append (stream, o.b->data, o.b->len);
      g_byte_array_unref (o.b);
      pos += n;
      if (n == 0)
        break;
    }
}

static void
add_reply (GByteArray  *stream,
           gboolean     big,
           guint32      call_id,
           const Reply *r)
{
  g_autoptr(GByteArray) stub = lookup_stub (big, r);

  add_response (stream, big, call_id, stub, 4096);
}

static void
run_bytes (Run        *run,
           GByteArray *stream,
           gsize       chunk)
{
  run_init (run, &pq_epm_tcp_codec, PQ_PROTOCOL_TCP);
  run_stream (run, stream->data, stream->len, chunk);
}

/* ------------------------------------------------------------------ */
/* Real servers' replies                                               */

static const gsize chunks[] = { 1, 7, 100, 1460, 65536 };

static void
test_samba_ad_dc (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      Run run;

      run_seed (&run, "samba-ad-dc", chunks[c]);
      g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
      g_assert_cmpuint (count_kind (&run, "rpc-endpoint"), ==, 53);
      g_assert_cmpstr (total (&run), ==, "53");
      g_assert_nonnull (strstr (run.findings.summary->str,
                                "listed 53 endpoints (24 ncacn_np, 16 ncacn_ip_tcp, 11 ncalrpc, 2 ncacn_http)"));
      g_assert_true (has_endpoint (&run, EPM_IF " epmapper", "ncacn_ip_tcp:0.0.0.0[135]"));
      g_assert_true (has_endpoint (&run, "12345678-1234-abcd-ef00-01234567cffb netlogon", "ncacn_ip_tcp:0.0.0.0[49152]"));
      g_assert_true (has_endpoint (&run, "50abc2a4-574d-40b3-9d66-ee4fd5fba076 dnsserver", "ncacn_np:[\\pipe\\dnsserver]"));
      g_assert_true (has_endpoint (&run, EPM_IF " epmapper", "ncacn_http:0.0.0.0[593]"));
      g_assert_true (has_endpoint (&run, SAMR_IF " samr", "ncalrpc:[DEFAULT]"));
      /* bind, then ept_lookup twice: the second says "no more" */
      g_assert_cmpuint (run.requests->len, ==, 3);
      run_clear (&run);
    }
}

/* samba-dcerpcd sends its last entries with ept_s_not_registered. */
static void
test_samba_dcerpcd (void)
{
  const char *seeds[] = { "samba-dcerpcd", "samba-dcerpcd-20" };

  for (guint s = 0; s < G_N_ELEMENTS (seeds); s++)
    for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
      {
        Run run;

        run_seed (&run, seeds[s], chunks[c]);
        g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
        g_assert_cmpuint (count_kind (&run, "rpc-endpoint"), ==, 38);
        g_assert_cmpstr (total (&run), ==, "38");
        g_assert_true (has_endpoint (&run, "4fc742e0-4a10-11cf-8273-00aa004ae673 netdfs", "ncacn_np:[\\pipe\\netdfs]"));
        g_assert_true (has_endpoint (&run, SAMR_IF " samr", "ncacn_ip_tcp:10.200.77.2[49153]"));
        /* the last entry, sent with "no more" */
        g_assert_true (has_endpoint (&run, "4fc742e0-4a10-11cf-8273-00aa004ae673 netdfs", "ncalrpc:[rpcd_classic]"));
        run_clear (&run);
      }
}

static void
test_samba_ad_dc_20 (void)
{
  Run run;

  run_seed (&run, "samba-ad-dc-20", 1460);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpstr (total (&run), ==, "53");
  g_assert_cmpuint (run.requests->len, ==, 5);
  run_clear (&run);
}

/* The requests: a bind to the endpoint mapper v3.0 with NDR, then
 * ept_lookup (opnum 2) carrying the handle the server sent back. */
static void
test_requests (void)
{
  static const guint8 epm[16] = { 0x08, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11,
                                  0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa };
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Reply first = { 1, 1, "a", NULL, 0, 0, 0x77 };
  Reply last = { 0, 0, "", NULL, 0, PQ_EPM_NOT_REGISTERED, 0 };
  GByteArray *bind, *lookup;
  Run run;

  first.tower = tcp_tower (SAMR_IF, 1, 49152);
  add_bind_ack (stream, FALSE, 0, 0);
  add_reply (stream, FALSE, 2, &first);
  add_reply (stream, FALSE, 3, &last);
  run_bytes (&run, stream, 65536);
  g_assert_cmpuint (run.requests->len, ==, 3);
  bind = g_ptr_array_index (run.requests, 0);
  g_assert_cmpuint (bind->len, ==, 72);
  g_assert_cmpuint (bind->data[2], ==, 11);
  g_assert_cmpuint (bind->data[8], ==, 72);
  g_assert_cmpmem (bind->data + 32, 16, epm, 16);
  g_assert_cmpuint (bind->data[48], ==, 3);
  lookup = g_ptr_array_index (run.requests, 2);
  g_assert_cmpuint (lookup->len, ==, 24 + 40);
  g_assert_cmpuint (lookup->data[2], ==, 0);
  g_assert_cmpuint (lookup->data[12], ==, 3);         /* call id */
  g_assert_cmpuint (lookup->data[22], ==, 2);         /* opnum */
  g_assert_cmpuint (lookup->data[24 + 12], ==, 1);    /* vers_option */
  g_assert_cmpuint (lookup->data[24 + 20], ==, 0x77); /* the handle, sent back */
  g_assert_true (has_endpoint (&run, SAMR_IF " a", "ncacn_ip_tcp:192.0.2.1[49152]"));
  g_assert_cmpstr (total (&run), ==, "1");
  g_byte_array_unref (first.tower);
  run_clear (&run);
}

/* A server using big-endian data representation is read as such. */
static void
test_big_endian (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Reply r = { 2, 2, "big", NULL, 0, PQ_EPM_NOT_REGISTERED, 1 };
  Run run;

  r.tower = tcp_tower (SAMR_IF, 1, 1025);
  add_bind_ack (stream, TRUE, 0, 0);
  add_reply (stream, TRUE, 2, &r);
  run_bytes (&run, stream, 100);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpstr (total (&run), ==, "2");
  g_assert_true (has_endpoint (&run, SAMR_IF " big", "ncacn_ip_tcp:192.0.2.1[1025]"));
  g_byte_array_unref (r.tower);
  run_clear (&run);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

static void
test_bind_nak (void)
{
  static const guint8 nak[] = { 5, 0, 13, 3, 0x10, 0, 0, 0, 26, 0, 0, 0, 1, 0, 0, 0,
                                4, 0, 1, 5, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  PqDetail *d;
  Run run;

  g_byte_array_append (stream, nak, sizeof nak);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  d = find_kind (&run, "rpc-bind");
  g_assert_nonnull (d);
  g_assert_cmpstr (pq_detail_get_label (d), ==, "Bind rejected");
  g_assert_cmpstr (pq_detail_get_value (d), ==, "protocol version not supported (4)");
  g_assert_nonnull (strstr (run.findings.summary->str, "rejected the bind"));
  run_clear (&run);
}

static void
test_bind_refused_result (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Run run;

  add_bind_ack (stream, FALSE, 2, 1);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpstr (pq_detail_get_value (find_kind (&run, "rpc-bind")), ==, "abstract syntax not supported (1)");
  run_clear (&run);
}

static void
test_fault (void)
{
  static const guint8 fault[] = { 5, 0, 3, 3, 0x10, 0, 0, 0, 32, 0, 0, 0, 2, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x01, 0x1c, 0, 0, 0, 0 };
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Run run;

  add_bind_ack (stream, FALSE, 0, 0);
  g_byte_array_append (stream, fault, sizeof fault);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpstr (pq_detail_get_value (find_kind (&run, "rpc-fault")), ==,
                   "0x1c010002 (nca_s_op_rng_error, unknown operation)");
  g_assert_cmpstr (run.findings.summary->str, ==,
                   "The endpoint mapper answered with a fault: 0x1c010002 (nca_s_op_rng_error, unknown operation).");
  g_assert_null (total (&run));
  run_clear (&run);
}

static void
test_empty_and_failed (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GByteArray) stream2 = g_byte_array_new ();
  Reply none = { 0, 0, "", NULL, 0, PQ_EPM_NOT_REGISTERED, 0 };
  Reply one = { 1, 1, "x", NULL, 0, 0x16c9a0d8, 5 };
  Run run;

  add_bind_ack (stream, FALSE, 0, 0);
  add_reply (stream, FALSE, 2, &none);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpstr (total (&run), ==, "0");
  g_assert_nonnull (strstr (run.findings.summary->str, "listed 0 endpoints."));
  run_clear (&run);

  /* An entry without a tower, then a failure status: the entry is kept. */
  add_bind_ack (stream2, FALSE, 0, 0);
  add_reply (stream2, FALSE, 2, &one);
  run_bytes (&run, stream2, 65536);
  g_assert_cmpstr (total (&run), ==, "1");
  g_assert_true (has_endpoint (&run, NIL_UUID " x", "no tower"));
  g_assert_nonnull (strstr (run.findings.summary->str, "failed with status 0x16c9a0d8 (ept_s_cant_perform_op)"));
  run_clear (&run);
}

/* ------------------------------------------------------------------ */
/* Hostile replies                                                     */

/* A reply cut anywhere never crashes and never claims a whole list. */
static void
test_truncated (void)
{
  g_autoptr(GBytes) seed = load_seed ("samba-ad-dc");
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);

  for (gsize cut = 0; cut < len - 1; cut += (cut < 200 ? 1 : 37))
    {
      Run run;

      run_init (&run, &pq_epm_tcp_codec, PQ_PROTOCOL_TCP);
      run_stream (&run, data + 1, cut, 1460);
      g_assert_cmpint (run.last, !=, PQ_STEP_DONE);
      g_assert_null (total (&run));
      run_clear (&run);
    }
}

static void
test_frag_length (void)
{
  static const guint8 past_end[] = { 5, 0, 12, 3, 0x10, 0, 0, 0, 0xa0, 0x0f, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4 };
  static const guint8 too_short[] = { 5, 0, 12, 3, 0x10, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0 };
  static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
  g_autoptr(GByteArray) a = g_byte_array_new ();
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) c = g_byte_array_new ();
  Run run;

  g_byte_array_append (a, past_end, sizeof past_end);
  run_bytes (&run, a, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_READ);
  g_assert_nonnull (strstr (run.findings.summary->str, "stopped part-way: 20 of 4000 bytes"));
  run_clear (&run);

  g_byte_array_append (b, too_short, sizeof too_short);
  run_bytes (&run, b, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "shorter than the header"));
  run_clear (&run);

  g_byte_array_append (c, (const guint8 *) http, sizeof http - 1);
  run_bytes (&run, c, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "not DCE/RPC version 5"));
  run_clear (&run);
}

static void
test_huge_counts (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Reply r = { 0x7fffffff, 2, "x", NULL, 0, 0, 1 };
  Run run;

  add_bind_ack (stream, FALSE, 0, 0);
  add_reply (stream, FALSE, 2, &r);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "claims more entries than its bytes can hold"));
  run_clear (&run);
}

static void
test_tower_past_end (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GByteArray) stream2 = g_byte_array_new ();
  Reply r = { 1, 1, "x", NULL, 5000, 0, 1 };
  Reply bad_floor = { 1, 1, "x", NULL, 0, PQ_EPM_NOT_REGISTERED, 1 };
  Run run;

  r.tower = tcp_tower (SAMR_IF, 1, 1);
  add_bind_ack (stream, FALSE, 0, 0);
  add_reply (stream, FALSE, 2, &r);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "tower's length runs past the end"));
  run_clear (&run);

  /* A floor whose length runs past the end of its tower */
  bad_floor.tower = tcp_tower (SAMR_IF, 1, 1);
  bad_floor.tower->data[2] = 0xff;
  add_bind_ack (stream2, FALSE, 0, 0);
  add_reply (stream2, FALSE, 2, &bad_floor);
  run_bytes (&run, stream2, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "floors run past the end of the tower"));
  run_clear (&run);
  g_byte_array_unref (r.tower);
  g_byte_array_unref (bad_floor.tower);
}

/* A server that never says "no more" is asked a bounded number of times. */
static void
test_never_ends (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Reply r = { 1, 1, "again", NULL, 0, 0, 9 };
  Run run;

  r.tower = tcp_tower (SAMR_IF, 1, 7);
  add_bind_ack (stream, FALSE, 0, 0);
  for (guint call = 2; call < 200; call++)
    add_reply (stream, FALSE, call, &r);
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_DONE);
  g_assert_cmpuint (run.requests->len, <=, pq_epm_tcp_codec.max_steps);
  g_assert_cmpstr (total (&run), ==, "40");
  g_assert_nonnull (strstr (run.findings.summary->str,
                            "The endpoint mapper kept returning entries; stopped after 40 requests."));
  g_byte_array_unref (r.tower);
  run_clear (&run);
}

/* Fragments without a last one: the reply is not gathered without end. */
static void
test_endless_fragments (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GByteArray) fill = g_byte_array_new ();
  Run run;

  g_byte_array_set_size (fill, 5000);
  memset (fill->data, 'A', fill->len);
  add_bind_ack (stream, FALSE, 0, 0);
  for (guint i = 0; i < 200; i++)
    {
      Out o = { g_byte_array_new (), FALSE };

      co_header (&o, 2, i == 0 ? 1 : 0, 24 + 5000, 2);
      o_u32 (&o, 0); o_u32 (&o, 0);
      o_bytes (&o, fill->data, fill->len);
      g_byte_array_append (stream, o.b->data, o.b->len);
      g_byte_array_unref (o.b);
    }
  run_bytes (&run, stream, 65536);
  g_assert_cmpint (run.last, ==, PQ_STEP_MALFORMED);
  g_assert_nonnull (strstr (run.findings.summary->str, "grows past the limit"));
  run_clear (&run);
}

/* Annotations and names from the network cannot carry control characters. */
static void
test_escapes (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  Reply r = { 1, 1, "evil\x1b]0;pwned\x07\x1b[2J", NULL, 0, PQ_EPM_NOT_REGISTERED, 1 };
  Run run;

  r.tower = tcp_tower (SAMR_IF, 1, 7);
  add_bind_ack (stream, FALSE, 0, 0);
  add_reply (stream, FALSE, 2, &r);
  run_bytes (&run, stream, 65536);
  g_assert_true (has_endpoint (&run, SAMR_IF " evil\\x1b]0;pwned\\x07\\x1b[2J", "ncacn_ip_tcp:192.0.2.1[7]"));
  g_byte_array_unref (r.tower);
  run_clear (&run);
}

/* ------------------------------------------------------------------ */
/* UDP                                                                 */

/* The connectionless reply to @request carrying @stub. */
static GByteArray *
cl_reply (GByteArray *request,
          guint8      ptype,
          GByteArray *stub)
{
  GByteArray *b = g_byte_array_new ();
  guint8 head[80];

  g_assert_cmpuint (request->len, >=, 80);
  memcpy (head, request->data, 80);
  head[1] = ptype;
  head[2] = 0;
  head[56] = 0x42;                 /* server boot time */
  head[74] = stub->len & 0xff;
  head[75] = stub->len >> 8;
  g_byte_array_append (b, head, 80);
  g_byte_array_append (b, stub->data, stub->len);
  return b;
}

static PqStep
udp_feed (Run        *run,
          GByteArray *datagram)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  run->last = run->codec->step (run->state, datagram->data, datagram->len, &consumed, out, &run->findings);
  if (run->last == PQ_STEP_SEND)
    g_ptr_array_add (run->requests, g_steal_pointer (&out));
  return run->last;
}

static void
test_udp (void)
{
  Reply more = { 8, 8, "udp", NULL, 0, 0, 3 };
  Reply last = { 3, 3, "udp", NULL, 0, PQ_EPM_NOT_REGISTERED, 0 };
  g_autoptr(GByteArray) stub1 = NULL;
  g_autoptr(GByteArray) stub2 = NULL;
  g_autoptr(GByteArray) d1 = NULL;
  g_autoptr(GByteArray) d2 = NULL;
  g_autoptr(GByteArray) stray = NULL;
  GByteArray *req;
  Run run;

  more.tower = last.tower = tcp_tower (SAMR_IF, 1, 1025);
  stub1 = lookup_stub (FALSE, &more);
  stub2 = lookup_stub (FALSE, &last);
  run_init (&run, &pq_epm_udp_codec, PQ_PROTOCOL_UDP);
  req = g_ptr_array_index (run.requests, 0);
  g_assert_cmpuint (req->len, ==, 80 + 40);
  g_assert_cmpuint (req->data[0], ==, 4);
  g_assert_cmpuint (req->data[68], ==, 2);    /* opnum */

  /* A datagram of another activity is not ours. */
  stray = cl_reply (req, 2, stub1);
  stray->data[50] ^= 0xff;
  g_assert_cmpint (udp_feed (&run, stray), ==, PQ_STEP_READ);

  d1 = cl_reply (req, 2, stub1);
  g_assert_cmpint (udp_feed (&run, d1), ==, PQ_STEP_SEND);
  req = g_ptr_array_index (run.requests, 1);
  g_assert_cmpuint (req->data[64], ==, 1);    /* the next sequence number */
  g_assert_cmpuint (req->data[56], ==, 0x42); /* the server's boot time */
  g_assert_cmpuint (req->data[80 + 20], ==, 3);   /* the handle */
  d2 = cl_reply (req, 2, stub2);
  g_assert_cmpint (udp_feed (&run, d2), ==, PQ_STEP_DONE);
  g_assert_cmpstr (total (&run), ==, "11");
  g_assert_true (has_endpoint (&run, SAMR_IF " udp", "ncacn_ip_tcp:192.0.2.1[1025]"));
  run_clear (&run);
  g_byte_array_unref (more.tower);
}

static void
test_udp_reject (void)
{
  static const guint8 status[4] = { 0x03, 0x00, 0x01, 0x1c };
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) d = NULL;
  Run run;

  g_byte_array_append (body, status, 4);
  run_init (&run, &pq_epm_udp_codec, PQ_PROTOCOL_UDP);
  d = cl_reply (g_ptr_array_index (run.requests, 0), 6, body);
  g_assert_cmpint (udp_feed (&run, d), ==, PQ_STEP_DONE);
  g_assert_cmpstr (pq_detail_get_value (find_kind (&run, "rpc-fault")), ==,
                   "0x1c010003 (nca_s_unk_if, unknown interface)");
  run_clear (&run);
}

static void
test_names (void)
{
  g_assert_cmpstr (pq_epm_interface_name (EPM_IF), ==, "epmapper (endpoint mapper)");
  g_assert_cmpstr (pq_epm_interface_name ("12345778-1234-ABCD-EF00-0123456789AB"), ==,
                   "lsarpc (Local Security Authority)");
  g_assert_null (pq_epm_interface_name (NIL_UUID));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/epm/samba-ad-dc", test_samba_ad_dc);
  g_test_add_func ("/epm/samba-ad-dc-20", test_samba_ad_dc_20);
  g_test_add_func ("/epm/samba-dcerpcd", test_samba_dcerpcd);
  g_test_add_func ("/epm/requests", test_requests);
  g_test_add_func ("/epm/big-endian", test_big_endian);
  g_test_add_func ("/epm/bind-nak", test_bind_nak);
  g_test_add_func ("/epm/bind-refused", test_bind_refused_result);
  g_test_add_func ("/epm/fault", test_fault);
  g_test_add_func ("/epm/empty-and-failed", test_empty_and_failed);
  g_test_add_func ("/epm/truncated", test_truncated);
  g_test_add_func ("/epm/frag-length", test_frag_length);
  g_test_add_func ("/epm/huge-counts", test_huge_counts);
  g_test_add_func ("/epm/tower-past-end", test_tower_past_end);
  g_test_add_func ("/epm/never-ends", test_never_ends);
  g_test_add_func ("/epm/endless-fragments", test_endless_fragments);
  g_test_add_func ("/epm/escapes", test_escapes);
  g_test_add_func ("/epm/udp", test_udp);
  g_test_add_func ("/epm/udp-reject", test_udp_reject);
  g_test_add_func ("/epm/names", test_names);
  return g_test_run ();
}
