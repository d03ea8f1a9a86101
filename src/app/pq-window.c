/* pq-window.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window itself: the form (host, recent hosts, ports and their
 * protocol), the query with its progress, the results and the summary
 * line, the messages, and which actions are enabled. Its files are in
 * pq-window-files.c, its service checks in pq-window-checks.c; they share
 * pq-window-private.h.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pq-enum-choice.h"
#include "pq-enums.h"
#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-text.h"
#include "pq-rules.h"
#include "pq-window-private.h"

G_DEFINE_FINAL_TYPE (PqWindow, pq_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------ */
/* Messages: next to the field that is wrong, or inline under the form */

static void
show_field_error (GtkWidget  *field,
                  GtkLabel   *label,
                  const char *message)
{
  gtk_widget_add_css_class (field, "error");
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
}

static void
clear_field_error (GtkWidget *field,
                   GtkLabel  *label)
{
  gtk_widget_remove_css_class (field, "error");
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

void
_pq_window_show_problem (PqWindow   *self,
                         const char *message)
{
  gtk_label_set_text (self->problem_label, message);
  gtk_revealer_set_reveal_child (self->problem_revealer, TRUE);
  self->query_problem = FALSE;
}

static void
hide_problem (PqWindow *self)
{
  gtk_revealer_set_reveal_child (self->problem_revealer, FALSE);
  self->query_problem = FALSE;
}

/* A problem of the query's own (a setting refused, the source port in
 * use) goes once the form or the preferences change, as the next query
 * may no longer have it; a file's problem stays until dismissed. */
static void
show_query_problem (PqWindow   *self,
                    const char *message)
{
  _pq_window_show_problem (self, message);
  self->query_problem = TRUE;
}

static void
hide_query_problem (PqWindow *self)
{
  if (self->query_problem)
    hide_problem (self);
}

void
_pq_window_toast (PqWindow   *self,
                  const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
_pq_window_show_ports_error (PqWindow   *self,
                             const char *message)
{
  show_field_error (GTK_WIDGET (self->ports_entry), self->ports_error, message);
}

void
_pq_window_clear_ports_error (PqWindow *self)
{
  clear_field_error (GTK_WIDGET (self->ports_entry), self->ports_error);
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */

/* Counts, then one sentence per state present, in words a help desk can
 * pass on. */
static void
show_summary_of (PqWindow *self,
                 PqReport *report)
{
  g_autoptr(GString) explain = g_string_new (NULL);
  g_autofree char *summary = pq_report_summary (report);
  guint counts[PQ_N_PORT_STATES];

  if (pq_report_get_cancelled (report))
    {
      g_autofree char *partial = g_strdup_printf (_("%s (stopped before the end)"), summary);

      g_free (summary);
      summary = g_steal_pointer (&partial);
    }
  pq_count_states (pq_report_get_results (report), counts);
  _pq_window_hosts_show_summary (self, report, summary);

  for (guint i = 0; i < PQ_N_PORT_STATES; i++)
    if (counts[pq_port_states_in_order[i]] > 0)
      g_string_append_printf (explain, "%s%s", explain->len ? "\n" : "",
                              pq_state_explain (pq_port_states_in_order[i]));
  gtk_label_set_text (self->explain_label, explain->str);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), explain->len > 0 && !self->narrow);
}

/* While a query runs: the counts of the rows shown so far, kept as
 * they come (a full count per change cost seconds on 65,535 rows). */
static void
show_live_summary (PqWindow *self)
{
  g_autofree char *summary = NULL;
  guint n = 0;

  for (guint i = 0; i < PQ_N_PORT_STATES; i++)
    n += self->live_counts[i];
  summary = n > 0 ? pq_summary_for_counts (self->live_counts) : g_strdup (_("Querying…"));
  _pq_window_hosts_show_live_summary (self, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), FALSE);
}

static void
update_summary (PqWindow *self)
{
  if (self->report != NULL)
    show_summary_of (self, self->report);
  else if (self->query != NULL && self->cancellable != NULL)
    show_live_summary (self);
  else
    {
      gtk_label_set_text (self->summary_label, _("No results yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->explain_label), FALSE);
    }
}

/* Returns: the summary and one line per port, for a ticket or a chat */
char *
pq_window_dup_summary (PqWindow *self)
{
  g_return_val_if_fail (PQ_IS_WINDOW (self), NULL);
  return self->report ? pq_report_to_summary_text (self->report) : NULL;
}

static void
set_report (PqWindow *self,
            PqReport *report)
{
  g_set_object (&self->report, report);
  update_summary (self);
  _pq_window_text_changed (self);
  _pq_window_update_actions (self);
}

/* ------------------------------------------------------------------ */
/* Query                                                               */

static void
read_scan_options (PqWindow      *self,
                   PqScanOptions *options)
{
  pq_scan_options_init (options);
  options->tcp_timeout_ms = g_settings_get_uint (self->settings, "tcp-timeout");
  options->tcp_tries = g_settings_get_uint (self->settings, "tcp-tries");
  options->udp_wait_ms = g_settings_get_uint (self->settings, "udp-wait");
  options->udp_tries = g_settings_get_uint (self->settings, "udp-tries");
  options->slow_link = g_settings_get_boolean (self->settings, "slow-link");
  options->window = g_settings_get_uint (self->settings, "ports-in-flight");
  options->source_port = (guint16) g_settings_get_uint (self->settings, "source-port");
  options->probes = g_settings_get_boolean (self->settings, "protocol-probes");
}

/* The protocol drop-down lists PqProtocols' values in order (pq-enum-choice.c). */
PqProtocols
_pq_window_get_protocols (PqWindow *self)
{
  return pq_enum_choice_get_value (PQ_TYPE_PROTOCOLS, gtk_drop_down_get_selected (self->protocol_dropdown));
}

static void
select_protocols (PqWindow    *self,
                  PqProtocols  protocols)
{
  gtk_drop_down_set_selected (self->protocol_dropdown, pq_enum_choice_get_position (PQ_TYPE_PROTOCOLS, protocols));
}

/* What the form asks: up to two port lists, each with its protocols
 * (a service check may want TCP 135 but UDP 137). */
typedef struct
{
  GArray      *ports[2];
  PqProtocols  protocols[2];
} FormPorts;

static void
form_ports_clear (FormPorts *form)
{
  for (guint i = 0; i < G_N_ELEMENTS (form->ports); i++)
    g_clear_pointer (&form->ports[i], g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FormPorts, form_ports_clear)

/* On bad input marks the field with the parser's message. */
static gboolean
read_form_ports (PqWindow  *self,
                 FormPorts *form)
{
  g_autoptr(GError) error = NULL;
  PqCheck *check = _pq_window_get_selected_check (self);

  if (gtk_check_button_get_active (self->check_radio) && check != NULL)
    {
      if (*pq_check_get_tcp_ports (check) != '\0')
        form->ports[0] = pq_ports_parse (pq_check_get_tcp_ports (check), NULL);
      if (*pq_check_get_udp_ports (check) != '\0')
        form->ports[1] = pq_ports_parse (pq_check_get_udp_ports (check), NULL);
      form->protocols[0] = PQ_PROTOCOLS_TCP;
      form->protocols[1] = PQ_PROTOCOLS_UDP;
      return form->ports[0] != NULL || form->ports[1] != NULL;
    }

  form->ports[0] = pq_ports_parse (gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)), &error);
  if (form->ports[0] == NULL)
    {
      _pq_window_show_ports_error (self, error->message);
      return FALSE;
    }
  form->protocols[0] = _pq_window_get_protocols (self);
  return TRUE;
}

static void
remember_form (PqWindow *self)
{
  PqCheck *check = _pq_window_get_selected_check (self);
  gboolean by_check = gtk_check_button_get_active (self->check_radio) && check != NULL;

  g_settings_set_string (self->settings, "last-check", by_check ? pq_check_get_id (check) : "custom");
  if (!by_check)
    {
      g_settings_set_string (self->settings, "last-ports",
                             gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)));
      g_settings_set_enum (self->settings, "last-protocol", _pq_window_get_protocols (self));
    }
}

/* Rows come into the query's list as ports are decided; the counts
 * follow the rows shown, never the progress signal's timing. */
static void
on_results_changed (GListModel *results,
                    guint       position,
                    guint       removed,
                    guint       added,
                    PqWindow   *self)
{
  if (self->query == NULL || pq_query_get_results (self->query) != results || self->cancellable == NULL)
    return;
  if (removed > 0)
    pq_count_states (results, self->live_counts);
  else
    for (guint i = position; i < position + added; i++)
      {
        g_autoptr(PqResult) result = g_list_model_get_item (results, i);

        self->live_counts[pq_result_get_state (result)]++;
      }
  update_summary (self);
  _pq_window_text_changed (self);
}

static void
on_query_progress (PqQuery  *query,
                   guint     done,
                   guint     total,
                   PqWindow *self)
{
  g_autofree char *text = NULL;

  if (query != self->query)
    return;
  /* Translators: progress of a query, "312 of 1,024 ports" */
  text = g_strdup_printf (ngettext ("%'u of %'u port", "%'u of %'u ports", total), done, total);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total ? (double) done / total : 0.0);
}

static gboolean
is_target_error (const GError *error)
{
  return g_error_matches (error, PQ_ERROR, PQ_ERROR_NOT_FOUND) ||
         g_error_matches (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS) ||
         g_error_matches (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
}

/* Shows @report's rows (none for %NULL), counts and host. */
static void
show_results_of (PqWindow *self,
                 PqReport *report)
{
  _pq_window_hosts_show_report (self, report);
  pq_results_view_set_results (self->results_view, report ? pq_report_get_results (report) : NULL);
  set_report (self, report);
  _pq_window_show_target_subtitle (self);
}

/* A query that ended before its host resolved queried nothing: the
 * window goes back to the last query that ran, its rows, title and
 * subtitle. */
static void
show_previous (PqWindow *self)
{
  g_autoptr(PqReport) previous = g_steal_pointer (&self->previous);
  g_autoptr(GFile) previous_file = g_steal_pointer (&self->previous_file);

  g_clear_object (&self->query);
  show_results_of (self, previous);
  _pq_window_set_file (self, previous_file);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(PqWindow) self = data;
  PqQuery *query = PQ_QUERY (object);
  PqReport *report = pq_query_get_report (query);
  g_autoptr(GError) error = NULL;

  if (query != self->query)
    return;
  g_clear_object (&self->cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

  pq_query_run_finish (query, result, &error);
  _pq_window_repeat_done (self, report, error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _pq_window_toast (self, _("Query stopped"));
  else if (is_target_error (error))
    {
      /* The message goes beside the Host field only. */
      show_field_error (GTK_WIDGET (self->target_entry), self->target_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->target_entry));
    }
  else if (error != NULL)
    show_query_problem (self, error->message);
  if (report == NULL)
    {
      show_previous (self);
      return;
    }
  /* Recent Hosts keeps names that resolved, never a typo. */
  if (pq_report_get_queried (report)->len > 0)
    _pq_window_remember_target (self, _pq_window_hosts_get_typed (self, report));
  g_clear_object (&self->previous);
  g_clear_object (&self->previous_file);
  set_report (self, report);
  _pq_window_show_target_subtitle (self);
#ifdef __GLIBC__
  /* The scanner's threads free a full range's results in malloc arenas
   * glibc keeps: without this the window grew 4 to 9 MB a query. */
  malloc_trim (0);
#endif
}

/* Shows @query's results as they come and its progress until it ends. */
static void
start_query (PqWindow   *self,
             PqQuery    *query,
             const char *text)
{
  /* Kept until the host resolves, to go back to if it does not. */
  g_set_object (&self->previous, self->report);
  g_set_object (&self->previous_file, self->shown_file);
  g_set_object (&self->query, query);
  memset (self->live_counts, 0, sizeof self->live_counts);
  set_report (self, NULL);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (query, "progress", G_CALLBACK (on_query_progress), self, 0);
  _pq_window_hosts_started (self, query, text);
  g_signal_connect_object (pq_query_get_results (query), "items-changed", G_CALLBACK (on_results_changed), self, 0);
  _pq_window_repeat_started (self, query);
  pq_results_view_set_results (self->results_view, pq_query_get_results (query));
  adw_window_title_set_subtitle (self->window_title, text);
  _pq_window_set_file (self, NULL);
  gtk_label_set_text (self->progress_label, _("Looking up the host…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_summary (self);
  _pq_window_text_changed (self);
  pq_query_run_async (query, self->cancellable, query_done_cb, g_object_ref (self));
}

/* A new query from the form; each field's message sits beside it. */
static PqQuery *
query_from_form (PqWindow   *self,
                 const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) targets = _pq_window_hosts_parse (text, &error);
  g_autofree char *community = g_settings_get_string (self->settings, "snmp-community");
  g_auto(FormPorts) form = { { NULL, NULL }, { 0, 0 } };
  PqScanOptions options;
  PqQuery *query;
  gboolean ports_ok;

  if (targets == NULL)
    show_field_error (GTK_WIDGET (self->target_entry), self->target_error, error->message);
  ports_ok = read_form_ports (self, &form);
  if (targets == NULL || !ports_ok)
    {
      gtk_widget_grab_focus (targets == NULL ? GTK_WIDGET (self->target_entry) : GTK_WIDGET (self->ports_entry));
      return NULL;
    }
  read_scan_options (self, &options);
  g_clear_error (&error);
  if (!pq_scan_options_validate (&options, &error))
    {
      show_query_problem (self, error->message);
      return NULL;
    }

  query = _pq_window_hosts_new_query (self, targets, &options, g_settings_get_enum (self->settings, "address-choice"));
  for (guint i = 0; i < G_N_ELEMENTS (form.ports); i++)
    if (form.ports[i] != NULL)
      pq_query_add_ports (query, form.ports[i], form.protocols[i]);
  pq_query_set_reverse_lookup (query, g_settings_get_boolean (self->settings, "reverse-lookup"));
  pq_query_set_community (query, community);
  return query;
}

static void
query_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  g_autoptr(PqQuery) query = NULL;

  if (self->cancellable != NULL)
    return;
  hide_problem (self);
  query = query_from_form (self, text);
  if (query == NULL)
    return;
  remember_form (self);
  start_query (self, query, text);
  _pq_window_update_actions (self);
}

static void
stop_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  _pq_window_repeat_stop (self);
  if (self->file_cancellable != NULL)
    g_cancellable_cancel (self->file_cancellable);
}

/* The form asks again what the report asked: Query repeats it. */
static void
show_report_ports (PqWindow *self,
                   PqReport *report)
{
  g_autofree char *ports = pq_report_get_ports_text (report);
  int protocols = PQ_PROTOCOLS_TCP;

  if (ports == NULL || *ports == '\0')
    return;
  gtk_check_button_set_active (self->ports_radio, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->ports_entry), ports);
  /* A name this version does not know leaves TCP. */
  pq_enum_from_nick (PQ_TYPE_PROTOCOLS, pq_report_get_protocols_text (report), &protocols);
  select_protocols (self, protocols);
}

/* Shows a report read from a file (or made elsewhere) as if just run. */
void
pq_window_show_report (PqWindow *self,
                       PqReport *report)
{
  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (PQ_IS_REPORT (report));

  /* A running query gives way: its end is no longer awaited. */
  _pq_window_repeat_stop (self);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
    }
  g_clear_object (&self->query);
  g_clear_object (&self->previous);
  g_clear_object (&self->previous_file);
  _pq_window_hosts_show_input (self, report);
  show_report_ports (self, report);
  hide_problem (self);
  show_results_of (self, report);
  _pq_window_set_file (self, NULL);
}

/* ------------------------------------------------------------------ */
/* Copy                                                                */

static void
copy_summary_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autofree char *summary = pq_window_dup_summary (self);

  if (summary == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), summary);
  _pq_window_toast (self, _("Summary copied"));
}

/* ------------------------------------------------------------------ */
/* Small actions                                                       */

static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
dismiss_problem_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  hide_problem (PQ_WINDOW (user_data));
}

/* Open, save and export are added by pq-window-files.c, save-check and
 * delete-check by pq-window-checks.c. */
static const GActionEntry win_actions[] = {
  { .name = "query", .activate = query_activated },
  { .name = "stop", .activate = stop_activated },
  { .name = "copy-summary", .activate = copy_summary_activated },
  { .name = "search", .activate = search_activated },
  { .name = "dismiss-problem", .activate = dismiss_problem_activated },
};

static void
set_action_enabled (PqWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Every action of the window, whichever part adds it, is enabled here. */
void
_pq_window_update_actions (PqWindow *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean have_report = self->report != NULL && !busy;
  PqCheck *check = _pq_window_get_selected_check (self);
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));

  /* Without a host there is nothing to query: the button says so. */
  set_action_enabled (self, "query", !busy && *host != '\0');
  set_action_enabled (self, "stop", busy || _pq_window_repeat_pending (self)
                                    || self->file_cancellable != NULL);
  set_action_enabled (self, "save", have_report && self->pending_files == 0);
  set_action_enabled (self, "export", have_report && self->pending_files == 0);
  set_action_enabled (self, "copy-summary", have_report);
  set_action_enabled (self, "open", !busy && self->pending_files == 0);
  set_action_enabled (self, "domain-controllers", !busy);
  set_action_enabled (self, "save-check", !gtk_check_button_get_active (self->check_radio));
  set_action_enabled (self, "delete-check", check != NULL && pq_check_get_user_defined (check));
  _pq_window_trace_update_actions (self);
}

/* ------------------------------------------------------------------ */
/* Signal handlers                                                     */

static void
on_target_changed (PqWindow *self)
{
  clear_field_error (GTK_WIDGET (self->target_entry), self->target_error);
  hide_query_problem (self);
  _pq_window_update_actions (self);
}

static void
on_ports_changed (PqWindow *self)
{
  clear_field_error (GTK_WIDGET (self->ports_entry), self->ports_error);
  hide_query_problem (self);
}

/* The form's own memory (recent hosts, last ports, window size) fixes
 * nothing; any other key is a query setting. */
static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     PqWindow   *self)
{
  if (!g_str_has_prefix (key, "recent-") && !g_str_has_prefix (key, "last-") &&
      !g_str_has_prefix (key, "window-") && g_strcmp0 (key, "problems-only") != 0)
    hide_query_problem (self);
}

static void
on_search_changed (PqWindow *self)
{
  pq_results_view_set_search_text (self->results_view,
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_mode (PqWindow *self)
{
  /* A closed search bar hides nothing. */
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    pq_results_view_set_search_text (self->results_view, NULL);
  else
    on_search_changed (self);
}

static void
on_entry_activate (PqWindow *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "query", NULL);
}

static gboolean
pq_window_close_request (GtkWindow *window)
{
  PqWindow *self = PQ_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (pq_window_parent_class)->close_request (window);
}

static void
pq_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  GTK_WIDGET_CLASS (pq_window_parent_class)->size_allocate (widget, width, height, baseline);
  _pq_window_layout_allocated (PQ_WINDOW (widget), width);
}

/* ------------------------------------------------------------------ */

static void
pq_window_dispose (GObject *object)
{
  PqWindow *self = PQ_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _pq_window_files_dispose (self);
  _pq_window_text_dispose (self);
  _pq_window_layout_dispose (self);
  _pq_window_local_dispose (self);
  g_clear_object (&self->query);
  g_clear_object (&self->report);
  g_clear_object (&self->previous);
  g_clear_object (&self->previous_file);
  g_clear_object (&self->shown_file);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_WINDOW);
  G_OBJECT_CLASS (pq_window_parent_class)->dispose (object);
}

static void
pq_window_finalize (GObject *object)
{
  PqWindow *self = PQ_WINDOW (object);

  _pq_window_hosts_finalize (self);
  g_clear_object (&self->settings);
  g_clear_object (&self->checks);
  g_free (self->checks_path);
  G_OBJECT_CLASS (pq_window_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqWindow, name)

static void
pq_window_class_init (PqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pq_window_dispose;
  object_class->finalize = pq_window_finalize;
  window_class->close_request = pq_window_close_request;
  widget_class->size_allocate = pq_window_size_allocate;

  _pq_window_files_class_init (klass);

  g_type_ensure (PQ_TYPE_CHECK);
  g_type_ensure (PQ_TYPE_RESULTS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portquery/PortQuery/ui/pq-window.ui");
  BIND (toast_overlay);
  BIND (window_title);
  BIND (search_button);
  BIND (target_entry);
  BIND (recent_button);
  BIND (target_error);
  BIND (check_radio);
  BIND (check_dropdown);
  BIND (delete_check_button);
  BIND (check_ports_label);
  BIND (ports_radio);
  BIND (ports_entry);
  BIND (protocol_dropdown);
  BIND (ports_error);
  BIND (problem_revealer);
  BIND (problem_label);
  BIND (progress_revealer);
  BIND (progress_bar);
  BIND (progress_label);
  BIND (search_bar);
  BIND (search_entry);
  BIND (results_view);
  BIND (summary_label);
  BIND (explain_label);
  BIND (results_stack);
  BIND (text_view);
  BIND (text_toggle);
  BIND (form);
  _pq_window_layout_class_init (klass);
}

static void
restore_form (PqWindow *self)
{
  g_autofree char *ports = g_settings_get_string (self->settings, "last-ports");
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-targets");

  gtk_editable_set_text (GTK_EDITABLE (self->ports_entry), ports);
  select_protocols (self, g_settings_get_enum (self->settings, "last-protocol"));
  if (recent[0] != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->target_entry), recent[0]);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
connect_signals (PqWindow *self)
{
  g_signal_connect_object (self->target_entry, "changed", G_CALLBACK (on_target_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ports_entry, "changed", G_CALLBACK (on_ports_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->target_entry, "activate", G_CALLBACK (on_entry_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ports_entry, "activate", G_CALLBACK (on_entry_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode), self, G_CONNECT_SWAPPED);
  /* A setting changed in Preferences may be the fix of the query's problem. */
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
}

static void
pq_window_init (PqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (SCHEMA_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  _pq_window_trace_init (self);
  _pq_window_files_init (self);

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Typing while the table has the focus starts a search. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->results_view));

  restore_form (self);
  _pq_window_checks_init (self);
  _pq_window_recent_init (self);
  _pq_window_text_init (self);
  _pq_window_layout_init (self);
  _pq_window_hosts_init (self);
  _pq_window_local_init (self);
  connect_signals (self);
  _pq_window_update_actions (self);
  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

PqWindow *
pq_window_new (PqApplication *application)
{
  return g_object_new (PQ_TYPE_WINDOW, "application", application, NULL);
}

gboolean
pq_window_get_busy (PqWindow *self)
{
  g_return_val_if_fail (PQ_IS_WINDOW (self), FALSE);
  return self->cancellable != NULL || self->pending_files > 0;
}

PqReport *
pq_window_get_report (PqWindow *self)
{
  g_return_val_if_fail (PQ_IS_WINDOW (self), NULL);
  return self->report;
}

/* Returns: (nullable): the results shown, as they arrive */
GListModel *
pq_window_get_results (PqWindow *self)
{
  g_return_val_if_fail (PQ_IS_WINDOW (self), NULL);
  if (self->query != NULL)
    return pq_query_get_results (self->query);
  return self->report ? pq_report_get_results (self->report) : NULL;
}
