/* pq-cli-log.h: whether portqry may replace an existing log file
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

G_END_DECLS
