/* pq-tracer.c: the port's own probe with TTL 1, 2, 3, ..., and who answered
 *
 * No raw sockets: a TCP connect or a UDP datagram with IP_TTL (or
 * IPV6_UNICAST_HOPS) set, and IP_RECVERR to read who sent the ICMP
 * message that ended it: a router's "time exceeded", an unreachable, or
 * the host's own answer. Every TTL of a trace is sent at once (a wave) on
 * its own socket, on the caller's main context; silent TTLs are sent
 * again in later waves.
 *
 * Routers limit their ICMP per destination (Linux: a burst of 6, then one
 * a second). A token bucket per TTL mirrors that limit, so a wave never
 * asks a router for more than it will answer, and a TTL counts as silent
 * only after PQ_TRACE_TRIES paced tries: a rate limit does not become a
 * false verdict.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-tracer"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-scanner-private.h"
#include "pq-target.h"
#include "pq-tracer.h"

/* When the reference does not say, a port that is rarely open:
 * traceroute's first UDP port. */
#define FALLBACK_PORT 33434

typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

typedef struct
{
  guint16    port;
  PqProtocol protocol;
} Ref;

struct _PqTracer
{
  GObject                  parent_instance;

  char                    *address_str;
  struct sockaddr_storage  target;
  GArray                  *refs;           /* Ref, in the order added */
  PqTrace                 *reference;      /* the best reference trace */
  int                      distance;       /* hops to the host; -1 unknown */
  gboolean                 have_reference;
  Bucket                   buckets[PQ_TRACE_MAX_HOPS + 1];
};

G_DEFINE_FINAL_TYPE (PqTracer, pq_tracer, G_TYPE_OBJECT)

enum { SIGNAL_HOP, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct _Run Run;

typedef struct
{
  Run     *run;
  guint    ttl;
  int      fd;
  GSource *watch;
} Shot;

/* One trace of one port: its waves until every TTL answered or gave up. */
struct _Run
{
  PqTracer     *tracer;
  GTask        *task;
  guint16       port;
  PqProtocol    protocol;
  guint         max_ttl;
  gboolean      is_reference;
  PqHopKind     kinds[PQ_TRACE_MAX_HOPS + 1];
  char         *from[PQ_TRACE_MAX_HOPS + 1];
  guint         tries[PQ_TRACE_MAX_HOPS + 1];
  Shot          shots[PQ_TRACE_MAX_HOPS + 1];
  GSource      *timer;
};

static void
pq_tracer_finalize (GObject *object)
{
  PqTracer *self = PQ_TRACER (object);

  g_free (self->address_str);
  g_array_unref (self->refs);
  g_clear_object (&self->reference);
  G_OBJECT_CLASS (pq_tracer_parent_class)->finalize (object);
}

static void
pq_tracer_class_init (PqTracerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_tracer_finalize;

  /**
   * PqTracer::hop:
   * @ttl: the TTL that answered or went silent after every try
   * @max_ttl: the TTLs this trace probes
   *
   * Progress of the port's own trace (not of its reference).
   */
  signals[SIGNAL_HOP] =
    g_signal_new ("hop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pq_tracer_init (PqTracer *self)
{
  self->refs = g_array_new (FALSE, FALSE, sizeof (Ref));
  self->distance = -1;
  for (guint i = 0; i <= PQ_TRACE_MAX_HOPS; i++)
    self->buckets[i].tokens = PQ_TRACE_BURST;
}

PqTracer *
pq_tracer_new (GInetAddress *address,
               guint32       scope_id)
{
  PqTracer *self;
  g_autoptr(GSocketAddress) sa = NULL;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);
  self = g_object_new (PQ_TYPE_TRACER, NULL);
  self->address_str = pq_address_to_string (address, 0);
  sa = g_inet_socket_address_new (address, 0);
  g_socket_address_to_native (sa, &self->target, sizeof self->target, NULL);
  if (self->target.ss_family == AF_INET6)
    ((struct sockaddr_in6 *) &self->target)->sin6_scope_id = scope_id;
  return self;
}

/* A port of this address known to answer (open, or closed with a reset
 * or a port unreachable): its trace shows which hops answer at all. */
void
pq_tracer_add_reference (PqTracer   *self,
                         guint16     port,
                         PqProtocol  protocol)
{
  Ref ref = { port, protocol };

  g_return_if_fail (PQ_IS_TRACER (self));
  g_array_append_val (self->refs, ref);
}

/* ------------------------------------------------------------------ */
/* Pacing: one bucket per TTL; beyond the host all TTLs are the host     */

static Bucket *
bucket_of (PqTracer *self,
           guint     ttl)
{
  if (self->distance > 0 && ttl > (guint) self->distance)
    ttl = (guint) self->distance;
  return &self->buckets[ttl];
}

static void
bucket_refill (Bucket *b,
               gint64  now)
{
  if (b->last_us != 0)
    b->tokens = MIN (PQ_TRACE_BURST, b->tokens + (now - b->last_us) / (double) G_USEC_PER_SEC);
  b->last_us = now;
}

/* Milliseconds until every TTL of the wave has a token. */
static guint
pacing_delay (Run *run)
{
  gint64 now = g_get_monotonic_time ();
  double wait = 0;

  for (guint ttl = 1; ttl <= run->max_ttl; ttl++)
    if (run->shots[ttl].fd == -2)
      {
        Bucket *b = bucket_of (run->tracer, ttl);

        bucket_refill (b, now);
        if (b->tokens < 1)
          wait = MAX (wait, 1 - b->tokens);
      }
  return (guint) (wait * 1000 + 0.5);
}

/* ------------------------------------------------------------------ */
/* One probe with one TTL                                               */

static PqHopKind
kind_of_icmp (const PqOutcome *o)
{
  guint8 t = o->icmp_type, c = o->icmp_code;

  if ((!o->icmp6 && t == 11) || (o->icmp6 && t == 3))
    return PQ_HOP_TIME_EXCEEDED;
  if ((!o->icmp6 && t != 3) || (o->icmp6 && t != 1))
    return PQ_HOP_UNREACHABLE;
  if ((!o->icmp6 && c == 3) || (o->icmp6 && c == 4))
    return PQ_HOP_PORT_UNREACHABLE;
  if ((!o->icmp6 && (c == 9 || c == 10 || c == 13)) || (o->icmp6 && c == 1))
    return PQ_HOP_PROHIBITED;
  if ((!o->icmp6 && c == 1) || (o->icmp6 && c == 3))
    return PQ_HOP_HOST_UNREACHABLE;
  if (c == 0)
    return PQ_HOP_NET_UNREACHABLE;
  return PQ_HOP_UNREACHABLE;
}

static void
shot_close (Shot *shot)
{
  if (shot->watch != NULL)
    {
      g_source_destroy (shot->watch);
      g_clear_pointer (&shot->watch, g_source_unref);
    }
  if (shot->fd >= 0)
    close (shot->fd);
  shot->fd = -1;
}

/* What the socket says now; PQ_HOP_NONE if nothing yet. */
static PqHopKind
shot_read (Shot   *shot,
           char  **from)
{
  PqTracer *tracer = shot->run->tracer;
  Observation obs = { { 0 } };
  int err = 0;
  socklen_t len = sizeof err;
  char byte;

  pq_scan_read_error_queue (shot->fd, &tracer->target, &obs);
  if (obs.outcome.have_icmp)
    {
      *from = obs.icmp_from;
      return kind_of_icmp (&obs.outcome);
    }
  *from = g_strdup (tracer->address_str);
  if (shot->run->protocol == PQ_PROTOCOL_UDP)
    {
      if (recv (shot->fd, &byte, 1, MSG_DONTWAIT | MSG_TRUNC) >= 0)
        return PQ_HOP_REPLY;
    }
  else if (getsockopt (shot->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
    {
      if (err == 0)
        return PQ_HOP_CONNECTED;
      if (err == ECONNREFUSED)
        return PQ_HOP_RESET;
    }
  g_clear_pointer (from, g_free);
  return PQ_HOP_NONE;
}

static void wave_check (Run *run);
static guint run_limit (Run *run);

static gboolean
on_shot_ready (int           fd,
               GIOCondition  condition,
               gpointer      data)
{
  Shot *shot = data;
  Run *run = shot->run;
  char *from = NULL;
  PqHopKind kind = shot_read (shot, &from);

  if (kind == PQ_HOP_NONE && !(condition & (G_IO_ERR | G_IO_HUP)))
    return G_SOURCE_CONTINUE;
  if (run->kinds[shot->ttl] == PQ_HOP_NONE && kind != PQ_HOP_NONE)
    {
      run->kinds[shot->ttl] = kind;
      run->from[shot->ttl] = g_steal_pointer (&from);
      if (!run->is_reference)
        g_signal_emit (run->tracer, signals[SIGNAL_HOP], 0, shot->ttl, run_limit (run));
    }
  g_free (from);
  shot_close (shot);
  wave_check (run);
  return G_SOURCE_REMOVE;
}

static gboolean
shot_open (Shot    *shot,
           GError **error)
{
  PqTracer *tracer = shot->run->tracer;
  struct sockaddr_storage to = tracer->target;
  gboolean v6 = to.ss_family == AF_INET6;
  gboolean tcp = shot->run->protocol == PQ_PROTOCOL_TCP;
  int ttl = (int) shot->ttl, saved;
  socklen_t len = v6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);

  shot->fd = socket (to.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (shot->fd < 0)
    goto failed;
  pq_scan_enable_recverr (shot->fd, v6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);
  if (v6 ? setsockopt (shot->fd, SOL_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl)
         : setsockopt (shot->fd, SOL_IP, IP_TTL, &ttl, sizeof ttl))
    goto failed;
  pq_scan_set_port (&to, shot->run->port);
  if (connect (shot->fd, (struct sockaddr *) &to, len) != 0 && errno != EINPROGRESS)
    goto failed;
  if (!tcp && send (shot->fd, "", 0, 0) < 0)
    goto failed;
  shot->watch = g_unix_fd_source_new (shot->fd, (tcp ? G_IO_OUT : G_IO_IN) | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (shot->watch, G_SOURCE_FUNC (on_shot_ready), shot, NULL);
  g_source_attach (shot->watch, g_task_get_context (shot->run->task));
  return TRUE;

failed:
  saved = errno;
  shot_close (shot);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("the probe could not be sent: %s"), g_strerror (saved));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Waves                                                                */

static void run_step (Run *run);

static void
run_free (Run *run)
{
  for (guint ttl = 0; ttl <= PQ_TRACE_MAX_HOPS; ttl++)
    {
      shot_close (&run->shots[ttl]);
      g_free (run->from[ttl]);
    }
  if (run->timer != NULL)
    g_source_destroy (run->timer);
  g_clear_pointer (&run->timer, g_source_unref);
  g_free (run);
}

/* The lowest TTL whose answer ends the path, or max_ttl. */
static guint
run_limit (Run *run)
{
  for (guint ttl = 1; ttl <= run->max_ttl; ttl++)
    if (pq_hop_kind_is_final (run->kinds[ttl]))
      return ttl;
  return run->max_ttl;
}

static void
set_timer (Run         *run,
           guint        ms,
           GSourceFunc  func)
{
  if (run->timer != NULL)
    g_source_destroy (run->timer);
  g_clear_pointer (&run->timer, g_source_unref);
  run->timer = g_timeout_source_new (ms);
  g_source_set_callback (run->timer, func, run, NULL);
  g_source_attach (run->timer, g_task_get_context (run->task));
}

static gboolean
wave_end (gpointer data)
{
  Run *run = data;
  guint limit = run_limit (run);

  for (guint ttl = 1; ttl <= run->max_ttl; ttl++)
    {
      shot_close (&run->shots[ttl]);
      if (!run->is_reference && ttl <= limit && run->kinds[ttl] == PQ_HOP_NONE &&
          run->tries[ttl] == PQ_TRACE_TRIES)
        g_signal_emit (run->tracer, signals[SIGNAL_HOP], 0, ttl, limit);
    }
  run_step (run);
  return G_SOURCE_REMOVE;
}

/* A wave ends as soon as every TTL up to the end of the path answered. */
static void
wave_check (Run *run)
{
  guint limit = run_limit (run);

  for (guint ttl = 1; ttl <= limit; ttl++)
    if (run->shots[ttl].fd >= 0)
      return;
  set_timer (run, 0, wave_end);
}

static gboolean
wave_send (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();
  GError *error = NULL;

  for (guint ttl = 1; ttl <= run->max_ttl && error == NULL; ttl++)
    {
      Bucket *b;

      if (run->shots[ttl].fd != -2)
        continue;
      run->shots[ttl].fd = -1;
      if (!shot_open (&run->shots[ttl], &error))
        break;
      run->tries[ttl]++;
      b = bucket_of (run->tracer, ttl);
      bucket_refill (b, now);
      b->tokens -= 1;
    }
  if (error != NULL)
    {
      GTask *task = run->task;

      for (guint ttl = 1; ttl <= run->max_ttl; ttl++)
        shot_close (&run->shots[ttl]);
      g_task_return_error (task, error);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  set_timer (run, PQ_TRACE_WAIT_MS, wave_end);
  return G_SOURCE_REMOVE;
}

/* The next wave: every TTL up to the end of the path that has not
 * answered and has tries left, once the routers have tokens for it. */
static void
run_step (Run *run)
{
  guint limit = run_limit (run);
  guint pending = 0;

  if (g_task_return_error_if_cancelled (run->task))
    {
      g_object_unref (run->task);
      return;
    }
  for (guint ttl = 1; ttl <= limit; ttl++)
    if (run->kinds[ttl] == PQ_HOP_NONE && run->tries[ttl] < PQ_TRACE_TRIES)
      {
        run->shots[ttl].fd = -2;   /* to send */
        pending++;
      }
  if (pending == 0)
    {
      GTask *task = run->task;

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  set_timer (run, pacing_delay (run), wave_send);
}

static void
run_start (PqTracer            *tracer,
           guint16              port,
           PqProtocol           protocol,
           gboolean             is_reference,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             data)
{
  Run *run = g_new0 (Run, 1);

  run->tracer = tracer;
  run->port = port;
  run->protocol = protocol;
  run->is_reference = is_reference;
  run->max_ttl = tracer->distance > 0 ? (guint) tracer->distance : PQ_TRACE_MAX_HOPS;
  for (guint ttl = 0; ttl <= PQ_TRACE_MAX_HOPS; ttl++)
    run->shots[ttl] = (Shot) { run, ttl, -1, NULL };
  run->task = g_task_new (tracer, cancellable, callback, data);
  /* The run holds the task's one reference until it returns. */
  g_task_set_task_data (run->task, run, (GDestroyNotify) run_free);
  run_step (run);
}

/* The host's distance: the first TTL the host itself answered. */
static int
run_distance (Run *run)
{
  for (guint ttl = 1; ttl <= run->max_ttl; ttl++)
    if (pq_hop_kind_is_final (run->kinds[ttl]))
      return g_strcmp0 (run->from[ttl], run->tracer->address_str) == 0 ||
             !pq_hop_kind_is_icmp (run->kinds[ttl]) ? (int) ttl : -1;
  return -1;
}

/* The hops up to the end of the path; past the last that answered, one
 * silent hop says where the silence starts (all of them when the host's
 * distance is known, up to the host). */
static PqTrace *
run_to_trace (Run *run)
{
  PqTrace *trace = pq_trace_new ();
  guint limit = run_limit (run), last = 0;

  for (guint ttl = 1; ttl <= limit; ttl++)
    if (run->kinds[ttl] != PQ_HOP_NONE)
      last = ttl;
  if (run->tracer->distance <= 0 && !pq_hop_kind_is_final (run->kinds[limit]))
    limit = MIN (limit, last + 1);
  for (guint ttl = 1; ttl <= limit; ttl++)
    pq_trace_add_hop (trace, ttl, run->from[ttl], run->kinds[ttl]);
  return trace;
}

/* ------------------------------------------------------------------ */
/* A port's trace: the reference once per address, then the port        */

typedef struct
{
  guint16    port;
  PqProtocol protocol;
  GArray    *candidates;  /* Ref: references still to try */
} Call;

static void
call_free (Call *call)
{
  g_array_unref (call->candidates);
  g_free (call);
}

static void target_done (GObject *object, GAsyncResult *result, gpointer data);
static void reference_done (GObject *object, GAsyncResult *result, gpointer data);

static void
next_reference (GTask *task)
{
  PqTracer *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  Ref ref;

  if (self->have_reference || call->candidates->len == 0)
    {
      self->have_reference = TRUE;
      run_start (self, call->port, call->protocol, FALSE, g_task_get_cancellable (task),
                 target_done, task);
      return;
    }
  ref = g_array_index (call->candidates, Ref, 0);
  g_array_remove_index (call->candidates, 0);
  run_start (self, ref.port, ref.protocol, TRUE, g_task_get_cancellable (task),
             reference_done, task);
}

/* The run that ended, or NULL when it failed: then @task has its error. */
static Run *
run_finish (GAsyncResult *result,
            GTask        *task)
{
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return NULL;
    }
  return g_task_get_task_data (G_TASK (result));
}

static void
reference_done (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  PqTracer *self = PQ_TRACER (object);
  GTask *task = data;
  Run *run = run_finish (result, task);

  if (run == NULL)
    return;
  /* The first reference that reaches the host is the one; until then,
   * the one that got furthest. */
  if (self->reference == NULL || run_distance (run) > 0 ||
      pq_trace_get_n_hops (self->reference) < run_limit (run))
    {
      g_set_object (&self->reference, NULL);
      self->reference = run_to_trace (run);
    }
  self->distance = run_distance (run);
  if (self->distance > 0)
    self->have_reference = TRUE;
  next_reference (task);
}

static void
target_done (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  PqTracer *self = PQ_TRACER (object);
  GTask *task = data;
  Run *run = run_finish (result, task);
  g_autoptr(PqTrace) trace = NULL;
  g_autofree char *verdict = NULL;
  int distance;

  if (run == NULL)
    return;
  distance = run_distance (run);
  if (distance <= 0)
    distance = self->distance;
  trace = run_to_trace (run);
  verdict = pq_trace_verdict (trace, self->reference, self->address_str, distance);
  pq_trace_set_result (trace, distance, verdict);
  g_task_return_pointer (task, g_steal_pointer (&trace), g_object_unref);
  g_object_unref (task);
}

/* References to try: those of the traced protocol first, then the
 * others, then the fallback; two at most, each a wave or three. */
static GArray *
choose_references (PqTracer   *self,
                   PqProtocol  protocol)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Ref));
  Ref fallback = { FALLBACK_PORT, protocol };

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->refs->len; i++)
      {
        Ref ref = g_array_index (self->refs, Ref, i);

        if ((ref.protocol == protocol) == (pass == 0))
          g_array_append_val (out, ref);
      }
  g_array_append_val (out, fallback);
  g_array_set_size (out, MIN (out->len, 2));
  return out;
}

/**
 * pq_tracer_trace_async:
 *
 * Traces the path to @port: the first trace of a tracer also traces a
 * reference port (pq_tracer_add_reference(), else UDP or TCP 33434) to
 * learn the host's distance and which hops answer. Traces of one tracer
 * run one after the other: they share its pacing.
 */
void
pq_tracer_trace_async (PqTracer            *self,
                       guint16              port,
                       PqProtocol           protocol,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (PQ_IS_TRACER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pq_tracer_trace_async);
  call = g_new0 (Call, 1);
  call->port = port;
  call->protocol = protocol;
  call->candidates = choose_references (self, protocol);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  next_reference (task);
}

/* Returns: (transfer full): the trace, with its verdict */
PqTrace *
pq_tracer_trace_finish (PqTracer      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
