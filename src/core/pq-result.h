/* pq-result.h: the outcome of one port on one address, with its evidence
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-detail.h"
#include "pq-types.h"

G_BEGIN_DECLS

typedef struct _PqTrace PqTrace;

#define PQ_TYPE_RESULT (pq_result_get_type ())
G_DECLARE_FINAL_TYPE (PqResult, pq_result, PQ, RESULT, GObject)

PqResult     *pq_result_new                (const char   *address,
                                            guint16       port,
                                            PqProtocol    protocol);
const char   *pq_result_get_address        (PqResult     *self);
guint16       pq_result_get_port           (PqResult     *self);
PqProtocol    pq_result_get_protocol       (PqResult     *self);
PqPortState   pq_result_get_state          (PqResult     *self);
PqReason      pq_result_get_reason         (PqResult     *self);
const char   *pq_result_get_service        (PqResult     *self);
PqProbeKind   pq_result_get_probe          (PqResult     *self);
const char   *pq_result_get_evidence       (PqResult     *self);
guint         pq_result_get_tries          (PqResult     *self);
double        pq_result_get_elapsed_ms     (PqResult     *self);
const char   *pq_result_get_local_address  (PqResult     *self);
const char   *pq_result_get_reply_from     (PqResult     *self);
int           pq_result_get_icmp_type      (PqResult     *self);
int           pq_result_get_icmp_code      (PqResult     *self);
guint         pq_result_get_bytes_received (PqResult     *self);
GListModel   *pq_result_get_details        (PqResult     *self);

/* For the scanner and the report reader, before the result is shared. */
void          pq_result_set_state          (PqResult     *self,
                                            PqPortState   state,
                                            PqReason      reason);
void          pq_result_set_service        (PqResult     *self,
                                            const char   *service,
                                            PqProbeKind   probe);
void          pq_result_set_evidence       (PqResult     *self,
                                            const char   *evidence);
void          pq_result_set_timing         (PqResult     *self,
                                            guint         tries,
                                            double        elapsed_ms);
void          pq_result_set_local_address  (PqResult     *self,
                                            const char   *local_address);
void          pq_result_set_reply          (PqResult     *self,
                                            const char   *reply_from,
                                            int           icmp_type,
                                            int           icmp_code,
                                            guint         bytes_received);
void          pq_result_add_detail         (PqResult     *self,
                                            PqDetail     *detail);
PqTrace      *pq_result_get_trace          (PqResult     *self);
void          pq_result_set_trace          (PqResult     *self,
                                            PqTrace      *trace);

G_END_DECLS
