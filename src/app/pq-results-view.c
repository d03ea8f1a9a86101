/* pq-results-view.c: the ports as a flat, sortable table; a port's row
 * opens (Enter, Right, plus, its arrow) the pane below the table with
 * its evidence and findings; All, Listening or Problems and a search
 * choose the rows, and the line above the table says how many show
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <malloc.h>
#include <string.h>

#include "pq-findings-pane.h"
#include "pq-findings-table.h"
#include "pq-report-text.h"
#include "pq-results-hosts.h"
#include "pq-results-changed.h"
#include "pq-results-rows.h"
#include "pq-result.h"
#include "pq-row-slots.h"
#include "pq-rules.h"
#include "pq-results-view-private.h"

struct _PqResultsView
{
  GtkWidget            parent_instance;

  GtkWidget           *overlay;
  GtkPaned            *paned;
  GtkWidget           *pane_box;
  PqFindingsPane      *pane;
  GtkLabel            *shown_label;
  GtkToggleButton     *all_button;
  GtkToggleButton     *listening_button;
  GtkToggleButton     *problems_button;
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
  PqResultsRows       *rows;
  PqResultsHosts      *hosts;        /* the Host column (pq-results-hosts.c) */
  PqRowSlots          *slots;        /* the rows, in widgets kept (pq-row-slots.c) */
  GtkSingleSelection  *selection;
  GPtrArray           *openers;      /* the arrows of the rows on screen */
  PqResult            *open_result;  /* the port the pane shows, or NULL */
  char                *folded_search;
  PqShowMode           show;
};

G_DEFINE_FINAL_TYPE (PqResultsView, pq_results_view, GTK_TYPE_WIDGET)

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

/* ------------------------------------------------------------------ */
/* Cells                                                               */

/* Returns: (transfer none): the result of a row */
static GObject *
row_item (GtkListItem *list_item)
{
  return pq_row_slots_unwrap (gtk_list_item_get_item (list_item));
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
opener_toggled_cb (GtkToggleButton *opener,
                   PqResultsView   *self)
{
  PqResult *result = g_object_get_data (G_OBJECT (opener), "pq-result");
  gboolean open = gtk_toggle_button_get_active (opener);

  if (result == NULL || open == (self->open_result == result))
    return;
  if (open)
    pq_results_view_open (self, result);
  else
    pq_results_view_close (self);
}

/* GTK 4.8 destroys row widgets without "teardown" when the list goes;
 * a weak reference keeps the list of arrows true. */
static void
opener_gone_cb (gpointer  data,
                GObject  *opener)
{
  PqResultsView *self = data;

  g_ptr_array_remove_fast (self->openers, opener);
}

/* The port and its arrow: the arrow is a toggle named for its port, so
 * a screen reader says "Show findings for TCP 135", pressed or not
 * (pq_results_hosts_name_opener). */
static void
setup_port_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  PqResultsView *self = g_object_get_data (G_OBJECT (factory), "pq-view");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *opener = gtk_toggle_button_new ();
  GtkWidget *label = new_cell_label ();

  gtk_button_set_icon_name (GTK_BUTTON (opener), "pan-end-symbolic");
  gtk_widget_add_css_class (opener, "flat");
  gtk_widget_add_css_class (opener, "pq-opener");
  /* Tab goes past the rows, not through each arrow; the keys open them. */
  gtk_widget_set_focusable (opener, FALSE);
  gtk_widget_add_css_class (label, "numeric");
  g_signal_connect (opener, "toggled", G_CALLBACK (opener_toggled_cb), self);
  g_ptr_array_add (self->openers, opener);
  g_object_weak_ref (G_OBJECT (opener), opener_gone_cb, self);
  gtk_box_append (GTK_BOX (box), opener);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
show_opener (PqResultsView   *self,
             GtkToggleButton *opener)
{
  gboolean open = self->open_result != NULL &&
                  g_object_get_data (G_OBJECT (opener), "pq-result") == self->open_result;

  g_signal_handlers_block_by_func (opener, opener_toggled_cb, self);
  gtk_toggle_button_set_active (opener, open);
  g_signal_handlers_unblock_by_func (opener, opener_toggled_cb, self);
  gtk_button_set_icon_name (GTK_BUTTON (opener), open ? "pan-down-symbolic" : "pan-end-symbolic");
}

/* GTK 4.8 has no accessible label for list items: the row widget (the
 * cell's parent) is named here, "TCP 135 epmap, listening", host first of several. */
static void
name_row (GtkWidget      *box,
          PqResult       *result,
          PqResultsHosts *hosts)
{
  GtkWidget *cell = gtk_widget_get_parent (box);
  GtkWidget *row = cell ? gtk_widget_get_parent (cell) : NULL;
  g_autofree char *port = pq_findings_pane_describe (result, pq_results_rows_state_label (pq_result_get_state (result)));
  g_autofree char *name = pq_results_hosts_name_row (hosts, result, port);
  g_autofree char *opener = pq_results_hosts_name_opener (hosts, result);

  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (box)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, opener, -1);
  if (row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
bind_port_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  data)
{
  PqResultsView *self = g_object_get_data (G_OBJECT (factory), "pq-view");
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *opener = gtk_widget_get_first_child (box);
  PqResult *result = PQ_RESULT (row_item (list_item));
  char port[8];

  g_snprintf (port, sizeof port, "%u", pq_result_get_port (result));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), port);
  g_object_set_data (G_OBJECT (opener), "pq-result", result);
  show_opener (self, GTK_TOGGLE_BUTTON (opener));
  name_row (box, result, self->hosts);
}

static void
unbind_port_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);

  g_object_set_data (G_OBJECT (gtk_widget_get_first_child (box)), "pq-result", NULL);
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
  pq_results_show_changed (box, item);
  if (!PQ_IS_RESULT (item))
    return;

  state = pq_result_get_state (PQ_RESULT (item));
  g_return_if_fail (state < G_N_ELEMENTS (state_looks));
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), state_looks[state].icon);
  gtk_label_set_text (GTK_LABEL (label), pq_results_rows_state_label (state));
  g_object_set_data (G_OBJECT (box), "pq-tooltip", (gpointer) pq_state_explain (state));
  gtk_widget_add_css_class (box, state_looks[state].css);
}

static void
bind_evidence_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  data)
{
  set_label_clean (GTK_LABEL (gtk_list_item_get_child (list_item)),
                   pq_result_get_evidence (PQ_RESULT (row_item (list_item))));
}

static void
add_factory (PqResultsView       *self,
             GtkColumnViewColumn *column,
             Column               which,
             GCallback            setup,
             GCallback            bind,
             GCallback            unbind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "pq-view", self);
  g_signal_connect (factory, "setup", setup, GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", bind, GINT_TO_POINTER (which));
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, GINT_TO_POINTER (which));
  pq_row_slots_rebind_on_change (factory);
  gtk_column_view_column_set_factory (column, factory);
}

/* ------------------------------------------------------------------ */
/* Filtering                                                           */

/* Whether a result shows: @folded_text (casefolded, may be NULL or empty)
 * is found in its port, protocol, service, state, evidence or findings. */
gboolean
pq_results_view_match (GObject    *item,
                       const char *folded_text,
                       PqShowMode  show)
{
  PqResult *result;
  gboolean listening;
  char port[8];

  if (!PQ_IS_RESULT (item))
    return TRUE;
  result = PQ_RESULT (item);
  listening = pq_result_get_state (result) == PQ_PORT_STATE_LISTENING;
  if ((show == PQ_SHOW_PROBLEMS && listening) || (show == PQ_SHOW_LISTENING && !listening))
    return FALSE;
  if (folded_text == NULL || *folded_text == '\0')
    return TRUE;

  /* Only a digit can begin a port number: no formatting for words. */
  if (g_ascii_isdigit (*folded_text))
    {
      g_snprintf (port, sizeof port, "%u", pq_result_get_port (result));
      if (g_str_has_prefix (port, folded_text))
        return TRUE;
    }
  return pq_results_rows_contains (pq_results_rows_state_label (pq_result_get_state (result)), folded_text) ||
         pq_results_rows_text_matches (result, folded_text);
}

static gboolean
filter_func (gpointer item,
             gpointer data)
{
  PqResultsView *self = data;

  return pq_results_view_match (item, self->folded_search, self->show) ||
         pq_results_hosts_matches (self->hosts, item, self->folded_search, self->show);
}

/* "Showing 9 of 65,535 ports", in the locale's digits and separators. */
static void
update_page (PqResultsView *self)
{
  guint all = pq_results_rows_get_n_all (self->rows);
  guint shown = g_list_model_get_n_items (pq_results_rows_get_shown (self->rows));
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->empty_page, all == 0);
  gtk_widget_set_visible (self->no_match_page, all > 0 && shown == 0);
  /* Before any port there is nothing to count: "all 0 ports" reads oddly. */
  if (all == 0)
    text = g_strdup ("");
  else if (shown == all)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Showing %'u port", "Showing all %'u ports", all), all);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Showing %'u of %'u port", "Showing %'u of %'u ports", all),
                            shown, all);
  gtk_label_set_text (self->shown_label, text);
}

/* ------------------------------------------------------------------ */
/* The pane                                                            */

static void
update_openers (PqResultsView *self)
{
  for (guint i = 0; i < self->openers->len; i++)
    show_opener (self, g_ptr_array_index (self->openers, i));
}

/* Opens @result's evidence and findings in the pane under the table. */
void
pq_results_view_open (PqResultsView *self,
                      PqResult      *result)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));
  g_return_if_fail (PQ_IS_RESULT (result));

  /* First opened: the table keeps the height of its rows, at most half;
   * the pane gets the rest. */
  if (!gtk_widget_get_visible (self->pane_box))
    {
      int rows_height = 0;

      gtk_widget_measure (GTK_WIDGET (self->column_view), GTK_ORIENTATION_VERTICAL, -1,
                          NULL, &rows_height, NULL, NULL);
      gtk_paned_set_position (self->paned, MIN (rows_height + 2,
                                                gtk_widget_get_height (GTK_WIDGET (self->paned)) / 2));
    }
  g_set_object (&self->open_result, result);
  pq_findings_pane_set_result (self->pane, result, pq_results_rows_state_label (pq_result_get_state (result)));
  gtk_widget_set_visible (self->pane_box, TRUE);
  update_openers (self);
}

void
pq_results_view_close (PqResultsView *self)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  if (self->open_result == NULL)
    return;
  g_clear_object (&self->open_result);
  gtk_widget_set_visible (self->pane_box, FALSE);
  update_openers (self);
}

/* Returns: (transfer none) (nullable): the port the pane shows */
PqResult *
pq_results_view_get_open (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return self->open_result;
}

/* An open pane follows the selection, as a list beside its details does. */
static void
selection_changed_cb (PqResultsView *self)
{
  PqResult *selected = pq_row_slots_unwrap (gtk_single_selection_get_selected_item (self->selection));

  if (self->open_result != NULL && selected != NULL && selected != self->open_result)
    pq_results_view_open (self, selected);
}

static void
pane_close_cb (PqResultsView *self)
{
  pq_results_view_close (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* ------------------------------------------------------------------ */
/* Keys: Enter toggles, Right and plus open, Left and minus close      */

static void
on_row_activate (GtkColumnView *column_view,
                 guint          position,
                 PqResultsView *self)
{
  g_autoptr(PqResult) result = g_list_model_get_item (pq_results_rows_get_shown (self->rows), position);

  if (result == NULL)
    return;
  if (self->open_result == result)
    pq_results_view_close (self);
  else
    pq_results_view_open (self, result);
}

static gboolean
expand_selected_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  PqResultsView *self = PQ_RESULTS_VIEW (data);
  PqResult *selected = pq_row_slots_unwrap (gtk_single_selection_get_selected_item (self->selection));
  gboolean open = g_variant_get_boolean (args);

  if (selected == NULL || (self->open_result == selected) == open)
    return FALSE;
  if (open)
    pq_results_view_open (self, selected);
  else
    pq_results_view_close (self);
  return TRUE;
}

static gboolean
restore_focusable_cb (gpointer data)
{
  gtk_widget_set_can_focus (GTK_WIDGET (data), TRUE);
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* Tab and Shift+Tab leave the table in one step (GTK 4.8 walks every
 * row): forward into the open pane, else past the table, as if the table
 * were one control. */
static gboolean
tab_cb (GtkWidget *widget,
        GVariant  *args,
        gpointer   data)
{
  PqResultsView *self = PQ_RESULTS_VIEW (data);
  GtkDirectionType direction = g_variant_get_boolean (args) ? GTK_DIR_TAB_FORWARD : GTK_DIR_TAB_BACKWARD;
  GtkWidget *view = GTK_WIDGET (self->column_view);

  if (direction == GTK_DIR_TAB_FORWARD && gtk_widget_get_visible (self->pane_box) &&
      gtk_widget_child_focus (GTK_WIDGET (self->pane), direction))
    return TRUE;
  gtk_widget_set_can_focus (view, FALSE);
  g_signal_emit_by_name (gtk_widget_get_root (view), "move-focus", direction);
  g_idle_add (restore_focusable_cb, g_object_ref (view));
  return TRUE;
}

static void
add_tab_shortcuts (GtkEventController *controller,
                   GtkShortcutFunc     callback,
                   gpointer            data)
{
  static const struct { guint key; GdkModifierType mods; gboolean forward; } keys[] = {
    { GDK_KEY_Tab, 0, TRUE }, { GDK_KEY_KP_Tab, 0, TRUE },
    { GDK_KEY_Tab, GDK_SHIFT_MASK, FALSE }, { GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, FALSE },
    { GDK_KEY_ISO_Left_Tab, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                gtk_callback_action_new (callback, data, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_boolean (keys[i].forward));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
}

/* In the capture phase: GTK 4.8's list takes Left and Right for itself
 * (and does nothing with them) before they bubble up to the table. */
static void
add_expand_shortcuts (PqResultsView *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct { guint key; gboolean open; } keys[] = {
    { GDK_KEY_Right, TRUE }, { GDK_KEY_KP_Right, TRUE }, { GDK_KEY_plus, TRUE }, { GDK_KEY_KP_Add, TRUE },
    { GDK_KEY_Left, FALSE }, { GDK_KEY_KP_Left, FALSE }, { GDK_KEY_minus, FALSE }, { GDK_KEY_KP_Subtract, FALSE },
  };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcutAction *action = gtk_callback_action_new (expand_selected_cb, self, NULL);
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0), action);

      gtk_shortcut_set_arguments (shortcut, g_variant_new_boolean (keys[i].open));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_tab_shortcuts (controller, tab_cb, self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

}

/* ------------------------------------------------------------------ */
/* All, Listening, Problems                                            */

static void
show_toggled_cb (GtkToggleButton *button,
                 PqResultsView   *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->listening_button)
    pq_results_view_set_show (self, PQ_SHOW_LISTENING);
  else if (button == self->problems_button)
    pq_results_view_set_show (self, PQ_SHOW_PROBLEMS);
  else
    pq_results_view_set_show (self, PQ_SHOW_ALL);
}

/* ------------------------------------------------------------------ */

static void
pq_results_view_dispose (GObject *object)
{
  PqResultsView *self = PQ_RESULTS_VIEW (object);
  GtkWidget *child;

  if (self->rows != NULL)
    g_signal_handlers_disconnect_by_data (pq_results_rows_get_shown (self->rows), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_RESULTS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->rows);
  g_clear_object (&self->hosts);
  g_clear_object (&self->results);
  g_clear_object (&self->open_result);
  for (guint i = 0; self->openers != NULL && i < self->openers->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->openers, i), opener_gone_cb, self);
  g_clear_pointer (&self->openers, g_ptr_array_unref);
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

  g_type_ensure (PQ_TYPE_FINDINGS_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portquery/PortQuery/ui/pq-results-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqResultsView, name)
  BIND (overlay);
  BIND (paned);
  BIND (pane_box);
  BIND (pane);
  BIND (shown_label);
  BIND (all_button);
  BIND (listening_button);
  BIND (problems_button);
  BIND (empty_page);
  BIND (no_match_page);
  BIND (column_view);
  BIND (port_column);
  BIND (address_column);
  BIND (protocol_column);
  BIND (service_column);
  BIND (status_column);
  BIND (evidence_column);
  BIND (time_column);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, show_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pane_close_cb);
  widget_class->focus = pq_widget_focus_child;
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
    { self->evidence_column, COLUMN_EVIDENCE, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_evidence_cb), NULL },
    { self->time_column, COLUMN_TIME, G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      add_factory (self, columns[i].column, columns[i].which, columns[i].setup, columns[i].bind, columns[i].unbind);
      pq_results_rows_add_sorter (columns[i].column, columns[i].which);
    }
  pq_findings_table_name_headers (gtk_widget_get_first_child (GTK_WIDGET (self->column_view)));
}

/* Results → sort (the clicked column) → filter (show, search) → slots
 * → selection: flat, so 65,535 ports cost a row widget each on screen
 * only, sorting compares results, not tree rows, a keystroke or the
 * switch filters without sorting again, and the rows on screen keep
 * their widgets (pq-row-slots.c). */
static void
pq_results_view_init (PqResultsView *self)
{
  self->openers = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pq_findings_table_name_button (GTK_WIDGET (self->all_button));
  pq_findings_table_name_button (GTK_WIDGET (self->listening_button));
  pq_findings_table_name_button (GTK_WIDGET (self->problems_button));
  setup_columns (self);
  self->hosts = pq_results_hosts_new (self->column_view);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->column_view), TRUE);
  g_signal_connect (self->column_view, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_row_activate), self);
  add_expand_shortcuts (self);

  self->rows = pq_results_rows_new (PQ_TYPE_RESULT, gtk_column_view_get_sorter (self->column_view),
                                    filter_func, self);
  self->slots = pq_row_slots_new (pq_results_rows_get_shown (self->rows));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  pq_row_slots_keep_selected (self->slots, self->selection);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->port_column, GTK_SORT_ASCENDING);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pq_results_rows_get_shown (self->rows), "items-changed", G_CALLBACK (update_page),
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
  pq_results_view_close (self);
  pq_results_rows_set_source (self->rows, results);
  update_page (self);
  /* New results follow a report read (its parse tree just freed) or a
   * new query (the last one's results going): give that memory back. */
  malloc_trim (0);
}

void
pq_results_view_set_search_text (PqResultsView *self,
                                 const char    *text)
{
  g_autofree char *folded = NULL;
  GtkFilterChange change;

  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  folded = text && *text ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (folded, self->folded_search) == 0)
    return;
  /* A letter typed at the end only narrows: the filter looks again at
   * the rows shown, not at every port. */
  change = self->folded_search == NULL ? GTK_FILTER_CHANGE_MORE_STRICT
         : folded == NULL ? GTK_FILTER_CHANGE_LESS_STRICT
         : strstr (folded, self->folded_search) != NULL ? GTK_FILTER_CHANGE_MORE_STRICT
         : strstr (self->folded_search, folded) != NULL ? GTK_FILTER_CHANGE_LESS_STRICT
         : GTK_FILTER_CHANGE_DIFFERENT;
  g_free (self->folded_search);
  self->folded_search = g_steal_pointer (&folded);
  pq_results_rows_refilter (self->rows, change == GTK_FILTER_CHANGE_MORE_STRICT);
  update_page (self);
}

void
pq_results_view_set_show (PqResultsView *self,
                          PqShowMode     show)
{
  GtkToggleButton *button;
  PqShowMode old;

  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));

  button = show == PQ_SHOW_LISTENING ? self->listening_button
         : show == PQ_SHOW_PROBLEMS ? self->problems_button : self->all_button;
  gtk_toggle_button_set_active (button, TRUE);
  if (show == self->show)
    return;
  old = self->show;
  self->show = show;
  pq_results_rows_refilter (self->rows, self->show == PQ_SHOW_ALL ? FALSE : old == PQ_SHOW_ALL);
  update_page (self);
}

PqShowMode
pq_results_view_get_show (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), PQ_SHOW_ALL);
  return self->show;
}

void
pq_results_view_set_show_address (PqResultsView *self,
                                  gboolean       show_address)
{
  g_return_if_fail (PQ_IS_RESULTS_VIEW (self));
  gtk_column_view_column_set_visible (self->address_column, show_address);
}

/* Returns: (transfer none): which host each row belongs to */
PqResultsHosts *
pq_results_view_get_hosts (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return self->hosts;
}

GListModel *
_pq_results_view_get_shown_rows (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return pq_results_rows_get_shown (self->rows);
}

PqFindingsPane *
_pq_results_view_get_pane (PqResultsView *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_VIEW (self), NULL);
  return self->pane;
}
