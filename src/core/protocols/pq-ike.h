/* pq-ike.h: the IKE queries PortQry's ISAKMP query stands for, to UDP 500,
 * and the same behind the non-ESP marker to UDP 4500 (NAT traversal)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_ike_codec;
extern const PqProbeCodec pq_ike_natt_codec;

G_END_DECLS
