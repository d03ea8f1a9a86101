/* pq-query.c: one query from the typed host to the report
 *
 * The pipeline both front ends use: resolve the host, choose its
 * addresses, look each address's name up, scan every group of ports on
 * each address, and keep the results in the report in the order asked
 * (PortQry prints -o 25,110,143 in that order), whatever order the ports
 * are decided in. The window shows the report's list as it fills; the
 * command line prints ::result, which comes in the order asked.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-query"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pq-query.h"
#include "pq-scanner.h"
#include "pq-tracer.h"

/* One group of ports with its protocols: a service check may ask TCP of
 * some ports and UDP of others. */
typedef struct
{
  GArray      *ports;
  PqProtocols  protocols;
  guint        offset;     /* its first slot within an address's slots */
} Job;

struct _PqQuery
{
  GObject          parent_instance;

  PqTarget        *target;
  PqScanOptions    options;
  PqAddressChoice  choice;
  gboolean         reverse_lookup;
  char            *community;
  PqServices      *services;
  GPtrArray       *jobs;
  guint            per_address;   /* slots of one address: ports × protocols */

  GTask           *task;          /* while running */
  PqScanner       *scanner;
  PqReport        *report;
  gboolean         resolved;
  GPtrArray       *addresses;
  guint            address_index;
  guint            job_index;

  /* A slot per (address, job, port, protocol), in the order asked. */
  PqResult       **slots;         /* NULL until decided */
  guint           *decided;       /* Fenwick tree: decided slots before a slot */
  guint            n_slots;
  GHashTable      *slot_of_port;  /* port << 1 | udp → slot, for the job running */
  guint            next_in_order; /* the first slot not yet given to ::result */
  GArray          *batch;         /* slots the scanner decided since its last progress */

  guint            done;

  /* Path traces of the ports not listening (pq_query_set_trace()) */
  gboolean         trace;
  gboolean        *traced;        /* per slot: traced, or needs none */
  GHashTable      *tracers;       /* address → PqTracer */
  guint            trace_slot;    /* the next slot to look at */
  guint            n_traced;
  guint            n_to_trace;
};

G_DEFINE_FINAL_TYPE (PqQuery, pq_query, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_ADDRESS,
  SIGNAL_RESULT,
  SIGNAL_TRACE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
job_free (gpointer data)
{
  Job *job = data;

  g_array_unref (job->ports);
  g_free (job);
}

static guint
job_n_slots (Job *job)
{
  guint n_protocols = ((job->protocols & PQ_PROTOCOLS_TCP) != 0) +
                      ((job->protocols & PQ_PROTOCOLS_UDP) != 0);

  return job->ports->len * n_protocols;
}

static void
pq_query_dispose (GObject *object)
{
  PqQuery *self = PQ_QUERY (object);

  if (self->scanner != NULL)
    g_signal_handlers_disconnect_by_data (self->scanner, self);
  g_clear_object (&self->scanner);
  G_OBJECT_CLASS (pq_query_parent_class)->dispose (object);
}

static void
pq_query_finalize (GObject *object)
{
  PqQuery *self = PQ_QUERY (object);

  g_clear_object (&self->target);
  g_free (self->community);
  g_clear_object (&self->services);
  g_ptr_array_unref (self->jobs);
  g_clear_object (&self->report);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  for (guint i = 0; i < self->n_slots; i++)
    g_clear_object (&self->slots[i]);
  g_free (self->slots);
  g_free (self->decided);
  g_free (self->traced);
  g_clear_pointer (&self->tracers, g_hash_table_unref);
  g_hash_table_unref (self->slot_of_port);
  g_array_unref (self->batch);
  G_OBJECT_CLASS (pq_query_parent_class)->finalize (object);
}

static void
pq_query_class_init (PqQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pq_query_dispose;
  object_class->finalize = pq_query_finalize;

  /**
   * PqQuery::progress:
   * @done: ports decided so far, over every address and protocol
   * @total: ports in the whole query
   *
   * Emitted once the name has resolved, then with each batch of results.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * PqQuery::address:
   * @index: the address's place in pq_report_get_queried()
   *
   * Emitted when the ports of another address start, after its reverse
   * lookup: the report has its address and name by then.
   */
  signals[SIGNAL_ADDRESS] =
    g_signal_new ("address", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * PqQuery::result:
   * @result: a decided port
   *
   * Emitted in the order the ports were asked, each port once every port
   * before it is decided, as PortQry prints them. A stopped query gives
   * nothing after the first port it did not decide (a gap in PortQry's
   * list would read as a port forgotten); the report has every decided
   * port all the same.
   */
  signals[SIGNAL_RESULT] =
    g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, PQ_TYPE_RESULT);

  /**
   * PqQuery::trace:
   * @result: the port whose path is traced now
   * @index: how many traces are done
   * @total: how many traces the query makes
   *
   * Emitted as each path trace starts, after every port is decided.
   */
  signals[SIGNAL_TRACE] =
    g_signal_new ("trace", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, PQ_TYPE_RESULT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pq_query_init (PqQuery *self)
{
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->slot_of_port = g_hash_table_new (NULL, NULL);
  self->batch = g_array_new (FALSE, FALSE, sizeof (guint));
  self->reverse_lookup = TRUE;
}

PqQuery *
pq_query_new (PqTarget            *target,
              const PqScanOptions *options,
              PqAddressChoice      choice)
{
  PqQuery *self;

  g_return_val_if_fail (PQ_IS_TARGET (target), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (PQ_TYPE_QUERY, NULL);
  self->target = g_object_ref (target);
  self->options = *options;
  self->choice = choice;
  return self;
}

/* Adds a group of ports; the groups are queried in the order added, each
 * on every address. */
void
pq_query_add_ports (PqQuery     *self,
                    GArray      *ports,
                    PqProtocols  protocols)
{
  Job *job;

  g_return_if_fail (PQ_IS_QUERY (self));
  g_return_if_fail (self->task == NULL && self->report == NULL);
  if (ports->len == 0 || protocols == 0)
    return;
  job = g_new0 (Job, 1);
  job->ports = g_array_ref (ports);
  job->protocols = protocols;
  job->offset = self->per_address;
  self->per_address += job_n_slots (job);
  g_ptr_array_add (self->jobs, job);
}

void
pq_query_set_reverse_lookup (PqQuery  *self,
                             gboolean  reverse_lookup)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  self->reverse_lookup = reverse_lookup;
}

void
pq_query_set_community (PqQuery    *self,
                        const char *community)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  g_free (self->community);
  self->community = g_strdup (community);
}

/* The services file that names the ports and chooses their probes; the
 * system's when none is set. */
void
pq_query_set_services (PqQuery    *self,
                       PqServices *services)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  g_set_object (&self->services, services);
}

/* Traces the path to every port not LISTENING once all are decided
 * (pq-tracer.c); ::result waits for each port's trace, so its hops are
 * there when it is printed. */
void
pq_query_set_trace (PqQuery  *self,
                    gboolean  trace)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  g_return_if_fail (self->task == NULL);
  self->trace = trace;
}

/**
 * pq_query_get_results:
 *
 * Returns: (transfer none): the report's results, filled in the order
 *   asked as ports are decided; empty before the query runs
 */
PqTarget *
pq_query_get_target (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), NULL);
  return self->target;
}

static void create_scanner_and_report (PqQuery *self);

GListModel *
pq_query_get_results (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), NULL);
  /* The window shows the list before the query runs; the ports are fixed
   * from here on. */
  if (self->report == NULL)
    create_scanner_and_report (self);
  return pq_report_get_results (self->report);
}

/* Returns: (nullable): the report, once the name has resolved */
PqReport *
pq_query_get_report (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), NULL);
  return self->resolved ? self->report : NULL;
}

guint
pq_query_get_done (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), 0);
  return self->done;
}

guint
pq_query_get_total (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), 0);
  return self->n_slots;
}

guint
pq_query_get_n_addresses (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), 0);
  return self->addresses ? self->addresses->len : 0;
}

/* ------------------------------------------------------------------ */
/* Slots: results in the order asked                                   */

/* The Fenwick tree answers "how many slots before this one are decided",
 * which is where a new result goes in the report's list, in O(log n). */
static void
decided_add (PqQuery *self,
             guint    slot)
{
  for (guint i = slot + 1; i <= self->n_slots; i += i & (~i + 1))
    self->decided[i - 1]++;
}

static guint
decided_before (PqQuery *self,
                guint    slot)
{
  guint n = 0;

  for (guint i = slot; i > 0; i -= i & (~i + 1))
    n += self->decided[i - 1];
  return n;
}

static guint
port_key (guint16    port,
          PqProtocol protocol)
{
  return ((guint) port << 1) | (protocol == PQ_PROTOCOL_UDP);
}

static void
map_job_slots (PqQuery *self,
               Job     *job)
{
  guint slot = self->address_index * self->per_address + job->offset;

  g_hash_table_remove_all (self->slot_of_port);
  /* The scanner asks TCP, then UDP, of each port in turn, as PortQry's
   * -p both does: the slots follow that order. */
  for (guint i = 0; i < job->ports->len; i++)
    for (PqProtocol p = PQ_PROTOCOL_TCP; p <= PQ_PROTOCOL_UDP; p++)
      {
        if (!(job->protocols & (p == PQ_PROTOCOL_UDP ? PQ_PROTOCOLS_UDP : PQ_PROTOCOLS_TCP)))
          continue;
        g_hash_table_insert (self->slot_of_port,
                             GUINT_TO_POINTER (port_key (g_array_index (job->ports, guint16, i), p)),
                             GUINT_TO_POINTER (slot++));
      }
}

static gboolean
needs_trace (PqQuery *self,
             guint    slot)
{
  return self->trace && !self->traced[slot] && self->slots[slot] != NULL &&
         pq_result_get_state (self->slots[slot]) != PQ_PORT_STATE_LISTENING;
}

static void
emit_in_order (PqQuery *self)
{
  for (; self->next_in_order < self->n_slots && self->slots[self->next_in_order] != NULL &&
         !needs_trace (self, self->next_in_order);
       self->next_in_order++)
    g_signal_emit (self, signals[SIGNAL_RESULT], 0, self->slots[self->next_in_order]);
}

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Puts the batch's results into the report's list, each where the order
 * asked wants it; neighbours go in with one splice, so a range scan, whose
 * ports mostly come in order, changes the list a few times per batch. */
static void
insert_batch (PqQuery *self)
{
  g_autoptr(GPtrArray) run = g_ptr_array_new ();
  guint run_start = 0;

  g_array_sort (self->batch, compare_slots);
  for (guint i = 0; i < self->batch->len; i++)
    {
      guint slot = g_array_index (self->batch, guint, i);
      guint position = decided_before (self, slot);

      if (run->len > 0 && position != run_start + run->len)
        {
          pq_report_insert_results (self->report, run_start, (PqResult **) run->pdata, run->len);
          g_ptr_array_set_size (run, 0);
        }
      if (run->len == 0)
        run_start = position;
      g_ptr_array_add (run, self->slots[slot]);
      decided_add (self, slot);
    }
  if (run->len > 0)
    pq_report_insert_results (self->report, run_start, (PqResult **) run->pdata, run->len);
  self->done += self->batch->len;
  g_array_set_size (self->batch, 0);
}

static void
on_scanner_result (PqScanner *scanner,
                   PqResult  *result,
                   PqQuery   *self)
{
  gpointer value;
  guint slot;

  if (!g_hash_table_lookup_extended (self->slot_of_port,
                                     GUINT_TO_POINTER (port_key (pq_result_get_port (result),
                                                                 pq_result_get_protocol (result))),
                                     NULL, &value))
    g_return_if_reached ();
  slot = GPOINTER_TO_UINT (value);
  if (self->slots[slot] != NULL)
    return;
  self->slots[slot] = g_object_ref (result);
  g_array_append_val (self->batch, slot);
}

/* The scanner says how far it is after each batch of results. */
static void
on_scanner_progress (PqScanner *scanner,
                     guint      done,
                     guint      total,
                     PqQuery   *self)
{
  insert_batch (self);
  emit_in_order (self);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->n_slots);
}

/* ------------------------------------------------------------------ */
/* The chain: resolve; per address (reverse name,) per job a scan       */

static void next_address (PqQuery *self);
static void start_job    (PqQuery *self);
static void start_traces (PqQuery *self);

static void
finish (PqQuery *self,
        GError  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->resolved)
    {
      insert_batch (self);
      emit_in_order (self);
    }
  pq_report_finish (self->report, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
scan_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(PqQuery) self = data;
  GError *error = NULL;

  if (!pq_scanner_scan_finish (PQ_SCANNER (object), result, &error))
    {
      finish (self, error);
      return;
    }
  self->job_index++;
  start_job (self);
}

static void
start_job (PqQuery *self)
{
  GInetAddress *address = g_ptr_array_index (self->addresses, self->address_index);
  Job *job;

  if (self->job_index >= self->jobs->len)
    {
      self->address_index++;
      next_address (self);
      return;
    }
  job = g_ptr_array_index (self->jobs, self->job_index);
  map_job_slots (self, job);
  pq_scanner_scan_async (self->scanner, address, pq_target_get_scope_id (self->target),
                         job->ports, job->protocols, g_task_get_cancellable (self->task),
                         scan_cb, g_object_ref (self));
}

static void
start_address (PqQuery    *self,
               const char *reverse_name)
{
  pq_report_add_queried (self->report, g_ptr_array_index (self->addresses, self->address_index),
                         reverse_name);
  g_signal_emit (self, signals[SIGNAL_ADDRESS], 0, self->address_index);
  self->job_index = 0;
  start_job (self);
}

static void
reverse_lookup_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  /* getnameinfo blocks: never on the main loop. A failure just means
   * no name, as portqry's "Failed to resolve IP address to name". */
  g_task_return_pointer (task, pq_target_reverse_lookup (task_data, cancellable, NULL), g_free);
}

static void
reverse_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  PqQuery *self = PQ_QUERY (object);
  g_autofree char *name = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      pq_report_add_queried (self->report, g_ptr_array_index (self->addresses, self->address_index), NULL);
      finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  start_address (self, name);
}

static void
next_address (PqQuery *self)
{
  GInetAddress *address;
  g_autoptr(GTask) lookup = NULL;

  if (self->address_index >= self->addresses->len)
    {
      if (self->trace)
        start_traces (self);
      else
        finish (self, NULL);
      return;
    }

  address = g_ptr_array_index (self->addresses, self->address_index);
  if (!pq_target_is_literal (self->target) || !self->reverse_lookup)
    {
      start_address (self, NULL);
      return;
    }
  lookup = g_task_new (self, g_task_get_cancellable (self->task), reverse_lookup_cb, NULL);
  g_task_set_task_data (lookup, g_object_ref (address), g_object_unref);
  /* A silent DNS server must not hold up Ctrl+C or Stop. */
  g_task_set_return_on_cancel (lookup, TRUE);
  g_task_run_in_thread (lookup, reverse_lookup_thread);
}

/* Every port of every job once, in the order first asked, with the
 * protocols asked of any: what the report says was asked. */
static GArray *
all_ports (PqQuery     *self,
           PqProtocols *protocols)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  *protocols = 0;
  for (guint j = 0; j < self->jobs->len; j++)
    {
      Job *job = g_ptr_array_index (self->jobs, j);

      *protocols |= job->protocols;
      for (guint i = 0; i < job->ports->len; i++)
        {
          guint16 port = g_array_index (job->ports, guint16, i);

          if (g_hash_table_add (seen, GUINT_TO_POINTER ((guint) port)))
            g_array_append_val (ports, port);
        }
    }
  return ports;
}

static void
create_scanner_and_report (PqQuery *self)
{
  g_autoptr(GArray) ports = NULL;
  PqScanOptions reported = self->options;
  PqProtocols protocols;

  if (self->services == NULL)
    self->services = pq_services_new_default ();
  self->scanner = pq_scanner_new (self->services, &self->options);
  pq_scanner_set_community (self->scanner, self->community);
  pq_scanner_set_host_name (self->scanner, pq_target_get_host (self->target));
  g_signal_connect (self->scanner, "result", G_CALLBACK (on_scanner_result), self);
  g_signal_connect (self->scanner, "progress", G_CALLBACK (on_scanner_progress), self);

  /* The report says what the scan really keeps in flight: the open-file
   * limit may lower what was asked. */
  reported.window = pq_scanner_get_effective_window (self->scanner);
  ports = all_ports (self, &protocols);
  self->report = pq_report_new (self->target, ports, protocols, &reported,
                                pq_services_get_source (self->services));
  pq_report_set_no_reverse (self->report, !self->reverse_lookup);
}

static gboolean
prepare_slots (PqQuery  *self,
               GError  **error)
{
  PqProtocols protocols;
  g_autoptr(GArray) ports = all_ports (self, &protocols);

  self->addresses = pq_target_choose (self->target, self->choice, error);
  if (self->addresses == NULL)
    return FALSE;
  if (!pq_scanner_check_source_port (self->scanner,
                                     g_inet_address_get_family (g_ptr_array_index (self->addresses, 0)),
                                     protocols, error))
    return FALSE;

  self->n_slots = self->per_address * self->addresses->len;
  self->slots = g_new0 (PqResult *, self->n_slots);
  self->decided = g_new0 (guint, self->n_slots);
  self->traced = g_new0 (gboolean, self->n_slots);
  return TRUE;
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(PqQuery) self = data;
  GError *error = NULL;

  if (!pq_target_resolve_finish (PQ_TARGET (object), result, &error) ||
      !prepare_slots (self, &error))
    {
      finish (self, error);
      return;
    }
  self->resolved = TRUE;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 0, self->n_slots);
  next_address (self);
}

/* ------------------------------------------------------------------ */
/* Path traces, once every port is decided                              */

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
  tracer = pq_tracer_new (g_ptr_array_index (self->addresses, a), pq_target_get_scope_id (self->target));
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

static void
trace_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(PqQuery) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTrace) trace = pq_tracer_trace_finish (PQ_TRACER (object), result, &error);
  PqResult *r = self->slots[self->trace_slot];

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }
  if (trace == NULL)
    {
      g_autofree char *verdict = g_strdup_printf (_("the path could not be traced: %s"), error->message);

      trace = pq_trace_new ();
      pq_trace_set_result (trace, -1, verdict);
    }
  pq_result_set_trace (r, trace);
  self->traced[self->trace_slot++] = TRUE;
  self->n_traced++;
  emit_in_order (self);
  trace_next (self);
}

static void
trace_next (PqQuery *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  while (self->trace_slot < self->n_slots && !needs_trace (self, self->trace_slot))
    self->trace_slot++;
  if (self->trace_slot >= self->n_slots)
    {
      finish (self, NULL);
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_TRACE], 0, self->slots[self->trace_slot],
                 self->n_traced, self->n_to_trace);
  pq_tracer_trace_async (tracer_for (self, self->trace_slot),
                         pq_result_get_port (self->slots[self->trace_slot]),
                         pq_result_get_protocol (self->slots[self->trace_slot]),
                         cancellable, trace_cb, g_object_ref (self));
}

static void
start_traces (PqQuery *self)
{
  insert_batch (self);
  self->tracers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint s = 0; s < self->n_slots; s++)
    self->n_to_trace += needs_trace (self, s);
  trace_next (self);
}

/**
 * pq_query_run_async:
 *
 * Resolves the target and queries its ports; results appear in
 * pq_query_get_results() as they are decided. A query runs once. The
 * report exists from here on; pq_query_get_report() gives it once the
 * name has resolved.
 */
void
pq_query_run_async (PqQuery             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  g_return_if_fail (self->task == NULL && !self->resolved);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, pq_query_run_async);
  if (self->report == NULL)
    create_scanner_and_report (self);
  pq_target_resolve_async (self->target, cancellable, resolve_cb, g_object_ref (self));
}

gboolean
pq_query_run_finish (PqQuery       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
