/* pq-domain.c: a domain's controllers, as DNS names them
 *
 * Active Directory registers every domain controller as an SRV record
 * _ldap._tcp.dc._msdcs.DOMAIN (MS-ADTS 6.3.2.3); clients find their
 * controllers there. GResolver's service lookup reads them. The list is
 * in the order a client tries them: lowest priority first, then the
 * heaviest weight, then by name, so the same records always read the same.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-domain.h"
#include "pq-error.h"

/* "_ldap._tcp.dc._msdcs.test.lan" for "test.lan" */
char *
pq_domain_srv_name (const char *domain)
{
  g_autofree char *clean = g_strstrip (g_strdup (domain));
  gsize len = strlen (clean);

  if (len > 0 && clean[len - 1] == '.')
    clean[len - 1] = '\0';
  return g_strconcat ("_ldap._tcp.dc._msdcs.", clean, NULL);
}

static int
compare_targets (gconstpointer a,
                 gconstpointer b)
{
  GSrvTarget *x = *(GSrvTarget **) a, *y = *(GSrvTarget **) b;

  if (g_srv_target_get_priority (x) != g_srv_target_get_priority (y))
    return g_srv_target_get_priority (x) < g_srv_target_get_priority (y) ? -1 : 1;
  if (g_srv_target_get_weight (x) != g_srv_target_get_weight (y))
    return g_srv_target_get_weight (x) > g_srv_target_get_weight (y) ? -1 : 1;
  return g_ascii_strcasecmp (g_srv_target_get_hostname (x), g_srv_target_get_hostname (y));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  const char *domain = g_task_get_task_data (task);
  GList *list = g_resolver_lookup_service_finish (G_RESOLVER (object), result, &error);
  GPtrArray *controllers;

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
      (error == NULL && list == NULL))
    {
      g_autofree char *srv = pq_domain_srv_name (domain);

      g_task_return_new_error (task, PQ_ERROR, PQ_ERROR_NOT_FOUND,
                               _("The domain %s has no domain controllers in DNS: there is no SRV record %s. "
                                 "Check the domain's name, and that this computer uses the domain's DNS servers."),
                               domain, srv);
      return;
    }
  if (error != NULL)
    {
      g_task_return_new_error (task, PQ_ERROR, PQ_ERROR_NOT_FOUND,
                               _("The domain controllers of %s could not be looked up: %s"),
                               domain, error->message);
      return;
    }
  controllers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_srv_target_free);
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (controllers, l->data);
  g_list_free (list);
  g_ptr_array_sort (controllers, compare_targets);
  g_task_return_pointer (task, controllers, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * pq_domain_lookup_async:
 * @domain: a DNS domain name, such as ad.example.com
 *
 * Looks up the domain's controllers: _ldap._tcp.dc._msdcs.@domain.
 */
void
pq_domain_lookup_async (const char          *domain,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *clean = g_strstrip (g_strdup (domain));
  g_autofree char *msdcs = NULL;
  gsize len = strlen (clean);

  if (len > 0 && clean[len - 1] == '.')
    clean[len - 1] = '\0';
  g_task_set_source_tag (task, pq_domain_lookup_async);
  if (*clean == '\0' || strpbrk (clean, " \t/\\@") != NULL || !g_utf8_validate (clean, -1, NULL))
    {
      g_task_return_new_error (task, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                               _("“%s” is not a domain name. Type the domain's DNS name, such as ad.example.com."),
                               domain);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_strdup (clean), g_free);
  msdcs = g_strconcat ("dc._msdcs.", clean, NULL);
  /* GResolver puts "_ldap._tcp." in front. */
  g_resolver_lookup_service_async (resolver, "ldap", "tcp", msdcs, cancellable, lookup_cb, task);
}

/* Returns: (transfer full) (element-type GSrvTarget): the controllers, at
 *   least one; an error of PQ_ERROR_NOT_FOUND says plainly when none */
GPtrArray *
pq_domain_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The list as portqry prints it before querying each controller. */
char *
pq_domain_describe (const char *domain,
                    GPtrArray  *controllers)
{
  GString *out = g_string_new (NULL);
  g_autofree char *srv = pq_domain_srv_name (domain);

  g_string_append_printf (out, _("Domain controllers of %s (DNS SRV records %s):\n\n"), domain, srv);
  for (guint i = 0; i < controllers->len; i++)
    {
      GSrvTarget *t = g_ptr_array_index (controllers, i);

      g_string_append_printf (out, _(" %s (priority %u, weight %u, port %u)\n"),
                              g_srv_target_get_hostname (t), g_srv_target_get_priority (t),
                              g_srv_target_get_weight (t), g_srv_target_get_port (t));
    }
  return g_string_free (out, FALSE);
}
