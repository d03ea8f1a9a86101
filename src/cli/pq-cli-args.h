/* pq-cli-args.h: portqry's command line, as PortQry and GNU take it
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "pq-scan-options.h"
#include "pq-target.h"

G_BEGIN_DECLS

typedef struct
{
  char            *name;
  GPtrArray       *names;         /* every -n, in order */
  char            *protocol;
  char            *endpoints;     /* -e: one port, or PortQryUI's list */
  char            *ordered;       /* -o */
  char            *range;         /* -r */
  char            *log_file;
  char            *services_file;
  char            *community;
  char            *export_file;
  char            *domain;        /* --domain: query its controllers */
  gboolean         overwrite;
  gboolean         no_reverse;
  gboolean         quiet;
  gboolean         json;
  gboolean         verbose;
  gboolean         help;
  gboolean         version;
  gboolean         local;         /* -local */
  guint            watch_port;    /* -wport */
  guint            watch_pid;     /* -wpid */
  guint            watch_seconds; /* -wt */
  gboolean         interactive;   /* -i */
  gboolean         trace;
  PqAddressChoice  choice;
  PqScanOptions    scan;
} Args;

void      pq_cli_args_clear     (Args     *args);
gboolean  pq_cli_args_parse     (Args     *args,
                                 int       argc,
                                 char    **argv,
                                 GError  **error);
GArray   *pq_cli_args_ports     (Args     *args,
                                 GError  **error);
void      pq_cli_print_usage    (FILE     *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, pq_cli_args_clear)

G_END_DECLS
