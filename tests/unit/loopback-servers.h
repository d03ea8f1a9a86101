/* loopback-servers.h: the loopback ports the tests open, and nothing else
 *
 * A TCP listener and a UDP echo on one port number, a UDP socket that
 * never answers, and a port number bound for TCP and UDP and closed again
 * just before the scan. They are served by sources on the thread-default
 * main context of the thread that started them, so the test must iterate
 * that context while a scan or a portqry process runs.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSocketFamily  family;
  GInetAddress  *loopback;
  GMainContext  *context;

  guint16        open_port;        /* a TCP listener and a UDP echo, same number */
  GSocket       *listener;
  GSource       *listener_source;
  guint          accepted;
  GSocket       *echo;
  GSource       *echo_source;
  guint          echoed;

  guint16        silent_port;      /* UDP, bound, never answers */
  GSocket       *silent;

  guint16        closed_port;      /* TCP and UDP, bound then closed */
} Servers;

gboolean servers_start (Servers       *s,
                        GSocketFamily  family);
void     servers_stop  (Servers       *s);
char    *servers_loopback_string (Servers *s);

G_END_DECLS
