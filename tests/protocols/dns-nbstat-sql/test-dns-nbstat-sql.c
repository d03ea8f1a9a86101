/* test-dns-nbstat-sql.c: the DNS, NetBIOS node status and SQL Server
 * browser codecs on replies captured from real servers (dnsmasq, Samba
 * nmbd, the Samba AD DC: seeds/, see capture-seeds.py) and on hostile
 * bytes: truncated, lengths past the end, huge counts, compression loops.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-dns.h"
#include "pq-nbns.h"
#include "pq-report-text.h"
#include "pq-scanner.h"
#include "pq-writers.h"
#include "pq-writers-private.h"
#include "pq-sqlbrowser.h"

/* The seed the captures were made for: transaction id 42. */
#define SEED 42

typedef struct
{
  PqStep      step;
  guint       steps;
  GByteArray *request;
  char       *text;      /* the details as the CLI prints them */
  char       *summary;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->request, g_byte_array_unref);
  g_clear_pointer (&run->text, g_free);
  g_clear_pointer (&run->summary, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
check_text (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
}

static void
check_details (GListModel *model,
               guint       depth)
{
  guint n = model ? g_list_model_get_n_items (model) : 0;

  g_assert_cmpuint (depth, <, 4);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (model, i);

      check_text (pq_detail_get_label (d));
      check_text (pq_detail_get_value (d));
      check_details (pq_detail_get_children (d), depth + 1);
    }
}

/* Drives @codec as the scan engine does: the request, then @reply as one
 * datagram (UDP) or as a stream in @chunk-byte pieces (TCP). */
static void
run_codec (Run                *run,
           const PqProbeCodec *codec,
           PqProtocol          protocol,
           const char         *host,
           const guint8       *reply,
           gsize               reply_len,
           gsize               chunk)
{
  PqProbeParams params = { protocol, 1, host, "public", SEED };
  PqProbeFindings findings;
  g_autoptr(GByteArray) in = g_byte_array_new ();
  g_autoptr(GListStore) store = g_list_store_new (PQ_TYPE_DETAIL);
  g_autoptr(GString) text = g_string_new (NULL);
  gpointer state = g_malloc0 (MAX (codec->state_size, 1));
  gsize consumed = 0, pos = 0;

  memset (run, 0, sizeof *run);
  run->request = g_byte_array_new ();
  pq_probe_findings_init (&findings);
  codec->init (state, &params);
  run->step = codec->step (state, NULL, 0, &consumed, run->request, &findings);
  g_assert_cmpint (run->step, ==, PQ_STEP_SEND);

  while (reply != NULL && (run->step == PQ_STEP_SEND || run->step == PQ_STEP_READ) && pos < reply_len)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize n = protocol == PQ_PROTOCOL_TCP ? MIN (chunk, reply_len - pos) : reply_len;

      consumed = 0;
      run->steps++;
      if (protocol == PQ_PROTOCOL_TCP)
        {
          g_byte_array_append (in, reply + pos, (guint) n);
          run->step = codec->step (state, in->data, in->len, &consumed, out, &findings);
          g_assert_cmpuint (consumed, <=, in->len);
          g_byte_array_remove_range (in, 0, (guint) consumed);
        }
      else
        run->step = codec->step (state, reply, reply_len, &consumed, out, &findings);
      pos += n;
    }

  for (guint i = 0; i < findings.details->len; i++)
    g_list_store_append (store, g_ptr_array_index (findings.details, i));
  check_details (G_LIST_MODEL (store), 0);
  check_text (findings.summary->str);
  pq_text_append_details (text, G_LIST_MODEL (store), 0);
  run->text = g_strdup (text->str);
  run->summary = g_strdup (findings.summary->str);
  if (g_test_verbose ())
    g_test_message ("%s%s", run->text, run->summary);

  if (codec->clear != NULL)
    codec->clear (state);
  g_free (state);
  pq_probe_findings_clear (&findings);
}

/* A captured reply: seeds/KIND/NAME, whose first byte is the fuzz
 * harness's chunk size and not part of the reply. */
static GBytes *
load_seed (const char *kind,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", kind, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 1);
  return g_bytes_new_with_free_func (data + 1, len - 1, g_free, data);
}

static void
run_seed (Run                *run,
          const PqProbeCodec *codec,
          PqProtocol          protocol,
          const char         *kind,
          const char         *name,
          gsize               chunk)
{
  g_autoptr(GBytes) seed = load_seed (kind, name);
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);

  run_codec (run, codec, protocol, "srv.test.lan", data, len, chunk);
}

#define assert_has(haystack, needle) \
  G_STMT_START { \
    if (strstr ((haystack), (needle)) == NULL) \
      g_error ("expected \"%s\" in:\n%s", (needle), (haystack)); \
  } G_STMT_END

#define assert_lacks(haystack, needle) \
  G_STMT_START { \
    if (strstr ((haystack), (needle)) != NULL) \
      g_error ("did not expect \"%s\" in:\n%s", (needle), (haystack)); \
  } G_STMT_END

/* ------------------------------------------------------------------ */
/* DNS                                                                 */

static void
test_dns_request (void)
{
  g_auto(Run) a = { 0, };
  g_auto(Run) ptr = { 0, };
  g_auto(Run) ptr6 = { 0, };
  g_auto(Run) root = { 0, };
  g_auto(Run) tcp = { 0, };
  static const guint8 expected[] = {
    0, 42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
    3, 's', 'r', 'v', 4, 't', 'e', 's', 't', 3, 'l', 'a', 'n', 0,
    0, 1, 0, 1,
  };

  run_codec (&a, &pq_dns_codec, PQ_PROTOCOL_UDP, "srv.test.lan.", NULL, 0, 0);
  g_assert_cmpmem (a.request->data, a.request->len, expected, sizeof expected);

  run_codec (&tcp, &pq_dns_codec, PQ_PROTOCOL_TCP, "srv.test.lan", NULL, 0, 0);
  g_assert_cmpuint (tcp.request->len, ==, 2 + sizeof expected);
  g_assert_cmpuint (tcp.request->data[0], ==, 0);
  g_assert_cmpuint (tcp.request->data[1], ==, sizeof expected);
  g_assert_cmpmem (tcp.request->data + 2, tcp.request->len - 2, expected, sizeof expected);

  /* An address literal asks for its PTR record. */
  run_codec (&ptr, &pq_dns_codec, PQ_PROTOCOL_UDP, "10.200.77.2", NULL, 0, 0);
  {
    static const char name[] = "\0012\00277\003200\00210\007in-addr\004arpa\0\0\014\0\001";

    g_assert_cmpmem (ptr.request->data + 12, ptr.request->len - 12, name, sizeof name - 1);
  }

  run_codec (&ptr6, &pq_dns_codec, PQ_PROTOCOL_UDP, "fd00:200:77::2%veth0", NULL, 0, 0);
  g_assert_cmpuint (ptr6.request->len, ==, 12 + 32 * 2 + 9 + 1 + 4);
  g_assert_nonnull (memmem (ptr6.request->data, ptr6.request->len, "\0012\0010\0010", 6));
  g_assert_nonnull (memmem (ptr6.request->data, ptr6.request->len, "\003ip6\004arpa\0\0\014", 13));

  /* Nothing to ask about: the root's NS records. */
  run_codec (&root, &pq_dns_codec, PQ_PROTOCOL_UDP, "", NULL, 0, 0);
  g_assert_cmpuint (root.request->len, ==, 12 + 1 + 4);
  g_assert_cmpuint (root.request->data[13], ==, 0);
  g_assert_cmpuint (root.request->data[14], ==, 2);
}

static void
test_dns_captured (void)
{
  g_auto(Run) a = { 0, };
  g_auto(Run) srv = { 0, };
  g_auto(Run) ptr = { 0, };
  g_auto(Run) nx = { 0, };
  g_auto(Run) refused = { 0, };

  run_seed (&a, &pq_dns_codec, PQ_PROTOCOL_UDP, "dns", "a-srv", 0);
  g_assert_cmpint (a.step, ==, PQ_STEP_DONE);
  assert_has (a.text, "Response code: NOERROR");
  assert_has (a.text, "Flags: authoritative, recursion available");
  assert_has (a.text, "srv.test.lan A: 10.200.77.2 (TTL 0)");
  assert_has (a.summary, "DNS answered NOERROR for srv.test.lan A, authoritative, recursion available, 1 answer (10.200.77.2).");

  /* dnsmasq compresses the SRV target and adds its A record. */
  run_seed (&srv, &pq_dns_codec, PQ_PROTOCOL_UDP, "dns", "srv-ldap", 0);
  g_assert_cmpint (srv.step, ==, PQ_STEP_DONE);
  assert_has (srv.text, "_ldap._tcp.test.lan SRV: priority 0, weight 0, port 389, target srv.test.lan (TTL 0)");
  assert_has (srv.text, "Additional: 1");
  assert_has (srv.text, "srv.test.lan A: 10.200.77.2");

  run_seed (&ptr, &pq_dns_codec, PQ_PROTOCOL_UDP, "dns", "ptr", 0);
  assert_has (ptr.text, "2.77.200.10.in-addr.arpa PTR: srv.test.lan");

  run_seed (&nx, &pq_dns_codec, PQ_PROTOCOL_UDP, "dns", "nxdomain", 0);
  g_assert_cmpint (nx.step, ==, PQ_STEP_DONE);
  assert_has (nx.summary, "DNS answered NXDOMAIN");
  assert_has (nx.summary, "0 answers.");

  run_seed (&refused, &pq_dns_codec, PQ_PROTOCOL_UDP, "dns", "refused-root-ns", 0);
  assert_has (refused.text, "Response code: REFUSED");
}

/* TCP replies arrive in pieces of any size. */
static void
test_dns_tcp_pieces (void)
{
  static const gsize chunks[] = { 1, 2, 3, 13, 33, 4096 };

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_auto(Run) run = { 0, };

      run_seed (&run, &pq_dns_codec, PQ_PROTOCOL_TCP, "dns-tcp", "srv-ldap", chunks[i]);
      g_assert_cmpint (run.step, ==, PQ_STEP_DONE);
      assert_has (run.text, "port 389, target srv.test.lan");
      if (chunks[i] == 1)
        g_assert_cmpuint (run.steps, ==, 2 + 85);
    }
}

static void
test_dns_tcp_short (void)
{
  g_auto(Run) run = { 0, };
  g_auto(Run) zero = { 0, };
  guint8 reply[22] = { 0xff, 0xff, 0, 42, 0x81, 0x80 };

  /* 65535 announced, 20 arrive: the codec waits, and says so meanwhile. */
  run_codec (&run, &pq_dns_codec, PQ_PROTOCOL_TCP, "srv.test.lan", reply, sizeof reply, 7);
  g_assert_cmpint (run.step, ==, PQ_STEP_READ);
  assert_has (run.summary, "DNS reply incomplete: 20 of 65535 bytes arrived.");

  run_codec (&zero, &pq_dns_codec, PQ_PROTOCOL_TCP, "srv.test.lan", reply + 20, 2, 2);
  g_assert_cmpint (zero.step, ==, PQ_STEP_MALFORMED);
  assert_has (zero.summary, "DNS reply malformed: 0 bytes");
}

/* A reply for srv.test.lan A: header with @an answers, the question. */
static GByteArray *
dns_reply (guint16 flags,
           guint16 an)
{
  GByteArray *m = g_byte_array_new ();
  guint8 head[12] = { 0, 42, flags >> 8, flags & 0xff, 0, 1, an >> 8, an & 0xff, 0, 0, 0, 0 };
  static const guint8 q[] = { 3, 's', 'r', 'v', 4, 't', 'e', 's', 't', 3, 'l', 'a', 'n', 0, 0, 1, 0, 1 };

  g_byte_array_append (m, head, sizeof head);
  g_byte_array_append (m, q, sizeof q);
  return m;
}

static void
append (GByteArray *m,
        const char *bytes,
        gsize       len)
{
  g_byte_array_append (m, (const guint8 *) bytes, (guint) len);
}

static void
run_dns (Run        *run,
         GByteArray *m)
{
  run_codec (run, &pq_dns_codec, PQ_PROTOCOL_UDP, "srv.test.lan", m->data, m->len, 0);
}

static void
test_dns_hostile (void)
{
  g_auto(Run) shorty = { 0, };
  g_auto(Run) loop = { 0, };
  g_auto(Run) forward = { 0, };
  g_auto(Run) many = { 0, };
  g_auto(Run) past = { 0, };
  g_auto(Run) badlen = { 0, };
  g_auto(Run) query = { 0, };
  g_auto(Run) wrongid = { 0, };
  g_auto(Run) label = { 0, };
  g_autoptr(GByteArray) m = NULL;

  run_codec (&shorty, &pq_dns_codec, PQ_PROTOCOL_UDP, "x", (const guint8 *) "\0\052\201", 3, 0);
  g_assert_cmpint (shorty.step, ==, PQ_STEP_MALFORMED);
  assert_has (shorty.summary, "DNS reply malformed: 3 bytes, too short for a DNS header.");

  /* An answer whose name points at itself. */
  m = dns_reply (0x8580, 1);
  append (m, "\xc0\x1e\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 16);
  run_dns (&loop, m);
  g_assert_cmpint (loop.step, ==, PQ_STEP_MALFORMED);
  assert_has (loop.summary, "DNS answered NOERROR");
  assert_has (loop.summary, "the reply was malformed: a name has a compression loop.");
  g_clear_pointer (&m, g_byte_array_unref);

  /* Pointers may only point backwards. */
  m = dns_reply (0x8580, 1);
  append (m, "\xc0\x20\xc0\x1e\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 18);
  run_dns (&forward, m);
  g_assert_cmpint (forward.step, ==, PQ_STEP_MALFORMED);
  assert_has (forward.summary, "compression loop");
  g_clear_pointer (&m, g_byte_array_unref);

  /* 65535 answers announced, one there. */
  m = dns_reply (0x8580, 65535);
  append (m, "\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\x0a\xc8\x4d\x09", 16);
  run_dns (&many, m);
  g_assert_cmpint (many.step, ==, PQ_STEP_MALFORMED);
  assert_has (many.text, "srv.test.lan A: 10.200.77.9 (TTL 60)");
  assert_has (many.summary, "65535 answers (first: 10.200.77.9); the reply was malformed: a name runs past the end.");
  g_clear_pointer (&m, g_byte_array_unref);

  m = dns_reply (0x8580, 1);
  append (m, "\xc0\x0c\0\1\0\1\0\0\0\x3c\x01\x90\x0a\xc8\x4d\x09", 16);
  run_dns (&past, m);
  assert_has (past.summary, "a record's data runs past the end");
  g_clear_pointer (&m, g_byte_array_unref);

  m = dns_reply (0x8580, 1);
  append (m, "\xc0\x0c\0\1\0\1\0\0\0\x3c\0\5\x0a\xc8\x4d\x09\0", 17);
  run_dns (&badlen, m);
  assert_has (badlen.summary, "a record's data has the wrong length");
  g_clear_pointer (&m, g_byte_array_unref);

  m = dns_reply (0x0100, 0);
  run_dns (&query, m);
  assert_has (query.summary, "it is a query, not a response");
  g_clear_pointer (&m, g_byte_array_unref);

  m = dns_reply (0x8580, 0);
  m->data[1] = 43;
  run_dns (&wrongid, m);
  g_assert_cmpint (wrongid.step, ==, PQ_STEP_MALFORMED);
  assert_has (wrongid.summary, "its id 43 does not match the query's 42");
  g_clear_pointer (&m, g_byte_array_unref);

  /* Label type 0x40 (extended labels, never deployed) */
  m = dns_reply (0x8580, 1);
  append (m, "\x41\0\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 16);
  run_dns (&label, m);
  assert_has (label.summary, "unknown label type");
  g_clear_pointer (&m, g_byte_array_unref);
}

/* Long pointer chains end at the hop limit; names over 255 bytes are refused. */
static void
test_dns_long_names (void)
{
  g_auto(Run) longname = { 0, };
  g_auto(Run) escaped = { 0, };
  g_autoptr(GByteArray) m = NULL;

  m = dns_reply (0x8580, 1);
  for (guint i = 0; i < 5; i++)
    {
      append (m, "\x3f", 1);
      for (guint j = 0; j < 63; j++)
        append (m, "a", 1);
    }
  append (m, "\0\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 15);
  run_dns (&longname, m);
  assert_has (longname.summary, "a name is longer than 255 bytes");
  g_clear_pointer (&m, g_byte_array_unref);

  /* Escapes, dots and spaces inside a label are shown as dig shows them. */
  m = dns_reply (0x8580, 1);
  append (m, "\x06\x1b[2J. \0\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 22);
  run_dns (&escaped, m);
  g_assert_cmpint (escaped.step, ==, PQ_STEP_DONE);
  assert_has (escaped.text, "\\027[2J\\.\\032 A: 1.2.3.4");
}

static void
test_dns_hop_limit (void)
{
  g_auto(Run) run = { 0, };
  g_autoptr(GByteArray) m = dns_reply (0x8580, 0);
  guint first;

  /* A chain of 40 pointers, each to the one before, inside an answer of
   * unknown type; then a CNAME whose data points at the chain's end. */
  m->data[7] = 2;
  append (m, "\xc0\x0c\0\x63\0\1\0\0\0\0\0\x50", 12);   /* type 99, 80 bytes */
  first = m->len;
  append (m, "\xc0\x0c", 2);
  for (guint i = 1; i < 40; i++)
    {
      guint target = first + 2 * (i - 1);
      guint8 p[2] = { 0xc0 | (target >> 8), target & 0xff };

      g_byte_array_append (m, p, 2);
    }
  {
    guint target = first + 2 * 39;
    guint8 p[2] = { 0xc0 | (target >> 8), target & 0xff };

    append (m, "\xc0\x0c\0\5\0\1\0\0\0\0\0\2", 12);   /* CNAME */
    g_byte_array_append (m, p, 2);
  }
  run_dns (&run, m);
  g_assert_cmpint (run.step, ==, PQ_STEP_MALFORMED);
  assert_has (run.text, "srv.test.lan TYPE99");
  assert_has (run.summary, "a name has a compression loop");
}

static void
test_dns_many_records (void)
{
  g_auto(Run) run = { 0, };
  g_auto(Run) txt = { 0, };
  g_autoptr(GByteArray) m = dns_reply (0x8580, 40);

  for (guint i = 0; i < 40; i++)
    {
      guint8 rr[16] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 10, 0, 0, (guint8) i };

      g_byte_array_append (m, rr, sizeof rr);
    }
  run_dns (&run, m);
  g_assert_cmpint (run.step, ==, PQ_STEP_DONE);
  assert_has (run.text, "Answers: 40");
  assert_has (run.text, "srv.test.lan A: 10.0.0.31 (TTL 9)");
  assert_lacks (run.text, "10.0.0.32");
  assert_has (run.text, "8 more not shown");
  assert_has (run.summary, "40 answers (first: 10.0.0.0).");
  g_clear_pointer (&m, g_byte_array_unref);

  m = dns_reply (0x8580, 1);
  append (m, "\xc0\x0c\0\x10\0\1\0\0\0\0\0\x0c\x05hello\x05w\x07rld", 24);
  run_dns (&txt, m);
  assert_has (txt.text, "srv.test.lan TXT: \"hello\" \"w\\007rld\"");
}

/* ------------------------------------------------------------------ */
/* NetBIOS node status                                                 */

static void
test_nbstat_request (void)
{
  g_auto(Run) run = { 0, };

  run_codec (&run, &pq_nbstat_codec, PQ_PROTOCOL_UDP, "10.200.77.2", NULL, 0, 0);
  g_assert_cmpuint (run.request->len, ==, 12 + 34 + 4);
  g_assert_cmpmem (run.request->data, 6, "\0\052\0\0\0\1", 6);
  g_assert_cmpmem (run.request->data + 12, 5, "\040CKAA", 5);
  g_assert_cmpmem (run.request->data + 45, 5, "\0\0\041\0\1", 5);
}

static void
test_nbstat_captured (void)
{
  g_auto(Run) nmbd = { 0, };
  g_auto(Run) dc = { 0, };

  run_seed (&nmbd, &pq_nbstat_codec, PQ_PROTOCOL_UDP, "nbstat", "nmbd", 0);
  g_assert_cmpint (nmbd.step, ==, PQ_STEP_DONE);
  assert_has (nmbd.text, "Names: 7");
  assert_has (nmbd.text, "TESTSRV <00>: UNIQUE, active: Workstation Service");
  assert_has (nmbd.text, "TESTSRV <20>: UNIQUE, active: File Server Service");
  assert_has (nmbd.text, "TESTGRP <00>: GROUP, active: Domain Name");
  assert_has (nmbd.text, "TESTGRP <1D>: UNIQUE, active: Master Browser");
  assert_has (nmbd.text, "TESTGRP <1E>: GROUP, active: Browser Service Elections");
  assert_has (nmbd.text, "..__MSBROWSE__. <01>: GROUP, active: Master Browser");
  /* PortQry's layout: the MAC address as 12 hex digits. */
  assert_has (nmbd.text, "MAC address: 000000000000 (the host did not report its MAC address)");
  assert_has (nmbd.text, "Node type: B-node (broadcast)");
  assert_has (nmbd.summary, "NetBIOS: 7 names (computer TESTSRV, workgroup or domain TESTGRP), MAC address not reported.");

  run_seed (&dc, &pq_nbstat_codec, PQ_PROTOCOL_UDP, "nbstat", "samba-dc", 0);
  g_assert_cmpint (dc.step, ==, PQ_STEP_DONE);
  assert_has (dc.text, "DC1 <00>: UNIQUE");
  assert_has (dc.text, "TEST <1C>: GROUP, active: Domain Controllers");
  assert_has (dc.text, "TEST <1B>: UNIQUE, active: Domain Master Browser");
  assert_lacks (dc.text, "000000000000");
  assert_has (dc.text, "Node type: M-node (mixed: broadcast, then WINS)");
  assert_has (dc.summary, "NetBIOS: 8 names (computer DC1, workgroup or domain TEST), MAC address ");
}

/* A node status reply with @count names announced and @names present. */
static GByteArray *
nbstat_reply (guint8      count,
              const char *names,
              gsize       names_len,
              gsize       stats_len,
              gint        rdlen)
{
  GByteArray *m = g_byte_array_new ();
  guint len = rdlen >= 0 ? (guint) rdlen : (guint) (1 + names_len + stats_len);
  guint8 rr[10] = { 0, 0x21, 0, 1, 0, 0, 0, 0, len >> 8, len & 0xff };
  g_autofree guint8 *stats = g_malloc0 (MAX (stats_len, 1));

  append (m, "\0\052\x84\0\0\0\0\1\0\0\0\0", 12);
  append (m, "\040CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0", 34);
  g_byte_array_append (m, rr, sizeof rr);
  g_byte_array_append (m, &count, 1);
  append (m, names, names_len);
  if (stats_len >= 6)
    memcpy (stats, "\x02\x11\x22\x33\x44\x55", 6);
  g_byte_array_append (m, stats, (guint) stats_len);
  return m;
}

#define NAME_A "HOSTILE        \x00\x04\x00"
#define NAME_B "HOSTILE        \x20\x04\x00"

static void
run_nbstat (Run        *run,
            GByteArray *m)
{
  run_codec (run, &pq_nbstat_codec, PQ_PROTOCOL_UDP, "x", m->data, m->len, 0);
}

static void
test_nbstat_hostile (void)
{
  g_auto(Run) huge = { 0, };
  g_auto(Run) past = { 0, };
  g_auto(Run) nomac = { 0, };
  g_auto(Run) header = { 0, };
  g_auto(Run) evil = { 0, };
  g_auto(Run) error = { 0, };
  g_auto(Run) wrongtype = { 0, };
  g_auto(Run) flags = { 0, };
  g_auto(Run) permanent = { 0, };
  g_auto(Run) pnode = { 0, };
  g_auto(Run) hnode = { 0, };
  g_autoptr(GByteArray) m = NULL;

  m = nbstat_reply (255, NAME_A NAME_B, 36, 46, -1);
  run_nbstat (&huge, m);
  g_assert_cmpint (huge.step, ==, PQ_STEP_MALFORMED);
  assert_has (huge.text, "HOSTILE <00>: UNIQUE, active: Workstation Service");
  assert_has (huge.summary, "NetBIOS: 255 names (computer HOSTILE); the reply was malformed: the name table runs past the end of the reply.");
  g_clear_pointer (&m, g_byte_array_unref);

  m = nbstat_reply (2, NAME_A NAME_B, 36, 46, 4000);
  run_nbstat (&past, m);
  g_assert_cmpint (past.step, ==, PQ_STEP_MALFORMED);
  assert_has (past.text, "MAC address: 021122334455");
  assert_has (past.summary, "its data length runs past the end");
  g_clear_pointer (&m, g_byte_array_unref);

  m = nbstat_reply (2, NAME_A NAME_B, 36, 3, -1);
  run_nbstat (&nomac, m);
  assert_has (nomac.summary, "NetBIOS: 2 names (computer HOSTILE); the reply was malformed: the reply ends before the MAC address.");
  g_clear_pointer (&m, g_byte_array_unref);

  run_codec (&header, &pq_nbstat_codec, PQ_PROTOCOL_UDP, "x",
             (const guint8 *) "\0\052\x84\0\0\0\0\1\0\0\0\0", 12, 0);
  g_assert_cmpint (header.step, ==, PQ_STEP_MALFORMED);
  assert_has (header.summary, "NetBIOS reply malformed: a name runs past the end.");

  m = nbstat_reply (2, "EVIL\x1b[2J\x07      \x20\x04\x00" "\xff\xfe\xc3(X          \x00\x84\x00", 36, 46, -1);
  run_nbstat (&evil, m);
  g_assert_cmpint (evil.step, ==, PQ_STEP_DONE);
  assert_has (evil.text, "EVIL.[2J. <20>");
  assert_has (evil.text, "<00>: GROUP, active: Domain Name");
  g_clear_pointer (&m, g_byte_array_unref);

  m = nbstat_reply (0, "", 0, 46, -1);
  m->data[3] = 0x03;   /* RCODE 3 */
  run_nbstat (&error, m);
  g_assert_cmpint (error.step, ==, PQ_STEP_DONE);
  assert_has (error.summary, "NetBIOS name service answered with error 3.");
  g_clear_pointer (&m, g_byte_array_unref);

  m = nbstat_reply (0, "", 0, 46, -1);
  m->data[12 + 34 + 1] = 0x20;   /* NB, not NBSTAT */
  run_nbstat (&wrongtype, m);
  assert_has (wrongtype.summary, "the answer is not a node status");
  g_clear_pointer (&m, g_byte_array_unref);

  /* A Samba AD DC just started lists only its permanent __SAMBA__ names. */
  m = nbstat_reply (1, "__SAMBA__      \x00\x86\x00", 18, 46, -1);
  run_nbstat (&permanent, m);
  assert_has (permanent.text, "__SAMBA__ <00>: GROUP, active, permanent: Domain Name");
  assert_has (permanent.summary, "NetBIOS: 1 name, MAC address 02:11:22:33:44:55.");
  g_clear_pointer (&m, g_byte_array_unref);

  m = nbstat_reply (1, "NAME           \x20\x1a\x00", 18, 46, -1);
  run_nbstat (&flags, m);
  assert_has (flags.text, "NAME <20>: UNIQUE, conflict, deregistering, permanent: File Server Service");
  assert_has (flags.summary, "NetBIOS: 1 name, MAC address 02:11:22:33:44:55.");
  assert_has (flags.text, "Node type: B-node (broadcast)");
  g_clear_pointer (&m, g_byte_array_unref);

  /* The owner node type bits of the first name: 01 P, 11 H (Microsoft's). */
  m = nbstat_reply (2, "NAME           \x20\x24\x00" "NAME           \x00\x64\x00", 36, 46, -1);
  run_nbstat (&pnode, m);
  assert_has (pnode.text, "Node type: P-node (point-to-point: WINS only)");
  g_clear_pointer (&m, g_byte_array_unref);
  m = nbstat_reply (1, "NAME           \x20\x64\x00", 18, 46, -1);
  run_nbstat (&hnode, m);
  assert_has (hnode.text, "Node type: H-node (hybrid: WINS, then broadcast)");
}

/* ------------------------------------------------------------------ */
/* SQL Server browser                                                  */

static void
run_sql (Run        *run,
         const char *text,
         gint        size)
{
  g_autoptr(GByteArray) m = g_byte_array_new ();
  guint len = size >= 0 ? (guint) size : (guint) strlen (text);
  guint8 head[3] = { 0x05, len & 0xff, len >> 8 };

  g_byte_array_append (m, head, 3);
  append (m, text, strlen (text));
  run_codec (run, &pq_sqlbrowser_codec, PQ_PROTOCOL_UDP, "x", m->data, m->len, 0);
}

#define SQL_TWO \
  "ServerName;SQLHOST;InstanceName;SQLEXPRESS;IsClustered;No;Version;15.0.2000.5;" \
  "tcp;50123;np;\\\\SQLHOST\\pipe\\MSSQL$SQLEXPRESS\\sql\\query;;" \
  "ServerName;SQLHOST;InstanceName;MSSQLSERVER;IsClustered;Yes;Version;16.0.1000.6;" \
  "tcp;1433;np;\\\\SQLHOST\\pipe\\sql\\query;via;SQLHOST,1433:1433;;"

static void
test_sql (void)
{
  g_auto(Run) req = { 0, };
  g_auto(Run) two = { 0, };
  g_auto(Run) past = { 0, };
  g_auto(Run) odd = { 0, };
  g_auto(Run) noend = { 0, };
  g_auto(Run) none = { 0, };
  g_auto(Run) other = { 0, };
  g_auto(Run) evil = { 0, };

  run_codec (&req, &pq_sqlbrowser_codec, PQ_PROTOCOL_UDP, "x", NULL, 0, 0);
  g_assert_cmpmem (req.request->data, req.request->len, "\003", 1);

  run_sql (&two, SQL_TWO, -1);
  g_assert_cmpint (two.step, ==, PQ_STEP_DONE);
  assert_has (two.text, "Instance: SQLHOST\\SQLEXPRESS\n"
                        "      Server name: SQLHOST\n"
                        "      Instance name: SQLEXPRESS\n"
                        "      Clustered: No\n"
                        "      Version: 15.0.2000.5\n"
                        "      TCP port: 50123\n"
                        "      Named pipe: \\\\SQLHOST\\pipe\\MSSQL$SQLEXPRESS\\sql\\query\n");
  assert_has (two.text, "Instance: SQLHOST (default instance)");
  assert_has (two.text, "VIA: SQLHOST,1433:1433");
  g_assert_cmpstr (two.summary, ==, "SQL Server browser: 2 instances (SQLHOST\\SQLEXPRESS on TCP port 50123, "
                                    "SQLHOST (default instance) on TCP port 1433).");

  run_sql (&past, SQL_TWO, 60000);
  g_assert_cmpint (past.step, ==, PQ_STEP_MALFORMED);
  assert_has (past.summary, "2 instances");
  assert_has (past.summary, "the reply was malformed: its length runs past the end of the reply.");

  run_sql (&odd, "ServerName;ODD;InstanceName;ONE;IsClustered;", -1);
  assert_has (odd.summary, "1 instance (ODD\\ONE); the reply was malformed: a name has no value (an odd number of fields).");

  run_sql (&noend, "ServerName;NOEND;InstanceName;TWO;tcp;1435;", -1);
  assert_has (noend.summary, "1 instance (NOEND\\TWO on TCP port 1435); the reply was malformed: the last instance does not end with ;;.");

  run_sql (&none, "", -1);
  g_assert_cmpint (none.step, ==, PQ_STEP_DONE);
  assert_has (none.summary, "SQL Server browser: 0 instances.");

  run_codec (&other, &pq_sqlbrowser_codec, PQ_PROTOCOL_UDP, "x", (const guint8 *) "\x15\x03\x01", 3, 0);
  g_assert_cmpint (other.step, ==, PQ_STEP_MALFORMED);
  assert_has (other.summary, "it is not an SVR_RESP message");

  run_sql (&evil, "ServerName;EVIL\x1b]0;x\x07;InstanceName;\x01\x02;;", -1);
  assert_has (evil.text, "Server name: EVIL\\x1b]0");
}

static void
test_sql_huge (void)
{
  g_auto(Run) run = { 0, };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) big = g_string_new ("ServerName;");
  g_auto(Run) bigrun = { 0, };

  for (guint i = 0; i < 1000 && text->len < 60000; i++)
    g_string_append_printf (text, "ServerName;BIG;InstanceName;I%04u;IsClustered;No;tcp;%u;;", i, 2000 + i);
  run_sql (&run, text->str, -1);
  g_assert_cmpint (run.step, ==, PQ_STEP_DONE);
  assert_has (run.summary, "SQL Server browser: 1000 instances (BIG\\I0000 on TCP port 2000,");
  assert_has (run.summary, "BIG\\I0003 on TCP port 2003, …).");
  assert_has (run.text, "Instance: BIG\\I0063");
  assert_lacks (run.text, "I0064");
  assert_has (run.text, "936 more instances not shown");

  /* One value of 60000 bytes is cut. */
  for (guint i = 0; i < 60000; i++)
    g_string_append_c (big, 'A');
  g_string_append (big, ";;");
  run_sql (&bigrun, big->str, -1);
  g_assert_cmpint (bigrun.step, ==, PQ_STEP_DONE);
  assert_has (bigrun.text, "AAAA…");
  g_assert_cmpuint (strlen (bigrun.text), <, 2 * 600);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dns/request", test_dns_request);
  g_test_add_func ("/dns/captured", test_dns_captured);
  g_test_add_func ("/dns/tcp-pieces", test_dns_tcp_pieces);
  g_test_add_func ("/dns/tcp-short", test_dns_tcp_short);
  g_test_add_func ("/dns/hostile", test_dns_hostile);
  g_test_add_func ("/dns/long-names", test_dns_long_names);
  g_test_add_func ("/dns/hop-limit", test_dns_hop_limit);
  g_test_add_func ("/dns/many-records", test_dns_many_records);
  g_test_add_func ("/nbstat/request", test_nbstat_request);
  g_test_add_func ("/nbstat/captured", test_nbstat_captured);
  g_test_add_func ("/nbstat/hostile", test_nbstat_hostile);
  g_test_add_func ("/sql/replies", test_sql);
  g_test_add_func ("/sql/huge", test_sql_huge);
  return g_test_run ();
}
