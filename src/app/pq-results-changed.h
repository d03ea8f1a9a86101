/* pq-results-changed.h: the badge of a port whose state changed since
 * the run before (Repeat every N seconds)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pq-result.h"

G_BEGIN_DECLS

void  pq_results_mark_changed (PqResult  *result,
                               const char *why);
void  pq_results_show_changed (GtkWidget *status_box,
                               GObject   *item);

G_END_DECLS
