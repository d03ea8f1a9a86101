/* pq-scanner.c: the scan engine
 *
 * A scan runs in a GTask worker thread with a GMainContext of its own. The
 * worker keeps up to a window of ports in flight as non-blocking GSockets
 * watched by GSources, decides each port from what its socket reports
 * (pq-rules.c), and hands each result to the caller's main context as soon
 * as it is decided, in batches so a fast scan does not flood that context.
 *
 * The worker's sockets are plain non-blocking descriptors in one epoll set,
 * watched by one GSource on the worker's context, rather than a GSocket and
 * a GSource each: GIO turns errno into a GError and cannot read IP_RECVERR
 * messages (both are the evidence), and GLib's poll() over one source per
 * socket costs O(ports in flight) per wake-up, which made a full range scan
 * twice as slow as nmap. The worker's context stays a normal GMainContext,
 * so protocol probes can use GIO's async streams there.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-error.h"
#include "protocols/pq-probe.h"
#include "pq-rules.h"
#include "pq-scanner.h"
#include "pq-target.h"

/* A UDP reply larger than this is cut; the probes need far less. */
#define MAX_DATAGRAM 65536
/* How long decided results wait to be handed over in one batch. */
#define FLUSH_INTERVAL_MS 10
/* Scans of fewer ports than this per lane use one thread. */
#define LANE_MIN_PORTS 1024
#define MAX_LANES 4
/* A protocol conversation waits this long for each reply (FTP servers
 * answer a refused login only after a delay of 2 to 3 s), and ends after
 * PROBE_TOTAL_MS whatever the peer does (one that never stops sending). */
#define PROBE_WAIT_MS 5000
#define PROBE_TOTAL_MS 20000
/* Second looks at silent UDP ports: one per interval, at most so many. */
#define PACED_INTERVAL_MS 1100
#define PACED_MAX 32
#define PACED_GIVE_UP 3

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

typedef struct
{
  guint16    port;
  PqProtocol protocol;
  gboolean   paced;        /* a second look after a pause (ICMP rate limits) */
} Spec;

/* Shared by the caller's thread and the worker. */
typedef struct
{
  PqScanner     *scanner;
  PqScanOptions  options;
  PqServices    *services;
  GInetAddress  *address;
  guint32        scope_id;
  char          *address_str;
  char          *host;             /* the target as typed, for HTTP's Host header */
  char          *community;        /* SNMP */
  GArray        *specs;
  gboolean       has_udp;
  GMainContext  *caller_context;
  GTask         *outer;            /* touched in the caller's context only */

  gint           next_spec;        /* atomic: the next port a lane takes */
  GMutex         lock;
  GPtrArray     *pending;          /* PqResult, under lock */
  gboolean       flush_queued;     /* under lock */
  guint          delivered;        /* caller's context only */
} Job;

typedef struct _Engine Engine;

typedef struct
{
  PqOutcome outcome;
  char     *icmp_from;
  guint     bytes;
} Observation;

/* A protocol conversation (pq-probe.h) on a probe's socket. */
typedef struct
{
  const PqProbeCodec *codec;
  gpointer            state;
  PqProbeFindings     findings;
  GByteArray         *in;         /* TCP: received, not yet consumed */
  GByteArray         *out;        /* TCP: still to be written */
  GByteArray         *request;    /* UDP: the last request, sent again on a retry */
  guint               steps;
  gsize               received;
  gboolean            active;     /* TCP: the codec has the connection */
  gboolean            answered;
  const char         *stopped;    /* why it ended early, for the evidence */
  Observation         held;       /* TCP: the plain test's observation */
  gint64              decided_us; /* TCP: when the handshake completed */
  gint64              end_us;     /* TCP: the conversation's time limit */
} Talk;

/* One port being queried. Probes live in a fixed array of slots; a slot's
 * generation changes on reuse, so stale events and timers are ignored. */
typedef struct
{
  Engine   *engine;
  guint     slot;
  guint     gen;
  gboolean  in_use;
  Spec      spec;
  int       fd;
  gboolean  registered;     /* fd is in the epoll set */
  guint     try;
  guint     wait_ms;        /* wait of the current try */
  gint64    started_us;
  gint64    try_started_us;
  gint64    deadline_us;    /* 0 when no try is waiting */
  Talk     *talk;           /* NULL unless a protocol probe runs */
} Probe;

typedef struct
{
  gint64 deadline_us;
  guint  slot;
  guint  gen;
} Timer;

struct _Engine
{
  Job                     *job;
  GMainContext            *context;
  GCancellable            *cancellable;
  GSource                 *source;
  int                      epfd;
  Probe                   *probes;
  guint                    n_slots;
  GArray                  *free_slots;  /* guint */
  GArray                  *timers;      /* Timer, a binary min-heap */
  guint                    active;
  GQueue                   deferred;    /* Spec*, waiting for a descriptor */

  /* Hosts limit their ICMP errors (Linux: a burst of 6, then one a
   * second), so once a host has sent port unreachables, a silent UDP port
   * may be a closed one whose answer was held back: it is asked again,
   * one port a second. Silence on three such second looks in a row means
   * the silence is real, and pacing stops. */
  GQueue                   paced;       /* Spec*, waiting for their turn */
  gint64                   next_paced_us;
  guint                    unreach_seen;
  guint                    paced_left;
  guint                    paced_silent_run;
  guint                    window;
  gboolean                 exhausted;   /* the job has no more ports to hand out */
  char                    *buffer;      /* for UDP replies */
  struct sockaddr_storage  target;
  socklen_t                target_len;

  /* Round-trip estimate from the target's TCP answers (nmap's timing.cc),
   * so silent ports need not wait the full configured time. */
  gboolean                 have_rtt;
  gint64                   srtt_us;
  gint64                   rttvar_us;
  guint                    tcp_wait_ms;
};

/* ------------------------------------------------------------------ */
/* Job: what the caller's thread and the worker share                  */

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

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_free);
}

/* Caller's context: emit what the worker has decided since the last flush. */
static void
job_flush (Job *job)
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
    g_signal_emit (job->scanner, signals[SIGNAL_RESULT], 0, g_ptr_array_index (batch, i));
  job->delivered += batch->len;
  g_signal_emit (job->scanner, signals[SIGNAL_PROGRESS], 0, job->delivered, job->specs->len);
}

static gboolean
job_flush_cb (gpointer data)
{
  job_flush (data);
  return G_SOURCE_REMOVE;
}

/* Worker: queue a decided result for the caller's context. The first
 * result of a batch schedules a flush a few milliseconds later, so a fast
 * scan wakes the caller's thread about a hundred times a second rather
 * than once per port. */
static void
job_push (Job      *job,
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

      g_source_set_callback (source, job_flush_cb, job_ref (job), (GDestroyNotify) job_unref);
      g_source_set_name (source, "[portquery] scan results");
      g_source_attach (source, job->caller_context);
    }
}

/* ------------------------------------------------------------------ */
/* Socket helpers                                                      */

static void
set_port (struct sockaddr_storage *ss,
          guint16                  port)
{
  if (ss->ss_family == AF_INET6)
    ((struct sockaddr_in6 *) ss)->sin6_port = g_htons (port);
  else
    ((struct sockaddr_in *) ss)->sin_port = g_htons (port);
}

static char *
sockaddr_to_string (const struct sockaddr *sa,
                    gboolean               with_port)
{
  g_autoptr(GSocketAddress) address = NULL;
  GInetSocketAddress *inet;
  gsize len = sa->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);

  address = g_socket_address_new_from_native ((gpointer) sa, len);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (address);
  if (with_port)
    return pq_socket_address_to_string (g_inet_socket_address_get_address (inet),
                                        sa->sa_family == AF_INET6 ? g_inet_socket_address_get_scope_id (inet) : 0,
                                        g_inet_socket_address_get_port (inet));
  return pq_address_to_string (g_inet_socket_address_get_address (inet), 0);
}

static gboolean
same_host (const struct sockaddr         *a,
           const struct sockaddr_storage *b)
{
  /* Copied out: the error queue's sockaddr is not aligned for the casts. */
  struct sockaddr_storage sa;

  memcpy (&sa, a, a->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in));
  if (sa.ss_family != b->ss_family)
    return FALSE;
  if (sa.ss_family == AF_INET)
    return ((const struct sockaddr_in *) &sa)->sin_addr.s_addr ==
           ((const struct sockaddr_in *) b)->sin_addr.s_addr;
  return memcmp (&((const struct sockaddr_in6 *) &sa)->sin6_addr,
                 &((const struct sockaddr_in6 *) b)->sin6_addr, sizeof (struct in6_addr)) == 0;
}

/* Reads the ICMP message behind a socket error from the error queue. */
static void
read_error_queue (int          fd,
                  Engine      *engine,
                  Observation *obs)
{
  for (guint n = 0; n < 8; n++)
    {
      union { char buf[CMSG_SPACE (sizeof (struct sock_extended_err) + sizeof (struct sockaddr_in6))]; struct cmsghdr align; } control;
      char data[64];
      struct sockaddr_storage name;
      struct iovec iov = { data, sizeof data };
      struct msghdr msg = {
        .msg_name = &name, .msg_namelen = sizeof name,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof control.buf,
      };

      if (recvmsg (fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        return;

      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        {
          struct sock_extended_err *ee;

          if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
            continue;
          ee = (struct sock_extended_err *) (void *) CMSG_DATA (c);
          if (obs->outcome.have_icmp ||
              (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6))
            continue;

          obs->outcome.have_icmp = TRUE;
          obs->outcome.icmp6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;
          obs->outcome.icmp_type = ee->ee_type;
          obs->outcome.icmp_code = ee->ee_code;
          obs->outcome.error_number = (int) ee->ee_errno;
          obs->outcome.icmp_from_target = same_host (SO_EE_OFFENDER (ee), &engine->target);
          obs->icmp_from = sockaddr_to_string (SO_EE_OFFENDER (ee), FALSE);
        }
    }
}

static void
enable_recverr (int           fd,
                GSocketFamily family)
{
  int one = 1;

  /* Without it an unconnected socket never learns of ICMP errors, and no
   * socket learns their type, code and sender. */
  if (family == G_SOCKET_FAMILY_IPV6)
    setsockopt (fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  else
    setsockopt (fd, SOL_IP, IP_RECVERR, &one, sizeof one);
}

static int
bind_source_port (int           fd,
                  GSocketFamily family,
                  guint16       port)
{
  struct sockaddr_storage ss = { 0 };
  int one = 1;

  /* Every probe binds the same port; only the destination port differs,
   * so the connections stay distinct. */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ss.ss_family = family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
  set_port (&ss, port);
  if (bind (fd, (struct sockaddr *) &ss,
            ss.ss_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in)) != 0)
    return errno;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Timers: a min-heap of deadlines, checked lazily against the probes   */

static gboolean
timer_valid (Engine      *engine,
             const Timer *t)
{
  Probe *p = &engine->probes[t->slot];

  return p->in_use && p->gen == t->gen && p->deadline_us == t->deadline_us;
}

static void
timers_push (Engine *engine,
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
/* Probes                                                              */

static void probe_try (Probe *probe);
static void probe_wait (Probe *probe, guint32 events);
static void talk_free (Talk *talk);

static GSocketFamily
engine_family (Engine *engine)
{
  return engine->target.ss_family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4;
}

static void
probe_close (Probe *probe)
{
  if (probe->fd >= 0)
    close (probe->fd);   /* also leaves the epoll set */
  probe->fd = -1;
  probe->registered = FALSE;
  probe->deadline_us = 0;
}

static void
probe_release (Probe *probe)
{
  Engine *engine = probe->engine;

  probe_close (probe);
  g_clear_pointer (&probe->talk, talk_free);
  probe->in_use = FALSE;
  probe->gen++;
  engine->active--;
  g_array_append_val (engine->free_slots, probe->slot);
}

static void
talk_free (Talk *talk)
{
  if (talk->codec->clear != NULL)
    talk->codec->clear (talk->state);
  g_free (talk->state);
  pq_probe_findings_clear (&talk->findings);
  g_clear_pointer (&talk->in, g_byte_array_unref);
  g_clear_pointer (&talk->out, g_byte_array_unref);
  g_clear_pointer (&talk->request, g_byte_array_unref);
  g_free (talk->held.icmp_from);
  g_free (talk);
}

/* Starts the codec for the port's service, if it has one and probes are on. */
static Talk *
talk_new (Probe *probe)
{
  Job *job = probe->engine->job;
  const PqProbeCodec *codec;
  PqProbeParams params = {
    .protocol = probe->spec.protocol,
    .port = probe->spec.port,
    .host = job->host,
    .community = job->community ? job->community : "public",
    .seed = g_random_int (),
  };
  Talk *talk;

  if (!job->options.probes)
    return NULL;
  codec = pq_probe_codec_for (pq_services_probe_for (job->services, probe->spec.port, probe->spec.protocol),
                              probe->spec.protocol);
  if (codec == NULL)
    return NULL;

  talk = g_new0 (Talk, 1);
  talk->codec = codec;
  talk->state = g_malloc0 (MAX (codec->state_size, 1));
  pq_probe_findings_init (&talk->findings);
  talk->in = g_byte_array_new ();
  talk->out = g_byte_array_new ();
  codec->init (talk->state, &params);
  return talk;
}

static guint
probe_wait_ms (Probe *probe)
{
  const PqScanOptions *o = &probe->engine->job->options;

  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    return probe->engine->tcp_wait_ms;
  return o->slow_link ? o->udp_wait_ms * 2 : o->udp_wait_ms;
}

static char *
local_address_of (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  if (fd < 0 || getsockname (fd, (struct sockaddr *) &ss, &len) != 0)
    return NULL;
  return sockaddr_to_string ((struct sockaddr *) &ss, TRUE);
}

/* A TCP answer from the target is a round-trip sample; a smaller estimate
 * also shortens the waits of tries already under way. */
static void
engine_learn_rtt (Engine *engine,
                  gint64  sample_us)
{
  const PqScanOptions *o = &engine->job->options;
  gint64 timeout_us;
  guint wait_ms;

  if (!o->adaptive)
    return;

  if (!engine->have_rtt)
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

  timeout_us = engine->srtt_us + 4 * engine->rttvar_us;
  wait_ms = (guint) CLAMP (timeout_us / 1000, PQ_MIN_ADAPTIVE_WAIT_MS, (gint64) o->tcp_timeout_ms);
  if (wait_ms * 10 >= engine->tcp_wait_ms * 9)
    {
      engine->tcp_wait_ms = MAX (engine->tcp_wait_ms, wait_ms);
      return;
    }

  engine->tcp_wait_ms = wait_ms;
  for (guint i = 0; i < engine->n_slots; i++)
    {
      Probe *p = &engine->probes[i];
      gint64 deadline = p->try_started_us + (gint64) wait_ms * 1000;

      /* Only connection attempts; a protocol conversation keeps its wait. */
      if (!p->in_use || p->spec.protocol != PQ_PROTOCOL_TCP || p->deadline_us == 0 ||
          (p->talk != NULL && p->talk->active) || deadline >= p->deadline_us)
        continue;
      p->deadline_us = deadline;
      p->wait_ms = wait_ms;
      timers_push (engine, (Timer) { deadline, p->slot, p->gen });
    }
}

/* The plain test's evidence, then what the protocol query found. */
static char *
talk_evidence (Talk       *talk,
               char       *evidence,
               PqReason    reason)
{
  GString *s = g_string_new (evidence);

  g_free (evidence);
  if (talk->findings.summary->len > 0)
    g_string_append_printf (s, " %s", talk->findings.summary->str);
  else if (talk->answered)
    g_string_append_printf (s, _(" The reply was not a %s answer."), talk->codec->name);
  else if (reason == PQ_REASON_SYN_ACK)
    /* Translators: the protocol (“DNS”), then why the conversation ended,
       for example “the server closed the connection” */
    g_string_append_printf (s, _(" The %s query got no answer: %s."), talk->codec->name,
                            talk->stopped ? talk->stopped : _("no reply"));
  if (!talk->answered && talk->codec->silence_hint != NULL &&
      (reason == PQ_REASON_NO_RESPONSE || reason == PQ_REASON_SYN_ACK))
    g_string_append_printf (s, " %s", _(talk->codec->silence_hint));
  return g_string_free (s, FALSE);
}

/* Returns: TRUE if the port's silence is to be checked again later */
static gboolean
probe_pace_instead (Probe       *probe,
                    Observation *obs)
{
  Engine *engine = probe->engine;
  Spec *spec;

  if (probe->spec.protocol != PQ_PROTOCOL_UDP)
    return FALSE;
  if (probe->spec.paced)
    {
      if (obs->outcome.kind == PQ_OUTCOME_TIMEOUT && ++engine->paced_silent_run >= PACED_GIVE_UP)
        engine->paced_left = 0;
      else if (obs->outcome.kind != PQ_OUTCOME_TIMEOUT)
        engine->paced_silent_run = 0;
      return FALSE;
    }
  if (obs->outcome.kind != PQ_OUTCOME_TIMEOUT || engine->unreach_seen == 0 || engine->paced_left == 0)
    return FALSE;

  engine->paced_left--;
  spec = g_memdup2 (&probe->spec, sizeof *spec);
  spec->paced = TRUE;
  g_queue_push_tail (&engine->paced, spec);
  probe_release (probe);
  return TRUE;
}

/* Decides the port, hands the result over and frees the slot. */
static void
probe_finish (Probe       *probe,
              Observation *obs)
{
  Engine *engine = probe->engine;
  Job *job = engine->job;
  gint64 now = probe->talk && probe->talk->decided_us ? probe->talk->decided_us : g_get_monotonic_time ();
  gint64 since = obs->outcome.kind == PQ_OUTCOME_TIMEOUT ? probe->started_us : probe->try_started_us;
  double elapsed_ms = (double) (now - since) / 1000.0;
  g_autofree char *evidence = NULL;
  g_autofree char *local = local_address_of (probe->fd);
  PqResult *result = pq_result_new (job->address_str, probe->spec.port, probe->spec.protocol);
  PqPortState state;
  PqReason reason;

  if (obs->outcome.have_icmp && obs->outcome.icmp_from_target &&
      (obs->outcome.icmp6 ? obs->outcome.icmp_code == 4 : obs->outcome.icmp_code == 3))
    {
      engine->unreach_seen++;
      /* The host just spent an ICMP answer; a second look sent before it
       * has earned the next one would meet silence and wrongly "stay
       * silent". */
      engine->next_paced_us = MAX (engine->next_paced_us,
                                   g_get_monotonic_time () + (gint64) PACED_INTERVAL_MS * 1000);
    }
  if (probe_pace_instead (probe, obs))
    return;

  if (probe->talk != NULL)
    obs->outcome.query = probe->talk->codec->name;
  state = pq_rules_decide (probe->spec.protocol, &obs->outcome, &reason);
  evidence = pq_rules_describe (probe->spec.protocol, &obs->outcome, reason, job->address_str,
                                obs->icmp_from, probe->try, probe->wait_ms, elapsed_ms,
                                obs->bytes);
  if (probe->talk != NULL)
    evidence = talk_evidence (probe->talk, g_steal_pointer (&evidence), reason);
  if (probe->spec.protocol == PQ_PROTOCOL_UDP && reason == PQ_REASON_NO_RESPONSE && engine->unreach_seen > 0)
    {
      g_autofree char *note = probe->spec.paced
        ? g_strdup (_("It was asked again after a pause, since the host limits how fast it reports closed ports, and stayed silent."))
        : g_strdup_printf (ngettext ("The host limits how fast it reports closed ports (%u port was reported closed), so this silent port may be closed too.",
                                     "The host limits how fast it reports closed ports (%u ports were reported closed), so this silent port may be closed too.",
                                     engine->unreach_seen),
                           engine->unreach_seen);
      char *more = g_strconcat (evidence, " ", note, NULL);

      g_free (evidence);
      evidence = more;
    }

  pq_result_set_state (result, state, reason);
  pq_result_set_service (result,
                         pq_services_lookup (job->services, probe->spec.port, probe->spec.protocol),
                         pq_services_probe_for (job->services, probe->spec.port, probe->spec.protocol));
  pq_result_set_evidence (result, evidence);
  pq_result_set_timing (result, probe->try, elapsed_ms);
  pq_result_set_local_address (result, local);
  if (obs->outcome.have_icmp)
    pq_result_set_reply (result, obs->icmp_from, obs->outcome.icmp_type, obs->outcome.icmp_code, 0);
  else if (reason == PQ_REASON_SYN_ACK || reason == PQ_REASON_RESET || reason == PQ_REASON_UDP_RESPONSE)
    /* A TCP conversation holds the handshake's observation: count what
     * the service sent after it as well. */
    pq_result_set_reply (result, job->address_str, -1, -1,
                         probe->talk != NULL ? MAX (obs->bytes, (guint) probe->talk->received) : obs->bytes);

  if (probe->spec.protocol == PQ_PROTOCOL_TCP &&
      (reason == PQ_REASON_SYN_ACK || reason == PQ_REASON_RESET))
    engine_learn_rtt (engine, now - probe->try_started_us);
  if (probe->talk != NULL)
    for (guint i = 0; i < probe->talk->findings.details->len; i++)
      pq_result_add_detail (result, g_ptr_array_index (probe->talk->findings.details, i));

  job_push (job, result);
  g_free (obs->icmp_from);
  obs->icmp_from = NULL;

  probe_release (probe);
}

static void
probe_finish_error (Probe    *probe,
                    int       error_number,
                    gboolean  immediate)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR, .error_number = error_number,
                                   .immediate = immediate } };

  if (probe->fd >= 0)
    read_error_queue (probe->fd, probe->engine, &obs);
  probe_finish (probe, &obs);
}

/* ------------------------------------------------------------------ */
/* Protocol conversations on a probe's socket                          */

static void
talk_end (Probe      *probe,
          const char *stopped)
{
  Talk *talk = probe->talk;
  Observation obs = talk->held;

  talk->held.icmp_from = NULL;
  talk->active = FALSE;
  if (talk->stopped == NULL)
    talk->stopped = stopped;
  probe_finish (probe, &obs);
}

/* Returns: FALSE if the conversation ended (the probe is gone) */
static gboolean
talk_flush (Probe *probe)
{
  Talk *talk = probe->talk;

  while (talk->out->len > 0)
    {
      gssize n = send (probe->fd, talk->out->data, talk->out->len, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        break;
      if (n < 0)
        {
          talk_end (probe, g_strerror (errno));
          return FALSE;
        }
      g_byte_array_remove_range (talk->out, 0, (guint) n);
    }
  return TRUE;
}

/* Waits for the reply (and for room to write what is left), within the
 * conversation's time limit. */
static void
talk_arm (Probe *probe)
{
  Talk *talk = probe->talk;
  Engine *engine = probe->engine;
  struct epoll_event ev = { .events = EPOLLIN | (talk->out->len > 0 ? EPOLLOUT : 0),
                            .data.u64 = ((guint64) probe->gen << 32) | probe->slot };
  guint wait = engine->job->options.slow_link ? 2 * PROBE_WAIT_MS : PROBE_WAIT_MS;

  epoll_ctl (engine->epfd, EPOLL_CTL_MOD, probe->fd, &ev);
  probe->deadline_us = MIN (g_get_monotonic_time () + (gint64) wait * 1000, talk->end_us);
  timers_push (engine, (Timer) { probe->deadline_us, probe->slot, probe->gen });
}

static gboolean
talk_count_step (Probe *probe)
{
  Talk *talk = probe->talk;
  guint max = talk->codec->max_steps ? MIN (talk->codec->max_steps, PQ_PROBE_MAX_STEPS) : PQ_PROBE_MAX_STEPS;

  return ++talk->steps <= max;
}

/* TCP: lets the codec read what has arrived and say what comes next. */
static void
talk_step (Probe    *probe,
           gboolean  with_input)
{
  Talk *talk = probe->talk;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;
  PqStep step;

  step = talk->codec->step (talk->state,
                            with_input ? talk->in->data : NULL, with_input ? talk->in->len : 0,
                            &consumed, out, &talk->findings);
  if (with_input)
    g_byte_array_remove_range (talk->in, 0, (guint) MIN (consumed, talk->in->len));

  switch (step)
    {
    case PQ_STEP_SEND:
      if (!talk_count_step (probe))
        {
          talk_end (probe, _("it kept the conversation going past the limit"));
          return;
        }
      g_byte_array_append (talk->out, out->data, out->len);
      if (talk_flush (probe))
        talk_arm (probe);
      return;
    case PQ_STEP_READ:
      talk_arm (probe);
      return;
    case PQ_STEP_MALFORMED:
      talk->answered = TRUE;
      talk_end (probe, NULL);
      return;
    case PQ_STEP_DONE:
    default:
      talk_end (probe, NULL);
      return;
    }
}

static void
talk_io (Probe    *probe,
         guint32   events)
{
  Talk *talk = probe->talk;
  gssize n;

  if ((events & EPOLLOUT) && !talk_flush (probe))
    return;
  if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
    {
      talk_arm (probe);
      return;
    }
  if (talk->received >= PQ_PROBE_MAX_BYTES)
    {
      talk_end (probe, _("it sent more than the probe reads"));
      return;
    }

  n = recv (probe->fd, probe->engine->buffer,
            MIN (MAX_DATAGRAM, PQ_PROBE_MAX_BYTES - talk->received), MSG_DONTWAIT);
  if (n > 0)
    {
      talk->received += (gsize) n;
      talk->answered = TRUE;
      g_byte_array_append (talk->in, (guint8 *) probe->engine->buffer, (guint) n);
      talk_step (probe, TRUE);
    }
  else if (n == 0)
    talk_end (probe, _("the server closed the connection"));
  else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    talk_end (probe, g_strerror (errno));
}

/* TCP: the handshake is done; hand the connection to the codec. */
static gboolean
talk_begin_tcp (Probe       *probe,
                Observation *obs)
{
  Talk *talk;

  if (obs->outcome.self_connect || (probe->talk = talk_new (probe)) == NULL)
    return FALSE;

  talk = probe->talk;
  talk->held = *obs;
  talk->active = TRUE;
  talk->decided_us = g_get_monotonic_time ();
  talk->end_us = talk->decided_us + (gint64) PROBE_TOTAL_MS * 1000;
  talk_step (probe, FALSE);
  return TRUE;
}

/* UDP: the request that replaces PortQry's empty datagram. */
static void
talk_begin_udp (Probe *probe)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;
  Talk *talk = talk_new (probe);

  if (talk == NULL)
    return;
  if (talk->codec->step (talk->state, NULL, 0, &consumed, out, &talk->findings) != PQ_STEP_SEND)
    {
      talk_free (talk);
      return;
    }
  talk->request = g_steal_pointer (&out);
  talk->steps = 1;
  probe->talk = talk;
}

/* UDP: one datagram came back. */
static void
talk_datagram (Probe        *probe,
               const guint8 *data,
               gsize         len)
{
  Talk *talk = probe->talk;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_REPLY } };
  gsize consumed = 0;
  PqStep step;

  talk->answered = TRUE;
  talk->received += len;
  step = talk->codec->step (talk->state, data, len, &consumed, out, &talk->findings);

  if (step == PQ_STEP_READ)
    return;
  if (step == PQ_STEP_SEND && talk_count_step (probe))
    {
      g_byte_array_unref (talk->request);
      talk->request = g_steal_pointer (&out);
      probe->try = 1;
      probe_try (probe);
      return;
    }

  obs.bytes = (guint) talk->received;
  probe_finish (probe, &obs);
}

static void
probe_timeout (Probe *probe)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_TIMEOUT } };
  guint tries = probe->spec.protocol == PQ_PROTOCOL_TCP ? probe->engine->job->options.tcp_tries
                                                         : probe->engine->job->options.udp_tries;

  probe->deadline_us = 0;
  if (probe->talk != NULL && probe->talk->active)
    {
      talk_end (probe, _("no reply in time"));
      return;
    }
  if (probe->try < tries)
    {
      probe->try++;
      probe_try (probe);
      return;
    }
  if (probe->talk != NULL && probe->talk->answered)
    {
      obs.outcome.kind = PQ_OUTCOME_REPLY;
      obs.bytes = (guint) probe->talk->received;
    }
  probe_finish (probe, &obs);
}

static void
tcp_ready (Probe *probe)
{
  int err = 0;
  socklen_t len = sizeof err;
  struct sockaddr_storage local;
  socklen_t local_len = sizeof local;
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_CONNECTED } };

  if (getsockopt (probe->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err != 0)
    {
      probe_finish_error (probe, err, FALSE);
      return;
    }

  {
    /* Close with a reset: no FIN exchange, no TIME_WAIT left behind. */
    struct linger lg = { 1, 0 };
    setsockopt (probe->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }

  /* Connecting to a port in the ephemeral range of this very host can
   * meet our own socket (TCP simultaneous open); that is no listener.
   * sin_port and sin6_port sit at the same offset. */
  if (getsockname (probe->fd, (struct sockaddr *) &local, &local_len) == 0 &&
      same_host ((struct sockaddr *) &local, &probe->engine->target) &&
      ((struct sockaddr_in *) &local)->sin_port == g_htons (probe->spec.port))
    obs.outcome.self_connect = TRUE;

  if (!talk_begin_tcp (probe, &obs))
    probe_finish (probe, &obs);
}

static void
udp_ready (Probe *probe)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR } };
  gssize n;

  read_error_queue (probe->fd, probe->engine, &obs);
  if (obs.outcome.have_icmp)
    {
      probe_finish (probe, &obs);
      return;
    }

  n = recv (probe->fd, probe->engine->buffer, MAX_DATAGRAM, MSG_DONTWAIT);
  if (n >= 0 && probe->talk != NULL)
    {
      talk_datagram (probe, (guint8 *) probe->engine->buffer, (gsize) n);
      return;
    }
  if (n >= 0)
    {
      obs.outcome.kind = PQ_OUTCOME_REPLY;
      obs.bytes = (guint) n;
      probe_finish (probe, &obs);
      return;
    }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return;

  probe_finish_error (probe, errno, FALSE);
}

/* Waits for the socket and arms this try's deadline. */
static void
probe_wait (Probe    *probe,
            guint32   events)
{
  Engine *engine = probe->engine;

  if (!probe->registered)
    {
      struct epoll_event ev = { .events = events,
                                .data.u64 = ((guint64) probe->gen << 32) | probe->slot };

      if (epoll_ctl (engine->epfd, EPOLL_CTL_ADD, probe->fd, &ev) != 0)
        {
          probe_finish_error (probe, errno, TRUE);
          return;
        }
      probe->registered = TRUE;
    }
  probe->wait_ms = probe_wait_ms (probe);
  probe->deadline_us = probe->try_started_us + (gint64) probe->wait_ms * 1000;
  timers_push (engine, (Timer) { probe->deadline_us, probe->slot, probe->gen });
}

/* Returns: 0, or the errno that kept the socket from being made */
static int
probe_open_socket (Probe *probe)
{
  GSocketFamily family = engine_family (probe->engine);
  guint16 sp = probe->engine->job->options.source_port;
  int type = probe->spec.protocol == PQ_PROTOCOL_TCP ? SOCK_STREAM : SOCK_DGRAM;
  int err;

  probe->fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                      type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (probe->fd < 0)
    return errno;

  enable_recverr (probe->fd, family);
  if (sp != 0 && (err = bind_source_port (probe->fd, family, sp)) != 0)
    return err;
  return 0;
}

/* A descriptor shortage is the engine's problem, not the port's: put the
 * port back and run fewer at once. */
static gboolean
probe_defer_if_short (Probe *probe,
                      int    err)
{
  Engine *engine = probe->engine;
  Spec *spec;

  if ((err != EMFILE && err != ENFILE && err != EADDRNOTAVAIL && err != ENOBUFS) ||
      engine->active <= 1)
    return FALSE;

  spec = g_memdup2 (&probe->spec, sizeof *spec);
  g_queue_push_head (&engine->deferred, spec);
  probe_release (probe);
  engine->window = MAX (1, engine->active);
  g_debug ("descriptor shortage (%s): window now %u", g_strerror (err), engine->window);
  return TRUE;
}

static int
probe_connect (Probe *probe)
{
  Engine *engine = probe->engine;
  struct sockaddr_storage to = engine->target;

  set_port (&to, probe->spec.port);
  if (connect (probe->fd, (struct sockaddr *) &to, engine->target_len) != 0)
    return errno;
  return 0;
}

static void
tcp_try (Probe *probe)
{
  int err = probe_open_socket (probe);

  if (err == 0)
    err = probe_connect (probe);

  if (err == EINPROGRESS)
    probe_wait (probe, EPOLLOUT);
  else if (err == 0)
    tcp_ready (probe);
  else if (!probe_defer_if_short (probe, err))
    probe_finish_error (probe, err, err != ECONNREFUSED);
}

static void
udp_try (Probe *probe)
{
  int err = 0;

  if (probe->fd < 0)
    {
      err = probe_open_socket (probe);
      /* A connected socket gets only the target's replies, and its errors. */
      if (err == 0)
        err = probe_connect (probe);
      if (err != 0)
        {
          if (!probe_defer_if_short (probe, err))
            probe_finish_error (probe, err, TRUE);
          return;
        }
      talk_begin_udp (probe);
    }

  /* Nothing answered the first request: a codec may ask differently on
   * the next try (SNMP: v2c after v1, for agents that speak only one). */
  if (probe->talk != NULL && !probe->talk->answered && probe->try > 1 &&
      probe->talk->steps == 1 && probe->talk->codec->retry != NULL)
    {
      g_byte_array_set_size (probe->talk->request, 0);
      probe->talk->codec->retry (probe->talk->state, probe->try, probe->talk->request);
    }

  /* PortQry sends an empty datagram, then the service's own query. A
   * port with a protocol probe gets the query at once: it tells the
   * same about ICMP, and a reply settles "LISTENING or FILTERED". */
  if ((probe->talk != NULL
       ? send (probe->fd, probe->talk->request->data, probe->talk->request->len, 0)
       : send (probe->fd, "", 0, 0)) < 0)
    {
      err = errno;
      if (err != EAGAIN && err != ENOBUFS)
        {
          probe_finish_error (probe, err, err == EPERM || err == ENETUNREACH || err == EHOSTUNREACH);
          return;
        }
    }
  probe_wait (probe, EPOLLIN);
}

static void
probe_try (Probe *probe)
{
  probe->try_started_us = g_get_monotonic_time ();
  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    {
      /* Each TCP try is a fresh connection, as PortQry's three attempts. */
      probe_close (probe);
      tcp_try (probe);
    }
  else
    udp_try (probe);
}

static void
engine_start (Engine     *engine,
              const Spec *spec)
{
  guint slot = g_array_index (engine->free_slots, guint, engine->free_slots->len - 1);
  Probe *probe = &engine->probes[slot];

  g_array_set_size (engine->free_slots, engine->free_slots->len - 1);
  probe->engine = engine;
  probe->slot = slot;
  probe->in_use = TRUE;
  probe->spec = *spec;
  probe->fd = -1;
  probe->registered = FALSE;
  probe->try = 1;
  probe->deadline_us = 0;
  probe->started_us = g_get_monotonic_time ();
  engine->active++;
  probe_try (probe);
}

/* Starts the next second look at a silent UDP port when its turn has
 * come: only after the first looks are done, one per interval. */
static void
engine_start_paced (Engine *engine)
{
  g_autofree Spec *spec = NULL;
  gint64 now;

  if (engine->paced.length == 0 || engine->active > 0)
    return;
  now = g_get_monotonic_time ();
  if (now < engine->next_paced_us)
    return;
  spec = g_queue_pop_head (&engine->paced);
  engine->next_paced_us = now + (gint64) PACED_INTERVAL_MS * 1000;
  engine_start (engine, spec);
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
}

/* ------------------------------------------------------------------ */
/* The engine's GSource: one epoll set for every socket, and the       */
/* earliest deadline as its timeout. GLib's poll() over one GSource per */
/* socket costs O(window) per wake-up; epoll costs O(ready).            */

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

  if (engine->paced.length > 0 && engine->active == 0 && (next == 0 || engine->next_paced_us < next))
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
  if (es->engine->paced.length > 0 && es->engine->active == 0 &&
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
      Probe *p = &engine->probes[(guint32) events[i].data.u64];

      if (!p->in_use || p->gen != (guint) (events[i].data.u64 >> 32))
        continue;
      if (p->talk != NULL && p->talk->active)
        talk_io (p, events[i].events);
      else if (p->spec.protocol == PQ_PROTOCOL_TCP)
        tcp_ready (p);
      else
        udp_ready (p);
    }

  now = g_get_monotonic_time ();
  for (gint64 next = timers_next (engine); next != 0 && next <= now; next = timers_next (engine))
    {
      Timer t = g_array_index (engine->timers, Timer, 0);

      timers_pop (engine);
      probe_timeout (&engine->probes[t.slot]);
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
  engine->buffer = g_malloc (MAX_DATAGRAM);
  engine->epfd = epoll_create1 (EPOLL_CLOEXEC);

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
      probe_release (&engine->probes[i]);
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
  g_free (engine->buffer);
}

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

typedef struct
{
  Job          *job;
  GCancellable *cancellable;
  guint         window;
  int           error_number;
} Lane;

/* One lane: an engine on this thread's own main context, running until
 * every port it took is decided or the scan is cancelled. */
static gpointer
lane_run (gpointer data)
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

  if (lane->cancellable != NULL)
    wake_id = g_cancellable_connect (lane->cancellable, G_CALLBACK (wake_cb), engine.context, NULL);

  for (;;)
    {
      engine_fill (&engine);
      if (g_cancellable_is_cancelled (lane->cancellable) ||
          (engine.exhausted && engine.active == 0 && engine.deferred.length == 0 &&
           engine.paced.length == 0))
        break;
      g_main_context_iteration (engine.context, TRUE);
    }

  g_cancellable_disconnect (lane->cancellable, wake_id);
  g_main_context_pop_thread_default (engine.context);
  engine_clear (&engine);
  return NULL;
}

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
        threads[i] = g_thread_new ("pq-scan-lane", lane_run, &lanes[i]);
    }
  lane_run (&lanes[0]);
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
/* PqScanner                                                           */

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
          set_port (&ss, port);
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
  job_flush (job);
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
  g_task_set_task_data (inner, job, (GDestroyNotify) job_unref);
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
