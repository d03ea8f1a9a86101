/* pq-window-text.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's text view: the query shown, or the one running, in
 * PortQry's log layout, selectable and copyable as PortQryUI's output
 * pane. The text is pq_report_to_text()'s, the writer of portqry's log
 * and of the text export, so the three never differ. It is made only
 * while the view is shown, and at most a few times a second while a
 * query fills it.
 */
#include "config.h"

#include "pq-window-private.h"
#include "pq-writers.h"

/* How often a running query's text is made again, in milliseconds. */
#define REFRESH_MS 300

static PqReport *
shown_report (PqWindow *self)
{
  if (self->report != NULL)
    return self->report;
  return self->query != NULL ? pq_query_get_report (self->query) : NULL;
}

static gboolean
text_shown (PqWindow *self)
{
  return gtk_toggle_button_get_active (self->text_toggle);
}

static void
refresh_text (PqWindow *self)
{
  PqReport *report = shown_report (self);
  g_autofree char *text = report ? pq_report_to_text (report) : NULL;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

static gboolean
refresh_cb (gpointer data)
{
  PqWindow *self = data;

  self->text_source = 0;
  refresh_text (self);
  return G_SOURCE_REMOVE;
}

/* The report shown or its rows changed: the text follows, now if the
 * query is over, soon if rows are still coming. */
void
_pq_window_text_changed (PqWindow *self)
{
  if (!text_shown (self))
    return;
  if (self->cancellable == NULL)
    {
      g_clear_handle_id (&self->text_source, g_source_remove);
      refresh_text (self);
    }
  else if (self->text_source == 0)
    self->text_source = g_timeout_add (REFRESH_MS, refresh_cb, self);
}

static void
on_text_toggled (PqWindow *self)
{
  gboolean text = text_shown (self);

  gtk_stack_set_visible_child_name (self->results_stack, text ? "text" : "table");
  if (text)
    {
      g_clear_handle_id (&self->text_source, g_source_remove);
      refresh_text (self);
    }
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
}

void
_pq_window_text_init (PqWindow *self)
{
  g_signal_connect_object (self->text_toggle, "notify::active", G_CALLBACK (on_text_toggled), self,
                           G_CONNECT_SWAPPED);
}

void
_pq_window_text_dispose (PqWindow *self)
{
  g_clear_handle_id (&self->text_source, g_source_remove);
}
