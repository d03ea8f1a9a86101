/* pq-query.c: one query from the typed hosts to the report
 *
 * The pipeline both front ends use: resolve the hosts, choose their
 * addresses, look each address's name up, scan every group of ports on
 * each address, and keep the results in the report in the order asked
 * (PortQry prints -o 25,110,143 in that order), whatever order the ports
 * are decided in. Several addresses are queried at once, by up to
 * PQ_QUERY_MAX_PARALLEL_HOSTS workers that share the ports in flight;
 * the results still come grouped by address, in the order the hosts were
 * given. The window shows the report's list as it fills; the command line
 * prints ::address and ::result, which come in that order.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-query"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pq-error.h"
#include "pq-query-private.h"

G_DEFINE_FINAL_TYPE (PqQuery, pq_query, G_TYPE_OBJECT)

guint pq_query_signals[PQ_QUERY_N_SIGNALS];

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
worker_free (gpointer data)
{
  Worker *w = data;

  g_signal_handlers_disconnect_by_data (w->scanner, w);
  g_object_unref (w->scanner);
  g_hash_table_unref (w->slot_of_port);
  g_free (w);
}

static void
pq_query_dispose (GObject *object)
{
  PqQuery *self = PQ_QUERY (object);

  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_object (&self->scanner);
  G_OBJECT_CLASS (pq_query_parent_class)->dispose (object);
}

static void
pq_query_finalize (GObject *object)
{
  PqQuery *self = PQ_QUERY (object);
  guint n_addresses = self->addresses ? self->addresses->len : 0;

  g_ptr_array_unref (self->targets);
  g_free (self->community);
  g_clear_object (&self->services);
  g_ptr_array_unref (self->jobs);
  g_clear_object (&self->report);
  g_clear_error (&self->resolve_error);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_array_unref (self->address_target);
  for (guint i = 0; self->names != NULL && i < n_addresses; i++)
    g_free (self->names[i]);
  g_free (self->names);
  g_free (self->looked_up);
  for (guint i = 0; i < self->n_slots; i++)
    g_clear_object (&self->slots[i]);
  g_free (self->slots);
  g_free (self->decided);
  g_free (self->traced);
  g_clear_pointer (&self->tracers, g_hash_table_unref);
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
   * Emitted once the names have resolved, then with each batch of results.
   */
  pq_query_signals[PQ_QUERY_SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * PqQuery::address:
   * @index: the address's place in pq_report_get_queried()
   *
   * Emitted before the ::result of an address's first port, in the order
   * of the addresses, once its reverse lookup is done: the report has its
   * address, name and target (pq_report_get_queried_target()) by then.
   */
  pq_query_signals[PQ_QUERY_SIGNAL_ADDRESS] =
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
  pq_query_signals[PQ_QUERY_SIGNAL_RESULT] =
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
  pq_query_signals[PQ_QUERY_SIGNAL_TRACE] =
    g_signal_new ("trace", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, PQ_TYPE_RESULT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pq_query_init (PqQuery *self)
{
  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->batch = g_array_new (FALSE, FALSE, sizeof (guint));
  self->address_target = g_array_new (FALSE, FALSE, sizeof (guint));
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
  g_ptr_array_add (self->targets, g_object_ref (target));
  self->options = *options;
  self->choice = choice;
  return self;
}

/* Another host, queried with the same ports; hosts are reported in the
 * order added. A host whose name does not resolve is reported so
 * (pq_report_get_target_error()) and the others are queried. */
void
pq_query_add_target (PqQuery  *self,
                     PqTarget *target)
{
  g_return_if_fail (PQ_IS_QUERY (self) && PQ_IS_TARGET (target));
  g_return_if_fail (self->task == NULL && self->report == NULL);
  g_ptr_array_add (self->targets, g_object_ref (target));
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
  self->protocols |= protocols;
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
  return g_ptr_array_index (self->targets, 0);
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
map_job_slots (Worker *w,
               Job    *job)
{
  guint slot = w->address * w->query->per_address + job->offset;

  g_hash_table_remove_all (w->slot_of_port);
  /* The scanner asks TCP, then UDP, of each port in turn, as PortQry's
   * -p both does: the slots follow that order. */
  for (guint i = 0; i < job->ports->len; i++)
    for (PqProtocol p = PQ_PROTOCOL_TCP; p <= PQ_PROTOCOL_UDP; p++)
      {
        if (!(job->protocols & (p == PQ_PROTOCOL_UDP ? PQ_PROTOCOLS_UDP : PQ_PROTOCOLS_TCP)))
          continue;
        g_hash_table_insert (w->slot_of_port,
                             GUINT_TO_POINTER (port_key (g_array_index (job->ports, guint16, i), p)),
                             GUINT_TO_POINTER (slot++));
      }
}

PqTarget *
pq_query_target_of_address (PqQuery *self,
                            guint    address)
{
  return g_ptr_array_index (self->targets, g_array_index (self->address_target, guint, address));
}

gboolean
pq_query_needs_trace (PqQuery *self,
                      guint    slot)
{
  return self->trace && !self->traced[slot] && self->slots[slot] != NULL &&
         pq_result_get_state (self->slots[slot]) != PQ_PORT_STATE_LISTENING;
}

/* The address goes into the report's list of addresses queried. */
static void
add_queried (PqQuery *self,
             guint    address)
{
  pq_report_select_target (self->report, g_array_index (self->address_target, guint, address));
  pq_report_add_queried (self->report, g_ptr_array_index (self->addresses, address),
                         self->names[address]);
  self->headers++;
}

/* ::address before an address's first port, then ::result for each port,
 * in the order asked, as far as every port before is decided (and, with
 * traces, traced). */
void
pq_query_emit_in_order (PqQuery *self)
{
  for (;;)
    {
      if (self->headers < self->addresses->len &&
          self->headers * self->per_address == self->next_in_order)
        {
          if (!self->looked_up[self->headers])
            return;
          add_queried (self, self->headers);
          g_signal_emit (self, pq_query_signals[PQ_QUERY_SIGNAL_ADDRESS], 0, self->headers - 1);
          continue;
        }
      if (self->next_in_order >= self->n_slots || self->slots[self->next_in_order] == NULL ||
          pq_query_needs_trace (self, self->next_in_order))
        return;
      g_signal_emit (self, pq_query_signals[PQ_QUERY_SIGNAL_RESULT], 0, self->slots[self->next_in_order]);
      self->next_in_order++;
    }
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
                   Worker    *w)
{
  PqQuery *self = w->query;
  gpointer value;
  guint slot;

  if (!g_hash_table_lookup_extended (w->slot_of_port,
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

/* A scanner says how far it is after each batch of results. */
static void
on_scanner_progress (PqScanner *scanner,
                     guint      done,
                     guint      total,
                     Worker    *w)
{
  PqQuery *self = w->query;

  if (self->task == NULL)
    return;
  insert_batch (self);
  pq_query_emit_in_order (self);
  g_signal_emit (self, pq_query_signals[PQ_QUERY_SIGNAL_PROGRESS], 0, self->done, self->n_slots);
}

/* ------------------------------------------------------------------ */
/* The chain: resolve; workers take the addresses: reverse name, scans  */

static void worker_next      (Worker *w);
static void worker_start_job (Worker *w);

void
pq_query_finish (PqQuery *self,
                 GError  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      /* Another worker ended the query already. */
      g_clear_error (&error);
      return;
    }
  if (self->resolved)
    {
      insert_batch (self);
      pq_query_emit_in_order (self);
      /* Addresses that were started keep their results in the report. */
      while (self->headers < self->next_address)
        add_queried (self, self->headers);
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
  Worker *w = data;
  g_autoptr(PqQuery) self = w->query;   /* the reference the scan held */
  GError *error = NULL;

  if (!pq_scanner_scan_finish (PQ_SCANNER (object), result, &error))
    {
      pq_query_finish (self, error);
      return;
    }
  if (self->task == NULL)
    return;
  w->job_index++;
  worker_start_job (w);
}

static void
worker_start_job (Worker *w)
{
  PqQuery *self = w->query;
  PqTarget *target = pq_query_target_of_address (self, w->address);
  Job *job;

  if (w->job_index >= self->jobs->len)
    {
      worker_next (w);
      return;
    }
  job = g_ptr_array_index (self->jobs, w->job_index);
  map_job_slots (w, job);
  pq_scanner_set_host_name (w->scanner, pq_target_get_host (target));
  g_object_ref (self);
  pq_scanner_scan_async (w->scanner, g_ptr_array_index (self->addresses, w->address),
                         pq_target_get_scope_id (target), job->ports, job->protocols,
                         g_task_get_cancellable (self->task), scan_cb, w);
}

static void
address_ready (Worker *w,
               char   *reverse_name)
{
  PqQuery *self = w->query;

  self->names[w->address] = reverse_name;
  self->looked_up[w->address] = TRUE;
  pq_query_emit_in_order (self);
  w->job_index = 0;
  worker_start_job (w);
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
  Worker *w = data;
  char *name = g_task_propagate_pointer (G_TASK (result), NULL);

  if (self->task == NULL)
    {
      g_free (name);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      g_free (name);
      pq_query_finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  address_ready (w, name);
}

/* The worker takes the next address; the last worker to run out ends
 * the query (or starts the traces). */
static void
worker_next (Worker *w)
{
  PqQuery *self = w->query;
  GInetAddress *address;
  g_autoptr(GTask) lookup = NULL;

  if (self->next_address >= self->addresses->len)
    {
      if (--self->n_busy > 0)
        return;
      insert_batch (self);
      if (self->trace)
        pq_query_start_traces (self);
      else
        pq_query_finish (self, NULL);
      return;
    }
  w->address = self->next_address++;
  address = g_ptr_array_index (self->addresses, w->address);
  if (!pq_target_is_literal (pq_query_target_of_address (self, w->address)) || !self->reverse_lookup)
    {
      address_ready (w, NULL);
      return;
    }
  lookup = g_task_new (self, g_task_get_cancellable (self->task), reverse_lookup_cb, w);
  /* As in pq_target_resolve_async(): GLib 2.74 leaks the error of a
   * return-on-cancel task cancelled before it runs. */
  if (g_task_return_error_if_cancelled (lookup))
    return;
  g_task_set_task_data (lookup, g_object_ref (address), g_object_unref);
  /* A silent DNS server must not hold up Ctrl+C or Stop. */
  g_task_set_return_on_cancel (lookup, TRUE);
  g_task_run_in_thread (lookup, reverse_lookup_thread);
}

/* Every port of every job once, in the order first asked: what the
 * report says was asked. */
static GArray *
all_ports (PqQuery *self)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint j = 0; j < self->jobs->len; j++)
    {
      Job *job = g_ptr_array_index (self->jobs, j);

      for (guint i = 0; i < job->ports->len; i++)
        {
          guint16 port = g_array_index (job->ports, guint16, i);

          if (g_hash_table_add (seen, GUINT_TO_POINTER ((guint) port)))
            g_array_append_val (ports, port);
        }
    }
  return ports;
}

static PqScanner *
new_scanner (PqQuery             *self,
             const PqScanOptions *options)
{
  PqScanner *scanner = pq_scanner_new (self->services, options);

  pq_scanner_set_community (scanner, self->community);
  pq_scanner_set_host_name (scanner, pq_target_get_host (g_ptr_array_index (self->targets, 0)));
  return scanner;
}

static void
create_scanner_and_report (PqQuery *self)
{
  g_autoptr(GArray) ports = NULL;
  PqScanOptions reported = self->options;

  if (self->services == NULL)
    self->services = pq_services_new_default ();
  self->scanner = new_scanner (self, &self->options);

  /* The report says what the scan really keeps in flight: the open-file
   * limit may lower what was asked. */
  reported.window = pq_scanner_get_effective_window (self->scanner);
  ports = all_ports (self);
  self->report = pq_report_new (g_ptr_array_index (self->targets, 0), ports, self->protocols, &reported,
                                pq_services_get_source (self->services));
  for (guint t = 1; t < self->targets->len; t++)
    pq_report_add_target (self->report, g_ptr_array_index (self->targets, t));
  pq_report_set_no_reverse (self->report, !self->reverse_lookup);
}

/* Workers share the ports in flight; one address alone has them all. A
 * fixed source port takes one worker: two could not bind it at once. */
static void
create_workers (PqQuery *self)
{
  guint n = MIN (self->addresses->len, PQ_QUERY_MAX_PARALLEL_HOSTS);
  PqScanOptions share = self->options;

  if (self->options.source_port != 0)
    n = 1;
  share.window = MAX (1, pq_scanner_get_effective_window (self->scanner) / MAX (n, 1));
  self->workers = g_ptr_array_new_with_free_func (worker_free);
  for (guint i = 0; i < n; i++)
    {
      Worker *w = g_new0 (Worker, 1);

      w->query = self;
      w->scanner = i == 0 && n == 1 ? g_object_ref (self->scanner) : new_scanner (self, &share);
      w->slot_of_port = g_hash_table_new (NULL, NULL);
      g_signal_connect (w->scanner, "result", G_CALLBACK (on_scanner_result), w);
      g_signal_connect (w->scanner, "progress", G_CALLBACK (on_scanner_progress), w);
      g_ptr_array_add (self->workers, w);
    }
}

/* Each target's addresses, in the order of the targets; a target that
 * did not resolve, or has no address of the family asked, is reported so. */
static gboolean
choose_addresses (PqQuery  *self,
                  GError  **error)
{
  self->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint t = 0; t < self->targets->len; t++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GPtrArray) chosen = NULL;
      const char *failed = pq_report_get_target_error (self->report, t);

      if (failed == NULL &&
          (chosen = pq_target_choose (g_ptr_array_index (self->targets, t), self->choice, &local)) == NULL)
        {
          pq_report_set_target_error (self->report, t, local->message);
          if (self->resolve_error == NULL)
            self->resolve_error = g_steal_pointer (&local);
        }
      for (guint i = 0; chosen != NULL && i < chosen->len; i++)
        {
          g_ptr_array_add (self->addresses, g_object_ref (g_ptr_array_index (chosen, i)));
          g_array_append_val (self->address_target, t);
        }
    }
  if (self->addresses->len == 0)
    {
      g_propagate_error (error, g_steal_pointer (&self->resolve_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_slots (PqQuery  *self,
               GError  **error)
{
  if (!choose_addresses (self, error) ||
      !pq_scanner_check_source_port (self->scanner,
                                     g_inet_address_get_family (g_ptr_array_index (self->addresses, 0)),
                                     self->protocols, error))
    return FALSE;

  self->n_slots = self->per_address * self->addresses->len;
  self->slots = g_new0 (PqResult *, self->n_slots);
  self->decided = g_new0 (guint, self->n_slots);
  self->traced = g_new0 (gboolean, self->n_slots);
  self->names = g_new0 (char *, self->addresses->len);
  self->looked_up = g_new0 (gboolean, self->addresses->len);
  create_workers (self);
  return TRUE;
}

static void
all_resolved (PqQuery *self)
{
  GError *error = NULL;

  if (!prepare_slots (self, &error))
    {
      pq_query_finish (self, error);
      return;
    }
  self->resolved = TRUE;
  g_signal_emit (self, pq_query_signals[PQ_QUERY_SIGNAL_PROGRESS], 0, 0, self->n_slots);
  self->n_busy = self->workers->len;
  /* A copy: the last worker to finish may end the query. */
  for (guint i = 0, n = self->workers->len; i < n && self->task != NULL; i++)
    worker_next (g_ptr_array_index (self->workers, i));
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(PqQuery) self = data;
  g_autoptr(GError) error = NULL;

  if (!pq_target_resolve_finish (PQ_TARGET (object), result, &error))
    {
      guint t;

      g_ptr_array_find (self->targets, object, &t);
      pq_report_set_target_error (self->report, t, error->message);
      /* The query's error when no host resolves: the first host's. */
      if (self->resolve_error == NULL || t == 0)
        {
          g_clear_error (&self->resolve_error);
          self->resolve_error = g_steal_pointer (&error);
        }
    }
  if (--self->n_resolving > 0)
    return;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      pq_query_finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  all_resolved (self);
}

/**
 * pq_query_run_async:
 *
 * Resolves the targets and queries their ports; results appear in
 * pq_query_get_results() as they are decided. A query runs once. The
 * report exists from here on; pq_query_get_report() gives it once the
 * names have resolved.
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
  self->n_resolving = self->targets->len;
  for (guint t = 0; t < self->targets->len; t++)
    pq_target_resolve_async (g_ptr_array_index (self->targets, t), cancellable, resolve_cb,
                             g_object_ref (self));
}

gboolean
pq_query_run_finish (PqQuery       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
