/* pq-findings-table.c: a table of findings (the endpoint mapper's
 * endpoints, the NetBIOS name table) as a sortable column view with a
 * filter, its total and copyable rows; the columns and cells come from
 * the core (pq-findings.c), so the HTML report shows the same table
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-findings-table.h"
#include "pq-report-text.h"

struct _PqFindingsTable
{
  GtkWidget           parent_instance;

  PqTable             table;
  GListStore         *rows;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  GtkColumnView      *column_view;
  GtkLabel           *total_label;
  char               *total;
  char               *folded_filter;
};

G_DEFINE_FINAL_TYPE (PqFindingsTable, pq_findings_table, GTK_TYPE_WIDGET)

/* Returns: (transfer full): the cell's text, cleaned of control characters */
static char *
clean_cell (PqFindingsTable *self,
            PqDetail        *row,
            guint            column)
{
  g_autofree char *cell = pq_table_cell (self->table, row, column);

  return pq_text_sanitize (cell);
}

/* GTK 4.8 names rows and cells by their type ("GtkColumnViewCell") for
 * screen readers; their text is what a person hears instead. */
static void
name_ancestors (GtkWidget  *label,
                const char *cell_name,
                const char *row_name)
{
  GtkWidget *cell = gtk_widget_get_parent (label);
  GtkWidget *row = cell ? gtk_widget_get_parent (cell) : NULL;

  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, cell_name, -1);
  if (row != NULL && row_name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, row_name, -1);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  /* Long names and pipes wrap; a UUID or a suffix stays on one line. */
  gtk_label_set_wrap (GTK_LABEL (label), GPOINTER_TO_UINT (data) == 0 || GPOINTER_TO_UINT (data) >= 2);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  data)
{
  PqFindingsTable *self = g_object_get_data (G_OBJECT (factory), "pq-owner");
  guint column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_list_item_get_child (item);
  PqDetail *row = gtk_list_item_get_item (item);
  g_autofree char *text = clean_cell (self, row, column);
  g_autofree char *row_text = NULL;

  gtk_label_set_text (GTK_LABEL (label), text);
  if (column == 0)
    {
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < pq_table_n_columns (self->table); i++)
        {
          g_autofree char *cell = clean_cell (self, row, i);

          if (*cell != '\0')
            g_string_append_printf (joined, "%s%s", joined->len ? ", " : "", cell);
        }
      row_text = g_string_free (g_steal_pointer (&joined), FALSE);
    }
  name_ancestors (label, *text ? text : _("empty"), row_text);
}

static int
compare_cells (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  PqFindingsTable *self = g_object_get_data (G_OBJECT (data), "pq-owner");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "pq-column"));
  g_autofree char *x = pq_table_cell (self->table, PQ_DETAIL ((gpointer) a), column);
  g_autofree char *y = pq_table_cell (self->table, PQ_DETAIL ((gpointer) b), column);

  return gtk_ordering_from_cmpfunc (g_utf8_collate (x, y));
}

/**
 * pq_column_view_add:
 * @owner: what @bind and @compare find as "pq-owner" on the factory and
 *   the sorter (the sorter is @compare's data)
 * @column: the column's number: @setup's and @bind's data, and
 *   "pq-column" on the sorter
 *
 * Appends a resizable column to @view, sorted by @compare.
 */
void
pq_column_view_add (GtkColumnView    *view,
                    gpointer          owner,
                    guint             column,
                    const char       *title,
                    gboolean          expand,
                    GCallback         setup,
                    GCallback         bind,
                    GCompareDataFunc  compare)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkCustomSorter) sorter = NULL;

  g_object_set_data (G_OBJECT (factory), "pq-owner", owner);
  g_signal_connect (factory, "setup", setup, GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", bind, GUINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  /* The sorter finds the table and column it sorts by through itself. */
  sorter = gtk_custom_sorter_new (compare, NULL, NULL);
  gtk_custom_sorter_set_sort_func (sorter, compare, sorter, NULL);
  g_object_set_data (G_OBJECT (sorter), "pq-owner", owner);
  g_object_set_data (G_OBJECT (sorter), "pq-column", GUINT_TO_POINTER (column));
  gtk_column_view_column_set_sorter (view_column, GTK_SORTER (sorter));
  gtk_column_view_append_column (view, view_column);
}

/* The interface (or a name's meaning) and the last column take the
 * width the table is given. */
static void
add_column (PqFindingsTable *self,
            guint            column)
{
  gboolean expand = column == (self->table == PQ_TABLE_ENDPOINTS ? 0u : 2u) ||
                    column + 1 == pq_table_n_columns (self->table);

  pq_column_view_add (self->column_view, self, column, pq_table_title (self->table, column), expand,
                      G_CALLBACK (setup_cb), G_CALLBACK (bind_cb), compare_cells);
}

/* The column headers read as their titles, not as "GtkColumnViewTitle". */
static void
name_headers (PqFindingsTable *self)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));

  pq_findings_table_name_headers (header);
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_label (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
pq_findings_table_name_headers (GtkWidget *header)
{
  for (GtkWidget *title = header ? gtk_widget_get_first_child (header) : NULL; title != NULL;
       title = gtk_widget_get_next_sibling (title))
    {
      GtkWidget *label = first_label (title);

      if (label != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_label_get_text (GTK_LABEL (label)), -1);
    }
  if (header != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Column headers"), -1);
}

/* The focus vfunc of a widget that holds others: GtkWidget's own takes
 * the focus for the widget itself (or says it did), so Tab stopped at
 * the pane's first button. As AdwBin does: the focus child first, then
 * its siblings in the direction asked. */
gboolean
pq_widget_focus_child (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  GtkWidget *focus = gtk_widget_get_focus_child (widget);
  gboolean back = direction == GTK_DIR_TAB_BACKWARD || direction == GTK_DIR_UP || direction == GTK_DIR_LEFT;
  GtkWidget *child;

  if (focus != NULL && gtk_widget_child_focus (focus, direction))
    return TRUE;
  if (focus != NULL)
    child = back ? gtk_widget_get_prev_sibling (focus) : gtk_widget_get_next_sibling (focus);
  else
    child = back ? gtk_widget_get_last_child (widget) : gtk_widget_get_first_child (widget);
  for (; child != NULL; child = back ? gtk_widget_get_prev_sibling (child) : gtk_widget_get_next_sibling (child))
    if (gtk_widget_child_focus (child, direction))
      return TRUE;
  return FALSE;
}

/* GTK 4.8 reads a button with a mnemonic as "_Copy Row Copy Row": its
 * label with the underscore, then the label it is "labelled by". The
 * text alone is what a screen reader should say. */
void
pq_findings_table_name_button (GtkWidget *button)
{
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));
  g_autofree char *name = NULL;

  if (!GTK_IS_LABEL (label))
    return;
  name = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* ------------------------------------------------------------------ */
/* Filter, total, copy                                                 */

static gboolean
filter_func (gpointer item,
             gpointer data)
{
  PqFindingsTable *self = data;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (self->folded_filter == NULL)
    return TRUE;
  text = pq_table_row_text (self->table, item);
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, self->folded_filter) != NULL;
}

static void
update_total (PqFindingsTable *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  g_autofree char *text = NULL;

  if (shown == all)
    text = g_strdup (self->total);
  else
    /* Translators: the table's total ("53 endpoints: 16 TCP, …"), then how many rows the filter shows. */
    text = g_strdup_printf (_("%s; showing %u"), self->total, shown);
  gtk_label_set_text (self->total_label, text);
}

static void
filter_changed_cb (GtkSearchEntry  *entry,
                   PqFindingsTable *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_free (self->folded_filter);
  self->folded_filter = *text ? g_utf8_casefold (text, -1) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_total (self);
}

/* Copies the selected row as tab-separated text: it pastes into a
 * spreadsheet's columns or a ticket. */
static void
copy_row (PqFindingsTable *self)
{
  PqDetail *row = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  text = pq_table_row_text (self->table, row);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static gboolean
copy_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   data)
{
  copy_row (PQ_FINDINGS_TABLE (data));
  return TRUE;
}

static GtkWidget *
build_top (PqFindingsTable *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Row"));
  const char *what = self->table == PQ_TABLE_ENDPOINTS ? _("Filter endpoints") : _("Filter names");

  self->total_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->total_label, 0.0);
  gtk_label_set_wrap (self->total_label, TRUE);
  gtk_label_set_selectable (self->total_label, TRUE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->total_label), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->total_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "heading");
  g_object_set (entry, "placeholder-text", what, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  g_signal_connect (entry, "search-changed", G_CALLBACK (filter_changed_cb), self);
  gtk_widget_set_tooltip_text (copy, _("Copy the selected row (Ctrl+C)"));
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (copy_row), self);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->total_label));
  gtk_box_append (GTK_BOX (top), entry);
  gtk_box_append (GTK_BOX (top), copy);
  pq_findings_table_name_button (copy);
  return top;
}

static void
build_view (PqFindingsTable *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkSortListModel *sorted;

  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->table == PQ_TABLE_ENDPOINTS ? _("Endpoints") : _("NetBIOS names"), -1);
  for (guint i = 0; i < pq_table_n_columns (self->table); i++)
    add_column (self, i);
  name_headers (self);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>c"),
                                                          gtk_callback_action_new (copy_shortcut_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), shortcuts);
}

static void
pq_findings_table_dispose (GObject *object)
{
  PqFindingsTable *self = PQ_FINDINGS_TABLE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (pq_findings_table_parent_class)->dispose (object);
}

static void
pq_findings_table_finalize (GObject *object)
{
  PqFindingsTable *self = PQ_FINDINGS_TABLE (object);

  g_free (self->total);
  g_free (self->folded_filter);
  G_OBJECT_CLASS (pq_findings_table_parent_class)->finalize (object);
}

static void
pq_findings_table_class_init (PqFindingsTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pq_findings_table_dispose;
  object_class->finalize = pq_findings_table_finalize;
  widget_class->focus = pq_widget_focus_child;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pqfindingstable");
}

static void
pq_findings_table_init (PqFindingsTable *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
}

/* A table of @table's rows found in @details (a port's findings). */
GtkWidget *
pq_findings_table_new (PqTable     table,
                       GListModel *details)
{
  PqFindingsTable *self = g_object_new (PQ_TYPE_FINDINGS_TABLE, NULL);
  g_autoptr(GPtrArray) rows = pq_table_rows (table, details);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->table = table;
  self->rows = g_list_store_new (PQ_TYPE_DETAIL);
  g_list_store_splice (self->rows, 0, 0, rows->pdata, rows->len);
  self->total = pq_table_total (table, rows);
  gtk_widget_set_parent (build_top (self), GTK_WIDGET (self));
  build_view (self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->column_view));
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  /* The whole table: the pane around it scrolls. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_widget_set_parent (scroller, GTK_WIDGET (self));
  update_total (self);
  return GTK_WIDGET (self);
}

GtkColumnView *
pq_findings_table_get_view (PqFindingsTable *self)
{
  g_return_val_if_fail (PQ_IS_FINDINGS_TABLE (self), NULL);
  return self->column_view;
}

const char *
pq_findings_table_get_total (PqFindingsTable *self)
{
  g_return_val_if_fail (PQ_IS_FINDINGS_TABLE (self), NULL);
  return gtk_label_get_text (self->total_label);
}
