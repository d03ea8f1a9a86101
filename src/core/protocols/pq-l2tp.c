/* pq-l2tp.c: an L2TP Start-Control-Connection-Request (RFC 2661) to UDP
 * 1701, as a VPN client opens a tunnel
 *
 * A server answers with SCCRP (it would accept the tunnel) or StopCCN (it
 * refuses, with a result code), either of which proves a listener, and
 * may first acknowledge with an empty message (ZLB), which is read past.
 * After an SCCRP the tunnel is closed again at once with a StopCCN, so no
 * half-open tunnel is left on the server.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-l2tp.h"

#define FLAGS_CONTROL   0xc802      /* T, L and S set, version 2 */
#define HEADER_LEN      12
#define AVP_MANDATORY   0x8000
#define AVP_HIDDEN      0x4000
#define AVP_LEN_MASK    0x03ff
#define MAX_AVPS        64
#define MAX_ZLB         4

enum { AVP_MESSAGE_TYPE = 0, AVP_RESULT_CODE = 1, AVP_PROTOCOL_VERSION = 2,
       AVP_FRAMING = 3, AVP_FIRMWARE = 6, AVP_HOST_NAME = 7, AVP_VENDOR_NAME = 8,
       AVP_TUNNEL_ID = 9 };
enum { MSG_SCCRQ = 1, MSG_SCCRP = 2, MSG_STOPCCN = 4 };

typedef struct
{
  guint16   tunnel;       /* ours, assigned in the SCCRQ */
  guint     zlbs;
  gboolean  closing;      /* the StopCCN after an SCCRP is sent */
} L2tp;

typedef struct
{
  int       type;         /* -1 until the Message Type AVP */
  guint16   peer_tunnel;
  guint     result;       /* StopCCN's result code, 0 if none */
  char     *result_text;
  char     *host;
  char     *vendor;
  char     *version;
  gboolean  hidden;
} Reply;

static guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static void
put16 (GByteArray *out,
       guint16     v)
{
  guint8 b[2] = { v >> 8, v & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put_avp (GByteArray   *out,
         guint16       type,
         const guint8 *value,
         guint16       len)
{
  put16 (out, AVP_MANDATORY | (6 + len));
  put16 (out, 0);
  put16 (out, type);
  g_byte_array_append (out, value, len);
}

static void
put_avp16 (GByteArray *out,
           guint16     type,
           guint16     v)
{
  guint8 b[2] = { v >> 8, v & 0xff };

  put_avp (out, type, b, 2);
}

static void
l2tp_init (gpointer             state,
           const PqProbeParams *params)
{
  L2tp *l = state;

  l->tunnel = (guint16) (params->seed | 1);   /* 0 is no tunnel */
}

/* A control message: the header (its length filled in at the end), then
 * the AVPs; @to is the peer's tunnel, @ns and @nr the sequence numbers. */
static void
build_message (L2tp       *l,
               GByteArray *out,
               guint16     type,
               guint16     to,
               guint16     ns,
               guint16     nr)
{
  static const guint8 framing[4] = { 0, 0, 0, 3 };   /* synchronous, asynchronous */

  put16 (out, FLAGS_CONTROL);
  put16 (out, 0);
  put16 (out, to);
  put16 (out, 0);
  put16 (out, ns);
  put16 (out, nr);
  put_avp16 (out, AVP_MESSAGE_TYPE, type);
  if (type == MSG_SCCRQ)
    {
      put_avp16 (out, AVP_PROTOCOL_VERSION, 0x0100);
      put_avp (out, AVP_HOST_NAME, (const guint8 *) "portqry", 7);
      put_avp (out, AVP_FRAMING, framing, 4);
    }
  put_avp16 (out, AVP_TUNNEL_ID, l->tunnel);
  if (type == MSG_STOPCCN)
    put_avp16 (out, AVP_RESULT_CODE, 1);   /* general request to clear */
  out->data[2] = out->len >> 8;
  out->data[3] = out->len & 0xff;
}

static char *
avp_text (const guint8 *p,
          gsize         len)
{
  return pq_probe_printable (p, MIN (len, 128));
}

/* One AVP into @r; the first must say the message type. */
static const char *
read_avp (Reply        *r,
          guint16       type,
          const guint8 *v,
          gsize         len)
{
  if (r->type < 0 && type != AVP_MESSAGE_TYPE)
    return N_("its first attribute is not the message type");
  if (type == AVP_MESSAGE_TYPE && r->type < 0)
    {
      if (len != 2)
        return N_("its message type has the wrong length");
      r->type = rd16 (v);
    }
  else if (type == AVP_RESULT_CODE && len >= 2 && r->result == 0 && r->result_text == NULL)
    {
      r->result = rd16 (v);
      if (len > 4)
        r->result_text = avp_text (v + 4, len - 4);
    }
  else if (type == AVP_PROTOCOL_VERSION && len == 2 && r->version == NULL)
    r->version = g_strdup_printf ("%u.%u", v[0], v[1]);
  else if (type == AVP_HOST_NAME && r->host == NULL)
    r->host = avp_text (v, len);
  else if (type == AVP_VENDOR_NAME && r->vendor == NULL)
    r->vendor = avp_text (v, len);
  else if (type == AVP_TUNNEL_ID && len == 2)
    r->peer_tunnel = rd16 (v);
  return NULL;
}

static const char *
read_avps (Reply        *r,
           const guint8 *p,
           gsize         len)
{
  guint n = 0;

  while (len > 0 && n++ < MAX_AVPS)
    {
      guint16 head, avp_len;
      const char *error;

      if (len < 6 || (avp_len = (head = rd16 (p)) & AVP_LEN_MASK) < 6 || avp_len > len)
        return N_("an attribute runs past the end");
      if (head & AVP_HIDDEN)
        r->hidden = TRUE;   /* encrypted with a shared secret: not readable */
      else if (rd16 (p + 2) == 0 && (error = read_avp (r, rd16 (p + 4), p + 6, avp_len - 6)) != NULL)
        return error;
      p += avp_len;
      len -= avp_len;
    }
  return r->type < 0 ? N_("it has no message type") : NULL;
}

static const char *
result_name (guint code)
{
  static const char * const names[] = {
    NULL, N_("general request to clear the control connection"), N_("general error"),
    N_("control connection already exists"), N_("requester is not authorized"),
    N_("the protocol version of the requester is not supported"), N_("requester is being shut down"),
    N_("finite state machine error"),
  };

  return code > 0 && code < G_N_ELEMENTS (names) ? _(names[code]) : _("unknown result");
}

static void
add_text_detail (PqProbeFindings *findings,
                 const char      *kind,
                 const char      *label,
                 const char      *value)
{
  if (value != NULL)
    pq_probe_add_detail (findings, kind, label, value);
}

/* What the server said, as details and the summary. */
static void
report (Reply           *r,
        PqProbeFindings *findings)
{
  g_autofree char *message = NULL;

  if (r->type == MSG_SCCRP)
    message = g_strdup (_("SCCRP: the server would accept a tunnel"));
  else if (r->type == MSG_STOPCCN)
    message = g_strdup_printf (_("StopCCN: the server refused the tunnel (result %u: %s)"),
                               r->result, result_name (r->result));
  else
    message = g_strdup_printf (_("message type %d"), r->type);
  pq_probe_add_detail (findings, "l2tp-message", _("Answer"), message);
  add_text_detail (findings, "l2tp-host", _("Host name"), r->host);
  add_text_detail (findings, "l2tp-vendor", _("Vendor"), r->vendor);
  add_text_detail (findings, "l2tp-version", _("Protocol version"), r->version);
  add_text_detail (findings, "l2tp-result", _("Message"), r->result_text);
  if (r->hidden)
    pq_probe_add_detail (findings, "l2tp-hidden", _("Hidden attributes"),
                         _("some attributes are encrypted with the tunnel's shared secret"));
  g_string_printf (findings->summary, _("L2TP answered with %s"), message);
  if (r->host != NULL)
    g_string_append_printf (findings->summary, _(", host %s"), r->host);
  g_string_append_c (findings->summary, '.');
}

static void
reply_clear (Reply *r)
{
  g_free (r->result_text);
  g_free (r->host);
  g_free (r->vendor);
  g_free (r->version);
}

static PqStep
malformed (PqProbeFindings *findings,
           const char      *why)
{
  return pq_probe_malformed (findings, "L2TP", "l2tp-malformed", why);
}

static PqStep
parse_reply (L2tp            *l,
             const guint8    *msg,
             gsize            len,
             GByteArray      *out,
             PqProbeFindings *findings)
{
  Reply r = { .type = -1 };
  const char *error;
  gsize size;

  if (len < HEADER_LEN)
    return malformed (findings, N_("too short for an L2TP control message"));
  if ((rd16 (msg) & 0xcb0f) != FLAGS_CONTROL)
    return malformed (findings, N_("it is not an L2TP version 2 control message"));
  size = MIN (rd16 (msg + 2), len);
  if (size < HEADER_LEN)
    return malformed (findings, N_("its length is shorter than its header"));
  if (size == HEADER_LEN)
    /* ZLB: only an acknowledgement; the answer (or nothing) follows. */
    return l->closing || ++l->zlbs >= MAX_ZLB ? PQ_STEP_DONE : PQ_STEP_READ;
  if (l->closing)
    return PQ_STEP_DONE;

  error = read_avps (&r, msg + HEADER_LEN, size - HEADER_LEN);
  if (error != NULL)
    {
      reply_clear (&r);
      return malformed (findings, error);
    }
  report (&r, findings);
  if (r.type == MSG_SCCRP && r.peer_tunnel != 0)
    {
      /* Close the tunnel just opened: Ns 1, and their SCCRP (Ns 0) seen. */
      build_message (l, out, MSG_STOPCCN, r.peer_tunnel, 1, 1);
      l->closing = TRUE;
      reply_clear (&r);
      return PQ_STEP_SEND;
    }
  reply_clear (&r);
  return PQ_STEP_DONE;
}

static PqStep
l2tp_step (gpointer          state,
           const guint8     *in,
           gsize             in_len,
           gsize            *consumed,
           GByteArray       *out,
           PqProbeFindings  *findings)
{
  *consumed = in_len;
  if (in == NULL)
    {
      build_message (state, out, MSG_SCCRQ, 0, 0, 0);
      return PQ_STEP_SEND;
    }
  return parse_reply (state, in, in_len, out, findings);
}

const PqProbeCodec pq_l2tp_codec = {
  "L2TP", sizeof (L2tp), l2tp_init, l2tp_step, NULL, 3,
  N_("No reply to an L2TP tunnel request: no L2TP server runs there, a firewall drops UDP 1701, or the server answers only clients it knows."),
};
