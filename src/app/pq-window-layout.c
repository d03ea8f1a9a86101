/* pq-window-layout.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form's layout for the window's width, and the names a screen
 * reader reads for its controls (pq-accessible.c), and Tab through the
 * results in one step.
 *
 * libadwaita 1.2 has no AdwBreakpoint: the window measures its own
 * width after each allocation and, when it crosses a threshold, moves
 * the form's cells in its grid (once the allocation is over). Wide, the
 * Query button sits beside the host; medium, under the form; narrow,
 * each label above its field, the header bar's buttons as icons. The
 * form sits in a scrolled window that does not ask for the form's
 * width, so the window can be made narrower than the current layout and
 * the next one takes over; in the layout for its width no field is
 * given less than its content needs (the window test measures it).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-accessible.h"
#include "pq-window-private.h"

typedef enum
{
  LAYOUT_WIDE,
  LAYOUT_MEDIUM,
  LAYOUT_NARROW,
  N_LAYOUTS
} Layout;

/* Below these widths (of the window, in pixels) the next layout. */
#define MEDIUM_BELOW 820
#define NARROW_BELOW 540

typedef struct
{
  const char *name;  /* the template child */
  struct { int column, row, span; } at[N_LAYOUTS];
} Cell;

static const Cell cells[] = {
  { "target_label",      { { 0, 0, 1 }, { 0, 0, 1 }, { 0, 0, 1 } } },
  { "target_box",        { { 1, 0, 1 }, { 1, 0, 2 }, { 0, 1, 1 } } },
  { "query_box",         { { 2, 0, 1 }, { 1, 6, 2 }, { 0, 9, 1 } } },
  { "target_error",      { { 1, 1, 2 }, { 1, 1, 2 }, { 0, 2, 1 } } },
  { "check_radio",       { { 0, 2, 1 }, { 0, 2, 1 }, { 0, 3, 1 } } },
  { "check_box",         { { 1, 2, 1 }, { 1, 2, 2 }, { 0, 4, 1 } } },
  { "check_ports_label", { { 1, 3, 2 }, { 1, 3, 2 }, { 0, 5, 1 } } },
  { "ports_radio",       { { 0, 4, 1 }, { 0, 4, 1 }, { 0, 6, 1 } } },
  { "ports_box",         { { 1, 4, 1 }, { 1, 4, 2 }, { 0, 7, 1 } } },
  { "ports_error",       { { 1, 5, 2 }, { 1, 5, 2 }, { 0, 8, 1 } } },
};

static GtkWidget *
template_widget (PqWindow   *self,
                 const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), PQ_TYPE_WINDOW, name));
}

static Layout
layout_for_width (int width)
{
  if (width < NARROW_BELOW)
    return LAYOUT_NARROW;
  return width < MEDIUM_BELOW ? LAYOUT_MEDIUM : LAYOUT_WIDE;
}

/* The Table, Text and Save as Check buttons: labelled when there is
 * room, icons when not; either way named by their label. */
static void
set_view_button (GtkButton  *button,
                 gboolean    icon,
                 const char *label,
                 const char *icon_name)
{
  if (icon)
    gtk_button_set_icon_name (button, icon_name);
  else
    {
      gtk_button_set_label (button, label);
      gtk_button_set_use_underline (button, TRUE);
    }
  pq_accessible_name_mnemonics (GTK_WIDGET (button));
  if (icon)
    pq_accessible_name_label (GTK_WIDGET (button), label);
}

static void
apply_layout (PqWindow *self,
              Layout    layout)
{
  GtkLayoutManager *grid = gtk_widget_get_layout_manager (self->form);

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      GtkWidget *widget = template_widget (self, cells[i].name);
      GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (grid, widget));

      gtk_grid_layout_child_set_column (cell, cells[i].at[layout].column);
      gtk_grid_layout_child_set_row (cell, cells[i].at[layout].row);
      gtk_grid_layout_child_set_column_span (cell, cells[i].at[layout].span);
    }
  gtk_widget_set_halign (template_widget (self, "query_box"), layout == LAYOUT_WIDE ? GTK_ALIGN_FILL : GTK_ALIGN_END);
  /* Narrow, the header bar's buttons are icons and the window keeps
   * only its close button, as on a phone. */
  adw_header_bar_set_decoration_layout (ADW_HEADER_BAR (template_widget (self, "header_bar")),
                                        layout == LAYOUT_NARROW ? ":close" : NULL);
  set_view_button (GTK_BUTTON (template_widget (self, "table_toggle")), layout == LAYOUT_NARROW,
                   _("_Table"), "view-list-symbolic");
  set_view_button (GTK_BUTTON (self->text_toggle), layout == LAYOUT_NARROW, _("Te_xt"), "text-x-generic-symbolic");
  set_view_button (GTK_BUTTON (template_widget (self, "save_check_button")), layout == LAYOUT_NARROW,
                   _("Save as Check…"), "bookmark-new-symbolic");
  /* The legend folds away: the summary line's tooltip keeps it. */
  self->narrow = layout != LAYOUT_WIDE;
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label),
                          !self->narrow && *gtk_label_get_text (self->explain_label) != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label),
                               self->narrow ? gtk_label_get_text (self->explain_label) : NULL);
}

static gboolean
relayout_cb (gpointer data)
{
  PqWindow *self = data;
  Layout layout = layout_for_width (gtk_widget_get_width (GTK_WIDGET (self)));

  self->layout_source = 0;
  if ((int) layout != self->layout)
    {
      self->layout = layout;
      apply_layout (self, layout);
    }
  return G_SOURCE_REMOVE;
}

/* Called by the window's size_allocate: the cells move after it. */
void
_pq_window_layout_allocated (PqWindow *self,
                             int       width)
{
  if ((int) layout_for_width (width) != self->layout && self->layout_source == 0)
    self->layout_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, relayout_cb, self, NULL);
}

void
_pq_window_layout_dispose (PqWindow *self)
{
  g_clear_handle_id (&self->layout_source, g_source_remove);
}

/* The cells the window has no field for, found by name. */
void
_pq_window_layout_class_init (PqWindowClass *klass)
{
  static const char * const unbound[] = {
    "target_label", "target_box", "query_box", "query_button", "check_box", "ports_box", "form_scroller",
    "table_toggle", "header_bar", "save_check_button",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unbound); i++)
    gtk_widget_class_bind_template_child_full (GTK_WIDGET_CLASS (klass), unbound[i], FALSE, 0);
}

/* The list (or table) holding @widget inside the results, if any. */
static GtkWidget *
results_list_of (PqWindow  *self,
                 GtkWidget *widget)
{
  GtkWidget *list;

  if (widget == NULL)
    return NULL;
  list = gtk_widget_get_ancestor (widget, GTK_TYPE_COLUMN_VIEW);
  if (list == NULL)
    list = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW);
  if (list == NULL || !gtk_widget_is_ancestor (list, GTK_WIDGET (self->results_view)))
    return NULL;
  return list;
}

/* Tab and Shift+Tab leave a list of results in one step instead of
 * walking its rows (arrows move between rows): the list, made
 * unfocusable for the moment, is passed over as GTK moves the focus. */
static gboolean
on_results_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PqWindow              *self)
{
  GtkWidget *list;
  gboolean moved;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_ISO_Left_Tab && keyval != GDK_KEY_KP_Tab) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  list = results_list_of (self, gtk_root_get_focus (GTK_ROOT (self)));
  if (list == NULL)
    return FALSE;
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (GTK_WIDGET (self),
                                  keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) ?
                                  GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

void
_pq_window_layout_init (PqWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  GtkWidget *scroller = template_widget (self, "form_scroller");

  /* The form's width is not the window's minimum: see the top. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  self->layout = LAYOUT_WIDE;
  pq_accessible_name_mnemonics (GTK_WIDGET (self));
  pq_accessible_name_dropdown (self->protocol_dropdown, _("Protocol"));
  pq_accessible_name_dropdown (self->check_dropdown, _("Service to check"));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_results_key), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->results_view), keys);
}
