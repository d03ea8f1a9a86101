/* test-query.c: PqQuery, the pipeline portqry and the window share
 *
 * Runs without root or a display. The ports queried are the loopback ports
 * loopback-servers.c opens (a TCP listener, a UDP echo, a silent UDP socket
 * and a closed port); names resolve through a test resolver installed as
 * GLib's default, so no query leaves the machine and a silent DNS server
 * can be played on demand.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "loopback-servers.h"
#include "pq-error.h"
#include "pq-query.h"
#include "test-resolver.h"

/* The test names (tests/lib/test-resolver.c), made again for each test:
 * one.test and two.test on loopback, silent-dns.test from a DNS server
 * that never answers, 127.0.0.1 named loopback.test. */
static TestResolver *resolver;

static void
install_resolver (void)
{
  g_clear_object (&resolver);
  resolver = test_resolver_new ();
  test_resolver_add_name (resolver, "one.test", "127.0.0.1");
  test_resolver_add_name (resolver, "two.test", "127.0.0.1,127.0.0.2");
  test_resolver_add_silent_name (resolver, "silent-dns.test");
  test_resolver_add_reverse (resolver, "127.0.0.1", "loopback.test");
  g_resolver_set_default (G_RESOLVER (resolver));
}

/* ------------------------------------------------------------------ */
/* Running a query                                                     */

typedef struct
{
  Servers     servers;
  PqQuery    *query;
  GPtrArray  *in_order;     /* PqResult, as ::result gave them */
  GArray     *addresses;    /* guint, as ::address gave them */
  guint       progress_calls;
  guint       last_done;
  guint       last_total;
  gboolean    list_was_partial;  /* the list once held fewer than all */
  gboolean    done;
  GError     *error;
} Fixture;

static void
on_result (PqQuery  *query,
           PqResult *result,
           Fixture  *f)
{
  g_ptr_array_add (f->in_order, g_object_ref (result));
}

static void
on_address (PqQuery *query,
            guint    index,
            Fixture *f)
{
  g_array_append_val (f->addresses, index);
}

static void
on_progress (PqQuery *query,
             guint    done,
             guint    total,
             Fixture *f)
{
  guint n = g_list_model_get_n_items (pq_query_get_results (query));

  /* The list always holds exactly the decided ports. */
  g_assert_cmpuint (n, ==, done);
  if (done > 0 && done < total)
    f->list_was_partial = TRUE;
  f->progress_calls++;
  f->last_done = done;
  f->last_total = total;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      data)
{
  Fixture *f = data;

  pq_query_run_finish (PQ_QUERY (object), result, &f->error);
  f->done = TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  install_resolver ();
  g_assert_true (servers_start (&f->servers, G_SOCKET_FAMILY_IPV4));
  f->in_order = g_ptr_array_new_with_free_func (g_object_unref);
  f->addresses = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->query);
  g_ptr_array_unref (f->in_order);
  g_array_unref (f->addresses);
  g_clear_error (&f->error);
  servers_stop (&f->servers);
}

static PqQuery *
new_query (const char      *host,
           PqAddressChoice  choice)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (host, &error);
  PqScanOptions options;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  /* The silent UDP port waits this long; nothing else here waits at all. */
  options.udp_wait_ms = 300;
  options.udp_tries = 1;
  options.probes = FALSE;
  return pq_query_new (target, &options, choice);
}

static GArray *
port_list (guint16 first,
           ...)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  va_list ap;

  va_start (ap, first);
  for (guint p = first; p != 0; p = va_arg (ap, guint))
    {
      guint16 port = (guint16) p;
      g_array_append_val (ports, port);
    }
  va_end (ap);
  return ports;
}

static void
run_query (Fixture      *f,
           GCancellable *cancellable)
{
  g_signal_connect (f->query, "result", G_CALLBACK (on_result), f);
  g_signal_connect (f->query, "address", G_CALLBACK (on_address), f);
  g_signal_connect (f->query, "progress", G_CALLBACK (on_progress), f);
  pq_query_run_async (f->query, cancellable, run_cb, f);
  while (!f->done)
    g_main_context_iteration (f->servers.context, TRUE);
}

static void
assert_result (PqResult    *result,
               const char  *address,
               guint16      port,
               PqProtocol   protocol,
               PqPortState  state)
{
  g_assert_cmpstr (pq_result_get_address (result), ==, address);
  g_assert_cmpuint (pq_result_get_port (result), ==, port);
  g_assert_cmpint (pq_result_get_protocol (result), ==, protocol);
  g_assert_cmpstr (pq_port_state_to_string (pq_result_get_state (result)), ==,
                   pq_port_state_to_string (state));
}

static PqResult *
list_item (GListModel *list,
           guint       i)
{
  /* The list keeps a reference; the test only looks. */
  g_autoptr(PqResult) r = g_list_model_get_item (list, i);
  return r;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

/* -o silent,open,closed -p both: the silent UDP port is decided last (it
 * waits), yet the list and ::result keep the order asked, TCP before UDP
 * for each port, as PortQry prints them. */
static void
test_order_asked (Fixture       *f,
                  gconstpointer  data)
{
  Servers *s = &f->servers;
  g_autoptr(GArray) ports = port_list (s->silent_port, s->open_port, s->closed_port, 0);
  const struct { guint16 port; PqProtocol protocol; PqPortState state; } want[] = {
    { s->silent_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING },
    { s->silent_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_LISTENING_OR_FILTERED },
    { s->open_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_LISTENING },
    { s->open_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_LISTENING },
    { s->closed_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING },
    { s->closed_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_NOT_LISTENING },
  };
  GListModel *list;
  PqReport *report;

  f->query = new_query ("127.0.0.1", PQ_ADDRESS_FIRST);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_BOTH);
  run_query (f, NULL);

  g_assert_no_error (f->error);
  report = pq_query_get_report (f->query);
  g_assert_nonnull (report);
  list = pq_query_get_results (f->query);
  g_assert_true (list == pq_report_get_results (report));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, G_N_ELEMENTS (want));
  g_assert_cmpuint (f->in_order->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      assert_result (list_item (list, i), "127.0.0.1", want[i].port, want[i].protocol, want[i].state);
      g_assert_true (g_ptr_array_index (f->in_order, i) == list_item (list, i));
    }
  /* The silent port held the list back from nothing: the others were
   * in it while it waited. */
  g_assert_true (f->list_was_partial);
  g_assert_cmpuint (f->last_done, ==, 6);
  g_assert_cmpuint (f->last_total, ==, 6);
  g_assert_cmpuint (pq_query_get_done (f->query), ==, 6);
  g_assert_cmpint (pq_report_get_exit_code (report), ==, PQ_EXIT_NOT_LISTENING);
  g_assert_false (pq_report_get_cancelled (report));
  g_assert_nonnull (pq_report_get_finished (report));
}

/* Groups of ports (a service check) keep their order too, and the report
 * says every port asked once. */
static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  Servers *s = &f->servers;
  g_autoptr(GArray) tcp = port_list (s->closed_port, s->open_port, 0);
  g_autoptr(GArray) udp = port_list (s->open_port, 0);
  g_autofree char *ports_text = NULL;
  GListModel *list;

  f->query = new_query ("127.0.0.1", PQ_ADDRESS_FIRST);
  pq_query_add_ports (f->query, tcp, PQ_PROTOCOLS_TCP);
  pq_query_add_ports (f->query, udp, PQ_PROTOCOLS_UDP);
  run_query (f, NULL);

  g_assert_no_error (f->error);
  list = pq_query_get_results (f->query);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  assert_result (list_item (list, 0), "127.0.0.1", s->closed_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING);
  assert_result (list_item (list, 1), "127.0.0.1", s->open_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_LISTENING);
  assert_result (list_item (list, 2), "127.0.0.1", s->open_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_LISTENING);
  ports_text = pq_report_get_ports_text (pq_query_get_report (f->query));
  g_assert_nonnull (strstr (ports_text, ","));
  g_assert_cmpstr (pq_report_get_protocols_text (pq_query_get_report (f->query)), ==, "both");
}

/* A name with two addresses, every address asked: ::address once each,
 * before its ports, and the results grouped by address. */
static void
test_all_addresses (Fixture       *f,
                    gconstpointer  data)
{
  Servers *s = &f->servers;
  g_autoptr(GArray) ports = port_list (s->open_port, 0);
  PqReport *report;
  GListModel *list;

  f->query = new_query ("two.test", PQ_ADDRESS_ALL);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_TCP);
  run_query (f, NULL);

  g_assert_no_error (f->error);
  report = pq_query_get_report (f->query);
  g_assert_cmpuint (pq_query_get_n_addresses (f->query), ==, 2);
  g_assert_cmpuint (f->addresses->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->addresses, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->addresses, guint, 1), ==, 1);
  g_assert_cmpuint (pq_report_get_queried (report)->len, ==, 2);
  list = pq_query_get_results (f->query);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  /* Only 127.0.0.1 has the listener. */
  assert_result (list_item (list, 0), "127.0.0.1", s->open_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_LISTENING);
  assert_result (list_item (list, 1), "127.0.0.2", s->open_port, PQ_PROTOCOL_TCP, PQ_PORT_STATE_NOT_LISTENING);
  /* A name is not looked up backwards. */
  g_assert_cmpuint (test_resolver_get_reverse_lookups (resolver), ==, 0);
}

/* An address is looked up backwards unless told not to (-nr). */
static void
test_reverse_lookup (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GArray) ports = port_list (f->servers.open_port, 0);
  gboolean on = GPOINTER_TO_INT (data);
  PqReport *report;

  f->query = new_query ("127.0.0.1", PQ_ADDRESS_FIRST);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_TCP);
  pq_query_set_reverse_lookup (f->query, on);
  run_query (f, NULL);

  g_assert_no_error (f->error);
  report = pq_query_get_report (f->query);
  g_assert_cmpstr (pq_report_get_reverse_name (report, 0), ==, on ? "loopback.test" : NULL);
  g_assert_cmpuint (test_resolver_get_reverse_lookups (resolver), ==, on ? 1 : 0);
  g_assert_true (pq_report_get_no_reverse (report) == !on);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) ports = port_list (f->servers.open_port, 0);

  f->query = new_query ("missing.test", PQ_ADDRESS_FIRST);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_TCP);
  run_query (f, NULL);

  g_assert_error (f->error, PQ_ERROR, PQ_ERROR_NOT_FOUND);
  g_assert_null (pq_query_get_report (f->query));
  g_assert_cmpuint (f->in_order->len, ==, 0);
  g_assert_cmpuint (f->addresses->len, ==, 0);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Stop while the name is being looked up from a DNS server that never
 * answers: the query ends at once, not when the resolver gives up. */
static void
test_cancel_resolving (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GArray) ports = port_list (f->servers.open_port, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timer = g_timeout_source_new (50);
  gint64 start, elapsed_ms;

  f->query = new_query ("silent-dns.test", PQ_ADDRESS_FIRST);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_TCP);
  g_source_set_callback (timer, cancel_cb, cancellable, NULL);
  g_source_attach (timer, f->servers.context);
  start = g_get_monotonic_time ();
  run_query (f, cancellable);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed_ms, <, 50 + 200);
  g_assert_null (pq_query_get_report (f->query));
}

/* Stop while a silent UDP port waits: what was decided stays, in order,
 * and the report says it was stopped (portqry's exit code 4). */
static void
test_cancel_scanning (Fixture       *f,
                      gconstpointer  data)
{
  Servers *s = &f->servers;
  g_autoptr(GArray) ports = port_list (s->open_port, s->silent_port, s->closed_port, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timer = g_timeout_source_new (150);
  PqReport *report;
  GListModel *list;

  f->query = new_query ("127.0.0.1", PQ_ADDRESS_FIRST);
  pq_query_set_reverse_lookup (f->query, FALSE);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_UDP);
  g_source_set_callback (timer, cancel_cb, cancellable, NULL);
  g_source_attach (timer, f->servers.context);
  run_query (f, cancellable);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  report = pq_query_get_report (f->query);
  g_assert_nonnull (report);
  g_assert_true (pq_report_get_cancelled (report));
  g_assert_cmpint (pq_report_get_exit_code (report), ==, PQ_EXIT_ERROR);
  list = pq_query_get_results (f->query);
  /* The echo and the closed port were decided; the silent one was not. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  assert_result (list_item (list, 0), "127.0.0.1", s->open_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_LISTENING);
  assert_result (list_item (list, 1), "127.0.0.1", s->closed_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_NOT_LISTENING);
  /* ::result, PortQry's printed list, stops at the gap. */
  g_assert_cmpuint (f->in_order->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->in_order, 0) == list_item (list, 0));
}

/* A datagram too big to send (a 70,000-byte SNMP community, over the
 * 65,507 bytes UDP carries) is an error of that port, not a state: ERROR
 * with the reason, exit code 4; the other ports keep their states. */
static void
test_local_error (Fixture       *f,
                  gconstpointer  data)
{
  Servers *s = &f->servers;
  g_autoptr(GArray) ports = port_list (s->closed_port, s->silent_port, 0);
  g_autofree char *services_text = g_strdup_printf ("snmp %u/udp\n", s->silent_port);
  g_autoptr(PqServices) services = pq_services_new_from_data (services_text, strlen (services_text));
  g_autofree char *community = g_strnfill (70000, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("127.0.0.1", &error);
  PqScanOptions options;
  GListModel *list;
  PqResult *big;

  g_assert_no_error (error);
  pq_scan_options_init (&options);
  options.udp_wait_ms = 300;
  f->query = pq_query_new (target, &options, PQ_ADDRESS_FIRST);
  pq_query_set_reverse_lookup (f->query, FALSE);
  pq_query_set_services (f->query, services);
  pq_query_set_community (f->query, community);
  pq_query_add_ports (f->query, ports, PQ_PROTOCOLS_UDP);
  run_query (f, NULL);

  g_assert_no_error (f->error);
  list = pq_query_get_results (f->query);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  assert_result (list_item (list, 0), "127.0.0.1", s->closed_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_NOT_LISTENING);
  big = list_item (list, 1);
  assert_result (big, "127.0.0.1", s->silent_port, PQ_PROTOCOL_UDP, PQ_PORT_STATE_ERROR);
  g_assert_cmpint (pq_result_get_reason (big), ==, PQ_REASON_LOCAL_ERROR);
  g_assert_nonnull (strstr (pq_result_get_evidence (big), "Message too long"));
  g_assert_cmpint (pq_report_get_exit_code (pq_query_get_report (f->query)), ==, PQ_EXIT_ERROR);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/query/order-asked", Fixture, NULL, fixture_setup, test_order_asked, fixture_teardown);
  g_test_add ("/query/groups", Fixture, NULL, fixture_setup, test_groups, fixture_teardown);
  g_test_add ("/query/all-addresses", Fixture, NULL, fixture_setup, test_all_addresses, fixture_teardown);
  g_test_add ("/query/reverse-lookup/on", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_reverse_lookup, fixture_teardown);
  g_test_add ("/query/reverse-lookup/off", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_reverse_lookup, fixture_teardown);
  g_test_add ("/query/not-found", Fixture, NULL, fixture_setup, test_not_found, fixture_teardown);
  g_test_add ("/query/cancel/resolving", Fixture, NULL, fixture_setup, test_cancel_resolving, fixture_teardown);
  g_test_add ("/query/cancel/scanning", Fixture, NULL, fixture_setup, test_cancel_scanning, fixture_teardown);
  g_test_add ("/query/local-error", Fixture, NULL, fixture_setup, test_local_error, fixture_teardown);
  return g_test_run ();
}
