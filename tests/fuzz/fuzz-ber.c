/* fuzz-ber.c: libFuzzer harness for the BER reader alone (pq-ber.c)
 *
 * Walks the input as a stream of elements the way the codecs frame TCP,
 * opening every constructed element down to the depth bound, reading
 * every integer and OID, and writing back what it read: an OID that
 * reads must write and read again to the same text.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pq-ber.h"

static guint elements;

static void
walk (PqBerReader *level)
{
  PqBerTlv tlv;

  while (pq_ber_read (level, &tlv))
    {
      gint64 v;
      guint64 u;

      if (++elements > 100000)
        abort ();   /* every element consumes bytes: this cannot happen */
      if (tlv.tag & PQ_BER_CONSTRUCTED)
        {
          PqBerReader child;

          pq_ber_reader_init (&child, tlv.value, tlv.len);
          child.depth = level->depth + 1;
          if (child.depth <= PQ_BER_MAX_DEPTH)
            walk (&child);
          continue;
        }
      if (pq_ber_tlv_int (&tlv, &v))
        {
          g_autoptr(GByteArray) out = g_byte_array_new ();
          PqBerReader back;
          gint64 w;

          pq_ber_write_int (out, PQ_BER_INTEGER, v);
          pq_ber_reader_init (&back, out->data, out->len);
          if (!pq_ber_read_int (&back, PQ_BER_INTEGER, &w) || w != v)
            abort ();
        }
      (void) pq_ber_tlv_uint (&tlv, &u);
      if (tlv.tag == PQ_BER_OID)
        {
          g_autofree char *oid = pq_ber_oid_to_string (tlv.value, tlv.len);
          g_autoptr(GByteArray) out = g_byte_array_new ();

          /* Arcs past 32 bits or a first byte of 80+ do not write back. */
          if (oid != NULL && pq_ber_write_oid (out, oid))
            {
              g_autofree char *again = pq_ber_oid_to_string (out->data + 2, out->len - 2);

              if (out->data[1] < 0x80 && g_strcmp0 (again, oid) != 0)
                abort ();
            }
        }
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize pos = 0, total;

  elements = 0;
  while (pos < size)
    {
      PqBerStatus status = pq_ber_frame (data + pos, size - pos, 64 * 1024, &total);
      PqBerReader top;

      if (status != PQ_BER_OK)
        break;
      if (total == 0 || total > size - pos)
        abort ();
      pq_ber_reader_init (&top, data + pos, total);
      walk (&top);
      if (top.pos != total)
        abort ();   /* a framed element reads whole */
      pos += total;
    }
  return 0;
}
