/* pq-writers-private.h: the writers' escaping, shared by them and tested alone
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char  *pq_csv_cell             (const char  *text);
void   pq_html_append_escaped  (GString     *out,
                                const char  *text);
void   pq_append_decimal       (GString     *out,
                                double       value,
                                guint        digits);

G_END_DECLS
