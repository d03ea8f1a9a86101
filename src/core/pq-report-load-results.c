/* pq-report-load-results.c: the report reader's results, each with its
 * findings
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Protocols, states, reasons and probes are read by the nicks the writer
 * prints (pq-types.h); any other word is refused, naming the field.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pq-enums.h"
#include "pq-report-load-private.h"
#include "pq-trace.h"

/* The probes nest findings three or four levels at most. */
#define MAX_DETAIL_DEPTH  16

/* One whole sentence per kind of name, so that translations can make the
 * words agree (no "a %s" stitched in). */
static void
unknown_name (GError     **error,
              const char  *path,
              const char  *text,
              GType        type)
{
  g_autofree char *shown = pq_load_quote (text);

  if (type == PQ_TYPE_PROTOCOL)
    pq_load_error (error, _("“%s” in the field “%s” is not a protocol Port Query knows (tcp, udp)."),
                   shown, path);
  else if (type == PQ_TYPE_PORT_STATE)
    pq_load_error (error, _("“%s” in the field “%s” is not a port state Port Query knows "
                            "(LISTENING, NOT LISTENING, FILTERED, LISTENING or FILTERED, ERROR)."),
                   shown, path);
  else if (type == PQ_TYPE_REASON)
    pq_load_error (error, _("“%s” in the field “%s” is not a reason Port Query knows."),
                   shown, path);
  else
    pq_load_error (error, _("“%s” in the field “%s” is not a protocol query Port Query knows."),
                   shown, path);
}

/* A field holding the nick of one of the core's enumerations. */
static gboolean
read_nick (PqJson      *object,
           const char  *where,
           const char  *name,
           GType        type,
           int         *value,
           GError     **error)
{
  const char *text;

  if (!pq_load_string (object, where, name, FALSE, &text, error))
    return FALSE;
  if (!pq_enum_from_nick (type, text, value))
    {
      g_autofree char *path = pq_load_path (where, name);

      unknown_name (error, path, text, type);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_details (PqJson      *array,
              const char  *where,
              guint        depth,
              PqResult    *result,
              PqDetail    *parent,
              GError     **error)
{
  guint i = 0;

  if (depth > MAX_DETAIL_DEPTH)
    {
      pq_load_error (error, _("the findings in “%s” are nested more than %u levels deep."),
                     where, MAX_DETAIL_DEPTH);
      return FALSE;
    }

  for (PqJson *element = array->first; element != NULL; element = element->next, i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", where, i);
      g_autofree char *children_path = pq_load_path (path, PQ_JSON_CHILDREN);
      g_autoptr(PqDetail) detail = NULL;
      PqJson *object, *children;
      const char *kind, *label, *value;

      if (!(object = pq_load_element_object (element, path, error)) ||
          !pq_load_string (object, path, PQ_JSON_KIND, TRUE, &kind, error) ||
          !pq_load_string (object, path, PQ_JSON_LABEL, TRUE, &label, error) ||
          !pq_load_string (object, path, PQ_JSON_VALUE, TRUE, &value, error) ||
          !pq_load_array (object, path, PQ_JSON_CHILDREN, &children, error))
        return FALSE;

      detail = pq_detail_new (kind, label, value);
      if (!read_details (children, children_path, depth + 1, NULL, detail, error))
        return FALSE;
      if (parent != NULL)
        pq_detail_append (parent, detail);
      else
        pq_result_add_detail (result, detail);
    }
  return TRUE;
}

/* The ICMP message, when there was one: both fields or neither. */
static gboolean
read_icmp (PqJson      *object,
           const char  *where,
           PqResult    *result,
           const char  *reply_from,
           guint        bytes_received,
           GError     **error)
{
  guint type = 0, code = 0;

  if (pq_json_get_member (object, PQ_JSON_ICMP_TYPE) != NULL ||
      pq_json_get_member (object, PQ_JSON_ICMP_CODE) != NULL)
    {
      if (!pq_load_uint (object, where, PQ_JSON_ICMP_TYPE, 0, 255, &type, error) ||
          !pq_load_uint (object, where, PQ_JSON_ICMP_CODE, 0, 255, &code, error))
        return FALSE;
      pq_result_set_reply (result, reply_from, (int) type, (int) code, bytes_received);
    }
  else
    pq_result_set_reply (result, reply_from, -1, -1, bytes_received);
  return TRUE;
}

/* One hop: "icmp" or "answer" names what came back, or neither for
 * silence. */
static gboolean
read_hop (PqJson      *object,
          const char  *where,
          PqTrace     *trace,
          GError     **error)
{
  const char *address, *icmp, *answer;
  PqHopKind kind = PQ_HOP_NONE;
  guint ttl;

  if (!pq_load_uint (object, where, PQ_JSON_TTL, 1, 255, &ttl, error) ||
      !pq_load_string (object, where, PQ_JSON_ADDRESS, TRUE, &address, error) ||
      !pq_load_string (object, where, PQ_JSON_ICMP, TRUE, &icmp, error) ||
      !pq_load_string (object, where, PQ_JSON_ANSWER, TRUE, &answer, error))
    return FALSE;
  if ((icmp != NULL && !pq_hop_kind_from_nick (icmp, TRUE, &kind)) ||
      (answer != NULL && !pq_hop_kind_from_nick (answer, FALSE, &kind)) ||
      (icmp != NULL && answer != NULL))
    {
      pq_load_error (error, _("the hop in “%s” says neither an ICMP message nor an answer Port Query knows."),
                     where);
      return FALSE;
    }
  pq_trace_add_hop (trace, ttl, address, kind);
  return TRUE;
}

/* A traced port's "trace": its hops, the host's distance, the verdict. */
static gboolean
read_trace (PqJson      *object,
            const char  *where,
            PqResult    *result,
            GError     **error)
{
  g_autofree char *path = pq_load_path (where, PQ_JSON_TRACE);
  g_autofree char *hops_path = pq_load_path (path, PQ_JSON_HOPS);
  g_autoptr(PqTrace) trace = pq_trace_new ();
  PqJson *t, *hops, *distance_node;
  const char *verdict;
  guint distance = 0, i = 0;

  if (pq_json_get_member (object, PQ_JSON_TRACE) == NULL)
    return TRUE;
  if (!pq_load_object (object, where, PQ_JSON_TRACE, &t, error) ||
      !pq_load_array (t, path, PQ_JSON_HOPS, &hops, error) ||
      !pq_load_string (t, path, PQ_JSON_VERDICT, TRUE, &verdict, error))
    return FALSE;
  distance_node = pq_json_get_member (t, PQ_JSON_HOST_DISTANCE);
  if (distance_node == NULL || distance_node->type != PQ_JSON_NULL)
    if (!pq_load_uint (t, path, PQ_JSON_HOST_DISTANCE, 1, 255, &distance, error))
      return FALSE;
  for (PqJson *element = hops->first; element != NULL; element = element->next, i++)
    {
      g_autofree char *hop_path = g_strdup_printf ("%s[%u]", hops_path, i);
      PqJson *hop = pq_load_element_object (element, hop_path, error);

      if (hop == NULL || !read_hop (hop, hop_path, trace, error))
        return FALSE;
    }
  pq_trace_set_result (trace, distance > 0 ? (int) distance : -1, verdict);
  pq_result_set_trace (result, trace);
  return TRUE;
}

static PqResult *
read_result (PqJson      *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(PqResult) result = NULL;
  g_autofree char *details_path = pq_load_path (where, PQ_JSON_DETAILS);
  const char *address, *service, *evidence, *local_address, *reply_from;
  guint port, tries, bytes_received;
  int protocol, state, reason, probe;
  double elapsed_ms;
  PqJson *details;

  if (!pq_load_string (object, where, PQ_JSON_ADDRESS, FALSE, &address, error) ||
      !pq_load_uint (object, where, PQ_JSON_PORT, 0, 65535, &port, error) ||
      !read_nick (object, where, PQ_JSON_PROTOCOL, PQ_TYPE_PROTOCOL, &protocol, error) ||
      !pq_load_string (object, where, PQ_JSON_SERVICE, TRUE, &service, error) ||
      !read_nick (object, where, PQ_JSON_STATE, PQ_TYPE_PORT_STATE, &state, error) ||
      !read_nick (object, where, PQ_JSON_REASON, PQ_TYPE_REASON, &reason, error) ||
      !pq_load_string (object, where, PQ_JSON_EVIDENCE, TRUE, &evidence, error) ||
      !pq_load_uint (object, where, PQ_JSON_TRIES, 0, G_MAXUINT, &tries, error) ||
      !pq_load_milliseconds (object, where, PQ_JSON_ELAPSED_MS, &elapsed_ms, error) ||
      !pq_load_string (object, where, PQ_JSON_LOCAL_ADDRESS, TRUE, &local_address, error) ||
      !pq_load_string (object, where, PQ_JSON_REPLY_FROM, TRUE, &reply_from, error) ||
      !pq_load_uint (object, where, PQ_JSON_BYTES_RECEIVED, 0, G_MAXUINT, &bytes_received, error) ||
      !read_nick (object, where, PQ_JSON_PROBE, PQ_TYPE_PROBE_KIND, &probe, error) ||
      !pq_load_array (object, where, PQ_JSON_DETAILS, &details, error))
    return NULL;

  result = pq_result_new (address, (guint16) port, (PqProtocol) protocol);
  pq_result_set_state (result, (PqPortState) state, (PqReason) reason);
  pq_result_set_service (result, service, (PqProbeKind) probe);
  pq_result_set_evidence (result, evidence);
  pq_result_set_timing (result, tries, elapsed_ms);
  pq_result_set_local_address (result, local_address);
  if (!read_icmp (object, where, result, reply_from, bytes_received, error) ||
      !read_details (details, details_path, 1, result, NULL, error) ||
      !read_trace (object, where, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* Adds each of the document's results to @report, in order. */
gboolean
pq_load_results (PqJson      *root,
                 PqReport    *report,
                 GError     **error)
{
  PqJson *list;
  guint i = 0;

  if (!pq_load_array (root, "", PQ_JSON_RESULTS, &list, error))
    return FALSE;

  for (PqJson *element = list->first; element != NULL; element = element->next, i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", PQ_JSON_RESULTS, i);
      g_autoptr(PqResult) result = NULL;
      PqJson *object;

      if (!(object = pq_load_element_object (element, path, error)) ||
          !(result = read_result (object, path, error)))
        return FALSE;
      pq_report_add_result (report, result);
    }
  return TRUE;
}
