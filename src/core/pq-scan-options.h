/* pq-scan-options.h: what a scan may do (waits, tries, ports in flight), without the engine
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Defaults, documented in the README and in portqry --help. */
#define PQ_DEFAULT_TCP_TIMEOUT_MS 1000
#define PQ_DEFAULT_TCP_TRIES      3      /* as PortQry */
#define PQ_DEFAULT_UDP_WAIT_MS    1000
#define PQ_DEFAULT_UDP_TRIES      2
#define PQ_DEFAULT_WINDOW         256
#define PQ_MAX_WINDOW             4096
#define PQ_MAX_TIMEOUT_MS         60000
#define PQ_MAX_TRIES              10
/* nmap's --min-rtt-timeout: an adapted TCP wait is never shorter. */
#define PQ_MIN_ADAPTIVE_WAIT_MS   100

typedef struct
{
  guint    tcp_timeout_ms;  /* wait for each connection attempt */
  guint    tcp_tries;       /* connection attempts before FILTERED */
  guint    udp_wait_ms;     /* wait for a reply to each datagram */
  guint    udp_tries;       /* datagrams before LISTENING or FILTERED */
  gboolean slow_link;       /* -sl: doubles the UDP wait */
  guint    window;          /* ports in flight at once */
  guint16  source_port;     /* -sp; 0 for any */
  gboolean probes;          /* protocol-specific queries after the plain test */
  gboolean adaptive;        /* shorten TCP waits to the measured round trip */
} PqScanOptions;

void      pq_scan_options_init          (PqScanOptions        *options);
gboolean  pq_scan_options_validate      (const PqScanOptions  *options,
                                         GError              **error);

void      pq_raise_fd_limit             (void);
guint     pq_fd_budget                  (void);

G_END_DECLS
