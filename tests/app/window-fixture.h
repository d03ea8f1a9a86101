/* window-fixture.h: the window the application's tests drive
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-application.h"
#include "pq-window.h"

G_BEGIN_DECLS

char     *window_fixture_init  (int             *argc,
                                char          ***argv);
PqWindow *window_fixture_open  (const char      *app_id,
                                PqApplication  **app);
gboolean  window_fixture_run_until_idle (PqWindow *window,
                                         guint     seconds);

typedef gboolean (*WindowFixtureCondition) (gpointer data);

void      window_fixture_wait  (WindowFixtureCondition  cond,
                                gpointer                data,
                                guint                   seconds,
                                const char             *what);
void      window_fixture_spin  (guint                   ms);
void      window_fixture_resize (PqWindow              *window,
                                 int                    width,
                                 int                    height);

G_END_DECLS
