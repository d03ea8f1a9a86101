/* pq-scan-follow.c: the further connections of a protocol conversation
 *
 * Some answers need another connection to the same host: whether an SMB
 * server still accepts SMB1 (a second offer with SMB1 alone), whether an
 * RDP server refuses clients without NLA (a second offer without CredSSP),
 * which realm a KDC serves (its LDAP root entry on 389 first). A codec
 * says PQ_STEP_CONNECT (pq-probe.h); this closes the probe's socket and
 * opens a TCP connection in the same slot, so the engine's events, timers
 * and cancellation reach it as they reach the first. Every connection
 * shares the conversation's time limit (PROBE_TOTAL_MS) and step limit;
 * at most PQ_PROBE_MAX_CONNECTIONS are opened after the first. One that
 * fails or ends before the codec is done goes to the codec's ended(), not
 * to the port's evidence: the port was decided by the first connection.
 *
 * Further connections leave from an ephemeral port, whatever -sp says:
 * that option is PortQry's for the port test, which the first made.
 *
 * A UDP probe whose codec asks over TCP first (Kerberos on UDP 88) gets
 * its datagram socket back when the codec asks for its own port again;
 * only then does its first datagram leave, so the UDP port's timing and
 * state are its own.
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
#include <unistd.h>

#include "pq-scanner-private.h"

/* The codec's UDP request, sent from a fresh datagram socket. */
static void
follow_resume_udp (Probe *probe)
{
  Talk *talk = probe->talk;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize consumed = 0;

  talk->active = talk->follow = talk->connecting = FALSE;
  /* What LDAP sent is no answer of this port's. */
  talk->answered = FALSE;
  talk->received = 0;
  if (talk->codec->step (talk->state, NULL, 0, &consumed, out, &talk->findings) == PQ_STEP_SEND)
    {
      g_clear_pointer (&talk->request, g_byte_array_unref);
      talk->request = g_steal_pointer (&out);
      talk->steps = 1;
    }
  else
    g_clear_pointer (&probe->talk, pq_scan_talk_free);   /* PortQry's empty datagram, then */
  probe->started_us = g_get_monotonic_time ();
  pq_scan_probe_try (probe);
}

/* Opens the TCP connection to @port and waits for its handshake.
 * Returns: 0, or the errno that kept it from being made */
static int
follow_open (Probe   *probe,
             guint16  port)
{
  Engine *engine = probe->engine;
  struct sockaddr_storage to = engine->target;
  struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = ((guint64) probe->gen << 32) | probe->slot };
  struct linger lg = { 1, 0 };   /* closed with a reset, as the first */

  probe->fd = socket (to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (probe->fd < 0)
    return errno;
  setsockopt (probe->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  pq_scan_set_port (&to, port);
  if (connect (probe->fd, (struct sockaddr *) &to, engine->target_len) != 0 && errno != EINPROGRESS)
    return errno;
  if (epoll_ctl (engine->epfd, EPOLL_CTL_ADD, probe->fd, &ev) != 0)
    return errno;
  probe->registered = TRUE;
  pq_scan_talk_set_deadline (probe);
  return 0;
}

/* The codec said PQ_STEP_CONNECT (or asked again from ended()). */
void
pq_scan_follow_connect (Probe *probe)
{
  Talk *talk = probe->talk;
  guint16 port = talk->codec->connect_port ? talk->codec->connect_port (talk->state) : 0;
  int err;

  if (port == 0)
    port = probe->spec.port;
  pq_scan_probe_close (probe);
  g_byte_array_set_size (talk->in, 0);
  g_byte_array_set_size (talk->out, 0);
  if (probe->spec.protocol == PQ_PROTOCOL_UDP && port == probe->spec.port)
    {
      follow_resume_udp (probe);
      return;
    }

  talk->follow = talk->active = TRUE;
  talk->connecting = FALSE;
  if (talk->follow_ups >= PQ_PROBE_MAX_CONNECTIONS)
    {
      pq_scan_talk_end (probe, _("it asked for more connections than the probe opens"));
      return;
    }
  if (g_get_monotonic_time () >= talk->end_us)
    {
      pq_scan_talk_end (probe, _("no time was left for another connection"));
      return;
    }
  talk->follow_ups++;
  talk->connecting = TRUE;
  if ((err = follow_open (probe, port)) == 0)
    return;
  /* No socket here (descriptors ran out) says nothing of the server:
   * the codec is not asked, a UDP probe goes on with its datagram. */
  if (probe->fd < 0 && probe->spec.protocol == PQ_PROTOCOL_UDP)
    follow_resume_udp (probe);
  else
    {
      talk->follow = probe->fd >= 0;
      pq_scan_talk_end (probe, g_strerror (err));
    }
}

/* The further connection's handshake is over: the codec's first message. */
void
pq_scan_follow_connected (Probe *probe)
{
  int err = 0;
  socklen_t len = sizeof err;

  if (getsockopt (probe->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err != 0)
    {
      pq_scan_talk_end (probe, g_strerror (err));
      return;
    }
  probe->talk->connecting = FALSE;
  pq_scan_talk_step (probe, FALSE);
}

/* A further connection ended (@stopped says why, NULL when the codec was
 * done); the codec says what comes next.
 *
 * Returns: TRUE if that is handled here, FALSE if the conversation ends
 * as a first connection's would */
gboolean
pq_scan_follow_ended (Probe      *probe,
                      const char *stopped)
{
  Talk *talk = probe->talk;
  PqStep next = PQ_STEP_DONE;

  if (!talk->follow || talk->tls != NULL)
    return FALSE;
  if (stopped != NULL && talk->codec->ended != NULL)
    next = talk->codec->ended (talk->state, stopped, &talk->findings);
  if (next == PQ_STEP_CONNECT)
    {
      pq_scan_follow_connect (probe);
      return TRUE;
    }
  if (probe->spec.protocol == PQ_PROTOCOL_UDP)
    {
      /* A UDP probe's own datagram comes whatever the codec said. */
      pq_scan_probe_close (probe);
      follow_resume_udp (probe);
      return TRUE;
    }
  if (stopped == NULL || talk->codec->ended == NULL)
    return FALSE;
  talk->follow = FALSE;   /* the codec has said why; nothing more to add */
  pq_scan_talk_end (probe, NULL);
  return TRUE;
}
