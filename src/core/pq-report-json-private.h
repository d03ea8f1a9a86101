/* pq-report-json-private.h: the saved report's format id and field names,
 * shared by the writer (pq-report-json.c) and the reader (pq-report-load*.c)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These are the words of the file format: saved reports and portqry --json
 * output that scripts read. A name changed here changes the format, and
 * PQ_JSON_FORMAT_ID with it.
 */
#pragma once

#define PQ_JSON_FORMAT_ID             "io.github.portquery.report/1"

/* The document, in the order written */
#define PQ_JSON_FORMAT                "format"
#define PQ_JSON_GENERATOR             "generator"
#define PQ_JSON_STARTED               "started"
#define PQ_JSON_FINISHED              "finished"
#define PQ_JSON_CANCELLED             "cancelled"
#define PQ_JSON_TARGET                "target"
#define PQ_JSON_SETTINGS              "settings"
#define PQ_JSON_SUMMARY               "summary"
#define PQ_JSON_EXIT_CODE             "exit_code"
#define PQ_JSON_RESULTS               "results"

/* target, and each of target.queried */
#define PQ_JSON_INPUT                 "input"
#define PQ_JSON_HOST                  "host"
#define PQ_JSON_ADDRESSES             "addresses"
#define PQ_JSON_REVERSE_LOOKUP        "reverse_lookup"
#define PQ_JSON_QUERIED               "queried"
#define PQ_JSON_REVERSE_NAME          "reverse_name"

/* settings */
#define PQ_JSON_PORTS                 "ports"
#define PQ_JSON_TCP_TIMEOUT_MS        "tcp_timeout_ms"
#define PQ_JSON_TCP_TRIES             "tcp_tries"
#define PQ_JSON_UDP_WAIT_MS           "udp_wait_ms"
#define PQ_JSON_UDP_TRIES             "udp_tries"
#define PQ_JSON_SLOW_LINK             "slow_link"
#define PQ_JSON_PORTS_IN_FLIGHT       "ports_in_flight"
#define PQ_JSON_SOURCE_PORT           "source_port"
#define PQ_JSON_PROTOCOL_PROBES       "protocol_probes"
#define PQ_JSON_ADAPTIVE_TCP_WAIT     "adaptive_tcp_wait"
#define PQ_JSON_SERVICES_FILE         "services_file"

/* summary (written only: the reader counts the results again) */
#define PQ_JSON_LISTENING             "listening"
#define PQ_JSON_NOT_LISTENING         "not_listening"
#define PQ_JSON_FILTERED              "filtered"
#define PQ_JSON_LISTENING_OR_FILTERED "listening_or_filtered"
#define PQ_JSON_ERRORS                "errors"   /* only when there are some */
#define PQ_JSON_TEXT                  "text"

/* each of results ("address" and "protocol" are also in target.queried
 * and settings) */
#define PQ_JSON_ADDRESS               "address"
#define PQ_JSON_PORT                  "port"
#define PQ_JSON_PROTOCOL              "protocol"
#define PQ_JSON_SERVICE               "service"
#define PQ_JSON_STATE                 "state"
#define PQ_JSON_REASON                "reason"
#define PQ_JSON_EVIDENCE              "evidence"
#define PQ_JSON_TRIES                 "tries"
#define PQ_JSON_ELAPSED_MS            "elapsed_ms"
#define PQ_JSON_LOCAL_ADDRESS         "local_address"
#define PQ_JSON_REPLY_FROM            "reply_from"
#define PQ_JSON_ICMP_TYPE             "icmp_type"   /* with icmp_code, only after an ICMP message */
#define PQ_JSON_ICMP_CODE             "icmp_code"
#define PQ_JSON_BYTES_RECEIVED        "bytes_received"
#define PQ_JSON_PROBE                 "probe"
#define PQ_JSON_DETAILS               "details"

/* each of details, and of their children */
#define PQ_JSON_KIND                  "kind"
#define PQ_JSON_LABEL                 "label"
#define PQ_JSON_VALUE                 "value"
#define PQ_JSON_CHILDREN              "children"

/* each of results: "trace", only for a traced port; its "hops" each with
 * "ttl", "address" (null: no answer), "icmp" (null: none) and "answer"
 * (the host's reset, connection or reply; null: none) */
#define PQ_JSON_TRACE                 "trace"
#define PQ_JSON_HOPS                  "hops"
#define PQ_JSON_TTL                   "ttl"
#define PQ_JSON_ICMP                  "icmp"
#define PQ_JSON_ANSWER                "answer"
#define PQ_JSON_HOST_DISTANCE         "host_distance"   /* null: unknown */
#define PQ_JSON_VERDICT               "verdict"
/* the finding a trace shows as (pq_trace_to_detail()), written as "trace" */
#define PQ_DETAIL_KIND_TRACE          "trace"

/* A query of several hosts: "target" is the first with its addresses,
 * "targets" every host in order, each with "error" (why it was not
 * queried, or null) and a "summary" text per address queried. */
#define PQ_JSON_TARGETS               "targets"
#define PQ_JSON_ERROR                 "error"
