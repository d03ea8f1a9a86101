/* pq-rdp.h: RDP's connection negotiation on TCP 3389 (MS-RDPBCGR 2.2.1.1
 * and 2.2.1.2): the security protocol the server chooses, then its TLS
 * certificate (pq-tls.h)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_rdp_codec;

G_END_DECLS
