/* engine-run.c: one scan of a loopback port by the real engine (engine-run.h)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "engine-run.h"
#include "pq-services.h"

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
 * for, up to a second. Returns: how many are open then */
guint
engine_settled_fds (guint expected)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
  guint n;

  while ((n = count_open_fds ()) != expected && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  return n;
}

static void
result_cb (PqScanner *scanner,
           PqResult  *result,
           EngineRun *run)
{
  g_ptr_array_add (run->results, g_object_ref (result));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  EngineRun *run = data;

  run->done_us = g_get_monotonic_time ();
  g_set_object (&run->async_result, result);
}

/* Starts a scan of TCP @port on 127.0.0.1, named @service ("https-alt"),
 * with the default options and "localhost" as the name typed. */
void
engine_run_start (EngineRun  *run,
                  const char *service,
                  guint16     port)
{
  g_autofree char *line = g_strdup_printf ("%s %u/tcp\n", service, port);
  g_autoptr(PqServices) services = pq_services_new_from_data (line, strlen (line));
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  PqScanOptions options;

  memset (run, 0, sizeof *run);
  pq_scan_options_init (&options);
  g_assert_true (pq_scan_options_validate (&options, NULL));
  run->scanner = pq_scanner_new (services, &options);
  pq_scanner_set_host_name (run->scanner, "localhost");
  run->cancellable = g_cancellable_new ();
  run->results = g_ptr_array_new_with_free_func (g_object_unref);
  g_array_append_val (ports, port);
  g_signal_connect (run->scanner, "result", G_CALLBACK (result_cb), run);
  run->started_us = g_get_monotonic_time ();
  pq_scanner_scan_async (run->scanner, lo, 0, ports, PQ_PROTOCOLS_TCP, run->cancellable, done_cb, run);
}

void
engine_run_cancel (EngineRun *run)
{
  run->cancelled_us = g_get_monotonic_time ();
  g_cancellable_cancel (run->cancellable);
}

/* Returns: the scan's error, once it called back */
GError *
engine_run_wait (EngineRun *run)
{
  GError *error = NULL;

  while (run->async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  pq_scanner_scan_finish (run->scanner, run->async_result, &error);
  return error;
}

/**
 * engine_run_scan:
 * @accepted: (nullable): the peer's count of connections accepted (atomic)
 * @cancel_at: with @accepted, cancel the scan once the peer has accepted
 *   this many connections; 0 lets it end by itself
 *
 * Scans @port as @service to its end. Returns: the scan's error
 */
GError *
engine_run_scan (EngineRun  *run,
                 const char *service,
                 guint16     port,
                 gint       *accepted,
                 gint        cancel_at)
{
  engine_run_start (run, service, port);
  if (accepted != NULL && cancel_at > 0)
    {
      while (g_atomic_int_get (accepted) < cancel_at)
        g_main_context_iteration (NULL, FALSE);
      /* The scanner has sent on that connection and awaits its answer. */
      g_usleep (100 * 1000);
      engine_run_cancel (run);
    }
  return engine_run_wait (run);
}

void
engine_run_clear (EngineRun *run)
{
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_clear_object (&run->async_result);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->scanner);
}

/* Returns: (nullable): the value of @result's first finding of @kind */
const char *
engine_result_detail (PqResult   *result,
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

/* A TCP listener on 127.0.0.1, on a port of the kernel's choosing. */
GSocket *
engine_listener_new (guint16 *port)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return listener;
}

/* @cycle (a scan, stopped) twice more after a first: as many descriptors
 * open after them as before (GIO keeps a few of its own from its first
 * use on, hence the first). */
void
engine_assert_no_leak (void (*cycle) (void))
{
  guint baseline;

  cycle ();
  baseline = engine_settled_fds (0);
  cycle ();
  cycle ();
  g_assert_cmpuint (engine_settled_fds (baseline), ==, baseline);
}
