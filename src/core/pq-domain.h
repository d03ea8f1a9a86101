/* pq-domain.h: a domain's controllers, as DNS names them (SRV records)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char      *pq_domain_srv_name        (const char           *domain);
void       pq_domain_lookup_async    (const char           *domain,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GPtrArray *pq_domain_lookup_finish   (GAsyncResult         *result,
                                      GError              **error);
char      *pq_domain_describe        (const char           *domain,
                                      GPtrArray            *controllers);

G_END_DECLS
