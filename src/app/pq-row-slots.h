/* pq-row-slots.h: a list's rows as slots that keep their place, so a
 * table shows new rows in the row widgets it has
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PQ_TYPE_ROW_SLOT (pq_row_slot_get_type ())
G_DECLARE_FINAL_TYPE (PqRowSlot, pq_row_slot, PQ, ROW_SLOT, GObject)

#define PQ_TYPE_ROW_SLOTS (pq_row_slots_get_type ())
G_DECLARE_FINAL_TYPE (PqRowSlots, pq_row_slots, PQ, ROW_SLOTS, GObject)

gpointer    pq_row_slot_get_item   (PqRowSlot          *slot);

PqRowSlots *pq_row_slots_new       (GListModel         *model);
gpointer    pq_row_slots_unwrap    (gpointer            slot_or_null);
void        pq_row_slots_keep_selected (PqRowSlots         *self,
                                        GtkSingleSelection *selection);
void        pq_row_slots_rebind_on_change (GtkListItemFactory *factory);

G_END_DECLS
