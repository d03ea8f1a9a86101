/* pq-preferences-window.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row is bound to its key with g_settings_bind(), so a change applies
 * at once and the next query uses it. Ranges and defaults are read from
 * the schema rather than repeated here, so the window cannot offer a value
 * the schema refuses or name a default the schema does not have.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-accessible.h"
#include "pq-enum-choice.h"
#include "pq-enums.h"
#include "pq-preferences-window.h"
#include "pq-types.h"

struct _PqPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  AdwComboRow          *address_choice_row;
  AdwEntryRow          *snmp_community_row;
  AdwPreferencesGroup  *snmp_group;
};

G_DEFINE_FINAL_TYPE (PqPreferencesWindow, pq_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* A number of the schema: its row, and the spin button in the row. */
typedef struct
{
  const char *key;
  const char *row;
  const char *spin;
} NumberKey;

static const NumberKey number_keys[] = {
  { "tcp-timeout", "tcp_timeout_row", "tcp_timeout_spin" },
  { "tcp-tries", "tcp_tries_row", "tcp_tries_spin" },
  { "udp-wait", "udp_wait_row", "udp_wait_spin" },
  { "udp-tries", "udp_tries_row", "udp_tries_spin" },
  { "ports-in-flight", "ports_in_flight_row", "ports_in_flight_spin" },
  { "source-port", "source_port_row", "source_port_spin" },
};

typedef struct
{
  const char *key;
  const char *row;
  const char *toggle;
} SwitchKey;

static const SwitchKey switch_keys[] = {
  { "slow-link", "slow_link_row", "slow_link_switch" },
  { "reverse-lookup", "reverse_lookup_row", "reverse_lookup_switch" },
  { "protocol-probes", "protocol_probes_row", "protocol_probes_switch" },
};

static GObject *
child (PqPreferencesWindow *self,
       const char          *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), PQ_TYPE_PREFERENCES_WINDOW, name);
}

static GSettingsSchemaKey *
schema_key (PqPreferencesWindow *self,
            const char          *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_get_key (schema, key);
}

/* "How long to wait … Default: 1000." */
static void
add_default (AdwPreferencesRow *row,
             const char        *value)
{
  const char *explanation = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  /* Translators: an explanation of a setting, then its default value */
  g_autofree char *subtitle = g_strdup_printf (_("%s Default: %s."), explanation ? explanation : "", value);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
bind_number (PqPreferencesWindow *self,
             const NumberKey     *number)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (child (self, number->spin));
  g_autoptr(GSettingsSchemaKey) key = schema_key (self, number->key);
  g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);
  g_autofree char *value = g_strdup_printf ("%u", g_variant_get_uint32 (fallback));
  const char *kind;

  g_variant_get (range, "(&sv)", &kind, &limits);
  if (g_str_equal (kind, "range") && g_variant_is_of_type (limits, G_VARIANT_TYPE ("(uu)")))
    {
      guint32 min, max;

      g_variant_get (limits, "(uu)", &min, &max);
      gtk_spin_button_set_range (spin, min, max);
    }

  g_settings_bind (self->settings, number->key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  add_default (ADW_PREFERENCES_ROW (child (self, number->row)), value);
}

static void
bind_switch (PqPreferencesWindow *self,
             const SwitchKey     *toggle)
{
  g_autoptr(GSettingsSchemaKey) key = schema_key (self, toggle->key);
  g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);

  g_settings_bind (self->settings, toggle->key, child (self, toggle->toggle), "active",
                   G_SETTINGS_BIND_DEFAULT);
  add_default (ADW_PREFERENCES_ROW (child (self, toggle->row)),
               g_variant_get_boolean (fallback) ? _("on") : _("off"));
}

/* The row lists PqAddressChoice's values in order (pq-enum-choice.c). */
static void
bind_address_choice (PqPreferencesWindow *self)
{
  g_autoptr(GSettingsSchemaKey) key = schema_key (self, "address-choice");
  g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);
  GListModel *names = adw_combo_row_get_model (self->address_choice_row);
  int choice;

  pq_enum_choice_bind (self->settings, "address-choice", self->address_choice_row, "selected",
                       PQ_TYPE_ADDRESS_CHOICE);
  if (pq_enum_from_nick (PQ_TYPE_ADDRESS_CHOICE, g_variant_get_string (fallback, NULL), &choice))
    add_default (ADW_PREFERENCES_ROW (self->address_choice_row),
                 gtk_string_list_get_string (GTK_STRING_LIST (names),
                                             pq_enum_choice_get_position (PQ_TYPE_ADDRESS_CHOICE, choice)));
}

static void
bind_community (PqPreferencesWindow *self)
{
  g_autoptr(GSettingsSchemaKey) key = schema_key (self, "snmp-community");
  g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);
  const char *explanation = adw_preferences_group_get_description (self->snmp_group);
  /* Translators: an explanation of the SNMP community, then its default, such as “public” */
  g_autofree char *description = g_strdup_printf (_("%s Default: “%s”."), explanation ? explanation : "",
                                                  g_variant_get_string (fallback, NULL));

  g_settings_bind (self->settings, "snmp-community", self->snmp_community_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_set_description (self->snmp_group, description);
}

/* A number typed but not yet confirmed with Enter still counts. */
static gboolean
pq_preferences_window_close_request (GtkWindow *window)
{
  PqPreferencesWindow *self = PQ_PREFERENCES_WINDOW (window);

  for (guint i = 0; i < G_N_ELEMENTS (number_keys); i++)
    gtk_spin_button_update (GTK_SPIN_BUTTON (child (self, number_keys[i].spin)));

  return GTK_WINDOW_CLASS (pq_preferences_window_parent_class)->close_request (window);
}

static void
pq_preferences_window_dispose (GObject *object)
{
  PqPreferencesWindow *self = PQ_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pq_preferences_window_parent_class)->dispose (object);
}

static void
pq_preferences_window_class_init (PqPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pq_preferences_window_dispose;
  window_class->close_request = pq_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portquery/PortQuery/ui/pq-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PqPreferencesWindow, address_choice_row);
  gtk_widget_class_bind_template_child (widget_class, PqPreferencesWindow, snmp_community_row);
  gtk_widget_class_bind_template_child (widget_class, PqPreferencesWindow, snmp_group);

  /* Found by name (child ()) through the tables above. */
  for (guint i = 0; i < G_N_ELEMENTS (number_keys); i++)
    {
      gtk_widget_class_bind_template_child_full (widget_class, number_keys[i].row, FALSE, 0);
      gtk_widget_class_bind_template_child_full (widget_class, number_keys[i].spin, FALSE, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (switch_keys); i++)
    {
      gtk_widget_class_bind_template_child_full (widget_class, switch_keys[i].row, FALSE, 0);
      gtk_widget_class_bind_template_child_full (widget_class, switch_keys[i].toggle, FALSE, 0);
    }
}

static void
pq_preferences_window_init (PqPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pq_accessible_name_search (GTK_WIDGET (self), _("Search preferences"), _("Search"));

  self->settings = g_settings_new (SCHEMA_ID);
  for (guint i = 0; i < G_N_ELEMENTS (number_keys); i++)
    bind_number (self, &number_keys[i]);
  for (guint i = 0; i < G_N_ELEMENTS (switch_keys); i++)
    bind_switch (self, &switch_keys[i]);
  bind_address_choice (self);
  bind_community (self);
}

/**
 * pq_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new preferences window, modal for @parent;
 *   it is destroyed when closed
 */
GtkWindow *
pq_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (PQ_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}
