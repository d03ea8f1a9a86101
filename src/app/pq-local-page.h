/* pq-local-page.h: the This Computer page: this computer's TCP and UDP
 * endpoints and their processes, refreshed while shown
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PQ_TYPE_LOCAL_PAGE (pq_local_page_get_type ())
G_DECLARE_FINAL_TYPE (PqLocalPage, pq_local_page, PQ, LOCAL_PAGE, GtkWidget)

GtkWidget   *pq_local_page_new          (void);
gboolean     pq_local_page_refresh      (PqLocalPage *self);
GListModel  *pq_local_page_get_shown    (PqLocalPage *self);
char        *pq_local_page_dup_row_text (PqLocalPage *self,
                                         guint        position);
guint        pq_local_page_get_n_refreshes (PqLocalPage *self);

G_END_DECLS
