/* pq-cli-log.h: portqry's -l log: whether it may replace a file, and the log
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  pq_cli_may_write_log  (const char  *path,
                                 gboolean     overwrite,
                                 gboolean     quiet,
                                 GError     **error);

gboolean  pq_cli_write_log      (const char  *path,
                                 char       **argv,
                                 const char  *text,
                                 GError     **error);

G_END_DECLS
