/* test-scanner-cancel.c: cancelling a scan with hundreds of ports in flight
 *
 * The ports scanned are all ones this test bound on 127.0.0.1 a moment
 * before, chosen so that none of them answers quickly:
 *  - UDP sockets that never reply (each probe waits for its datagrams);
 *  - TCP listeners whose accept queue the test filled itself, so the
 *    kernel drops the scanner's SYNs and the connections stay pending.
 * No other port of the loopback interface, and no other address, is
 * queried. The scan is cancelled 50 ms after all its probes are in
 * flight; the callback must come back at once with G_IO_ERROR_CANCELLED,
 * and every descriptor the engine opened must be closed again.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-scanner.h"
#include "pq-services.h"

#define N_UDP 200
#define N_TCP 48
/* Connections the test makes to each listener: with a backlog of 0 the
 * accept queue holds one, so these fill it. */
#define FILLERS_PER_LISTENER 2
#define CANCEL_AFTER_MS 50
#define CALLBACK_LIMIT_MS 100
#define SCAN_LIMIT_S 30

typedef struct
{
  GArray  *fds;         /* every descriptor the test opened */
  GArray  *udp_ports;   /* guint16 */
  GArray  *tcp_ports;   /* guint16 */
} Ports;

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint16
bound_port (int fd)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &sin, &len), ==, 0);
  return g_ntohs (sin.sin_port);
}

/* A socket of @type bound to 127.0.0.1 on a port the kernel picks. */
static int
bind_loopback (int type)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = g_htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &sin, sizeof sin), ==, 0);
  return fd;
}

static void
ports_open (Ports *p)
{
  p->fds = g_array_new (FALSE, FALSE, sizeof (int));
  p->udp_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  p->tcp_ports = g_array_new (FALSE, FALSE, sizeof (guint16));

  /* Bound and never read: the scanner's datagrams get no reply and, the
   * port being open, no ICMP port unreachable either. */
  for (guint i = 0; i < N_UDP; i++)
    {
      int fd = bind_loopback (SOCK_DGRAM);
      guint16 port = bound_port (fd);

      g_array_append_val (p->fds, fd);
      g_array_append_val (p->udp_ports, port);
    }

  /* Listening, never accepting, accept queue full: Linux drops further
   * SYNs, so the scanner's connects wait like those to a DROP firewall. */
  for (guint i = 0; i < N_TCP; i++)
    {
      int fd = bind_loopback (SOCK_STREAM);
      struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = g_htonl (INADDR_LOOPBACK) };
      guint16 port = bound_port (fd);

      g_assert_cmpint (listen (fd, 0), ==, 0);
      g_array_append_val (p->fds, fd);
      g_array_append_val (p->tcp_ports, port);
      to.sin_port = g_htons (port);
      for (guint j = 0; j < FILLERS_PER_LISTENER; j++)
        {
          int c = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

          g_assert_cmpint (c, >=, 0);
          if (connect (c, (struct sockaddr *) &to, sizeof to) != 0)
            g_assert_cmpint (errno, ==, EINPROGRESS);
          g_array_append_val (p->fds, c);
        }
    }
  /* Let the fillers' handshakes complete before the scan starts. */
  g_usleep (50 * 1000);
}

static void
ports_close (Ports *p)
{
  for (guint i = 0; i < p->fds->len; i++)
    close (g_array_index (p->fds, int, i));
  g_clear_pointer (&p->fds, g_array_unref);
  g_clear_pointer (&p->udp_ports, g_array_unref);
  g_clear_pointer (&p->tcp_ports, g_array_unref);
}

typedef struct
{
  GPtrArray    *results;
  GAsyncResult *async_result;
  guint         callbacks;
  gint64        cancelled_us;
  gint64        done_us;
  GCancellable *cancellable;
  guint         fds_at_cancel;
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
  run->callbacks++;
  g_set_object (&run->async_result, result);
}

static gboolean
cancel_cb (gpointer data)
{
  Run *run = data;

  /* How many descriptors the scan holds, to show the test is not empty. */
  run->fds_at_cancel = count_open_fds ();
  run->cancelled_us = g_get_monotonic_time ();
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static PqScanner *
make_scanner (void)
{
  g_autoptr(PqServices) services = pq_services_new_from_data ("", 0);
  PqScanOptions options;

  pq_scan_options_init (&options);
  /* Long waits: without the cancel the scan would take many seconds. */
  options.tcp_timeout_ms = 5000;
  options.udp_wait_ms = 5000;
  options.window = 256;
  g_assert_true (pq_scan_options_validate (&options, NULL));
  return pq_scanner_new (services, &options);
}

/* Scans @ports, cancels CANCEL_AFTER_MS after every probe is in flight
 * (on a loaded machine the worker may need longer than that to open them
 * all) and waits for the callback, and a little longer to catch a second. */
static void
run_cancelled_scan (PqScanner   *scanner,
                    GArray      *ports,
                    PqProtocols  protocols,
                    Run         *run)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  gint64 limit = g_get_monotonic_time () + SCAN_LIMIT_S * G_USEC_PER_SEC;
  guint in_flight = count_open_fds () + ports->len;
  gint64 linger;
  gulong id;

  memset (run, 0, sizeof *run);
  run->results = g_ptr_array_new_with_free_func (g_object_unref);
  run->cancellable = g_cancellable_new ();
  id = g_signal_connect (scanner, "result", G_CALLBACK (result_cb), run);

  pq_scanner_scan_async (scanner, loopback, 0, ports, protocols, run->cancellable, done_cb, run);
  while (count_open_fds () < in_flight && run->callbacks == 0 && g_get_monotonic_time () < limit)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_timeout_add (CANCEL_AFTER_MS, cancel_cb, run);
  while (run->callbacks == 0 && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  if (run->callbacks == 0)
    g_error ("the cancelled scan did not call back within %d s", SCAN_LIMIT_S);

  /* Anything still queued (a late result, a second callback) runs now. */
  linger = g_get_monotonic_time () + 50 * 1000;
  while (g_get_monotonic_time () < linger)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_signal_handler_disconnect (scanner, id);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_clear_object (&run->async_result);
  g_clear_object (&run->cancellable);
}

static void
assert_cancelled (PqScanner *scanner,
                  Run       *run,
                  guint      baseline_fds,
                  guint      in_flight)
{
  g_autoptr(GError) error = NULL;
  double callback_ms = (double) (run->done_us - run->cancelled_us) / 1000.0;

  g_test_message ("callback %.1f ms after the cancel; %u descriptors open at the cancel, %u before",
                  callback_ms, run->fds_at_cancel, baseline_fds);
  g_assert_cmpuint (run->callbacks, ==, 1);
  g_assert_cmpint (run->cancelled_us, >, 0);
  g_assert_cmpfloat (callback_ms, >=, 0.0);
  g_assert_cmpfloat (callback_ms, <, CALLBACK_LIMIT_MS);
  g_assert_false (pq_scanner_scan_finish (scanner, run->async_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* No port can have been decided: none answers within 50 ms. */
  g_assert_cmpuint (run->results->len, ==, 0);
  /* The probes really were in flight when the cancel came... */
  g_assert_cmpuint (run->fds_at_cancel, >=, baseline_fds + in_flight);
  /* ...and every one of their descriptors is closed again. */
  g_assert_cmpuint (count_open_fds (), ==, baseline_fds);
}

static void
test_cancel (gconstpointer data)
{
  PqProtocols protocols = GPOINTER_TO_UINT (data);
  g_autoptr(PqScanner) scanner = make_scanner ();
  g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  Ports p;
  Run run;
  guint baseline, in_flight = 0;

  ports_open (&p);
  if (protocols & PQ_PROTOCOLS_UDP)
    {
      g_array_append_vals (ports, p.udp_ports->data, p.udp_ports->len);
      in_flight += p.udp_ports->len;
    }
  if (protocols & PQ_PROTOCOLS_TCP)
    {
      g_array_append_vals (ports, p.tcp_ports->data, p.tcp_ports->len);
      in_flight += p.tcp_ports->len;
    }

  /* A first run creates what GLib keeps for the process's lifetime (the
   * thread pool, the default context's wake-up descriptor). Later runs
   * must leave the descriptor count exactly where it was. */
  run_cancelled_scan (scanner, ports, protocols, &run);
  run_clear (&run);
  baseline = count_open_fds ();

  for (guint i = 0; i < 3; i++)
    {
      run_cancelled_scan (scanner, ports, protocols, &run);
      assert_cancelled (scanner, &run, baseline, in_flight);
      run_clear (&run);
    }

  ports_close (&p);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/pq/scanner/cancel/in-flight/udp", GUINT_TO_POINTER (PQ_PROTOCOLS_UDP), test_cancel);
  g_test_add_data_func ("/pq/scanner/cancel/in-flight/tcp", GUINT_TO_POINTER (PQ_PROTOCOLS_TCP), test_cancel);

  return g_test_run ();
}
