/* pq-tls.h: a server's TLS certificate as findings
 *
 * The handshake itself is GIO's (GTlsConnection, from glib-networking),
 * run by the scan engine (pq-scan-tls.c) on the probe's connection: at
 * once on the TLS ports (636, 3269, 443, ...), after the codec's own
 * exchange where a protocol starts TLS inside it (LDAP's StartTLS, SMTP's
 * STARTTLS, RDP's negotiation); the codec says when with PQ_STEP_STARTTLS.
 * What the handshake learnt is collected in a PqTlsInfo, and this file,
 * which touches no socket, turns it into findings.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

/* A certificate that expires within this many days is said to. */
#define PQ_TLS_EXPIRY_WARNING_DAYS 30

typedef struct
{
  gboolean              no_backend;   /* glib-networking is missing */
  char                 *error;        /* the handshake failed: why; NULL if it worked */
  char                 *version;      /* "TLS 1.3" */
  char                 *ciphersuite;
  GBytes               *der;          /* the server's certificate */
  char                 *subject;      /* as GIO formats them (RFC 4514) */
  char                 *issuer;
  GPtrArray            *names;        /* char*: DNS names and addresses it is for */
  char                 *identity;     /* the name it was checked against */
  GTlsCertificateFlags  errors;       /* against this computer's CAs, for @identity */
  gint64                now;          /* Unix time of the handshake */
} PqTlsInfo;

extern const PqProbeCodec pq_tls_codec;

void   pq_tls_info_clear     (PqTlsInfo        *info);
void   pq_tls_add_findings   (const PqTlsInfo  *info,
                              PqProbeFindings  *findings);
char  *pq_tls_describe_days  (gint64            not_before,
                              gint64            not_after,
                              gint64            now,
                              gboolean         *problem);

G_END_DECLS
