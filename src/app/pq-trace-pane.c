/* pq-trace-pane.c: "Where is it blocked?" in a port's pane
 *
 * A port not LISTENING and not traced yet offers the button (the
 * window's "win.trace-port", pq-window-trace.c); a traced port shows its
 * trace as the result holds it, whoever traced it (the window, `portqry
 * --trace` or a saved report): the verdict large and first, then the hops
 * as a small table (TTL, who answered, what) and the host's distance.
 * The trace arrives as a finding added to the result, so the pane follows
 * the result's findings.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-findings-pane.h"
#include "pq-findings-table.h"
#include "pq-trace-pane.h"
#include "pq-trace.h"

struct _PqTracePane
{
  GtkWidget  parent_instance;

  PqResult  *result;
  gulong     details_id;
  GtkWidget *button;
  GtkLabel  *verdict;
  GtkWidget *hops;      /* a GtkGrid, rebuilt for each trace */
  GtkLabel  *distance;
};

G_DEFINE_FINAL_TYPE (PqTracePane, pq_trace_pane, GTK_TYPE_WIDGET)

static void
clear_hops (PqTracePane *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->hops)) != NULL)
    gtk_grid_remove (GTK_GRID (self->hops), child);
}

static void
attach_row (PqTracePane *self,
            int          row,
            const char  *ttl,
            const char  *address,
            const char  *answer,
            const char  *css)
{
  GtkGrid *grid = GTK_GRID (self->hops);

  gtk_grid_attach (grid, pq_findings_text_label (ttl, css), 0, row, 1, 1);
  gtk_grid_attach (grid, pq_findings_text_label (address, css), 1, row, 1, 1);
  gtk_grid_attach (grid, pq_findings_text_label (answer, css), 2, row, 1, 1);
}

static void
show_hops (PqTracePane *self,
           PqTrace     *trace)
{
  guint n = pq_trace_get_n_hops (trace);

  clear_hops (self);
  gtk_widget_set_visible (self->hops, n > 0);
  if (n == 0)
    return;
  /* Translators: the columns of a path trace's hops */
  attach_row (self, 0, C_("trace", "TTL"), C_("trace", "Address"), C_("trace", "Answer"), "heading");
  for (guint i = 0; i < n; i++)
    {
      const PqTraceHop *hop = pq_trace_get_hop (trace, i);
      g_autofree char *ttl = g_strdup_printf ("%u", hop->ttl);

      attach_row (self, (int) i + 1, ttl, hop->address ? hop->address : "—",
                  pq_hop_kind_to_words (hop->kind), NULL);
    }
}

/* The verdict stands alone here, not after "Path trace:" as in the text
 * output: it starts with a capital. */
static void
set_verdict (PqTracePane *self,
             const char  *verdict)
{
  g_autofree char *first = NULL;
  g_autofree char *text = NULL;
  const char *rest;

  if (verdict == NULL || *verdict == '\0' || !g_utf8_validate (verdict, -1, NULL))
    {
      gtk_label_set_text (self->verdict, verdict ? verdict : "");
      return;
    }
  rest = g_utf8_next_char (verdict);
  first = g_utf8_strup (verdict, rest - verdict);
  text = g_strconcat (first, rest, NULL);
  gtk_label_set_text (self->verdict, text);
}

static void
show_trace (PqTracePane *self)
{
  PqTrace *trace = self->result ? pq_result_get_trace (self->result) : NULL;
  gboolean offer = self->result != NULL && trace == NULL &&
                   pq_result_get_state (self->result) != PQ_PORT_STATE_LISTENING;
  int distance = trace ? pq_trace_get_host_distance (trace) : -1;

  gtk_widget_set_visible (self->button, offer);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict), trace != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->distance), distance > 0);
  gtk_widget_set_visible (GTK_WIDGET (self), offer || trace != NULL);
  if (trace == NULL)
    {
      clear_hops (self);
      return;
    }
  set_verdict (self, pq_trace_get_verdict (trace));
  show_hops (self, trace);
  if (distance > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Host distance: %d hop",
                                                         "Host distance: %d hops", distance),
                                               distance);

      gtk_label_set_text (self->distance, text);
    }
}

/* The button names the port: a screen reader that lands on it reads
 * "Where is it blocked? TCP 445", not one of many alike. */
static void
name_button (PqTracePane *self)
{
  g_autofree char *name = NULL;

  if (self->result == NULL)
    return;
  /* Translators: the trace button's accessible name: "Where is it blocked? TCP 445" */
  name = g_strdup_printf (_("Where is it blocked? %s %u"),
                          pq_protocol_to_string (pq_result_get_protocol (self->result)),
                          pq_result_get_port (self->result));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
on_details_changed (PqTracePane *self)
{
  show_trace (self);
}

/* Shows @result's trace, or the button if it can be traced. */
void
pq_trace_pane_set_result (PqTracePane *self,
                          PqResult    *result)
{
  g_return_if_fail (PQ_IS_TRACE_PANE (self));

  if (self->result != NULL)
    g_clear_signal_handler (&self->details_id, pq_result_get_details (self->result));
  g_set_object (&self->result, result);
  if (result != NULL)
    self->details_id = g_signal_connect_object (pq_result_get_details (result), "items-changed",
                                                G_CALLBACK (on_details_changed), self, G_CONNECT_SWAPPED);
  name_button (self);
  show_trace (self);
}

static void
pq_trace_pane_dispose (GObject *object)
{
  PqTracePane *self = PQ_TRACE_PANE (object);
  GtkWidget *child;

  if (self->result != NULL)
    g_clear_signal_handler (&self->details_id, pq_result_get_details (self->result));
  g_clear_object (&self->result);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (pq_trace_pane_parent_class)->dispose (object);
}

static void
pq_trace_pane_class_init (PqTracePaneClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pq_trace_pane_dispose;
  widget_class->focus = pq_widget_focus_child;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pqtracepane");
}

static void
pq_trace_pane_init (PqTracePane *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->button = gtk_button_new_with_mnemonic (_("_Where is it blocked?"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "win.trace-port");
  gtk_widget_set_halign (self->button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->button, _("Trace the path to this port, hop by hop"));
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  /* The verdict is what the user came for: large, first, and a label
   * the screen reader reaches as text. */
  self->verdict = GTK_LABEL (pq_findings_text_label ("", "title-3"));
  gtk_widget_set_parent (GTK_WIDGET (self->verdict), GTK_WIDGET (self));
  self->hops = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->hops), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->hops), 3);
  gtk_widget_add_css_class (self->hops, "pq-trace-hops");
  gtk_widget_set_parent (self->hops, GTK_WIDGET (self));
  self->distance = GTK_LABEL (pq_findings_text_label ("", "dim-label"));
  gtk_widget_set_parent (GTK_WIDGET (self->distance), GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
pq_trace_pane_new (void)
{
  return g_object_new (PQ_TYPE_TRACE_PANE, NULL);
}

/* Returns: (transfer none): "Where is it blocked?" */
GtkWidget *
pq_trace_pane_get_button (PqTracePane *self)
{
  g_return_val_if_fail (PQ_IS_TRACE_PANE (self), NULL);
  return self->button;
}

/* Returns: (transfer none): the verdict's label */
GtkLabel *
pq_trace_pane_get_verdict (PqTracePane *self)
{
  g_return_val_if_fail (PQ_IS_TRACE_PANE (self), NULL);
  return self->verdict;
}
