/* test-rules.c: which socket outcome means which port state
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <errno.h>
#include <string.h>

#include "pq-rules.h"

#define TARGET    "192.0.2.10"
#define OFFENDER  "198.51.100.1"
#define TRIES     3
#define WAIT_MS   1000
#define ELAPSED   12.5
#define BYTES     4

typedef struct
{
  const char  *name;
  PqProtocol   protocol;
  PqOutcome    outcome;
  PqPortState  state;
  PqReason     reason;
  /* The evidence must mention each of these (NULL for none). */
  const char  *evidence[3];
} Case;

#define TCP PQ_PROTOCOL_TCP
#define UDP PQ_PROTOCOL_UDP

#define ICMP(t, c, from_target) \
  { .kind = PQ_OUTCOME_ERROR, .error_number = EHOSTUNREACH, .have_icmp = TRUE, \
    .icmp_type = (t), .icmp_code = (c), .icmp_from_target = (from_target) }
#define ICMP6(t, c, from_target) \
  { .kind = PQ_OUTCOME_ERROR, .error_number = EHOSTUNREACH, .have_icmp = TRUE, .icmp6 = TRUE, \
    .icmp_type = (t), .icmp_code = (c), .icmp_from_target = (from_target) }
#define ERRNO(e) { .kind = PQ_OUTCOME_ERROR, .error_number = (e) }

static const Case decide_cases[] = {
  /* TCP */
  { "tcp-connected", TCP, { .kind = PQ_OUTCOME_CONNECTED },
    PQ_PORT_STATE_LISTENING, PQ_REASON_SYN_ACK, { TARGET, "handshake", "try 3" } },
  { "tcp-self-connect", TCP, { .kind = PQ_OUTCOME_CONNECTED, .self_connect = TRUE },
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_SELF_CONNECT, { "own socket", "not a listening service" } },
  { "tcp-refused", TCP, ERRNO (ECONNREFUSED),
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_RESET, { "reset", TARGET, "nothing listens" } },
  { "tcp-timeout", TCP, { .kind = PQ_OUTCOME_TIMEOUT },
    PQ_PORT_STATE_FILTERED, PQ_REASON_NO_RESPONSE, { "3 connection attempts", "1000 ms" } },
  { "tcp-etimedout", TCP, ERRNO (ETIMEDOUT),
    PQ_PORT_STATE_FILTERED, PQ_REASON_NO_RESPONSE, { "3 connection attempts" } },
  { "tcp-ehostunreach", TCP, ERRNO (EHOSTUNREACH),
    PQ_PORT_STATE_FILTERED, PQ_REASON_HOST_UNREACH, { "host-unreach", "12.5 ms" } },
  { "tcp-enetunreach", TCP, ERRNO (ENETUNREACH),
    PQ_PORT_STATE_FILTERED, PQ_REASON_NET_UNREACH, { "net-unreach" } },
  { "tcp-eacces", TCP, ERRNO (EACCES),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "admin-prohibited" } },
  { "tcp-eperm", TCP, ERRNO (EPERM),
    PQ_PORT_STATE_FILTERED, PQ_REASON_LOCAL_FIREWALL, { "firewall", "did not let the packet out" } },
  /* What never left this computer is no port state: an ERROR, exit 4. */
  { "tcp-einval", TCP, ERRNO (EINVAL),
    PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR, { "could not be sent" } },
  { "tcp-enetunreach-immediate", TCP,
    { .kind = PQ_OUTCOME_ERROR, .error_number = ENETUNREACH, .immediate = TRUE },
    PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR, { "could not be sent", "Network is unreachable" } },
  { "tcp-enobufs", TCP, { .kind = PQ_OUTCOME_ERROR, .error_number = ENOBUFS, .immediate = TRUE },
    PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR, { "could not be sent", "No buffer space" } },
  { "tcp-icmp-3-13", TCP, ICMP (3, 13, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED,
    { "administratively prohibited", "type 3 code 13", OFFENDER } },
  { "tcp-icmp-3-1", TCP, ICMP (3, 1, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_HOST_UNREACH, { "host unreachable", OFFENDER } },
  { "tcp-icmp-3-3-target", TCP, ICMP (3, 3, TRUE),
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_PORT_UNREACH, { "port unreachable", "from the target " TARGET } },

  /* UDP */
  { "udp-reply", UDP, { .kind = PQ_OUTCOME_REPLY },
    PQ_PORT_STATE_LISTENING, PQ_REASON_UDP_RESPONSE, { TARGET, "4 bytes", "12.5 ms" } },
  { "udp-timeout", UDP, { .kind = PQ_OUTCOME_TIMEOUT },
    PQ_PORT_STATE_LISTENING_OR_FILTERED, PQ_REASON_NO_RESPONSE,
    { "3 datagrams", "1000 ms", "firewall" } },
  { "udp-emsgsize", UDP, ERRNO (EMSGSIZE),
    PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR, { "could not be sent", "Message too long" } },
  { "udp-enetunreach-immediate", UDP,
    { .kind = PQ_OUTCOME_ERROR, .error_number = ENETUNREACH, .immediate = TRUE },
    PQ_PORT_STATE_ERROR, PQ_REASON_LOCAL_ERROR, { "Network is unreachable" } },
  /* This computer's own firewall is a filter like any other. */
  { "udp-eperm", UDP, { .kind = PQ_OUTCOME_ERROR, .error_number = EPERM, .immediate = TRUE },
    PQ_PORT_STATE_FILTERED, PQ_REASON_LOCAL_FIREWALL, { "its own firewall blocks it" } },
  { "udp-refused-no-icmp", UDP, ERRNO (ECONNREFUSED),
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_PORT_UNREACH, { NULL } },
  { "udp-icmp-3-3-target", UDP, ICMP (3, 3, TRUE),
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_PORT_UNREACH,
    { "port unreachable", "type 3 code 3", "from the target " TARGET } },
  { "udp-icmp-3-3-other", UDP, ICMP (3, 3, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_PORT_UNREACH_OTHER,
    { "port unreachable", OFFENDER, "not from the target " TARGET } },
  { "udp-icmp-3-0", UDP, ICMP (3, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_NET_UNREACH, { "network unreachable", "type 3 code 0" } },
  { "udp-icmp-3-1", UDP, ICMP (3, 1, TRUE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_HOST_UNREACH, { "host unreachable", "type 3 code 1" } },
  { "udp-icmp-3-2", UDP, ICMP (3, 2, TRUE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_PROTO_UNREACH, { "protocol unreachable", "type 3 code 2" } },
  { "udp-icmp-3-4", UDP, ICMP (3, 4, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ICMP_OTHER, { "fragmentation needed" } },
  { "udp-icmp-3-9", UDP, ICMP (3, 9, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "network administratively prohibited" } },
  { "udp-icmp-3-10", UDP, ICMP (3, 10, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "host administratively prohibited" } },
  { "udp-icmp-3-13", UDP, ICMP (3, 13, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED,
    { "communication administratively prohibited", OFFENDER } },
  { "udp-icmp-11-0", UDP, ICMP (11, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_TIME_EXCEEDED, { "time to live exceeded", "type 11 code 0" } },
  { "udp-icmp-12-0", UDP, ICMP (12, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ICMP_OTHER, { "ICMP error" } },
  /* The ICMP message outranks the errno it came with. */
  { "udp-icmp-over-errno", UDP,
    { .kind = PQ_OUTCOME_ERROR, .error_number = ECONNREFUSED, .have_icmp = TRUE,
      .icmp_type = 3, .icmp_code = 13, .icmp_from_target = TRUE },
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "administratively prohibited" } },

  /* ICMPv6 */
  { "udp-icmp6-1-4-target", UDP, ICMP6 (1, 4, TRUE),
    PQ_PORT_STATE_NOT_LISTENING, PQ_REASON_PORT_UNREACH,
    { "ICMPv6 port unreachable", "type 1 code 4", "from the target" } },
  { "udp-icmp6-1-4-other", UDP, ICMP6 (1, 4, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_PORT_UNREACH_OTHER, { "ICMPv6", OFFENDER } },
  { "udp-icmp6-1-1", UDP, ICMP6 (1, 1, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "administratively prohibited", "type 1 code 1" } },
  { "udp-icmp6-1-0", UDP, ICMP6 (1, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_NET_UNREACH, { "no route to destination" } },
  { "udp-icmp6-1-3", UDP, ICMP6 (1, 3, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_HOST_UNREACH, { "address unreachable" } },
  { "udp-icmp6-1-5", UDP, ICMP6 (1, 5, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "ingress/egress policy" } },
  { "udp-icmp6-1-6", UDP, ICMP6 (1, 6, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "reject route" } },
  /* ICMPv6's time exceeded is type 3 (ICMPv4's is 11). */
  { "udp-icmp6-3-0", UDP, ICMP6 (3, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_TIME_EXCEEDED, { "hop limit exceeded" } },
  { "udp-icmp6-11-0", UDP, ICMP6 (11, 0, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ICMP_OTHER, { NULL } },
  { "tcp-icmp6-1-1", TCP, ICMP6 (1, 1, FALSE),
    PQ_PORT_STATE_FILTERED, PQ_REASON_ADMIN_PROHIBITED, { "ICMPv6" } },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  PqReason reason = PQ_REASON_NONE;
  PqPortState state = pq_rules_decide (c->protocol, &c->outcome, &reason);
  g_autofree char *evidence = NULL;

  g_assert_cmpstr (pq_port_state_to_string (state), ==, pq_port_state_to_string (c->state));
  g_assert_cmpstr (pq_reason_to_nick (reason), ==, pq_reason_to_nick (c->reason));

  evidence = pq_rules_describe (c->protocol, &c->outcome, reason, TARGET, OFFENDER,
                                TRIES, WAIT_MS, ELAPSED, BYTES);
  g_test_message ("%s: %s", c->name, evidence);
  g_assert_nonnull (evidence);
  g_assert_cmpuint (strlen (evidence), >, 10);
  g_assert_true (g_utf8_validate (evidence, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (c->evidence) && c->evidence[i] != NULL; i++)
    if (strstr (evidence, c->evidence[i]) == NULL)
      g_error ("%s: evidence “%s” does not mention “%s”", c->name, evidence, c->evidence[i]);
}

static void
test_icmp_other_host_without_address (void)
{
  PqOutcome o = ICMP (3, 3, FALSE);
  PqReason reason;
  g_autofree char *evidence = NULL;

  g_assert_cmpint (pq_rules_decide (UDP, &o, &reason), ==, PQ_PORT_STATE_FILTERED);
  evidence = pq_rules_describe (UDP, &o, reason, TARGET, NULL, 1, WAIT_MS, ELAPSED, 0);
  g_assert_nonnull (strstr (evidence, "another host"));
}

static void
test_counts_in_evidence (void)
{
  PqOutcome timeout = { .kind = PQ_OUTCOME_TIMEOUT };
  PqOutcome reply = { .kind = PQ_OUTCOME_REPLY };
  struct
  {
    PqProtocol  protocol;
    PqOutcome  *outcome;
    PqReason    reason;
    guint       tries;
    guint       bytes;
    const char *expected;
  } cases[] = {
    { TCP, &timeout, PQ_REASON_NO_RESPONSE, 1, 0, "1 connection attempt of 250 ms" },
    { TCP, &timeout, PQ_REASON_NO_RESPONSE, 5, 0, "5 connection attempts of 250 ms each" },
    { UDP, &timeout, PQ_REASON_NO_RESPONSE, 1, 0, "1 datagram after waiting 250 ms" },
    { UDP, &timeout, PQ_REASON_NO_RESPONSE, 2, 0, "2 datagrams after waiting 250 ms" },
    { UDP, &reply, PQ_REASON_UDP_RESPONSE, 1, 1, "reply of 1 byte" },
    { UDP, &reply, PQ_REASON_UDP_RESPONSE, 1, 0, "reply of 0 bytes" },
    { UDP, &reply, PQ_REASON_UDP_RESPONSE, 1, 512, "reply of 512 bytes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *evidence = pq_rules_describe (cases[i].protocol, cases[i].outcome,
                                                     cases[i].reason, TARGET, NULL,
                                                     cases[i].tries, 250, 3.0, cases[i].bytes);

      g_test_message ("%s", evidence);
      g_assert_nonnull (strstr (evidence, cases[i].expected));
    }
}

/* Silence to the service's own query (DNS, LDAP, ...) as well as to the
 * plain test means nothing answers: FILTERED, not LISTENING or FILTERED. */
static void
test_udp_query_silence (void)
{
  PqOutcome o = { .kind = PQ_OUTCOME_TIMEOUT, .query = "DNS" };
  PqReason reason;
  g_autofree char *evidence = NULL;

  g_assert_cmpint (pq_rules_decide (UDP, &o, &reason), ==, PQ_PORT_STATE_FILTERED);
  g_assert_cmpint (reason, ==, PQ_REASON_NO_RESPONSE);
  evidence = pq_rules_describe (UDP, &o, reason, TARGET, NULL, 2, WAIT_MS, ELAPSED, 0);
  g_test_message ("%s", evidence);
  g_assert_nonnull (strstr (evidence, "DNS"));
  g_assert_nonnull (strstr (evidence, "2"));

  /* A reply to the query is still LISTENING. */
  o.kind = PQ_OUTCOME_REPLY;
  g_assert_cmpint (pq_rules_decide (UDP, &o, &reason), ==, PQ_PORT_STATE_LISTENING);
}

static void
test_state_words (void)
{
  /* PortQry's words, which scripts grep for. */
  g_assert_cmpstr (pq_port_state_to_string (PQ_PORT_STATE_LISTENING), ==, "LISTENING");
  g_assert_cmpstr (pq_port_state_to_string (PQ_PORT_STATE_NOT_LISTENING), ==, "NOT LISTENING");
  g_assert_cmpstr (pq_port_state_to_string (PQ_PORT_STATE_FILTERED), ==, "FILTERED");
  g_assert_cmpstr (pq_port_state_to_string (PQ_PORT_STATE_LISTENING_OR_FILTERED), ==,
                   "LISTENING or FILTERED");

  g_assert_cmpstr (pq_port_state_to_string (PQ_PORT_STATE_ERROR), ==, "ERROR");

  for (PqPortState s = PQ_PORT_STATE_LISTENING; s <= PQ_PORT_STATE_ERROR; s++)
    g_assert_cmpuint (strlen (pq_state_explain (s)), >, 20);
  g_assert_nonnull (strstr (pq_state_explain (PQ_PORT_STATE_NOT_LISTENING), "service is running"));
  g_assert_nonnull (strstr (pq_state_explain (PQ_PORT_STATE_FILTERED), "firewall"));
}

static void
test_reason_nicks (void)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* Every reason has its own stable name. */
  for (PqReason r = PQ_REASON_NONE; r <= PQ_REASON_LOCAL_ERROR; r++)
    {
      const char *nick = pq_reason_to_nick (r);

      g_assert_nonnull (nick);
      g_assert_cmpuint (strlen (nick), >, 0);
      g_assert_false (g_hash_table_contains (seen, nick));
      g_hash_table_add (seen, (gpointer) nick);
    }
  g_hash_table_unref (seen);

  g_assert_cmpstr (pq_reason_to_nick (PQ_REASON_SYN_ACK), ==, "syn-ack");
  g_assert_cmpstr (pq_reason_to_nick (PQ_REASON_RESET), ==, "reset");
  g_assert_cmpstr (pq_reason_to_nick (PQ_REASON_PORT_UNREACH_OTHER), ==,
                   "port-unreach-from-other-host");
  g_assert_cmpstr (pq_protocol_to_string (PQ_PROTOCOL_TCP), ==, "TCP");
  g_assert_cmpstr (pq_protocol_to_string (PQ_PROTOCOL_UDP), ==, "UDP");
}

static void
test_icmp_describe (void)
{
  g_assert_cmpstr (pq_icmp_describe (FALSE, 3, 3), ==, "port unreachable");
  g_assert_cmpstr (pq_icmp_describe (TRUE, 1, 4), ==, "port unreachable");
  g_assert_cmpstr (pq_icmp_describe (FALSE, 3, 13), ==, "communication administratively prohibited");
  g_assert_cmpstr (pq_icmp_describe (FALSE, 11, 0), ==, "time to live exceeded in transit");
  g_assert_cmpstr (pq_icmp_describe (TRUE, 3, 0), ==, "hop limit exceeded in transit");
  g_assert_cmpstr (pq_icmp_describe (FALSE, 3, 200), ==, "destination unreachable");
  g_assert_cmpstr (pq_icmp_describe (TRUE, 1, 200), ==, "destination unreachable");
  g_assert_cmpstr (pq_icmp_describe (FALSE, 0, 0), ==, "ICMP error");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (decide_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pq/rules/decide/%s", decide_cases[i].name);
      g_test_add_data_func (path, &decide_cases[i], test_case);
    }
  g_test_add_func ("/pq/rules/icmp-other-host-without-address", test_icmp_other_host_without_address);
  g_test_add_func ("/pq/rules/counts-in-evidence", test_counts_in_evidence);
  g_test_add_func ("/pq/rules/udp-query-silence", test_udp_query_silence);
  g_test_add_func ("/pq/rules/state-words", test_state_words);
  g_test_add_func ("/pq/rules/reason-nicks", test_reason_nicks);
  g_test_add_func ("/pq/rules/icmp-describe", test_icmp_describe);

  return g_test_run ();
}
