/* pq-query-private.h: what pq-query.c and pq-query-trace.c share
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-query.h"
#include "pq-scanner.h"

G_BEGIN_DECLS

/* Hosts queried at once; each gets its share of the ports in flight. */
#define PQ_QUERY_MAX_PARALLEL_HOSTS 8

/* One group of ports with its protocols: a service check may ask TCP of
 * some ports and UDP of others. */
typedef struct
{
  GArray      *ports;
  PqProtocols  protocols;
  guint        offset;     /* its first slot within an address's slots */
} Job;

/* A scanner that takes one address after another. */
typedef struct
{
  PqQuery     *query;
  PqScanner   *scanner;
  guint        address;       /* the address it queries */
  guint        job_index;
  GHashTable  *slot_of_port;  /* port << 1 | udp → slot, for the job running */
} Worker;

struct _PqQuery
{
  GObject          parent_instance;

  GPtrArray       *targets;       /* PqTarget; the first is the one of pq_query_new() */
  PqScanOptions    options;
  PqAddressChoice  choice;
  gboolean         reverse_lookup;
  char            *community;
  PqServices      *services;
  GPtrArray       *jobs;
  guint            per_address;   /* slots of one address: ports × protocols */
  PqProtocols      protocols;     /* asked of any job, as the report says */

  GTask           *task;          /* while running */
  PqScanner       *scanner;       /* the first worker's */
  PqReport        *report;
  gboolean         resolved;
  guint            n_resolving;   /* targets still resolving */
  GError          *resolve_error; /* the first target's failure */
  GPtrArray       *addresses;     /* GInetAddress, of every target in order */
  GArray          *address_target;/* per address: its target's index */
  GPtrArray       *workers;       /* Worker */
  guint            next_address;  /* the next address a worker takes */
  guint            n_busy;        /* workers not idle */
  char           **names;         /* per address: its reverse name */
  gboolean        *looked_up;     /* per address: its name is known */
  guint            headers;       /* addresses given to ::address */

  /* A slot per (address, job, port, protocol), in the order asked. */
  PqResult       **slots;         /* NULL until decided */
  guint           *decided;       /* Fenwick tree: decided slots before a slot */
  guint            n_slots;
  guint            next_in_order; /* the first slot not yet given to ::result */
  GArray          *batch;         /* slots the scanners decided since their last progress */

  guint            done;

  /* Path traces of the ports not listening (pq_query_set_trace()) */
  gboolean         trace;
  gboolean        *traced;        /* per slot: traced */
  GHashTable      *tracers;       /* address → PqTracer */
  guint            trace_slot;    /* the next slot to look at */
  guint            n_traced;
  guint            n_to_trace;
};

enum {
  PQ_QUERY_SIGNAL_PROGRESS,
  PQ_QUERY_SIGNAL_ADDRESS,
  PQ_QUERY_SIGNAL_RESULT,
  PQ_QUERY_SIGNAL_TRACE,
  PQ_QUERY_N_SIGNALS
};

extern guint pq_query_signals[PQ_QUERY_N_SIGNALS];

PqTarget *pq_query_target_of_address (PqQuery  *self,
                                      guint     address);
gboolean  pq_query_needs_trace       (PqQuery  *self,
                                      guint     slot);
void      pq_query_emit_in_order     (PqQuery  *self);
void      pq_query_finish            (PqQuery  *self,
                                      GError   *error);
void      pq_query_start_traces      (PqQuery  *self);

G_END_DECLS
