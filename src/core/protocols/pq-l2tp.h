/* pq-l2tp.h: the L2TP SCCRQ PortQry's L2TP query stands for, to UDP 1701
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_l2tp_codec;

G_END_DECLS
