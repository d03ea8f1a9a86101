/* pq-findings-pane.c: one port opened: its full evidence and the plain
 * sentence about it first, then its findings in the shape the core
 * names for them (pq_findings_shape): the endpoint table, the NetBIOS
 * MAC address and name table, LDAP attributes beside their values, or
 * names and values for any other probe, so a new probe needs no code here
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-findings-pane.h"
#include "pq-findings-table.h"
#include "pq-report-text.h"
#include "pq-rules.h"
#include "pq-trace-pane.h"

struct _PqFindingsPane
{
  GtkWidget  parent_instance;

  PqResult  *result;
  GtkLabel  *title;
  GtkLabel  *sentence;
  GtkLabel  *evidence;
  GtkWidget *trace;
  GtkWidget *body;
};

G_DEFINE_FINAL_TYPE (PqFindingsPane, pq_findings_pane, GTK_TYPE_WIDGET)

enum { CLOSE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Network text, cleaned of control characters, never markup. Selectable
 * for copying, but out of the Tab order: Tab crosses the pane in a few
 * steps, not one per value. */
GtkWidget *
pq_findings_text_label (const char *text,
                        const char *css)
{
  g_autofree char *clean = pq_text_sanitize (text ? text : "");
  GtkWidget *label = gtk_label_new (clean);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Not focusable is not enough: GTK 4.8's label says it took the focus
   * when Tab reaches it, and Tab stopped there. */
  gtk_widget_set_can_focus (label, FALSE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* ------------------------------------------------------------------ */
/* Names and values                                                    */

static guint
n_items (GListModel *list)
{
  return list ? g_list_model_get_n_items (list) : 0;
}

static gboolean
children_are_values (GListModel *children)
{
  guint n = n_items (children);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqDetail) child = g_list_model_get_item (children, i);

      if (*pq_detail_get_label (child) != '\0' || n_items (pq_detail_get_children (child)) > 0)
        return FALSE;
    }
  return n > 0;
}

/* The values of one finding, one under the other: every value of a
 * multi-valued LDAP attribute, not the count alone. */
static GtkWidget *
value_box (PqDetail *detail)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GListModel *children = pq_detail_get_children (detail);
  gboolean values = children_are_values (children);

  if (!values || *pq_detail_get_value (detail) == '\0')
    gtk_box_append (GTK_BOX (box), pq_findings_text_label (pq_detail_get_value (detail), values ? "dim-label" : NULL));
  for (guint i = 0; values && i < n_items (children); i++)
    {
      g_autoptr(PqDetail) child = g_list_model_get_item (children, i);

      gtk_box_append (GTK_BOX (box), pq_findings_text_label (pq_detail_get_value (child), NULL));
    }
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static void append_pairs (GtkGrid *grid, GPtrArray *details, guint depth, int *row);

static void
append_pair (GtkGrid  *grid,
             PqDetail *detail,
             guint     depth,
             int      *row)
{
  const char *label = pq_detail_get_label (detail);
  GtkWidget *name = pq_findings_text_label (*label ? label : pq_detail_get_kind (detail), "dim-label");
  GListModel *children = pq_detail_get_children (detail);

  gtk_widget_set_margin_start (name, 18 * depth);
  gtk_label_set_width_chars (GTK_LABEL (name), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 40);
  gtk_grid_attach (grid, name, 0, *row, 1, 1);
  gtk_grid_attach (grid, value_box (detail), 1, *row, 1, 1);
  (*row)++;
  if (!children_are_values (children) && n_items (children) > 0)
    {
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n_items (children); i++)
        g_ptr_array_add (list, g_list_model_get_item (children, i));
      append_pairs (grid, list, depth + 1, row);
    }
}

static void
append_pairs (GtkGrid   *grid,
              GPtrArray *details,
              guint      depth,
              int       *row)
{
  for (guint i = 0; i < details->len; i++)
    append_pair (grid, g_ptr_array_index (details, i), depth, row);
}

static GtkWidget *
pairs_grid (GPtrArray *details)
{
  GtkWidget *grid = gtk_grid_new ();
  int row = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "pq-pairs");
  append_pairs (GTK_GRID (grid), details, 0, &row);
  return grid;
}

/* Returns: (transfer container): the findings not of @skip_kinds */
static GPtrArray *
details_except (GListModel         *details,
                const char * const *skip_kinds)
{
  GPtrArray *rest = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_items (details); i++)
    {
      PqDetail *detail = g_list_model_get_item (details, i);

      if (skip_kinds != NULL && g_strv_contains (skip_kinds, pq_detail_get_kind (detail)))
        g_object_unref (detail);
      else
        g_ptr_array_add (rest, detail);
    }
  return rest;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_widget_set_vexpand (scroller, TRUE);
  return scroller;
}

/* ------------------------------------------------------------------ */
/* The shapes                                                          */

static void
copy_mac_cb (GtkButton *button,
             gpointer   data)
{
  const char *value = g_object_get_data (G_OBJECT (button), "pq-value");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), value);
}

/* The MAC address large, with Copy: what a help-desk person came for. */
static GtkWidget *
mac_row (PqDetail *mac)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *caption = gtk_label_new (_("MAC address"));
  GtkWidget *value = pq_findings_text_label (pq_detail_get_value (mac), "title-2");
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_valign (caption, GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (value, GTK_ALIGN_BASELINE);
  gtk_widget_set_tooltip_text (copy, _("Copy the MAC address"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the MAC address"), -1);
  g_object_set_data_full (G_OBJECT (copy), "pq-value", g_strdup (pq_detail_get_value (mac)), g_free);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_mac_cb), NULL);
  gtk_widget_add_css_class (copy, "flat");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), copy);
  return box;
}

static void
build_table_shape (GtkBox     *body,
                   PqTable     table,
                   GListModel *details)
{
  g_autoptr(GPtrArray) rest = details_except (details, pq_table_kinds (table));
  PqDetail *mac = pq_findings_find (details, "mac");

  if (table == PQ_TABLE_NETBIOS_NAMES && mac != NULL)
    gtk_box_append (body, mac_row (mac));
  if (rest->len > 0)
    gtk_box_append (body, pairs_grid (rest));
  if (table == PQ_TABLE_ENDPOINTS || pq_findings_find (details, "netbios-names") != NULL)
    gtk_box_append (body, pq_findings_table_new (table, details));
}

static void
build_body (PqFindingsPane *self)
{
  static const char * const trace_kind[] = { "trace", NULL };
  GListModel *details = pq_result_get_details (self->result);
  GtkBox *body = GTK_BOX (self->body);
  g_autoptr(GPtrArray) list = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->body)) != NULL)
    gtk_box_remove (body, child);
  switch (pq_findings_shape (details))
    {
    case PQ_SHAPE_ENDPOINTS:
      build_table_shape (body, PQ_TABLE_ENDPOINTS, details);
      break;
    case PQ_SHAPE_NETBIOS:
      build_table_shape (body, PQ_TABLE_NETBIOS_NAMES, details);
      break;
    case PQ_SHAPE_LDAP:
      list = pq_findings_ldap_order (details);
      gtk_box_append (body, pairs_grid (list));
      break;
    case PQ_SHAPE_GENERIC:
      /* A trace has its own part of the pane (pq-trace-pane.c). */
      list = details_except (details, trace_kind);
      if (list->len > 0)
        gtk_box_append (body, pairs_grid (list));
      break;
    case PQ_SHAPE_NONE:
    default:
      break;
    }
}

/* ------------------------------------------------------------------ */

static void
pq_findings_pane_dispose (GObject *object)
{
  PqFindingsPane *self = PQ_FINDINGS_PANE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->result);
  G_OBJECT_CLASS (pq_findings_pane_parent_class)->dispose (object);
}

static void
pq_findings_pane_class_init (PqFindingsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pq_findings_pane_dispose;
  signals[CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  widget_class->focus = pq_widget_focus_child;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pqfindingspane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
build_header (PqFindingsPane *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  self->title = GTK_LABEL (pq_findings_text_label ("", "title-4"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (close, _("Close the findings (Left)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Close the findings"), -1);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (pq_findings_pane_close), self);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (header), close);
  return header;
}

/* The header stays; the sentence, the evidence and the findings scroll
 * together under it, each table at its full height. */
static void
pq_findings_pane_init (PqFindingsPane *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_widget_set_parent (build_header (self), GTK_WIDGET (self));
  self->sentence = GTK_LABEL (pq_findings_text_label ("", "heading"));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->sentence));
  self->evidence = GTK_LABEL (pq_findings_text_label ("", NULL));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->evidence));
  self->trace = pq_trace_pane_new ();
  gtk_widget_set_margin_top (self->trace, 6);
  gtk_box_append (GTK_BOX (content), self->trace);
  self->body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (self->body, 6);
  gtk_box_append (GTK_BOX (content), self->body);
  gtk_widget_set_parent (scrolled (content), GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "pq-findings-pane");
}

GtkWidget *
pq_findings_pane_new (void)
{
  return g_object_new (PQ_TYPE_FINDINGS_PANE, NULL);
}

/* Returns: (transfer full): "TCP 135 (epmap): LISTENING" */
char *
pq_findings_pane_describe (PqResult   *result,
                           const char *state)
{
  const char *service = pq_result_get_service (result);
  g_autofree char *clean = pq_text_sanitize (service ? service : "");

  if (*clean == '\0')
    return g_strdup_printf ("%s %u, %s", pq_protocol_to_string (pq_result_get_protocol (result)),
                            pq_result_get_port (result), state);
  return g_strdup_printf ("%s %u %s, %s", pq_protocol_to_string (pq_result_get_protocol (result)),
                          pq_result_get_port (result), clean, state);
}

/* Shows @result (NULL: nothing) */
void
pq_findings_pane_set_result (PqFindingsPane *self,
                             PqResult       *result,
                             const char     *state)
{
  g_autofree char *title = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *evidence = NULL;

  g_return_if_fail (PQ_IS_FINDINGS_PANE (self));

  if (!g_set_object (&self->result, result) || result == NULL)
    return;
  title = pq_findings_pane_describe (result, state);
  sentence = pq_findings_explain (result);
  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->sentence, sentence);
  evidence = pq_text_sanitize (pq_result_get_evidence (result));
  gtk_label_set_text (self->evidence, evidence);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  pq_trace_pane_set_result (PQ_TRACE_PANE (self->trace), result);
  build_body (self);
}

/* Returns: (transfer none): the port's "Where is it blocked?" part */
GtkWidget *
pq_findings_pane_get_trace (PqFindingsPane *self)
{
  g_return_val_if_fail (PQ_IS_FINDINGS_PANE (self), NULL);
  return self->trace;
}

PqResult *
pq_findings_pane_get_result (PqFindingsPane *self)
{
  g_return_val_if_fail (PQ_IS_FINDINGS_PANE (self), NULL);
  return self->result;
}

void
pq_findings_pane_close (PqFindingsPane *self)
{
  g_signal_emit (self, signals[CLOSE], 0);
}
