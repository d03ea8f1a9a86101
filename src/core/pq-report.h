/* pq-report.h: one query's results with what was asked (the writers are in pq-writers.h)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-result.h"
#include "pq-scan-options.h"
#include "pq-target.h"

G_BEGIN_DECLS

/* Exit codes of portqry, as PortQry's with one for errors added. */
typedef enum
{
  PQ_EXIT_LISTENING     = 0,
  PQ_EXIT_NOT_LISTENING = 1,
  PQ_EXIT_FILTERED      = 2,   /* FILTERED or LISTENING or FILTERED */
  PQ_EXIT_USAGE         = 3,   /* bad arguments */
  PQ_EXIT_ERROR         = 4,   /* name not found, source port in use, ... */
} PqExitCode;

#define PQ_TYPE_REPORT (pq_report_get_type ())
G_DECLARE_FINAL_TYPE (PqReport, pq_report, PQ, REPORT, GObject)

PqReport    *pq_report_new               (PqTarget             *target,
                                          GArray               *ports,
                                          PqProtocols           protocols,
                                          const PqScanOptions  *options,
                                          const char           *services_source);
void         pq_report_set_times         (PqReport             *self,
                                          GDateTime            *started,
                                          GDateTime            *finished,
                                          gboolean              cancelled);
void         pq_report_add_queried_text  (PqReport             *self,
                                          const char           *address,
                                          const char           *reverse_name);
void         pq_report_add_queried       (PqReport             *self,
                                          GInetAddress         *address,
                                          const char           *reverse_name);
void         pq_report_add_result        (PqReport             *self,
                                          PqResult             *result);
void         pq_report_insert_results    (PqReport             *self,
                                          guint                 position,
                                          PqResult            **results,
                                          guint                 n_results);
void         pq_report_finish            (PqReport             *self,
                                          gboolean              cancelled);
GListModel  *pq_report_get_results       (PqReport             *self);
PqExitCode   pq_report_get_exit_code     (PqReport             *self);
char        *pq_report_summary           (PqReport             *self);
char        *pq_summary_for_counts       (const guint           counts[PQ_N_PORT_STATES]);

PqTarget            *pq_report_get_target          (PqReport   *self);
GPtrArray           *pq_report_get_queried         (PqReport   *self);
const char          *pq_report_get_reverse_name    (PqReport   *self,
                                                    guint       index);
GDateTime           *pq_report_get_started         (PqReport   *self);
GDateTime           *pq_report_get_finished        (PqReport   *self);
gboolean             pq_report_get_cancelled       (PqReport   *self);
void                 pq_report_set_no_reverse      (PqReport   *self,
                                                    gboolean    no_reverse);
gboolean             pq_report_get_no_reverse      (PqReport   *self);
const PqScanOptions *pq_report_get_options         (PqReport   *self);
char                *pq_report_get_ports_text      (PqReport   *self);
const char          *pq_report_get_protocols_text  (PqReport   *self);
const char          *pq_report_get_services_source (PqReport   *self);

guint        pq_report_add_target          (PqReport   *self,
                                            PqTarget   *target);
void         pq_report_select_target       (PqReport   *self,
                                            guint       index);
void         pq_report_set_target_error    (PqReport   *self,
                                            guint       index,
                                            const char *message);
guint        pq_report_get_n_targets       (PqReport   *self);
char        *pq_report_dup_hosts_text      (PqReport   *self,
                                            guint       most);
PqTarget    *pq_report_get_nth_target      (PqReport   *self,
                                            guint       index);
const char  *pq_report_get_target_error    (PqReport   *self,
                                            guint       index);
guint        pq_report_get_queried_target  (PqReport   *self,
                                            guint       queried);
PqTarget    *pq_report_get_target_of_address (PqReport   *self,
                                              const char *address);
char        *pq_report_summary_for_address (PqReport   *self,
                                            const char *address);

PqExitCode   pq_exit_code_for_results    (GListModel           *results);
void         pq_count_states             (GListModel           *results,
                                          guint                 counts[PQ_N_PORT_STATES]);

G_END_DECLS
