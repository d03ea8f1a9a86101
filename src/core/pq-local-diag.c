/* pq-local-diag.c: every TCP and UDP socket of this network namespace,
 * IPv4 and IPv6, from the kernel's sock_diag netlink interface
 * (INET_DIAG, as ss reads it; no ss or netstat underneath)
 *
 * The dump lists every socket whoever owns it: an ordinary user sees all
 * endpoints, only not which process holds another user's (pq-local-proc.c).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-local"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pq-error.h"
#include "pq-local-private.h"

static PqLocalEndpoint *
endpoint_from_msg (const struct inet_diag_msg *m,
                   PqProtocol                  protocol)
{
  char local[INET6_ADDRSTRLEN] = "", remote[INET6_ADDRSTRLEN] = "";

  inet_ntop (m->idiag_family, m->id.idiag_src, local, sizeof local);
  inet_ntop (m->idiag_family, m->id.idiag_dst, remote, sizeof remote);
  return pq_local_endpoint_new (protocol, local, g_ntohs (m->id.idiag_sport),
                                remote, g_ntohs (m->id.idiag_dport),
                                (PqTcpState) m->idiag_state, m->idiag_uid, m->idiag_inode);
}

static gboolean
send_request (int         fd,
              int         family,
              int         protocol)
{
  struct sockaddr_nl to = { .nl_family = AF_NETLINK };
  struct
  {
    struct nlmsghdr         nlh;
    struct inet_diag_req_v2 req;
  } msg = {
    .nlh = { .nlmsg_len = sizeof msg, .nlmsg_type = SOCK_DIAG_BY_FAMILY,
             .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
    .req = { .sdiag_family = family, .sdiag_protocol = protocol, .idiag_states = ~0u },
  };

  return sendto (fd, &msg, sizeof msg, 0, (struct sockaddr *) &to, sizeof to) == sizeof msg;
}

/* Returns: 1 at the end of the dump, 0 for more, -1 on an error (errno) */
static int
read_batch (int         fd,
            PqProtocol  protocol,
            GPtrArray  *endpoints)
{
  guint32 buf[8192];   /* 32 KiB, aligned for the headers */
  int n = (int) recv (fd, buf, sizeof buf, 0);

  if (n < 0)
    return -1;
  for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK (h, n); h = NLMSG_NEXT (h, n))
    {
      if (h->nlmsg_type == NLMSG_DONE)
        return 1;
      if (h->nlmsg_type == NLMSG_ERROR)
        {
          const struct nlmsgerr *e = NLMSG_DATA (h);

          errno = h->nlmsg_len >= NLMSG_LENGTH (sizeof *e) ? -e->error : EPROTO;
          return -1;
        }
      if (h->nlmsg_len >= NLMSG_LENGTH (sizeof (struct inet_diag_msg)))
        g_ptr_array_add (endpoints, endpoint_from_msg (NLMSG_DATA (h), protocol));
    }
  return 0;
}

static gboolean
dump_one (int         family,
          PqProtocol  protocol,
          GPtrArray  *endpoints,
          GError    **error)
{
  int fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  int done = 0;

  if (fd < 0 || !send_request (fd, family, protocol == PQ_PROTOCOL_TCP ? IPPROTO_TCP : IPPROTO_UDP))
    {
      int err = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, PQ_ERROR, PQ_ERROR_REPORT,
                   _("The kernel's socket table could not be read: %s"), g_strerror (err));
      return FALSE;
    }
  while (done == 0)
    done = read_batch (fd, protocol, endpoints);
  close (fd);
  /* A kernel without IPv6 has no table to list: nothing there. */
  if (done < 0 && !(family == AF_INET6 && (errno == ENOENT || errno == EAFNOSUPPORT)))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_REPORT,
                   _("The kernel's socket table could not be read: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * pq_local_diag_dump:
 * @endpoints: (element-type PqLocalEndpoint): where to add them
 *
 * TCP before UDP, IPv4 before IPv6, each in the kernel's order.
 */
gboolean
pq_local_diag_dump (GPtrArray  *endpoints,
                    GError    **error)
{
  return dump_one (AF_INET, PQ_PROTOCOL_TCP, endpoints, error) &&
         dump_one (AF_INET6, PQ_PROTOCOL_TCP, endpoints, error) &&
         dump_one (AF_INET, PQ_PROTOCOL_UDP, endpoints, error) &&
         dump_one (AF_INET6, PQ_PROTOCOL_UDP, endpoints, error);
}
