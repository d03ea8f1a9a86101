/* pq-target-list.h: several hosts typed at once: names, addresses, CIDR
 * blocks and last-octet ranges
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-target.h"

G_BEGIN_DECLS

/* The most hosts one query takes: a /20 of IPv4. */
#define PQ_MAX_TARGETS 4096

gboolean   pq_target_list_append  (GPtrArray    *targets,
                                   const char   *text,
                                   GError      **error);

G_END_DECLS
