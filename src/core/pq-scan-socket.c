/* pq-scan-socket.c: the scan engine's socket and ICMP helpers
 *
 * Plain descriptors rather than GSockets: GIO turns errno into a GError
 * and cannot read IP_RECVERR messages, and both are the evidence. Here are
 * the sockaddr conversions, the ICMP error queue, the socket options
 * every probe's socket gets (RECVERR, a fixed source port), the reuse of
 * a refused socket, and the ICMP echo that gives the round trip.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-scanner"

#include "config.h"

#include <errno.h>
#include <time.h>  /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <linux/icmp.h>   /* ICMP_FILTER */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-scanner-private.h"
#include "pq-target.h"

void
pq_scan_set_port (struct sockaddr_storage *ss,
                  guint16                  port)
{
  if (ss->ss_family == AF_INET6)
    ((struct sockaddr_in6 *) ss)->sin6_port = g_htons (port);
  else
    ((struct sockaddr_in *) ss)->sin_port = g_htons (port);
}

char *
pq_scan_sockaddr_to_string (const struct sockaddr *sa,
                            gboolean               with_port)
{
  g_autoptr(GSocketAddress) address = NULL;
  GInetSocketAddress *inet;
  gsize len = sa->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);

  address = g_socket_address_new_from_native ((gpointer) sa, len);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (address);
  if (with_port)
    return pq_socket_address_to_string (g_inet_socket_address_get_address (inet),
                                        sa->sa_family == AF_INET6 ? g_inet_socket_address_get_scope_id (inet) : 0,
                                        g_inet_socket_address_get_port (inet));
  return pq_address_to_string (g_inet_socket_address_get_address (inet), 0);
}

gboolean
pq_scan_same_host (const struct sockaddr         *a,
                   const struct sockaddr_storage *b)
{
  /* Copied out: the error queue's sockaddr is not aligned for the casts. */
  struct sockaddr_storage sa;

  memcpy (&sa, a, a->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in));
  if (sa.ss_family != b->ss_family)
    return FALSE;
  if (sa.ss_family == AF_INET)
    return ((const struct sockaddr_in *) &sa)->sin_addr.s_addr ==
           ((const struct sockaddr_in *) b)->sin_addr.s_addr;
  return memcmp (&((const struct sockaddr_in6 *) &sa)->sin6_addr,
                 &((const struct sockaddr_in6 *) b)->sin6_addr, sizeof (struct in6_addr)) == 0;
}

/* Reads the ICMP message behind a socket error from the error queue. */
void
pq_scan_read_error_queue (int                            fd,
                          const struct sockaddr_storage *target,
                          Observation                   *obs)
{
  for (guint n = 0; n < 8; n++)
    {
      union { char buf[CMSG_SPACE (sizeof (struct sock_extended_err) + sizeof (struct sockaddr_in6))]; struct cmsghdr align; } control;
      char data[64];
      struct sockaddr_storage name;
      struct iovec iov = { data, sizeof data };
      struct msghdr msg = {
        .msg_name = &name, .msg_namelen = sizeof name,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof control.buf,
      };

      if (recvmsg (fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        return;

      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        {
          struct sock_extended_err *ee;

          if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
            continue;
          ee = (struct sock_extended_err *) (void *) CMSG_DATA (c);
          if (obs->outcome.have_icmp ||
              (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6))
            continue;

          obs->outcome.have_icmp = TRUE;
          obs->outcome.icmp6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;
          obs->outcome.icmp_type = ee->ee_type;
          obs->outcome.icmp_code = ee->ee_code;
          obs->outcome.error_number = (int) ee->ee_errno;
          obs->outcome.icmp_from_target = pq_scan_same_host (SO_EE_OFFENDER (ee), target);
          obs->icmp_from = pq_scan_sockaddr_to_string (SO_EE_OFFENDER (ee), FALSE);
        }
    }
}

void
pq_scan_enable_recverr (int           fd,
                        GSocketFamily family)
{
  int one = 1;

  /* Without it an unconnected socket never learns of ICMP errors, and no
   * socket learns their type, code and sender. */
  if (family == G_SOCKET_FAMILY_IPV6)
    setsockopt (fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  else
    setsockopt (fd, SOL_IP, IP_RECVERR, &one, sizeof one);
}

int
pq_scan_bind_source_port (int           fd,
                          GSocketFamily family,
                          guint16       port)
{
  struct sockaddr_storage ss = { 0 };
  int one = 1;

  /* Every probe binds the same port; only the destination port differs,
   * so the connections stay distinct. */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ss.ss_family = family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
  pq_scan_set_port (&ss, port);
  if (bind (fd, (struct sockaddr *) &ss,
            ss.ss_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in)) != 0)
    return errno;
  return 0;
}

/* Returns: "address:port" of the socket's own end, or NULL. Every port
 * of a scan has one, so IPv4's is written here at once rather than
 * through a GSocketAddress; IPv6's (brackets, scope) as everywhere else. */
char *
pq_scan_local_address (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char text[INET_ADDRSTRLEN];

  if (fd < 0 || getsockname (fd, (struct sockaddr *) &ss, &len) != 0)
    return NULL;
  if (ss.ss_family != AF_INET)
    return pq_scan_sockaddr_to_string ((struct sockaddr *) &ss, TRUE);
  if (inet_ntop (AF_INET, &((struct sockaddr_in *) &ss)->sin_addr, text, sizeof text) == NULL)
    return NULL;
  return g_strdup_printf ("%s:%u", text, g_ntohs (((struct sockaddr_in *) &ss)->sin_port));
}

/* Dissolves a TCP socket whose connection was refused (connect(2): a
 * connect to an AF_UNSPEC address), so that it can connect again: one
 * system call instead of close, socket, IP_RECVERR and the epoll
 * registration, which were a third of a full range scan's time.
 * Returns: TRUE if the socket can be connected again */
gboolean
pq_scan_dissolve (int fd)
{
  struct sockaddr unspec = { .sa_family = AF_UNSPEC };

  return fd >= 0 && connect (fd, &unspec, sizeof unspec) == 0;
}

/* ------------------------------------------------------------------ */
/* The round trip from one ICMP echo                                  */

#define ECHO_PAYLOAD "portquery"

static guint16
icmp_checksum (const guint8 *data,
               gsize         len)
{
  guint32 sum = 0;

  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32) (data[i] << 8 | data[i + 1]);
  if (len % 2 == 1)
    sum += (guint32) data[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return g_htons ((guint16) ~sum);
}

/* A ping socket (no privilege, where net.ipv4.ping_group_range allows;
 * the kernel keeps other processes' replies away), else a raw one (root)
 * that lets only echo replies through. */
static int
echo_socket (int       family,
             gboolean *raw)
{
  int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  int fd = socket (family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

  *raw = fd < 0;
  if (fd >= 0)
    return fd;
  fd = socket (family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd >= 0 && family == AF_INET6)
    {
      struct icmp6_filter filter;

      ICMP6_FILTER_SETBLOCKALL (&filter);
      ICMP6_FILTER_SETPASS (ICMP6_ECHO_REPLY, &filter);
      setsockopt (fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    }
  else if (fd >= 0)
    {
      struct icmp_filter filter = { ~(1u << ICMP_ECHOREPLY) };

      setsockopt (fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter);
    }
  return fd;
}

/* Sends one ICMP echo request to @target, as ping does: it touches no
 * port, so the round trip is known before any port asked has answered
 * (and on a host that drops every one of them) without a connection to a
 * port nobody asked for.
 * Returns: the socket to wait on for the reply, or -1 */
int
pq_scan_echo_send (const struct sockaddr_storage *target,
                   socklen_t                      target_len,
                   guint16                        ident,
                   gboolean                      *raw)
{
  guint8 packet[8 + sizeof ECHO_PAYLOAD - 1] = { 0 };
  gboolean v6 = target->ss_family == AF_INET6;
  struct sockaddr_storage to = *target;
  int fd = echo_socket (target->ss_family, raw);
  guint16 sum;

  if (fd < 0)
    return -1;
  packet[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
  packet[4] = ident >> 8;
  packet[5] = ident & 0xff;
  packet[7] = 1;   /* sequence */
  memcpy (packet + 8, ECHO_PAYLOAD, sizeof ECHO_PAYLOAD - 1);
  /* The kernel sums ICMPv6 itself, and a ping socket's ICMP too. */
  sum = icmp_checksum (packet, sizeof packet);
  if (!v6)
    memcpy (packet + 2, &sum, sizeof sum);
  pq_scan_set_port (&to, 0);
  if (sendto (fd, packet, sizeof packet, 0, (struct sockaddr *) &to, target_len) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Reads what waits on the echo socket.
 * Returns: TRUE if the target's echo reply was among it */
gboolean
pq_scan_echo_reply (int                            fd,
                    const struct sockaddr_storage *target,
                    guint16                        ident,
                    gboolean                       raw)
{
  guint8 buf[512];
  struct sockaddr_storage from;

  for (;;)
    {
      socklen_t from_len = sizeof from;
      gssize n = recvfrom (fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *) &from, &from_len);
      gsize at = 0;

      if (n < 0)
        return FALSE;
      /* A raw IPv4 socket gives the IP header too. */
      if (raw && target->ss_family == AF_INET && n > 0)
        at = (gsize) (buf[0] & 0x0f) * 4;
      if ((gsize) n < at + 8 || !pq_scan_same_host ((struct sockaddr *) &from, target))
        continue;
      if (buf[at] != (target->ss_family == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY))
        continue;
      /* A ping socket's identifier is the kernel's choice, and its
       * replies are its own. */
      if (!raw || (buf[at + 4] == (ident >> 8) && buf[at + 5] == (ident & 0xff)))
        return TRUE;
    }
}
