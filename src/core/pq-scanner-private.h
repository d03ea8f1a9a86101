/* pq-scanner-private.h: what the scan engine's files share
 *
 * The engine is split by job: pq-scanner.c (the public GObject and the
 * GTask thread that starts lanes), pq-scan-job.c (results handed to the
 * caller's thread), pq-scan-socket.c (socket and ICMP helpers),
 * pq-scan-engine.c (deadlines, the epoll GSource, lanes), pq-scan-probe.c
 * (one port's state machine), pq-scan-talk.c (protocol conversations) and
 * pq-scan-follow.c (a conversation's further connections).
 * Nothing here is API: only those files include it, and pq-tracer.c for
 * the socket helpers.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sys/socket.h>

#include "protocols/pq-probe.h"
#include "pq-rules.h"
#include "pq-scanner.h"

G_BEGIN_DECLS

/* A UDP reply larger than this is cut; the probes need far less. */
#define MAX_DATAGRAM 65536
/* Second looks at silent UDP ports: one per interval, at most so many. */
#define PACED_INTERVAL_MS 1100
#define PACED_MAX 32
#define PACED_GIVE_UP 3
/* A silent UDP port's wait, once the round trip is known, is never
 * shorter than this: for an empty datagram the answer (an ICMP error)
 * comes from the host's kernel at once, so nmap's --min-rtt-timeout; for
 * a protocol query a service has to work out a reply (a DNS server that
 * asks upstream, an SNMP agent on a printer), which takes longer. */
#define UDP_MIN_WAIT_MS 100
#define UDP_QUERY_MIN_WAIT_MS 500
/* A host's ICMP rate limit (a token bucket: Linux lets a burst of 6 pass,
 * then one a second) cannot answer two datagrams sent within this time
 * after one it kept silent on: such silence is the port's own. */
#define SILENCE_PROOF_US 20000
/* A silent port that no later answer vouches for is asked again at once,
 * its datagram followed by this many to a port the host reported closed
 * (witnesses): if they are answered, the silence is the port's own. */
#define WITNESSES 2
/* A protocol conversation waits this long for each reply (FTP servers
 * answer a refused login only after a delay of 2 to 3 s), and ends after
 * PROBE_TOTAL_MS whatever the peer does (one that never stops sending),
 * over all its connections. */
#define PROBE_WAIT_MS 5000
#define PROBE_TOTAL_MS 20000
/* The epoll slot of the lane's ICMP echo (pq_scan_echo_send), which is
 * no probe's. */
#define ECHO_SLOT G_MAXUINT32

typedef struct
{
  guint16    port;
  PqProtocol protocol;
  gboolean   paced;        /* a second look after a pause (ICMP rate limits) */
  gboolean   witnessed;    /* a check look: witnesses follow its datagram */
  guint      tries_before; /* datagrams of the first look, for a check look */
  gboolean   helper;       /* a check look's witness: no result */
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
typedef struct _PqScanTls PqScanTls;

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
  PqScanTls          *tls;        /* TCP: a TLS handshake has the connection */
  guint               follow_ups; /* connections opened after the first */
  gboolean            follow;     /* the connection is one of those */
  gboolean            connecting; /* ... and its handshake is under way */
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
  gboolean  sent;           /* a UDP datagram has left; FALSE again on release */
  int       send_errno;     /* why the last UDP send did not leave (ENOBUFS) */
  guint     fd_gen;         /* gen when fd joined the epoll set: a spare
                             * keeps its registration for the next port */
  gboolean  reusable;       /* TCP refused by a reset: the socket may stay */
  gboolean  spare;          /* a free slot's dissolved, unconnected TCP
                             * socket, for the next TCP port started here */
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
  guint                    spares;      /* free slots holding a spare socket */
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
  GArray                  *icmp_sends;  /* gint64: when each datagram that
                                         * got an ICMP error from the target
                                         * was sent, in order */
  guint                    helpers;     /* of the active probes, witnesses
                                         * (no port of the job) */
  guint16                  closed_udp_port; /* one the target reported closed */
  gboolean                 limit_seen;  /* a check look's witnesses went
                                         * unanswered: the host limits */
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
  guint                    rtt_wait_ms;  /* srtt + 4 rttvar, unclamped */
  guint                    tcp_wait_ms;
  int                      echo_fd;      /* the ICMP echo's, until it is answered */
  gboolean                 echo_raw;
  guint16                  echo_ident;
  gint64                   echo_sent_us;
};


typedef struct
{
  Job          *job;
  GCancellable *cancellable;
  guint         window;
  int           error_number;
} Lane;

/* pq-scanner.c: the signals, emitted in the caller's context */
void      pq_scan_emit_result         (PqScanner                     *scanner,
                                       PqResult                      *result);
void      pq_scan_emit_progress       (PqScanner                     *scanner,
                                       guint                          done,
                                       guint                          total);

/* pq-scan-job.c */
Job      *pq_scan_job_ref             (Job                           *job);
void      pq_scan_job_unref           (Job                           *job);
void      pq_scan_job_flush           (Job                           *job);
void      pq_scan_job_push            (Job                           *job,
                                       PqResult                      *result);

/* pq-scan-socket.c */
void      pq_scan_set_port            (struct sockaddr_storage       *ss,
                                       guint16                        port);
char     *pq_scan_sockaddr_to_string  (const struct sockaddr         *sa,
                                       gboolean                       with_port);
gboolean  pq_scan_same_host           (const struct sockaddr         *a,
                                       const struct sockaddr_storage *b);
void      pq_scan_read_error_queue    (int                            fd,
                                       const struct sockaddr_storage *target,
                                       Observation                   *obs);
void      pq_scan_enable_recverr      (int                            fd,
                                       GSocketFamily                  family);
int       pq_scan_bind_source_port    (int                            fd,
                                       GSocketFamily                  family,
                                       guint16                        port);
char     *pq_scan_local_address       (int                            fd);
gboolean  pq_scan_dissolve            (int                            fd);
int       pq_scan_echo_send           (const struct sockaddr_storage *target,
                                       socklen_t                      target_len,
                                       guint16                        ident,
                                       gboolean                      *raw);
gboolean  pq_scan_echo_reply          (int                            fd,
                                       const struct sockaddr_storage *target,
                                       guint16                        ident,
                                       gboolean                       raw);

/* pq-scan-engine.c */
void      pq_scan_timers_push         (Engine                        *engine,
                                       Timer                          t);
void      pq_scan_engine_learn_rtt    (Engine                        *engine,
                                       gint64                         sample_us);
guint     pq_scan_engine_wait_ms      (Engine                        *engine,
                                       const Probe                   *probe);
void      pq_scan_engine_note_icmp    (Engine                        *engine,
                                       gint64                         sent_us);
gboolean  pq_scan_engine_silence_real (Engine                        *engine,
                                       gint64                         sent_us);
void      pq_scan_engine_drop_spare   (Engine                        *engine,
                                       Probe                         *probe);
gpointer  pq_scan_lane_run            (gpointer                       data);

/* pq-scan-probe.c */
void      pq_scan_probe_try           (Probe                         *probe);
void      pq_scan_probe_ready         (Probe                         *probe,
                                       guint32                        events);
void      pq_scan_probe_timeout       (Probe                         *probe);
void      pq_scan_probe_finish        (Probe                         *probe,
                                       Observation                   *obs);
void      pq_scan_probe_release       (Probe                         *probe);
void      pq_scan_probe_close         (Probe                         *probe);

/* pq-scan-talk.c */
void      pq_scan_talk_free           (Talk                          *talk);
gboolean  pq_scan_talk_begin_tcp      (Probe                         *probe,
                                       Observation                   *obs);
gboolean  pq_scan_talk_begin_udp      (Probe                         *probe);
void      pq_scan_talk_set_deadline   (Probe                         *probe);
void      pq_scan_talk_step           (Probe                         *probe,
                                       gboolean                       with_input);
void      pq_scan_talk_io             (Probe                         *probe,
                                       guint32                        events);
void      pq_scan_talk_datagram       (Probe                         *probe,
                                       const guint8                  *data,
                                       gsize                          len);
void      pq_scan_talk_end            (Probe                         *probe,
                                       const char                    *stopped);
char     *pq_scan_talk_evidence       (Talk                          *talk,
                                       char                          *evidence,
                                       PqReason                       reason);

/* pq-scan-follow.c */
void      pq_scan_follow_connect      (Probe                         *probe);
void      pq_scan_follow_connected    (Probe                         *probe);
gboolean  pq_scan_follow_ended        (Probe                         *probe,
                                       const char                    *stopped);

/* pq-scan-tls.c */
PqScanTls *pq_scan_tls_start          (Probe                         *probe);
gboolean  pq_scan_tls_finish          (PqScanTls                     *tls,
                                       PqProbeFindings               *findings);
void      pq_scan_tls_free            (PqScanTls                     *tls);

G_END_DECLS
