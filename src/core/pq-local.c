/* pq-local.c: this computer's endpoints (PortQry's -local) as a model
 *
 * PqLocalEndpoint is one socket as the kernel lists it, with the process
 * that holds it when this user may know; PqLocalTable reads them all on
 * each refresh (pq-local-diag.c, pq-local-proc.c) and keeps them in a
 * GListStore, so a list view can show them and follow each refresh.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-local"

#include "config.h"

#include <unistd.h>

#include "pq-local-private.h"

struct _PqLocalEndpoint
{
  GObject     parent_instance;

  PqProtocol  protocol;
  char       *local_address;
  char       *remote_address;
  guint16     local_port;
  guint16     remote_port;
  PqTcpState  state;
  guint       uid;
  guint64     inode;
  int         pid;          /* 0: not known */
  char       *process;
  gboolean    hidden;       /* owned by a process this user may not see */
};

G_DEFINE_FINAL_TYPE (PqLocalEndpoint, pq_local_endpoint, G_TYPE_OBJECT)

static void
pq_local_endpoint_finalize (GObject *object)
{
  PqLocalEndpoint *self = PQ_LOCAL_ENDPOINT (object);

  g_free (self->local_address);
  g_free (self->remote_address);
  g_free (self->process);
  G_OBJECT_CLASS (pq_local_endpoint_parent_class)->finalize (object);
}

static void
pq_local_endpoint_class_init (PqLocalEndpointClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_local_endpoint_finalize;
}

static void
pq_local_endpoint_init (PqLocalEndpoint *self)
{
}

PqLocalEndpoint *
pq_local_endpoint_new (PqProtocol  protocol,
                       const char *local_address,
                       guint16     local_port,
                       const char *remote_address,
                       guint16     remote_port,
                       PqTcpState  state,
                       guint       uid,
                       guint64     inode)
{
  PqLocalEndpoint *self = g_object_new (PQ_TYPE_LOCAL_ENDPOINT, NULL);

  self->protocol = protocol;
  self->local_address = g_strdup (local_address);
  self->local_port = local_port;
  self->remote_address = g_strdup (remote_address);
  self->remote_port = remote_port;
  self->state = state;
  self->uid = uid;
  self->inode = inode;
  return self;
}

void
pq_local_endpoint_set_owner (PqLocalEndpoint *self,
                             int              pid,
                             const char      *process,
                             gboolean         hidden)
{
  self->pid = pid;
  g_free (self->process);
  self->process = g_strdup (process);
  self->hidden = hidden;
}

PqProtocol
pq_local_endpoint_get_protocol (PqLocalEndpoint *self)
{
  return self->protocol;
}

const char *
pq_local_endpoint_get_local_address (PqLocalEndpoint *self)
{
  return self->local_address;
}

guint16
pq_local_endpoint_get_local_port (PqLocalEndpoint *self)
{
  return self->local_port;
}

const char *
pq_local_endpoint_get_remote_address (PqLocalEndpoint *self)
{
  return self->remote_address;
}

guint16
pq_local_endpoint_get_remote_port (PqLocalEndpoint *self)
{
  return self->remote_port;
}

PqTcpState
pq_local_endpoint_get_state (PqLocalEndpoint *self)
{
  return self->state;
}

guint
pq_local_endpoint_get_uid (PqLocalEndpoint *self)
{
  return self->uid;
}

guint64
pq_local_endpoint_get_inode (PqLocalEndpoint *self)
{
  return self->inode;
}

int
pq_local_endpoint_get_pid (PqLocalEndpoint *self)
{
  return self->pid;
}

const char *
pq_local_endpoint_get_process (PqLocalEndpoint *self)
{
  return self->process;
}

gboolean
pq_local_endpoint_is_hidden (PqLocalEndpoint *self)
{
  return self->hidden;
}

/* PortQry's words for the TCP states; they stay in English, as the
 * port states do: people and scripts look for them. */
const char *
pq_tcp_state_to_string (PqTcpState state)
{
  static const char * const words[PQ_TCP_N_STATES] = {
    [PQ_TCP_ESTABLISHED] = "ESTABLISHED", [PQ_TCP_SYN_SENT] = "SYN SENT",
    [PQ_TCP_SYN_RECV] = "SYN RECEIVED", [PQ_TCP_FIN_WAIT1] = "FIN WAIT 1",
    [PQ_TCP_FIN_WAIT2] = "FIN WAIT 2", [PQ_TCP_TIME_WAIT] = "TIME WAIT",
    [PQ_TCP_CLOSE] = "CLOSED", [PQ_TCP_CLOSE_WAIT] = "CLOSE WAIT",
    [PQ_TCP_LAST_ACK] = "LAST ACK", [PQ_TCP_LISTEN] = "LISTENING",
    [PQ_TCP_CLOSING] = "CLOSING",
  };

  return state > 0 && state < PQ_TCP_N_STATES ? words[state] : "UNKNOWN";
}

/* UDP has no states: a bound socket shows none, a connected one its peer. */
const char *
pq_local_endpoint_get_state_text (PqLocalEndpoint *self)
{
  if (self->protocol == PQ_PROTOCOL_UDP)
    return self->state == PQ_TCP_ESTABLISHED ? "CONNECTED" : "";
  return pq_tcp_state_to_string (self->state);
}

/* What identifies the endpoint and its state, to see what changed
 * between two refreshes. */
char *
pq_local_endpoint_key (PqLocalEndpoint *self)
{
  return g_strdup_printf ("%s [%s]:%u [%s]:%u %d %d", pq_protocol_to_string (self->protocol),
                          self->local_address, self->local_port, self->remote_address,
                          self->remote_port, self->state, self->pid);
}

/* ------------------------------------------------------------------ */

struct _PqLocalTable
{
  GObject     parent_instance;

  GListStore *endpoints;
  guint       n_hidden;
};

G_DEFINE_FINAL_TYPE (PqLocalTable, pq_local_table, G_TYPE_OBJECT)

static void
pq_local_table_finalize (GObject *object)
{
  g_clear_object (&PQ_LOCAL_TABLE (object)->endpoints);
  G_OBJECT_CLASS (pq_local_table_parent_class)->finalize (object);
}

static void
pq_local_table_class_init (PqLocalTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_local_table_finalize;
}

static void
pq_local_table_init (PqLocalTable *self)
{
  self->endpoints = g_list_store_new (PQ_TYPE_LOCAL_ENDPOINT);
}

PqLocalTable *
pq_local_table_new (void)
{
  return g_object_new (PQ_TYPE_LOCAL_TABLE, NULL);
}

/* A socket with no owner found: TIME WAIT sockets belong to no process
 * (inode 0); another user's are hidden from an ordinary user. */
static guint
set_owners (GPtrArray *endpoints)
{
  g_autoptr(GHashTable) owners = pq_local_proc_owners ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint me = getuid (), hidden = 0;

  for (guint i = 0; i < endpoints->len; i++)
    {
      PqLocalEndpoint *e = g_ptr_array_index (endpoints, i);
      int pid = GPOINTER_TO_INT (g_hash_table_lookup (owners, &e->inode));

      if (pid != 0 && !g_hash_table_contains (names, GINT_TO_POINTER (pid)))
        g_hash_table_insert (names, GINT_TO_POINTER (pid), pq_local_process_name (pid));
      if (pid == 0 && e->inode != 0 && me != 0 && e->uid != me)
        hidden++;
      pq_local_endpoint_set_owner (e, pid, g_hash_table_lookup (names, GINT_TO_POINTER (pid)),
                                   pid == 0 && e->inode != 0 && me != 0 && e->uid != me);
    }
  return hidden;
}

/**
 * pq_local_table_refresh:
 *
 * Reads the kernel's tables again and replaces the list in one change.
 *
 * Returns: FALSE if the kernel's socket table could not be read
 */
gboolean
pq_local_table_refresh (PqLocalTable  *self,
                        GError       **error)
{
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_object_unref);

  if (!pq_local_diag_dump (endpoints, error))
    return FALSE;
  self->n_hidden = set_owners (endpoints);
  g_list_store_splice (self->endpoints, 0, g_list_model_get_n_items (G_LIST_MODEL (self->endpoints)),
                       endpoints->pdata, endpoints->len);
  return TRUE;
}

/* Returns: (transfer none): every endpoint of the last refresh */
GListModel *
pq_local_table_get_endpoints (PqLocalTable *self)
{
  return G_LIST_MODEL (self->endpoints);
}

/* Endpoints owned by sockets this user may not attribute to a process. */
guint
pq_local_table_get_n_hidden (PqLocalTable *self)
{
  return self->n_hidden;
}

/**
 * pq_local_table_filter:
 * @port: a local or remote port to keep, 0 for any
 * @pid: the owner to keep, 0 for any
 *
 * Returns: (transfer full): the endpoints of the last refresh that match
 */
GListModel *
pq_local_table_filter (PqLocalTable *self,
                       guint         port,
                       int           pid)
{
  GListStore *out = g_list_store_new (PQ_TYPE_LOCAL_ENDPOINT);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->endpoints));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (G_LIST_MODEL (self->endpoints), i);

      if ((port == 0 || e->local_port == port || e->remote_port == port) &&
          (pid == 0 || e->pid == pid))
        g_list_store_append (out, e);
    }
  return G_LIST_MODEL (out);
}
