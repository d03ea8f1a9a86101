/* fuzz-codec.c: libFuzzer harness for one protocol codec (its header comes
 * in with -include)
 *
 * Built once per codec with -DFUZZ_CODEC=<codec variable> and
 * -DFUZZ_TCP=0|1. The input plays the peer: the harness drives the codec
 * the way the scan engine does (pq-scan-talk.c), feeding the bytes as one
 * stream in chunks (TCP) or as datagrams (UDP), and checks that whatever
 * the codec keeps is valid UTF-8 without control characters. A codec that
 * asks for another connection (PQ_STEP_CONNECT) gets it: the bytes not
 * yet read are dropped, the next input byte says how the connection goes
 * (0: refused, the codec's ended(); else made: the codec speaks first
 * again), and the rest of the input is that connection's peer.
 *
 * FUZZ_HOST is the target as typed (an address sends Kerberos to LDAP
 * first).
 *
 * Input layout: byte 0 sets the chunk size (1 + b0 * 16 bytes), the rest
 * is what the peer sends.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "pq-probe.h"
#include "pq-banner.h"

#ifndef FUZZ_HOST
#define FUZZ_HOST "host.example"
#endif

extern const PqProbeCodec FUZZ_CODEC;

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    abort ();
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      abort ();
}

static void
check_details (GListModel *model,
               guint       depth)
{
  guint n = model ? g_list_model_get_n_items (model) : 0;

  if (depth > 8)
    abort ();   /* codecs must not build unbounded trees */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (model, i);

      check_text (pq_detail_get_label (d));
      check_text (pq_detail_get_value (d));
      check_details (pq_detail_get_children (d), depth + 1);
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const PqProbeCodec *codec = &FUZZ_CODEC;
  PqProbeParams params = { FUZZ_TCP ? PQ_PROTOCOL_TCP : PQ_PROTOCOL_UDP, 1, FUZZ_HOST, "public", 42 };
  PqProbeFindings findings;
  g_autoptr(GByteArray) in = g_byte_array_new ();
  gpointer state;
  gsize chunk, pos = 1, consumed = 0;
  guint steps = 0;
  PqStep step;

  if (size < 1)
    return 0;
  chunk = 1 + (gsize) data[0] * 16;

  state = g_malloc0 (MAX (codec->state_size, 1));
  pq_probe_findings_init (&findings);
  codec->init (state, &params);
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();
    step = codec->step (state, NULL, 0, &consumed, out, &findings);
  }

  while ((step == PQ_STEP_SEND || step == PQ_STEP_READ || step == PQ_STEP_CONNECT) && pos < size &&
         steps++ < PQ_PROBE_MAX_STEPS)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize n;

      if (step == PQ_STEP_CONNECT)
        {
          if (codec->connect_port != NULL)
            codec->connect_port (state);
          g_byte_array_set_size (in, 0);
          if (data[pos++] == 0 && codec->ended != NULL)
            step = codec->ended (state, "Connection refused", &findings);
          else
            step = codec->step (state, NULL, 0, &consumed, out, &findings);
          continue;
        }
      n = MIN (chunk, size - pos);

      consumed = 0;
      if (FUZZ_TCP)
        {
          g_byte_array_append (in, data + pos, (guint) n);
          step = codec->step (state, in->data, in->len, &consumed, out, &findings);
          if (consumed > in->len)
            abort ();
          g_byte_array_remove_range (in, 0, (guint) consumed);
        }
      else
        step = codec->step (state, data + pos, n, &consumed, out, &findings);
      pos += n;
    }

  for (guint i = 0; i < findings.details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (findings.details, i);

      check_text (pq_detail_get_label (d));
      check_text (pq_detail_get_value (d));
      check_details (pq_detail_get_children (d), 1);
    }
  check_text (findings.summary->str);

  if (codec->clear != NULL)
    codec->clear (state);
  g_free (state);
  pq_probe_findings_clear (&findings);
  return 0;
}
