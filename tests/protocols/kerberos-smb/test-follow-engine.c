/* test-follow-engine.c: the scan engine's further connections
 * (pq-scan-follow.c) on loopback, without root. A peer thread of this test
 * plays smbd: the first connection gets Samba's captured NEGOTIATE
 * answers (seeds/smb/samba-3.1.1), the second (the SMB1-only offer) is
 * closed, or accepted and never answered. The port's result must say what
 * the second connection showed and count it; a silent one must end within
 * the conversation's wait, and a Stop during it must end the scan at once
 * with no descriptor left open.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "engine-run.h"

typedef enum
{
  SECOND_CLOSED,   /* reads the offer, then closes */
  SECOND_SILENT,   /* reads, answers nothing */
} Second;

typedef struct
{
  GSocket      *listener;
  guint16       port;
  Second        second;
  GBytes       *answers;     /* the two frames smbd sent, back to back */
  GThread      *thread;
  gint          accepted;    /* atomic: connections accepted */
  GCancellable *stop;
} Peer;

/* One request frame (a 4-byte header with a 24-bit length), read whole. */
static gboolean
read_frame (GInputStream *in,
            GCancellable *stop)
{
  guint8 header[4];
  gsize got = 0;
  g_autofree guint8 *body = NULL;
  gsize len;

  if (!g_input_stream_read_all (in, header, 4, &got, stop, NULL) || got != 4)
    return FALSE;
  len = (gsize) header[1] << 16 | (gsize) header[2] << 8 | header[3];
  body = g_malloc (len + 1);
  return g_input_stream_read_all (in, body, len, &got, stop, NULL) && got == len;
}

static gsize
frame_len (const guint8 *p)
{
  return 4 + ((gsize) p[1] << 16 | (gsize) p[2] << 8 | p[3]);
}

/* The first connection: the wildcard answer, then the SMB2 one. */
static void
answer_first (Peer          *p,
              GIOStream     *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (conn);
  GOutputStream *out = g_io_stream_get_output_stream (conn);
  gsize len;
  const guint8 *data = g_bytes_get_data (p->answers, &len);
  gsize first = frame_len (data);

  if (read_frame (in, p->stop))
    g_output_stream_write_all (out, data, first, NULL, p->stop, NULL);
  if (read_frame (in, p->stop))
    g_output_stream_write_all (out, data + first, len - first, NULL, p->stop, NULL);
  /* Until the engine leaves for its second connection. */
  while (read_frame (in, p->stop))
    ;
}

static gpointer
peer_thread (gpointer data)
{
  Peer *p = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSocket) socket = g_socket_accept (p->listener, p->stop, NULL);
      g_autoptr(GSocketConnection) conn = NULL;
      GInputStream *in;

      if (socket == NULL)
        break;
      g_atomic_int_inc (&p->accepted);
      conn = g_socket_connection_factory_create_connection (socket);
      in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
      if (i == 0)
        answer_first (p, G_IO_STREAM (conn));
      else if (p->second == SECOND_CLOSED)
        read_frame (in, p->stop);
      else
        while (read_frame (in, p->stop))
          ;
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
peer_start (Peer   *p,
            Second  second)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "seeds", "smb", "samba-3.1.1", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;
  gsize len = 0;

  memset (p, 0, sizeof *p);
  g_file_get_contents (path, &seed, &len, &error);
  g_assert_no_error (error);
  p->answers = g_bytes_new (seed + 1, len - 1);   /* without the fuzz chunk byte */
  p->second = second;
  p->listener = engine_listener_new (&p->port);
  p->stop = g_cancellable_new ();
  p->thread = g_thread_new ("smb-peer", peer_thread, p);
}

static void
peer_stop (Peer *p)
{
  g_cancellable_cancel (p->stop);
  g_thread_join (p->thread);
  g_socket_close (p->listener, NULL);
  g_clear_object (&p->listener);
  g_clear_object (&p->stop);
  g_clear_pointer (&p->answers, g_bytes_unref);
}

/* Scans the peer's port as "microsoft-ds"; cancels once the second
 * connection is accepted when @cancel. Returns: the scan's error. */
static GError *
scan (Peer      *p,
      gboolean   cancel,
      EngineRun *run)
{
  return engine_run_scan (run, "microsoft-ds", p->port, &p->accepted, cancel ? 2 : 0);
}

/* Returns: (transfer full): the port's one result */
static PqResult *
scan_one (Second  second,
          gint64 *took_us)
{
  EngineRun run;
  Peer peer;
  PqResult *r;

  peer_start (&peer, second);
  g_assert_no_error (scan (&peer, FALSE, &run));
  g_assert_cmpuint (run.results->len, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&peer.accepted), ==, 2);
  r = g_object_ref (g_ptr_array_index (run.results, 0));
  *took_us = run.done_us - run.started_us;
  engine_run_clear (&run);
  peer_stop (&peer);
  return r;
}

/* smbd as installed closes a connection that offers SMB1 alone. */
static void
test_follow_closed (void)
{
  gint64 took;
  g_autoptr(PqResult) r = scan_one (SECOND_CLOSED, &took);

  g_assert_cmpint (pq_result_get_state (r), ==, PQ_PORT_STATE_LISTENING);
  g_assert_cmpstr (engine_result_detail (r, "smb-dialect"), ==, "SMB 3.1.1");
  g_assert_cmpstr (engine_result_detail (r, "smb-smb1"), ==,
                   "not accepted: offered alone on a second connection, the connection ended without an answer "
                   "(the server closed the connection)");
  g_assert_nonnull (strstr (pq_result_get_evidence (r),
                            ", SMB1 not accepted. The SMB query opened 1 more connection to the host."));
  g_assert_cmpint (took, <, 2 * G_USEC_PER_SEC);
}

/* A second connection nobody answers ends after the conversation's wait
 * for a reply (5 s), not later. */
static void
test_follow_silent (void)
{
  gint64 took;
  g_autoptr(PqResult) r = scan_one (SECOND_SILENT, &took);

  g_assert_cmpstr (engine_result_detail (r, "smb-smb1"), ==,
                   "not accepted: offered alone on a second connection, the connection ended without an answer "
                   "(no reply in time)");
  g_assert_cmpint (took, >=, 5 * G_USEC_PER_SEC - 100000);
  g_assert_cmpint (took, <, 7 * G_USEC_PER_SEC);
}

/* Stopped while the second connection waits: at once, cancelled, and no
 * descriptor left behind. */
static void
cancel_cycle (void)
{
  g_autoptr(GError) error = NULL;
  EngineRun run;
  Peer peer;

  peer_start (&peer, SECOND_SILENT);
  error = scan (&peer, TRUE, &run);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run.done_us - run.cancelled_us, <, G_USEC_PER_SEC);
  g_assert_cmpuint (run.results->len, ==, 0);
  engine_run_clear (&run);
  peer_stop (&peer);
}

static void
test_follow_cancel (void)
{
  engine_assert_no_leak (cancel_cycle);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/follow-engine/closed", test_follow_closed);
  g_test_add_func ("/follow-engine/silent", test_follow_silent);
  g_test_add_func ("/follow-engine/cancel", test_follow_cancel);
  return g_test_run ();
}
