/* pq-results-view-private.h: what only the tests of the results table use
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-results-view.h"

G_BEGIN_DECLS

/* The rows before sorting and filtering: a test expands a port's
 * findings through it as a click on the arrow would. */
GtkTreeListModel *_pq_results_view_get_tree_model (PqResultsView *self);
/* The rows as shown: sorted, filtered, with the expanded findings. */
GListModel       *_pq_results_view_get_shown_rows (PqResultsView *self);

G_END_DECLS
