/* pq-cli-local.h: portqry -local, -wport and -wpid
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-cli-args.h"

G_BEGIN_DECLS

gboolean  pq_cli_is_local_mode  (Args   *args);
int       pq_cli_local_run      (Args   *args,
                                 char  **argv);

G_END_DECLS
