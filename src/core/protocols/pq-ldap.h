/* pq-ldap.h: the root entry of an LDAP server, over TCP and CLDAP (UDP)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

extern const PqProbeCodec pq_ldap_codec;

/* Exposed for the tests: how a server's clock compares with ours. */
gboolean  pq_ldap_parse_time      (const char *text,
                                   gint64     *unix_seconds);
char     *pq_ldap_describe_skew   (gint64      skew_seconds,
                                   gboolean   *too_far);

G_END_DECLS
