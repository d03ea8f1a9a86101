/* pq-window-trace.c: "Where is it blocked?" from the window: the open
 * port's trace (win.trace-port) or every port not listening
 * (win.trace-all), in the background on the main context
 *
 * PqTracer (src/core/pq-tracer.c) sends the port's own probe with TTL 1,
 * 2, 3, ... and needs no privileges. A trace takes a few seconds: while
 * it runs the window is busy as during a query (its progress bar says
 * "Tracing TCP 445: hop 3 of at most 30", Stop and Escape end it), and
 * each trace is stored on its PqResult as portqry --trace stores it, so
 * the pane, the text view, Save and every export show it.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <net/if.h>
#include <string.h>

#include "pq-tracer.h"
#include "pq-window-private.h"

/* One click's traces, one after the other: the traces of one address
 * share its tracer, whose pacing keeps to the routers' ICMP limits. */
typedef struct
{
  PqWindow     *window;
  GCancellable *cancellable;   /* the window's while this run is its busy state */
  gulong        cancelled_id;
  GPtrArray    *results;       /* PqResult: the ports to trace */
  guint         next;
  GListModel   *all;           /* every result: the references */
  GHashTable   *tracers;       /* address → PqTracer */
  guint32       hops_seen;     /* bit per TTL of the running trace */
  guint         max_ttl;
} TraceRun;

static void trace_next (TraceRun *run);

static void
trace_run_free (TraceRun *run)
{
  g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_ptr_array_unref (run->results);
  g_clear_object (&run->all);
  g_hash_table_unref (run->tracers);
  g_object_unref (run->window);
  g_free (run);
}

static gboolean
is_current (TraceRun *run)
{
  return run->window->cancellable == run->cancellable;
}

/* The window is idle again; the run ends on its own once the tracer
 * has seen the cancellable (within a wave of under a second). */
static void
end_busy (TraceRun   *run,
          const char *toast)
{
  PqWindow *self = run->window;

  if (!is_current (run) || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  g_clear_object (&self->cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  _pq_window_update_actions (self);
  _pq_window_text_changed (self);
  if (toast != NULL)
    _pq_window_toast (self, toast);
}

/* Stop and Escape cancel the window's cancellable: the window is idle
 * at once, not after the tracer's wave. */
static void
on_cancelled (GCancellable *cancellable,
              TraceRun     *run)
{
  end_busy (run, _("Trace stopped"));
}

static PqResult *
current_result (TraceRun *run)
{
  return g_ptr_array_index (run->results, run->next);
}

static void
show_progress (TraceRun *run)
{
  PqWindow *self = run->window;
  PqResult *result = current_result (run);
  const char *protocol = pq_protocol_to_string (pq_result_get_protocol (result));
  guint port = pq_result_get_port (result);
  guint seen = 0;
  g_autofree char *text = NULL;

  /* Hops past the end of the path (all answer as its last) do not count. */
  for (guint ttl = 1; ttl <= MIN (run->max_ttl, PQ_TRACE_MAX_HOPS); ttl++)
    seen += (run->hops_seen >> ttl) & 1;
  if (run->max_ttl == 0)
    /* Translators: a path trace starting; "TCP 445" */
    text = g_strdup_printf (_("Tracing %s %u…"), protocol, port);
  else
    /* Translators: progress of a path trace, "Tracing TCP 445: hop 3 of at most 30" */
    text = g_strdup_printf (_("Tracing %s %u: hop %u of at most %u"), protocol, port, seen, run->max_ttl);
  if (run->results->len > 1)
    {
      g_autofree char *one = g_steal_pointer (&text);

      /* Translators: the trace of one port among several, "Tracing TCP 445: hop 3 of at most 30 (port 2 of 5)" */
      text = g_strdup_printf (_("%s (port %u of %u)"), one, run->next + 1, run->results->len);
    }
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 (run->next + (run->max_ttl ? (double) seen / run->max_ttl : 0.0)) /
                                 run->results->len);
}

static void
on_hop (PqTracer *tracer,
        guint     ttl,
        guint     max_ttl,
        TraceRun *run)
{
  if (!is_current (run) || run->next >= run->results->len)
    return;
  if (ttl < 32)
    run->hops_seen |= 1u << ttl;
  run->max_ttl = max_ttl;
  show_progress (run);
}

/* "fe80::1%eth0" as the report writes a link-local address (see
 * pq_address_to_string()). Returns: (nullable): the address */
static GInetAddress *
parse_address (const char *text,
               guint32    *scope_id)
{
  const char *percent = strchr (text, '%');
  g_autofree char *bare = g_strndup (text, percent ? (gsize) (percent - text) : strlen (text));

  if (percent != NULL)
    {
      *scope_id = if_nametoindex (percent + 1);
      if (*scope_id == 0)
        *scope_id = (guint32) g_ascii_strtoull (percent + 1, NULL, 10);
    }
  return g_inet_address_new_from_string (bare);
}

/* The tracer of @result's address, its references the ports of that
 * address that answered (one per protocol): they tell the host's
 * distance and which hops answer at all. */
static PqTracer *
tracer_for (TraceRun *run,
            PqResult *result)
{
  const char *address = pq_result_get_address (result);
  PqTracer *tracer = g_hash_table_lookup (run->tracers, address);
  g_autoptr(GInetAddress) inet = NULL;
  guint32 scope_id = 0;
  gboolean have[2] = { FALSE, FALSE };

  if (tracer != NULL || (inet = parse_address (address, &scope_id)) == NULL)
    return tracer;
  tracer = pq_tracer_new (inet, scope_id);
  for (guint i = 0; i < g_list_model_get_n_items (run->all); i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (run->all, i);
      PqPortState state = pq_result_get_state (r);
      gboolean udp = pq_result_get_protocol (r) == PQ_PROTOCOL_UDP;

      if (have[udp] || g_strcmp0 (pq_result_get_address (r), address) != 0 ||
          (state != PQ_PORT_STATE_LISTENING && state != PQ_PORT_STATE_NOT_LISTENING))
        continue;
      pq_tracer_add_reference (tracer, pq_result_get_port (r), pq_result_get_protocol (r));
      have[udp] = TRUE;
    }
  g_signal_connect (tracer, "hop", G_CALLBACK (on_hop), run);
  g_hash_table_insert (run->tracers, g_strdup (address), tracer);
  return tracer;
}

/* The trace of a port that could not be traced says why. */
static void
store_failure (PqResult   *result,
               const char *why)
{
  g_autofree char *verdict = g_strdup_printf (_("the path could not be traced: %s"), why);
  g_autoptr(PqTrace) trace = pq_trace_new ();

  pq_trace_set_result (trace, -1, verdict);
  if (pq_result_get_trace (result) == NULL)
    pq_result_set_trace (result, trace);
}

static void
trace_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  TraceRun *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTrace) trace = pq_tracer_trace_finish (PQ_TRACER (object), result, &error);
  PqResult *traced = current_result (run);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !is_current (run))
    {
      trace_run_free (run);
      return;
    }
  if (trace == NULL)
    store_failure (traced, error->message);
  else if (pq_result_get_trace (traced) == NULL)
    pq_result_set_trace (traced, trace);
  _pq_window_text_changed (run->window);
  run->next++;
  trace_next (run);
}

static void
trace_next (TraceRun *run)
{
  PqResult *result;
  PqTracer *tracer;

  if (run->next >= run->results->len)
    {
      end_busy (run, NULL);
      trace_run_free (run);
      return;
    }
  result = current_result (run);
  run->hops_seen = 0;
  run->max_ttl = 0;
  show_progress (run);
  tracer = tracer_for (run, result);
  if (tracer == NULL)
    {
      store_failure (result, _("not an IP address"));
      run->next++;
      trace_next (run);
      return;
    }
  pq_tracer_trace_async (tracer, pq_result_get_port (result), pq_result_get_protocol (result),
                         run->cancellable, trace_cb, run);
}

static gboolean
needs_trace (PqResult *result)
{
  /* As portqry --trace: every port not listening. */
  return pq_result_get_state (result) != PQ_PORT_STATE_LISTENING && pq_result_get_trace (result) == NULL;
}

/* Traces @results (PqResult) with the window busy until they are done. */
static void
start_traces (PqWindow  *self,
              GPtrArray *results)
{
  TraceRun *run;

  if (self->cancellable != NULL || self->report == NULL || results->len == 0)
    return;
  run = g_new0 (TraceRun, 1);
  run->window = g_object_ref (self);
  run->results = g_ptr_array_ref (results);
  run->all = g_object_ref (pq_report_get_results (self->report));
  run->tracers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  run->cancellable = g_object_ref (self->cancellable);
  run->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (on_cancelled), run, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  _pq_window_update_actions (self);
  trace_next (run);
}

static void
trace_port_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  PqResult *open = pq_results_view_get_open (self->results_view);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);

  if (open != NULL && needs_trace (open))
    g_ptr_array_add (results, g_object_ref (open));
  start_traces (self, results);
}

static void
trace_all_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  GListModel *all = self->report ? pq_report_get_results (self->report) : NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; all != NULL && i < g_list_model_get_n_items (all); i++)
    {
      PqResult *result = g_list_model_get_item (all, i);

      if (needs_trace (result))
        g_ptr_array_add (results, result);
      else
        g_object_unref (result);
    }
  start_traces (self, results);
}

static const GActionEntry trace_actions[] = {
  { .name = "trace-port", .activate = trace_port_activated },
  { .name = "trace-all", .activate = trace_all_activated },
};

void
_pq_window_trace_init (PqWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), trace_actions, G_N_ELEMENTS (trace_actions), self);
}

/* Called by _pq_window_update_actions(): a trace needs a finished
 * query (or a report) with a port to trace, and an idle window. */
void
_pq_window_trace_update_actions (PqWindow *self)
{
  gboolean idle = self->cancellable == NULL && self->report != NULL;
  GListModel *all = self->report ? pq_report_get_results (self->report) : NULL;
  gboolean any = FALSE;

  for (guint i = 0; idle && !any && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (all, i);

      any = needs_trace (result);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "trace-port")), idle);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "trace-all")), any);
}
