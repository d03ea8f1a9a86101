/* pq-x509.h: what a server's certificate says that GIO does not: its key
 * type and size, its signature algorithm, and its validity period, read
 * from the DER of an X.509 certificate (RFC 5280) with the BER reader
 *
 * The bytes come from the network (the TLS handshake hands them over as
 * they were sent), so the reader is as strict and bounded as the codecs.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *key_type;       /* "RSA", "EC", "Ed25519", "DSA", or the OID */
  guint     key_bits;       /* 0 when unknown */
  char     *curve;          /* "P-256", ...; NULL for other keys */
  char     *signature;      /* "SHA-256 with RSA", ..., or the OID */
  gboolean  weak_signature; /* MD5 or SHA-1 */
  gboolean  have_validity;
  gint64    not_before;     /* Unix time, UTC */
  gint64    not_after;
} PqX509Info;

gboolean  pq_x509_parse        (const guint8 *der,
                                gsize         len,
                                PqX509Info   *info);
void      pq_x509_info_clear   (PqX509Info   *info);
gboolean  pq_x509_parse_time   (guint8        tag,
                                const guint8 *text,
                                gsize         len,
                                gint64       *unix_time);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PqX509Info, pq_x509_info_clear)

G_END_DECLS
