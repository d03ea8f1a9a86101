/* pq-kerberos.h: a Kerberos KDC's answer to an AS-REQ without
 * pre-authentication, over UDP and TCP 88
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-probe.h"

G_BEGIN_DECLS

/* The realm asked for when the target is an address or a one-label name:
 * the KDC's reply still tells whether it works and what its clock says. */
#define PQ_KERBEROS_PLACEHOLDER_REALM "WORKGROUP"
/* Where such a target's realm is asked for first (pq-kerberos-realm.c). */
#define PQ_KERBEROS_LDAP_PORT 389

typedef struct _PqKerberosRealmAsk PqKerberosRealmAsk;

extern const PqProbeCodec pq_kerberos_codec;

char       *pq_kerberos_add_clock       (PqProbeFindings *findings,
                                         const char      *kind,
                                         const char      *label,
                                         gint64           unix_us);

PqKerberosRealmAsk *pq_kerberos_realm_ask_new    (guint32              seed);
PqStep      pq_kerberos_realm_ask_step  (PqKerberosRealmAsk  *ask,
                                         const guint8        *in,
                                         gsize                in_len,
                                         gsize               *consumed,
                                         GByteArray          *out);
char       *pq_kerberos_realm_ask_result (PqKerberosRealmAsk  *ask,
                                          const char         **attribute);
void        pq_kerberos_realm_ask_free  (PqKerberosRealmAsk  *ask);

/* Exposed for the tests. */
char       *pq_kerberos_realm_from_root (GPtrArray   *details,
                                         const char **attribute);
char       *pq_kerberos_realm_for_host  (const char *host,
                                         gboolean   *from_name);
const char *pq_kerberos_error_name      (gint64      code);

G_END_DECLS
