/* pq-results-view-private.h: what only the tests of the results table use
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-findings-pane.h"
#include "pq-results-view.h"

G_BEGIN_DECLS

/* The rows as shown: sorted and filtered. */
GListModel       *_pq_results_view_get_shown_rows (PqResultsView *self);
/* The pane that shows the open port's findings. */
PqFindingsPane   *_pq_results_view_get_pane       (PqResultsView *self);

G_END_DECLS
