/* pq-findings-pane.h: one port's evidence and findings, in their shape
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-findings.h"

G_BEGIN_DECLS

#define PQ_TYPE_FINDINGS_PANE (pq_findings_pane_get_type ())
G_DECLARE_FINAL_TYPE (PqFindingsPane, pq_findings_pane, PQ, FINDINGS_PANE, GtkWidget)

GtkWidget *pq_findings_pane_new        (void);
void       pq_findings_pane_set_result (PqFindingsPane *self,
                                        PqResult       *result,
                                        const char     *state);
PqResult  *pq_findings_pane_get_result (PqFindingsPane *self);
GtkWidget *pq_findings_pane_get_trace  (PqFindingsPane *self);
void       pq_findings_pane_close      (PqFindingsPane *self);
char      *pq_findings_pane_describe   (PqResult       *result,
                                        const char     *state);
GtkWidget *pq_findings_text_label      (const char     *text,
                                        const char     *css);

G_END_DECLS
