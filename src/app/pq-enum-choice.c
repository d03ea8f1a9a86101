/* pq-enum-choice.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down (the protocol of the ports typed, the addresses to query)
 * lists an enumeration's values in the order its header declares them,
 * so its position is the value's index in the GEnumClass. That is the one
 * mapping between the two; the settings store the value's nick, as the
 * schema's <enum> definitions (generated from the same headers) say.
 */
#include "config.h"

#include "pq-enum-choice.h"
#include "pq-types.h"

/* Returns: where @value of @enum_type is in its drop-down (0 for a value
 *   the type does not have) */
guint
pq_enum_choice_get_position (GType enum_type,
                             int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);

  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value == value)
      return i;
  return 0;
}

/* Returns: the value of @enum_type at @position of its drop-down; the
 *   first value for no position (GTK_INVALID_LIST_POSITION) */
int
pq_enum_choice_get_value (GType enum_type,
                          guint position)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);

  return klass->values[position < klass->n_values ? position : 0].value;
}

static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  GType enum_type = GPOINTER_TO_SIZE (user_data);
  int choice;

  if (!pq_enum_from_nick (enum_type, g_variant_get_string (variant, NULL), &choice))
    return FALSE;
  g_value_set_uint (value, pq_enum_choice_get_position (enum_type, choice));
  return TRUE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  GType enum_type = GPOINTER_TO_SIZE (user_data);
  int choice = pq_enum_choice_get_value (enum_type, g_value_get_uint (value));

  return g_variant_new_string (pq_enum_to_nick (enum_type, choice));
}

/**
 * pq_enum_choice_bind:
 * @object: a drop-down or combo row
 * @property: its position property ("selected", a guint)
 *
 * Binds the enum key @key both ways to the position of @object, as
 * g_settings_bind() binds a key of a type the property has.
 */
void
pq_enum_choice_bind (GSettings  *settings,
                     const char *key,
                     gpointer    object,
                     const char *property,
                     GType       enum_type)
{
  g_return_if_fail (G_TYPE_IS_ENUM (enum_type));

  g_settings_bind_with_mapping (settings, key, object, property, G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (enum_type), NULL);
}
