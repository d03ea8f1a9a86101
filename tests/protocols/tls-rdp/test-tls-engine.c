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

#include "engine-run.h"

typedef struct
{
  GSocket         *listener;
  guint16          port;
  GTlsCertificate *certificate;   /* NULL: accept and stay silent */
  GThread         *thread;
  gint             accepted;      /* atomic */
  GCancellable    *stop;
} Peer;

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
  memset (p, 0, sizeof *p);
  p->listener = engine_listener_new (&p->port);
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

/* Scans the peer's port as "https-alt"; cancels once the peer has
 * accepted when @cancel (the handshake thread then waits for the peer).
 * Returns: the scan's error, if any. */
static GError *
scan (Peer      *p,
      gboolean   cancel,
      EngineRun *run)
{
  return engine_run_scan (run, "https-alt", p->port, &p->accepted, cancel ? 1 : 0);
}

/* One scan of a TLS server with data/server.pem: its findings. */
static void
certificate_cycle (GTlsCertificate *certificate)
{
  EngineRun run;
  Peer peer;
  PqResult *r;

  peer_start (&peer, certificate);
  g_assert_no_error (scan (&peer, FALSE, &run));
  g_assert_cmpuint (run.results->len, ==, 1);
  r = g_ptr_array_index (run.results, 0);
  g_assert_cmpint (pq_result_get_state (r), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpstr (engine_result_detail (r, "tls-subject"), ==, "CN=localhost");
  g_assert_cmpstr (engine_result_detail (r, "tls-names"), ==, "localhost, 127.0.0.1");
  g_assert_cmpstr (engine_result_detail (r, "tls-key"), ==, "EC P-256, 256 bits");
  g_assert_cmpstr (engine_result_detail (r, "tls-signature"), ==, "ECDSA with SHA-256");
  g_assert_true (g_str_has_prefix (engine_result_detail (r, "tls-expiry"), "expires in 3649"));   /* 36500 days, less today */
  g_assert_nonnull (strstr (engine_result_detail (r, "tls-untrusted"), "self-signed or a private CA"));
  g_assert_nonnull (strstr (pq_result_get_evidence (r), "handshake: certificate CN=localhost"));
  engine_run_clear (&run);
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
  baseline = engine_settled_fds (0);
  certificate_cycle (certificate);
  g_assert_cmpuint (engine_settled_fds (baseline), ==, baseline);
}

/* A scan stopped in the middle of the handshake: it calls back cancelled
 * at once (the handshake thread cancelled and joined), not after the
 * handshake's 10 s limit. */
static void
cancel_cycle (void)
{
  g_autoptr(GError) error = NULL;
  EngineRun run;
  Peer peer;

  peer_start (&peer, NULL);
  error = scan (&peer, TRUE, &run);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run.cancelled_us, >, 0);
  g_assert_cmpint (run.done_us - run.cancelled_us, <, G_USEC_PER_SEC);
  g_assert_cmpuint (run.results->len, ==, 0);
  engine_run_clear (&run);
  peer_stop (&peer);
}

/* ...and leaves no descriptor (connection, duplicate, eventfd) behind. */
static void
test_engine_cancel (void)
{
  engine_assert_no_leak (cancel_cycle);
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
