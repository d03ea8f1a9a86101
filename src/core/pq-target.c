/* pq-target.c: parse and resolve the host to query
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <net/if.h>
#include <string.h>

#include "pq-error.h"
#include "pq-target.h"

/* RFC 1035 limits a name to 253 characters; leave room for a scope. */
#define MAX_TARGET_LEN 300

struct _PqTarget
{
  GObject    parent_instance;

  char      *input;
  char      *host;        /* input without spaces, brackets or scope */
  guint32    scope_id;
  gboolean   literal;
  GPtrArray *addresses;   /* GInetAddress */
};

G_DEFINE_FINAL_TYPE (PqTarget, pq_target, G_TYPE_OBJECT)

#define TARGET_HINT N_("Type a name such as server.example.com, an IPv4 address such as 192.0.2.10 or an IPv6 address such as 2001:db8::10.")

static void
pq_target_finalize (GObject *object)
{
  PqTarget *self = PQ_TARGET (object);

  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);

  G_OBJECT_CLASS (pq_target_parent_class)->finalize (object);
}

static void
pq_target_class_init (PqTargetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_target_finalize;
}

static void
pq_target_init (PqTarget *self)
{
  self->addresses = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
parse_scope (const char  *scope,
             guint32     *scope_id,
             GError     **error)
{
  guint64 n;

  if (*scope != '\0' && g_ascii_string_to_unsigned (scope, 10, 1, G_MAXUINT32, &n, NULL))
    {
      *scope_id = (guint32) n;
      return TRUE;
    }

  *scope_id = *scope != '\0' ? if_nametoindex (scope) : 0;
  if (*scope_id == 0)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("This computer has no network interface called “%s”. Type the interface after %% as it appears in “ip link”, for example fe80::1%%eth0."),
                   scope);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_ipv6 (PqTarget    *self,
            const char  *text,
            GError     **error)
{
  g_autofree char *addr = g_strdup (text);
  g_autoptr(GInetAddress) inet = NULL;
  char *percent = strchr (addr, '%');

  if (percent != NULL)
    {
      *percent = '\0';
      if (!parse_scope (percent + 1, &self->scope_id, error))
        return FALSE;
    }

  inet = g_inet_address_new_from_string (addr);
  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” is not a valid IPv6 address. %s"), text, _(TARGET_HINT));
      return FALSE;
    }
  if (g_inet_address_get_is_link_local (inet) && self->scope_id == 0)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("%s is a link-local address, which needs the network interface to use: add it after %%, for example %s%%eth0."),
                   addr, addr);
      return FALSE;
    }

  self->literal = TRUE;
  g_free (self->host);
  self->host = g_steal_pointer (&addr);
  g_ptr_array_add (self->addresses, g_steal_pointer (&inet));
  return TRUE;
}

static gboolean
validate_host_name (const char  *host,
                    GError     **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;

  if (strstr (host, "://") != NULL || strchr (host, '/') != NULL)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” looks like a web address. Type only the computer’s name or address, without http:// or a path."),
                   host);
      return FALSE;
    }

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || strlen (ascii) > 253 || ascii[0] == '.' || ascii[0] == '-')
    goto invalid;

  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      /* A trailing dot (an absolute name) leaves one empty last label. */
      if (len == 0 && labels[i + 1] == NULL && i > 0)
        break;
      if (len == 0 || len > 63)
        goto invalid;
      for (const char *p = labels[i]; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
          goto invalid;
    }
  return TRUE;

invalid:
  g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
               _("“%s” is not a host name or an IP address. %s"), host, _(TARGET_HINT));
  return FALSE;
}

/* "192.0.2.1:80", "server:80" and "[2001:db8::1]:80" are a host with a
 * port; an IPv6 address has at least two colons and no brackets around. */
static gboolean
looks_like_host_and_port (const char *host)
{
  const char *colon = strrchr (host, ':');
  const char *close = strchr (host, ']');

  if (colon == NULL || colon[1] == '\0' || strspn (colon + 1, "0123456789") != strlen (colon + 1))
    return FALSE;
  if (host[0] == '[')
    return close != NULL && close + 1 == colon;
  return strchr (host, ':') == colon;
}

/* What people paste instead of a host: a web address, or host:port. */
static gboolean
check_not_url (const char  *host,
               GError     **error)
{
  if (strstr (host, "://") != NULL || strchr (host, '/') != NULL)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” looks like a web address. Type only the computer’s name or address, without http:// or a path."),
                   host);
      return FALSE;
    }
  if (looks_like_host_and_port (host))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” has a port after the host. Type only the host here, and the port separately (with -e on the command line)."),
                   host);
      return FALSE;
    }
  return TRUE;
}

/**
 * pq_target_new_parse:
 * @text: what the user typed: a name, an IPv4 or IPv6 address, an IPv6
 *   address in brackets, or a link-local one with a scope (fe80::1%eth0)
 *
 * Returns: (transfer full): the target, not yet resolved, or %NULL with an
 *   @error that says what to type instead.
 */
PqTarget *
pq_target_new_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(PqTarget) self = g_object_new (PQ_TYPE_TARGET, NULL);
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  gsize len;

  self->input = g_strdup (text ? text : "");
  if (!g_utf8_validate (self->input, -1, NULL))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("The host contains characters that are not text. %s"), _(TARGET_HINT));
      return NULL;
    }

  host = g_strstrip (g_strdup (self->input));
  len = strlen (host);
  if (len == 0)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("No host given. %s"), _(TARGET_HINT));
      return NULL;
    }
  if (len > MAX_TARGET_LEN)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("The host is too long (%zu characters); names have at most 253. %s"),
                   len, _(TARGET_HINT));
      return NULL;
    }
  if (strpbrk (host, " \t\r\n") != NULL)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” contains spaces. Type one host: a name or an address without spaces."), host);
      return NULL;
    }

  if (!check_not_url (host, error))
    return NULL;

  if (host[0] == '[')
    {
      if (len < 3 || host[len - 1] != ']')
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                       _("“%s” opens a bracket but does not close it. Type an IPv6 address as [2001:db8::10] or without brackets."),
                       host);
          return NULL;
        }
      host[len - 1] = '\0';
      if (!parse_ipv6 (self, host + 1, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (strchr (host, ':') != NULL)
    {
      if (!parse_ipv6 (self, host, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  inet = g_inet_address_new_from_string (host);
  if (inet != NULL)
    {
      self->literal = TRUE;
      g_ptr_array_add (self->addresses, g_steal_pointer (&inet));
    }
  else if (!validate_host_name (host, error))
    return NULL;

  self->host = g_steal_pointer (&host);
  return g_steal_pointer (&self);
}

/**
 * pq_target_new_loaded:
 * @addresses: (element-type GInetAddress): the addresses found
 *
 * For the report reader: a target as a saved report describes it, taken
 * as it is (not parsed again: its interface may not exist here).
 *
 * Returns: (transfer full): the target, resolved
 */
PqTarget *
pq_target_new_loaded (const char *input,
                      const char *host,
                      gboolean    literal,
                      guint32     scope_id,
                      GPtrArray  *addresses)
{
  PqTarget *self = g_object_new (PQ_TYPE_TARGET, NULL);

  self->input = g_strdup (input);
  self->host = g_strdup (host);
  self->literal = literal;
  self->scope_id = scope_id;
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (self->addresses, g_object_ref (g_ptr_array_index (addresses, i)));
  return self;
}

const char *
pq_target_get_input (PqTarget *self)
{
  g_return_val_if_fail (PQ_IS_TARGET (self), NULL);
  return self->input;
}

const char *
pq_target_get_host (PqTarget *self)
{
  g_return_val_if_fail (PQ_IS_TARGET (self), NULL);
  return self->host;
}

gboolean
pq_target_is_literal (PqTarget *self)
{
  g_return_val_if_fail (PQ_IS_TARGET (self), FALSE);
  return self->literal;
}

guint32
pq_target_get_scope_id (PqTarget *self)
{
  g_return_val_if_fail (PQ_IS_TARGET (self), 0);
  return self->scope_id;
}

/**
 * pq_target_get_addresses:
 *
 * Returns: (transfer none) (element-type GInetAddress): every address found,
 *   in the resolver's order
 */
GPtrArray *
pq_target_get_addresses (PqTarget *self)
{
  g_return_val_if_fail (PQ_IS_TARGET (self), NULL);
  return self->addresses;
}

static gboolean
has_address (GPtrArray    *addresses,
             GInetAddress *address)
{
  for (guint i = 0; i < addresses->len; i++)
    if (g_inet_address_equal (g_ptr_array_index (addresses, i), address))
      return TRUE;
  return FALSE;
}

/* Looks @host up; returns its addresses without duplicates. Touches no
 * PqTarget, so a thread that is no longer waited for harms nothing. */
static GPtrArray *
lookup_addresses (const char    *host,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GError) local_error = NULL;
  GPtrArray *addresses;
  GList *list;

  list = g_resolver_lookup_by_name (resolver, host, cancellable, &local_error);
  if (list == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PQ_ERROR, PQ_ERROR_NOT_FOUND,
                     _("Failed to resolve name to IP address: %s. Check the spelling, or type the IP address instead."),
                     local_error->message);
      return NULL;
    }

  addresses = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = list; l != NULL; l = l->next)
    if (!has_address (addresses, l->data))
      g_ptr_array_add (addresses, g_object_ref (l->data));
  g_resolver_free_addresses (list);
  return addresses;
}

static void
set_addresses (PqTarget  *self,
               GPtrArray *addresses)
{
  g_ptr_array_set_size (self->addresses, 0);
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (self->addresses, g_object_ref (g_ptr_array_index (addresses, i)));
}

/* Blocking; PqQuery calls it through pq_target_resolve_async(). */
gboolean
pq_target_resolve (PqTarget      *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) addresses = NULL;

  g_return_val_if_fail (PQ_IS_TARGET (self), FALSE);

  if (self->literal)
    return TRUE;
  addresses = lookup_addresses (self->host, cancellable, error);
  if (addresses == NULL)
    return FALSE;
  set_addresses (self, addresses);
  return TRUE;
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *addresses = lookup_addresses (task_data, cancellable, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/* getaddrinfo cannot be interrupted: a cancel returns at once (Ctrl+C and
 * Stop must not wait for a silent DNS server) and the thread's late
 * answer is dropped; the target is changed only in the caller's thread. */
void
pq_target_resolve_async (PqTarget            *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, pq_target_resolve_async);
  if (self->literal)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* Stopped already: say so here. GLib 2.74's GTask leaks the error it
   * makes when a return-on-cancel task starts cancelled (LeakSanitizer). */
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_set_task_data (task, g_strdup (self->host), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, resolve_thread);
}

gboolean
pq_target_resolve_finish (PqTarget      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  addresses = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (addresses != NULL)
    set_addresses (self, addresses);
  return TRUE;
}

/**
 * pq_target_choose:
 * @choice: which of the addresses to query
 *
 * Returns: (transfer container) (element-type GInetAddress): the addresses
 *   to query, or %NULL with @error when none fits the choice
 */
GPtrArray *
pq_target_choose (PqTarget         *self,
                  PqAddressChoice   choice,
                  GError          **error)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  GSocketFamily want = G_SOCKET_FAMILY_INVALID;

  g_return_val_if_fail (PQ_IS_TARGET (self), NULL);

  if (choice == PQ_ADDRESS_IPV4)
    want = G_SOCKET_FAMILY_IPV4;
  else if (choice == PQ_ADDRESS_IPV6)
    want = G_SOCKET_FAMILY_IPV6;

  for (guint i = 0; i < self->addresses->len; i++)
    {
      GInetAddress *a = g_ptr_array_index (self->addresses, i);

      if (want != G_SOCKET_FAMILY_INVALID && g_inet_address_get_family (a) != want)
        continue;
      g_ptr_array_add (chosen, g_object_ref (a));
      if (choice != PQ_ADDRESS_ALL)
        break;
    }

  if (chosen->len == 0)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS,
                   want == G_SOCKET_FAMILY_IPV4
                     ? _("%s has no IPv4 address. Leave out -4, or use -6 for its IPv6 address.")
                     : want == G_SOCKET_FAMILY_IPV6
                       ? _("%s has no IPv6 address. Leave out -6, or use -4 for its IPv4 address.")
                       : _("%s has no address."),
                   self->host);
      return NULL;
    }
  return g_steal_pointer (&chosen);
}

char *
pq_target_reverse_lookup (GInetAddress  *address,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  return g_resolver_lookup_by_address (resolver, address, cancellable, error);
}

char *
pq_address_to_string (GInetAddress *address,
                      guint32       scope_id)
{
  g_autofree char *s = g_inet_address_to_string (address);
  char ifname[IF_NAMESIZE];

  if (scope_id == 0)
    return g_steal_pointer (&s);
  if (if_indextoname (scope_id, ifname) != NULL)
    return g_strdup_printf ("%s%%%s", s, ifname);
  return g_strdup_printf ("%s%%%u", s, scope_id);
}

char *
pq_socket_address_to_string (GInetAddress *address,
                             guint32       scope_id,
                             guint16       port)
{
  g_autofree char *s = pq_address_to_string (address, scope_id);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", s, port);
  return g_strdup_printf ("%s:%u", s, port);
}
