/* pq-scanner.c: the scan engine
 *
 * A scan runs in a GTask worker thread with a GMainContext of its own. The
 * worker keeps up to a window of ports in flight as non-blocking GSockets
 * watched by GSources, decides each port from what its socket reports
 * (pq-rules.c), and hands each result to the caller's main context as soon
 * as it is decided, in batches so a fast scan does not flood that context.
 *
 * Sockets are GSockets, but connect(), recv() and the error queue are read
 * with plain system calls on their descriptors: GIO turns errno into a
 * GError and cannot read IP_RECVERR messages, and both are the evidence.
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-error.h"
#include "pq-rules.h"
#include "pq-scanner.h"
#include "pq-target.h"

/* Descriptors kept free for everything else the process does. */
#define FD_RESERVE 16
/* A UDP reply larger than this is cut; the probes need far less. */
#define MAX_DATAGRAM 65536

struct _PqScanner
{
  GObject        parent_instance;

  PqServices    *services;
  PqScanOptions  options;
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
  GArray        *specs;
  GMainContext  *caller_context;
  GTask         *outer;            /* touched in the caller's context only */

  GMutex         lock;
  GPtrArray     *pending;          /* PqResult, under lock */
  gboolean       flush_queued;     /* under lock */
  guint          delivered;        /* caller's context only */
} Job;

typedef struct _Engine Engine;

typedef struct
{
  Engine         *engine;
  GList           link;
  Spec            spec;
  GSocket        *socket;
  GSource        *io_source;
  GSource        *timer;
  guint           try;
  gint64          started_us;
  gint64          try_started_us;
} Probe;

struct _Engine
{
  Job                     *job;
  GMainContext            *context;
  GCancellable            *cancellable;
  GQueue                   active;    /* Probe, through Probe.link */
  GQueue                   deferred;  /* Spec*, waiting for a descriptor */
  guint                    next;
  guint                    window;
  guint                    decided;
  struct sockaddr_storage  target;
  socklen_t                target_len;
};

/* ------------------------------------------------------------------ */
/* Options                                                             */

void
pq_scan_options_init (PqScanOptions *options)
{
  *options = (PqScanOptions) {
    .tcp_timeout_ms = PQ_DEFAULT_TCP_TIMEOUT_MS,
    .tcp_tries = PQ_DEFAULT_TCP_TRIES,
    .udp_wait_ms = PQ_DEFAULT_UDP_WAIT_MS,
    .udp_tries = PQ_DEFAULT_UDP_TRIES,
    .slow_link = FALSE,
    .window = PQ_DEFAULT_WINDOW,
    .source_port = 0,
    .probes = TRUE,
  };
}

gboolean
pq_scan_options_validate (const PqScanOptions  *o,
                          GError              **error)
{
  if (o->tcp_timeout_ms < 1 || o->tcp_timeout_ms > PQ_MAX_TIMEOUT_MS ||
      o->udp_wait_ms < 1 || o->udp_wait_ms > PQ_MAX_TIMEOUT_MS)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("Timeouts go from 1 to %u milliseconds."), PQ_MAX_TIMEOUT_MS);
      return FALSE;
    }
  if (o->tcp_tries < 1 || o->tcp_tries > PQ_MAX_TRIES ||
      o->udp_tries < 1 || o->udp_tries > PQ_MAX_TRIES)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("Tries go from 1 to %u."), PQ_MAX_TRIES);
      return FALSE;
    }
  if (o->window < 1 || o->window > PQ_MAX_WINDOW)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("Ports in flight go from 1 to %u."), PQ_MAX_WINDOW);
      return FALSE;
    }
  return TRUE;
}

/**
 * pq_fd_budget:
 *
 * Returns: how many more descriptors the scan may open: the soft open-file
 *   limit less those open now and a reserve
 */
guint
pq_fd_budget (void)
{
  struct rlimit rl;
  g_autoptr(GDir) dir = NULL;
  guint open_fds = 0;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return PQ_MAX_WINDOW;

  dir = g_dir_open ("/proc/self/fd", 0, NULL);
  if (dir != NULL)
    while (g_dir_read_name (dir) != NULL)
      open_fds++;

  if (rl.rlim_cur <= (rlim_t) open_fds + FD_RESERVE)
    return 1;
  return (guint) MIN ((rlim_t) PQ_MAX_WINDOW, rl.rlim_cur - open_fds - FD_RESERVE);
}

/* ------------------------------------------------------------------ */
/* Job: what the caller's thread and the worker share                  */

static void
job_free (Job *job)
{
  g_clear_object (&job->scanner);
  g_clear_object (&job->services);
  g_clear_object (&job->address);
  g_clear_pointer (&job->address_str, g_free);
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

/* Worker: queue a decided result for the caller's context. */
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
    g_main_context_invoke_full (job->caller_context, G_PRIORITY_DEFAULT,
                                job_flush_cb, job_ref (job), (GDestroyNotify) job_unref);
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
  if (a->sa_family != b->ss_family)
    return FALSE;
  if (a->sa_family == AF_INET)
    return ((const struct sockaddr_in *) a)->sin_addr.s_addr ==
           ((const struct sockaddr_in *) b)->sin_addr.s_addr;
  return memcmp (&((const struct sockaddr_in6 *) a)->sin6_addr,
                 &((const struct sockaddr_in6 *) b)->sin6_addr, sizeof (struct in6_addr)) == 0;
}

typedef struct
{
  PqOutcome outcome;
  char     *icmp_from;
  guint     bytes;
} Observation;

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
          ee = (struct sock_extended_err *) CMSG_DATA (c);
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
/* Probes                                                              */

static void engine_fill (Engine *engine);
static void probe_try (Probe *probe);

static GSocketFamily
engine_family (Engine *engine)
{
  return engine->target.ss_family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4;
}

static void
probe_stop_try (Probe *probe)
{
  if (probe->io_source != NULL)
    {
      g_source_destroy (probe->io_source);
      g_clear_pointer (&probe->io_source, g_source_unref);
    }
  if (probe->timer != NULL)
    {
      g_source_destroy (probe->timer);
      g_clear_pointer (&probe->timer, g_source_unref);
    }
}

static void
probe_free (Probe *probe)
{
  probe_stop_try (probe);
  if (probe->socket != NULL)
    g_socket_close (probe->socket, NULL);
  g_clear_object (&probe->socket);
  g_free (probe);
}

static guint
probe_wait_ms (Probe *probe)
{
  const PqScanOptions *o = &probe->engine->job->options;

  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    return o->tcp_timeout_ms;
  return o->slow_link ? o->udp_wait_ms * 2 : o->udp_wait_ms;
}

static char *
local_address_of (GSocket *socket)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  if (socket == NULL || getsockname (g_socket_get_fd (socket), (struct sockaddr *) &ss, &len) != 0)
    return NULL;
  return sockaddr_to_string ((struct sockaddr *) &ss, TRUE);
}

/* Decides the port, hands the result over and frees the probe. */
static void
probe_finish (Probe       *probe,
              Observation *obs)
{
  Engine *engine = probe->engine;
  Job *job = engine->job;
  gint64 now = g_get_monotonic_time ();
  gint64 since = obs->outcome.kind == PQ_OUTCOME_TIMEOUT ? probe->started_us : probe->try_started_us;
  double elapsed_ms = (double) (now - since) / 1000.0;
  g_autofree char *evidence = NULL;
  g_autofree char *local = local_address_of (probe->socket);
  PqResult *result = pq_result_new (job->address_str, probe->spec.port, probe->spec.protocol);
  PqPortState state;
  PqReason reason;

  state = pq_rules_decide (probe->spec.protocol, &obs->outcome, &reason);
  evidence = pq_rules_describe (probe->spec.protocol, &obs->outcome, reason, job->address_str,
                                obs->icmp_from, probe->try, probe_wait_ms (probe), elapsed_ms,
                                obs->bytes);

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
    pq_result_set_reply (result, job->address_str, -1, -1, obs->bytes);

  job_push (job, result);
  g_free (obs->icmp_from);

  g_queue_unlink (&engine->active, &probe->link);
  probe_free (probe);
  engine->decided++;
  engine_fill (engine);
}

static void
probe_finish_error (Probe    *probe,
                    int       error_number,
                    gboolean  immediate)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR, .error_number = error_number,
                                   .immediate = immediate } };

  if (probe->socket != NULL)
    read_error_queue (g_socket_get_fd (probe->socket), probe->engine, &obs);
  probe_finish (probe, &obs);
}

static gboolean
probe_timeout_cb (gpointer data)
{
  Probe *probe = data;
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_TIMEOUT } };
  guint tries = probe->spec.protocol == PQ_PROTOCOL_TCP ? probe->engine->job->options.tcp_tries
                                                         : probe->engine->job->options.udp_tries;

  probe_stop_try (probe);
  if (probe->try < tries)
    {
      probe->try++;
      probe_try (probe);
      return G_SOURCE_REMOVE;
    }
  probe_finish (probe, &obs);
  return G_SOURCE_REMOVE;
}

static gboolean
tcp_ready_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  Probe *probe = data;
  int fd = g_socket_get_fd (socket);
  int err = 0;
  socklen_t len = sizeof err;
  struct sockaddr_storage local;
  socklen_t local_len = sizeof local;
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_CONNECTED } };

  if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err != 0)
    {
      probe_finish_error (probe, err, FALSE);
      return G_SOURCE_REMOVE;
    }

  /* Connecting to a port in the ephemeral range of this very host can
   * meet our own socket (TCP simultaneous open); that is no listener. */
  if (getsockname (fd, (struct sockaddr *) &local, &local_len) == 0 &&
      same_host ((struct sockaddr *) &local, &probe->engine->target) &&
      ((struct sockaddr_in *) &local)->sin_port == g_htons (probe->spec.port))
    obs.outcome.self_connect = TRUE;

  probe_finish (probe, &obs);
  return G_SOURCE_REMOVE;
}

static gboolean
udp_ready_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  Probe *probe = data;
  int fd = g_socket_get_fd (socket);
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR } };
  g_autofree char *buf = NULL;
  gssize n;

  read_error_queue (fd, probe->engine, &obs);
  if (obs.outcome.have_icmp)
    {
      probe_finish (probe, &obs);
      return G_SOURCE_REMOVE;
    }

  buf = g_malloc (MAX_DATAGRAM);
  n = recv (fd, buf, MAX_DATAGRAM, MSG_DONTWAIT);
  if (n >= 0)
    {
      obs.outcome.kind = PQ_OUTCOME_REPLY;
      obs.bytes = (guint) n;
      probe_finish (probe, &obs);
      return G_SOURCE_REMOVE;
    }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return G_SOURCE_CONTINUE;

  probe_finish_error (probe, errno, FALSE);
  return G_SOURCE_REMOVE;
}

static void
probe_watch (Probe        *probe,
             GIOCondition  condition,
             GSocketSourceFunc func)
{
  Engine *engine = probe->engine;

  if (probe->io_source == NULL)
    {
      probe->io_source = g_socket_create_source (probe->socket, condition, NULL);
      g_source_set_callback (probe->io_source, G_SOURCE_FUNC (func), probe, NULL);
      g_source_attach (probe->io_source, engine->context);
    }
  probe->timer = g_timeout_source_new (probe_wait_ms (probe));
  g_source_set_callback (probe->timer, probe_timeout_cb, probe, NULL);
  g_source_attach (probe->timer, engine->context);
}

/* Returns: 0, or the errno that kept the socket from being made */
static int
probe_open_socket (Probe *probe)
{
  GSocketFamily family = engine_family (probe->engine);
  g_autoptr(GError) error = NULL;
  guint16 sp = probe->engine->job->options.source_port;
  int fd, err;

  probe->socket = g_socket_new (family,
                                probe->spec.protocol == PQ_PROTOCOL_TCP ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
                                probe->spec.protocol == PQ_PROTOCOL_TCP ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP,
                                &error);
  if (probe->socket == NULL)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ? EMFILE : EIO;

  g_socket_set_blocking (probe->socket, FALSE);
  fd = g_socket_get_fd (probe->socket);
  enable_recverr (fd, family);
  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    {
      /* Close with a reset: no FIN exchange, no TIME_WAIT left behind. */
      struct linger lg = { 1, 0 };
      setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
  if (sp != 0 && (err = bind_source_port (fd, family, sp)) != 0)
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
      engine->active.length <= 1)
    return FALSE;

  spec = g_memdup2 (&probe->spec, sizeof *spec);
  g_queue_push_head (&engine->deferred, spec);
  engine->window = MAX (1, engine->active.length - 1);
  g_debug ("descriptor shortage (%s): window now %u", g_strerror (err), engine->window);
  g_queue_unlink (&engine->active, &probe->link);
  probe_free (probe);
  return TRUE;
}

static int
probe_connect (Probe *probe)
{
  Engine *engine = probe->engine;
  struct sockaddr_storage to = engine->target;

  set_port (&to, probe->spec.port);
  if (connect (g_socket_get_fd (probe->socket), (struct sockaddr *) &to, engine->target_len) != 0)
    return errno;
  return 0;
}

static void
tcp_try (Probe *probe)
{
  int err = probe_open_socket (probe);

  if (err == 0)
    err = probe_connect (probe);

  if (err == 0 || err == EINPROGRESS)
    {
      probe_watch (probe, G_IO_OUT, tcp_ready_cb);
      return;
    }
  if (probe_defer_if_short (probe, err))
    return;
  probe_finish_error (probe, err, err != ECONNREFUSED);
}

static void
udp_try (Probe *probe)
{
  int err = 0;

  if (probe->socket == NULL)
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
    }

  /* PortQry's first step sends an empty datagram; protocol probes follow. */
  if (send (g_socket_get_fd (probe->socket), "", 0, 0) < 0)
    {
      err = errno;
      if (err != EAGAIN && err != ENOBUFS)
        {
          probe_finish_error (probe, err, err == EPERM || err == ENETUNREACH || err == EHOSTUNREACH);
          return;
        }
    }
  probe_watch (probe, G_IO_IN | G_IO_ERR, udp_ready_cb);
}

static void
probe_try (Probe *probe)
{
  probe->try_started_us = g_get_monotonic_time ();
  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    {
      /* Each TCP try is a fresh connection, as PortQry's three attempts. */
      if (probe->socket != NULL)
        g_socket_close (probe->socket, NULL);
      g_clear_object (&probe->socket);
      tcp_try (probe);
    }
  else
    udp_try (probe);
}

static void
engine_start (Engine     *engine,
              const Spec *spec)
{
  Probe *probe = g_new0 (Probe, 1);

  probe->engine = engine;
  probe->link.data = probe;
  probe->spec = *spec;
  probe->try = 1;
  probe->started_us = g_get_monotonic_time ();
  g_queue_push_tail_link (&engine->active, &probe->link);
  probe_try (probe);
}

/* Keeps the window full. Guarded against re-entry: a probe that finishes
 * at once calls back into it. */
static void
engine_fill (Engine *engine)
{
  static GPrivate filling;
  GArray *specs = engine->job->specs;

  if (g_private_get (&filling) != NULL)
    return;
  g_private_set (&filling, engine);

  while (engine->active.length < engine->window &&
         !g_cancellable_is_cancelled (engine->cancellable))
    {
      g_autofree Spec *deferred = g_queue_pop_head (&engine->deferred);

      if (deferred != NULL)
        engine_start (engine, deferred);
      else if (engine->next < specs->len)
        engine_start (engine, &g_array_index (specs, Spec, engine->next++));
      else
        break;
    }

  g_private_set (&filling, NULL);
}

static gboolean
wake_cb (GCancellable *cancellable,
         gpointer      data)
{
  return G_SOURCE_REMOVE;
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  Engine engine = { 0 };
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GSource) wake = NULL;
  guint total = job->specs->len;

  engine.job = job;
  engine.cancellable = cancellable;
  engine.context = g_main_context_new ();
  engine.window = MIN (job->options.window, pq_fd_budget ());
  g_main_context_push_thread_default (engine.context);

  sa = g_object_new (G_TYPE_INET_SOCKET_ADDRESS,
                     "address", job->address, "port", 0, "scope-id", job->scope_id, NULL);
  engine.target_len = (socklen_t) g_socket_address_get_native_size (sa);
  g_socket_address_to_native (sa, &engine.target, sizeof engine.target, NULL);

  if (cancellable != NULL)
    {
      wake = g_cancellable_source_new (cancellable);
      g_source_set_callback (wake, G_SOURCE_FUNC (wake_cb), NULL, NULL);
      g_source_attach (wake, engine.context);
    }

  /* Probes decide themselves in callbacks, which start the next ones. */
  while (engine.decided < total && !g_cancellable_is_cancelled (cancellable))
    {
      engine_fill (&engine);
      if (engine.decided < total)
        g_main_context_iteration (engine.context, TRUE);
    }

  while (engine.active.head != NULL)
    {
      Probe *probe = engine.active.head->data;

      g_queue_unlink (&engine.active, &probe->link);
      probe_free (probe);
    }
  g_queue_clear_full (&engine.deferred, g_free);
  if (wake != NULL)
    g_source_destroy (wake);

  g_main_context_pop_thread_default (engine.context);
  g_main_context_unref (engine.context);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ */
/* PqScanner                                                           */

static void
pq_scanner_finalize (GObject *object)
{
  PqScanner *self = PQ_SCANNER (object);

  g_clear_object (&self->services);

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
  job->specs = build_specs (ports, protocols);
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
