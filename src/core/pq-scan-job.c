/* pq-scan-job.c: what the caller's thread and the scan's workers share
 *
 * A Job holds one scan's inputs and the results the workers have decided
 * but not yet handed over. Workers push results under a lock; the caller's
 * main context takes them in batches and emits the scanner's signals.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include "pq-scanner-private.h"

/* How long decided results wait to be handed over in one batch. */
#define FLUSH_INTERVAL_MS 10

static void
job_free (Job *job)
{
  g_clear_object (&job->scanner);
  g_clear_object (&job->services);
  g_clear_object (&job->address);
  g_clear_pointer (&job->address_str, g_free);
  g_clear_pointer (&job->host, g_free);
  g_clear_pointer (&job->community, g_free);
  g_clear_pointer (&job->specs, g_array_unref);
  g_clear_pointer (&job->caller_context, g_main_context_unref);
  g_clear_pointer (&job->pending, g_ptr_array_unref);
  g_mutex_clear (&job->lock);
}

Job *
pq_scan_job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

void
pq_scan_job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_free);
}

/* Caller's context: emit what the worker has decided since the last flush. */
void
pq_scan_job_flush (Job *job)
{
  g_autoptr(GPtrArray) batch = NULL;

  g_mutex_lock (&job->lock);
  batch = g_steal_pointer (&job->pending);
  job->pending = g_ptr_array_new_with_free_func (g_object_unref);
  job->flush_queued = FALSE;
  g_mutex_unlock (&job->lock);

  if (batch->len == 0)
    return;

  for (guint i = 0; i < batch->len; i++)
    pq_scan_emit_result (job->scanner, g_ptr_array_index (batch, i));
  job->delivered += batch->len;
  pq_scan_emit_progress (job->scanner, job->delivered, job->specs->len);
}

static gboolean
job_flush_cb (gpointer data)
{
  pq_scan_job_flush (data);
  return G_SOURCE_REMOVE;
}

/* Worker: queue a decided result for the caller's context. The first
 * result of a batch schedules a flush a few milliseconds later, so a fast
 * scan wakes the caller's thread about a hundred times a second rather
 * than once per port. */
void
pq_scan_job_push (Job      *job,
                  PqResult *result)
{
  gboolean schedule;

  g_mutex_lock (&job->lock);
  g_ptr_array_add (job->pending, result);
  schedule = !job->flush_queued;
  job->flush_queued = TRUE;
  g_mutex_unlock (&job->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_timeout_source_new (FLUSH_INTERVAL_MS);

      g_source_set_callback (source, job_flush_cb, pq_scan_job_ref (job), (GDestroyNotify) pq_scan_job_unref);
      g_source_set_name (source, "[portquery] scan results");
      g_source_attach (source, job->caller_context);
    }
}

