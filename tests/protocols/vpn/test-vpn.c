/* test-vpn.c: the TFTP, L2TP and IKE codecs on replies captured from real
 * servers (tftpd-hpa, xl2tpd, strongSwan's charon: seeds/, capture.py,
 * which are the fuzz targets' seeds too)
 * and on hostile bytes: truncated, lengths past the end, endless payload
 * chains, terminal escapes, answers that are no answer.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-ike.h"
#include "pq-l2tp.h"
#include "pq-report-text.h"
#include "pq-tftp.h"

#define SEED 42

typedef struct
{
  PqStep      step;
  GByteArray *request;    /* the first request */
  GByteArray *last;       /* what the codec sent last */
  gpointer    state;
  const PqProbeCodec *codec;
  PqProbeFindings findings;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->request, g_byte_array_unref);
  g_clear_pointer (&run->last, g_byte_array_unref);
  if (run->state != NULL && run->codec->clear != NULL)
    run->codec->clear (run->state);
  g_clear_pointer (&run->state, g_free);
  pq_probe_findings_clear (&run->findings);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_start (Run                *run,
           const PqProbeCodec *codec)
{
  PqProbeParams params = { PQ_PROTOCOL_UDP, 1, "host.example", "public", SEED };
  gsize consumed = 0;

  memset (run, 0, sizeof *run);
  run->codec = codec;
  run->state = g_malloc0 (MAX (codec->state_size, 1));
  run->request = g_byte_array_new ();
  pq_probe_findings_init (&run->findings);
  codec->init (run->state, &params);
  run->step = codec->step (run->state, NULL, 0, &consumed, run->request, &run->findings);
  g_assert_cmpint (run->step, ==, PQ_STEP_SEND);
}

/* One datagram from the peer. */
static PqStep
run_reply (Run          *run,
           const guint8 *data,
           gsize         len)
{
  gsize consumed = 0;

  g_clear_pointer (&run->last, g_byte_array_unref);
  run->last = g_byte_array_new ();
  run->step = run->codec->step (run->state, data, len, &consumed, run->last, &run->findings);
  return run->step;
}

/* The findings as PortQry's text prints them, checked to be safe text. */
static char *
run_text (Run *run)
{
  g_autoptr(GListStore) store = g_list_store_new (PQ_TYPE_DETAIL);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < run->findings.details->len; i++)
    g_list_store_append (store, g_ptr_array_index (run->findings.details, i));
  pq_text_append_details (text, G_LIST_MODEL (store), 0);
  g_string_append_printf (text, "summary: %s\n", run->findings.summary->str);
  g_assert_true (g_utf8_validate (text->str, -1, NULL));
  for (const char *p = text->str; *p != '\0'; p++)
    g_assert_true (*p == '\n' || ((guchar) *p >= 0x20 && *p != 0x7f));
  return g_string_free (text, FALSE);
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("expected \"%s\" in:\n%s", needle, text);
}

static GBytes *
seed (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 1);
  /* fuzz-codec.c's layout: byte 0 is the chunk size, then the reply */
  memmove (data, data + 1, len - 1);
  return g_bytes_new_take (data, len - 1);
}

static guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

/* ------------------------------------------------------------------ */
/* TFTP                                                                */

static void
test_tftp_captured (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GBytes) reply = seed ("tftp/tftpd-hpa-not-found");
  g_autofree char *text = NULL;
  static const char rrq[] = "\0\1portqry-0000002a.none\0octet";

  run_start (&run, &pq_tftp_codec);
  g_assert_cmpmem (run.request->data, run.request->len, rrq, sizeof rrq);
  g_assert_true (pq_tftp_codec.any_reply_port);
  g_assert_cmpint (run_reply (&run, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply)), ==, PQ_STEP_DONE);
  text = run_text (&run);
  assert_has (text, "Error: 1 (File not found): File not found\n");
  assert_has (text, "TFTP server answered the read request with error 1 (File not found)");
}

static void
tftp_case (const char *bytes,
           gsize       len,
           PqStep      step,
           const char *expect)
{
  g_auto(Run) run = { 0 };
  g_autofree char *text = NULL;

  run_start (&run, &pq_tftp_codec);
  g_assert_cmpint (run_reply (&run, (const guint8 *) bytes, len), ==, step);
  text = run_text (&run);
  assert_has (text, expect);
}

static void
test_tftp_hostile (void)
{
  tftp_case ("\0\5", 2, PQ_STEP_MALFORMED, "too short for a TFTP message");
  tftp_case ("\0\4\0\1", 4, PQ_STEP_MALFORMED, "its opcode is no TFTP reply");
  tftp_case ("\0\5\0\2\x1b[2Jgo away", 15, PQ_STEP_DONE, "2 (Access violation): \\x1b[2Jgo away");
  tftp_case ("\0\5\0\x63", 4, PQ_STEP_DONE, "99 (unknown error)");
  tftp_case ("\0\3\0\1hello", 9, PQ_STEP_DONE, "block 1, 5 bytes: a file of that name exists");
  tftp_case ("\0\6blksize\0" "1428\0", 15, PQ_STEP_DONE, "Options acknowledged: blksize");
}

/* ------------------------------------------------------------------ */
/* L2TP                                                                */

/* The value of the first AVP of @type in an L2TP control message. */
static const guint8 *
avp (const GByteArray *msg,
     guint16           type)
{
  for (gsize at = 12; at + 6 <= msg->len; at += rd16 (msg->data + at) & 0x3ff)
    {
      if ((rd16 (msg->data + at) & 0x3ff) < 6)
        return NULL;
      if (rd16 (msg->data + at + 4) == type)
        return msg->data + at + 6;
    }
  return NULL;
}

static void
test_l2tp_captured (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GBytes) reply = seed ("l2tp/xl2tpd-sccrp");
  const guint8 *data = g_bytes_get_data (reply, NULL);
  g_autofree char *text = NULL;
  guint16 ours;

  run_start (&run, &pq_l2tp_codec);
  /* SCCRQ: a version 2 control message to tunnel 0, as RFC 2661 5.1 wants */
  g_assert_cmphex (rd16 (run.request->data), ==, 0xc802);
  g_assert_cmpuint (rd16 (run.request->data + 2), ==, run.request->len);
  g_assert_cmpuint (rd16 (run.request->data + 4), ==, 0);
  g_assert_cmpuint (rd16 (avp (run.request, 0)), ==, 1);
  ours = rd16 (avp (run.request, 9));
  g_assert_cmpuint (ours, !=, 0);

  /* SCCRP: reported, then the tunnel is closed with a StopCCN to it */
  g_assert_cmpint (run_reply (&run, data, g_bytes_get_size (reply)), ==, PQ_STEP_SEND);
  g_assert_cmphex (rd16 (run.last->data), ==, 0xc802);
  g_assert_cmpuint (rd16 (run.last->data + 4), ==, rd16 (avp (&(GByteArray) { (guint8 *) data, (guint) g_bytes_get_size (reply) }, 9)));
  g_assert_cmpuint (rd16 (avp (run.last, 0)), ==, 4);
  g_assert_cmpuint (rd16 (avp (run.last, 1)), ==, 1);
  g_assert_cmpuint (rd16 (avp (run.last, 9)), ==, ours);
  text = run_text (&run);
  assert_has (text, "Answer: SCCRP: the server would accept a tunnel\n");
  assert_has (text, "Vendor: xelerance.com\n");
  assert_has (text, "Protocol version: 1.0\n");
  /* its acknowledgement (a ZLB) ends the conversation */
  g_assert_cmpint (run_reply (&run, (const guint8 *) "\xc8\x02\0\x0c\x12\x35\0\0\0\1\0\2", 12), ==, PQ_STEP_DONE);
}

/* An L2TP control message of @avps (their length and the header's
 * filled in here). */
static GByteArray *
l2tp_message (const char *avps,
              gsize       len)
{
  GByteArray *m = g_byte_array_new ();
  guint8 head[12] = { 0xc8, 0x02, (12 + len) >> 8, (12 + len) & 0xff, 0x12, 0x35, 0, 0, 0, 0, 0, 1 };

  g_byte_array_append (m, head, 12);
  g_byte_array_append (m, (const guint8 *) avps, (guint) len);
  return m;
}

static void
l2tp_case (const char *avps,
           gsize       len,
           PqStep      step,
           const char *expect)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GByteArray) m = l2tp_message (avps, len);
  g_autofree char *text = NULL;

  run_start (&run, &pq_l2tp_codec);
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, step);
  text = run_text (&run);
  assert_has (text, expect);
}

static void
test_l2tp_hostile (void)
{
  g_auto(Run) zlb = { 0 };
  g_auto(Run) version = { 0 };
  g_autoptr(GByteArray) many = g_byte_array_new ();

  /* StopCCN with a result and a message holding terminal escapes */
  l2tp_case ("\x80\x08\0\0\0\0\0\x04" "\x80\x14\0\0\0\x01\0\x04\0\0\x1b]0;pwned\x07!!", 28, PQ_STEP_DONE,
             "StopCCN: the server refused the tunnel (result 4: requester is not authorized)");
  l2tp_case ("\x80\x08\0\0\0\0\0\x04" "\x80\x14\0\0\0\x01\0\x04\0\0\x1b]0;pwned\x07!!", 28, PQ_STEP_DONE,
             "Message: \\x1b]0;pwned\\x07\n");
  /* Two result codes (the fuzzer's find): the first one counts. */
  l2tp_case ("\x80\x08\0\0\0\0\0\x04" "\x80\x0f\0\0\0\x01\0\x02\0\0first" "\x80\x10\0\0\0\x01\0\x03\0\0second",
             39, PQ_STEP_DONE, "(result 2: general error)");
  l2tp_case ("\x80\x08\0\0\0\x07\0\x04", 8, PQ_STEP_MALFORMED, "its first attribute is not the message type");
  l2tp_case ("\x80\x00\0\0\0\0\0\x02", 8, PQ_STEP_MALFORMED, "an attribute runs past the end");
  l2tp_case ("\x80\xff\0\0\0\0\0\x02", 8, PQ_STEP_MALFORMED, "an attribute runs past the end");
  l2tp_case ("\x80\x09\0\0\0\0\0\x02\0", 9, PQ_STEP_MALFORMED, "its message type has the wrong length");
  l2tp_case ("\x80\x08\0\0\0\0\0\x02" "\xc0\x0a\0\0\0\x07\xde\xad\xbe\xef", 18, PQ_STEP_DONE,
             "some attributes are encrypted");
  l2tp_case ("\x80\x08\0\0\0\0\0\x63", 8, PQ_STEP_DONE, "Answer: message type 99");

  /* A peer that only ever acknowledges: read past, then given up. */
  run_start (&zlb, &pq_l2tp_codec);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (run_reply (&zlb, (const guint8 *) "\xc8\x02\0\x0c\0\0\0\0\0\0\0\1", 12), ==, PQ_STEP_READ);
  g_assert_cmpint (run_reply (&zlb, (const guint8 *) "\xc8\x02\0\x0c\0\0\0\0\0\0\0\1", 12), ==, PQ_STEP_DONE);

  run_start (&version, &pq_l2tp_codec);
  g_assert_cmpint (run_reply (&version, (const guint8 *) "\xc8\x03\0\x0c\0\0\0\0\0\0\0\1", 12), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_reply (&version, (const guint8 *) "\xc8\x02\0\x04\0\0\0\0\0\0\0\1", 12), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_reply (&version, (const guint8 *) "\xc8\x02\0", 3), ==, PQ_STEP_MALFORMED);

  /* Thousands of attributes after the message type: read up to a bound. */
  for (guint i = 0; i < 2000; i++)
    g_byte_array_append (many, (const guint8 *) "\x80\x06\0\0\0\x22", 6);
  g_byte_array_prepend (many, (const guint8 *) "\x80\x08\0\0\0\0\0\x02", 8);
  l2tp_case ((const char *) many->data, 1208, PQ_STEP_DONE, "SCCRP");
}

/* ------------------------------------------------------------------ */
/* IKE                                                                 */

/* A captured reply answered capture.py's SPI: give it the codec's
 * (after the non-ESP marker on UDP 4500). */
static GByteArray *
ike_reply (Run        *run,
           const char *name)
{
  g_autoptr(GBytes) bytes = seed (name);
  GByteArray *m = g_byte_array_new ();
  guint at = run->codec == &pq_ike_natt_codec ? 4 : 0;

  g_byte_array_append (m, g_bytes_get_data (bytes, NULL), (guint) g_bytes_get_size (bytes));
  memcpy (m->data + at, run->request->data + at, 8);
  return m;
}

static void
test_ike_requests (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GByteArray) v1 = g_byte_array_new ();
  g_autoptr(GByteArray) v2 = g_byte_array_new ();

  run_start (&run, &pq_ike_codec);
  g_assert_cmpuint (pq_ike_codec.source_port, ==, 500);
  /* IKE_SA_INIT from an initiator, its length in the header */
  g_assert_cmphex (run.request->data[17], ==, 0x20);
  g_assert_cmpuint (run.request->data[18], ==, 34);
  g_assert_cmphex (run.request->data[19], ==, 0x08);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (run.request->data + 24)), ==, run.request->len);
  g_assert_cmpmem (run.request->data + 8, 8, "\0\0\0\0\0\0\0\0", 8);
  g_assert_cmphex (run.request->data[0] & 0x80, ==, 0x80);
  /* the next try asks in IKEv1 main mode, the one after in IKEv2 again */
  pq_ike_codec.retry (run.state, 2, v1);
  g_assert_cmphex (v1->data[17], ==, 0x10);
  g_assert_cmpuint (v1->data[18], ==, 2);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (v1->data + 24)), ==, v1->len);
  g_assert_cmpmem (v1->data, 8, run.request->data, 8);
  pq_ike_codec.retry (run.state, 3, v2);
  g_assert_cmphex (v2->data[17], ==, 0x20);
}

/* charon's replies on UDP 500 (@data: "ike") or 4500 ("ike-natt"). */
static void
test_ike_captured (gconstpointer data)
{
  const char *dir = data;
  const PqProbeCodec *codec = g_str_equal (dir, "ike") ? &pq_ike_codec : &pq_ike_natt_codec;
  g_autofree char *v2 = g_strdup_printf ("%s/charon-v2-no-proposal", dir);
  g_autofree char *v1 = g_strdup_printf ("%s/charon-v1-no-proposal", dir);
  g_auto(Run) run2 = { 0 };
  g_auto(Run) run1 = { 0 };
  g_autoptr(GByteArray) r2 = NULL;
  g_autoptr(GByteArray) r1 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text1 = NULL;

  run_start (&run2, codec);
  r2 = ike_reply (&run2, v2);
  g_assert_cmpint (run_reply (&run2, r2->data, r2->len), ==, PQ_STEP_DONE);
  text2 = run_text (&run2);
  assert_has (text2, "Version: IKEv2\n");
  assert_has (text2, "Exchange: IKE_SA_INIT\n");
  assert_has (text2, "Notify: NO_PROPOSAL_CHOSEN (14)\n");
  assert_has (text2, "summary: IKEv2 responder answered (IKE_SA_INIT): NO_PROPOSAL_CHOSEN (14).");

  run_start (&run1, codec);
  r1 = ike_reply (&run1, v1);
  g_assert_cmpint (run_reply (&run1, r1->data, r1->len), ==, PQ_STEP_DONE);
  text1 = run_text (&run1);
  assert_has (text1, "Version: ISAKMP (IKEv1)\n");
  assert_has (text1, "Exchange: informational\n");
  assert_has (text1, "Notify: NO_PROPOSAL_CHOSEN (14)\n");
}

/* An IKEv2 reply to @run's request with @payloads after the header
 * (the first payload's type in @first). */
static GByteArray *
ike_message (Run          *run,
             guint8        first,
             const guint8 *payloads,
             gsize         len)
{
  GByteArray *m = g_byte_array_new ();
  guint8 head[20] = { 0 };
  guint32 total = GUINT32_TO_BE ((guint32) (28 + len));

  g_byte_array_append (m, run->request->data, 8);
  head[0] = 0x11;   /* a responder SPI */
  head[8] = first;
  head[9] = 0x20;
  head[10] = 34;
  head[11] = 0x20;
  g_byte_array_append (m, head, 16);
  g_byte_array_append (m, (const guint8 *) &total, 4);
  g_byte_array_append (m, payloads, (guint) len);
  return m;
}

static void
ike_case (guint8        first,
          const char   *payloads,
          gsize         len,
          PqStep        step,
          const char   *expect)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GByteArray) m = NULL;
  g_autofree char *text = NULL;

  run_start (&run, &pq_ike_codec);
  m = ike_message (&run, first, (const guint8 *) payloads, len);
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, step);
  text = run_text (&run);
  assert_has (text, expect);
}

static void
test_ike_hostile (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GByteArray) chain = g_byte_array_new ();
  g_autoptr(GByteArray) m = NULL;

  ike_case (43, "\0\0\0\x14\x88\x2f\xe5\x6d\x6f\xd2\x0d\xbc\x22\x51\x61\x3b\x2e\xbe\x5b\xeb", 20,
            PQ_STEP_DONE, "Vendor ID: strongSwan (882fe56d6fd20dbc2251613b2ebe5beb)");
  ike_case (41, "\0\0\0\x0a\0\0\0\x11\0\x0e", 10, PQ_STEP_DONE, "Notify: INVALID_KE_PAYLOAD (17)");
  ike_case (33, "\0\0\0\x04", 4, PQ_STEP_DONE, "Proposal: accepted");
  ike_case (41, "\0\0\0\x02", 4, PQ_STEP_MALFORMED, "a payload runs past the end");
  ike_case (41, "\0\0\x10\0\0\0\0\x0e", 8, PQ_STEP_MALFORMED, "a payload runs past the end");

  /* A payload chain that never ends (each says another follows). */
  for (guint i = 0; i < 200; i++)
    g_byte_array_append (chain, (const guint8 *) "\x2b\0\0\x04", 4);
  ike_case (43, (const char *) chain->data, chain->len, PQ_STEP_MALFORMED, "it has too many payloads");

  run_start (&run, &pq_ike_codec);
  m = ike_message (&run, 0, NULL, 0);
  m->data[0] ^= 1;
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, PQ_STEP_MALFORMED);
  m->data[0] ^= 1;
  m->data[17] = 0x30;
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, PQ_STEP_MALFORMED);
  m->data[17] = 0x20;
  m->data[27] = 200;   /* longer than the datagram */
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_reply (&run, m->data, 20), ==, PQ_STEP_MALFORMED);
}

/* ------------------------------------------------------------------ */
/* IKE on UDP 4500 (NAT traversal)                                     */

static void
test_ike_natt_requests (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) plain = { 0 };
  g_autoptr(GByteArray) v1 = g_byte_array_new ();

  run_start (&run, &pq_ike_natt_codec);
  run_start (&plain, &pq_ike_codec);
  g_assert_cmpuint (pq_ike_natt_codec.source_port, ==, 4500);
  /* The non-ESP marker, then the very message sent to 500, its length
   * counting from the SPI (RFC 3948 section 2.2). */
  g_assert_cmpuint (run.request->len, ==, plain.request->len + 4);
  g_assert_cmpmem (run.request->data, 4, "\0\0\0\0", 4);
  g_assert_cmpmem (run.request->data + 4, plain.request->len, plain.request->data, plain.request->len);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (run.request->data + 28)), ==, run.request->len - 4);
  pq_ike_natt_codec.retry (run.state, 2, v1);
  g_assert_cmpmem (v1->data, 4, "\0\0\0\0", 4);
  g_assert_cmphex (v1->data[4 + 17], ==, 0x10);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (v1->data + 28)), ==, v1->len - 4);
}

static void
test_ike_natt_hostile (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) plain = { 0 };
  g_autoptr(GByteArray) m = NULL;
  g_autoptr(GByteArray) natt = g_byte_array_new ();
  g_autofree char *text = NULL;

  run_start (&run, &pq_ike_natt_codec);
  run_start (&plain, &pq_ike_codec);
  /* A reply as to UDP 500, without the marker: its SPI would be read
   * as an ESP packet's. */
  m = ike_message (&plain, 41, (const guint8 *) "\0\0\0\x0a\0\0\0\x0e\0\0", 10);
  memcpy (m->data, run.request->data + 4, 8);
  g_assert_cmpint (run_reply (&run, m->data, m->len), ==, PQ_STEP_MALFORMED);
  text = run_text (&run);
  assert_has (text, "non-ESP marker");
  /* The same behind the marker is a notify. */
  g_byte_array_append (natt, (const guint8 *) "\0\0\0\0", 4);
  g_byte_array_append (natt, m->data, m->len);
  g_assert_cmpint (run_reply (&run, natt->data, natt->len), ==, PQ_STEP_DONE);
  /* Too short for the marker, the marker alone, an ESP header. */
  g_assert_cmpint (run_reply (&run, natt->data, 3), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_reply (&run, natt->data, 4), ==, PQ_STEP_MALFORMED);
  g_assert_cmpint (run_reply (&run, natt->data, 20), ==, PQ_STEP_MALFORMED);
  natt->data[3] = 1;
  g_assert_cmpint (run_reply (&run, natt->data, natt->len), ==, PQ_STEP_MALFORMED);
  natt->data[3] = 0;
  natt->data[4 + 27] = 250;   /* the length past the datagram */
  g_assert_cmpint (run_reply (&run, natt->data, natt->len), ==, PQ_STEP_MALFORMED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tftp/captured", test_tftp_captured);
  g_test_add_func ("/tftp/hostile", test_tftp_hostile);
  g_test_add_func ("/l2tp/captured", test_l2tp_captured);
  g_test_add_func ("/l2tp/hostile", test_l2tp_hostile);
  g_test_add_func ("/ike/requests", test_ike_requests);
  g_test_add_data_func ("/ike/captured", "ike", test_ike_captured);
  g_test_add_func ("/ike/hostile", test_ike_hostile);
  g_test_add_func ("/ike-natt/requests", test_ike_natt_requests);
  g_test_add_data_func ("/ike-natt/captured", "ike-natt", test_ike_captured);
  g_test_add_func ("/ike-natt/hostile", test_ike_natt_hostile);
  return g_test_run ();
}
