/* pq-window-hosts.c: a query of several hosts in the window
 *
 * The Host field takes what portqry's -n takes, comma-separated: names,
 * addresses, CIDR blocks, last-octet ranges (pq-target-list.c), with the
 * parser's message beside the field for a bad entry or too many hosts.
 * A query of several hosts shows a Host column (pq-results-hosts.c),
 * sorted in the order given; the summary line counts hosts and hosts
 * with problems, and "By Host" beside it lists each host's counts, as
 * portqry's "Summary by host". Recent Hosts keeps the list as typed.
 * "Domain Controllers of…" (pq-domain-dialog.c) fills the Host field
 * with a domain's controllers and runs the query.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-accessible.h"
#include "pq-domain-dialog.h"
#include "pq-report-text.h"
#include "pq-target-list.h"
#include "pq-window-private.h"

struct _PqWindowHosts
{
  char      *typed;          /* the Host field as the running query read it */
  guint      n_targets;      /* the hosts of the running or shown query */
  GtkWidget *by_host;        /* the "By Host" button */
  GtkLabel  *by_host_label;  /* its list */
};

/* Returns: (transfer full) (element-type PqTarget): the hosts of @text, or
 *   %NULL with @error set to what to type instead */
GPtrArray *
_pq_window_hosts_parse (const char  *text,
                        GError     **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);

  if (!pq_target_list_append (targets, text, error))
    return NULL;
  return g_steal_pointer (&targets);
}

PqQuery *
_pq_window_hosts_new_query (PqWindow            *self,
                            GPtrArray           *targets,
                            const PqScanOptions *options,
                            PqAddressChoice      choice)
{
  PqQuery *query = pq_query_new (g_ptr_array_index (targets, 0), options, choice);

  /* Grouped from the first row on (_pq_window_hosts_started follows). */
  self->hosts->n_targets = targets->len;
  for (guint i = 1; i < targets->len; i++)
    pq_query_add_target (query, g_ptr_array_index (targets, i));
  return query;
}

static PqResultsHosts *
results_hosts (PqWindow *self)
{
  return pq_results_view_get_hosts (self->results_view);
}

/* The Address column when it says more than the Host column. */
static void
update_columns (PqWindow *self,
                guint     n_addresses)
{
  PqResultsHosts *hosts = results_hosts (self);
  gboolean grouped = self->hosts->n_targets > 1;

  pq_results_hosts_set_grouped (hosts, grouped);
  pq_results_view_set_show_address (self->results_view,
                                    n_addresses > 1 && (!grouped || pq_results_hosts_need_address (hosts)));
}

/* Every address each host resolved to, once all have resolved (the
 * first "progress"): hosts run at once, so a later host's rows may come
 * before the query says its address (pq-query.c emits in order). */
static void
on_query_progress (PqQuery  *query,
                   guint     done,
                   guint     total,
                   PqWindow *self)
{
  PqReport *report = pq_query_get_report (query);

  if (query != self->query || report == NULL)
    return;
  for (guint t = 0; t < pq_report_get_n_targets (report); t++)
    {
      PqTarget *target = pq_report_get_nth_target (report, t);
      GPtrArray *addresses = pq_target_get_addresses (target);

      for (guint i = 0; addresses != NULL && i < addresses->len; i++)
        {
          g_autofree char *address = g_inet_address_to_string (g_ptr_array_index (addresses, i));

          pq_results_hosts_add (results_hosts (self), address, t, pq_target_get_input (target));
        }
    }
  update_columns (self, pq_query_get_n_addresses (query));
  g_signal_handlers_disconnect_by_func (query, on_query_progress, self);
}

void
_pq_window_hosts_started (PqWindow   *self,
                          PqQuery    *query,
                          const char *text)
{
  g_free (self->hosts->typed);
  self->hosts->typed = g_strdup (text);
  pq_results_hosts_clear (results_hosts (self));
  update_columns (self, 0);
  g_signal_connect_object (query, "progress", G_CALLBACK (on_query_progress), self, 0);
}

/* A report shown (a query's end, a file, none): its hosts. */
void
_pq_window_hosts_show_report (PqWindow *self,
                              PqReport *report)
{
  pq_results_hosts_clear (results_hosts (self));
  self->hosts->n_targets = report ? pq_report_get_n_targets (report) : 0;
  if (report != NULL)
    pq_results_hosts_add_report (results_hosts (self), report);
  update_columns (self, report ? pq_report_get_queried (report)->len : 0);
}

/* What Recent Hosts keeps of the query that ended: the list as typed,
 * or the one host. */
const char *
_pq_window_hosts_get_typed (PqWindow *self,
                            PqReport *report)
{
  if (pq_report_get_n_targets (report) > 1 && self->hosts->typed != NULL)
    return self->hosts->typed;
  return pq_target_get_input (pq_report_get_target (report));
}

/* The Host field asks again what @report asked, every host of it. */
void
_pq_window_hosts_show_input (PqWindow *self,
                             PqReport *report)
{
  g_autofree char *input = NULL;

  if (pq_report_get_target (report) == NULL)
    return;
  input = pq_report_dup_hosts_text (report, G_MAXUINT);
  gtk_editable_set_text (GTK_EDITABLE (self->target_entry), input);
}

/* The host as typed, with the name its address has when one was found:
 * "10.0.0.5 (fileserver.example.com)"; of several hosts, the first few;
 * nothing without a report. */
void
_pq_window_show_target_subtitle (PqWindow *self)
{
  PqTarget *target;
  const char *reverse;
  g_autofree char *clean = NULL;
  g_autofree char *subtitle = NULL;

  if (self->report == NULL || (target = pq_report_get_target (self->report)) == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }
  if (pq_report_get_n_targets (self->report) > 1)
    {
      subtitle = pq_report_dup_hosts_text (self->report, 4);
      clean = pq_text_sanitize (subtitle);
      adw_window_title_set_subtitle (self->window_title, clean);
      return;
    }
  reverse = pq_report_get_queried (self->report)->len > 0 ? pq_report_get_reverse_name (self->report, 0) : NULL;
  if (reverse == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, pq_target_get_input (target));
      return;
    }
  clean = pq_text_sanitize (reverse);
  subtitle = g_strdup_printf ("%s (%s)", pq_target_get_input (target), clean);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* Hosts with a port not listening, or not queried at all. */
static guint
count_hosts_with_problems (PqReport *report)
{
  GListModel *results = pq_report_get_results (report);
  GPtrArray *queried = pq_report_get_queried (report);
  guint n = pq_report_get_n_targets (report), found = 0;
  g_autoptr(GHashTable) host_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *problem = g_new0 (gboolean, n);

  for (guint i = 0; i < queried->len; i++)
    g_hash_table_insert (host_of, g_ptr_array_index (queried, i),
                         GUINT_TO_POINTER (pq_report_get_queried_target (report, i) + 1));
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);
      guint host = GPOINTER_TO_UINT (g_hash_table_lookup (host_of, pq_result_get_address (result)));

      if (host > 0 && host <= n && pq_result_get_state (result) != PQ_PORT_STATE_LISTENING)
        problem[host - 1] = TRUE;
    }
  for (guint t = 0; t < n; t++)
    found += problem[t] || pq_report_get_target_error (report, t) != NULL;
  return found;
}

/* The summary line: of several hosts, how many and how many with
 * problems before the counts; "By Host" lists each host's. */
void
_pq_window_hosts_show_summary (PqWindow   *self,
                               PqReport   *report,
                               const char *summary)
{
  g_autoptr(GString) by_host = g_string_new (NULL);
  g_autofree char *problems = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *line = NULL;
  guint n = pq_report_get_n_targets (report), bad;

  gtk_widget_set_visible (self->hosts->by_host, n > 1);
  if (n <= 1)
    {
      gtk_label_set_text (self->summary_label, summary);
      return;
    }
  bad = count_hosts_with_problems (report);
  problems = bad == 0 ? g_strdup (_("none with problems"))
                      /* Translators: of the hosts of a query, "2 with problems" */
                      : g_strdup_printf (ngettext ("%u with problems", "%u with problems", bad), bad);
  /* Translators: "3 hosts: 2 with problems", then the ports' counts */
  hosts = g_strdup_printf (ngettext ("%u host: %s", "%u hosts: %s", n), n, problems);
  line = g_strdup_printf ("%s · %s", hosts, summary);
  gtk_label_set_text (self->summary_label, line);
  pq_text_append_hosts_summary (by_host, report);
  gtk_label_set_text (self->hosts->by_host_label, g_strstrip (by_host->str));
}

/* While a query of several hosts runs: how many, before the counts so far. */
void
_pq_window_hosts_show_live_summary (PqWindow   *self,
                                    const char *summary)
{
  guint n = self->hosts->n_targets;
  g_autofree char *line = NULL;

  gtk_widget_set_visible (self->hosts->by_host, FALSE);
  if (n <= 1)
    {
      gtk_label_set_text (self->summary_label, summary);
      return;
    }
  /* Translators: a query of several hosts running: "3 hosts · 12 listening" */
  line = g_strdup_printf (ngettext ("%u host · %s", "%u hosts · %s", n), n, summary);
  gtk_label_set_text (self->summary_label, line);
}

static void
domain_query_cb (PqDomainDialog *dialog,
                 const char     *hosts,
                 PqWindow       *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->target_entry), hosts);
  g_action_group_activate_action (G_ACTION_GROUP (self), "query", NULL);
}

static void
domain_controllers_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  PqDomainDialog *dialog = pq_domain_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "query", G_CALLBACK (domain_query_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry hosts_actions[] = {
  { .name = "domain-controllers", .activate = domain_controllers_activated },
};

/* "By Host" beside the summary: each host's counts, in a popover that
 * scrolls for a /24. */
static GtkWidget *
new_by_host_button (PqWindow *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("By Host"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Each host’s ports, counted"));
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  /* Read by its visible label (GTK 4.8 leaves the inner button unnamed). */
  pq_accessible_name_label (gtk_widget_get_first_child (button), _("By Host"));
  gtk_widget_set_visible (button, FALSE);
  self->hosts->by_host_label = GTK_LABEL (label);
  return button;
}

void
_pq_window_hosts_init (PqWindow *self)
{
  GtkWidget *summary_box = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->summary_label)));

  self->hosts = g_new0 (PqWindowHosts, 1);
  g_action_map_add_action_entries (G_ACTION_MAP (self), hosts_actions, G_N_ELEMENTS (hosts_actions), self);
  self->hosts->by_host = new_by_host_button (self);
  gtk_box_append (GTK_BOX (summary_box), self->hosts->by_host);
}

void
_pq_window_hosts_finalize (PqWindow *self)
{
  if (self->hosts == NULL)
    return;
  g_free (self->hosts->typed);
  g_clear_pointer (&self->hosts, g_free);
}

/* For tests: the "By Host" list. */
const char *
_pq_window_hosts_get_by_host_text (PqWindow *self)
{
  return gtk_widget_get_visible (self->hosts->by_host) ? gtk_label_get_text (self->hosts->by_host_label) : NULL;
}
