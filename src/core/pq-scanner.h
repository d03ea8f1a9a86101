/* pq-scanner.h: the scan engine
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-result.h"
#include "pq-scan-options.h"
#include "pq-services.h"
#include "pq-types.h"

G_BEGIN_DECLS

#define PQ_TYPE_SCANNER (pq_scanner_get_type ())
G_DECLARE_FINAL_TYPE (PqScanner, pq_scanner, PQ, SCANNER, GObject)

PqScanner           *pq_scanner_new                 (PqServices           *services,
                                                     const PqScanOptions  *options);
const PqScanOptions *pq_scanner_get_options         (PqScanner            *self);
PqServices          *pq_scanner_get_services        (PqScanner            *self);
guint                pq_scanner_get_effective_window (PqScanner           *self);
void                 pq_scanner_set_community       (PqScanner            *self,
                                                     const char           *community);
void                 pq_scanner_set_host_name       (PqScanner            *self,
                                                     const char           *host_name);
gboolean             pq_scanner_check_source_port   (PqScanner            *self,
                                                     GSocketFamily         family,
                                                     PqProtocols           protocols,
                                                     GError              **error);
void                 pq_scanner_scan_async          (PqScanner            *self,
                                                     GInetAddress         *address,
                                                     guint32               scope_id,
                                                     GArray               *ports,
                                                     PqProtocols           protocols,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean             pq_scanner_scan_finish         (PqScanner            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
