/* pq-window-repeat.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Repeat every N seconds": the drop-down beside Query. Off ("Once") by
 * default; otherwise, once a query ends, the same query runs again after
 * N seconds, until Stop (or the drop-down set back to Once). Each port
 * whose state differs from the run before is marked as its result
 * arrives: its evidence starts "Changed from FILTERED to LISTENING since
 * the run at 14:03:07.", which the table's evidence column and the
 * port's pane show, and a toast counts them at the end of the run, to
 * answer "is the firewall change in yet?".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-accessible.h"
#include "pq-results-changed.h"
#include "pq-window-private.h"

struct _PqWindowRepeat
{
  GtkDropDown *dropdown;
  GHashTable  *states;       /* "address protocol port" → state of the last run */
  char        *states_at;    /* when that run ended, 14:03:07 */
  guint        source;       /* the next run, while waiting */
  guint        n_changed;    /* ports marked in the running query */
  gboolean     marking;      /* the running query is a repeat */
};

/* The drop-down's choices, in seconds; 0 is Once. */
static const guint intervals[] = { 0, 5, 10, 30, 60, 300 };

static char *
result_key (PqResult *result)
{
  return g_strdup_printf ("%s %s %u", pq_result_get_address (result),
                          pq_protocol_to_string (pq_result_get_protocol (result)),
                          pq_result_get_port (result));
}

static guint
chosen_interval (PqWindowRepeat *repeat)
{
  guint i = gtk_drop_down_get_selected (repeat->dropdown);

  return i < G_N_ELEMENTS (intervals) ? intervals[i] : 0;
}

gboolean
_pq_window_repeat_pending (PqWindow *self)
{
  return self->repeat != NULL && self->repeat->source != 0;
}

/* Stops waiting for the next run; says so when one was awaited. */
void
_pq_window_repeat_stop (PqWindow *self)
{
  if (!_pq_window_repeat_pending (self))
    return;
  g_clear_handle_id (&self->repeat->source, g_source_remove);
  _pq_window_toast (self, _("Repeat stopped"));
  _pq_window_update_actions (self);
}

/* Marks each result that arrives whose state differs from the last run's. */
static void
on_results_changed (GListModel *results,
                    guint       position,
                    guint       removed,
                    guint       added,
                    PqWindow   *self)
{
  PqWindowRepeat *repeat = self->repeat;

  if (!repeat->marking || repeat->states == NULL)
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);
      g_autofree char *key = result_key (result);
      gpointer before;
      g_autofree char *why = NULL;
      g_autofree char *evidence = NULL;

      if (!g_hash_table_lookup_extended (repeat->states, key, NULL, &before) ||
          GPOINTER_TO_INT (before) == (int) pq_result_get_state (result))
        continue;
      /* Translators: the first two %s are PortQry's states (FILTERED,
       * LISTENING), the last a time, 14:03:07 */
      why = g_strdup_printf (_("Changed from %s to %s since the run at %s."),
                             pq_port_state_to_string (GPOINTER_TO_INT (before)),
                             pq_port_state_to_string (pq_result_get_state (result)), repeat->states_at);
      /* The port's evidence follows the change. */
      evidence = g_strdup_printf ("%s %s", why, pq_result_get_evidence (result));
      pq_result_set_evidence (result, evidence);
      pq_results_mark_changed (result, why);
      repeat->n_changed++;
    }
}

/* Called as @query starts, before the table hears of its results. */
void
_pq_window_repeat_started (PqWindow *self,
                           PqQuery  *query)
{
  self->repeat->n_changed = 0;
  self->repeat->marking = chosen_interval (self->repeat) > 0;
  g_signal_connect_object (pq_query_get_results (query), "items-changed",
                           G_CALLBACK (on_results_changed), self, 0);
}

static gboolean
run_again_cb (gpointer data)
{
  PqWindow *self = data;

  self->repeat->source = 0;
  g_action_group_activate_action (G_ACTION_GROUP (self), "query", NULL);
  return G_SOURCE_REMOVE;
}

static void
keep_states (PqWindowRepeat *repeat,
             PqReport       *report,
             const char     *now)
{
  GListModel *results = pq_report_get_results (report);
  guint n = g_list_model_get_n_items (results);

  g_clear_pointer (&repeat->states, g_hash_table_unref);
  repeat->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);

      g_hash_table_insert (repeat->states, result_key (result), GINT_TO_POINTER (pq_result_get_state (result)));
    }
  g_free (repeat->states_at);
  repeat->states_at = g_strdup (now);
}

/* Called as a query ends: @report is %NULL when the host did not
 * resolve; a query stopped or failed is not repeated. */
void
_pq_window_repeat_done (PqWindow     *self,
                        PqReport     *report,
                        const GError *error)
{
  PqWindowRepeat *repeat = self->repeat;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format (now, "%X");
  guint interval = chosen_interval (repeat);

  if (repeat->marking && repeat->n_changed > 0)
    {
      /* Translators: %s is a time, 14:03:12 */
      g_autofree char *text = g_strdup_printf (ngettext ("%'u port changed at %s", "%'u ports changed at %s",
                                                         repeat->n_changed), repeat->n_changed, at);

      _pq_window_toast (self, text);
    }
  repeat->marking = FALSE;
  if (report != NULL && !pq_report_get_cancelled (report))
    keep_states (repeat, report, at);
  if (report == NULL || error != NULL || interval == 0)
    return;
  g_clear_handle_id (&repeat->source, g_source_remove);
  repeat->source = g_timeout_add_seconds (interval, run_again_cb, self);
}

/* Once stops the runs awaited. */
static void
on_interval_changed (PqWindow *self)
{
  if (chosen_interval (self->repeat) == 0)
    _pq_window_repeat_stop (self);
}

void
_pq_window_repeat_init (PqWindow *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), PQ_TYPE_WINDOW, "query_box"));

  self->repeat = g_new0 (PqWindowRepeat, 1);
  gtk_string_list_append (choices, _("Once"));
  for (guint i = 1; i < G_N_ELEMENTS (intervals); i++)
    {
      /* Translators: a choice beside Query: "Every 30 s" runs the query again every 30 seconds */
      g_autofree char *every = g_strdup_printf (_("Every %u s"), intervals[i]);

      gtk_string_list_append (choices, every);
    }
  self->repeat->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&choices)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->repeat->dropdown),
                               _("Run the same query again every few seconds until Stop, marking each port whose state changed"));
  gtk_box_prepend (GTK_BOX (box), GTK_WIDGET (self->repeat->dropdown));
  pq_accessible_name_dropdown (self->repeat->dropdown, _("Repeat"));
  g_signal_connect_object (self->repeat->dropdown, "notify::selected", G_CALLBACK (on_interval_changed),
                           self, G_CONNECT_SWAPPED);
}

void
_pq_window_repeat_dispose (PqWindow *self)
{
  if (self->repeat == NULL)
    return;
  g_clear_handle_id (&self->repeat->source, g_source_remove);
  g_clear_pointer (&self->repeat->states, g_hash_table_unref);
  g_clear_pointer (&self->repeat->states_at, g_free);
  g_clear_pointer (&self->repeat, g_free);
}

/* Returns: (transfer none): the drop-down, for tests */
GtkDropDown *
_pq_window_repeat_get_dropdown (PqWindow *self)
{
  return self->repeat->dropdown;
}
