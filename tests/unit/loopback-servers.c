/* loopback-servers.c: the loopback ports the tests open, and nothing else
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "loopback-servers.h"

static GSocket *
bind_socket (GInetAddress    *address,
             GSocketType      type,
             guint16          port,
             GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (address, port);

  socket = g_socket_new (g_inet_address_get_family (address), type,
                         type == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP,
                         error);
  if (socket == NULL || !g_socket_bind (socket, sa, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint16
local_port (GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) sa = g_socket_get_local_address (socket, &error);

  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sa));
}

/* Binds a TCP and a UDP socket to the same free port of @address. */
static gboolean
bind_pair (GInetAddress  *address,
           GSocket      **tcp,
           GSocket      **udp,
           GError       **error)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSocket) t = bind_socket (address, G_SOCKET_TYPE_STREAM, 0, error);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GSocket) u = NULL;

      if (t == NULL)
        return FALSE;
      u = bind_socket (address, G_SOCKET_TYPE_DATAGRAM, local_port (t), &local_error);
      if (u != NULL)
        {
          *tcp = g_steal_pointer (&t);
          *udp = g_steal_pointer (&u);
          return TRUE;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "no port free for both TCP and UDP");
  return FALSE;
}

static gboolean
listener_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  Servers *s = data;
  g_autoptr(GSocket) connection = g_socket_accept (socket, NULL, NULL);

  /* The scanner resets the connection at once; an accept that fails
   * because of that still shows the handshake reached this listener. */
  s->accepted++;
  if (connection != NULL)
    g_socket_close (connection, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
echo_cb (GSocket      *socket,
         GIOCondition  condition,
         gpointer      data)
{
  Servers *s = data;
  char buffer[512];
  char reply[sizeof buffer + 5];
  g_autoptr(GSocketAddress) from = NULL;
  gssize n;

  n = g_socket_receive_from (socket, &from, buffer, sizeof buffer, NULL, NULL);
  if (n < 0)
    return G_SOURCE_CONTINUE;

  /* "echo:" and what came: a reply even to PortQry's empty datagram. */
  memcpy (reply, "echo:", 5);
  memcpy (reply + 5, buffer, (gsize) n);
  g_socket_send_to (socket, from, reply, (gsize) n + 5, NULL, NULL);
  s->echoed++;
  return G_SOURCE_CONTINUE;
}

/* Returns: FALSE (and skips the test) when @family has no loopback here. */
gboolean
servers_start (Servers       *s,
               GSocketFamily  family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) closed_tcp = NULL;
  g_autoptr(GSocket) closed_udp = NULL;

  memset (s, 0, sizeof *s);
  s->family = family;
  s->loopback = g_inet_address_new_loopback (family);
  s->context = g_main_context_ref_thread_default ();

  if (!bind_pair (s->loopback, &s->listener, &s->echo, &error))
    {
      if (family == G_SOCKET_FAMILY_IPV6)
        {
          g_test_skip_printf ("cannot bind to ::1: %s", error->message);
          g_clear_object (&s->loopback);
          g_clear_pointer (&s->context, g_main_context_unref);
          return FALSE;
        }
      g_error ("cannot bind to 127.0.0.1: %s", error->message);
    }
  s->open_port = local_port (s->listener);
  g_socket_listen (s->listener, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (s->listener, FALSE);
  g_socket_set_blocking (s->echo, FALSE);

  s->listener_source = g_socket_create_source (s->listener, G_IO_IN, NULL);
  g_source_set_callback (s->listener_source, G_SOURCE_FUNC (listener_cb), s, NULL);
  g_source_attach (s->listener_source, s->context);
  s->echo_source = g_socket_create_source (s->echo, G_IO_IN, NULL);
  g_source_set_callback (s->echo_source, G_SOURCE_FUNC (echo_cb), s, NULL);
  g_source_attach (s->echo_source, s->context);

  s->silent = bind_socket (s->loopback, G_SOCKET_TYPE_DATAGRAM, 0, &error);
  g_assert_no_error (error);
  s->silent_port = local_port (s->silent);

  /* Closed: bound, so the number was free, then closed just before the scan. */
  bind_pair (s->loopback, &closed_tcp, &closed_udp, &error);
  g_assert_no_error (error);
  s->closed_port = local_port (closed_tcp);
  g_socket_close (closed_tcp, NULL);
  g_socket_close (closed_udp, NULL);

  g_assert_cmpuint (s->open_port, !=, s->closed_port);
  g_assert_cmpuint (s->silent_port, !=, s->closed_port);
  g_test_message ("open %u, silent %u, closed %u", s->open_port, s->silent_port, s->closed_port);
  return TRUE;
}

void
servers_stop (Servers *s)
{
  if (s->listener_source != NULL)
    g_source_destroy (s->listener_source);
  if (s->echo_source != NULL)
    g_source_destroy (s->echo_source);
  g_clear_pointer (&s->listener_source, g_source_unref);
  g_clear_pointer (&s->echo_source, g_source_unref);
  g_clear_object (&s->listener);
  g_clear_object (&s->echo);
  g_clear_object (&s->silent);
  g_clear_object (&s->loopback);
  g_clear_pointer (&s->context, g_main_context_unref);
}

char *
servers_loopback_string (Servers *s)
{
  return g_inet_address_to_string (s->loopback);
}
