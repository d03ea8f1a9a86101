/* pq-ports.h: port lists as PortQry and PortQryUI take them
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pq-types.h"

G_BEGIN_DECLS

/* Longer input than this is a mistake (a pasted file, say), not a port list. */
#define PQ_PORTS_MAX_INPUT 4096

GArray   *pq_ports_parse           (const char   *text,
                                    GError      **error);
GArray   *pq_ports_parse_range     (const char   *text,
                                    GError      **error);
gboolean  pq_protocols_parse       (const char   *text,
                                    PqProtocols  *protocols,
                                    GError      **error);
char     *pq_ports_to_string       (GArray       *ports);

G_END_DECLS
