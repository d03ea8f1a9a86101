/* pq-ber.h: a strict reader and a small writer of BER (X.690), for LDAP
 * and SNMP
 *
 * Only what those protocols use: one-byte tags, definite lengths of at
 * most four bytes that never run past the enclosing element, bounded
 * nesting and integers that fit in 64 bits. Anything else is refused, so
 * a hostile peer cannot make the reader wait for 4 GB or recurse without
 * end.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nesting allowed below the outermost element. LDAP replies need 5, SNMP 4. */
#define PQ_BER_MAX_DEPTH 12

/* Universal tags, and the class and form bits of a tag byte. */
#define PQ_BER_INTEGER       0x02
#define PQ_BER_OCTET_STRING  0x04
#define PQ_BER_NULL          0x05
#define PQ_BER_OID           0x06
#define PQ_BER_ENUMERATED    0x0a
#define PQ_BER_SEQUENCE      0x30
#define PQ_BER_SET           0x31
#define PQ_BER_APPLICATION   0x40
#define PQ_BER_CONTEXT       0x80
#define PQ_BER_CONSTRUCTED   0x20

typedef enum
{
  PQ_BER_OK,
  PQ_BER_NEED_MORE,   /* the element's header or body is not all there yet */
  PQ_BER_INVALID,     /* not acceptable BER: never will be */
} PqBerStatus;

/* One element: its tag and where its contents lie. */
typedef struct
{
  guint8        tag;
  const guint8 *value;
  gsize         len;
} PqBerTlv;

/* Reads the elements of one level, in order. */
typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  guint         depth;
  gboolean      failed;   /* sticky: one bad element spoils the level */
} PqBerReader;

PqBerStatus  pq_ber_frame          (const guint8  *data,
                                    gsize          len,
                                    gsize          max_len,
                                    gsize         *total);

void         pq_ber_reader_init    (PqBerReader   *reader,
                                    const guint8  *data,
                                    gsize          len);
gboolean     pq_ber_at_end         (PqBerReader   *reader);
gboolean     pq_ber_read           (PqBerReader   *reader,
                                    PqBerTlv      *tlv);
gboolean     pq_ber_read_tag       (PqBerReader   *reader,
                                    guint8         tag,
                                    PqBerTlv      *tlv);
gboolean     pq_ber_enter          (PqBerReader   *reader,
                                    guint8         tag,
                                    PqBerReader   *child);
gboolean     pq_ber_read_int       (PqBerReader   *reader,
                                    guint8         tag,
                                    gint64        *value);

gboolean     pq_ber_tlv_int        (const PqBerTlv *tlv,
                                    gint64         *value);
gboolean     pq_ber_tlv_uint        (const PqBerTlv *tlv,
                                     guint64        *value);
char        *pq_ber_oid_to_string  (const guint8  *data,
                                    gsize          len);

void         pq_ber_write_tlv      (GByteArray    *out,
                                    guint8         tag,
                                    const guint8  *value,
                                    gsize          len);
void         pq_ber_write_int      (GByteArray    *out,
                                    guint8         tag,
                                    gint64         value);
void         pq_ber_write_string   (GByteArray    *out,
                                    guint8         tag,
                                    const char    *text);
gboolean     pq_ber_write_oid      (GByteArray    *out,
                                    const char    *dotted);
void         pq_ber_wrap           (GByteArray    *out,
                                    guint8         tag,
                                    GByteArray    *contents);

G_END_DECLS
