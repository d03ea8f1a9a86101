/* pq-scan-talk.c: protocol conversations on a probe's socket
 *
 * Drives a PqProbeCodec (protocols/pq-probe.h) over the probe's socket: the
 * codec builds requests and reads replies from buffers, this moves the
 * bytes. TCP: after the handshake, the codec gets the connection, with a
 * wait for each reply and a limit on the whole conversation. UDP: the
 * codec's request replaces the empty datagram, and each datagram that comes
 * back is one step. The port's evidence gets what the codec found. A
 * codec that says PQ_STEP_STARTTLS hands the connection to a TLS
 * handshake (pq-scan-tls.c), whose certificate ends the conversation; one
 * that says PQ_STEP_CONNECT goes on over another connection
 * (pq-scan-follow.c).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "pq-scanner-private.h"

/* A TLS handshake gets this long (doubled on a slow link). */
#define TLS_WAIT_MS 10000

void
pq_scan_talk_free (Talk *talk)
{
  if (talk->codec->clear != NULL)
    talk->codec->clear (talk->state);
  g_free (talk->state);
  pq_probe_findings_clear (&talk->findings);
  g_clear_pointer (&talk->in, g_byte_array_unref);
  g_clear_pointer (&talk->out, g_byte_array_unref);
  g_clear_pointer (&talk->request, g_byte_array_unref);
  g_clear_pointer (&talk->tls, pq_scan_tls_free);
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

/* The plain test's evidence, then what the protocol query found. */
char *
pq_scan_talk_evidence (Talk       *talk,
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
  if (talk->follow_ups > 0)
    /* Translators: the protocol (“SMB”), then how many connections */
    g_string_append_printf (s, ngettext (" The %s query opened %u more connection to the host.",
                                         " The %s query opened %u more connections to the host.",
                                         talk->follow_ups),
                            talk->codec->name, talk->follow_ups);
  if (!talk->answered && talk->codec->silence_hint != NULL &&
      (reason == PQ_REASON_NO_RESPONSE || reason == PQ_REASON_SYN_ACK))
    g_string_append_printf (s, " %s", _(talk->codec->silence_hint));
  return g_string_free (s, FALSE);
}

/* Ends the conversation and decides the port on the plain test's
 * observation; @stopped says why it ended early, if it did. */
void
pq_scan_talk_end (Probe      *probe,
                  const char *stopped)
{
  Talk *talk = probe->talk;
  Observation obs;

  /* A further connection's end is the codec's to judge. */
  if (pq_scan_follow_ended (probe, stopped))
    return;
  obs = talk->held;
  talk->held.icmp_from = NULL;
  talk->active = FALSE;
  if (talk->stopped == NULL)
    talk->stopped = stopped;
  /* A handshake cut short says so under the port, after what the codec found. */
  if (talk->tls != NULL && stopped != NULL)
    pq_probe_add_detail (&talk->findings, "tls-error", _("TLS handshake"), stopped);
  pq_scan_probe_finish (probe, &obs);
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
          pq_scan_talk_end (probe, g_strerror (errno));
          return FALSE;
        }
      g_byte_array_remove_range (talk->out, 0, (guint) n);
    }
  return TRUE;
}

/* Waits for the reply (and for room to write what is left), within the
 * conversation's time limit. */
/* The conversation's next wait: PROBE_WAIT_MS (doubled on a slow link),
 * never past its end. The first connection's replies and a further
 * connection's handshake (pq-scan-follow.c) wait the same. */
void
pq_scan_talk_set_deadline (Probe *probe)
{
  Engine *engine = probe->engine;
  guint wait = engine->job->options.slow_link ? 2 * PROBE_WAIT_MS : PROBE_WAIT_MS;

  probe->deadline_us = MIN (g_get_monotonic_time () + (gint64) wait * 1000, probe->talk->end_us);
  pq_scan_timers_push (engine, (Timer) { probe->deadline_us, probe->slot, probe->gen });
}

static void
talk_arm (Probe *probe)
{
  Talk *talk = probe->talk;
  struct epoll_event ev = { .events = EPOLLIN | (talk->out->len > 0 ? EPOLLOUT : 0),
                            .data.u64 = ((guint64) probe->gen << 32) | probe->slot };

  epoll_ctl (probe->engine->epfd, EPOLL_CTL_MOD, probe->fd, &ev);
  pq_scan_talk_set_deadline (probe);
}

/* The codec is done with its part: GIO's TLS takes the connection. */
static void
talk_start_tls (Probe *probe)
{
  Talk *talk = probe->talk;
  guint wait = probe->engine->job->options.slow_link ? 2 * TLS_WAIT_MS : TLS_WAIT_MS;

  if ((talk->tls = pq_scan_tls_start (probe)) == NULL)
    {
      pq_scan_talk_end (probe, g_strerror (errno));
      return;
    }
  probe->deadline_us = MIN (g_get_monotonic_time () + (gint64) wait * 1000, talk->end_us);
  pq_scan_timers_push (probe->engine, (Timer) { probe->deadline_us, probe->slot, probe->gen });
}

static gboolean
talk_count_step (Probe *probe)
{
  Talk *talk = probe->talk;
  guint max = talk->codec->max_steps ? MIN (talk->codec->max_steps, PQ_PROBE_MAX_STEPS) : PQ_PROBE_MAX_STEPS;

  return ++talk->steps <= max;
}

/* TCP: lets the codec read what has arrived and say what comes next. */
void
pq_scan_talk_step (Probe    *probe,
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
          pq_scan_talk_end (probe, _("it kept the conversation going past the limit"));
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
      pq_scan_talk_end (probe, NULL);
      return;
    case PQ_STEP_STARTTLS:
      talk_start_tls (probe);
      return;
    case PQ_STEP_CONNECT:
      pq_scan_follow_connect (probe);
      return;
    case PQ_STEP_DONE:
    default:
      pq_scan_talk_end (probe, NULL);
      return;
    }
}

void
pq_scan_talk_io (Probe    *probe,
                 guint32   events)
{
  Talk *talk = probe->talk;
  gssize n;

  if (talk->tls != NULL)
    {
      if (pq_scan_tls_finish (talk->tls, &talk->findings))
        pq_scan_talk_end (probe, NULL);
      return;
    }
  if (talk->connecting)
    {
      pq_scan_follow_connected (probe);
      return;
    }
  if ((events & EPOLLOUT) && !talk_flush (probe))
    return;
  if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
    {
      talk_arm (probe);
      return;
    }
  if (talk->received >= PQ_PROBE_MAX_BYTES)
    {
      pq_scan_talk_end (probe, _("it sent more than the probe reads"));
      return;
    }

  n = recv (probe->fd, probe->engine->buffer,
            MIN (MAX_DATAGRAM, PQ_PROBE_MAX_BYTES - talk->received), MSG_DONTWAIT);
  if (n > 0)
    {
      talk->received += (gsize) n;
      talk->answered = TRUE;
      g_byte_array_append (talk->in, (guint8 *) probe->engine->buffer, (guint) n);
      pq_scan_talk_step (probe, TRUE);
    }
  else if (n == 0)
    pq_scan_talk_end (probe, _("the server closed the connection"));
  else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    pq_scan_talk_end (probe, g_strerror (errno));
}

/* TCP: the handshake is done; hand the connection to the codec. */
gboolean
pq_scan_talk_begin_tcp (Probe       *probe,
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
  pq_scan_talk_step (probe, FALSE);
  return TRUE;
}

/* UDP: the request that replaces PortQry's empty datagram.
 *
 * Returns: TRUE if the codec asked over TCP first (Kerberos: the realm
 * from LDAP); the request comes when that is done (pq-scan-follow.c) */
gboolean
pq_scan_talk_begin_udp (Probe *probe)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;
  Talk *talk = talk_new (probe);
  PqStep step;

  if (talk == NULL)
    return FALSE;
  step = talk->codec->step (talk->state, NULL, 0, &consumed, out, &talk->findings);
  if (step == PQ_STEP_CONNECT)
    {
      probe->talk = talk;
      talk->end_us = g_get_monotonic_time () + (gint64) PROBE_TOTAL_MS * 1000;
      pq_scan_follow_connect (probe);
      return TRUE;
    }
  if (step != PQ_STEP_SEND)
    {
      pq_scan_talk_free (talk);
      return FALSE;
    }
  talk->request = g_steal_pointer (&out);
  talk->steps = 1;
  probe->talk = talk;
  return FALSE;
}

/* UDP: one datagram came back. */
void
pq_scan_talk_datagram (Probe        *probe,
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
      pq_scan_probe_try (probe);
      return;
    }

  obs.bytes = (guint) talk->received;
  pq_scan_probe_finish (probe, &obs);
}
