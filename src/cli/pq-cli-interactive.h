/* pq-cli-interactive.h: portqry -i, PortQry's interactive mode
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-cli-args.h"

G_BEGIN_DECLS

int  pq_cli_interactive_run  (Args  *args);

G_END_DECLS
