/* pq-kerberos-realm.c: the realm a KDC serves, from its host's LDAP root
 * entry, for a query by address or one-label name
 *
 * Such a target names no domain, and an AS-REQ for a made-up realm only
 * tells that the KDC works. A domain controller's root entry says its
 * realm: ldapServiceName ("test.lan:dc1$@TEST.LAN", Active Directory and
 * Samba) after the "@", or else defaultNamingContext (DC=test,DC=lan is
 * TEST.LAN). The Kerberos codec asks for it on a connection of its own to
 * TCP 389 before the AS-REQ (PQ_STEP_CONNECT, pq-probe.h), through the LDAP
 * codec (pq-ldap.h) unchanged: its search, not its StartTLS.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-kerberos.h"
#include "pq-ldap.h"

#define MAX_REALM 253

struct _PqKerberosRealmAsk
{
  gpointer         ldap;       /* pq_ldap_codec's state */
  PqProbeFindings  found;      /* what the root entry said */
};

PqKerberosRealmAsk *
pq_kerberos_realm_ask_new (guint32 seed)
{
  PqKerberosRealmAsk *ask = g_new0 (PqKerberosRealmAsk, 1);
  PqProbeParams params = { .protocol = PQ_PROTOCOL_TCP, .port = PQ_KERBEROS_LDAP_PORT, .seed = seed };

  ask->ldap = g_malloc0 (MAX (pq_ldap_codec.state_size, 1));
  pq_probe_findings_init (&ask->found);
  pq_ldap_codec.init (ask->ldap, &params);
  return ask;
}

void
pq_kerberos_realm_ask_free (PqKerberosRealmAsk *ask)
{
  if (pq_ldap_codec.clear != NULL)
    pq_ldap_codec.clear (ask->ldap);
  g_free (ask->ldap);
  pq_probe_findings_clear (&ask->found);
  g_free (ask);
}

/* One step of the search. Returns: SEND or READ while it goes on, DONE
 * once the root entry came (or the peer said something else): whatever
 * the LDAP codec would ask next (StartTLS) is not sent */
PqStep
pq_kerberos_realm_ask_step (PqKerberosRealmAsk *ask,
                            const guint8       *in,
                            gsize               in_len,
                            gsize              *consumed,
                            GByteArray         *out)
{
  PqStep step = pq_ldap_codec.step (ask->ldap, in, in_len, consumed, out, &ask->found);

  if (step == PQ_STEP_READ || (step == PQ_STEP_SEND && in == NULL))
    return step;
  g_byte_array_set_size (out, 0);
  return PQ_STEP_DONE;
}

/* A realm is a DNS name here: letters, digits, '-', '_' and inner dots. */
static char *
realm_checked (GString *realm)
{
  if (realm->len == 0 || realm->len > MAX_REALM || realm->str[0] == '.' ||
      realm->str[realm->len - 1] == '.' || strstr (realm->str, "..") != NULL)
    return NULL;
  for (const char *p = realm->str; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return NULL;
  return g_ascii_strup (realm->str, -1);
}

/* "test.lan:dc1$@TEST.LAN": the part after the last "@". */
static char *
realm_from_service_name (const char *value)
{
  const char *at = strrchr (value, '@');
  g_autoptr(GString) realm = g_string_new (at ? at + 1 : "");

  return realm_checked (realm);
}

/* "DC=test,DC=lan": the DC components, joined with dots. */
static char *
realm_from_naming_context (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", 64);
  g_autoptr(GString) realm = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];

      while (*part == ' ')
        part++;
      if (g_ascii_strncasecmp (part, "DC=", 3) != 0)
        continue;
      g_string_append_printf (realm, "%s%s", realm->len ? "." : "", part + 3);
    }
  return realm_checked (realm);
}

/* The value of a one-valued root entry attribute, or NULL. */
static const char *
attribute_value (GPtrArray  *details,
                 const char *name)
{
  for (guint i = 0; i < details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (details, i);
      GListModel *values = pq_detail_get_children (d);

      if (g_strcmp0 (pq_detail_get_kind (d), "ldap-attribute") == 0 &&
          g_ascii_strcasecmp (pq_detail_get_label (d), name) == 0 &&
          (values == NULL || g_list_model_get_n_items (values) == 0))
        return pq_detail_get_value (d);
    }
  return NULL;
}

/**
 * pq_kerberos_realm_from_root:
 * @details: (element-type PqDetail): the LDAP codec's findings
 * @attribute: (out): the attribute the realm was read from
 *
 * Returns: (transfer full) (nullable): the realm, upper-cased
 */
char *
pq_kerberos_realm_from_root (GPtrArray   *details,
                             const char **attribute)
{
  const char *value;
  char *realm = NULL;

  if ((value = attribute_value (details, "ldapServiceName")) != NULL &&
      (realm = realm_from_service_name (value)) != NULL)
    *attribute = "ldapServiceName";
  else if ((value = attribute_value (details, "defaultNamingContext")) != NULL &&
           (realm = realm_from_naming_context (value)) != NULL)
    *attribute = "defaultNamingContext";
  return realm;
}

/* Returns: (transfer full) (nullable): the realm the root entry named */
char *
pq_kerberos_realm_ask_result (PqKerberosRealmAsk  *ask,
                              const char         **attribute)
{
  return pq_kerberos_realm_from_root (ask->found.details, attribute);
}
