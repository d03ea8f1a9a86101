/* pq-window-recent.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's Recent Hosts: the menu of the clock button, newest first,
 * with "Clear Recent Hosts" under them. A host is remembered only once
 * its name resolved, so a typo never comes back in the list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-window-private.h"

#define MAX_RECENT_TARGETS 10

static void
rebuild_recent_menu (PqWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-targets");
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) hosts = g_menu_new ();
  g_autoptr(GMenu) clear = g_menu_new ();

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (recent[i], NULL);

      g_menu_item_set_action_and_target_value (item, "win.use-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (hosts, item);
    }
  g_menu_append (clear, _("_Clear Recent Hosts"), "win.clear-recent");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (hosts));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (clear));
  gtk_menu_button_set_menu_model (self->recent_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button), recent[0] != NULL);
}

/* Puts @target first, once, keeping at most MAX_RECENT_TARGETS. */
void
_pq_window_remember_target (PqWindow   *self,
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
clear_recent_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PqWindow *self = PQ_WINDOW (user_data);

  g_settings_reset (self->settings, "recent-targets");
  /* The button goes insensitive: its menu closed, the focus moves on. */
  gtk_widget_grab_focus (GTK_WIDGET (self->target_entry));
}

static const GActionEntry recent_actions[] = {
  { .name = "use-recent", .activate = use_recent_activated, .parameter_type = "s" },
  { .name = "clear-recent", .activate = clear_recent_activated },
};

void
_pq_window_recent_init (PqWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), recent_actions, G_N_ELEMENTS (recent_actions), self);
  rebuild_recent_menu (self);
  g_signal_connect_object (self->settings, "changed::recent-targets", G_CALLBACK (rebuild_recent_menu), self,
                           G_CONNECT_SWAPPED);
}
