/* pq-ber.c: a strict BER reader and a small writer (see pq-ber.h)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-ber.h"

/* Arcs of an OID shown at most; real ones have a dozen or two. */
#define MAX_OID_ARCS 64

/* Reads a tag and a definite length at @data. Returns: NEED_MORE when the
 * header is cut short, INVALID for a multi-byte tag, the indefinite form
 * or a length of more than four bytes. */
static PqBerStatus
read_header (const guint8 *data,
             gsize         len,
             guint8       *tag,
             gsize        *header,
             guint64      *body)
{
  guint n;

  if (len < 2)
    return PQ_BER_NEED_MORE;
  if ((data[0] & 0x1f) == 0x1f)
    return PQ_BER_INVALID;   /* high tag numbers: used by neither protocol */
  *tag = data[0];
  if (data[1] < 0x80)
    {
      *header = 2;
      *body = data[1];
      return PQ_BER_OK;
    }
  n = data[1] & 0x7f;
  if (n == 0 || n > 4)
    return PQ_BER_INVALID;   /* indefinite length, or more than 4 GB */
  if (len < 2 + (gsize) n)
    return PQ_BER_NEED_MORE;
  *body = 0;
  for (guint i = 0; i < n; i++)
    *body = (*body << 8) | data[2 + i];
  *header = 2 + n;
  return PQ_BER_OK;
}

/**
 * pq_ber_frame:
 * @max_len: the largest element accepted
 * @total: (out): the element's size with its header, when OK
 *
 * Where a stream holds one element: OK when all of it is in @data,
 * NEED_MORE when more bytes are to come (@total is then the size to
 * wait for, or 0 while the header is cut), INVALID when it can never be
 * read (bad header, or longer than @max_len).
 */
PqBerStatus
pq_ber_frame (const guint8 *data,
              gsize         len,
              gsize         max_len,
              gsize        *total)
{
  guint8 tag;
  gsize header;
  guint64 body;
  PqBerStatus status;

  *total = 0;   /* not known until the header is whole */
  status = read_header (data, len, &tag, &header, &body);
  if (status != PQ_BER_OK)
    return status;
  if (body > max_len || header + body > max_len)
    return PQ_BER_INVALID;
  *total = header + (gsize) body;
  return *total <= len ? PQ_BER_OK : PQ_BER_NEED_MORE;
}

void
pq_ber_reader_init (PqBerReader  *reader,
                    const guint8 *data,
                    gsize         len)
{
  *reader = (PqBerReader) { .data = data, .len = len };
}

gboolean
pq_ber_at_end (PqBerReader *reader)
{
  return reader->failed || reader->pos >= reader->len;
}

/* The next element of this level; FALSE (and the reader fails) if it is
 * not well formed or runs past the end of the level. */
gboolean
pq_ber_read (PqBerReader *reader,
             PqBerTlv    *tlv)
{
  gsize left, header;
  guint64 body;

  if (reader->failed || reader->pos >= reader->len)
    return FALSE;
  left = reader->len - reader->pos;
  if (read_header (reader->data + reader->pos, left, &tlv->tag, &header, &body) != PQ_BER_OK ||
      body > left - header)
    {
      reader->failed = TRUE;
      return FALSE;
    }
  tlv->value = reader->data + reader->pos + header;
  tlv->len = (gsize) body;
  reader->pos += header + (gsize) body;
  return TRUE;
}

/* The next element, which must carry @tag. */
gboolean
pq_ber_read_tag (PqBerReader *reader,
                 guint8       tag,
                 PqBerTlv    *tlv)
{
  if (!pq_ber_read (reader, tlv))
    return FALSE;
  if (tlv->tag != tag)
    {
      reader->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Opens the next element, a constructed one with @tag, as a reader one
 * level down; refuses to go deeper than PQ_BER_MAX_DEPTH. */
gboolean
pq_ber_enter (PqBerReader *reader,
              guint8       tag,
              PqBerReader *child)
{
  PqBerTlv tlv;

  if (reader->depth >= PQ_BER_MAX_DEPTH || !(tag & PQ_BER_CONSTRUCTED) ||
      !pq_ber_read_tag (reader, tag, &tlv))
    {
      reader->failed = TRUE;
      return FALSE;
    }
  pq_ber_reader_init (child, tlv.value, tlv.len);
  child->depth = reader->depth + 1;
  return TRUE;
}

/* A two's-complement integer of 1 to 8 bytes. */
gboolean
pq_ber_tlv_int (const PqBerTlv *tlv,
                gint64         *value)
{
  guint64 v;

  if (tlv->len == 0 || tlv->len > 8)
    return FALSE;
  v = (tlv->value[0] & 0x80) ? G_MAXUINT64 : 0;
  for (gsize i = 0; i < tlv->len; i++)
    v = (v << 8) | tlv->value[i];
  *value = (gint64) v;
  return TRUE;
}

/* An unsigned integer (SNMP's Counter64 and TimeTicks): up to 8 value
 * bytes after an optional leading zero. */
gboolean
pq_ber_tlv_uint (const PqBerTlv *tlv,
                 guint64        *value)
{
  const guint8 *p = tlv->value;
  gsize len = tlv->len;

  if (len > 1 && p[0] == 0)
    {
      p++;
      len--;
    }
  if (len == 0 || len > 8)
    return FALSE;
  *value = 0;
  for (gsize i = 0; i < len; i++)
    *value = (*value << 8) | p[i];
  return TRUE;
}

gboolean
pq_ber_read_int (PqBerReader *reader,
                 guint8       tag,
                 gint64      *value)
{
  PqBerTlv tlv;

  if (!pq_ber_read_tag (reader, tag, &tlv))
    return FALSE;
  if (!pq_ber_tlv_int (&tlv, value))
    {
      reader->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/**
 * pq_ber_oid_to_string:
 *
 * Returns: (transfer full) (nullable): the OID's contents in dotted form,
 *   or NULL if they are not a valid OID (empty, cut inside an arc, an arc
 *   past 64 bits, or more than MAX_OID_ARCS arcs)
 */
char *
pq_ber_oid_to_string (const guint8 *data,
                      gsize         len)
{
  GString *s;
  guint64 arc = 0;
  guint arcs = 0;

  if (len == 0 || (data[len - 1] & 0x80))
    return NULL;
  s = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (arc > (G_MAXUINT64 >> 7))
        goto bad;
      arc = (arc << 7) | (data[i] & 0x7f);
      if (data[i] & 0x80)
        continue;
      if (++arcs > MAX_OID_ARCS)
        goto bad;
      if (s->len == 0)
        {
          /* The first subidentifier holds two arcs: 40 * X + Y. */
          guint64 first = arc < 80 ? arc / 40 : 2;

          g_string_append_printf (s, "%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, first, arc - first * 40);
        }
      else
        g_string_append_printf (s, ".%" G_GUINT64_FORMAT, arc);
      arc = 0;
    }
  return g_string_free (s, FALSE);

bad:
  g_string_free (s, TRUE);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void
write_length (GByteArray *out,
              gsize       len)
{
  guint8 b[5];
  guint n = 0;

  if (len < 0x80)
    {
      b[0] = (guint8) len;
      g_byte_array_append (out, b, 1);
      return;
    }
  for (gsize l = len; l > 0; l >>= 8)
    n++;
  b[0] = (guint8) (0x80 | n);
  for (guint i = 0; i < n; i++)
    b[1 + i] = (guint8) (len >> (8 * (n - 1 - i)));
  g_byte_array_append (out, b, 1 + n);
}

void
pq_ber_write_tlv (GByteArray   *out,
                  guint8        tag,
                  const guint8 *value,
                  gsize         len)
{
  g_byte_array_append (out, &tag, 1);
  write_length (out, len);
  if (len > 0)
    g_byte_array_append (out, value, (guint) len);
}

/* The shortest two's-complement form of @value. */
void
pq_ber_write_int (GByteArray *out,
                  guint8      tag,
                  gint64      value)
{
  guint8 b[8];
  guint n = 8;

  for (guint i = 0; i < 8; i++)
    b[i] = (guint8) ((guint64) value >> (8 * (7 - i)));
  while (n > 1 && ((b[8 - n] == 0x00 && !(b[9 - n] & 0x80)) ||
                   (b[8 - n] == 0xff && (b[9 - n] & 0x80))))
    n--;
  pq_ber_write_tlv (out, tag, b + 8 - n, n);
}

void
pq_ber_write_string (GByteArray *out,
                     guint8      tag,
                     const char *text)
{
  pq_ber_write_tlv (out, tag, (const guint8 *) text, strlen (text));
}

/* Returns: FALSE if @dotted is not an OID of two arcs or more */
gboolean
pq_ber_write_oid (GByteArray *out,
                  const char *dotted)
{
  g_auto(GStrv) parts = g_strsplit (dotted, ".", MAX_OID_ARCS + 1);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint n = g_strv_length (parts);
  guint64 arcs[MAX_OID_ARCS];

  if (n < 2 || n > MAX_OID_ARCS)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &arcs[i], NULL))
      return FALSE;
  if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
    return FALSE;
  arcs[1] += arcs[0] * 40;
  for (guint i = 1; i < n; i++)
    {
      guint8 b[10];
      guint k = 0;

      for (guint64 v = arcs[i]; ; v >>= 7)
        {
          b[k++] = (guint8) (v & 0x7f);
          if (v < 0x80)
            break;
        }
      while (k > 0)
        {
          guint8 c;

          k--;
          c = b[k] | (k > 0 ? 0x80 : 0);
          g_byte_array_append (body, &c, 1);
        }
    }
  pq_ber_write_tlv (out, PQ_BER_OID, body->data, body->len);
  return TRUE;
}

/* Appends @contents to @out as the body of a constructed element. */
void
pq_ber_wrap (GByteArray *out,
             guint8      tag,
             GByteArray *contents)
{
  pq_ber_write_tlv (out, tag, contents->data, contents->len);
}
