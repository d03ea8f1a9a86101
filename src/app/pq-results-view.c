/* pq-results-view.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-report-text.h"
#include "pq-result.h"
#include "pq-rules.h"
#include "pq-results-view-private.h"

struct _PqResultsView
{
  GtkWidget            parent_instance;

  GtkWidget           *overlay;
  GtkWidget           *empty_page;
  GtkWidget           *no_match_page;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *port_column;
  GtkColumnViewColumn *address_column;
  GtkColumnViewColumn *protocol_column;
  GtkColumnViewColumn *service_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *evidence_column;
  GtkColumnViewColumn *time_column;

  GListModel          *results;
  GtkFilterListModel  *filter_model;
  GtkCustomFilter     *filter;
  GtkTreeListModel    *tree_model;
  GtkSortListModel    *sort_model;
  char                *folded_search;
  gboolean             problems_only;
};

G_DEFINE_FINAL_TYPE (PqResultsView, pq_results_view, GTK_TYPE_WIDGET)

typedef enum
{
  COLUMN_PORT,
  COLUMN_ADDRESS,
  COLUMN_PROTOCOL,
  COLUMN_SERVICE,
  COLUMN_STATUS,
  COLUMN_EVIDENCE,
  COLUMN_TIME,
} Column;

/* ------------------------------------------------------------------ */
/* What a state looks like: never colour alone, always icon and words  */

typedef struct
{
  const char *icon;
  const char *css;
} StateLook;

static const StateLook state_looks[] = {
  [PQ_PORT_STATE_LISTENING] = { "emblem-ok-symbolic", "pq-listening" },
  [PQ_PORT_STATE_NOT_LISTENING] = { "action-unavailable-symbolic", "pq-not-listening" },
  [PQ_PORT_STATE_FILTERED] = { "dialog-warning-symbolic", "pq-filtered" },
  [PQ_PORT_STATE_LISTENING_OR_FILTERED] = { "dialog-question-symbolic", "pq-listening-or-filtered" },
  [PQ_PORT_STATE_ERROR] = { "dialog-error-symbolic", "pq-error" },
};

static const char *
state_label (PqPortState state)
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

/* ------------------------------------------------------------------ */
/* Cells                                                               */

/* Returns: (transfer none): the result or finding of a row; the row
 * keeps it alive while the cell is bound. */
static GObject *
row_item (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GObject *item = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (item != NULL)
    g_object_unref (item);
  return item;
}

static GtkWidget *
new_cell_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  return label;
}

/* Network text may hold control characters: shown cleaned, never as
 * markup. A cut-off text shows whole in its tooltip (query_tooltip_cb). */
static void
set_label_clean (GtkLabel   *label,
                 const char *text)
{
  g_autofree char *clean = pq_text_sanitize (text ? text : "");

  gtk_label_set_text (label, clean);
}

/* One tooltip handler for the whole table: setting a tooltip on each
 * cell asks the X server where the pointer is, every time a row is
 * bound, which stalled the window for seconds when thousands of rows
 * arrived. */
static gboolean
query_tooltip_cb (GtkWidget  *column_view,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  GtkWidget *widget = keyboard ? gtk_root_get_focus (gtk_widget_get_root (column_view))
                               : gtk_widget_pick (column_view, x, y, GTK_PICK_DEFAULT);

  for (; widget != NULL && widget != column_view; widget = gtk_widget_get_parent (widget))
    {
      const char *text = g_object_get_data (G_OBJECT (widget), "pq-tooltip");

      if (text == NULL && GTK_IS_LABEL (widget) &&
          pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
        text = gtk_label_get_text (GTK_LABEL (widget));
      if (text != NULL && *text != '\0')
        {
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  data)
{
  GtkWidget *label = new_cell_label ();

  if (GPOINTER_TO_INT (data) == COLUMN_TIME)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (list_item, label);
}

static char *
format_time (double elapsed_ms)
{
  if (elapsed_ms < 10.0)
    return g_strdup_printf (_("%.1f ms"), elapsed_ms);
  return g_strdup_printf (_("%'.0f ms"), elapsed_ms);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  GObject *item = row_item (list_item);
  g_autofree char *time = NULL;
  PqResult *result;

  if (!PQ_IS_RESULT (item))
    {
      gtk_label_set_text (label, "");
      return;
    }
  result = PQ_RESULT (item);
  switch ((Column) GPOINTER_TO_INT (data))
    {
    case COLUMN_ADDRESS:
      set_label_clean (label, pq_result_get_address (result));
      break;
    case COLUMN_PROTOCOL:
      gtk_label_set_text (label, pq_result_get_protocol (result) == PQ_PROTOCOL_UDP ? "UDP" : "TCP");
      break;
    case COLUMN_SERVICE:
      set_label_clean (label, pq_result_get_service (result));
      break;
    case COLUMN_TIME:
      time = format_time (pq_result_get_elapsed_ms (result));
      gtk_label_set_text (label, time);
      break;
    case COLUMN_PORT:
    case COLUMN_STATUS:
    case COLUMN_EVIDENCE:
    default:
      g_assert_not_reached ();
    }
}

static void
setup_port_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = new_cell_label ();

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_port_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  data)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GtkLabel *label = GTK_LABEL (gtk_tree_expander_get_child (expander));
  GObject *item = row_item (list_item);

  gtk_tree_expander_set_list_row (expander, gtk_list_item_get_item (list_item));
  if (PQ_IS_RESULT (item))
    {
      g_autofree char *port = g_strdup_printf ("%u", pq_result_get_port (PQ_RESULT (item)));

      gtk_label_set_text (label, port);
      gtk_widget_add_css_class (GTK_WIDGET (label), "numeric");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else if (PQ_IS_DETAIL (item))
    {
      set_label_clean (label, pq_detail_get_label (PQ_DETAIL (item)));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "numeric");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
unbind_port_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

static void
setup_status_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* The words next to it say the same: screen readers skip the icon. */
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *label = new_cell_label ();

  gtk_widget_add_css_class (box, "pq-state");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_status_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  GObject *item = row_item (list_item);
  PqPortState state;

  for (guint i = 0; i < G_N_ELEMENTS (state_looks); i++)
    gtk_widget_remove_css_class (box, state_looks[i].css);
  gtk_widget_set_visible (box, PQ_IS_RESULT (item));
  if (!PQ_IS_RESULT (item))
    return;

  state = pq_result_get_state (PQ_RESULT (item));
  g_return_if_fail (state < G_N_ELEMENTS (state_looks));
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), state_looks[state].icon);
  gtk_label_set_text (GTK_LABEL (label), state_label (state));
  g_object_set_data (G_OBJECT (box), "pq-tooltip", (gpointer) pq_state_explain (state));
  gtk_widget_add_css_class (box, state_looks[state].css);
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   data)
{
  const char *value = g_object_get_data (G_OBJECT (button), "pq-value");

  if (value != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), value);
}

static void
setup_evidence_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = new_cell_label ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (copy, "flat");
  g_object_set_data (G_OBJECT (copy), "pq-tooltip", (gpointer) _("Copy the MAC address"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the MAC address"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_evidence_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *copy = gtk_widget_get_last_child (box);
  GObject *item = row_item (list_item);
  gboolean is_mac = FALSE;

  if (PQ_IS_RESULT (item))
    {
      set_label_clean (GTK_LABEL (label), pq_result_get_evidence (PQ_RESULT (item)));
      gtk_widget_remove_css_class (label, "monospace");
    }
  else if (PQ_IS_DETAIL (item))
    {
      const char *value = pq_detail_get_value (PQ_DETAIL (item));

      set_label_clean (GTK_LABEL (label), value);
      is_mac = g_strcmp0 (pq_detail_get_kind (PQ_DETAIL (item)), "mac") == 0 && value != NULL;
      if (is_mac)
        g_object_set_data_full (G_OBJECT (copy), "pq-value", g_strdup (value), g_free);
    }
  gtk_widget_set_visible (copy, is_mac);
}

static void
add_factory (GtkColumnViewColumn *column,
             Column               which,
             GCallback            setup,
             GCallback            bind,
             GCallback            unbind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", bind, GINT_TO_POINTER (which));
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, GINT_TO_POINTER (which));
  gtk_column_view_column_set_factory (column, factory);
}

/* ------------------------------------------------------------------ */
/* Sorting: the ports only; findings stay in the order the service     */
/* gave them, under their port                                         */

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

static void
add_sorter (GtkColumnViewColumn *column,
            Column               which)
{
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (sort_func, GINT_TO_POINTER (which), NULL);

  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
}

/* ------------------------------------------------------------------ */
/* Filtering                                                           */

static gboolean
contains_folded (const char *text,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
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

      if (contains_folded (pq_detail_get_label (detail), folded_text) ||
          contains_folded (pq_detail_get_value (detail), folded_text) ||
          details_match (pq_detail_get_children (detail), folded_text))
        return TRUE;
    }
  return FALSE;
}

/* Whether a result shows: @folded_text (casefolded, may be NULL or empty)
 * is found in its port, protocol, service, state, evidence or findings. */
gboolean
pq_results_view_match (GObject    *item,
                       const char *folded_text,
                       gboolean    problems_only)
{
  PqResult *result;
  g_autofree char *port = NULL;

  if (!PQ_IS_RESULT (item))
    return TRUE;
  result = PQ_RESULT (item);
  if (problems_only && pq_result_get_state (result) == PQ_PORT_STATE_LISTENING)
    return FALSE;
  if (folded_text == NULL || *folded_text == '\0')
    return TRUE;

  port = g_strdup_printf ("%u", pq_result_get_port (result));
  return g_str_has_prefix (port, folded_text) ||
         contains_folded (pq_protocol_to_string (pq_result_get_protocol (result)), folded_text) ||
         contains_folded (pq_result_get_service (result), folded_text) ||
         contains_folded (state_label (pq_result_get_state (result)), folded_text) ||
         contains_folded (pq_result_get_evidence (result), folded_text) ||
         contains_folded (pq_result_get_address (result), folded_text) ||
         details_match (pq_result_get_details (result), folded_text);
}

static gboolean
filter_func (gpointer item,
             gpointer data)
{
  PqResultsView *self = data;

  return pq_results_view_match (item, self->folded_search, self->problems_only);
}

static void
update_page (PqResultsView *self)
{
  gboolean empty = self->results == NULL || g_list_model_get_n_items (self->results) == 0;
  gboolean no_match = !empty && g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;

  gtk_widget_set_visible (self->empty_page, empty);
  gtk_widget_set_visible (self->no_match_page, no_match);
}

static GListModel *
create_children (gpointer item,
                 gpointer data)
{
  GListModel *children = NULL;

  if (PQ_IS_RESULT (item))
    children = pq_result_get_details (item);
  else if (PQ_IS_DETAIL (item))
    children = pq_detail_get_children (item);
  if (children == NULL || g_list_model_get_n_items (children) == 0)
    return NULL;
  return g_object_ref (children);
}

/* ------------------------------------------------------------------ */

static void
pq_results_view_dispose (GObject *object)
{
  PqResultsView *self = PQ_RESULTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_RESULTS_VIEW);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->tree_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->results);
  G_OBJECT_CLASS (pq_results_view_parent_class)->dispose (object);
}

static void
pq_results_view_finalize (GObject *object)
{
  PqResultsView *self = PQ_RESULTS_VIEW (object);

  g_free (self->folded_search);
  G_OBJECT_CLASS (pq_results_view_parent_class)->finalize (object);
}

static void
pq_results_view_class_init (PqResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pq_results_view_dispose;
  object_class->finalize = pq_results_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portquery/PortQuery/ui/pq-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, overlay);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, port_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, address_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, protocol_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, service_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, status_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, evidence_column);
  gtk_widget_class_bind_template_child (widget_class, PqResultsView, time_column);
  gtk_widget_class_set_css_name (widget_class, "pqresultsview");
}

static void
setup_columns (PqResultsView *self)
{
  struct {
    GtkColumnViewColumn *column;
    Column which;
    GCallback setup, bind, unbind;
  } columns[] = {
    { self->port_column, COLUMN_PORT, G_CALLBACK (setup_port_cb), G_CALLBACK (bind_port_cb), G_CALLBACK (unbind_port_cb) },
    { self->address_column, COLUMN_ADDRESS, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL },
    { self->protocol_column, COLUMN_PROTOCOL, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL },
    { self->service_column, COLUMN_SERVICE, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL },
    { self->status_column, COLUMN_STATUS, G_CALLBACK (setup_status_cb), G_CALLBACK (bind_status_cb), NULL },
    { self->evidence_column, COLUMN_EVIDENCE, G_CALLBACK (setup_evidence_cb), G_CALLBACK (bind_evidence_cb), NULL },
    { self->time_column, COLUMN_TIME, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      add_factory (columns[i].column, columns[i].which, columns[i].setup, columns[i].bind, columns[i].unbind);
      add_sorter (columns[i].column, columns[i].which);
    }
}

/* Enter or a double click on a port opens or closes its findings, so
 * they are reachable without aiming at the small arrow. */
static void
on_row_activate (GtkColumnView *column_view,
                 guint          position,
                 PqResultsView *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

/* Right opens the findings of the selected row, Left closes them, as in
 * tree views; the selection follows the keyboard focus. */
static gboolean
expand_selected_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  PqResultsView *self = PQ_RESULTS_VIEW (data);
  GtkSelectionModel *selection = gtk_column_view_get_model (self->column_view);
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (selection));
  gboolean expand = g_variant_get_boolean (args);

  if (row == NULL || !gtk_tree_list_row_is_expandable (row) ||
      gtk_tree_list_row_get_expanded (row) == expand)
    return FALSE;
  gtk_tree_list_row_set_expanded (row, expand);
  return TRUE;
}

static void
add_expand_shortcuts (PqResultsView *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct { guint key; gboolean expand; } keys[] = {
    { GDK_KEY_Right, TRUE }, { GDK_KEY_KP_Right, TRUE }, { GDK_KEY_plus, TRUE },
    { GDK_KEY_Left, FALSE }, { GDK_KEY_KP_Left, FALSE }, { GDK_KEY_minus, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcutAction *action = gtk_callback_action_new (expand_selected_cb, self, NULL);
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0), action);

      gtk_shortcut_set_arguments (shortcut, g_variant_new_boolean (keys[i].expand));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
}

static void
pq_results_view_init (PqResultsView *self)
{
  GtkTreeListRowSorter *row_sorter;
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  setup_columns (self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->column_view), TRUE);
  g_signal_connect (self->column_view, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_row_activate), self);
  add_expand_shortcuts (self);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->tree_model = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              FALSE, FALSE, create_children, NULL, NULL);
  /* The column view's sorter compares items of one level; the row
   * sorter keeps every finding under its port. */
  row_sorter = gtk_tree_list_row_sorter_new (g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->tree_model)),
                                              GTK_SORTER (row_sorter));
  /* Not incremental: GTK 4.8 left rows added in one batch unsorted
   * that way. Appended batches are cheap to merge anyway. */
  gtk_sort_list_model_set_incremental (self->sort_model, FALSE);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_sort_by_column (self->column_view, self->port_column, GTK_SORT_ASCENDING);

  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (update_page),
                           self, G_CONNECT_SWAPPED);
  update_page (self);
}

GtkWidget *
pq_results_view_new (void)
{
  return g_object_new (PQ_TYPE_RESULTS_VIEW, NULL);
}

/* Shows @results (a list of PqResult); NULL empties the view. */
void
pq_results_view_set_results (PqResultsView *self,
                             GListModel    *results)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  if (!g_set_object (&self->results, results))
    return;
  gtk_filter_list_model_set_model (self->filter_model, results);
  update_page (self);
}

void
pq_results_view_set_search_text (PqResultsView *self,
                                 const char    *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  folded = text && *text ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (folded, self->folded_search) == 0)
    return;
  g_free (self->folded_search);
  self->folded_search = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_page (self);
}

void
pq_results_view_set_problems_only (PqResultsView *self,
                                   gboolean       problems_only)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  problems_only = !!problems_only;
  if (problems_only == self->problems_only)
    return;
  self->problems_only = problems_only;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      problems_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
  update_page (self);
}

void
pq_results_view_set_show_address (PqResultsView *self,
                                  gboolean       show_address)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));
  gtk_column_view_column_set_visible (self->address_column, show_address);
}

GtkTreeListModel *
_pq_results_view_get_tree_model (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return self->tree_model;
}

GListModel *
_pq_results_view_get_shown_rows (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}
