/* pq-row-slots.c: a list's rows as slots that keep their place, so a
 * table shows new rows in the row widgets it has
 *
 * GTK 4.8's list keeps about 200 row widgets around the visible rows;
 * when a filter or a sort replaces the rows (one items-changed from 0),
 * it destroys those whose item went and builds and binds new ones: over
 * 100 ms of a keystroke in a 65,535-port table, with seven cells a row.
 * Here the table's items are slots, position by position: a change of
 * the list puts the new item into each slot already handed out (and the
 * cells bound to it bind again, pq_row_slots_rebind_on_change), and only
 * a change in the number of rows reaches GTK, at the end of the list.
 * A selected item stays selected where it goes (pq_row_slots_keep_selected).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-row-slots.h"

struct _PqRowSlot
{
  GObject  parent_instance;

  gpointer item;   /* a reference */
};

G_DEFINE_FINAL_TYPE (PqRowSlot, pq_row_slot, G_TYPE_OBJECT)

enum { SLOT_CHANGED, N_SLOT_SIGNALS };
static guint slot_signals[N_SLOT_SIGNALS];

static void
pq_row_slot_dispose (GObject *object)
{
  g_clear_object (&PQ_ROW_SLOT (object)->item);
  G_OBJECT_CLASS (pq_row_slot_parent_class)->dispose (object);
}

static void
pq_row_slot_class_init (PqRowSlotClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pq_row_slot_dispose;
  /* The slot holds another item now. */
  slot_signals[SLOT_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pq_row_slot_init (PqRowSlot *self)
{
}

/* Returns: (transfer none) (type GObject): what the slot shows now */
gpointer
pq_row_slot_get_item (PqRowSlot *slot)
{
  g_return_val_if_fail (PQ_IS_ROW_SLOT (slot), NULL);
  return slot->item;
}

static void
slot_set_item (PqRowSlot *slot,
               gpointer   item)
{
  /* item is a new reference */
  if (slot->item == item)
    {
      g_object_unref (item);
      return;
    }
  g_clear_object (&slot->item);
  slot->item = item;
  g_signal_emit (slot, slot_signals[SLOT_CHANGED], 0);
}

/* ------------------------------------------------------------------ */

struct _PqRowSlots
{
  GObject     parent_instance;

  GListModel         *model;
  GPtrArray          *slots;      /* one a position; NULL until asked for */
  GtkSingleSelection *selection;  /* weak: it owns these slots */
};

static GType
get_item_type (GListModel *model)
{
  return PQ_TYPE_ROW_SLOT;
}

static guint
get_n_items (GListModel *model)
{
  return PQ_ROW_SLOTS (model)->slots->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PqRowSlots *self = PQ_ROW_SLOTS (model);
  PqRowSlot *slot;

  if (position >= self->slots->len)
    return NULL;
  slot = g_ptr_array_index (self->slots, position);
  if (slot == NULL)
    {
      slot = g_object_new (PQ_TYPE_ROW_SLOT, NULL);
      slot->item = g_list_model_get_item (self->model, position);
      g_ptr_array_index (self->slots, position) = slot;
    }
  return g_object_ref (slot);
}

static void
pq_row_slots_list_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PqRowSlots, pq_row_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pq_row_slots_list_init))

/* Selects @item (NULL: nothing) where it is now. */
static void
select_item (PqRowSlots *self,
             gpointer    item)
{
  guint n = g_list_model_get_n_items (self->model);
  guint position = gtk_single_selection_get_selected (self->selection);

  /* Rows added after it (a query's next ports) leave it where it is. */
  if (position < n)
    {
      g_autoptr(GObject) at = g_list_model_get_item (self->model, position);

      if (at == item)
        return;
    }
  position = GTK_INVALID_LIST_POSITION;
  for (guint i = 0; item != NULL && i < n && position == GTK_INVALID_LIST_POSITION; i++)
    {
      g_autoptr(GObject) at = g_list_model_get_item (self->model, i);

      if (at == item)
        position = i;
    }
  if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
}

/* The slots from @position on show what the model has there now; only
 * the rows added or removed at the end are news for GTK. */
static void
model_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  PqRowSlots *self)
{
  guint kept = MIN (removed, added);
  g_autoptr(GObject) selected = NULL;

  if (self->selection != NULL)
    g_set_object (&selected, pq_row_slots_unwrap (gtk_single_selection_get_selected_item (self->selection)));

  for (guint i = position; i < position + kept; i++)
    {
      PqRowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot != NULL)
        slot_set_item (slot, g_list_model_get_item (model, i));
    }
  if (removed > added)
    {
      g_ptr_array_remove_range (self->slots, position + added, removed - added);
      g_list_model_items_changed (G_LIST_MODEL (self), position + added, removed - added, 0);
    }
  else if (added > removed)
    {
      guint at = position + removed, more = added - removed, tail = self->slots->len - at;

      /* NULLs at @at, in one move of the tail (set_size adds NULLs). */
      g_ptr_array_set_size (self->slots, self->slots->len + more);
      memmove (self->slots->pdata + at + more, self->slots->pdata + at, tail * sizeof (gpointer));
      memset (self->slots->pdata + at, 0, more * sizeof (gpointer));
      g_list_model_items_changed (G_LIST_MODEL (self), at, 0, added - removed);
    }
  if (selected != NULL)
    select_item (self, selected);
}

static void
pq_row_slots_dispose (GObject *object)
{
  PqRowSlots *self = PQ_ROW_SLOTS (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_weak_pointer (&self->selection);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  G_OBJECT_CLASS (pq_row_slots_parent_class)->dispose (object);
}

static void
pq_row_slots_class_init (PqRowSlotsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pq_row_slots_dispose;
}

static void
free_slot (gpointer slot)
{
  if (slot != NULL)
    g_object_unref (slot);
}

static void
pq_row_slots_init (PqRowSlots *self)
{
  self->slots = g_ptr_array_new_with_free_func (free_slot);
}

/* Slots for the rows of @model, which must not change its item type. */
PqRowSlots *
pq_row_slots_new (GListModel *model)
{
  PqRowSlots *self = g_object_new (PQ_TYPE_ROW_SLOTS, NULL);

  self->model = g_object_ref (model);
  g_ptr_array_set_size (self->slots, g_list_model_get_n_items (model));
  g_signal_connect (model, "items-changed", G_CALLBACK (model_changed_cb), self);
  return self;
}

/* @selection (over these slots) keeps its item selected when the item
 * moves to another slot, as GTK's selection does with its items. */
void
pq_row_slots_keep_selected (PqRowSlots         *self,
                            GtkSingleSelection *selection)
{
  g_return_if_fail (PQ_IS_ROW_SLOTS (self));
  g_set_weak_pointer (&self->selection, selection);
}

/* Returns: (transfer none) (nullable): the item in @slot_or_null */
gpointer
pq_row_slots_unwrap (gpointer slot_or_null)
{
  return PQ_IS_ROW_SLOT (slot_or_null) ? PQ_ROW_SLOT (slot_or_null)->item : NULL;
}

/* ------------------------------------------------------------------ */
/* Cells that bind again                                               */

static void
slot_changed_cb (PqRowSlot   *slot,
                 GtkListItem *list_item)
{
  GtkListItemFactory *factory = g_object_get_data (G_OBJECT (list_item), "pq-slot-factory");

  g_signal_emit_by_name (factory, "bind", list_item);
}

static void
watch_bind_cb (GtkListItemFactory *factory,
               GtkListItem        *list_item)
{
  gpointer slot = gtk_list_item_get_item (list_item);

  if (g_object_get_data (G_OBJECT (list_item), "pq-slot-watched") == slot)
    return;
  g_object_set_data (G_OBJECT (list_item), "pq-slot-factory", factory);
  g_object_set_data (G_OBJECT (list_item), "pq-slot-watched", slot);
  g_signal_connect_object (slot, "changed", G_CALLBACK (slot_changed_cb), list_item, 0);
}

static void
watch_unbind_cb (GtkListItemFactory *factory,
                 GtkListItem        *list_item)
{
  gpointer slot = g_object_get_data (G_OBJECT (list_item), "pq-slot-watched");

  if (slot != NULL)
    g_signal_handlers_disconnect_by_func (slot, slot_changed_cb, list_item);
  g_object_set_data (G_OBJECT (list_item), "pq-slot-watched", NULL);
}

/* Each cell of @factory (a GtkSignalListItemFactory over slots) binds
 * again when its slot gets another item: connect this after the
 * factory's own "bind" and "unbind" handlers, which must do all of their
 * work again when "bind" comes twice. */
void
pq_row_slots_rebind_on_change (GtkListItemFactory *factory)
{
  g_return_if_fail (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));

  g_signal_connect (factory, "bind", G_CALLBACK (watch_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (watch_unbind_cb), NULL);
}
