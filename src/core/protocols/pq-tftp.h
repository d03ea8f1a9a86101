/* pq-tftp.h: the TFTP read request PortQry's TFTP query stands for, to UDP 69
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_tftp_codec;

G_END_DECLS
