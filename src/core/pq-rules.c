/* pq-rules.c: the state rules of peers.md §1.2 and §1.3
 *
 * TCP: handshake → LISTENING; reset → NOT LISTENING; silence after every try
 * → FILTERED; ICMP unreachable → FILTERED, except port unreachable from the
 * target itself. UDP: any reply → LISTENING; port unreachable from the
 * target → NOT LISTENING; from another host, or any other ICMP → FILTERED;
 * silence → LISTENING or FILTERED. A probe that could not leave this
 * computer (no route, too big, no buffer space) is an ERROR, not a state.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "pq-rules.h"

static PqReason
classify_icmp (const PqOutcome *o)
{
  if (!o->icmp6)
    {
      if (o->icmp_type == 11)
        return PQ_REASON_TIME_EXCEEDED;
      if (o->icmp_type != 3)
        return PQ_REASON_ICMP_OTHER;
      switch (o->icmp_code)
        {
        case 3:
          return o->icmp_from_target ? PQ_REASON_PORT_UNREACH : PQ_REASON_PORT_UNREACH_OTHER;
        case 0: case 6: case 11:
          return PQ_REASON_NET_UNREACH;
        case 1: case 5: case 7: case 8: case 12:
          return PQ_REASON_HOST_UNREACH;
        case 2:
          return PQ_REASON_PROTO_UNREACH;
        case 9: case 10: case 13: case 14: case 15:
          return PQ_REASON_ADMIN_PROHIBITED;
        default:
          return PQ_REASON_ICMP_OTHER;
        }
    }

  if (o->icmp_type == 3)
    return PQ_REASON_TIME_EXCEEDED;
  if (o->icmp_type != 1)
    return PQ_REASON_ICMP_OTHER;
  switch (o->icmp_code)
    {
    case 4:
      return o->icmp_from_target ? PQ_REASON_PORT_UNREACH : PQ_REASON_PORT_UNREACH_OTHER;
    case 0: case 2:
      return PQ_REASON_NET_UNREACH;
    case 3:
      return PQ_REASON_HOST_UNREACH;
    case 1: case 5: case 6:
      return PQ_REASON_ADMIN_PROHIBITED;
    default:
      return PQ_REASON_ICMP_OTHER;
    }
}

static PqReason
classify_errno (PqProtocol       protocol,
                const PqOutcome *o)
{
  /* No route from here is this computer's state, not the port's: the
   * probe never left. Said by a router (ICMP), it is the path's. */
  if (o->immediate && o->error_number == ENETUNREACH)
    return PQ_REASON_LOCAL_ERROR;
  switch (o->error_number)
    {
    case ECONNREFUSED:
      /* Without the ICMP message we cannot tell who refused; the kernel
       * reports a reset (TCP) or a port unreachable (UDP) this way. */
      return protocol == PQ_PROTOCOL_TCP ? PQ_REASON_RESET : PQ_REASON_PORT_UNREACH;
    case ETIMEDOUT:
      return PQ_REASON_NO_RESPONSE;
    case EHOSTUNREACH: case EHOSTDOWN: case ENONET:
      return PQ_REASON_HOST_UNREACH;
    case ENETUNREACH:
      return PQ_REASON_NET_UNREACH;
    case ENOPROTOOPT:
      return PQ_REASON_PROTO_UNREACH;
    case EACCES:
      return PQ_REASON_ADMIN_PROHIBITED;
    case EPERM:
      return PQ_REASON_LOCAL_FIREWALL;
    default:
      return PQ_REASON_LOCAL_ERROR;
    }
}

/**
 * pq_rules_decide:
 * @reason: (out): the observation the state rests on
 *
 * Returns: the port state the outcome means
 */
PqPortState
pq_rules_decide (PqProtocol       protocol,
                 const PqOutcome *o,
                 PqReason        *reason)
{
  PqReason r;

  switch (o->kind)
    {
    case PQ_OUTCOME_CONNECTED:
      r = o->self_connect ? PQ_REASON_SELF_CONNECT : PQ_REASON_SYN_ACK;
      break;
    case PQ_OUTCOME_REPLY:
      r = PQ_REASON_UDP_RESPONSE;
      break;
    case PQ_OUTCOME_TIMEOUT:
      r = PQ_REASON_NO_RESPONSE;
      break;
    case PQ_OUTCOME_ERROR:
    default:
      r = o->have_icmp ? classify_icmp (o) : classify_errno (protocol, o);
      break;
    }

  *reason = r;
  switch (r)
    {
    case PQ_REASON_SYN_ACK:
    case PQ_REASON_UDP_RESPONSE:
      return PQ_PORT_STATE_LISTENING;
    case PQ_REASON_RESET:
    case PQ_REASON_PORT_UNREACH:
    case PQ_REASON_SELF_CONNECT:
      return PQ_PORT_STATE_NOT_LISTENING;
    case PQ_REASON_NO_RESPONSE:
      /* PortQry: silence to the empty datagram is ambiguous; silence to the
       * service's own query as well means nothing is answering. */
      return protocol == PQ_PROTOCOL_UDP && o->query == NULL ? PQ_PORT_STATE_LISTENING_OR_FILTERED
                                                             : PQ_PORT_STATE_FILTERED;
    case PQ_REASON_NONE:
    case PQ_REASON_PORT_UNREACH_OTHER:
    case PQ_REASON_HOST_UNREACH:
    case PQ_REASON_NET_UNREACH:
    case PQ_REASON_PROTO_UNREACH:
    case PQ_REASON_ADMIN_PROHIBITED:
    case PQ_REASON_TIME_EXCEEDED:
    case PQ_REASON_ICMP_OTHER:
    case PQ_REASON_LOCAL_FIREWALL:
    default:
      return PQ_PORT_STATE_FILTERED;
    case PQ_REASON_LOCAL_ERROR:
      /* Message too long, no buffer space, no route: the port was never
       * asked, so it has no state; this computer's own firewall (EPERM,
       * EACCES) is a filter and stays FILTERED above. */
      return PQ_PORT_STATE_ERROR;
    }
}

const char *
pq_icmp_describe (gboolean icmp6,
                  guint8   type,
                  guint8   code)
{
  if (!icmp6 && type == 3)
    switch (code)
      {
      /* Translators: what an ICMP error says, put into the evidence
         “%s %s (type %u code %u) from the target %s …” after “ICMP”. */
      case 0: return _("network unreachable");
      case 1: return _("host unreachable");
      case 2: return _("protocol unreachable");
      case 3: return _("port unreachable");
      case 4: return _("fragmentation needed");
      case 6: return _("destination network unknown");
      case 7: return _("destination host unknown");
      case 9: return _("network administratively prohibited");
      case 10: return _("host administratively prohibited");
      case 13: return _("communication administratively prohibited");
      default: return _("destination unreachable");
      }
  if (!icmp6 && type == 11)
    return _("time to live exceeded in transit");
  if (icmp6 && type == 1)
    switch (code)
      {
      case 0: return _("no route to destination");
      case 1: return _("communication administratively prohibited");
      case 2: return _("beyond scope of source address");
      case 3: return _("address unreachable");
      case 4: return _("port unreachable");
      case 5: return _("source address failed ingress/egress policy");
      case 6: return _("reject route to destination");
      default: return _("destination unreachable");
      }
  if (icmp6 && type == 3)
    return _("hop limit exceeded in transit");
  return _("ICMP error");
}

static char *
describe_icmp (const PqOutcome *o,
               const char      *icmp_from,
               const char      *target,
               double           elapsed_ms)
{
  const char *what = pq_icmp_describe (o->icmp6, o->icmp_type, o->icmp_code);
  const char *proto = o->icmp6 ? "ICMPv6" : "ICMP";

  if (o->icmp_from_target)
    /* Translators: “ICMP” or “ICMPv6”, what the ICMP error says (“port
       unreachable”), its type and code, the target's address, milliseconds. */
    return g_strdup_printf (_("%s %s (type %u code %u) from the target %s after %.1f ms."),
                            proto, what, o->icmp_type, o->icmp_code, target, elapsed_ms);
  /* Translators: as above, then the address of the router or firewall
     that answered (or “another host”), then the target's address. */
  return g_strdup_printf (_("%s %s (type %u code %u) from %s, not from the target %s: a router or firewall on the way answered for it, after %.1f ms."),
                          proto, what, o->icmp_type, o->icmp_code,
                          icmp_from ? icmp_from : _("another host"), target, elapsed_ms);
}

/**
 * pq_rules_describe:
 *
 * Returns: (transfer full): the evidence in one or two sentences a
 *   help-desk person can paste into a ticket
 */
char *
pq_rules_describe (PqProtocol       protocol,
                   const PqOutcome *o,
                   PqReason         reason,
                   const char      *target,
                   const char      *icmp_from,
                   guint            tries,
                   guint            wait_ms,
                   double           elapsed_ms,
                   guint            bytes)
{
  switch (reason)
    {
    case PQ_REASON_SYN_ACK:
      return g_strdup_printf (_("%s accepted the TCP connection (handshake completed) on try %u, after %.1f ms."),
                              target, tries, elapsed_ms);
    case PQ_REASON_SELF_CONNECT:
      return g_strdup_printf (_("The connection reached this computer’s own socket (local and target port are the same), not a listening service."));
    case PQ_REASON_RESET:
      return g_strdup_printf (_("%s refused the connection with a TCP reset after %.1f ms: the host is up but nothing listens on this port."),
                              target, elapsed_ms);
    case PQ_REASON_UDP_RESPONSE:
      return g_strdup_printf (ngettext ("%s sent a reply of %u byte after %.1f ms.",
                                        "%s sent a reply of %u bytes after %.1f ms.", bytes),
                              target, bytes, elapsed_ms);
    case PQ_REASON_NO_RESPONSE:
      if (protocol == PQ_PROTOCOL_TCP)
        return g_strdup_printf (ngettext ("No answer to %u connection attempt of %u ms.",
                                          "No answer to %u connection attempts of %u ms each.", tries),
                                tries, wait_ms);
      if (o->query != NULL)
        return g_strdup_printf (ngettext ("No reply to %u %s query after waiting %u ms.",
                                          "No reply to %u %s queries after waiting %u ms for each.", tries),
                                tries, o->query, wait_ms);
      return g_strdup_printf (ngettext ("No reply to %u datagram after waiting %u ms: a UDP service may ignore an empty datagram, or a firewall may drop it.",
                                        "No reply to %u datagrams after waiting %u ms for each: a UDP service may ignore an empty datagram, or a firewall may drop it.", tries),
                              tries, wait_ms);
    case PQ_REASON_LOCAL_FIREWALL:
      return g_strdup_printf (_("This computer did not let the packet out (%s): its own firewall blocks it."),
                              g_strerror (o->error_number));
    case PQ_REASON_LOCAL_ERROR:
      return g_strdup_printf (_("The probe could not be sent from this computer: %s."),
                              g_strerror (o->error_number));
    case PQ_REASON_PORT_UNREACH:
    case PQ_REASON_PORT_UNREACH_OTHER:
    case PQ_REASON_HOST_UNREACH:
    case PQ_REASON_NET_UNREACH:
    case PQ_REASON_PROTO_UNREACH:
    case PQ_REASON_ADMIN_PROHIBITED:
    case PQ_REASON_TIME_EXCEEDED:
    case PQ_REASON_ICMP_OTHER:
    case PQ_REASON_NONE:
    default:
      if (o->have_icmp)
        return describe_icmp (o, icmp_from, target, elapsed_ms);
      if (o->immediate)
        return g_strdup_printf (_("This computer cannot reach %s: %s."),
                                target, g_strerror (o->error_number));
      return g_strdup_printf (_("%s after %.1f ms (%s)."),
                              g_strerror (o->error_number), elapsed_ms, pq_reason_to_nick (reason));
    }
}

/* One sentence per state, for people who do not know what the words mean. */
const char *
pq_state_explain (PqPortState state)
{
  switch (state)
    {
    case PQ_PORT_STATE_LISTENING:
      return _("Listening: a program on the host answered on this port.");
    case PQ_PORT_STATE_NOT_LISTENING:
      return _("Not listening: the host answered, but no program is waiting on this port. Check that the service is running.");
    case PQ_PORT_STATE_FILTERED:
      return _("Filtered: nothing answered, or a firewall refused. A firewall between this computer and the host is probably dropping the traffic.");
    case PQ_PORT_STATE_LISTENING_OR_FILTERED:
      return _("Listening or filtered: the UDP port stayed silent. A service may be there and ignore the test, or a firewall may drop it.");
    case PQ_PORT_STATE_ERROR:
      return _("Error: the query could not be sent from this computer (see the port’s evidence), so nothing is known about the port. Check this computer’s network settings and the options given.");
    default:
      return "";
    }
}

/* Who sent an ICMP error, for the sentences below: the target itself or
 * a router or firewall on the way. */
static gboolean
from_target (const char *target,
             const char *reply_from)
{
  return reply_from == NULL || *reply_from == '\0' || g_strcmp0 (target, reply_from) == 0;
}

static char *
plain_icmp (PqReason    reason,
            gboolean    own,
            const char *router)
{
  if (reason == PQ_REASON_PORT_UNREACH)
    return g_strdup (_("The host answered that no program listens on this port: check that the service is running."));
  if (reason == PQ_REASON_PORT_UNREACH_OTHER)
    return g_strdup_printf (_("The router or firewall %s answered for the host and refused the port: it blocks this traffic."), router);
  if (reason == PQ_REASON_ADMIN_PROHIBITED && own)
    return g_strdup (_("The host’s own firewall refused: a rule on the host blocks this port."));
  if (reason == PQ_REASON_ADMIN_PROHIBITED)
    return g_strdup_printf (_("The firewall %s on the way refused: a rule there blocks this port."), router);
  if ((reason == PQ_REASON_HOST_UNREACH || reason == PQ_REASON_NET_UNREACH) && own)
    return g_strdup (_("The host answered that it cannot be reached this way: a firewall rule on it rejects the traffic."));
  if (reason == PQ_REASON_HOST_UNREACH || reason == PQ_REASON_NET_UNREACH)
    return g_strdup_printf (_("The router %s could not reach the host: check that the host is on and that the route to it works."), router);
  if (reason == PQ_REASON_TIME_EXCEEDED)
    return g_strdup_printf (_("The packets never arrived: the router %s gave up on them, which points to a routing loop."), router);
  if (own)
    return g_strdup (_("The host answered with an error message instead of a connection: something on it blocks this port."));
  return g_strdup_printf (_("The router or firewall %s answered with an error message: it blocks this traffic."), router);
}

/**
 * pq_rules_plain:
 * @target: the address queried
 * @reply_from: (nullable): the address an ICMP error came from
 *
 * Returns: (transfer full): one plain sentence about what the evidence
 *   means, for a person who does not read ICMP codes; the window, the
 *   reports and portqry -v all show this one
 */
char *
pq_rules_plain (PqProtocol  protocol,
                PqPortState state,
                PqReason    reason,
                const char *target,
                const char *reply_from)
{
  gboolean own = from_target (target, reply_from);

  switch (reason)
    {
    case PQ_REASON_SYN_ACK:
      return g_strdup (_("The host accepted the connection: a program listens on this port."));
    case PQ_REASON_UDP_RESPONSE:
      return g_strdup (_("The host answered: a program listens on this port."));
    case PQ_REASON_RESET:
      return g_strdup (_("The host is up and refused the connection: no program listens on this port. Check that the service is running."));
    case PQ_REASON_SELF_CONNECT:
      return g_strdup (_("The connection came back to this computer’s own socket: no service was reached."));
    case PQ_REASON_NO_RESPONSE:
      if (protocol == PQ_PROTOCOL_UDP)
        return g_strdup (_("Nothing answered: a firewall on the way probably drops the packets, or the service ignores the query."));
      return g_strdup (_("Nothing answered: a firewall on the way probably drops the packets."));
    case PQ_REASON_LOCAL_FIREWALL:
      return g_strdup (_("This computer’s own firewall did not let the packets out."));
    case PQ_REASON_LOCAL_ERROR:
      return g_strdup (_("This computer could not send the query: check its network connection."));
    case PQ_REASON_NONE:
      return g_strdup (pq_state_explain (state));
    case PQ_REASON_PORT_UNREACH:
    case PQ_REASON_PORT_UNREACH_OTHER:
    case PQ_REASON_HOST_UNREACH:
    case PQ_REASON_NET_UNREACH:
    case PQ_REASON_PROTO_UNREACH:
    case PQ_REASON_ADMIN_PROHIBITED:
    case PQ_REASON_TIME_EXCEEDED:
    case PQ_REASON_ICMP_OTHER:
    default:
      return plain_icmp (reason, own, reply_from ? reply_from : _("another host"));
    }
}
