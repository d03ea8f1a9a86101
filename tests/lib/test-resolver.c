/* test-resolver.c: a GResolver for tests, from tables set before it is used
 *
 * A name it was given resolves to its addresses; any other is not found.
 * A silent name, and with set_silent_reverse() every address without a
 * name of its own, blocks for SILENT_SECONDS whatever the cancellable
 * says, as getaddrinfo() and getnameinfo() do while a DNS server stays
 * silent: what the code under test must not wait for. The lookups run in
 * GLib's worker threads; the tables are only read there.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-resolver.h"

#define SILENT_SECONDS 5

struct _TestResolver
{
  GResolver   parent_instance;
  GHashTable *names;     /* name → GStrv of addresses */
  GHashTable *reverse;   /* address → name */
  GHashTable *silent;    /* names whose lookup never ends */
  gboolean    silent_reverse;
  guint       lookups;   /* atomic: forward lookups asked for */
  guint       reverse_lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  char **addresses = g_hash_table_lookup (self->names, hostname);
  GList *list = NULL;

  g_atomic_int_inc (&self->lookups);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (g_hash_table_contains (self->silent, hostname))
    g_usleep (SILENT_SECONDS * G_USEC_PER_SEC);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    list = g_list_append (list, g_inet_address_new_from_string (addresses[i]));
  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "Error resolving “%s”: Name or service not known", hostname);
  return list;
}

static GList *
lookup_by_name_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return lookup_by_name (resolver, hostname, cancellable, error);
}

static char *
lookup_by_address (GResolver     *resolver,
                   GInetAddress  *address,
                   GCancellable  *cancellable,
                   GError       **error)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autofree char *text = g_inet_address_to_string (address);
  const char *name = g_hash_table_lookup (self->reverse, text);

  g_atomic_int_inc (&self->reverse_lookups);
  if (name == NULL)
    name = g_hash_table_lookup (self->reverse, "*");
  if (name != NULL)
    return g_strdup (name);
  if (self->silent_reverse)
    {
      g_usleep (SILENT_SECONDS * G_USEC_PER_SEC);
      g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "no answer");
      return NULL;
    }
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no name for %s", text);
  return NULL;
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_hash_table_unref (self->names);
  g_hash_table_unref (self->reverse);
  g_hash_table_unref (self->silent);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_address = lookup_by_address;
}

static void
test_resolver_init (TestResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  self->reverse = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->silent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TestResolver *
test_resolver_new (void)
{
  return g_object_new (TEST_TYPE_RESOLVER, NULL);
}

/* @addresses: comma-separated, in the order the lookup gives them */
void
test_resolver_add_name (TestResolver *self,
                        const char   *name,
                        const char   *addresses)
{
  g_hash_table_replace (self->names, g_strdup (name), g_strsplit (addresses, ",", -1));
}

/* @address "*" names every address without a name of its own. */
void
test_resolver_add_reverse (TestResolver *self,
                           const char   *address,
                           const char   *name)
{
  g_hash_table_replace (self->reverse, g_strdup (address), g_strdup (name));
}

/* A name whose lookup waits for a DNS server that never answers. */
void
test_resolver_add_silent_name (TestResolver *self,
                               const char   *name)
{
  g_hash_table_add (self->silent, g_strdup (name));
}

/* Reverse lookups of addresses without a name wait likewise. */
void
test_resolver_set_silent_reverse (TestResolver *self,
                                  gboolean      silent)
{
  self->silent_reverse = silent;
}

guint
test_resolver_get_lookups (TestResolver *self)
{
  return g_atomic_int_get (&self->lookups);
}

guint
test_resolver_get_reverse_lookups (TestResolver *self)
{
  return g_atomic_int_get (&self->reverse_lookups);
}
