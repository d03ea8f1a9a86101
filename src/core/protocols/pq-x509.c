/* pq-x509.c: the key, signature algorithm and validity of an X.509
 * certificate, from its DER (see pq-x509.h)
 *
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *   signature, issuer, validity, subject, subjectPublicKeyInfo, ... }
 *
 * Only those fields are read; the names and alternative names come from
 * GIO, which has parsed them already. Every element goes through the
 * bounded BER reader, so a hostile certificate can only fail to parse.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-ber.h"
#include "pq-x509.h"

#define BIT_STRING        0x03
#define UTC_TIME          0x17
#define GENERALIZED_TIME  0x18
#define VERSION_TAG       0xa0   /* [0] EXPLICIT, constructed */

typedef struct
{
  const char *oid;
  const char *name;
  guint       bits;      /* keys and curves of a fixed size; 0 otherwise */
  gboolean    weak;      /* signatures: MD5 and SHA-1 are broken */
} OidName;

static const OidName key_types[] = {
  { "1.2.840.113549.1.1.1", "RSA", 0, FALSE },
  { "1.2.840.113549.1.1.10", "RSA-PSS", 0, FALSE },
  { "1.2.840.10045.2.1", "EC", 0, FALSE },
  { "1.2.840.10040.4.1", "DSA", 0, FALSE },
  { "1.3.101.110", "X25519", 256, FALSE },
  { "1.3.101.111", "X448", 448, FALSE },
  { "1.3.101.112", "Ed25519", 256, FALSE },
  { "1.3.101.113", "Ed448", 456, FALSE },
};

static const OidName curves[] = {
  { "1.2.840.10045.3.1.7", "P-256", 256, FALSE },
  { "1.3.132.0.34", "P-384", 384, FALSE },
  { "1.3.132.0.35", "P-521", 521, FALSE },
  { "1.3.132.0.10", "secp256k1", 256, FALSE },
  { "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256, FALSE },
  { "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384, FALSE },
  { "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512, FALSE },
};

static const OidName signatures[] = {
  { "1.2.840.113549.1.1.4", "MD5 with RSA", 0, TRUE },
  { "1.2.840.113549.1.1.5", "SHA-1 with RSA", 0, TRUE },
  { "1.2.840.113549.1.1.14", "SHA-224 with RSA", 0, FALSE },
  { "1.2.840.113549.1.1.11", "SHA-256 with RSA", 0, FALSE },
  { "1.2.840.113549.1.1.12", "SHA-384 with RSA", 0, FALSE },
  { "1.2.840.113549.1.1.13", "SHA-512 with RSA", 0, FALSE },
  { "1.2.840.113549.1.1.10", "RSASSA-PSS", 0, FALSE },
  { "1.2.840.10045.4.1", "ECDSA with SHA-1", 0, TRUE },
  { "1.2.840.10045.4.3.1", "ECDSA with SHA-224", 0, FALSE },
  { "1.2.840.10045.4.3.2", "ECDSA with SHA-256", 0, FALSE },
  { "1.2.840.10045.4.3.3", "ECDSA with SHA-384", 0, FALSE },
  { "1.2.840.10045.4.3.4", "ECDSA with SHA-512", 0, FALSE },
  { "1.2.840.10040.4.3", "DSA with SHA-1", 0, TRUE },
  { "2.16.840.1.101.3.4.3.2", "DSA with SHA-256", 0, FALSE },
  { "1.3.101.112", "Ed25519", 0, FALSE },
  { "1.3.101.113", "Ed448", 0, FALSE },
};

static const OidName *
find_oid (const OidName *table,
          gsize          n,
          const char    *oid)
{
  for (gsize i = 0; oid != NULL && i < n; i++)
    if (strcmp (table[i].oid, oid) == 0)
      return &table[i];
  return NULL;
}

/* Bits of an unsigned INTEGER's magnitude, leading zero bytes skipped. */
static guint
integer_bits (const PqBerTlv *tlv)
{
  gsize i = 0;
  guint8 top;
  guint bits = 0;

  while (i < tlv->len && tlv->value[i] == 0)
    i++;
  if (i == tlv->len || tlv->len - i > 8192)
    return 0;
  for (top = tlv->value[i]; top != 0; top >>= 1)
    bits++;
  return (guint) (tlv->len - i - 1) * 8 + bits;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
static char *
read_algorithm (PqBerReader *reader,
                PqBerTlv    *parameters)
{
  PqBerReader alg;
  PqBerTlv oid;

  memset (parameters, 0, sizeof *parameters);
  if (!pq_ber_enter (reader, PQ_BER_SEQUENCE, &alg) ||
      !pq_ber_read_tag (&alg, PQ_BER_OID, &oid))
    return NULL;
  if (!pq_ber_at_end (&alg) && !pq_ber_read (&alg, parameters))
    return NULL;
  return pq_ber_oid_to_string (oid.value, oid.len);
}

/* Two digits at @s, or -1. */
static int
two_digits (const guint8 *s)
{
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/**
 * pq_x509_parse_time:
 *
 * RFC 5280's two forms: UTCTime "YYMMDDHHMMSSZ" (years 1950 to 2049) and
 * GeneralizedTime "YYYYMMDDHHMMSSZ". Nothing else is accepted.
 */
gboolean
pq_x509_parse_time (guint8        tag,
                    const guint8 *text,
                    gsize         len,
                    gint64       *unix_time)
{
  int f[7];
  g_autoptr(GDateTime) dt = NULL;
  gsize n = tag == UTC_TIME ? 6 : 7;

  if ((tag != UTC_TIME || len != 13) && (tag != GENERALIZED_TIME || len != 15))
    return FALSE;
  if (text[len - 1] != 'Z')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if ((f[i] = two_digits (text + 2 * i)) < 0)
      return FALSE;
  if (tag == UTC_TIME)
    {
      memmove (f + 1, f, 6 * sizeof f[0]);
      f[0] = f[1] >= 50 ? 19 : 20;
    }
  dt = g_date_time_new_utc (f[0] * 100 + f[1], f[2], f[3], f[4], f[5], f[6]);
  if (dt == NULL)
    return FALSE;
  *unix_time = g_date_time_to_unix (dt);
  return TRUE;
}

/* Validity ::= SEQUENCE { notBefore Time, notAfter Time } */
static gboolean
read_validity (PqBerReader *tbs,
               PqX509Info  *info)
{
  PqBerReader validity;
  PqBerTlv before, after;

  if (!pq_ber_enter (tbs, PQ_BER_SEQUENCE, &validity) ||
      !pq_ber_read (&validity, &before) || !pq_ber_read (&validity, &after))
    return FALSE;
  info->have_validity = pq_x509_parse_time (before.tag, before.value, before.len, &info->not_before) &&
                        pq_x509_parse_time (after.tag, after.value, after.len, &info->not_after);
  return TRUE;
}

/* The size of an RSA modulus (RSAPublicKey in the BIT STRING) or a DSA
 * prime (in the parameters); fixed for curves and the Edwards keys. */
static guint
key_size (const char     *type,
          const PqBerTlv *params,
          const PqBerTlv *key)
{
  PqBerReader r, seq;
  PqBerTlv n;

  if (g_str_has_prefix (type, "RSA"))
    {
      if (key->len < 1 || key->value[0] != 0)
        return 0;
      pq_ber_reader_init (&r, key->value + 1, key->len - 1);
      if (pq_ber_enter (&r, PQ_BER_SEQUENCE, &seq) && pq_ber_read_tag (&seq, PQ_BER_INTEGER, &n))
        return integer_bits (&n);
      return 0;
    }
  if (strcmp (type, "DSA") == 0 && params->tag == PQ_BER_SEQUENCE)
    {
      pq_ber_reader_init (&seq, params->value, params->len);
      if (pq_ber_read_tag (&seq, PQ_BER_INTEGER, &n))
        return integer_bits (&n);
    }
  return 0;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING } */
static gboolean
read_key (PqBerReader *tbs,
          PqX509Info  *info)
{
  PqBerReader spki;
  PqBerTlv params, key;
  g_autofree char *oid = NULL;
  const OidName *type;

  if (!pq_ber_enter (tbs, PQ_BER_SEQUENCE, &spki) ||
      (oid = read_algorithm (&spki, &params)) == NULL ||
      !pq_ber_read_tag (&spki, BIT_STRING, &key))
    return FALSE;
  type = find_oid (key_types, G_N_ELEMENTS (key_types), oid);
  info->key_type = g_strdup (type ? type->name : oid);
  info->key_bits = type ? type->bits : 0;
  if (type != NULL && strcmp (type->name, "EC") == 0 && params.tag == PQ_BER_OID)
    {
      g_autofree char *curve_oid = pq_ber_oid_to_string (params.value, params.len);
      const OidName *curve = find_oid (curves, G_N_ELEMENTS (curves), curve_oid);

      info->curve = curve ? g_strdup (curve->name) : g_steal_pointer (&curve_oid);
      info->key_bits = curve ? curve->bits : 0;
    }
  else if (type != NULL && info->key_bits == 0)
    info->key_bits = key_size (type->name, &params, &key);
  return TRUE;
}

/* TBSCertificate, up to the subject's public key. */
static gboolean
read_tbs (PqBerReader *cert,
          PqX509Info  *info)
{
  PqBerReader tbs;
  PqBerTlv tlv, params;
  g_autofree char *inner = NULL;

  if (!pq_ber_enter (cert, PQ_BER_SEQUENCE, &tbs) || !pq_ber_read (&tbs, &tlv))
    return FALSE;
  if (tlv.tag == VERSION_TAG && !pq_ber_read (&tbs, &tlv))
    return FALSE;
  if (tlv.tag != PQ_BER_INTEGER)                      /* serialNumber */
    return FALSE;
  if ((inner = read_algorithm (&tbs, &params)) == NULL ||
      !pq_ber_read_tag (&tbs, PQ_BER_SEQUENCE, &tlv))  /* issuer */
    return FALSE;
  if (!read_validity (&tbs, info) ||
      !pq_ber_read_tag (&tbs, PQ_BER_SEQUENCE, &tlv))  /* subject */
    return FALSE;
  return read_key (&tbs, info);
}

/**
 * pq_x509_parse:
 * @info: (out caller-allocates): cleared first; clear it with
 *   pq_x509_info_clear() whatever this returns
 *
 * Returns: %TRUE if @der is a certificate whose key and signature
 *   algorithm could be read
 */
gboolean
pq_x509_parse (const guint8 *der,
               gsize         len,
               PqX509Info   *info)
{
  PqBerReader top, cert;
  PqBerTlv params;
  g_autofree char *oid = NULL;
  const OidName *sig;

  memset (info, 0, sizeof *info);
  pq_ber_reader_init (&top, der, len);
  if (!pq_ber_enter (&top, PQ_BER_SEQUENCE, &cert) || !read_tbs (&cert, info) ||
      (oid = read_algorithm (&cert, &params)) == NULL)
    return FALSE;
  sig = find_oid (signatures, G_N_ELEMENTS (signatures), oid);
  info->signature = g_strdup (sig ? sig->name : oid);
  info->weak_signature = sig ? sig->weak : FALSE;
  return TRUE;
}

void
pq_x509_info_clear (PqX509Info *info)
{
  g_clear_pointer (&info->key_type, g_free);
  g_clear_pointer (&info->curve, g_free);
  g_clear_pointer (&info->signature, g_free);
}
