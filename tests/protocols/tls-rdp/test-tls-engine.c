/* test-tls-engine.c: the scan engine's TLS handshake (pq-scan-tls.c) on
 * loopback, without root: a GIO TLS server in a thread of this test with
 * the certificate in data/server.pem, and a peer that accepts and never
 * answers the handshake, whose scan is cancelled mid-handshake. Every
 * descriptor the engine opened (the connection, its duplicate, the
 * eventfd) must be closed when the scan calls back.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pq-scanner.h"
#include "pq-services.h"

typedef struct
{
  GSocket         *listener;
  guint16          port;
  GTlsCertificate *certificate;   /* NULL: accept and stay silent */
  GThread         *thread;
  gint             accepted;      /* atomic */
  GCancellable    *stop;
} Peer;

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Descriptors the lane thread closes just after it calls back: waited
 * for, up to a second. */
static guint
settled_fds (guint expected)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
  guint n;

  while ((n = count_open_fds ()) != expected && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  return n;
}

static gpointer
peer_thread (gpointer data)
{
  Peer *p = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocket) conn = NULL;

  g_main_context_push_thread_default (context);
  conn = g_socket_accept (p->listener, p->stop, NULL);
  if (conn != NULL)
    {
      g_autoptr(GSocketConnection) base = g_socket_connection_factory_create_connection (conn);
      g_autoptr(GIOStream) tls = NULL;
      char byte;

      g_atomic_int_set (&p->accepted, 1);
      if (p->certificate != NULL)
        {
          tls = g_tls_server_connection_new (G_IO_STREAM (base), p->certificate, NULL);
          g_assert_nonnull (tls);
          g_tls_connection_handshake (G_TLS_CONNECTION (tls), p->stop, NULL);
        }
      /* Reads what comes, answers nothing, until the scanner closes the
       * connection or the test ends. */
      while (g_input_stream_read (g_io_stream_get_input_stream (tls ? tls : G_IO_STREAM (base)),
                                  &byte, 1, p->stop, NULL) > 0)
        ;
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
peer_start (Peer            *p,
            GTlsCertificate *certificate)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  memset (p, 0, sizeof *p);
  p->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (p->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (p->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (p->listener, &error);
  p->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  p->certificate = certificate ? g_object_ref (certificate) : NULL;
  p->stop = g_cancellable_new ();
  p->thread = g_thread_new ("tls-peer", peer_thread, p);
}

static void
peer_stop (Peer *p)
{
  g_cancellable_cancel (p->stop);
  g_thread_join (p->thread);
  g_socket_close (p->listener, NULL);
  g_clear_object (&p->listener);
  g_clear_object (&p->certificate);
  g_clear_object (&p->stop);
}

typedef struct
{
  GPtrArray    *results;
  GAsyncResult *async_result;
  gint64        cancelled_us;
  gint64        done_us;
} Run;

static void
result_cb (PqScanner *scanner,
           PqResult  *result,
           Run       *run)
{
  g_ptr_array_add (run->results, g_object_ref (result));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;

  run->done_us = g_get_monotonic_time ();
  g_set_object (&run->async_result, result);
}

/* Scans the peer's port as "https-alt"; cancels once the peer has
 * accepted when @cancel. Returns: the scan's error, if any. */
static GError *
scan (Peer     *p,
      gboolean  cancel,
      Run      *run)
{
  g_autofree char *line = g_strdup_printf ("https-alt %u/tcp\n", p->port);
  g_autoptr(PqServices) services = pq_services_new_from_data (line, strlen (line));
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(PqScanner) scanner = NULL;
  GError *error = NULL;
  PqScanOptions options;

  pq_scan_options_init (&options);
  g_assert_true (pq_scan_options_validate (&options, NULL));
  scanner = pq_scanner_new (services, &options);
  pq_scanner_set_host_name (scanner, "localhost");
  g_array_append_val (ports, p->port);
  run->results = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (scanner, "result", G_CALLBACK (result_cb), run);
  pq_scanner_scan_async (scanner, lo, 0, ports, PQ_PROTOCOLS_TCP, cancellable, done_cb, run);
  while (cancel && !g_atomic_int_get (&p->accepted))
    g_main_context_iteration (NULL, FALSE);
  if (cancel)
    {
      g_usleep (100 * 1000);   /* the handshake thread is waiting for the peer */
      run->cancelled_us = g_get_monotonic_time ();
      g_cancellable_cancel (cancellable);
    }
  while (run->async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  pq_scanner_scan_finish (scanner, run->async_result, &error);
  return error;
}

static const char *
detail (PqResult   *result,
        const char *kind)
{
  GListModel *details = pq_result_get_details (result);

  for (guint i = 0; i < g_list_model_get_n_items (details); i++)
    {
      g_autoptr(PqDetail) d = g_list_model_get_item (details, i);

      if (g_strcmp0 (pq_detail_get_kind (d), kind) == 0)
        return pq_detail_get_value (d);
    }
  return NULL;
}

/* One scan of a TLS server with data/server.pem: its findings. */
static void
certificate_cycle (GTlsCertificate *certificate)
{
  Run run = { 0 };
  Peer peer;
  PqResult *r;

  peer_start (&peer, certificate);
  g_assert_no_error (scan (&peer, FALSE, &run));
  g_assert_cmpuint (run.results->len, ==, 1);
  r = g_ptr_array_index (run.results, 0);
  g_assert_cmpint (pq_result_get_state (r), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpstr (detail (r, "tls-subject"), ==, "CN=localhost");
  g_assert_cmpstr (detail (r, "tls-names"), ==, "localhost, 127.0.0.1");
  g_assert_cmpstr (detail (r, "tls-key"), ==, "EC P-256, 256 bits");
  g_assert_cmpstr (detail (r, "tls-signature"), ==, "ECDSA with SHA-256");
  g_assert_true (g_str_has_prefix (detail (r, "tls-expiry"), "expires in 3649"));   /* 36500 days, less today */
  g_assert_nonnull (strstr (detail (r, "tls-untrusted"), "self-signed or a private CA"));
  g_assert_nonnull (strstr (pq_result_get_evidence (r), "handshake: certificate CN=localhost"));
  g_ptr_array_unref (run.results);
  g_clear_object (&run.async_result);
  peer_stop (&peer);
}

/* The second scan ends with as many descriptors open as the first: GIO's
 * TLS backend keeps a few of its own from its first use on. */
static void
test_engine_certificate (void)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "server.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "server.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  guint baseline;

  g_assert_no_error (error);
  certificate_cycle (certificate);
  baseline = settled_fds (0);
  certificate_cycle (certificate);
  g_assert_cmpuint (settled_fds (baseline), ==, baseline);
}

/* A scan stopped in the middle of the handshake: it calls back cancelled
 * at once (the handshake thread cancelled and joined), not after the
 * handshake's 10 s limit. */
static void
cancel_cycle (void)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  Peer peer;

  peer_start (&peer, NULL);
  error = scan (&peer, TRUE, &run);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run.cancelled_us, >, 0);
  g_assert_cmpint (run.done_us - run.cancelled_us, <, G_USEC_PER_SEC);
  g_assert_cmpuint (run.results->len, ==, 0);
  g_ptr_array_unref (run.results);
  g_clear_object (&run.async_result);
  peer_stop (&peer);
}

/* ...and leaves no descriptor (connection, duplicate, eventfd) behind. */
static void
test_engine_cancel (void)
{
  guint baseline;

  cancel_cycle ();
  baseline = settled_fds (0);
  cancel_cycle ();
  cancel_cycle ();
  g_assert_cmpuint (settled_fds (baseline), ==, baseline);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("glib-networking is not installed");
      return g_test_run ();
    }
  g_test_add_func ("/tls-engine/certificate", test_engine_certificate);
  g_test_add_func ("/tls-engine/cancel", test_engine_cancel);
  return g_test_run ();
}
