/* pq-checks.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "pq-checks.h"
#include "pq-error.h"
#include "pq-file.h"
#include "pq-ports.h"

struct _PqCheck
{
  GObject   parent_instance;

  char     *id;
  char     *name;
  char     *tcp_ports;
  char     *udp_ports;
  gboolean  user_defined;
};

G_DEFINE_FINAL_TYPE (PqCheck, pq_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PORTS_TEXT,
  PROP_USER_DEFINED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pq_check_finalize (GObject *object)
{
  PqCheck *self = PQ_CHECK (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->tcp_ports);
  g_free (self->udp_ports);
  G_OBJECT_CLASS (pq_check_parent_class)->finalize (object);
}

static void
pq_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PqCheck *self = PQ_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PORTS_TEXT:
      g_value_take_string (value, pq_check_dup_ports_text (self));
      break;
    case PROP_USER_DEFINED:
      g_value_set_boolean (value, self->user_defined);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pq_check_class_init (PqCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pq_check_finalize;
  object_class->get_property = pq_check_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORTS_TEXT] = g_param_spec_string ("ports-text", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_DEFINED] = g_param_spec_boolean ("user-defined", NULL, NULL, FALSE,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pq_check_init (PqCheck *self)
{
}

PqCheck *
pq_check_new (const char *id,
              const char *name,
              const char *tcp_ports,
              const char *udp_ports,
              gboolean    user_defined)
{
  PqCheck *self = g_object_new (PQ_TYPE_CHECK, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->tcp_ports = g_strdup (tcp_ports ? tcp_ports : "");
  self->udp_ports = g_strdup (udp_ports ? udp_ports : "");
  self->user_defined = user_defined;
  return self;
}

const char *
pq_check_get_id (PqCheck *self)
{
  g_return_val_if_fail (PQ_IS_CHECK (self), NULL);
  return self->id;
}

const char *
pq_check_get_name (PqCheck *self)
{
  g_return_val_if_fail (PQ_IS_CHECK (self), NULL);
  return self->name;
}

const char *
pq_check_get_tcp_ports (PqCheck *self)
{
  g_return_val_if_fail (PQ_IS_CHECK (self), NULL);
  return self->tcp_ports;
}

const char *
pq_check_get_udp_ports (PqCheck *self)
{
  g_return_val_if_fail (PQ_IS_CHECK (self), NULL);
  return self->udp_ports;
}

gboolean
pq_check_get_user_defined (PqCheck *self)
{
  g_return_val_if_fail (PQ_IS_CHECK (self), FALSE);
  return self->user_defined;
}

PqProtocols
pq_check_get_protocols (PqCheck *self)
{
  PqProtocols protocols = 0;

  g_return_val_if_fail (PQ_IS_CHECK (self), 0);
  if (*self->tcp_ports != '\0')
    protocols |= PQ_PROTOCOLS_TCP;
  if (*self->udp_ports != '\0')
    protocols |= PQ_PROTOCOLS_UDP;
  return protocols;
}

/* Returns: what the check asks, as shown under the drop-down:
 * "TCP 53, 88 · UDP 53, 88" */
static char *
spaced_list (const char *ports)
{
  g_auto(GStrv) parts = g_strsplit (ports, ",", -1);

  return g_strjoinv (", ", parts);
}

char *
pq_check_dup_ports_text (PqCheck *self)
{
  g_autofree char *tcp = NULL;
  g_autofree char *udp = NULL;

  g_return_val_if_fail (PQ_IS_CHECK (self), NULL);

  tcp = spaced_list (self->tcp_ports);
  udp = spaced_list (self->udp_ports);
  if (*tcp != '\0' && *udp != '\0')
    /* Translators: the ports of a service check, TCP then UDP */
    return g_strdup_printf (_("TCP %s · UDP %s"), tcp, udp);
  if (*tcp != '\0')
    return g_strdup_printf (_("TCP %s"), tcp);
  return g_strdup_printf (_("UDP %s"), udp);
}

/* ------------------------------------------------------------------ */
/* The list: built-in checks first, then the user's from a key file    */

typedef struct
{
  const char *id;
  const char *name;
  const char *tcp;
  const char *udp;
} Builtin;

/* PortQryUI's predefined services (see docs/portqry-reference.md §6.3),
 * with Kerberos, Remote Desktop and Printing added: the checks help
 * desks are asked for most. */
static const Builtin builtins[] = {
  { "domains-trusts", N_("Domains and Trusts"),
    "135,389,636,3268,3269,53,88,445,139,42", "389,53,88,137,138" },
  { "dns", N_("DNS"), "53", "53" },
  { "netbios", N_("NetBIOS"), "139,445", "137,138" },
  { "kerberos", N_("Kerberos"), "88,464", "88,464" },
  { "ipsec", N_("IPsec"), "", "500,4500" },
  { "sql-server", N_("SQL Server"), "1433", "1434" },
  { "web", N_("Web"), "80,443", "" },
  { "exchange", N_("Exchange"), "25,80,110,135,143,443,587,993,995", "" },
  { "remote-desktop", N_("Remote Desktop"), "3389", "3389" },
  { "printing", N_("Printing"), "515,631,9100,445", "161" },
  { "netmeeting", N_("NetMeeting and Other Services"), "389,522,1503,1720,1731", "" },
};

char *
pq_checks_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "portquery", "checks.ini", NULL);
}

static void
load_user_checks (GListStore *store,
                  GKeyFile   *keys)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keys, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *name = g_key_file_get_string (keys, groups[i], "Name", NULL);
      g_autofree char *tcp = g_key_file_get_string (keys, groups[i], "TCP", NULL);
      g_autofree char *udp = g_key_file_get_string (keys, groups[i], "UDP", NULL);
      g_autoptr(GArray) tcp_ports = NULL;
      g_autoptr(GArray) udp_ports = NULL;
      g_autoptr(PqCheck) check = NULL;

      /* A hand-edited file may carry nonsense: skip what would not run. */
      if (name == NULL || *g_strstrip (name) == '\0')
        continue;
      if (tcp != NULL && *tcp != '\0' && (tcp_ports = pq_ports_parse (tcp, NULL)) == NULL)
        continue;
      if (udp != NULL && *udp != '\0' && (udp_ports = pq_ports_parse (udp, NULL)) == NULL)
        continue;
      if (tcp_ports == NULL && udp_ports == NULL)
        continue;
      check = pq_check_new (groups[i], name, tcp_ports ? tcp : "", udp_ports ? udp : "", TRUE);
      g_list_store_append (store, check);
    }
}

/* Returns: (transfer full): the built-in checks and those in @path. A
 * missing file is no error; an unreadable one is, with the built-in
 * checks still in the store returned. */
GListStore *
pq_checks_load (const char  *path,
                GError     **error)
{
  GListStore *store = g_list_store_new (PQ_TYPE_CHECK);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      g_autoptr(PqCheck) check = pq_check_new (builtins[i].id, _(builtins[i].name),
                                               builtins[i].tcp, builtins[i].udp, FALSE);
      g_list_store_append (store, check);
    }

  if (path == NULL)
    return store;
  if (g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &local_error))
    load_user_checks (store, keys);
  else if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                _("Your own checks in %s could not be read: "), path);
  return store;
}

PqCheck *
pq_checks_find (GListModel *checks,
                const char *id,
                guint      *position)
{
  guint n = g_list_model_get_n_items (checks);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqCheck) check = g_list_model_get_item (checks, i);

      if (g_strcmp0 (check->id, id) == 0)
        {
          if (position != NULL)
            *position = i;
          return check;
        }
    }
  return NULL;
}

static gboolean
save_user_checks (GListModel  *checks,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length;
  guint n = g_list_model_get_n_items (checks);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqCheck) check = g_list_model_get_item (checks, i);

      if (!check->user_defined)
        continue;
      g_key_file_set_string (keys, check->id, "Name", check->name);
      g_key_file_set_string (keys, check->id, "TCP", check->tcp_ports);
      g_key_file_set_string (keys, check->id, "UDP", check->udp_ports);
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The folder %s could not be created: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (keys, &length, NULL);
  /* As every file Port Query writes: whole or not at all, a link kept. */
  return pq_file_write (path, data, length, error);
}

/* Adds a check named @name asking @ports over @protocols, and saves the
 * user's checks to @path. Returns: (transfer none): the new check. */
PqCheck *
pq_checks_add (GListStore  *checks,
               const char  *path,
               const char  *name,
               const char  *ports,
               PqProtocols  protocols,
               GError     **error)
{
  g_autoptr(GArray) parsed = NULL;
  g_autoptr(PqCheck) check = NULL;
  g_autofree char *clean_name = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *canonical = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (G_IS_LIST_STORE (checks), NULL);

  if (*clean_name == '\0')
    {
      g_set_error_literal (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("Give the check a name, for example “File server”."));
      return NULL;
    }
  if ((parsed = pq_ports_parse (ports, error)) == NULL)
    return NULL;
  canonical = pq_ports_to_string (parsed);
  for (guint i = 1; id == NULL || pq_checks_find (G_LIST_MODEL (checks), id, NULL) != NULL; i++)
    {
      g_free (id);
      id = g_strdup_printf ("user-%u", i);
    }
  check = pq_check_new (id, clean_name,
                        (protocols & PQ_PROTOCOLS_TCP) ? canonical : "",
                        (protocols & PQ_PROTOCOLS_UDP) ? canonical : "",
                        TRUE);
  g_list_store_append (checks, check);
  if (!save_user_checks (G_LIST_MODEL (checks), path, error))
    {
      g_list_store_remove (checks, g_list_model_get_n_items (G_LIST_MODEL (checks)) - 1);
      return NULL;
    }
  return check;
}

gboolean
pq_checks_remove (GListStore  *checks,
                  const char  *path,
                  PqCheck     *check,
                  GError     **error)
{
  guint position;

  g_return_val_if_fail (G_IS_LIST_STORE (checks), FALSE);
  g_return_val_if_fail (PQ_IS_CHECK (check), FALSE);

  if (!check->user_defined || !g_list_store_find (checks, check, &position))
    {
      g_set_error_literal (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                           _("Only checks you added yourself can be deleted."));
      return FALSE;
    }
  g_object_ref (check);
  g_list_store_remove (checks, position);
  if (!save_user_checks (G_LIST_MODEL (checks), path, error))
    {
      g_list_store_insert (checks, position, check);
      g_object_unref (check);
      return FALSE;
    }
  g_object_unref (check);
  return TRUE;
}
