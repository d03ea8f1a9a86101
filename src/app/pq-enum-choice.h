/* pq-enum-choice.h: drop-downs that choose a value of one of the core's
 * enumerations, and their binding to an enum key of the settings
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

guint     pq_enum_choice_get_position (GType        enum_type,
                                       int          value);
int       pq_enum_choice_get_value    (GType        enum_type,
                                       guint        position);
void      pq_enum_choice_bind         (GSettings   *settings,
                                       const char  *key,
                                       gpointer     object,
                                       const char  *property,
                                       GType        enum_type);

G_END_DECLS
