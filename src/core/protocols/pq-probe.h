/* pq-probe.h: the interface every protocol codec implements
 *
 * A codec is pure: it builds requests and reads replies from byte buffers
 * and never touches a socket, so it can be fuzzed and tested on captured
 * bytes. The scan engine owns the socket and drives the conversation:
 *
 *   step (state, NULL, 0, ...)        first call: SEND a request, or READ
 *                                     when the server speaks first (banners)
 *   step (state, buffer, len, ...)    after bytes arrived: TCP passes every
 *                                     byte not yet consumed (the codec says
 *                                     READ until a whole message is there);
 *                                     UDP passes one datagram per call
 *
 * and stops at DONE, MALFORMED or STARTTLS (the engine then hands the
 * connection to GIO's TLS and adds the certificate, pq-tls.h), when the
 * time or size limits run out, or when the peer closes. Whatever was added to the findings by then is kept.
 *
 * A codec may need another connection to the same host (SMB: a second
 * offer with SMB1 alone; Kerberos: the LDAP root entry on 389 for the
 * realm first): it says CONNECT, the engine closes the connection and opens
 * a TCP one to connect_port() (the port queried when NULL or 0; a UDP probe
 * gets its own datagram socket back for that), and the conversation goes
 * on there with step (state, NULL, 0, ...) again. Such a connection that
 * cannot be made or ends before the codec says DONE goes to ended(), which
 * says what comes next. Every connection shares the conversation's time
 * limit, step limit and cancellation.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-detail.h"
#include "pq-types.h"

G_BEGIN_DECLS

typedef enum
{
  PQ_STEP_SEND,       /* send the bytes in @out, then wait for the reply */
  PQ_STEP_READ,       /* wait for more bytes (stream protocols) */
  PQ_STEP_DONE,       /* the conversation is over; the findings are complete */
  PQ_STEP_MALFORMED,  /* the peer answered, but not in this protocol */
  PQ_STEP_STARTTLS,   /* the engine runs a TLS handshake on the connection
                       * now (pq-tls.h); its certificate ends the conversation */
  PQ_STEP_CONNECT,    /* the engine opens another connection (see above) */
} PqStep;

typedef struct
{
  PqProtocol   protocol;      /* TCP or UDP: some protocols frame differently */
  guint16      port;
  const char  *host;          /* the target as typed, for HTTP's Host header */
  const char  *community;     /* SNMP community; "public" when none was given */
  guint32      seed;          /* for transaction and message ids */
} PqProbeParams;

typedef struct
{
  GPtrArray   *details;       /* PqDetail: what the application shows as rows */
  GString     *summary;       /* one line for the evidence: "DNS answered NOERROR, 1 answer" */
} PqProbeFindings;

typedef struct
{
  const char  *name;          /* shown in evidence: "LDAP", "DNS", ... */
  gsize        state_size;    /* bytes of state the engine allocates, zeroed */
  void       (*init)  (gpointer              state,
                       const PqProbeParams  *params);
  /* @consumed: (out): bytes of @in the codec is done with (TCP) */
  PqStep     (*step)  (gpointer              state,
                       const guint8         *in,
                       gsize                 in_len,
                       gsize                *consumed,
                       GByteArray           *out,
                       PqProbeFindings      *findings);
  void       (*clear) (gpointer              state);   /* may be NULL */
  guint        max_steps;     /* bound on requests sent (loops such as ept_lookup) */
  const char  *silence_hint;  /* N_() text added when nothing answers: "Wrong community?" */
  /* UDP, may be NULL: the request for try @try (2, 3, ...) when nothing
   * has answered the first; NULL sends the first request again. */
  void       (*retry) (gpointer              state,
                       guint                 try,
                       GByteArray           *out);
  /* UDP: the source port some peers answer only to (IKE: 500), tried
   * when -sp chose none; 0 for any. */
  guint16      source_port;
  /* UDP: replies come from another port of the host (TFTP's transfer id),
   * so the socket is not connected to the port asked. */
  gboolean     any_reply_port;
  /* May be NULL: the TCP port of the connection PQ_STEP_CONNECT asks for;
   * 0 for the port queried. */
  guint16    (*connect_port) (gpointer              state);
  /* May be NULL (the conversation ends): a connection after the first was
   * refused, reset, closed or silent before DONE; @why says which. Returns
   * DONE or CONNECT. */
  PqStep     (*ended)  (gpointer              state,
                        const char           *why,
                        PqProbeFindings      *findings);
} PqProbeCodec;

/* Limits the engine enforces on every conversation. */
#define PQ_PROBE_MAX_BYTES      (1024 * 1024)   /* received in all */
#define PQ_PROBE_MAX_STEPS      256
#define PQ_PROBE_MAX_CONNECTIONS 4              /* opened after the first */

const PqProbeCodec *pq_probe_codec_for         (PqProbeKind       kind,
                                                PqProtocol        protocol);
gboolean            pq_probe_ephemeral_source  (PqProbeKind       kind,
                                                PqProtocol        protocol);
void                pq_probe_findings_init     (PqProbeFindings  *findings);
void                pq_probe_findings_clear    (PqProbeFindings  *findings);
void                pq_probe_findings_add      (PqProbeFindings  *findings,
                                                PqDetail         *detail);
void                pq_probe_add_detail        (PqProbeFindings  *findings,
                                                const char       *kind,
                                                const char       *label,
                                                const char       *value);
char               *pq_probe_printable         (const guint8     *data,
                                                gsize             len);
PqStep              pq_probe_malformed         (PqProbeFindings  *findings,
                                                const char       *protocol,
                                                const char       *kind,
                                                const char       *why);

G_END_DECLS
