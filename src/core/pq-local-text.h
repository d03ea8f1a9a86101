/* pq-local-text.h: PortQry's local-mode layout (-local, -wport, -wpid)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-local.h"

G_BEGIN_DECLS

void   pq_local_text_append_usage      (GString     *out,
                                        GListModel  *endpoints);
void   pq_local_text_append_statistics (GString     *out,
                                        GListModel  *endpoints);
void   pq_local_text_append_mappings   (GString     *out,
                                        GListModel  *endpoints);
void   pq_local_text_append_processes  (GString     *out,
                                        GListModel  *endpoints);
void   pq_local_text_append_hidden     (GString     *out,
                                        guint        n_hidden);
char  *pq_local_table_to_text          (PqLocalTable *table,
                                        gboolean      verbose);

G_END_DECLS
