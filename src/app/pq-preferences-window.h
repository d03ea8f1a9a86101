/* pq-preferences-window.h: the settings of a query, bound to GSettings
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PQ_TYPE_PREFERENCES_WINDOW (pq_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PqPreferencesWindow, pq_preferences_window, PQ, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *pq_preferences_window_new (GtkWindow *parent);

G_END_DECLS
