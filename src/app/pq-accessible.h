/* pq-accessible.h: the names a screen reader reads, set where GTK 4.8
 * would read something else
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  pq_accessible_name_label     (GtkWidget   *widget,
                                    const char  *label);
void  pq_accessible_name_mnemonics (GtkWidget   *widget);
void  pq_accessible_name_dropdown  (GtkDropDown *dropdown,
                                    const char  *name);

void  pq_accessible_name_search    (GtkWidget   *widget,
                                    const char  *entry_name,
                                    const char  *button_name);

G_END_DECLS
