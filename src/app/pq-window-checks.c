/* pq-window-checks.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's service checks: the list loaded at start (predefined and
 * the user's own, pq-checks.c), choosing one, "Save as Check…" for the
 * ports typed and deleting a check of the user's. The query reads the
 * chosen check through _pq_window_get_selected_check().
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-ports.h"
#include "pq-window-private.h"

PqCheck *
_pq_window_get_selected_check (PqWindow *self)
{
  return gtk_drop_down_get_selected_item (self->check_dropdown);
}

static void
update_check_widgets (PqWindow *self)
{
  PqCheck *check = _pq_window_get_selected_check (self);
  gboolean by_check = gtk_check_button_get_active (self->check_radio);
  g_autofree char *ports = check ? pq_check_dup_ports_text (check) : NULL;

  gtk_label_set_text (self->check_ports_label, ports ? ports : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_dropdown), by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_ports_label), by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ports_entry), !by_check);
  gtk_widget_set_sensitive (GTK_WIDGET (self->protocol_dropdown), !by_check);
  gtk_widget_set_visible (self->delete_check_button, check != NULL && pq_check_get_user_defined (check));
  if (by_check)
    _pq_window_clear_ports_error (self);
  _pq_window_update_actions (self);
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
    _pq_window_show_problem (self, error->message);
  gtk_drop_down_set_model (self->check_dropdown, G_LIST_MODEL (self->checks));
  if (pq_checks_find (G_LIST_MODEL (self->checks), last, &position) != NULL)
    {
      gtk_drop_down_set_selected (self->check_dropdown, position);
      gtk_check_button_set_active (self->check_radio, TRUE);
    }
  else
    gtk_check_button_set_active (self->ports_radio, TRUE);
}

static void
save_check_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        PqWindow         *self)
{
  /* The name entry is the dialog's extra child (save_check_activated). */
  GtkEditable *name_entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  PqCheck *check;
  guint position;

  if (g_strcmp0 (response, "save") != 0)
    return;
  check = pq_checks_add (self->checks, self->checks_path, gtk_editable_get_text (name_entry),
                         gtk_editable_get_text (GTK_EDITABLE (self->ports_entry)),
                         _pq_window_get_protocols (self), &error);
  if (check == NULL)
    {
      _pq_window_show_problem (self, error->message);
      return;
    }
  if (g_list_store_find (self->checks, check, &position))
    gtk_drop_down_set_selected (self->check_dropdown, position);
  _pq_window_toast (self, _("Check saved"));
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
      _pq_window_show_ports_error (self, error->message);
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
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_check_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_check_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);
  PqCheck *selected = _pq_window_get_selected_check (self);
  g_autoptr(PqCheck) check = selected ? g_object_ref (selected) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (check == NULL)
    return;
  if (!pq_checks_remove (self->checks, self->checks_path, check, &error))
    {
      _pq_window_show_problem (self, error->message);
      return;
    }
  message = g_strdup_printf (_("Check “%s” deleted"), pq_check_get_name (check));
  _pq_window_toast (self, message);
}

static const GActionEntry check_actions[] = {
  { .name = "save-check", .activate = save_check_activated },
  { .name = "delete-check", .activate = delete_check_activated },
};

/* Loads the checks and selects the one used last, if any. */
void
_pq_window_checks_init (PqWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), check_actions, G_N_ELEMENTS (check_actions), self);
  load_checks (self);
  g_signal_connect_object (self->check_radio, "notify::active",
                           G_CALLBACK (update_check_widgets), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_dropdown, "notify::selected",
                           G_CALLBACK (update_check_widgets), self, G_CONNECT_SWAPPED);
  update_check_widgets (self);
}
