/* pq-target-list.c: several hosts typed at once
 *
 * A list is comma-separated; each entry is a name or an address as
 * pq-target.c takes it, a CIDR block (10.0.0.0/28, fd00::/124) or an
 * IPv4 range of the last octet (10.0.0.1-20). A block's network and
 * broadcast addresses are left out for IPv4 blocks shorter than /31, as
 * no host answers there. The list stops at PQ_MAX_TARGETS hosts with a
 * message saying so, before anything is sent.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-error.h"
#include "pq-target-list.h"

static gboolean
too_many (const char  *entry,
          GError     **error)
{
  g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
               _("With “%s” the query would have more than %u hosts, the most one query takes. "
                 "Type a smaller block, such as a /24, or split the query."),
               entry, PQ_MAX_TARGETS);
  return FALSE;
}

static gboolean
add_address (GPtrArray   *targets,
             const guint8 *bytes,
             GSocketFamily family,
             GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes (bytes, family);
  g_autofree char *text = g_inet_address_to_string (inet);
  PqTarget *target = pq_target_new_parse (text, error);

  if (target == NULL)
    return FALSE;
  g_ptr_array_add (targets, target);
  return TRUE;
}

/* Adds @count addresses from @base on, counting in its last 32 bits. */
static gboolean
add_run (GPtrArray     *targets,
         GInetAddress  *base,
         guint32        first,
         guint32        count,
         GError       **error)
{
  gsize size = g_inet_address_get_native_size (base);
  guint8 bytes[16];
  guint32 low;

  memcpy (bytes, g_inet_address_to_bytes (base), size);
  memcpy (&low, bytes + size - 4, 4);
  low = g_ntohl (low);
  for (guint32 i = 0; i < count; i++)
    {
      guint32 n = g_htonl (low + first + i);

      memcpy (bytes + size - 4, &n, 4);
      if (!add_address (targets, bytes, g_inet_address_get_family (base), error))
        return FALSE;
    }
  return TRUE;
}

/* The slash of "address/length"; NULL for anything else with a slash
 * (a URL), which pq-target.c explains. */
static const char *
block_slash (const char *entry)
{
  const char *slash = strchr (entry, '/');
  g_autofree char *address = slash ? g_strndup (entry, slash - entry) : NULL;

  return address != NULL && g_hostname_is_ip_address (address) ? slash : NULL;
}

/* 10.0.0.0/28: the hosts of the block; 10.0.0.5/28 means the same block. */
static gboolean
add_block (GPtrArray   *targets,
           const char  *entry,
           const char  *slash,
           GError     **error)
{
  g_autofree char *address = g_strndup (entry, slash - entry);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GInetAddress) base = NULL;
  guint8 bytes[16];
  gsize size;
  guint64 length, bits, hosts, first = 0;

  if (inet == NULL ||
      !g_ascii_string_to_unsigned (slash + 1, 10, 0, g_inet_address_get_native_size (inet) * 8, &length, NULL))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("“%s” is not an address block. Type an address and a prefix length, "
                     "such as 10.0.0.0/28 or fd00::/120."), entry);
      return FALSE;
    }
  size = g_inet_address_get_native_size (inet);
  bits = size * 8 - length;
  if (bits > 13)
    return too_many (entry, error);
  memcpy (bytes, g_inet_address_to_bytes (inet), size);
  for (guint i = (guint) length; i < size * 8; i++)
    bytes[i / 8] &= (guint8) ~(0x80 >> (i % 8));
  base = g_inet_address_new_from_bytes (bytes, g_inet_address_get_family (inet));
  hosts = (guint64) 1 << bits;
  if (size == 4 && length < 31)
    {
      first = 1;
      hosts -= 2;
    }
  if (hosts + targets->len > PQ_MAX_TARGETS)
    return too_many (entry, error);
  return add_run (targets, base, (guint32) first, (guint32) hosts, error);
}

/* 10.0.0.1-20: the last octet from the first number to the second. */
static gboolean
is_range (const char  *entry,
          guint8       bytes[4],
          guint64     *last)
{
  const char *dash = strrchr (entry, '-');
  g_autofree char *first = dash ? g_strndup (entry, dash - entry) : NULL;
  g_autoptr(GInetAddress) inet = first ? g_inet_address_new_from_string (first) : NULL;

  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4 ||
      !g_ascii_string_to_unsigned (dash + 1, 10, 0, 255, last, NULL))
    return FALSE;
  memcpy (bytes, g_inet_address_to_bytes (inet), 4);
  return TRUE;
}

static gboolean
add_range (GPtrArray   *targets,
           const char  *entry,
           guint8       bytes[4],
           guint64      last,
           GError     **error)
{
  g_autoptr(GInetAddress) base = NULL;
  guint first = bytes[3];

  if (last < first)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET,
                   _("In “%s” the range ends before it starts. Type the lower number first, such as 10.0.0.1-20."),
                   entry);
      return FALSE;
    }
  if (last - first + 1 + targets->len > PQ_MAX_TARGETS)
    return too_many (entry, error);
  bytes[3] = 0;
  base = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV4);
  return add_run (targets, base, first, (guint32) (last - first + 1), error);
}

/**
 * pq_target_list_append:
 * @targets: (element-type PqTarget): where the hosts go
 * @text: one or more hosts, comma-separated
 *
 * Returns: %FALSE with @error set if an entry is not a host, or the list
 *   would pass PQ_MAX_TARGETS hosts
 */
gboolean
pq_target_list_append (GPtrArray   *targets,
                       const char  *text,
                       GError     **error)
{
  g_auto(GStrv) entries = g_strsplit (text, ",", -1);
  guint before = targets->len;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *raw = g_strdup (entries[i]);   /* a host as typed, spaces and all */
      char *entry = g_strstrip (entries[i]);
      const char *slash = block_slash (entry);
      guint8 bytes[4];
      guint64 last;
      PqTarget *target;

      if (*entry == '\0' && entries[1] != NULL)
        continue;   /* "a, b," : a comma too many is no host */
      if (slash != NULL && !add_block (targets, entry, slash, error))
        return FALSE;
      if (slash == NULL && is_range (entry, bytes, &last) && !add_range (targets, entry, bytes, last, error))
        return FALSE;
      if (slash != NULL || is_range (entry, bytes, &last))
        continue;
      if (targets->len + 1 > PQ_MAX_TARGETS)
        return too_many (entry, error);
      /* One host is kept as typed (PortQry echoes it); in a list the
       * spaces after the commas are no part of the names. */
      if ((target = pq_target_new_parse (entries[1] == NULL ? raw : entry, error)) == NULL)
        return FALSE;
      g_ptr_array_add (targets, target);
    }
  if (targets->len == before)
    {
      /* "", "," or " , ": no host at all (the callers' first host was
       * read past the end), said as pq-target.c says it. */
      g_autoptr(PqTarget) none = pq_target_new_parse ("", error);

      return FALSE;
    }
  return TRUE;
}
