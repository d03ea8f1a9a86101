/* pq-scan-engine.c: the engine that keeps a window of ports in flight
 *
 * Each lane (a worker thread) runs one Engine on a GMainContext of its
 * own. The engine's sockets are plain non-blocking descriptors in one
 * epoll set, watched by one GSource on that context, rather than a GSocket
 * and a GSource each: GLib's poll() over one source per socket costs
 * O(ports in flight) per wake-up, which made a full range scan twice as
 * slow as nmap. The context stays a normal GMainContext, the lane's
 * thread default while it runs.
 *
 * Here are the deadline heap, the round-trip estimate and the waits taken
 * from it, the record of which datagrams the host's ICMP rate limit let
 * through, the window and its fill (ports deferred for lack of descriptors
 * first, then new ones, then the check looks and paced second looks at
 * silent UDP ports), the ICMP echo that gives the round trip before any
 * port has answered, the GSource, and the lane's loop. One port's state
 * machine is in pq-scan-probe.c.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "pq-scanner-private.h"

/* ------------------------------------------------------------------ */
/* Timers: a min-heap of deadlines, checked lazily against the probes */

static gboolean
timer_valid (Engine      *engine,
             const Timer *t)
{
  Probe *p = &engine->probes[t->slot];

  return p->in_use && p->gen == t->gen && p->deadline_us == t->deadline_us;
}

void
pq_scan_timers_push (Engine *engine,
                     Timer   t)
{
  GArray *h = engine->timers;
  guint i;

  g_array_append_val (h, t);
  for (i = h->len - 1; i > 0; i = (i - 1) / 2)
    {
      Timer *child = &g_array_index (h, Timer, i);
      Timer *parent = &g_array_index (h, Timer, (i - 1) / 2);
      Timer tmp;

      if (parent->deadline_us <= child->deadline_us)
        break;
      tmp = *parent;
      *parent = *child;
      *child = tmp;
    }
}

static void
timers_pop (Engine *engine)
{
  GArray *h = engine->timers;
  guint i = 0;

  g_array_index (h, Timer, 0) = g_array_index (h, Timer, h->len - 1);
  g_array_set_size (h, h->len - 1);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      Timer tmp;

      if (l < h->len && g_array_index (h, Timer, l).deadline_us < g_array_index (h, Timer, m).deadline_us)
        m = l;
      if (r < h->len && g_array_index (h, Timer, r).deadline_us < g_array_index (h, Timer, m).deadline_us)
        m = r;
      if (m == i)
        break;
      tmp = g_array_index (h, Timer, i);
      g_array_index (h, Timer, i) = g_array_index (h, Timer, m);
      g_array_index (h, Timer, m) = tmp;
      i = m;
    }
}

/* Returns: the earliest live deadline, or 0 if none */
static gint64
timers_next (Engine *engine)
{
  while (engine->timers->len > 0)
    {
      Timer *top = &g_array_index (engine->timers, Timer, 0);

      if (timer_valid (engine, top))
        return top->deadline_us;
      timers_pop (engine);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* The round-trip estimate                                            */

/* How long a try of @probe waits: the configured time until the host has
 * answered something, then the measured round trip (srtt + 4 rttvar, as
 * nmap's timing.cc) with a floor, never longer than configured. */
guint
pq_scan_engine_wait_ms (Engine      *engine,
                        const Probe *probe)
{
  const PqScanOptions *o = &engine->job->options;
  guint configured, floor;

  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    return engine->tcp_wait_ms;
  configured = o->slow_link ? 2 * o->udp_wait_ms : o->udp_wait_ms;
  if (!o->adaptive || !engine->have_rtt)
    return configured;
  floor = probe->talk != NULL ? UDP_QUERY_MIN_WAIT_MS : UDP_MIN_WAIT_MS;
  if (o->slow_link)
    floor *= 2;
  return MIN (configured, MAX (engine->rtt_wait_ms, floor));
}

/* Shortens the waits of tries already under way to the new estimate:
 * connection attempts and datagrams not yet answered; a protocol
 * conversation keeps its wait. */
static void
engine_shorten_waits (Engine *engine)
{
  for (guint i = 0; i < engine->n_slots; i++)
    {
      Probe *p = &engine->probes[i];
      guint wait_ms;
      gint64 deadline;

      if (!p->in_use || p->deadline_us == 0 || (p->talk != NULL && (p->talk->active || p->talk->answered)))
        continue;
      wait_ms = pq_scan_engine_wait_ms (engine, p);
      deadline = p->try_started_us + (gint64) wait_ms * 1000;
      if (deadline >= p->deadline_us)
        continue;
      p->deadline_us = deadline;
      p->wait_ms = wait_ms;
      pq_scan_timers_push (engine, (Timer) { deadline, p->slot, p->gen });
    }
}

/* An answer from the target (a TCP handshake or reset, an ICMP error, a
 * datagram) is a round-trip sample. The first sample, and a smaller
 * estimate later, also shorten the waits of tries under way. */
void
pq_scan_engine_learn_rtt (Engine *engine,
                          gint64  sample_us)
{
  const PqScanOptions *o = &engine->job->options;
  gboolean first = !engine->have_rtt;
  gboolean below_floors;
  guint rtt_ms, tcp_wait_ms;

  if (!o->adaptive)
    return;

  if (first)
    {
      engine->have_rtt = TRUE;
      engine->srtt_us = sample_us;
      engine->rttvar_us = CLAMP (sample_us, 5000, 2000000);
    }
  else
    {
      gint64 delta = sample_us - engine->srtt_us;

      engine->srtt_us += delta / 8;
      engine->rttvar_us += (ABS (delta) - engine->rttvar_us) / 4;
    }

  rtt_ms = (guint) MIN ((engine->srtt_us + 4 * engine->rttvar_us) / 1000, (gint64) PQ_MAX_TIMEOUT_MS);
  /* A change of less than a tenth is noise: keep the longer wait. */
  if (!first && rtt_ms * 10 >= engine->rtt_wait_ms * 9)
    {
      engine->rtt_wait_ms = MAX (engine->rtt_wait_ms, rtt_ms);
      engine->tcp_wait_ms = CLAMP (engine->rtt_wait_ms, PQ_MIN_ADAPTIVE_WAIT_MS, o->tcp_timeout_ms);
      return;
    }
  /* Below every floor, a smaller estimate shortens no wait: not worth a
   * look at every slot, which a fast host's answers would ask for often. */
  below_floors = engine->rtt_wait_ms <= MIN (PQ_MIN_ADAPTIVE_WAIT_MS, UDP_MIN_WAIT_MS);
  tcp_wait_ms = engine->tcp_wait_ms;
  engine->rtt_wait_ms = rtt_ms;
  engine->tcp_wait_ms = CLAMP (rtt_ms, PQ_MIN_ADAPTIVE_WAIT_MS, o->tcp_timeout_ms);
  if (first || !below_floors || engine->tcp_wait_ms != tcp_wait_ms)
    engine_shorten_waits (engine);
}

/* ------------------------------------------------------------------ */
/* ICMP rate limits: whose silence is real                            */

/* A datagram sent at @sent_us got an ICMP error from the target. Sends
 * come in time order and their answers nearly so: the array stays sorted
 * by moving a late answer back to its place. */
void
pq_scan_engine_note_icmp (Engine *engine,
                          gint64  sent_us)
{
  GArray *a = engine->icmp_sends;
  guint i = a->len;

  while (i > 0 && g_array_index (a, gint64, i - 1) > sent_us)
    i--;
  g_array_insert_val (a, i, sent_us);
}

/* Returns: TRUE if the target answered two datagrams sent within
 * SILENCE_PROOF_US after the silent one sent at @sent_us. A token bucket
 * that kept silent on it had no token left then, and earns one a second
 * (Linux's default): it could not have answered both. So the port is
 * silent itself, not held back by the host's ICMP rate limit. */
gboolean
pq_scan_engine_silence_real (Engine *engine,
                             gint64  sent_us)
{
  GArray *a = engine->icmp_sends;
  guint lo = 0, hi = a->len;

  while (lo < hi)   /* the first send after @sent_us */
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (a, gint64, mid) <= sent_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo + 1 < a->len && g_array_index (a, gint64, lo + 1) <= sent_us + SILENCE_PROOF_US;
}

/* ------------------------------------------------------------------ */
/* The window: ports started, deferred, and paced                     */

/* Ports in flight, not counting the witnesses. */
static guint
ports_active (Engine *engine)
{
  return engine->active - engine->helpers;
}

static void
engine_start (Engine     *engine,
              const Spec *spec)
{
  guint slot = g_array_index (engine->free_slots, guint, engine->free_slots->len - 1);
  Probe *probe = &engine->probes[slot];

  g_array_set_size (engine->free_slots, engine->free_slots->len - 1);
  /* The slot's spare socket serves a TCP port only. */
  if (probe->spare && spec->protocol == PQ_PROTOCOL_TCP)
    engine->spares--;
  else
    pq_scan_engine_drop_spare (engine, probe);
  probe->engine = engine;
  probe->slot = slot;
  probe->in_use = TRUE;
  probe->spec = *spec;
  /* A check look is one more datagram after the first look's. */
  probe->try = spec->witnessed ? spec->tries_before + 1 : 1;
  probe->deadline_us = 0;
  probe->started_us = g_get_monotonic_time ();
  engine->active++;
  if (spec->helper)
    engine->helpers++;
  pq_scan_probe_try (probe);
}

/* Check looks: each silent port that no later answer vouched for is asked
 * again at once, its datagram followed by WITNESSES to a port the host
 * reported closed. A host whose ICMP rate limit held the first answer
 * back has none for the witnesses either (a token bucket: no token, no
 * answer, and a token takes a second to come); one that answers them
 * gave the silent port its chance. All at once: each witness follows its
 * own port. */
static void
engine_start_checks (Engine *engine)
{
  while (engine->paced.length > 0 && engine->free_slots->len > WITNESSES &&
         engine->active + WITNESSES < engine->window)
    {
      g_autofree Spec *spec = g_queue_pop_head (&engine->paced);
      Spec witness = { .port = engine->closed_udp_port, .protocol = PQ_PROTOCOL_UDP, .helper = TRUE };

      spec->witnessed = TRUE;
      engine_start (engine, spec);
      for (guint i = 0; i < WITNESSES; i++)
        engine_start (engine, &witness);
    }
}

/* Starts the next second look at a silent UDP port when its turn has
 * come: only after the first looks are done; check looks at once until
 * the host is seen to limit, then one per interval. */
static void
engine_start_paced (Engine *engine)
{
  g_autofree Spec *spec = NULL;
  gint64 now;

  if (engine->paced.length == 0 || ports_active (engine) > 0)
    return;
  if (!engine->limit_seen && engine->closed_udp_port != 0)
    {
      engine_start_checks (engine);
      return;
    }
  now = g_get_monotonic_time ();
  if (now < engine->next_paced_us)
    return;
  spec = g_queue_pop_head (&engine->paced);
  engine->next_paced_us = now + (gint64) PACED_INTERVAL_MS * 1000;
  engine_start (engine, spec);
}

/* Closes a free slot's spare socket, if it has one. */
void
pq_scan_engine_drop_spare (Engine *engine,
                           Probe  *probe)
{
  if (!probe->spare)
    return;
  close (probe->fd);
  probe->fd = -1;
  probe->registered = FALSE;
  probe->spare = FALSE;
  engine->spares--;
}

/* Spare sockets that no port took are closed: an unconnected socket is
 * always ready (EPOLLHUP), so left in the epoll set it would wake the
 * lane again and again. */
static void
engine_drop_spares (Engine *engine)
{
  for (guint i = 0; engine->spares > 0 && i < engine->free_slots->len; i++)
    pq_scan_engine_drop_spare (engine, &engine->probes[g_array_index (engine->free_slots, guint, i)]);
}

/* Keeps the window full. */
static void
engine_fill (Engine *engine)
{
  GArray *specs = engine->job->specs;

  while (engine->active < engine->window && engine->free_slots->len > 0 &&
         !g_cancellable_is_cancelled (engine->cancellable))
    {
      g_autofree Spec *deferred = g_queue_pop_head (&engine->deferred);

      guint next;

      if (deferred != NULL)
        {
          engine_start (engine, deferred);
          continue;
        }
      if (engine->exhausted)
        {
          engine_start_paced (engine);
          break;
        }
      /* Lanes take ports from one counter, so a lane that meets only
       * closed ports does more of them than one that waits on filtered. */
      next = (guint) g_atomic_int_add (&engine->job->next_spec, 1);
      if (next >= specs->len)
        {
          engine->exhausted = TRUE;
          break;
        }
      engine_start (engine, &g_array_index (specs, Spec, next));
    }
  engine_drop_spares (engine);
}

/* ------------------------------------------------------------------ */
/* The round trip from an ICMP echo                                   */

static void
engine_close_echo (Engine *engine)
{
  if (engine->echo_fd >= 0)
    close (engine->echo_fd);   /* also leaves the epoll set */
  engine->echo_fd = -1;
}

/* Until some port answers, every wait is the configured one, and on a
 * host that drops the ports asked (all of them FILTERED) none ever would:
 * one ICMP echo, as ping sends, gives the round trip without touching a
 * port nobody asked for. Not to this computer's own loopback: its round
 * trip is nothing. A host that does not answer it leaves the waits as
 * they are. */
static void
engine_send_echo (Engine *engine)
{
  struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ECHO_SLOT };

  if (!engine->job->options.adaptive)
    return;
  if (g_inet_address_get_is_loopback (engine->job->address))
    {
      /* No packet leaves this computer: the round trip is nothing. */
      pq_scan_engine_learn_rtt (engine, 0);
      return;
    }
  engine->echo_ident = (guint16) g_random_int_range (1, 0x10000);
  engine->echo_sent_us = g_get_monotonic_time ();
  engine->echo_fd = pq_scan_echo_send (&engine->target, engine->target_len, engine->echo_ident,
                                       &engine->echo_raw);
  if (engine->echo_fd >= 0 && epoll_ctl (engine->epfd, EPOLL_CTL_ADD, engine->echo_fd, &ev) != 0)
    engine_close_echo (engine);
}

static void
engine_echo_ready (Engine *engine)
{
  if (engine->echo_fd < 0 ||
      !pq_scan_echo_reply (engine->echo_fd, &engine->target, engine->echo_ident, engine->echo_raw))
    return;
  pq_scan_engine_learn_rtt (engine, g_get_monotonic_time () - engine->echo_sent_us);
  engine_close_echo (engine);
}

/* ------------------------------------------------------------------ */
/* The engine's GSource                                               */

/* One epoll set for every socket, and the earliest deadline as the
 * timeout. GLib's poll() over one GSource per socket costs O(window) per
 * wake-up; epoll costs O(ready). */

typedef struct
{
  GSource  source;
  Engine  *engine;
  gpointer tag;
} EngineSource;

static gboolean
engine_source_prepare (GSource *source,
                       int     *timeout)
{
  Engine *engine = ((EngineSource *) source)->engine;
  gint64 next = timers_next (engine);
  gint64 now;

  if (engine->paced.length > 0 && ports_active (engine) == 0 && (next == 0 || engine->next_paced_us < next))
    next = MAX (engine->next_paced_us, 1);
  if (next == 0)
    {
      *timeout = -1;
      return FALSE;
    }
  now = g_get_monotonic_time ();
  *timeout = next <= now ? 0 : (int) ((next - now + 999) / 1000);
  return *timeout == 0;
}

static gboolean
engine_source_check (GSource *source)
{
  EngineSource *es = (EngineSource *) source;
  gint64 next;

  if (g_source_query_unix_fd (source, es->tag) & G_IO_IN)
    return TRUE;
  if (es->engine->paced.length > 0 && ports_active (es->engine) == 0 &&
      es->engine->next_paced_us <= g_get_monotonic_time ())
    return TRUE;
  next = timers_next (es->engine);
  return next != 0 && next <= g_get_monotonic_time ();
}

static gboolean
engine_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     data)
{
  Engine *engine = ((EngineSource *) source)->engine;
  struct epoll_event events[256];
  int n = epoll_wait (engine->epfd, events, G_N_ELEMENTS (events), 0);
  gint64 now;

  for (int i = 0; i < n; i++)
    {
      guint32 slot = (guint32) events[i].data.u64;
      guint gen = (guint) (events[i].data.u64 >> 32);
      Probe *p;

      if (slot == ECHO_SLOT)
        {
          engine_echo_ready (engine);
          continue;
        }
      p = &engine->probes[slot];
      /* A reused spare socket keeps the generation it joined the set with. */
      if (!p->in_use || (p->gen != gen && (!p->registered || p->fd_gen != gen)))
        continue;
      pq_scan_probe_ready (p, events[i].events);
    }

  now = g_get_monotonic_time ();
  for (gint64 next = timers_next (engine); next != 0 && next <= now; next = timers_next (engine))
    {
      Timer t = g_array_index (engine->timers, Timer, 0);

      timers_pop (engine);
      pq_scan_probe_timeout (&engine->probes[t.slot]);
    }

  engine_fill (engine);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs engine_source_funcs = {
  engine_source_prepare,
  engine_source_check,
  engine_source_dispatch,
  NULL, NULL, NULL,
};

static void
engine_init (Engine *engine,
             Job    *job,
             guint   window)
{
  g_autoptr(GSocketAddress) sa = NULL;
  EngineSource *es;

  engine->job = job;
  engine->window = window;
  engine->tcp_wait_ms = job->options.tcp_timeout_ms;
  engine->paced_left = PACED_MAX;
  engine->n_slots = engine->window;
  engine->probes = g_new0 (Probe, engine->n_slots);
  engine->free_slots = g_array_sized_new (FALSE, FALSE, sizeof (guint), engine->n_slots);
  for (guint i = engine->n_slots; i > 0; i--)
    {
      guint slot = i - 1;

      engine->probes[slot].fd = -1;
      g_array_append_val (engine->free_slots, slot);
    }
  engine->timers = g_array_new (FALSE, FALSE, sizeof (Timer));
  engine->icmp_sends = g_array_new (FALSE, FALSE, sizeof (gint64));
  engine->buffer = g_malloc (MAX_DATAGRAM);
  engine->epfd = epoll_create1 (EPOLL_CLOEXEC);
  engine->echo_fd = -1;

  sa = g_object_new (G_TYPE_INET_SOCKET_ADDRESS,
                     "address", job->address, "port", 0, "scope-id", job->scope_id, NULL);
  engine->target_len = (socklen_t) g_socket_address_get_native_size (sa);
  g_socket_address_to_native (sa, &engine->target, sizeof engine->target, NULL);

  engine->context = g_main_context_new ();
  engine->source = g_source_new (&engine_source_funcs, sizeof (EngineSource));
  es = (EngineSource *) engine->source;
  es->engine = engine;
  es->tag = g_source_add_unix_fd (engine->source, engine->epfd, G_IO_IN);
  g_source_set_name (engine->source, "[portquery] scan engine");
  g_source_attach (engine->source, engine->context);
}

static void
engine_clear (Engine *engine)
{
  for (guint i = 0; i < engine->n_slots; i++)
    if (engine->probes[i].in_use)
      pq_scan_probe_release (&engine->probes[i]);
  engine_drop_spares (engine);
  engine_close_echo (engine);
  g_queue_clear_full (&engine->deferred, g_free);
  g_queue_clear_full (&engine->paced, g_free);
  g_source_destroy (engine->source);
  g_source_unref (engine->source);
  g_main_context_unref (engine->context);
  if (engine->epfd >= 0)
    close (engine->epfd);
  g_free (engine->probes);
  g_array_unref (engine->free_slots);
  g_array_unref (engine->timers);
  g_array_unref (engine->icmp_sends);
  g_free (engine->buffer);
}

/* ------------------------------------------------------------------ */
/* Lanes                                                              */

/* Runs in the cancelling thread: wakes the lane's context so the lane
 * sees the cancellation at once. (A GCancellableSource would do the same,
 * but GLib 2.74 leaks it when it is dropped while "cancelled" is being
 * emitted in another thread; g_cancellable_disconnect() waits for that.) */
static void
wake_cb (GCancellable *cancellable,
         gpointer      data)
{
  g_main_context_wakeup (data);
}

/* One lane: an engine on this thread's own main context, running until
 * every port it took is decided or the scan is cancelled. */
gpointer
pq_scan_lane_run (gpointer data)
{
  Lane *lane = data;
  Engine engine = { 0 };
  gulong wake_id = 0;

  engine_init (&engine, lane->job, lane->window);
  engine.cancellable = lane->cancellable;
  if (engine.epfd < 0)
    {
      lane->error_number = errno;
      engine_clear (&engine);
      return NULL;
    }
  g_main_context_push_thread_default (engine.context);

  engine_send_echo (&engine);
  if (lane->cancellable != NULL)
    wake_id = g_cancellable_connect (lane->cancellable, G_CALLBACK (wake_cb), engine.context, NULL);

  for (;;)
    {
      engine_fill (&engine);
      /* The echo keeps no port waiting: a host that drops it must not
       * hold up a scan whose ports are all decided. */
      if (g_cancellable_is_cancelled (lane->cancellable) ||
          (engine.exhausted && ports_active (&engine) == 0 &&
           engine.deferred.length == 0 && engine.paced.length == 0))
        break;
      g_main_context_iteration (engine.context, TRUE);
    }

  g_cancellable_disconnect (lane->cancellable, wake_id);
  g_main_context_pop_thread_default (engine.context);
  engine_clear (&engine);
  return NULL;
}
