/* pq-rules.h: which socket outcome means which port state (nmap's rules)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pq-types.h"

G_BEGIN_DECLS

typedef enum
{
  PQ_OUTCOME_CONNECTED,   /* TCP handshake completed */
  PQ_OUTCOME_REPLY,       /* UDP datagram received */
  PQ_OUTCOME_ERROR,       /* an errno, perhaps with the ICMP message behind it */
  PQ_OUTCOME_TIMEOUT,     /* nothing came back after every try */
} PqOutcomeKind;

/* What the sockets observed, with nothing decided yet. The scanner fills
 * it; tests feed it directly. */
typedef struct
{
  PqOutcomeKind kind;
  int           error_number;       /* errno of connect()/recv(); 0 if none */
  gboolean      have_icmp;          /* from the IP_RECVERR error queue */
  gboolean      icmp6;
  guint8        icmp_type;
  guint8        icmp_code;
  gboolean      icmp_from_target;   /* the offender is the address queried */
  gboolean      self_connect;       /* local address and port equal the target's */
  gboolean      immediate;          /* failed before anything was sent */
  const char   *query;              /* the protocol query sent, e.g. "DNS"; NULL for none */
} PqOutcome;

PqPortState  pq_rules_decide     (PqProtocol       protocol,
                                  const PqOutcome *outcome,
                                  PqReason        *reason);
char        *pq_rules_describe   (PqProtocol       protocol,
                                  const PqOutcome *outcome,
                                  PqReason         reason,
                                  const char      *target,
                                  const char      *icmp_from,
                                  guint            tries,
                                  guint            wait_ms,
                                  double           elapsed_ms,
                                  guint            bytes);
const char  *pq_icmp_describe    (gboolean         icmp6,
                                  guint8           type,
                                  guint8           code);
const char  *pq_state_explain    (PqPortState      state);
char        *pq_rules_plain      (PqProtocol       protocol,
                                  PqPortState      state,
                                  PqReason         reason,
                                  const char      *target,
                                  const char      *reply_from);

G_END_DECLS
