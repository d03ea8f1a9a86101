/* pq-banner.h: greetings of mail and FTP servers, and HTTP's status line
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_smtp_codec;
extern const PqProbeCodec pq_pop3_codec;
extern const PqProbeCodec pq_imap_codec;
extern const PqProbeCodec pq_ftp_codec;
extern const PqProbeCodec pq_http_codec;

G_END_DECLS
