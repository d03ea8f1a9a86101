/* pq-scan-tls.c: a TLS handshake on a probe's connection, through GIO
 *
 * When a codec says PQ_STEP_STARTTLS (at once on the TLS ports, after
 * StartTLS or RDP's negotiation elsewhere), the connection leaves the
 * engine's epoll set and a short-lived thread runs GIO's blocking
 * handshake on a GSocket made from a duplicate of its descriptor:
 * g_socket_new_from_fd, g_socket_connection_factory_create_connection,
 * g_tls_client_connection_new. No TLS of our own: glib-networking does it.
 * Any certificate is accepted; GIO's verdict for the name queried against
 * this computer's CAs is kept with it.
 *
 * Why a thread and not GIO's async handshake on the lane's GMainContext:
 * the lane stops iterating its context the moment a scan is cancelled or
 * its last port is decided, and a handshake still pending then would
 * never call back (its connection and task left behind). A blocking
 * handshake with a GCancellable can be cancelled and joined at any time,
 * so the port's timeout and the scan's Stop end it at once and nothing
 * outlives the probe. The thread says it is done through an eventfd that
 * takes the connection's place in the epoll set, so the engine reads the
 * outcome in its own thread like any other socket event.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "protocols/pq-tls.h"
#include "pq-scanner-private.h"

/* Each read and write of the handshake gives up after this long; the
 * engine's deadline for the conversation cancels it sooner if it is due. */
#define TLS_IO_TIMEOUT_S 10

struct _PqScanTls
{
  int           fd;        /* the thread's duplicate, until GSocket owns it */
  int           wake;      /* eventfd: written once the handshake is over */
  char         *host;      /* the name queried, for SNI and the check */
  guint16       port;
  GCancellable *cancellable;
  GThread      *thread;
  PqTlsInfo     info;      /* the thread's until it wakes the engine */
};

static const char *
version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default: return NULL;
    }
}

/* Any certificate is taken: the point is to show it, trusted or not. */
static gboolean
accept_any (GTlsConnection       *connection,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              data)
{
  return TRUE;
}

/* What the finished handshake learnt, kept in @info. */
static void
collect (GTlsConnection *tls,
         PqTlsInfo      *info)
{
  GTlsCertificate *cert = g_tls_connection_get_peer_certificate (tls);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GPtrArray) dns = NULL;
  g_autoptr(GPtrArray) ips = NULL;

  info->version = g_strdup (version_name (g_tls_connection_get_protocol_version (tls)));
  info->ciphersuite = g_tls_connection_get_ciphersuite_name (tls);
  info->errors = g_tls_connection_get_peer_certificate_errors (tls);
  if (cert == NULL)
    return;
  g_object_get (cert, "certificate", &der, NULL);
  if (der != NULL)
    info->der = g_bytes_new (der->data, der->len);
  info->subject = g_tls_certificate_get_subject_name (cert);
  info->issuer = g_tls_certificate_get_issuer_name (cert);
  info->names = g_ptr_array_new_with_free_func (g_free);
  dns = g_tls_certificate_get_dns_names (cert);
  for (guint i = 0; dns != NULL && i < dns->len; i++)
    {
      GBytes *b = g_ptr_array_index (dns, i);

      g_ptr_array_add (info->names, g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b)));
    }
  ips = g_tls_certificate_get_ip_addresses (cert);
  for (guint i = 0; ips != NULL && i < ips->len; i++)
    g_ptr_array_add (info->names, g_inet_address_to_string (g_ptr_array_index (ips, i)));
}

static void
handshake (PqScanTls *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (t->fd, &error);
  g_autoptr(GSocketConnection) base = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;

  if (socket == NULL)
    {
      t->info.error = g_strdup (error->message);
      return;
    }
  t->fd = -1;   /* the GSocket closes it */
  g_socket_set_timeout (socket, TLS_IO_TIMEOUT_S);
  base = g_socket_connection_factory_create_connection (socket);
  identity = g_network_address_new (t->host, t->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (base), identity, &error);
  if (tls == NULL)
    {
      t->info.error = g_strdup (error->message);
      return;
    }
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), t->cancellable, &error))
    t->info.error = g_strdup (error->message);
  collect (G_TLS_CONNECTION (tls), &t->info);
}

static gpointer
tls_thread (gpointer data)
{
  PqScanTls *t = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  /* Whatever GIO dispatches while handshaking stays in this thread. */
  g_main_context_push_thread_default (context);
  t->info.identity = g_strdup (t->host);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    t->info.no_backend = TRUE;
  else
    handshake (t);
  t->info.now = g_get_real_time () / G_USEC_PER_SEC;
  g_main_context_pop_thread_default (context);
  eventfd_write (t->wake, 1);
  return NULL;
}

/* Cancels a handshake still running and waits for its thread. */
void
pq_scan_tls_free (PqScanTls *t)
{
  g_cancellable_cancel (t->cancellable);
  if (t->thread != NULL)
    g_thread_join (t->thread);
  if (t->fd >= 0)
    close (t->fd);
  if (t->wake >= 0)
    close (t->wake);   /* also leaves the epoll set */
  g_clear_object (&t->cancellable);
  g_free (t->host);
  pq_tls_info_clear (&t->info);
  g_free (t);
}

/* Hands the probe's connection to a handshake thread.
 * Returns: NULL (with errno) if the thread's descriptors could not be made */
PqScanTls *
pq_scan_tls_start (Probe *probe)
{
  Engine *engine = probe->engine;
  PqScanTls *t = g_new0 (PqScanTls, 1);
  struct epoll_event ev = { .events = EPOLLIN,
                            .data.u64 = ((guint64) probe->gen << 32) | probe->slot };

  t->fd = dup (probe->fd);
  t->wake = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  t->host = g_strdup (engine->job->host ? engine->job->host : engine->job->address_str);
  t->port = probe->spec.port;
  t->cancellable = g_cancellable_new ();
  if (t->fd < 0 || t->wake < 0 || epoll_ctl (engine->epfd, EPOLL_CTL_ADD, t->wake, &ev) != 0)
    {
      int saved = errno;

      pq_scan_tls_free (t);
      errno = saved;
      return NULL;
    }
  /* From now on the connection's bytes are GIO's. */
  epoll_ctl (engine->epfd, EPOLL_CTL_DEL, probe->fd, NULL);
  t->thread = g_thread_new ("pq-tls", tls_thread, t);
  return t;
}

/* The eventfd fired: the handshake is over. Returns: %FALSE if not yet */
gboolean
pq_scan_tls_finish (PqScanTls       *t,
                    PqProbeFindings *findings)
{
  eventfd_t n;

  if (eventfd_read (t->wake, &n) != 0)
    return FALSE;
  g_thread_join (g_steal_pointer (&t->thread));
  pq_tls_add_findings (&t->info, findings);
  return TRUE;
}
