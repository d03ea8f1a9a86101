/* pq-types.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pq-types.h"

const char *
pq_protocol_to_string (PqProtocol protocol)
{
  return protocol == PQ_PROTOCOL_UDP ? "UDP" : "TCP";
}

/* These words are PortQry's and are not translated: scripts grep for them. */
const char *
pq_port_state_to_string (PqPortState state)
{
  switch (state)
    {
    case PQ_PORT_STATE_LISTENING:
      return "LISTENING";
    case PQ_PORT_STATE_NOT_LISTENING:
      return "NOT LISTENING";
    case PQ_PORT_STATE_FILTERED:
      return "FILTERED";
    case PQ_PORT_STATE_LISTENING_OR_FILTERED:
      return "LISTENING or FILTERED";
    default:
      g_return_val_if_reached ("UNKNOWN");
    }
}

/* Stable machine-readable names, close to nmap's reason names. */
const char *
pq_reason_to_nick (PqReason reason)
{
  static const char * const nicks[] = {
    [PQ_REASON_NONE] = "none",
    [PQ_REASON_SYN_ACK] = "syn-ack",
    [PQ_REASON_RESET] = "reset",
    [PQ_REASON_NO_RESPONSE] = "no-response",
    [PQ_REASON_UDP_RESPONSE] = "udp-response",
    [PQ_REASON_PORT_UNREACH] = "port-unreach",
    [PQ_REASON_PORT_UNREACH_OTHER] = "port-unreach-from-other-host",
    [PQ_REASON_HOST_UNREACH] = "host-unreach",
    [PQ_REASON_NET_UNREACH] = "net-unreach",
    [PQ_REASON_PROTO_UNREACH] = "proto-unreach",
    [PQ_REASON_ADMIN_PROHIBITED] = "admin-prohibited",
    [PQ_REASON_TIME_EXCEEDED] = "time-exceeded",
    [PQ_REASON_ICMP_OTHER] = "icmp-other",
    [PQ_REASON_LOCAL_FIREWALL] = "local-firewall",
    [PQ_REASON_SELF_CONNECT] = "self-connect",
    [PQ_REASON_LOCAL_ERROR] = "local-error",
  };

  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (nicks), "none");
  return nicks[reason];
}

const char *
pq_probe_kind_to_nick (PqProbeKind kind)
{
  static const char * const nicks[] = {
    [PQ_PROBE_NONE] = "none",
    [PQ_PROBE_DNS] = "dns",
    [PQ_PROBE_NETBIOS_NS] = "netbios-ns",
    [PQ_PROBE_LDAP] = "ldap",
    [PQ_PROBE_RPC_EPMAP] = "rpc-epmap",
    [PQ_PROBE_SNMP] = "snmp",
    [PQ_PROBE_SQL_BROWSER] = "sql-browser",
    [PQ_PROBE_SMTP] = "smtp",
    [PQ_PROBE_POP3] = "pop3",
    [PQ_PROBE_IMAP] = "imap",
    [PQ_PROBE_FTP] = "ftp",
    [PQ_PROBE_HTTP] = "http",
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (nicks), "none");
  return nicks[kind];
}
