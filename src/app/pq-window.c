/* pq-window.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-checks.h"
#include "pq-error.h"
#include "pq-ports.h"
#include "pq-query.h"
#include "pq-report-file.h"
#include "pq-report-text.h"
#include "pq-results-view.h"
#include "pq-rules.h"
#include "pq-window.h"

#define MAX_RECENT_TARGETS 10

/* Positions in the protocol drop-down (ui/pq-window.ui). */
enum { PROTOCOL_TCP, PROTOCOL_UDP, PROTOCOL_BOTH };

struct _PqWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *search_button;
  GtkEntry             *target_entry;
  GtkMenuButton        *recent_button;
  GtkLabel             *target_error;
  GtkCheckButton       *check_radio;
  GtkDropDown          *check_dropdown;
  GtkWidget            *delete_check_button;
  GtkLabel             *check_ports_label;
  GtkCheckButton       *ports_radio;
  GtkEntry             *ports_entry;
  GtkDropDown          *protocol_dropdown;
  GtkLabel             *ports_error;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_label;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  PqResultsView        *results_view;
  GtkLabel             *summary_label;
  GtkLabel             *explain_label;
  GtkToggleButton      *problems_toggle;

  GSettings            *settings;
  GListStore           *checks;
  char                 *checks_path;
  PqQuery              *query;          /* the running or last query */
  PqReport             *report;         /* what Save, Export and Copy use */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  int                   pending_files;  /* saves, exports and opens running */
};

G_DEFINE_FINAL_TYPE (PqWindow, pq_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  SIGNAL_FILE_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_actions (PqWindow *self);

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

static void
show_problem (PqWindow   *self,
              const char *message)
{
  gtk_label_set_text (self->problem_label, message);
  gtk_revealer_set_reveal_child (self->problem_revealer, TRUE);
}

static void
hide_problem (PqWindow *self)
{
  gtk_revealer_set_reveal_child (self->problem_revealer, FALSE);
}

static void
toast (PqWindow   *self,
       const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */

static void
count_states (GListModel *results,
              guint       counts[4])
{
  guint n = g_list_model_get_n_items (results);

  memset (counts, 0, 4 * sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);
      PqPortState state = pq_result_get_state (result);

      if ((guint) state < 4)
        counts[state]++;
    }
}

static void
update_summary (PqWindow *self)
{
  static const PqPortState order[] = {
    PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_NOT_LISTENING,
    PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_LISTENING_OR_FILTERED,
  };
  g_autoptr(GString) explain = g_string_new (NULL);
  g_autofree char *summary = NULL;
  guint counts[4];

  if (self->report == NULL)
    {
      gtk_label_set_text (self->summary_label, _("No results yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->explain_label), FALSE);
      return;
    }

  summary = pq_report_summary (self->report);
  if (pq_report_get_cancelled (self->report))
    {
      g_autofree char *partial = g_strdup_printf (_("%s (stopped before the end)"), summary);

      g_free (summary);
      summary = g_steal_pointer (&partial);
    }
  gtk_label_set_text (self->summary_label, summary);

  /* One sentence per state present, in words a help desk can pass on. */
  count_states (pq_report_get_results (self->report), counts);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (counts[order[i]] > 0)
      g_string_append_printf (explain, "%s%s", explain->len ? "\n" : "", pq_state_explain (order[i]));
  gtk_label_set_text (self->explain_label, explain->str);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), explain->len > 0);
}

/* Returns: the summary and one line per port, for a ticket or a chat */
char *
pq_window_dup_summary (PqWindow *self)
{
  GString *out;
  GListModel *results;
  g_autofree char *summary = NULL;
  guint n;

  g_return_val_if_fail (PQ_IS_WINDOW (self), NULL);
  if (self->report == NULL)
    return NULL;

  out = g_string_new (NULL);
  results = pq_report_get_results (self->report);
  summary = pq_report_summary (self->report);
  n = g_list_model_get_n_items (results);
  g_string_append_printf (out, _("Port Query: %s"), pq_target_get_input (pq_report_get_target (self->report)));
  g_string_append_printf (out, "\n%s\n\n", summary);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) result = g_list_model_get_item (results, i);
      g_autofree char *line = pq_text_result_line (result);

      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

static void
set_report (PqWindow *self,
            PqReport *report)
{
  g_set_object (&self->report, report);
  update_summary (self);
  update_actions (self);
}

/* ------------------------------------------------------------------ */
/* Recent targets                                                      */

static void
rebuild_recent_menu (PqWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-targets");
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (recent[i], NULL);

      g_menu_item_set_action_and_target_value (item, "win.use-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->recent_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button), recent[0] != NULL);
}

static void
remember_target (PqWindow   *self,
                 const char *target)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-targets");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint kept = 1;

  g_strv_builder_add (builder, target);
  for (guint i = 0; recent[i] != NULL && kept < MAX_RECENT_TARGETS; i++)
    if (g_strcmp0 (recent[i], target) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        kept++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-targets", (const char * const *) updated);
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

static PqCheck *
selected_check (PqWindow *self)
{
  return gtk_drop_down_get_selected_item (self->check_dropdown);
}

static void
update_check_widgets (PqWindow *self)
{
  PqCheck *check = selected_check (self);
  gboolean by_check = gtk_check_button_get_active (self->check_radio);
  g_autofree char *ports = check ? pq_check_dup_ports_text (check) : NULL;

  gtk_label_set_text (self->check_ports_label, ports ? ports : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_dropdown), by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_ports_label), by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ports_entry), !by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->protocol_dropdown), !by_check);
  gtk_widget_set_visible (self->delete_check_button, check != NULL && pq_check_get_user_defined (check));
  if (by_check)
    clear_field_error (GTK_WIDGET (self->ports_entry), self->ports_error);
  update_actions (self);
}

static void
load_checks (PqWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last = g_settings_get_string (self->settings, "last-check");
  guint position = 0;

  self->checks_path = pq_checks_default_path ();
  self->checks = pq_checks_load (self->checks_path, &error);
  if (error != NULL)
    show_problem (self, error->message);
  gtk_drop_down_set_model (self->check_dropdown, G_LIST_MODEL (self->checks));
  if (pq_checks_find (G_LIST_MODEL (self->checks), last, &position) != NULL)
    {
      gtk_drop_down_set_selected (self->check_dropdown, position);
      gtk_check_button_set_active (self->check_radio, TRUE);
    }
  else
    gtk_check_button_set_active (self->ports_radio, TRUE);
}

static const char *
protocol_nick (guint position)
{
  return position == PROTOCOL_UDP ? "udp" : position == PROTOCOL_BOTH ? "both" : "tcp";
}

/* The inverse of protocol_nick(): settings and reports name the protocol. */
static guint
position_for_nick (const char *nick)
{
  return g_str_equal (nick, "udp") ? PROTOCOL_UDP
       : g_str_equal (nick, "both") ? PROTOCOL_BOTH : PROTOCOL_TCP;
}

static PqProtocols
protocols_for_position (guint position)
{
  return position == PROTOCOL_UDP ? PQ_PROTOCOLS_UDP
       : position == PROTOCOL_BOTH ? PQ_PROTOCOLS_BOTH : PQ_PROTOCOLS_TCP;
}

static void
save_check_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        PqWindow         *self)
{
  GtkEditable *name_entry = g_object_get_data (G_OBJECT (dialog), "pq-name-entry");
  g_autoptr(GError) error = NULL;
  PqCheck *check;
  guint position;

  if (g_strcmp0 (response, "save") != 0)
    return;
  check = pq_checks_add (self->checks, self->checks_path, gtk_editable_get_text (name_entry),
                         gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)),
                         protocols_for_position (gtk_drop_down_get_selected (self->protocol_dropdown)),
                         &error);
  if (check == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  if (g_list_store_find (self->checks, check, &position))
    gtk_drop_down_set_selected (self->check_dropdown, position);
  toast (self, _("Check saved"));
}

static void
save_check_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autoptr(GArray) ports = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  /* Only a list that would run is worth a name. */
  ports = pq_ports_parse (gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)), &error);
  if (ports == NULL)
    {
      show_field_error (GTK_WIDGET (self->ports_entry), self->ports_error, error->message);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save as Check"),
                                   _("Give these ports a name to find them again in the list of service checks."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name, for example File server"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Check name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "pq-name-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_check_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_check_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autoptr(PqCheck) check = selected_check (self) ? g_object_ref (selected_check (self)) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (check == NULL)
    return;
  if (!pq_checks_remove (self->checks, self->checks_path, check, &error))
    {
      show_problem (self, error->message);
      return;
    }
  message = g_strdup_printf (_("Check “%s” deleted"), pq_check_get_name (check));
  toast (self, message);
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

static PqAddressChoice
read_address_choice (PqWindow *self)
{
  g_autofree char *choice = g_settings_get_string (self->settings, "address-choice");

  if (g_str_equal (choice, "ipv4"))
    return PQ_ADDRESS_IPV4;
  if (g_str_equal (choice, "ipv6"))
    return PQ_ADDRESS_IPV6;
  if (g_str_equal (choice, "all"))
    return PQ_ADDRESS_ALL;
  return PQ_ADDRESS_FIRST;
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
  PqCheck *check = selected_check (self);

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
      show_field_error (GTK_WIDGET (self->ports_entry), self->ports_error, error->message);
      return FALSE;
    }
  form->protocols[0] = protocols_for_position (gtk_drop_down_get_selected (self->protocol_dropdown));
  return TRUE;
}

static void
remember_form (PqWindow   *self,
               const char *target)
{
  PqCheck *check = selected_check (self);
  gboolean by_check = gtk_check_button_get_active (self->check_radio) && check != NULL;

  remember_target (self, target);
  g_settings_set_string (self->settings, "last-check", by_check ? pq_check_get_id (check) : "custom");
  if (!by_check)
    {
      g_settings_set_string (self->settings, "last-ports",
                             gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)));
      g_settings_set_string (self->settings, "last-protocol",
                             protocol_nick (gtk_drop_down_get_selected (self->protocol_dropdown)));
    }
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
  pq_results_view_set_show_address (self->results_view, pq_query_get_n_addresses (query) > 1);
  /* The counts so far, so a long query already tells something. */
  if (pq_query_get_report (query) != NULL && done > 0)
    {
      g_autofree char *summary = pq_report_summary (pq_query_get_report (query));

      gtk_label_set_text (self->summary_label, summary);
    }
}

static gboolean
is_target_error (const GError *error)
{
  return g_error_matches (error, PQ_ERROR, PQ_ERROR_NOT_FOUND) ||
         g_error_matches (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS) ||
         g_error_matches (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
}

/* The host as typed, with the name its address has when one was found:
 * "10.0.0.5 (fileserver.example.com)". */
static void
show_target_subtitle (PqWindow *self)
{
  PqTarget *target;
  const char *reverse;
  g_autofree char *clean = NULL;
  g_autofree char *subtitle = NULL;

  if (self->report == NULL || (target = pq_report_get_target (self->report)) == NULL)
    return;
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

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(PqWindow) self = data;
  PqQuery *query = PQ_QUERY (object);
  g_autoptr(GError) error = NULL;

  if (query != self->query)
    return;
  g_clear_object (&self->cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

  if (!pq_query_run_finish (query, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("Query stopped"));
      else if (is_target_error (error))
        {
          show_field_error (GTK_WIDGET (self->target_entry), self->target_error, error->message);
          show_problem (self, error->message);
        }
      else
        show_problem (self, error->message);
    }
  set_report (self, pq_query_get_report (query));
  show_target_subtitle (self);
}

/* Shows @query's results as they come and its progress until it ends. */
static void
start_query (PqWindow   *self,
             PqQuery    *query,
             const char *text)
{
  g_set_object (&self->query, query);
  set_report (self, NULL);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (query, "progress", G_CALLBACK (on_query_progress), self, 0);
  pq_results_view_set_results (self->results_view, pq_query_get_results (query));
  adw_window_title_set_subtitle (self->window_title, text);
  gtk_label_set_text (self->progress_label, _("Looking up the host…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  gtk_label_set_text (self->summary_label, _("Querying…"));
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), FALSE);
  pq_query_run_async (query, self->cancellable, query_done_cb, g_object_ref (self));
}

static void
query_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(PqQuery) query = NULL;
  g_autofree char *community = g_settings_get_string (self->settings, "snmp-community");
  g_auto(FormPorts) form = { { NULL, NULL }, { 0, 0 } };
  PqScanOptions options;
  gboolean ports_ok;

  if (self->cancellable != NULL)
    return;
  hide_problem (self);
  target = pq_target_new_parse (text, &error);
  if (target == NULL)
    show_field_error (GTK_WIDGET (self->target_entry), self->target_error, error->message);

  ports_ok = read_form_ports (self, &form);
  if (target == NULL || !ports_ok)
    {
      gtk_widget_grab_focus (target == NULL ? GTK_WIDGET (self->target_entry) : GTK_WIDGET (self->ports_entry));
      return;
    }
  read_scan_options (self, &options);
  g_clear_error (&error);
  if (!pq_scan_options_validate (&options, &error))
    {
      show_problem (self, error->message);
      return;
    }

  query = pq_query_new (target, &options, read_address_choice (self));
  for (guint i = 0; i < G_N_ELEMENTS (form.ports); i++)
    if (form.ports[i] != NULL)
      pq_query_add_ports (query, form.ports[i], form.protocols[i]);
  remember_form (self, text);
  pq_query_set_reverse_lookup (query, g_settings_get_boolean (self->settings, "reverse-lookup"));
  pq_query_set_community (query, community);
  start_query (self, query, text);
  update_actions (self);
}

static void
stop_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void
file_done (PqWindow     *self,
           GFile        *file,
           const GError *error,
           const char   *success)
{
  self->pending_files--;
  if (error != NULL)
    show_problem (self, error->message);
  else if (success != NULL)
    toast (self, success);
  g_signal_emit (self, signals[SIGNAL_FILE_DONE], 0, file, error ? error->message : NULL);
  update_actions (self);
}

typedef struct
{
  PqWindow *window;
  GFile    *file;
  char     *success;
} FileOp;

static FileOp *
file_op_new (PqWindow   *self,
             GFile      *file,
             const char *success)
{
  FileOp *op = g_new0 (FileOp, 1);

  op->window = g_object_ref (self);
  op->file = g_object_ref (file);
  op->success = g_strdup (success);
  self->pending_files++;
  update_actions (self);
  return op;
}

static void
file_op_free (FileOp *op)
{
  g_object_unref (op->window);
  g_object_unref (op->file);
  g_free (op->success);
  g_free (op);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  FileOp *op = data;
  g_autoptr(GError) error = NULL;

  pq_report_file_write_finish (result, &error);
  file_done (op->window, op->file, error, op->success);
  file_op_free (op);
}

static void
write_report (PqWindow       *self,
              GFile          *file,
              PqReportFormat  format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *success = g_strdup_printf (_("Saved as %s"), name);

  if (self->report == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (PQ_ERROR, PQ_ERROR_REPORT,
                                                     _("There is nothing to save yet: run a query first."));
      self->pending_files++;
      file_done (self, file, error, NULL);
      return;
    }
  pq_report_file_write_async (self->report, file, format, NULL, write_done_cb,
                              file_op_new (self, file, success));
}

void
pq_window_save_file (PqWindow *self,
                     GFile    *file)
{
  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  write_report (self, file, PQ_REPORT_FORMAT_JSON);
}

static const struct {
  PqReportFormat format;
  const char *extension;
  const char *mime;
  const char *name;
} export_formats[] = {
  { PQ_REPORT_FORMAT_HTML, "html", "text/html", N_("Web page (HTML)") },
  { PQ_REPORT_FORMAT_TEXT, "txt", "text/plain", N_("Text, as PortQry's log (TXT)") },
  { PQ_REPORT_FORMAT_CSV, "csv", "text/csv", N_("Spreadsheet (CSV)") },
  { PQ_REPORT_FORMAT_JSON, "json", "application/json", N_("Port Query report (JSON)") },
};

void
pq_window_export_file (PqWindow *self,
                       GFile    *file,
                       int       filter_format)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) target = g_object_ref (file);
  g_autoptr(GError) error = NULL;
  PqReportFormat format;

  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_basename (file);
  /* The name decides; a name without a known extension gets the one of
   * the filter chosen, so the file opens in the right program. */
  if (!pq_report_format_for_path (path, &format, &error))
    {
      g_autofree char *with_extension = NULL;

      if (filter_format < 0)
        {
          self->pending_files++;
          file_done (self, file, error, NULL);
          return;
        }
      format = filter_format;
      for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
        if (export_formats[i].format == format)
          with_extension = g_strdup_printf ("%s.%s", path, export_formats[i].extension);
      {
        g_autoptr(GFile) parent = g_file_get_parent (file);

        g_clear_object (&target);
        target = g_file_get_child (parent, with_extension);
      }
    }
  write_report (self, target, format);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  FileOp *op = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = pq_report_file_load_finish (result, &error);

  if (report != NULL)
    pq_window_show_report (op->window, report);
  file_done (op->window, op->file, error, NULL);
  file_op_free (op);
}

void
pq_window_open_file (PqWindow *self,
                     GFile    *file)
{
  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  pq_report_file_load_async (file, NULL, open_done_cb, file_op_new (self, file, NULL));
}

/* The form asks again what the report asked: Query repeats it. */
static void
show_report_ports (PqWindow *self,
                   PqReport *report)
{
  g_autofree char *ports = pq_report_get_ports_text (report);
  const char *protocols = pq_report_get_protocols_text (report);

  if (ports == NULL || *ports == '\0')
    return;
  gtk_check_button_set_active (self->ports_radio, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->ports_entry), ports);
  gtk_drop_down_set_selected (self->protocol_dropdown, position_for_nick (protocols));
}

/* Shows a report read from a file (or made elsewhere) as if just run. */
void
pq_window_show_report (PqWindow *self,
                       PqReport *report)
{
  PqTarget *target;

  g_return_if_fail (PQ_IS_WINDOW (self));
  g_return_if_fail (PQ_IS_REPORT (report));

  /* A running query gives way: its end is no longer awaited. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
    }
  g_clear_object (&self->query);
  target = pq_report_get_target (report);
  if (target != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->target_entry), pq_target_get_input (target));
  show_report_ports (self, report);
  hide_problem (self);
  pq_results_view_set_results (self->results_view, pq_report_get_results (report));
  pq_results_view_set_show_address (self->results_view, pq_report_get_queried (report)->len > 1);
  set_report (self, report);
  show_target_subtitle (self);
}

static char *
suggested_name (PqWindow   *self,
                const char *extension)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  const char *host = pq_target_get_host (pq_report_get_target (self->report));
  g_autofree char *clean = g_strdup (host ? host : "report");

  g_strdelimit (clean, "/\\:%", '-');
  return g_strdup_printf ("portquery-%s-%s.%s", clean, date, extension);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     PqWindow        *self)
{
  const char *kind = g_object_get_data (G_OBJECT (dialog), "pq-kind");
  g_autoptr(GFile) file = NULL;
  GtkFileFilter *filter;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && g_str_equal (kind, "open"))
    pq_window_open_file (self, file);
  else if (file != NULL && g_str_equal (kind, "save"))
    pq_window_save_file (self, file);
  else if (file != NULL)
    {
      filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      pq_window_export_file (self, file,
                             filter ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (filter), "pq-format")) : -1);
    }
  g_clear_object (&self->chooser);
}

static void
run_chooser (PqWindow             *self,
             const char           *kind,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), "pq-kind", (gpointer) kind);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
}

static GtkFileFilter *
new_filter (const char *name,
            const char *mime,
            const char *extension,
            int         format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", extension);

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_filter_add_pattern (filter, pattern);
  g_object_set_data (G_OBJECT (filter), "pq-format", GINT_TO_POINTER (format));
  return filter;
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autoptr(GtkFileFilter) filter = new_filter (_("Port Query report (JSON)"), "application/json", "json",
                                                PQ_REPORT_FORMAT_JSON);

  run_chooser (self, "open", _("Open Report"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autoptr(GtkFileFilter) filter = new_filter (_("Port Query report (JSON)"), "application/json", "json",
                                                PQ_REPORT_FORMAT_JSON);
  g_autofree char *name = suggested_name (self, "json");

  run_chooser (self, "save", _("Save Report"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  g_autofree char *name = suggested_name (self, "html");

  run_chooser (self, "export", _("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = new_filter (_(export_formats[i].name), export_formats[i].mime,
                                                    export_formats[i].extension, export_formats[i].format);

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

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
  toast (self, _("Summary copied"));
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
use_recent_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);

  gtk_editable_set_text (GTK_EDITABLE (self->target_entry), g_variant_get_string (parameter, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->target_entry));
}

static void
dismiss_problem_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  hide_problem (PQ_WINDOW (user_data));
}

static const GActionEntry win_actions[] = {
  { .name = "query", .activate = query_activated },
  { .name = "stop", .activate = stop_activated },
  { .name = "open", .activate = open_activated },
  { .name = "save", .activate = save_activated },
  { .name = "export", .activate = export_activated },
  { .name = "copy-summary", .activate = copy_summary_activated },
  { .name = "search", .activate = search_activated },
  { .name = "use-recent", .activate = use_recent_activated, .parameter_type = "s" },
  { .name = "save-check", .activate = save_check_activated },
  { .name = "delete-check", .activate = delete_check_activated },
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

static void
update_actions (PqWindow *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean have_report = self->report != NULL && !busy;
  PqCheck *check = selected_check (self);

  set_action_enabled (self, "query", !busy);
  set_action_enabled (self, "stop", busy);
  set_action_enabled (self, "save", have_report && self->pending_files == 0);
  set_action_enabled (self, "export", have_report && self->pending_files == 0);
  set_action_enabled (self, "copy-summary", have_report);
  set_action_enabled (self, "open", !busy && self->pending_files == 0);
  set_action_enabled (self, "save-check", !gtk_check_button_get_active (self->check_radio));
  set_action_enabled (self, "delete-check", check != NULL && pq_check_get_user_defined (check));
}

/* ------------------------------------------------------------------ */
/* Signal handlers                                                     */

static void
on_target_changed (PqWindow *self)
{
  clear_field_error (GTK_WIDGET (self->target_entry), self->target_error);
}

static void
on_ports_changed (PqWindow *self)
{
  clear_field_error (GTK_WIDGET (self->ports_entry), self->ports_error);
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
on_problems_toggled (PqWindow *self)
{
  pq_results_view_set_problems_only (self->results_view,
                                     gtk_toggle_button_get_active (self->problems_toggle));
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

/* ------------------------------------------------------------------ */

static void
pq_window_dispose (GObject *object)
{
  PqWindow *self = PQ_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->query);
  g_clear_object (&self->report);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_WINDOW);
  G_OBJECT_CLASS (pq_window_parent_class)->dispose (object);
}

static void
pq_window_finalize (GObject *object)
{
  PqWindow *self = PQ_WINDOW (object);

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

  /**
   * PqWindow::file-done:
   * @file: the file saved, exported or opened
   * @error: (nullable): why it failed, or %NULL
   */
  signals[SIGNAL_FILE_DONE] =
    g_signal_new ("file-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRING);

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
  BIND (problems_toggle);
}

static void
restore_form (PqWindow *self)
{
  g_autofree char *ports = g_settings_get_string (self->settings, "last-ports");
  g_autofree char *protocol = g_settings_get_string (self->settings, "last-protocol");
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-targets");

  gtk_editable_set_text (GTK_EDITABLE (self->ports_entry), ports);
  gtk_drop_down_set_selected (self->protocol_dropdown, position_for_nick (protocol));
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
  g_signal_connect_object (self->check_radio, "notify::active", G_CALLBACK (update_check_widgets), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_dropdown, "notify::selected", G_CALLBACK (update_check_widgets), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problems_toggle, "notify::active", G_CALLBACK (on_problems_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::recent-targets", G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
}

static void
pq_window_init (PqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.portquery.PortQuery");
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Typing while the table has the focus starts a search. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->results_view));
  g_settings_bind (self->settings, "problems-only", self->problems_toggle, "active", G_SETTINGS_BIND_DEFAULT);
  pq_results_view_set_problems_only (self->results_view, gtk_toggle_button_get_active (self->problems_toggle));

  restore_form (self);
  load_checks (self);
  rebuild_recent_menu (self);
  connect_signals (self);
  update_check_widgets (self);
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
