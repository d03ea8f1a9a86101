/* pq-scan-options.c: what a scan may do, checked, and the open-file budget
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scan-options"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <sys/resource.h>

#include "pq-error.h"
#include "pq-scan-options.h"

/* Descriptors kept free for everything else the process does. */
#define FD_RESERVE 16


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
    .adaptive = TRUE,
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
 * pq_raise_fd_limit:
 *
 * Raises the soft open-file limit to the hard one (at most to what a
 * full window needs), once at start: the soft limit is often 1024, far
 * below the hard one, and every port in flight holds a descriptor.
 * Failing leaves the limit as it was; pq_fd_budget() then sizes the
 * window from it.
 */
void
pq_raise_fd_limit (void)
{
  struct rlimit rl;
  rlim_t want = (rlim_t) PQ_MAX_WINDOW + 256;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
    return;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : MIN (want, rl.rlim_max);
  if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
    g_debug ("could not raise the open-file limit: %s", g_strerror (errno));
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
