/* pq-rdp.c: an X.224 Connection Request carrying an RDP Negotiation
 * Request, and the server's Connection Confirm (MS-RDPBCGR 2.2.1.1, 2.2.1.2)
 *
 * The request offers TLS, CredSSP and RDSTLS; the server picks one (a
 * Negotiation Response), refuses (a Negotiation Failure, with a reason),
 * or, when it predates negotiation, confirms without either: standard RDP
 * security only. Every protocol but standard RDP security begins with a
 * TLS handshake on the same connection, so the codec then says
 * PQ_STEP_STARTTLS and the engine reads the server's certificate.
 *
 * The first connection shows what the server chooses from all three. A
 * server that chooses TLS over CredSSP accepts clients without Network
 * Level Authentication (a security finding); one that refuses with
 * HYBRID_REQUIRED_BY_SERVER requires it. One that chooses CredSSP may
 * still accept clients without it, which only a second connection
 * offering TLS alone tells (PQ_STEP_CONNECT, pq-probe.h): accepted, its
 * certificate is read there; refused, a third connection offers all three
 * again for the certificate.
 *
 * TPKT (RFC 1006): version 3, reserved, length (big endian, whole packet).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-rdp.h"

#define TPKT_HEADER 4
#define X224_CC_LEN 7          /* LI, code, DST-REF, SRC-REF, class */
#define NEG_LEN 8
#define MAX_PACKET 512         /* a Connection Confirm is 19 bytes */
#define X224_CONNECTION_CONFIRM 0xd0
#define TYPE_NEG_RSP 0x02
#define TYPE_NEG_FAILURE 0x03

#define PROTOCOL_RDP 0x0
#define PROTOCOL_SSL 0x1
#define PROTOCOL_HYBRID 0x2
#define PROTOCOL_RDSTLS 0x4
#define PROTOCOL_HYBRID_EX 0x8

#define REQUEST_PROTOCOLS 15   /* the byte of requestedProtocols set below */

/* TPKT, X.224 CR (LI 14, code 0xE0, DST-REF, SRC-REF, class 0), then
 * RDP_NEG_REQ: type 1, flags 0, length 8, TLS | CredSSP | RDSTLS. */
static const guint8 request[] = {
  0x03, 0x00, 0x00, 0x13,
  0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x08, 0x00,
  PROTOCOL_SSL | PROTOCOL_HYBRID | PROTOCOL_RDSTLS, 0x00, 0x00, 0x00,
};

typedef enum
{
  CONN_NONE,
  CONN_ALL,        /* the first: everything offered */
  CONN_TLS_ONLY,   /* the second: TLS alone, does it refuse? */
  CONN_CERT,       /* the third: everything again, for the certificate */
} Connection;

typedef struct
{
  Connection connection;
} Rdp;

static void
rdp_init (gpointer             state,
          const PqProbeParams *params)
{
}

/* What the server says about NLA, under the port and in the evidence. */
static void
add_nla (PqProbeFindings *findings,
         const char      *value,
         const char      *summary)
{
  GString *s = findings->summary;

  pq_probe_add_detail (findings, "rdp-nla", _("Network Level Authentication"), value);
  if (s->len > 0 && s->str[s->len - 1] == '.')
    g_string_truncate (s, s->len - 1);
  g_string_append (s, summary);
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static const char *
protocol_name (guint32 protocol)
{
  switch (protocol)
    {
    case PROTOCOL_RDP: return _("standard RDP security");
    case PROTOCOL_SSL: return _("TLS");
    case PROTOCOL_HYBRID: return _("CredSSP (NLA)");
    case PROTOCOL_RDSTLS: return _("RDSTLS");
    case PROTOCOL_HYBRID_EX: return _("CredSSP with early user authorization (NLA)");
    default: return NULL;
    }
}

static const char *
failure_text (guint32 code)
{
  switch (code)
    {
    case 1: return _("SSL_REQUIRED_BY_SERVER: the server requires TLS");
    case 2: return _("SSL_NOT_ALLOWED_BY_SERVER: the server allows only standard RDP security, which is weak");
    case 3: return _("SSL_CERT_NOT_ON_SERVER: the server has no certificate for TLS");
    case 4: return _("INCONSISTENT_FLAGS: the server found the request inconsistent");
    case 5: return _("HYBRID_REQUIRED_BY_SERVER: the server requires CredSSP (NLA)");
    case 6: return _("SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER: the server requires TLS with a client certificate");
    default: return NULL;
    }
}

/* RDP_NEG_RSP's flags (MS-RDPBCGR 2.2.1.2.1), named. */
static char *
flags_text (guint8 flags)
{
  static const struct { guint8 bit; const char *name; } names[] = {
    { 0x01, "EXTENDED_CLIENT_DATA_SUPPORTED" },
    { 0x02, "DYNVC_GFX_PROTOCOL_SUPPORTED" },
    { 0x08, "RESTRICTED_ADMIN_MODE_SUPPORTED" },
    { 0x10, "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED" },
  };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (flags & names[i].bit)
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", names[i].name);
  if (s->len == 0)
    g_string_assign (s, _("none"));
  return g_string_free (s, FALSE);
}

/* The server chose @protocol from all those offered. */
static PqStep
read_response (guint8           flags,
               guint32          protocol,
               PqProbeFindings *findings)
{
  const char *name = protocol_name (protocol);
  g_autofree char *shown = name ? g_strdup (name) : g_strdup_printf (_("unknown (0x%08x)"), protocol);
  g_autofree char *flag_names = flags_text (flags);
  gboolean hybrid = protocol == PROTOCOL_HYBRID || protocol == PROTOCOL_HYBRID_EX;

  pq_probe_add_detail (findings, "rdp-protocol", _("Security protocol chosen"), shown);
  pq_probe_add_detail (findings, "rdp-flags", _("Server flags"), flag_names);
  g_string_printf (findings->summary, _("RDP answered: the server chose %s."), shown);
  if (protocol == PROTOCOL_SSL || protocol == PROTOCOL_RDSTLS)
    add_nla (findings, _("not required: offered CredSSP, the server chose TLS, so it accepts "
                         "connections without NLA and shows its sign-in screen to anyone "
                         "(a security risk)"),
             _(", NLA not required: a security risk."));
  if (protocol == PROTOCOL_RDP)
    {
      add_nla (findings, _("not offered: the server uses standard RDP security, so it accepts "
                           "connections without NLA (a security risk)"),
               _(", NLA not offered: a security risk."));
      pq_probe_add_detail (findings, "rdp-standard-security", _("Security"),
                           _("standard RDP security only: weak encryption, and no server certificate "
                             "to check (a security risk)"));
      return PQ_STEP_DONE;
    }
  if (hybrid)
    return PQ_STEP_CONNECT;   /* does it refuse a client without CredSSP? */
  return name != NULL ? PQ_STEP_STARTTLS : PQ_STEP_DONE;
}

static PqStep
read_failure (guint32          code,
              PqProbeFindings *findings)
{
  const char *text = failure_text (code);
  g_autofree char *shown = text ? g_strdup (text) : g_strdup_printf (_("unknown failure code %u"), code);

  pq_probe_add_detail (findings, "rdp-failure", _("Negotiation refused"), shown);
  g_string_printf (findings->summary, _("RDP answered, but refused the negotiation: %s."), shown);
  if (code == 5)
    add_nla (findings, _("required: the server refuses clients without CredSSP (HYBRID_REQUIRED_BY_SERVER)"),
             _(", NLA required."));
  return PQ_STEP_DONE;
}

/* The second connection offered TLS alone, to a server that chose
 * CredSSP: a refusal for want of CredSSP means NLA is required. */
static PqStep
read_tls_only (const guint8    *neg,
               PqProbeFindings *findings)
{
  guint32 value = le32 (neg + 4);

  if (neg[0] == TYPE_NEG_FAILURE && value == 5)
    {
      add_nla (findings, _("required: a second connection offering TLS alone was refused "
                           "(HYBRID_REQUIRED_BY_SERVER)"), _(", NLA required."));
      return PQ_STEP_CONNECT;   /* the certificate, on a third */
    }
  if (neg[0] == TYPE_NEG_RSP && (value == PROTOCOL_SSL || value == PROTOCOL_RDP))
    {
      add_nla (findings, _("supported, not required: a second connection offering TLS alone was "
                           "accepted, so the server accepts connections without NLA (a security risk)"),
               _(", NLA not required: a security risk."));
      return value == PROTOCOL_SSL ? PQ_STEP_STARTTLS : PQ_STEP_CONNECT;
    }
  add_nla (findings, _("supported; a second connection offering TLS alone got an answer that "
                       "does not tell whether it is required"), ".");
  return PQ_STEP_CONNECT;
}

/* One whole TPKT packet: the Connection Confirm and what it carries. */
static PqStep
read_confirm (Rdp             *r,
              const guint8    *p,
              gsize            len,
              PqProbeFindings *findings)
{
  const guint8 *neg = p + TPKT_HEADER + X224_CC_LEN;
  guint li = p[TPKT_HEADER];

  if (len < TPKT_HEADER + X224_CC_LEN || li < X224_CC_LEN - 1 || li + 1 > len - TPKT_HEADER ||
      (p[TPKT_HEADER + 1] & 0xf0) != X224_CONNECTION_CONFIRM)
    return PQ_STEP_MALFORMED;
  if (r->connection == CONN_TLS_ONLY)
    {
      /* A confirm without a (valid) negotiation part tells nothing of NLA. */
      static const guint8 none[NEG_LEN] = { 0 };

      if (li + 1 < X224_CC_LEN + NEG_LEN || neg[2] != NEG_LEN || neg[3] != 0)
        return read_tls_only (none, findings);
      return read_tls_only (neg, findings);
    }
  if (r->connection == CONN_CERT)
    /* Said on the first: only the certificate is wanted now. */
    return li + 1 >= X224_CC_LEN + NEG_LEN && neg[0] == TYPE_NEG_RSP && le32 (neg + 4) != PROTOCOL_RDP &&
           protocol_name (le32 (neg + 4)) != NULL ? PQ_STEP_STARTTLS : PQ_STEP_DONE;
  if (li + 1 < X224_CC_LEN + NEG_LEN)
    {
      pq_probe_add_detail (findings, "rdp-standard-security", _("Security"),
                           _("standard RDP security only: the server does not negotiate "
                             "(older than Windows Server 2003 SP1), weak encryption (a security risk)"));
      g_string_assign (findings->summary, _("RDP answered without negotiation: standard RDP security only."));
      return PQ_STEP_DONE;
    }
  if (neg[2] != NEG_LEN || neg[3] != 0)
    return PQ_STEP_MALFORMED;
  if (neg[0] == TYPE_NEG_RSP)
    return read_response (neg[1], le32 (neg + 4), findings);
  if (neg[0] == TYPE_NEG_FAILURE)
    return read_failure (le32 (neg + 4), findings);
  return PQ_STEP_MALFORMED;
}

/* A connection after the first was refused, reset or closed. */
static PqStep
rdp_ended (gpointer         state,
           const char      *why,
           PqProbeFindings *findings)
{
  Rdp *r = state;
  g_autofree char *value = NULL;

  if (r->connection != CONN_TLS_ONLY)
    return PQ_STEP_DONE;
  /* Translators: why the connection ended (“Connection reset by peer”) */
  value = g_strdup_printf (_("probably required: a second connection offering TLS alone was cut off (%s)"), why);
  add_nla (findings, value, _(", NLA probably required."));
  return PQ_STEP_CONNECT;
}

/* Anything but a TPKT on a later connection ends it, and keeps the first's findings. */
static PqStep
rdp_garbled (Rdp             *r,
             gsize            in_len,
             gsize           *consumed,
             PqProbeFindings *findings)
{
  *consumed = in_len;
  if (r->connection == CONN_TLS_ONLY)
    return rdp_ended (r, _("the answer was not RDP"), findings);
  return r->connection == CONN_CERT ? PQ_STEP_DONE : PQ_STEP_MALFORMED;
}

static PqStep
rdp_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  Rdp *r = state;
  gsize total;

  *consumed = 0;
  if (in == NULL)
    {
      r->connection = r->connection == CONN_NONE ? CONN_ALL
                    : r->connection == CONN_ALL ? CONN_TLS_ONLY : CONN_CERT;
      g_byte_array_append (out, request, sizeof request);
      if (r->connection == CONN_TLS_ONLY)
        out->data[out->len - sizeof request + REQUEST_PROTOCOLS] = PROTOCOL_SSL;
      return PQ_STEP_SEND;
    }
  if (in[0] != 0x03 || (in_len > 1 && in[1] != 0x00))
    return rdp_garbled (r, in_len, consumed, findings);
  if (in_len < TPKT_HEADER)
    return PQ_STEP_READ;
  total = (gsize) in[2] << 8 | in[3];
  if (total < TPKT_HEADER + X224_CC_LEN || total > MAX_PACKET)
    return rdp_garbled (r, in_len, consumed, findings);
  if (in_len < total)
    return PQ_STEP_READ;
  /* Whatever follows is TLS's: leave it unread. */
  *consumed = total;
  {
    PqStep step = read_confirm (r, in, total, findings);

    return step == PQ_STEP_MALFORMED && r->connection != CONN_ALL
      ? rdp_garbled (r, in_len, consumed, findings) : step;
  }
}

/* Requests: one per connection, three at most. */
const PqProbeCodec pq_rdp_codec = {
  "RDP", sizeof (Rdp), rdp_init, rdp_step, NULL, 3, NULL, NULL, 0, FALSE, NULL, rdp_ended
};
