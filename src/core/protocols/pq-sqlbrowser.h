/* pq-sqlbrowser.h: the SQL Server Browser (MC-SQLR) query to UDP 1434
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_sqlbrowser_codec;

G_END_DECLS
