/* pq-trace.h: where on the way to a port its packets stop (the model and
 * the verdict; pq-tracer.h sends the probes)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-detail.h"

G_BEGIN_DECLS

/* The longest path traced, as traceroute's default. */
#define PQ_TRACE_MAX_HOPS 30

/* What came back for a probe sent with one TTL (hop limit). */
typedef enum
{
  PQ_HOP_NONE,              /* nothing, after every try */
  PQ_HOP_TIME_EXCEEDED,     /* a router on the way: go on */
  PQ_HOP_PORT_UNREACHABLE,  /* from the host: closed; from a router: refused */
  PQ_HOP_PROHIBITED,        /* administratively prohibited */
  PQ_HOP_HOST_UNREACHABLE,
  PQ_HOP_NET_UNREACHABLE,
  PQ_HOP_UNREACHABLE,       /* any other destination unreachable */
  PQ_HOP_RESET,             /* TCP: the host's reset */
  PQ_HOP_CONNECTED,         /* TCP: the handshake completed */
  PQ_HOP_REPLY,             /* UDP: the host answered */
  PQ_N_HOP_KINDS
} PqHopKind;

typedef struct
{
  guint      ttl;
  char      *address;   /* who answered; NULL for none */
  PqHopKind  kind;
} PqTraceHop;

#define PQ_TYPE_TRACE (pq_trace_get_type ())
G_DECLARE_FINAL_TYPE (PqTrace, pq_trace, PQ, TRACE, GObject)

PqTrace          *pq_trace_new              (void);
void              pq_trace_add_hop          (PqTrace      *self,
                                             guint         ttl,
                                             const char   *address,
                                             PqHopKind     kind);
void              pq_trace_set_result       (PqTrace      *self,
                                             int           host_distance,
                                             const char   *verdict);
guint             pq_trace_get_n_hops       (PqTrace      *self);
const PqTraceHop *pq_trace_get_hop          (PqTrace      *self,
                                             guint         index);
const PqTraceHop *pq_trace_find_ttl         (PqTrace      *self,
                                             guint         ttl);
int               pq_trace_get_host_distance (PqTrace     *self);
const char       *pq_trace_get_verdict      (PqTrace      *self);
PqDetail         *pq_trace_to_detail        (PqTrace      *self);

gboolean          pq_hop_kind_is_icmp       (PqHopKind     kind);
gboolean          pq_hop_kind_is_final      (PqHopKind     kind);
const char       *pq_hop_kind_to_nick       (PqHopKind     kind);
const char       *pq_hop_kind_to_words      (PqHopKind     kind);
gboolean          pq_hop_kind_from_nick     (const char   *nick,
                                             gboolean      icmp,
                                             PqHopKind    *kind);

char             *pq_trace_verdict          (PqTrace      *target,
                                             PqTrace      *reference,
                                             const char   *host,
                                             int           host_distance);

G_END_DECLS
