/* pq-scan-probe.c: one port's state machine
 *
 * A probe opens its socket, connects (TCP) or sends (UDP), waits with a
 * deadline, tries again as configured, and decides the port from what the
 * socket reports (pq-rules.c). A port with a protocol probe talks through
 * pq-scan-talk.c: over TCP once the handshake is done, over UDP from the
 * first datagram on. Finishing a port builds its PqResult and hands it to
 * the job; a silent UDP port that may have met the host's ICMP rate
 * limit is queued for a check look (and, if the host limits, a paced
 * second look) instead. Helpers (the check looks' witnesses) give the
 * engine timing and leave no result.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-scanner-private.h"

static GSocketFamily
engine_family (Engine *engine)
{
  return engine->target.ss_family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4;
}

/* The codec the port's service gets when probes are on, or NULL. */
static const PqProbeCodec *
probe_codec (Probe *probe)
{
  Job *job = probe->engine->job;

  if (!job->options.probes)
    return NULL;
  return pq_probe_codec_for (pq_services_probe_for (job->services, probe->spec.port, probe->spec.protocol),
                             probe->spec.protocol);
}

/* A silent IKE port queried from another port than 500: some peers
 * answer only there, so its silence says less. */
static char *
note_source_port (Probe    *probe,
                  char     *evidence,
                  PqReason  reason)
{
  const PqProbeCodec *codec = probe->talk ? probe->talk->codec : NULL;
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  guint16 port;
  char *more;

  if (codec == NULL || codec->source_port == 0 || reason != PQ_REASON_NO_RESPONSE || probe->fd < 0 ||
      getsockname (probe->fd, (struct sockaddr *) &local, &len) != 0 ||
      (port = g_ntohs (((struct sockaddr_in *) &local)->sin_port)) == codec->source_port)
    return evidence;
  more = g_strdup_printf (_("%s It was sent from port %u, not %u: some peers answer only queries from port %u, which needs root here or is held by this computer's own service."),
                          evidence, port, codec->source_port, codec->source_port);
  g_free (evidence);
  return more;
}

void
pq_scan_probe_close (Probe *probe)
{
  if (probe->fd >= 0)
    close (probe->fd);   /* also leaves the epoll set */
  probe->fd = -1;
  probe->registered = FALSE;
  probe->deadline_us = 0;
}

void
pq_scan_probe_release (Probe *probe)
{
  Engine *engine = probe->engine;

  /* A refused connection's socket stays with the slot, for its next port. */
  if (probe->reusable && pq_scan_dissolve (probe->fd))
    {
      probe->spare = TRUE;
      probe->deadline_us = 0;
      engine->spares++;
    }
  else
    pq_scan_probe_close (probe);
  probe->reusable = FALSE;
  g_clear_pointer (&probe->talk, pq_scan_talk_free);
  probe->in_use = FALSE;
  probe->sent = FALSE;
  probe->send_errno = 0;
  probe->gen++;
  engine->active--;
  if (probe->spec.helper)
    engine->helpers--;
  g_array_append_val (engine->free_slots, probe->slot);
}

/* Returns: TRUE if the silence of this UDP port may be the host's ICMP
 * rate limit at work rather than the port's own */
static gboolean
probe_maybe_limited (Probe *probe)
{
  Engine *engine = probe->engine;

  return engine->unreach_seen > 0 &&
         ((probe->spec.paced && !probe->spec.witnessed) ||
          !pq_scan_engine_silence_real (engine, probe->started_us));
}

/* What an answer tells the timing: every answer from the target itself is
 * a round-trip sample (not a reply to a protocol query, which includes
 * the service's work, nor an answer to a datagram sent again, which may
 * be the earlier one's: Karn's rule), and an ICMP error from the target
 * is one the host's rate limit let through. */
static void
probe_note_answer (Probe             *probe,
                   const Observation *obs,
                   gint64             now)
{
  const PqOutcome *o = &obs->outcome;
  gboolean sample;

  if (o->have_icmp && o->icmp_from_target && probe->spec.protocol == PQ_PROTOCOL_UDP)
    pq_scan_engine_note_icmp (probe->engine, probe->try_started_us);
  if (o->have_icmp)
    sample = o->icmp_from_target;
  else if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    sample = o->kind == PQ_OUTCOME_CONNECTED ||
             (o->kind == PQ_OUTCOME_ERROR && o->error_number == ECONNREFUSED);
  else
    sample = o->kind == PQ_OUTCOME_REPLY && probe->talk == NULL;
  if (sample && (probe->spec.protocol == PQ_PROTOCOL_TCP || probe->try == 1))
    pq_scan_engine_learn_rtt (probe->engine, now - probe->try_started_us);
}

/* A check look stayed silent and its witnesses too: the host limits its
 * ICMP errors and had no answer left for any of them. The port gets a
 * paced second look, once the host has earned an answer again. */
static void
probe_limit_seen (Probe *probe)
{
  Engine *engine = probe->engine;
  Spec *spec = g_memdup2 (&probe->spec, sizeof *spec);

  engine->limit_seen = TRUE;
  engine->next_paced_us = MAX (engine->next_paced_us,
                               g_get_monotonic_time () + (gint64) PACED_INTERVAL_MS * 1000);
  spec->witnessed = FALSE;
  /* Check looks end in the order they started, which is the ports'
   * order: the paced looks keep it, so results come in order. */
  g_queue_push_tail (&engine->paced, spec);
  pq_scan_probe_release (probe);
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
  if (probe->spec.witnessed)
    {
      if (obs->outcome.kind != PQ_OUTCOME_TIMEOUT || !probe_maybe_limited (probe))
        return FALSE;
      probe_limit_seen (probe);
      return TRUE;
    }
  if (probe->spec.paced)
    {
      if (obs->outcome.kind == PQ_OUTCOME_TIMEOUT && ++engine->paced_silent_run >= PACED_GIVE_UP)
        engine->paced_left = 0;
      else if (obs->outcome.kind != PQ_OUTCOME_TIMEOUT)
        engine->paced_silent_run = 0;
      return FALSE;
    }
  if (obs->outcome.kind != PQ_OUTCOME_TIMEOUT || engine->paced_left == 0 || !probe_maybe_limited (probe))
    return FALSE;

  engine->paced_left--;
  spec = g_memdup2 (&probe->spec, sizeof *spec);
  spec->paced = TRUE;
  spec->tries_before = probe->try;
  g_queue_push_tail (&engine->paced, spec);
  pq_scan_probe_release (probe);
  return TRUE;
}

/* A port unreachable from the target: the host reports closed ports. */
static void
probe_note_unreach (Probe             *probe,
                    const Observation *obs)
{
  Engine *engine = probe->engine;

  if (!obs->outcome.have_icmp || !obs->outcome.icmp_from_target ||
      obs->outcome.icmp_code != (obs->outcome.icmp6 ? 4 : 3))
    return;
  engine->unreach_seen++;
  if (probe->spec.protocol == PQ_PROTOCOL_UDP)
    engine->closed_udp_port = probe->spec.port;
  /* The host just spent an ICMP answer; a second look sent before it
   * has earned the next one would meet silence and wrongly "stay
   * silent". */
  engine->next_paced_us = MAX (engine->next_paced_us,
                               g_get_monotonic_time () + (gint64) PACED_INTERVAL_MS * 1000);
}

/* Returns: (nullable): what the host's ICMP rate limit means for this
 * silent UDP port, for its evidence */
static char *
probe_silence_note (Probe *probe)
{
  guint closed = probe->engine->unreach_seen;

  if (!probe_maybe_limited (probe))
    return probe->spec.witnessed
      ? g_strdup (_("It was asked again, followed by a closed port that the host reported at once, so the silence is this port's own."))
      : NULL;
  if (probe->spec.paced)
    return g_strdup (_("It was asked again after a pause, since the host limits how fast it reports closed ports, and stayed silent."));
  return g_strdup_printf (ngettext ("The host limits how fast it reports closed ports (%u port was reported closed), so this silent port may be closed too.",
                                    "The host limits how fast it reports closed ports (%u ports were reported closed), so this silent port may be closed too.",
                                    closed),
                          closed);
}

/* Decides the port, hands the result over and frees the slot. */
void
pq_scan_probe_finish (Probe       *probe,
                      Observation *obs)
{
  Engine *engine = probe->engine;
  Job *job = engine->job;
  gint64 now = probe->talk && probe->talk->decided_us ? probe->talk->decided_us : g_get_monotonic_time ();
  gint64 since = obs->outcome.kind == PQ_OUTCOME_TIMEOUT ? probe->started_us : probe->try_started_us;
  double elapsed_ms = (double) (now - since) / 1000.0;
  g_autofree char *evidence = NULL;
  g_autofree char *local = pq_scan_local_address (probe->fd);
  PqResult *result;
  PqPortState state;
  PqReason reason;

  probe_note_answer (probe, obs, now);
  if (probe->spec.helper)
    {
      g_clear_pointer (&obs->icmp_from, g_free);
      pq_scan_probe_release (probe);
      return;
    }
  probe_note_unreach (probe, obs);
  if (probe_pace_instead (probe, obs))
    return;
  /* Only now: a port queued for a second look has no result yet. */
  result = pq_result_new (job->address_str, probe->spec.port, probe->spec.protocol);
  if (probe->talk != NULL)
    obs->outcome.query = probe->talk->codec->name;
  state = pq_rules_decide (probe->spec.protocol, &obs->outcome, &reason);
  evidence = pq_rules_describe (probe->spec.protocol, &obs->outcome, reason, job->address_str,
                                obs->icmp_from, probe->try, probe->wait_ms, elapsed_ms,
                                obs->bytes);
  if (probe->talk != NULL)
    evidence = note_source_port (probe, pq_scan_talk_evidence (probe->talk, g_steal_pointer (&evidence), reason),
                                 reason);
  if (probe->spec.protocol == PQ_PROTOCOL_UDP && reason == PQ_REASON_NO_RESPONSE)
    {
      g_autofree char *note = probe_silence_note (probe);

      if (note != NULL)
        {
          char *more = g_strconcat (evidence, " ", note, NULL);

          g_free (evidence);
          evidence = more;
        }
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

  if (probe->talk != NULL)
    for (guint i = 0; i < probe->talk->findings.details->len; i++)
      pq_result_add_detail (result, g_ptr_array_index (probe->talk->findings.details, i));

  pq_scan_job_push (job, result);
  g_free (obs->icmp_from);
  obs->icmp_from = NULL;

  pq_scan_probe_release (probe);
}

static void
probe_finish_error (Probe    *probe,
                    int       error_number,
                    gboolean  immediate)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR, .error_number = error_number,
                                   .immediate = immediate } };

  if (probe->fd >= 0)
    pq_scan_read_error_queue (probe->fd, &probe->engine->target, &obs);
  /* A reset leaves nothing queued: the socket can ask the next port. */
  probe->reusable = probe->spec.protocol == PQ_PROTOCOL_TCP && error_number == ECONNREFUSED &&
                    !obs.outcome.have_icmp && probe->engine->job->options.source_port == 0;
  pq_scan_probe_finish (probe, &obs);
}

void
pq_scan_probe_timeout (Probe *probe)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_TIMEOUT } };
  guint tries = probe->spec.protocol == PQ_PROTOCOL_TCP ? probe->engine->job->options.tcp_tries
                                                         : probe->engine->job->options.udp_tries;

  probe->deadline_us = 0;
  if (probe->spec.helper)
    {
      pq_scan_probe_release (probe);   /* no answer: nothing learned */
      return;
    }
  if (probe->talk != NULL && probe->talk->active)
    {
      pq_scan_talk_end (probe, _("no reply in time"));
      return;
    }
  if (probe->try < tries)
    {
      probe->try++;
      pq_scan_probe_try (probe);
      return;
    }
  if (probe->talk != NULL && probe->talk->answered)
    {
      obs.outcome.kind = PQ_OUTCOME_REPLY;
      obs.bytes = (guint) probe->talk->received;
    }
  else if (probe->spec.protocol == PQ_PROTOCOL_UDP && !probe->sent && probe->send_errno != 0)
    {
      /* Every try met a full send queue: the port was never asked, and
       * its silence says nothing. */
      probe_finish_error (probe, probe->send_errno, TRUE);
      return;
    }
  pq_scan_probe_finish (probe, &obs);
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
      pq_scan_same_host ((struct sockaddr *) &local, &probe->engine->target) &&
      ((struct sockaddr_in *) &local)->sin_port == g_htons (probe->spec.port))
    obs.outcome.self_connect = TRUE;

  if (probe->spec.helper || !pq_scan_talk_begin_tcp (probe, &obs))
    pq_scan_probe_finish (probe, &obs);
}

static void
udp_ready (Probe *probe)
{
  Observation obs = { .outcome = { .kind = PQ_OUTCOME_ERROR } };
  struct sockaddr_storage from = { 0 };
  socklen_t from_len = sizeof from;
  gssize n;

  pq_scan_read_error_queue (probe->fd, &probe->engine->target, &obs);
  if (obs.outcome.have_icmp)
    {
      pq_scan_probe_finish (probe, &obs);
      return;
    }

  n = recvfrom (probe->fd, probe->engine->buffer, MAX_DATAGRAM, MSG_DONTWAIT,
                (struct sockaddr *) &from, &from_len);
  /* An unconnected socket (TFTP) hears any host: only the target answers. */
  if (n >= 0 && !pq_scan_same_host ((struct sockaddr *) &from, &probe->engine->target))
    return;
  if (n >= 0 && probe->talk != NULL)
    {
      pq_scan_talk_datagram (probe, (guint8 *) probe->engine->buffer, (gsize) n);
      return;
    }
  if (n >= 0)
    {
      obs.outcome.kind = PQ_OUTCOME_REPLY;
      obs.bytes = (guint) n;
      pq_scan_probe_finish (probe, &obs);
      return;
    }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return;

  probe_finish_error (probe, errno, FALSE);
}


/* The socket is ready: the conversation's, or the plain test's. */
void
pq_scan_probe_ready (Probe   *probe,
                     guint32  events)
{
  if (probe->talk != NULL && probe->talk->active)
    pq_scan_talk_io (probe, events);
  else if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    tcp_ready (probe);
  else
    udp_ready (probe);
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
      probe->fd_gen = probe->gen;
    }
  probe->wait_ms = pq_scan_engine_wait_ms (engine, probe);
  probe->deadline_us = probe->try_started_us + (gint64) probe->wait_ms * 1000;
  pq_scan_timers_push (engine, (Timer) { probe->deadline_us, probe->slot, probe->gen });
}

/* Returns: 0, or the errno that kept the socket from being made */
static int
probe_open_socket (Probe *probe)
{
  GSocketFamily family = engine_family (probe->engine);
  Job *job = probe->engine->job;
  const PqProbeCodec *codec = probe_codec (probe);
  guint16 sp = job->options.source_port;
  int type = probe->spec.protocol == PQ_PROTOCOL_TCP ? SOCK_STREAM : SOCK_DGRAM;
  int err;

  probe->fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                      type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (probe->fd < 0)
    return errno;

  pq_scan_enable_recverr (probe->fd, family);
  /* PortQry's exceptions to -sp: their queries go from an ephemeral port. */
  if (job->options.probes &&
      pq_probe_ephemeral_source (pq_services_probe_for (job->services, probe->spec.port, probe->spec.protocol),
                                 probe->spec.protocol))
    sp = 0;
  if (sp != 0 && (err = pq_scan_bind_source_port (probe->fd, family, sp)) != 0)
    return err;
  /* Some peers answer only to their protocol's own port (IKE: 500): try
   * it when -sp chose none; without it (no root, or taken) any port. */
  if (sp == 0 && codec != NULL && codec->source_port != 0 && probe->spec.protocol == PQ_PROTOCOL_UDP)
    pq_scan_bind_source_port (probe->fd, family, codec->source_port);
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
  pq_scan_probe_release (probe);
  engine->window = MAX (1, engine->active);
  g_debug ("descriptor shortage (%s): window now %u", g_strerror (err), engine->window);
  return TRUE;
}

static int
probe_connect (Probe *probe)
{
  Engine *engine = probe->engine;
  struct sockaddr_storage to = engine->target;

  pq_scan_set_port (&to, probe->spec.port);
  if (connect (probe->fd, (struct sockaddr *) &to, engine->target_len) != 0)
    return errno;
  return 0;
}

static void
tcp_try (Probe *probe)
{
  int err = probe->spare ? 0 : probe_open_socket (probe);

  probe->spare = FALSE;
  if (err == 0)
    err = probe_connect (probe);

  if (err == EINPROGRESS)
    probe_wait (probe, EPOLLOUT);
  else if (err == 0)
    tcp_ready (probe);
  else if (!probe_defer_if_short (probe, err))
    probe_finish_error (probe, err, err != ECONNREFUSED);
}

static gboolean
udp_any_reply_port (Probe *probe)
{
  return probe->talk != NULL && probe->talk->codec->any_reply_port;
}

static gssize
udp_send (Probe      *probe,
          const void *data,
          gsize       len)
{
  struct sockaddr_storage to = probe->engine->target;

  if (!udp_any_reply_port (probe))
    return send (probe->fd, data, len, 0);
  pq_scan_set_port (&to, probe->spec.port);
  return sendto (probe->fd, data, len, 0, (struct sockaddr *) &to, probe->engine->target_len);
}

static void
udp_try (Probe *probe)
{
  int err = 0;

  if (probe->fd < 0)
    {
      err = probe_open_socket (probe);
      /* A helper datagram (the rate-limit check's) asks no protocol; a
       * codec may first ask elsewhere over TCP (pq-scan-follow.c), which
       * comes back here with its request. */
      if (err == 0 && !probe->spec.helper && probe->talk == NULL && pq_scan_talk_begin_udp (probe))
        return;
      /* A connected socket gets only the target's replies, and its errors;
       * TFTP's server answers from another port (udp_ready checks the host). */
      if (err == 0 && !udp_any_reply_port (probe))
        err = probe_connect (probe);
      if (err != 0)
        {
          if (!probe_defer_if_short (probe, err))
            probe_finish_error (probe, err, TRUE);
          return;
        }
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
       ? udp_send (probe, probe->talk->request->data, probe->talk->request->len)
       : send (probe->fd, "", 0, 0)) < 0)
    {
      err = errno;
      /* A full queue may clear before the next try; a datagram too big
       * (EMSGSIZE) or no route will not (pq-rules.c: an ERROR). */
      if (err != EAGAIN && err != ENOBUFS)
        {
          probe_finish_error (probe, err, err == EPERM || err == ENETUNREACH || err == EHOSTUNREACH);
          return;
        }
      probe->send_errno = err;
    }
  else
    probe->sent = TRUE;
  probe_wait (probe, EPOLLIN);
}

void
pq_scan_probe_try (Probe *probe)
{
  probe->try_started_us = g_get_monotonic_time ();
  if (probe->spec.protocol == PQ_PROTOCOL_TCP)
    {
      /* Each TCP try is a fresh connection, as PortQry's three attempts
       * (a spare socket is one: pq_scan_dissolve). */
      if (!probe->spare)
        pq_scan_probe_close (probe);
      tcp_try (probe);
    }
  else
    udp_try (probe);
}
