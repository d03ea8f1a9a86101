/* pq-nbns.h: the NetBIOS node status (NBSTAT) query to UDP 137
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_nbstat_codec;

G_END_DECLS
