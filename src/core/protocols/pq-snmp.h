/* pq-snmp.h: the system group of an SNMP agent (v1, then v2c)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_snmp_codec;

/* Exposed for the tests: "1 day, 2 hours, 3 minutes" and the like. */
char *pq_snmp_format_timeticks (guint64 ticks);

G_END_DECLS
