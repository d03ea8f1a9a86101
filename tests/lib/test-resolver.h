/* test-resolver.h: a GResolver for tests that knows only the names it is
 * told, and plays a DNS server that never answers on demand
 *
 * Installed with g_resolver_set_default(), so no query leaves the machine.
 * Used by tests/unit/test-target.c, test-query.c and
 * tests/app/test-window-stop.c.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

TestResolver *test_resolver_new                 (void);
void          test_resolver_add_name            (TestResolver *self,
                                                 const char   *name,
                                                 const char   *addresses);
void          test_resolver_add_reverse         (TestResolver *self,
                                                 const char   *address,
                                                 const char   *name);
void          test_resolver_add_silent_name     (TestResolver *self,
                                                 const char   *name);
void          test_resolver_set_silent_reverse  (TestResolver *self,
                                                 gboolean      silent);
guint         test_resolver_get_lookups         (TestResolver *self);
guint         test_resolver_get_reverse_lookups (TestResolver *self);

G_END_DECLS
