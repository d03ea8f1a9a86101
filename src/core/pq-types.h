/* pq-types.h: enumerations shared by the core, the command line and the application
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PQ_PROTOCOL_TCP,
  PQ_PROTOCOL_UDP,
} PqProtocol;

/* What the user asked for: one of the protocols or both. An enum, not
 * flags, to glib-mkenums: its nicks are the words typed and saved. */
typedef enum /*< flags=0 >*/
{
  PQ_PROTOCOLS_TCP  = 1 << 0,
  PQ_PROTOCOLS_UDP  = 1 << 1,
  /* Written out, not TCP | UDP: glib-mkenums computes the settings
   * schema's <enum> values from this header and cannot fold names. */
  PQ_PROTOCOLS_BOTH = (1 << 0) | (1 << 1),
} PqProtocols;

/* PortQry's four words; nmap's open, closed, filtered and open|filtered.
 * The nicks are PortQry's words, printed and saved untranslated: scripts
 * grep for them. */
typedef enum
{
  PQ_PORT_STATE_LISTENING,              /*< nick=LISTENING >*/
  PQ_PORT_STATE_NOT_LISTENING,          /*< nick=NOT LISTENING >*/
  PQ_PORT_STATE_FILTERED,               /*< nick=FILTERED >*/
  PQ_PORT_STATE_LISTENING_OR_FILTERED,  /*< nick=LISTENING or FILTERED >*/
  /* Not a port state: the probe could not leave this computer (no route,
   * a datagram too big, no buffer space), so nothing is known about the
   * port. The result's evidence says why; the query's exit code is 4. */
  PQ_PORT_STATE_ERROR,                  /*< nick=ERROR >*/
} PqPortState;

#define PQ_N_PORT_STATES 5

/* The order states are counted and explained in, everywhere. */
extern const PqPortState pq_port_states_in_order[PQ_N_PORT_STATES];

/* Why a state was decided: the observation behind it (nmap's "reason"). */
typedef enum
{
  PQ_REASON_NONE,
  PQ_REASON_SYN_ACK,            /* TCP handshake completed */
  PQ_REASON_RESET,              /* TCP reset (ECONNREFUSED on connect) */
  PQ_REASON_NO_RESPONSE,        /* silence after every try */
  PQ_REASON_UDP_RESPONSE,       /* a datagram came back */
  PQ_REASON_PORT_UNREACH,       /* ICMP port unreachable from the target */
  /* ICMP port unreachable from another host */
  PQ_REASON_PORT_UNREACH_OTHER, /*< nick=port-unreach-from-other-host >*/
  PQ_REASON_HOST_UNREACH,
  PQ_REASON_NET_UNREACH,
  PQ_REASON_PROTO_UNREACH,
  PQ_REASON_ADMIN_PROHIBITED,
  PQ_REASON_TIME_EXCEEDED,
  PQ_REASON_ICMP_OTHER,
  PQ_REASON_LOCAL_FIREWALL,     /* this computer's own firewall refused to send */
  PQ_REASON_SELF_CONNECT,       /* the kernel connected the socket to itself */
  PQ_REASON_LOCAL_ERROR,        /* the probe could not be sent from here */
} PqReason;

/* The protocol-specific query sent after the plain port test, chosen by
 * the service name the services file gives the port (as PortQry does). */
typedef enum
{
  PQ_PROBE_NONE,
  PQ_PROBE_DNS,
  PQ_PROBE_NETBIOS_NS,
  PQ_PROBE_LDAP,
  PQ_PROBE_RPC_EPMAP,
  PQ_PROBE_SNMP,
  PQ_PROBE_SQL_BROWSER,
  PQ_PROBE_SMTP,
  PQ_PROBE_POP3,
  PQ_PROBE_IMAP,
  PQ_PROBE_FTP,
  PQ_PROBE_HTTP,
  PQ_PROBE_KERBEROS,
  PQ_PROBE_SMB,
  PQ_PROBE_NETBIOS_SSN,   /* SMB behind a NetBIOS session */
  PQ_PROBE_TFTP,
  PQ_PROBE_L2TP,
  PQ_PROBE_IKE,
  PQ_PROBE_TLS,           /* a TLS handshake at once: the certificate */
  PQ_PROBE_RDP,           /* RDP negotiation, then TLS */
  PQ_PROBE_IKE_NATT,      /* IKE behind the non-ESP marker, UDP 4500 */
} PqProbeKind;

/* The names of every enumeration of the core are their glib-mkenums nicks
 * (pq-enums.h): reports, settings and the command line use these two. */
const char *pq_enum_to_nick           (GType        type,
                                       int          value);
gboolean    pq_enum_from_nick         (GType        type,
                                       const char  *nick,
                                       int         *value);

const char *pq_probe_kind_to_nick     (PqProbeKind  kind);
const char *pq_protocol_to_string     (PqProtocol   protocol);
const char *pq_protocols_to_nick      (PqProtocols  protocols);
const char *pq_port_state_to_string   (PqPortState  state);
const char *pq_reason_to_nick         (PqReason     reason);

G_END_DECLS
