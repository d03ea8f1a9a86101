/* window-fixture.h: the window the application's tests drive
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-application.h"
#include "pq-window.h"

G_BEGIN_DECLS

/* Under AddressSanitizer (scripts/test.sh's second build) the window runs
 * two to four times slower: the tests' limits on time are multiplied by
 * this instead of being skipped there. */
#ifdef __SANITIZE_ADDRESS__
#define WINDOW_TIME_FACTOR 4
#else
#define WINDOW_TIME_FACTOR 1
#endif

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
