/* pq-smb.h: an SMB server's NEGOTIATE answer, on TCP 445 (direct) and
 * 139 (behind a NetBIOS session request)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_smb_codec;
extern const PqProbeCodec pq_smb_netbios_codec;

G_END_DECLS
