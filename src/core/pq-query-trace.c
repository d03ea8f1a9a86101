/* pq-query-trace.c: a query's path traces, once every port is decided
 *
 * Every port not LISTENING is traced (pq-tracer.c), one after the other:
 * the traces of one address share its tracer, whose pacing keeps to the
 * routers' ICMP limits. ::result waits for each port's trace, so the hops
 * are there when the port is printed.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-query"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pq-query-private.h"
#include "pq-tracer.h"

/* Traces one query makes; the other ports say they were not traced. */
#define PQ_QUERY_MAX_TRACES 32

static void trace_next (PqQuery *self);

/* One tracer per address: its traces share the routers' pacing and the
 * reference trace, a port of that address that answered. */
static PqTracer *
tracer_for (PqQuery *self,
            guint    slot)
{
  guint a = slot / self->per_address;
  const char *address = pq_result_get_address (self->slots[slot]);
  PqTracer *tracer = g_hash_table_lookup (self->tracers, address);
  gboolean have[2] = { FALSE, FALSE };

  if (tracer != NULL)
    return tracer;
  tracer = pq_tracer_new (g_ptr_array_index (self->addresses, a), pq_target_get_scope_id (pq_query_target_of_address (self, a)));
  for (guint s = a * self->per_address; s < (a + 1) * self->per_address; s++)
    {
      PqResult *r = self->slots[s];
      PqProtocol p;

      if (r == NULL || (pq_result_get_state (r) != PQ_PORT_STATE_LISTENING &&
                        pq_result_get_state (r) != PQ_PORT_STATE_NOT_LISTENING))
        continue;
      p = pq_result_get_protocol (r);
      if (!have[p == PQ_PROTOCOL_UDP])
        pq_tracer_add_reference (tracer, pq_result_get_port (r), p);
      have[p == PQ_PROTOCOL_UDP] = TRUE;
    }
  g_hash_table_insert (self->tracers, g_strdup (address), tracer);
  return tracer;
}

/* A trace without hops that only says why. */
static PqTrace *
trace_saying (const char *verdict)
{
  PqTrace *trace = pq_trace_new ();

  pq_trace_set_result (trace, -1, verdict);
  return trace;
}

/* The port's trace is in: its ::result can go, and the next trace start. */
static void
traced (PqQuery *self,
        PqTrace *trace)
{
  pq_result_set_trace (self->slots[self->trace_slot], trace);
  self->traced[self->trace_slot] = TRUE;
  self->n_traced++;
  pq_query_emit_in_order (self);
}

static void
trace_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(PqQuery) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTrace) trace = pq_tracer_trace_finish (PQ_TRACER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pq_query_finish (self, g_steal_pointer (&error));
      return;
    }
  if (trace == NULL)
    {
      g_autofree char *verdict = g_strdup_printf (_("the path could not be traced: %s"), error->message);

      trace = trace_saying (verdict);
    }
  traced (self, trace);
  self->trace_slot++;
  trace_next (self);
}

static void
trace_next (PqQuery *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  for (;; self->trace_slot++)
    {
      g_autofree char *verdict = NULL;
      g_autoptr(PqTrace) trace = NULL;

      if (self->trace_slot >= self->n_slots)
        {
          pq_query_finish (self, NULL);
          return;
        }
      if (!pq_query_needs_trace (self, self->trace_slot))
        continue;
      /* A few seconds each: a range of filtered ports would take hours. */
      if (self->n_traced < PQ_QUERY_MAX_TRACES)
        break;
      verdict = g_strdup_printf (_("not traced: a query traces at most %u ports; "
                                   "query this port alone with the trace"), PQ_QUERY_MAX_TRACES);
      trace = trace_saying (verdict);
      traced (self, trace);
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      pq_query_finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  g_signal_emit (self, pq_query_signals[PQ_QUERY_SIGNAL_TRACE], 0, self->slots[self->trace_slot],
                 self->n_traced, self->n_to_trace);
  pq_tracer_trace_async (tracer_for (self, self->trace_slot),
                         pq_result_get_port (self->slots[self->trace_slot]),
                         pq_result_get_protocol (self->slots[self->trace_slot]),
                         cancellable, trace_cb, g_object_ref (self));
}

void
pq_query_start_traces (PqQuery *self)
{
  self->tracers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint s = 0; s < self->n_slots; s++)
    self->n_to_trace += pq_query_needs_trace (self, s);
  trace_next (self);
}
