/* pq-results-rows.c: the rows the results table shows (a GListModel),
 * sorted by the table's sorter and chosen by a match function
 *
 * GTK 4.8's sort and filter list models chained over 65,535 ports took
 * about a second for each switch or keystroke, and a list store's splice
 * of them a tenth; here a sort is one g_ptr_array_sort of every result,
 * a filter one pass over the sorted array (or over the rows shown, when
 * it only narrows), the rows shown are an array this object lists
 * itself, and the table hears one items-changed. Results that arrive
 * during a query are put in their place one by one.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-result.h"
#include "pq-results-rows.h"

struct _PqResultsRows
{
  GObject        parent_instance;

  GListModel    *source;
  GtkSorter     *sorter;
  PqRowsMatch    match;
  gpointer       match_data;
  GType          item_type;
  GPtrArray     *sorted;   /* every result of @source, in the sorter's order */
  GPtrArray     *shown;    /* those that match, what this list model lists */
};

static GType
get_item_type (GListModel *model)
{
  return PQ_RESULTS_ROWS (model)->item_type;
}

static guint
get_n_items (GListModel *model)
{
  return PQ_RESULTS_ROWS (model)->shown->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PqResultsRows *self = PQ_RESULTS_ROWS (model);

  return position < self->shown->len ? g_object_ref (g_ptr_array_index (self->shown, position)) : NULL;
}

static void
pq_results_rows_list_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PqResultsRows, pq_results_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pq_results_rows_list_init))

/* ------------------------------------------------------------------ */
/* The columns' sorters                                                */

static int
compare_results (PqResult *a,
                 PqResult *b,
                 Column    which)
{
  int c = 0;

  switch (which)
    {
    case COLUMN_ADDRESS:
      c = g_strcmp0 (pq_result_get_address (a), pq_result_get_address (b));
      break;
    case COLUMN_PROTOCOL:
      c = (int) pq_result_get_protocol (a) - (int) pq_result_get_protocol (b);
      break;
    case COLUMN_SERVICE:
      c = g_strcmp0 (pq_result_get_service (a), pq_result_get_service (b));
      break;
    case COLUMN_STATUS:
      c = (int) pq_result_get_state (a) - (int) pq_result_get_state (b);
      break;
    case COLUMN_EVIDENCE:
      c = g_strcmp0 (pq_result_get_evidence (a), pq_result_get_evidence (b));
      break;
    case COLUMN_TIME:
      c = (pq_result_get_elapsed_ms (a) > pq_result_get_elapsed_ms (b)) -
          (pq_result_get_elapsed_ms (a) < pq_result_get_elapsed_ms (b));
      break;
    case COLUMN_PORT:
    default:
      break;
    }
  /* Ties (and the port column) in port, protocol, address order. */
  if (c == 0)
    c = (int) pq_result_get_port (a) - (int) pq_result_get_port (b);
  if (c == 0)
    c = (int) pq_result_get_protocol (a) - (int) pq_result_get_protocol (b);
  if (c == 0)
    c = g_strcmp0 (pq_result_get_address (a), pq_result_get_address (b));
  return c;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  if (!PQ_IS_RESULT ((gpointer) a) || !PQ_IS_RESULT ((gpointer) b))
    return GTK_ORDERING_EQUAL;
  return gtk_ordering_from_cmpfunc (compare_results (PQ_RESULT ((gpointer) a), PQ_RESULT ((gpointer) b),
                                                     GPOINTER_TO_INT (data)));
}

void
pq_results_rows_add_sorter (GtkColumnViewColumn *column,
                            Column               which)
{
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (sort_func, GINT_TO_POINTER (which), NULL);

  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
}

/* ------------------------------------------------------------------ */
/* Search                                                              */

/* @folded_needle is casefolded. An ASCII needle (almost every search)
 * is found without copying the text: a keystroke over 65,535 ports must
 * not casefold 400,000 strings. */
gboolean
pq_results_rows_contains (const char *text,
                          const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  /* Digits and dots (a port, an address) have no case: strstr is several
   * times faster than strcasestr over 65,535 evidence sentences. */
  if (strspn (folded_needle, "0123456789.:/-[] ") == strlen (folded_needle))
    return strstr (text, folded_needle) != NULL;
  if (g_str_is_ascii (folded_needle))
    return strcasestr (text, folded_needle) != NULL;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, folded_needle) != NULL;
}

static gboolean
details_match (GListModel *details,
               const char *folded_text)
{
  guint n = details ? g_list_model_get_n_items (details) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) detail = g_list_model_get_item (details, i);

      if (pq_results_rows_contains (pq_detail_get_label (detail), folded_text) ||
          pq_results_rows_contains (pq_detail_get_value (detail), folded_text) ||
          details_match (pq_detail_get_children (detail), folded_text))
        return TRUE;
    }
  return FALSE;
}

/* Whether @folded_text is in @result's protocol, service, evidence,
 * address or findings (the view adds its port and state words). */
gboolean
pq_results_rows_text_matches (PqResult   *result,
                              const char *folded_text)
{
  return pq_results_rows_contains (pq_protocol_to_string (pq_result_get_protocol (result)), folded_text) ||
         pq_results_rows_contains (pq_result_get_service (result), folded_text) ||
         pq_results_rows_contains (pq_result_get_evidence (result), folded_text) ||
         pq_results_rows_contains (pq_result_get_address (result), folded_text) ||
         details_match (pq_result_get_details (result), folded_text);
}

static int
compare_pointers (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  PqResultsRows *self = data;

  return gtk_sorter_compare (self->sorter, *(gpointer *) a, *(gpointer *) b);
}

/* Replaces the rows shown by @rows (taking it) in one items-changed, or
 * none when nothing changed (All chosen twice, a letter that hides no row). */
static void
show_rows (PqResultsRows *self,
           GPtrArray     *rows)
{
  guint n = self->shown->len;

  /* Two empty arrays may have no storage at all: memcmp must not see NULL. */
  if (n == rows->len && (n == 0 || memcmp (self->shown->pdata, rows->pdata, n * sizeof (gpointer)) == 0))
    {
      g_ptr_array_unref (rows);
      return;
    }
  g_ptr_array_unref (self->shown);
  self->shown = rows;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, rows->len);
}

/* Chooses the rows again; @narrower: only rows shown now can match. */
void
pq_results_rows_refilter (PqResultsRows *self,
                          gboolean       narrower)
{
  GPtrArray *from;
  GPtrArray *rows;

  g_return_if_fail (PQ_IS_RESULTS_ROWS (self));

  from = narrower ? self->shown : self->sorted;
  rows = g_ptr_array_new_full (from->len, g_object_unref);
  for (guint i = 0; i < from->len; i++)
    if (self->match (g_ptr_array_index (from, i), self->match_data))
      g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (from, i)));
  show_rows (self, rows);
}

static void
resort (PqResultsRows *self)
{
  g_ptr_array_sort_with_data (self->sorted, compare_pointers, self);
}

static void
rebuild (PqResultsRows *self)
{
  guint n = self->source ? g_list_model_get_n_items (self->source) : 0;

  g_ptr_array_set_size (self->sorted, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->sorted, g_list_model_get_item (self->source, i));
  resort (self);
  pq_results_rows_refilter (self, FALSE);
}

/* Where @item goes in @array (sorted): after its equals, so results of
 * one query keep their order. */
static guint
sorted_position (PqResultsRows *self,
                 GPtrArray     *array,
                 gpointer       item)
{
  guint low = 0, high = array->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (gtk_sorter_compare (self->sorter, g_ptr_array_index (array, mid), item) == GTK_ORDERING_LARGER)
        high = mid;
      else
        low = mid + 1;
    }
  return low;
}

/* Merges @added (sorted) into *@array (sorted), in one pass: a batch of
 * a query costs one copy of the array, not a move per row.
 * Returns: the position of the first row added */
static guint
merge (PqResultsRows  *self,
       GPtrArray     **array,
       GPtrArray      *added)
{
  GPtrArray *old = *array;
  guint first = sorted_position (self, old, g_ptr_array_index (added, 0));
  GPtrArray *merged = g_ptr_array_new_full (old->len + added->len, g_object_unref);
  guint i, j;

  /* The old array's references move to the new one; the added rows
   * get one each. */
  for (i = 0; i < first; i++)
    g_ptr_array_add (merged, g_ptr_array_index (old, i));
  for (j = 0; i < old->len || j < added->len;)
    {
      gboolean take_new = j < added->len &&
                          (i == old->len || gtk_sorter_compare (self->sorter, g_ptr_array_index (old, i),
                                                                g_ptr_array_index (added, j)) == GTK_ORDERING_LARGER);

      g_ptr_array_add (merged, take_new ? g_object_ref (g_ptr_array_index (added, j++))
                                        : g_ptr_array_index (old, i++));
    }
  g_ptr_array_set_free_func (old, NULL);
  g_ptr_array_unref (old);
  *array = merged;
  return first;
}

/* New results (a query's, in batches at their places in its order) go
 * into the sorted array and, when they match, among the rows shown with
 * one items-changed from the first new row on: a query that reports its
 * ports in order touches only the end of the table. Anything else
 * (results removed, a new list) sorts and chooses again. */
static void
source_changed_cb (GListModel    *source,
                   guint          position,
                   guint          removed,
                   guint          added,
                   PqResultsRows *self)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  guint n = self->shown->len;
  guint first;

  if (removed > 0)
    {
      rebuild (self);
      return;
    }
  if (added == 0)
    return;
  for (guint i = position; i < position + added; i++)
    g_ptr_array_add (batch, g_list_model_get_item (source, i));
  g_ptr_array_sort_with_data (batch, compare_pointers, self);
  merge (self, &self->sorted, batch);
  for (guint i = 0; i < batch->len; i++)
    if (self->match (g_ptr_array_index (batch, i), self->match_data))
      g_ptr_array_add (matching, g_ptr_array_index (batch, i));
  if (matching->len == 0)
    return;
  first = merge (self, &self->shown, matching);
  g_list_model_items_changed (G_LIST_MODEL (self), first, n - first, self->shown->len - first);
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   PqResultsRows   *self)
{
  resort (self);
  pq_results_rows_refilter (self, FALSE);
}

/* Shows @source (a list of results; NULL: none). */
void
pq_results_rows_set_source (PqResultsRows *self,
                            GListModel    *source)
{
  g_return_if_fail (PQ_IS_RESULTS_ROWS (self));

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_changed_cb, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect_object (source, "items-changed", G_CALLBACK (source_changed_cb), self, 0);
  rebuild (self);
}

guint
pq_results_rows_get_n_all (PqResultsRows *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_ROWS (self), 0);
  return self->sorted->len;
}

/* Returns: (transfer none): the rows shown, in order: this object */
GListModel *
pq_results_rows_get_shown (PqResultsRows *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_ROWS (self), NULL);
  return G_LIST_MODEL (self);
}

static void
pq_results_rows_dispose (GObject *object)
{
  PqResultsRows *self = PQ_RESULTS_ROWS (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_changed_cb, self);
  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_func (self->sorter, sorter_changed_cb, self);
  g_clear_object (&self->source);
  g_clear_object (&self->sorter);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->sorted, g_ptr_array_unref);
  G_OBJECT_CLASS (pq_results_rows_parent_class)->dispose (object);
}

static void
pq_results_rows_class_init (PqResultsRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pq_results_rows_dispose;
}

static void
pq_results_rows_init (PqResultsRows *self)
{
  self->sorted = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Rows of @item_type, in @sorter's order, those for which @match says so. */
PqResultsRows *
pq_results_rows_new (GType        item_type,
                     GtkSorter   *sorter,
                     PqRowsMatch  match,
                     gpointer     match_data)
{
  PqResultsRows *self = g_object_new (PQ_TYPE_RESULTS_ROWS, NULL);

  self->item_type = item_type;
  self->sorter = g_object_ref (sorter);
  self->match = match;
  self->match_data = match_data;
  g_signal_connect (sorter, "changed", G_CALLBACK (sorter_changed_cb), self);
  return self;
}

static const char *
state_label_translated (PqPortState state)
{
  switch (state)
    {
    case PQ_PORT_STATE_LISTENING:
      return _("LISTENING");
    case PQ_PORT_STATE_NOT_LISTENING:
      return _("NOT LISTENING");
    case PQ_PORT_STATE_FILTERED:
      return _("FILTERED");
    case PQ_PORT_STATE_ERROR:
      /* Translators: a port that could not be queried from this computer */
      return _("ERROR");
    case PQ_PORT_STATE_LISTENING_OR_FILTERED:
    default:
      return _("LISTENING or FILTERED");
    }
}

/* The state as the table, the pane and the search read it. Looked up
 * once: the search asks for it once a row, 65,535 times a keystroke. */
const char *
pq_results_rows_state_label (PqPortState state)
{
  static const char *labels[PQ_N_PORT_STATES];

  if ((guint) state >= PQ_N_PORT_STATES)
    return state_label_translated (state);
  if (labels[state] == NULL)
    labels[state] = state_label_translated (state);
  return labels[state];
}
