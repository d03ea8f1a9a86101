/* pq-services.h: port names from the services file, and the probe each name gets
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-types.h"

G_BEGIN_DECLS

#define PQ_SERVICES_DEFAULT_PATH "/etc/services"

#define PQ_TYPE_SERVICES (pq_services_get_type ())
G_DECLARE_FINAL_TYPE (PqServices, pq_services, PQ, SERVICES, GObject)

PqServices  *pq_services_new_default     (void);
PqServices  *pq_services_new_from_file   (const char  *path,
                                          GError     **error);
PqServices  *pq_services_new_from_data   (const char  *data,
                                          gsize        length);
const char  *pq_services_get_source      (PqServices  *self);
const char  *pq_services_lookup          (PqServices  *self,
                                          guint16      port,
                                          PqProtocol   protocol);
PqProbeKind  pq_services_probe_for       (PqServices  *self,
                                          guint16      port,
                                          PqProtocol   protocol);
PqProbeKind  pq_probe_kind_for_name      (const char  *service);

G_END_DECLS
