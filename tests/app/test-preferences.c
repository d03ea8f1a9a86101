/* test-preferences.c: the preferences window changes the settings, and
 * follows them; the shortcuts window lists the application's shortcuts
 *
 * Runs on GSettings' memory backend with the schema compiled in the build
 * (see meson.build), so the user's own settings are never read or changed.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "pq-preferences-window.h"
#include "pq-target.h"

typedef struct
{
  GtkWindow *window;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  f->settings = g_settings_new (SCHEMA_ID);
  /* Each test starts from the defaults, whatever the one before changed. */
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);

  f->window = pq_preferences_window_new (NULL);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_clear_object (&f->settings);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->window), PQ_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static guint
default_uint (Fixture    *f,
              const char *key)
{
  g_autoptr(GVariant) value = g_settings_get_default_value (f->settings, key);

  return g_variant_get_uint32 (value);
}

/* As pressing Enter in the spin button's text. */
static void
press_enter (GtkSpinButton *spin)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (spin)); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_TEXT (w))
      {
        g_signal_emit_by_name (w, "activate");
        return;
      }
  g_assert_not_reached ();
}

/* The spin buttons show the settings, and typing a number changes them. */
static void
test_spin_buttons (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *key, *spin; guint value; } numbers[] = {
    { "tcp-timeout", "tcp_timeout_spin", 2500 },
    { "tcp-tries", "tcp_tries_spin", 7 },
    { "udp-wait", "udp_wait_spin", 300 },
    { "udp-tries", "udp_tries_spin", 5 },
    { "ports-in-flight", "ports_in_flight_spin", 32 },
    { "source-port", "source_port_spin", 53 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      GtkSpinButton *spin = child (f, numbers[i].spin);
      g_autofree char *typed = g_strdup_printf ("%u", numbers[i].value + 1);

      g_test_message ("%s", numbers[i].key);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, (int) default_uint (f, numbers[i].key));

      /* Setting to window */
      g_settings_set_uint (f->settings, numbers[i].key, numbers[i].value);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, (int) numbers[i].value);

      /* Window to setting: arrows, and a number typed and confirmed */
      gtk_spin_button_spin (spin, GTK_SPIN_STEP_BACKWARD, 1);
      g_assert_cmpuint (g_settings_get_uint (f->settings, numbers[i].key), ==,
                        (guint) gtk_spin_button_get_value_as_int (spin));
      g_assert_cmpuint (g_settings_get_uint (f->settings, numbers[i].key), <, numbers[i].value);
      gtk_editable_set_text (GTK_EDITABLE (spin), typed);
      press_enter (spin);
      g_assert_cmpuint (g_settings_get_uint (f->settings, numbers[i].key), ==, numbers[i].value + 1);
    }
}

static gboolean
in_range (Fixture    *f,
          const char *name,
          GVariant   *value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  g_object_get (f->settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, name);
  return g_settings_schema_key_range_check (key, owned);
}

/* The spin buttons offer exactly what the schema allows. */
static void
test_spin_ranges (Fixture       *f,
                  gconstpointer  data)
{
  GtkSpinButton *timeout = child (f, "tcp_timeout_spin");
  GtkSpinButton *window = child (f, "ports_in_flight_spin");
  double min, max;

  gtk_spin_button_get_range (timeout, &min, &max);
  g_assert_true (in_range (f, "tcp-timeout", g_variant_new_uint32 ((guint32) min)));
  g_assert_false (in_range (f, "tcp-timeout", g_variant_new_uint32 ((guint32) min - 1)));
  g_assert_true (in_range (f, "tcp-timeout", g_variant_new_uint32 ((guint32) max)));
  g_assert_false (in_range (f, "tcp-timeout", g_variant_new_uint32 ((guint32) max + 1)));

  /* Too large a number is brought back to the largest allowed. */
  gtk_editable_set_text (GTK_EDITABLE (window), "100000");
  press_enter (window);
  gtk_spin_button_get_range (window, &min, &max);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "ports-in-flight"), ==, (guint) max);
  g_assert_true (in_range (f, "ports-in-flight", g_variant_new_uint32 ((guint32) max)));
  g_assert_false (in_range (f, "ports-in-flight", g_variant_new_uint32 ((guint32) max + 1)));
}

/* A number typed but not confirmed is kept when the window closes. */
static void
test_close_keeps_typed (Fixture       *f,
                        gconstpointer  data)
{
  GtkSpinButton *spin = child (f, "udp_wait_spin");

  gtk_editable_set_text (GTK_EDITABLE (spin), "1750");
  g_assert_cmpuint (g_settings_get_uint (f->settings, "udp-wait"), ==, default_uint (f, "udp-wait"));
  gtk_window_close (f->window);
  f->window = NULL;
  g_assert_cmpuint (g_settings_get_uint (f->settings, "udp-wait"), ==, 1750);
}

static void
test_switches (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *key, *toggle; } switches[] = {
    { "slow-link", "slow_link_switch" },
    { "reverse-lookup", "reverse_lookup_switch" },
    { "protocol-probes", "protocol_probes_switch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      GtkSwitch *toggle = child (f, switches[i].toggle);
      gboolean initial = g_settings_get_boolean (f->settings, switches[i].key);

      g_test_message ("%s", switches[i].key);
      g_assert_cmpint (gtk_switch_get_active (toggle), ==, initial);
      gtk_switch_set_active (toggle, !initial);
      g_assert_cmpint (g_settings_get_boolean (f->settings, switches[i].key), ==, !initial);
      g_settings_set_boolean (f->settings, switches[i].key, initial);
      g_assert_cmpint (gtk_switch_get_active (toggle), ==, initial);
    }
}

static void
test_address_choice (Fixture       *f,
                     gconstpointer  data)
{
  /* The nicks earlier versions saved as strings, in the row's order. */
  static const char * const choices[] = { "first", "ipv4", "ipv6", "all" };
  AdwComboRow *row = child (f, "address_choice_row");
  GListModel *names = adw_combo_row_get_model (row);

  g_assert_cmpuint (g_list_model_get_n_items (names), ==, G_N_ELEMENTS (choices));
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_settings_set_string (f->settings, "address-choice", choices[i]);
      g_assert_cmpuint (adw_combo_row_get_selected (row), ==, i);
    }
  adw_combo_row_set_selected (row, 2);
  {
    g_autofree char *choice = g_settings_get_string (f->settings, "address-choice");
    g_assert_cmpstr (choice, ==, "ipv6");
  }
  /* The query reads the value the core knows. */
  g_assert_cmpint (g_settings_get_enum (f->settings, "address-choice"), ==, PQ_ADDRESS_IPV6);
  adw_combo_row_set_selected (row, 3);
  g_assert_cmpint (g_settings_get_enum (f->settings, "address-choice"), ==, PQ_ADDRESS_ALL);
  g_assert_nonnull (strstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 2), "IPv6"));
}

static void
test_community (Fixture       *f,
                gconstpointer  data)
{
  GtkEditable *entry = child (f, "snmp_community_row");
  g_autoptr(GVariant) initial = g_settings_get_default_value (f->settings, "snmp-community");
  g_autofree char *community = NULL;

  g_assert_cmpstr (gtk_editable_get_text (entry), ==, g_variant_get_string (initial, NULL));
  gtk_editable_set_text (entry, "n0c-read");
  community = g_settings_get_string (f->settings, "snmp-community");
  g_assert_cmpstr (community, ==, "n0c-read");
  g_settings_set_string (f->settings, "snmp-community", "private");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "private");
}

/* Each explanation ends with the schema's default, in words a user reads. */
static void
test_defaults_shown (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *key, *row; } numbers[] = {
    { "tcp-timeout", "tcp_timeout_row" },
    { "tcp-tries", "tcp_tries_row" },
    { "udp-wait", "udp_wait_row" },
    { "udp-tries", "udp_tries_row" },
    { "ports-in-flight", "ports_in_flight_row" },
    { "source-port", "source_port_row" },
  };
  AdwPreferencesGroup *snmp = child (f, "snmp_group");
  g_autoptr(GVariant) community = g_settings_get_default_value (f->settings, "snmp-community");
  g_autofree char *community_text = g_strdup_printf ("Default: “%s”.", g_variant_get_string (community, NULL));
  g_autoptr(GVariant) probes = g_settings_get_default_value (f->settings, "protocol-probes");

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (child (f, numbers[i].row));
      g_autofree char *expected = g_strdup_printf (" Default: %u.", default_uint (f, numbers[i].key));

      g_assert_true (g_str_has_suffix (subtitle, expected));
      g_assert_cmpuint (strlen (subtitle), >, strlen (expected) + 20);
    }
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (child (f, "protocol_probes_row")),
                                   g_variant_get_boolean (probes) ? " Default: on." : " Default: off."));
  {
    AdwComboRow *row = child (f, "address_choice_row");
    g_autofree char *choice = g_strdup_printf (" Default: %s.",
                                               gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                                                           adw_combo_row_get_selected (row)));

    g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), choice));
  }
  g_assert_true (g_str_has_suffix (adw_preferences_group_get_description (snmp), community_text));
}

/* ------------------------------------------------------------------ */
/* Shortcuts window                                                    */

static void
test_help_overlay (void)
{
  static const char * const expected[] = {
    "<Control>Return", "Escape", "<Control>s", "<Control>o", "<Control>e",
    "<Control>f", "<Control>comma", "<Control>question", "<Control>q",
    "<Alt>r", "<Alt>c",
  };
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/portquery/PortQuery/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        char *accel = NULL;
        g_autofree char *title = NULL;

        g_object_get (l->data, "accelerator", &accel, "title", &title, NULL);
        g_assert_true (title != NULL && *title != '\0');
        g_ptr_array_add (accels, accel);
      }

  g_assert_cmpuint (accels->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < accels->len; j++)
        found |= g_str_equal (g_ptr_array_index (accels, j), expected[i]);
      if (!found)
        g_error ("the shortcuts window does not list %s", expected[i]);
    }
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("SKIP: no display; scripts/test.sh runs the window tests under xvfb-run\n");
      return 77;
    }
  /* Never the user's settings, whatever the environment says. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/preferences/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("spin-buttons", test_spin_buttons);
  ADD ("spin-ranges", test_spin_ranges);
  ADD ("close-keeps-typed", test_close_keeps_typed);
  ADD ("switches", test_switches);
  ADD ("address-choice", test_address_choice);
  ADD ("community", test_community);
  ADD ("defaults-shown", test_defaults_shown);
#undef ADD
  g_test_add_func ("/shortcuts/help-overlay", test_help_overlay);

  return g_test_run ();
}
