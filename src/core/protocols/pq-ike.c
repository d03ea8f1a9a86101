/* pq-ike.c: IKE to UDP 500: an IKEv2 IKE_SA_INIT request (RFC 7296),
 * and on the next try an ISAKMP main-mode proposal (IKEv1, RFC 2408/2409);
 * to UDP 4500 (NAT traversal) the same messages behind the four zero
 * bytes of the non-ESP marker (RFC 3948 section 2.2, RFC 7296 section
 * 2.23), which a reply must carry too
 *
 * Any answer proves an IKE responder: most often a NO_PROPOSAL_CHOSEN
 * notify, since the proposal (AES-128, SHA-256 or SHA-1, MODP 2048, with a
 * key-exchange value that is not a real key) matches nothing configured,
 * or an INVALID_KE_PAYLOAD asking for another group. The reply is read
 * for its version, exchange, notifies and vendor ids; nothing is
 * negotiated further. PortQry sends from port 500: some peers answer only
 * there, so the engine tries that source port (source_port) and the
 * evidence says when it could not.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ike.h"

#define HEADER_LEN     28
#define KE_LEN         256          /* MODP 2048 */
#define NONCE_LEN      32
#define MAX_PAYLOADS   32
#define MAX_NOTIFIES   8

/* payload types */
enum { V1_SA = 1, V1_NOTIFY = 11, V1_VENDOR = 13,
       V2_SA = 33, V2_KE = 34, V2_NONCE = 40, V2_NOTIFY = 41, V2_VENDOR = 43 };

#define MARKER_LEN     4            /* the non-ESP marker on UDP 4500 */

typedef struct
{
  guint8   spi[8];
  guint32  seed;
  gboolean natt;                    /* UDP 4500: messages behind the marker */
} Ike;

typedef struct
{
  guint        major;
  guint        exchange;
  gboolean     sa;             /* the responder chose a proposal */
  GPtrArray   *notifies;       /* char*: "NO_PROPOSAL_CHOSEN (14)" */
  GPtrArray   *vendors;        /* char*: a known name or the id in hex */
} Reply;

static guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static void
ike_init (gpointer             state,
          const PqProbeParams *params)
{
  Ike *ike = state;
  guint32 x = params->seed | 1;

  /* xorshift: an initiator SPI that is not zero (zero is the responder's) */
  for (guint i = 0; i < 8; i++)
    {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      ike->spi[i] = (guint8) x;
    }
  ike->spi[0] |= 0x80;
  ike->seed = x;
}

static void
ike_natt_init (gpointer             state,
               const PqProbeParams *params)
{
  ike_init (state, params);
  ((Ike *) state)->natt = TRUE;
}

/* The IKE header, its length filled in once the payloads are there. */
static void
put_header (Ike        *ike,
            GByteArray *out,
            guint8      next,
            guint8      version,
            guint8      exchange,
            guint8      flags)
{
  static const guint8 zero[8] = { 0 };
  guint8 rest[8] = { next, version, exchange, flags, 0, 0, 0, 0 };

  if (ike->natt)
    g_byte_array_append (out, zero, MARKER_LEN);
  g_byte_array_append (out, ike->spi, 8);
  g_byte_array_append (out, zero, 8);
  g_byte_array_append (out, rest, 8);
  g_byte_array_append (out, zero, 4);
}

/* The message's length, the marker not counted. */
static void
finish_length (Ike        *ike,
               GByteArray *out)
{
  guint base = ike->natt ? MARKER_LEN : 0;
  guint len = out->len - base;

  out->data[base + 24] = len >> 24;
  out->data[base + 25] = (len >> 16) & 0xff;
  out->data[base + 26] = (len >> 8) & 0xff;
  out->data[base + 27] = len & 0xff;
}

/* IKEv2 IKE_SA_INIT: SA (one proposal), KE (group 14), Nonce. */
static void
build_v2 (Ike        *ike,
          GByteArray *out)
{
  static const guint8 sa[] = {
    V2_KE, 0, 0, 48,                          /* SA payload, 48 bytes */
    0, 0, 0, 44, 1, 1, 0, 4,                  /* proposal 1, IKE, no SPI, 4 transforms */
    3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 0, 128, /* ENCR AES-CBC, key length 128 */
    3, 0, 0, 8, 2, 0, 0, 5,                   /* PRF HMAC-SHA2-256 */
    3, 0, 0, 8, 3, 0, 0, 12,                  /* INTEG HMAC-SHA2-256-128 */
    0, 0, 0, 8, 4, 0, 0, 14,                  /* D-H MODP 2048 */
  };
  guint8 ke_head[8] = { V2_NONCE, 0, (KE_LEN + 8) >> 8, (KE_LEN + 8) & 0xff, 0, 14, 0, 0 };
  guint8 nonce_head[4] = { 0, 0, 0, NONCE_LEN + 4 };
  guint32 x = ike->seed;

  put_header (ike, out, V2_SA, 0x20, 34, 0x08);   /* IKE_SA_INIT, initiator */
  g_byte_array_append (out, sa, sizeof sa);
  g_byte_array_append (out, ke_head, sizeof ke_head);
  for (guint i = 0; i < KE_LEN + NONCE_LEN; i++)
    {
      guint8 b;

      if (i == KE_LEN)
        g_byte_array_append (out, nonce_head, sizeof nonce_head);
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      b = i == 0 ? 0x7f : (guint8) x;   /* below the group's prime */
      g_byte_array_append (out, &b, 1);
    }
  finish_length (ike, out);
}

/* ISAKMP main mode: one SA with one IKE transform (AES-128, SHA-1,
 * pre-shared key, MODP 2048, 8 hours). */
static void
build_v1 (Ike        *ike,
          GByteArray *out)
{
  static const guint8 sa[] = {
    0, 0, 0, 56, 0, 0, 0, 1, 0, 0, 0, 1,      /* SA: DOI IPsec, identity only */
    0, 0, 0, 44, 1, 1, 0, 1,                  /* proposal 1, ISAKMP, 1 transform */
    0, 0, 0, 36, 1, 1, 0, 0,                  /* transform 1, KEY_IKE */
    0x80, 1, 0, 7, 0x80, 14, 0, 128,          /* AES-CBC, 128 bits */
    0x80, 2, 0, 2, 0x80, 3, 0, 1,             /* SHA-1, pre-shared key */
    0x80, 4, 0, 14, 0x80, 11, 0, 1,           /* MODP 2048, life in seconds */
    0x80, 12, 0x70, 0x80,                     /* 28800 s */
  };

  put_header (ike, out, V1_SA, 0x10, 2, 0);      /* Identity Protection */
  g_byte_array_append (out, sa, sizeof sa);
  finish_length (ike, out);
}

/* Odd tries ask in IKEv2, even ones in IKEv1: peers that speak only
 * one of them answer one of the tries. */
static void
ike_retry (gpointer    state,
           guint       try,
           GByteArray *out)
{
  if (try % 2 == 0)
    build_v1 (state, out);
  else
    build_v2 (state, out);
}

static char *
notify_text (guint type)
{
  static const struct { guint type; const char *name; } names[] = {
    { 1, "UNSUPPORTED_CRITICAL_PAYLOAD" }, { 4, "INVALID_IKE_SPI" },
    { 5, "INVALID_MAJOR_VERSION" }, { 7, "INVALID_SYNTAX" },
    { 11, "INVALID_MESSAGE_ID" }, { 14, "NO_PROPOSAL_CHOSEN" },
    { 17, "INVALID_KE_PAYLOAD" }, { 24, "AUTHENTICATION_FAILED" },
    { 16390, "COOKIE" }, { 16388, "NAT_DETECTION_SOURCE_IP" },
    { 16389, "NAT_DETECTION_DESTINATION_IP" }, { 16404, "MULTIPLE_AUTH_SUPPORTED" },
    { 16430, "IKEV2_FRAGMENTATION_SUPPORTED" }, { 16431, "SIGNATURE_HASH_ALGORITHMS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].type == type)
      return g_strdup_printf ("%s (%u)", names[i].name, type);
  return g_strdup_printf ("%u", type);
}

static char *
vendor_text (const guint8 *p,
             gsize         len)
{
  static const struct { const char *hex; const char *name; } known[] = {
    { "882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan" },
    { "4a131c81070358455c5728f20e95452f", "RFC 3947 NAT-T" },
    { "afcad71368a1f1c96b8696fc77570100", "Dead Peer Detection" },
    { "09002689dfd6b712", "XAUTH" },
    { "4048b7d56ebce88525e7de7f00d6c2d3", "IKE fragmentation" },
    { "1e2b516905991c7d7c96fcbfb587e461", "Microsoft Windows" },
  };
  g_autofree char *hex = NULL;
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < MIN (len, 32); i++)
    g_string_append_printf (s, "%02x", p[i]);
  hex = g_string_free (s, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_has_prefix (hex, known[i].hex))
      return g_strdup_printf ("%s (%s)", known[i].name, hex);
  return g_steal_pointer (&hex);
}

/* One payload's body: what it says of the responder. */
static void
read_payload (Reply        *r,
              guint         type,
              const guint8 *body,
              gsize         len)
{
  gsize at = r->major == 2 ? 2 : 6;   /* v2: protocol, SPI size; v1: DOI too */

  if (type == V1_SA || type == V2_SA)
    r->sa = TRUE;
  else if ((type == V1_NOTIFY || type == V2_NOTIFY) && len >= at + 2 && r->notifies->len < MAX_NOTIFIES)
    g_ptr_array_add (r->notifies, notify_text (rd16 (body + at)));
  else if ((type == V1_VENDOR || type == V2_VENDOR) && r->vendors->len < MAX_NOTIFIES)
    g_ptr_array_add (r->vendors, vendor_text (body, len));
}

static const char *
read_payloads (Reply        *r,
               guint         next,
               const guint8 *p,
               gsize         len)
{
  for (guint n = 0; next != 0; n++)
    {
      guint16 plen;

      if (n >= MAX_PAYLOADS)
        return N_("it has too many payloads");
      if (len < 4 || (plen = rd16 (p + 2)) < 4 || plen > len)
        return N_("a payload runs past the end");
      read_payload (r, next, p + 4, plen - 4);
      next = p[0];
      p += plen;
      len -= plen;
    }
  return NULL;
}

static const char *
exchange_name (guint major,
               guint exchange)
{
  if (major == 2)
    return exchange == 34 ? "IKE_SA_INIT" : exchange == 37 ? "INFORMATIONAL" : NULL;
  return exchange == 2 ? _("main mode") : exchange == 5 ? _("informational") :
         exchange == 4 ? _("aggressive mode") : NULL;
}

static void
report (Reply           *r,
        PqProbeFindings *findings)
{
  const char *version = r->major == 2 ? "IKEv2" : "ISAKMP (IKEv1)";
  const char *exchange = exchange_name (r->major, r->exchange);
  g_autofree char *exchange_text = exchange ? g_strdup (exchange) : g_strdup_printf ("%u", r->exchange);

  pq_probe_add_detail (findings, "ike-version", _("Version"), version);
  pq_probe_add_detail (findings, "ike-exchange", _("Exchange"), exchange_text);
  if (r->sa)
    pq_probe_add_detail (findings, "ike-proposal", _("Proposal"), _("accepted"));
  for (guint i = 0; i < r->notifies->len; i++)
    pq_probe_add_detail (findings, "ike-notify", _("Notify"), g_ptr_array_index (r->notifies, i));
  for (guint i = 0; i < r->vendors->len; i++)
    pq_probe_add_detail (findings, "ike-vendor", _("Vendor ID"), g_ptr_array_index (r->vendors, i));

  /* Translators: the IKE version, then the exchange (“IKE_SA_INIT”) */
  g_string_printf (findings->summary, _("%s responder answered (%s)"), version, exchange_text);
  if (r->notifies->len > 0)
    g_string_append_printf (findings->summary, ": %s", (char *) g_ptr_array_index (r->notifies, 0));
  else if (r->sa)
    g_string_append_printf (findings->summary, ": %s", _("it accepted the proposal"));
  g_string_append_c (findings->summary, '.');
}

static PqStep
malformed (PqProbeFindings *findings,
           const char      *why)
{
  return pq_probe_malformed (findings, "IKE", "ike-malformed", why);
}

static PqStep
parse_reply (Ike             *ike,
             const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  Reply r = { 0 };
  const char *error;
  gsize size;
  static const guint8 marker[MARKER_LEN] = { 0 };

  if (ike->natt)
    {
      /* Four bytes not zero would be an ESP packet's SPI, not IKE. */
      if (len < MARKER_LEN || memcmp (msg, marker, MARKER_LEN) != 0)
        return malformed (findings, N_("it lacks the non-ESP marker IKE has on UDP 4500"));
      msg += MARKER_LEN;
      len -= MARKER_LEN;
    }
  if (len < HEADER_LEN)
    return malformed (findings, N_("too short for an IKE header"));
  if (memcmp (msg, ike->spi, 8) != 0)
    return malformed (findings, N_("its initiator SPI is not the query's"));
  r.major = msg[17] >> 4;
  r.exchange = msg[18];
  if (r.major != 1 && r.major != 2)
    return malformed (findings, N_("its IKE version is neither 1 nor 2"));
  size = ((gsize) msg[24] << 24) | ((gsize) msg[25] << 16) | ((gsize) msg[26] << 8) | msg[27];
  if (size < HEADER_LEN || size > len)
    return malformed (findings, N_("its length does not match the datagram"));

  r.notifies = g_ptr_array_new_with_free_func (g_free);
  r.vendors = g_ptr_array_new_with_free_func (g_free);
  /* IKEv1 informational messages after a failed main mode may be
   * encrypted (flag 1): the header alone proves the responder. */
  error = r.major == 1 && (msg[19] & 1) ? NULL : read_payloads (&r, msg[16], msg + HEADER_LEN, size - HEADER_LEN);
  if (error == NULL)
    report (&r, findings);
  g_ptr_array_unref (r.notifies);
  g_ptr_array_unref (r.vendors);
  return error ? malformed (findings, error) : PQ_STEP_DONE;
}

static PqStep
ike_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  *consumed = in_len;
  if (in == NULL)
    {
      build_v2 (state, out);
      return PQ_STEP_SEND;
    }
  return parse_reply (state, in, in_len, findings);
}

const PqProbeCodec pq_ike_codec = {
  "IKE", sizeof (Ike), ike_init, ike_step, NULL, 1,
  N_("No reply to IKE: no IPsec (IKE) service runs there, a firewall drops UDP 500, or the peer answers only queries sent from port 500."),
  ike_retry, 500, FALSE,
};

/* NAT traversal's port: peers behind NAT talk IKE from 4500 to 4500. */
const PqProbeCodec pq_ike_natt_codec = {
  "IKE", sizeof (Ike), ike_natt_init, ike_step, NULL, 1,
  N_("No reply to IKE on UDP 4500 (NAT traversal): no IPsec service with NAT traversal runs there, a firewall drops UDP 4500, or the peer answers only queries sent from port 4500."),
  ike_retry, 4500, FALSE,
};
