/* pq-epm.h: the MS-RPC endpoint mapper (ept_lookup) over TCP and UDP 135
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

/* ept_s_not_registered: the endpoint mapper's "no more entries" */
#define PQ_EPM_NOT_REGISTERED 0x16c9a0d6u

extern const PqProbeCodec pq_epm_tcp_codec;
extern const PqProbeCodec pq_epm_udp_codec;

const char *pq_epm_interface_name (const char *uuid);

G_END_DECLS
