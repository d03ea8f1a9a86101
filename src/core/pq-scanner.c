/* pq-scanner.c: the scan engine's public face
 *
 * PqScanner holds what a scan needs (services, options, SNMP community,
 * the name as typed) and runs each scan in a GTask worker thread, which
 * starts one or more lanes (pq-scan-engine.c) and waits for them. Results
 * reach the caller's main context through the job (pq-scan-job.c) as the
 * "result" and "progress" signals.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-error.h"
#include "pq-scanner-private.h"
#include "pq-target.h"

/* Scans of fewer ports than this per lane use one thread. */
#define LANE_MIN_PORTS 1024
#define MAX_LANES 4

struct _PqScanner
{
  GObject        parent_instance;

  PqServices    *services;
  PqScanOptions  options;
  char          *community;
  char          *host_name;
};

G_DEFINE_FINAL_TYPE (PqScanner, pq_scanner, G_TYPE_OBJECT)

enum {
  SIGNAL_RESULT,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The signals, emitted by the job (pq-scan-job.c) in the caller's context. */
void
pq_scan_emit_result (PqScanner *scanner,
                     PqResult  *result)
{
  g_signal_emit (scanner, signals[SIGNAL_RESULT], 0, result);
}

void
pq_scan_emit_progress (PqScanner *scanner,
                       guint      done,
                       guint      total)
{
  g_signal_emit (scanner, signals[SIGNAL_PROGRESS], 0, done, total);
}

/* ------------------------------------------------------------------ */
/* The scan's GTask thread: it starts the lanes and waits for them    */

/* A large TCP scan is bound by the kernel's work per connection, so it
 * runs on one lane per core (at most MAX_LANES); a small one needs only
 * one. A scan with UDP ports keeps to one lane: their second looks are
 * paced to the host's ICMP rate limit, which one engine can keep to and
 * several, each pacing its own ports, would overrun (their looks then
 * meet suppressed answers and closed ports stay "LISTENING or
 * FILTERED"); UDP waits, not the kernel's work, bound such a scan anyway. */
static guint
count_lanes (Job *job)
{
  guint total = job->specs->len;
  guint cores = g_get_num_processors ();

  if (job->has_udp || total < 2 * LANE_MIN_PORTS || cores < 2)
    return 1;
  return MIN (MIN (cores, MAX_LANES), total / LANE_MIN_PORTS);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  guint n_lanes = count_lanes (job);
  guint window = MIN (job->options.window, pq_fd_budget ());
  Lane lanes[MAX_LANES] = { { 0 } };
  GThread *threads[MAX_LANES] = { NULL };

  n_lanes = MAX (1, MIN (n_lanes, window / 16));
  for (guint i = 0; i < n_lanes; i++)
    {
      lanes[i] = (Lane) { job, cancellable, window / n_lanes + (i < window % n_lanes), 0 };
      if (i > 0)
        threads[i] = g_thread_new ("pq-scan-lane", pq_scan_lane_run, &lanes[i]);
    }
  pq_scan_lane_run (&lanes[0]);
  for (guint i = 1; i < n_lanes; i++)
    g_thread_join (threads[i]);

  if (g_task_return_error_if_cancelled (task))
    return;
  for (guint i = 0; i < n_lanes; i++)
    if (lanes[i].error_number != 0)
      {
        g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (lanes[i].error_number),
                                 _("The scan could not start: %s"), g_strerror (lanes[i].error_number));
        return;
      }
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ */
/* PqScanner                                                          */

static void
pq_scanner_finalize (GObject *object)
{
  PqScanner *self = PQ_SCANNER (object);

  g_clear_object (&self->services);
  g_clear_pointer (&self->community, g_free);
  g_clear_pointer (&self->host_name, g_free);

  G_OBJECT_CLASS (pq_scanner_parent_class)->finalize (object);
}

static void
pq_scanner_class_init (PqScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pq_scanner_finalize;

  /**
   * PqScanner::result:
   * @result: a port's result, emitted in the caller's main context as soon
   *   as it is decided (not in port order)
   */
  signals[SIGNAL_RESULT] =
    g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, PQ_TYPE_RESULT);

  /**
   * PqScanner::progress:
   * @done: ports decided so far
   * @total: ports in this scan
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pq_scanner_init (PqScanner *self)
{
  pq_scan_options_init (&self->options);
}

PqScanner *
pq_scanner_new (PqServices          *services,
                const PqScanOptions *options)
{
  PqScanner *self = g_object_new (PQ_TYPE_SCANNER, NULL);

  self->services = services ? g_object_ref (services) : pq_services_new_default ();
  if (options != NULL)
    self->options = *options;
  return self;
}

const PqScanOptions *
pq_scanner_get_options (PqScanner *self)
{
  g_return_val_if_fail (PQ_IS_SCANNER (self), NULL);
  return &self->options;
}

PqServices *
pq_scanner_get_services (PqScanner *self)
{
  g_return_val_if_fail (PQ_IS_SCANNER (self), NULL);
  return self->services;
}

/* The SNMP community (PortQry's -cn); NULL for "public". */
void
pq_scanner_set_community (PqScanner  *self,
                          const char *community)
{
  g_return_if_fail (PQ_IS_SCANNER (self));
  g_free (self->community);
  self->community = g_strdup (community);
}

/* The name the user typed, for protocols that send it (HTTP's Host). */
void
pq_scanner_set_host_name (PqScanner  *self,
                          const char *host_name)
{
  g_return_if_fail (PQ_IS_SCANNER (self));
  g_free (self->host_name);
  self->host_name = g_strdup (host_name);
}

guint
pq_scanner_get_effective_window (PqScanner *self)
{
  g_return_val_if_fail (PQ_IS_SCANNER (self), 1);
  return MIN (self->options.window, pq_fd_budget ());
}

/**
 * pq_scanner_check_source_port:
 *
 * PortQry refuses a -sp port that is in use; so does this, before the scan,
 * with a message that says what to do.
 */
gboolean
pq_scanner_check_source_port (PqScanner      *self,
                              GSocketFamily   family,
                              PqProtocols     protocols,
                              GError        **error)
{
  guint16 port = self->options.source_port;

  if (port == 0)
    return TRUE;

  for (guint i = 0; i < 2; i++)
    {
      int type = i == 0 ? SOCK_STREAM : SOCK_DGRAM;
      struct sockaddr_storage ss = { 0 };
      int fd, err = 0;

      if (!(protocols & (i == 0 ? PQ_PROTOCOLS_TCP : PQ_PROTOCOLS_UDP)))
        continue;
      fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0);
      if (fd < 0)
        err = errno;
      else
        {
          ss.ss_family = family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
          pq_scan_set_port (&ss, port);
          if (bind (fd, (struct sockaddr *) &ss,
                    ss.ss_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in)) != 0)
            err = errno;
          close (fd);
        }

      if (err == EADDRINUSE)
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_SOURCE_PORT,
                       _("The specified source port %u cannot be used because it is in use on this computer (%s). Choose another port with -sp, or leave -sp out to use any free port."),
                       port, i == 0 ? "TCP" : "UDP");
          return FALSE;
        }
      if (err != 0)
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_SOURCE_PORT,
                       _("The source port %u cannot be used: %s. Ports below 1024 need administrator rights; choose a port from 1024 to 65535."),
                       port, g_strerror (err));
          return FALSE;
        }
    }
  return TRUE;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = g_steal_pointer (&job->outer);
  GError *error = NULL;

  /* Deliver every decided port before saying the scan is over. */
  pq_scan_job_flush (job);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

static GArray *
build_specs (GArray      *ports,
             PqProtocols  protocols)
{
  GArray *specs = g_array_sized_new (FALSE, FALSE, sizeof (Spec), ports->len * 2);

  /* PortQry's -p both asks TCP, then UDP, of each port in turn. */
  for (guint i = 0; i < ports->len; i++)
    {
      Spec s = { .port = g_array_index (ports, guint16, i) };

      if (protocols & PQ_PROTOCOLS_TCP)
        {
          s.protocol = PQ_PROTOCOL_TCP;
          g_array_append_val (specs, s);
        }
      if (protocols & PQ_PROTOCOLS_UDP)
        {
          s.protocol = PQ_PROTOCOL_UDP;
          g_array_append_val (specs, s);
        }
    }
  return specs;
}

/**
 * pq_scanner_scan_async:
 * @address: the address to query
 * @scope_id: the interface for a link-local IPv6 address, else 0
 * @ports: (element-type guint16): ports in the order to query them
 * @protocols: TCP, UDP or both
 *
 * Queries every port. #PqScanner::result and #PqScanner::progress are
 * emitted in the thread-default main context of the caller as ports are
 * decided; @callback runs there after the last one.
 */
void
pq_scanner_scan_async (PqScanner           *self,
                       GInetAddress        *address,
                       guint32              scope_id,
                       GArray              *ports,
                       PqProtocols          protocols,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  Job *job;

  g_return_if_fail (PQ_IS_SCANNER (self));
  g_return_if_fail (G_IS_INET_ADDRESS (address));
  g_return_if_fail (ports != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, pq_scanner_scan_async);

  job = g_atomic_rc_box_new0 (Job);
  g_mutex_init (&job->lock);
  job->scanner = g_object_ref (self);
  job->options = self->options;
  job->services = g_object_ref (self->services);
  job->address = g_object_ref (address);
  job->scope_id = scope_id;
  job->address_str = pq_address_to_string (address, scope_id);
  job->host = g_strdup (self->host_name ? self->host_name : job->address_str);
  job->community = g_strdup (self->community);
  job->specs = build_specs (ports, protocols);
  job->has_udp = (protocols & PQ_PROTOCOLS_UDP) != 0;
  job->caller_context = g_main_context_ref_thread_default ();
  job->pending = g_ptr_array_new_with_free_func (g_object_unref);
  job->outer = g_steal_pointer (&outer);

  inner = g_task_new (self, cancellable, scan_done_cb, NULL);
  g_task_set_task_data (inner, job, (GDestroyNotify) pq_scan_job_unref);
  g_task_set_name (inner, "[portquery] scan");
  g_task_run_in_thread (inner, scan_thread);
}

gboolean
pq_scanner_scan_finish (PqScanner     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
