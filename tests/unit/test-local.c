/* test-local.c: this computer's endpoints (pq-local.c) as PortQry's
 * -local lists them: sockets this test opens on loopback are found with
 * their state, addresses, PID and process name; the systemd unit is read
 * from cgroup paths as systemd writes them.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-local-text.h"

static guint16
bound_port (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &ss, &len));
  return g_ntohs (((struct sockaddr_in *) &ss)->sin_port);
}

static int
open_socket (int         family,
             int         type,
             const char *address)
{
  int fd = socket (family, type, 0);
  struct sockaddr_storage ss = { 0 };
  socklen_t len;

  g_assert_cmpint (fd, >=, 0);
  if (family == AF_INET)
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &ss;

      in->sin_family = AF_INET;
      inet_pton (AF_INET, address, &in->sin_addr);
      len = sizeof *in;
    }
  else
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;

      in6->sin6_family = AF_INET6;
      inet_pton (AF_INET6, address, &in6->sin6_addr);
      len = sizeof *in6;
    }
  g_assert_no_errno (bind (fd, (struct sockaddr *) &ss, len));
  return fd;
}

static PqLocalEndpoint *
find (GListModel *endpoints,
      PqProtocol  protocol,
      guint16     port,
      PqTcpState  state)
{
  for (guint i = 0; i < g_list_model_get_n_items (endpoints); i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (endpoints, i);

      if (pq_local_endpoint_get_protocol (e) == protocol &&
          pq_local_endpoint_get_local_port (e) == port && pq_local_endpoint_get_state (e) == state)
        return e;
    }
  return NULL;
}

static void
test_local_own_sockets (void)
{
  int listener = open_socket (AF_INET, SOCK_STREAM, "127.0.0.1");
  int udp = open_socket (AF_INET6, SOCK_DGRAM, "::1");
  guint16 tcp_port = bound_port (listener), udp_port = bound_port (udp);
  g_autoptr(PqLocalTable) table = pq_local_table_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *comm = NULL;
  g_autofree char *text = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GListModel) mine = NULL;
  PqLocalEndpoint *e;

  g_assert_no_errno (listen (listener, 1));
  g_assert_true (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
  g_strchomp (comm);
  g_assert_true (pq_local_table_refresh (table, &error));
  g_assert_no_error (error);

  e = find (pq_local_table_get_endpoints (table), PQ_PROTOCOL_TCP, tcp_port, PQ_TCP_LISTEN);
  g_assert_nonnull (e);
  g_assert_cmpstr (pq_local_endpoint_get_local_address (e), ==, "127.0.0.1");
  g_assert_cmpint (pq_local_endpoint_get_pid (e), ==, getpid ());
  g_assert_cmpstr (pq_local_endpoint_get_process (e), ==, comm);
  g_assert_cmpstr (pq_local_endpoint_get_state_text (e), ==, "LISTENING");
  e = find (pq_local_table_get_endpoints (table), PQ_PROTOCOL_UDP, udp_port, PQ_TCP_CLOSE);
  g_assert_nonnull (e);
  g_assert_cmpstr (pq_local_endpoint_get_local_address (e), ==, "::1");
  g_assert_cmpstr (pq_local_endpoint_get_state_text (e), ==, "");

  /* The listing: the row under usage, and again under the process. */
  text = pq_local_table_to_text (table, TRUE);
  row = g_strdup_printf ("TCP %-7u 127.0.0.1", tcp_port);
  g_assert_nonnull (strstr (text, "TCP/UDP Port Usage\n\n"));
  g_assert_nonnull (strstr (text, row));
  g_free (row);
  row = g_strdup_printf ("%d:%s", getpid (), comm);
  g_assert_nonnull (strstr (text, row));
  g_free (row);
  row = g_strdup_printf ("Process ID: %d (%s)", getpid (), comm);
  g_assert_nonnull (strstr (text, row));
  g_assert_nonnull (strstr (text, "TCP ports in a LISTENING state: "));

  /* -wport's and -wpid's filters */
  mine = pq_local_table_filter (table, udp_port, 0);
  g_assert_cmpuint (g_list_model_get_n_items (mine), ==, 1);
  g_clear_object (&mine);
  mine = pq_local_table_filter (table, 0, getpid ());
  g_assert_cmpuint (g_list_model_get_n_items (mine), >=, 2);

  close (listener);
  close (udp);
}

static void
test_local_units (void)
{
  static const struct { const char *cgroup; const char *unit; } cases[] = {
    { "0::/system.slice/ssh.service\n", "ssh.service" },
    { "0::/system.slice/docker-1a2b.scope\n", NULL },
    { "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-foo.scope\n", NULL },
    { "0::/user.slice/user-1000.slice/user@1000.service/session.slice/pipewire.service\n", "pipewire.service" },
    { "12:pids:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n", "cron.service" },
    { "0::/\n", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *unit = pq_local_unit_from_cgroup (cases[i].cgroup);

      g_assert_cmpstr (unit, ==, cases[i].unit);
    }
}

static void
test_local_state_words (void)
{
  g_assert_cmpstr (pq_tcp_state_to_string (PQ_TCP_LISTEN), ==, "LISTENING");
  g_assert_cmpstr (pq_tcp_state_to_string (PQ_TCP_TIME_WAIT), ==, "TIME WAIT");
  g_assert_cmpstr (pq_tcp_state_to_string (PQ_TCP_CLOSE_WAIT), ==, "CLOSE WAIT");
  g_assert_cmpstr (pq_tcp_state_to_string (0), ==, "UNKNOWN");
  g_assert_cmpstr (pq_tcp_state_to_string (99), ==, "UNKNOWN");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local/own-sockets", test_local_own_sockets);
  g_test_add_func ("/local/units", test_local_units);
  g_test_add_func ("/local/state-words", test_local_state_words);
  return g_test_run ();
}
