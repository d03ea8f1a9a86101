/* pq-dns.h: a DNS query over UDP and TCP 53, and the DNS message reader
 * the NetBIOS name service codec shares
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_dns_codec;

/* The fixed header of a DNS (and NetBIOS name service) message. */
#define PQ_DNS_HEADER_LEN 12

char     *pq_dns_read_name    (const guint8  *msg,
                               gsize          msg_len,
                               gsize         *pos,
                               const char   **error);
void      pq_dns_detail_child (PqDetail      *parent,
                               const char    *kind,
                               const char    *label,
                               const char    *value);

static inline guint16
pq_dns_get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
pq_dns_get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

G_END_DECLS
