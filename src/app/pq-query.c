/* pq-query.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-query.h"

/* Results reach the view at most this often: one store change per tick
 * instead of one per port keeps 65,535 rows smooth. */
#define FLUSH_INTERVAL_MS 100

typedef struct
{
  GArray      *ports;
  PqProtocols  protocols;
} Job;

struct _PqQuery
{
  GObject          parent_instance;

  PqTarget        *target;
  PqScanOptions    options;
  PqAddressChoice  choice;
  gboolean         reverse_lookup;
  char            *community;
  GPtrArray       *jobs;

  GTask           *task;          /* while running */
  PqScanner       *scanner;
  PqReport        *report;
  GPtrArray       *addresses;
  guint            address_index;
  guint            job_index;

  GListStore      *results;       /* what the view shows, in arrival order */
  GPtrArray       *pending;       /* arrived, not yet in results */
  guint            flush_id;

  /* The report keeps the order asked, as portqry prints it. */
  GHashTable      *slot_index;
  GPtrArray       *slots;
  guint            next_slot;

  guint            done_before;   /* ports of the scans already finished */
  guint            done;
  guint            total;
};

G_DEFINE_FINAL_TYPE (PqQuery, pq_query, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
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

/* Slots of results not decided yet are NULL. */
static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
pq_query_dispose (GObject *object)
{
  PqQuery *self = PQ_QUERY (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
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
  g_ptr_array_unref (self->jobs);
  g_clear_object (&self->report);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_object (&self->results);
  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->slot_index);
  g_ptr_array_unref (self->slots);
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
   * Emitted with each batch of results, not for every port.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pq_query_init (PqQuery *self)
{
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->results = g_list_store_new (PQ_TYPE_RESULT);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->slot_index = g_hash_table_new (NULL, NULL);
  self->slots = g_ptr_array_new_with_free_func (unref_nullable);
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

void
pq_query_add_ports (PqQuery     *self,
                    GArray      *ports,
                    PqProtocols  protocols)
{
  Job *job;

  g_return_if_fail (PQ_IS_QUERY (self));
  g_return_if_fail (self->task == NULL);
  if (ports->len == 0 || protocols == 0)
    return;
  job = g_new0 (Job, 1);
  job->ports = g_array_ref (ports);
  job->protocols = protocols;
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

GListModel *
pq_query_get_results (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), NULL);
  return G_LIST_MODEL (self->results);
}

/* Returns: (nullable): the report, once the name has resolved */
PqReport *
pq_query_get_report (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), NULL);
  return self->report;
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
  return self->total;
}

guint
pq_query_get_n_addresses (PqQuery *self)
{
  g_return_val_if_fail (PQ_IS_QUERY (self), 0);
  return self->addresses ? self->addresses->len : 0;
}

/* ------------------------------------------------------------------ */
/* Results in batches                                                  */

static gboolean
flush_pending (gpointer data)
{
  PqQuery *self = data;

  if (self->pending->len > 0)
    {
      g_list_store_splice (self->results,
                           g_list_model_get_n_items (G_LIST_MODEL (self->results)), 0,
                           self->pending->pdata, self->pending->len);
      g_ptr_array_set_size (self->pending, 0);
    }
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
  return G_SOURCE_CONTINUE;
}

static guint
slot_key (guint16    port,
          PqProtocol protocol)
{
  return ((guint) port << 1) | (protocol == PQ_PROTOCOL_UDP);
}

static void
prepare_slots (PqQuery *self,
               Job     *job)
{
  g_hash_table_remove_all (self->slot_index);
  g_ptr_array_set_size (self->slots, 0);
  self->next_slot = 0;

  for (guint i = 0; i < job->ports->len; i++)
    for (guint udp = 0; udp < 2; udp++)
      {
        guint16 port = g_array_index (job->ports, guint16, i);

        if (!(job->protocols & (udp ? PQ_PROTOCOLS_UDP : PQ_PROTOCOLS_TCP)))
          continue;
        g_hash_table_insert (self->slot_index,
                             GUINT_TO_POINTER (slot_key (port, udp ? PQ_PROTOCOL_UDP : PQ_PROTOCOL_TCP)),
                             GUINT_TO_POINTER (self->slots->len));
        g_ptr_array_add (self->slots, NULL);
      }
}

/* Hands the results decided so far to the report, in the order asked;
 * with @all, also those after a gap (a cancelled scan leaves gaps). */
static void
report_slots (PqQuery  *self,
              gboolean  all)
{
  for (; self->next_slot < self->slots->len; self->next_slot++)
    {
      PqResult *result = g_ptr_array_index (self->slots, self->next_slot);

      if (result == NULL && !all)
        break;
      if (result != NULL)
        pq_report_add_result (self->report, result);
    }
}

static void
on_scanner_result (PqScanner *scanner,
                   PqResult  *result,
                   PqQuery   *self)
{
  gpointer pos;
  guint key = slot_key (pq_result_get_port (result), pq_result_get_protocol (result));

  g_ptr_array_add (self->pending, g_object_ref (result));
  if (g_hash_table_lookup_extended (self->slot_index, GUINT_TO_POINTER (key), NULL, &pos) &&
      g_ptr_array_index (self->slots, GPOINTER_TO_UINT (pos)) == NULL)
    {
      g_ptr_array_index (self->slots, GPOINTER_TO_UINT (pos)) = g_object_ref (result);
      report_slots (self, FALSE);
    }
}

static void
on_scanner_progress (PqScanner *scanner,
                     guint      done,
                     guint      total,
                     PqQuery   *self)
{
  self->done = self->done_before + done;
}

/* ------------------------------------------------------------------ */
/* The chain: resolve, then per address (reverse name,) per job a scan  */

static void next_address (PqQuery *self);
static void start_jobs   (PqQuery *self);

static void
finish (PqQuery *self,
        GError  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->report != NULL)
    {
      report_slots (self, TRUE);
      pq_report_finish (self->report, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    }
  flush_pending (self);
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
  Job *job = g_ptr_array_index (self->jobs, self->job_index);
  guint n_protocols = ((job->protocols & PQ_PROTOCOLS_TCP) != 0) + ((job->protocols & PQ_PROTOCOLS_UDP) != 0);

  if (!pq_scanner_scan_finish (PQ_SCANNER (object), result, &error))
    {
      finish (self, error);
      return;
    }
  report_slots (self, TRUE);
  self->done_before += job->ports->len * n_protocols;
  self->done = self->done_before;
  self->job_index++;
  start_jobs (self);
}

static void
start_jobs (PqQuery *self)
{
  GInetAddress *address = g_ptr_array_index (self->addresses, self->address_index);
  Job *job;

  if (self->job_index >= self->jobs->len)
    {
      self->job_index = 0;
      self->address_index++;
      next_address (self);
      return;
    }
  job = g_ptr_array_index (self->jobs, self->job_index);
  prepare_slots (self, job);
  pq_scanner_scan_async (self->scanner, address, pq_target_get_scope_id (self->target),
                         job->ports, job->protocols, g_task_get_cancellable (self->task),
                         scan_cb, g_object_ref (self));
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
  GCancellable *cancellable = self->task ? g_task_get_cancellable (self->task) : NULL;

  pq_report_add_queried (self->report, g_ptr_array_index (self->addresses, self->address_index), name);
  if (g_cancellable_is_cancelled (cancellable))
    {
      finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Query cancelled.")));
      return;
    }
  start_jobs (self);
}

static void
next_address (PqQuery *self)
{
  GInetAddress *address;

  if (self->address_index >= self->addresses->len)
    {
      finish (self, NULL);
      return;
    }

  address = g_ptr_array_index (self->addresses, self->address_index);
  if (pq_target_is_literal (self->target) && self->reverse_lookup)
    {
      g_autoptr(GTask) lookup = g_task_new (self, g_task_get_cancellable (self->task),
                                            reverse_lookup_cb, NULL);

      g_task_set_task_data (lookup, g_object_ref (address), g_object_unref);
      g_task_run_in_thread (lookup, reverse_lookup_thread);
      return;
    }
  pq_report_add_queried (self->report, address, NULL);
  start_jobs (self);
}

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
      guint n_protocols = ((job->protocols & PQ_PROTOCOLS_TCP) != 0) + ((job->protocols & PQ_PROTOCOLS_UDP) != 0);

      *protocols |= job->protocols;
      self->total += job->ports->len * n_protocols;
      for (guint i = 0; i < job->ports->len; i++)
        {
          guint16 port = g_array_index (job->ports, guint16, i);

          if (g_hash_table_add (seen, GUINT_TO_POINTER ((guint) port)))
            g_array_append_val (ports, port);
        }
    }
  return ports;
}

static gboolean
prepare_scan (PqQuery  *self,
              GError  **error)
{
  g_autoptr(PqServices) services = pq_services_new_default ();
  g_autoptr(GArray) ports = NULL;
  PqProtocols protocols;

  self->addresses = pq_target_choose (self->target, self->choice, error);
  if (self->addresses == NULL)
    return FALSE;

  self->scanner = pq_scanner_new (services, &self->options);
  pq_scanner_set_community (self->scanner, self->community);
  pq_scanner_set_host_name (self->scanner, pq_target_get_host (self->target));

  self->total = 0;
  ports = all_ports (self, &protocols);
  self->total *= self->addresses->len;
  if (!pq_scanner_check_source_port (self->scanner,
                                     g_inet_address_get_family (g_ptr_array_index (self->addresses, 0)),
                                     protocols, error))
    return FALSE;

  self->report = pq_report_new (self->target, ports, protocols, &self->options, services);
  pq_report_set_no_reverse (self->report, !self->reverse_lookup);
  g_signal_connect (self->scanner, "result", G_CALLBACK (on_scanner_result), self);
  g_signal_connect (self->scanner, "progress", G_CALLBACK (on_scanner_progress), self);
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
      !prepare_scan (self, &error))
    {
      finish (self, error);
      return;
    }
  self->flush_id = g_timeout_add (FLUSH_INTERVAL_MS, flush_pending, self);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 0, self->total);
  next_address (self);
}

/* Resolves the target and queries its ports; results appear in
 * pq_query_get_results() as they arrive. A query runs once. */
void
pq_query_run_async (PqQuery             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (PQ_IS_QUERY (self));
  g_return_if_fail (self->task == NULL && self->report == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, pq_query_run_async);
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
