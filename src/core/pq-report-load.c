/* pq-report-load.c: read back a report saved as JSON
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader takes exactly what pq_report_to_json() writes, so a report
 * opened in the application exports again byte for byte. The file comes
 * from anywhere (a colleague's mail, a download): every field is checked
 * for its type and range, and anything else is refused with a message that
 * says which field is wrong, rather than guessed at.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <string.h>

#include "pq-enums.h"
#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-report-text.h"

#define REPORT_FORMAT "io.github.portquery.report/1"

/* The writer nests results, details and their children; json-glib
 * recurses once per level, so deeper files are refused before it sees
 * them. The probes nest details three or four levels at most. */
#define MAX_NESTING       64
#define MAX_DETAIL_DEPTH  16

/* Read in pieces so a special file (a pipe, /dev/zero) stops at the limit. */
#define READ_CHUNK (1024 * 1024)

static void G_GNUC_PRINTF (2, 3)
set_report_error (GError     **error,
                  const char  *format,
                  ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PQ_ERROR, PQ_ERROR_REPORT,
               _("This is not a Port Query report: %s"), what);
}

/* Text from the file, made safe and short for an error message. */
static char *
quote_value (const char *text)
{
  g_autofree char *safe = pq_text_sanitize (text);

  if (g_utf8_strlen (safe, -1) > 60)
    {
      g_autofree char *head = g_utf8_substring (safe, 0, 60);
      return g_strdup_printf ("%s…", head);
    }
  return g_steal_pointer (&safe);
}

static char *
field_path (const char *where,
            const char *name)
{
  return *where ? g_strdup_printf ("%s.%s", where, name) : g_strdup (name);
}

/* ------------------------------------------------------------------ */
/* Typed fields                                                        */

static JsonNode *
get_member (JsonObject  *object,
            const char  *where,
            const char  *name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      g_autofree char *path = field_path (where, name);
      set_report_error (error, _("the field “%s” is missing."), path);
    }
  return node;
}

static void
wrong_type (GError     **error,
            const char  *where,
            const char  *name,
            const char  *expected)
{
  g_autofree char *path = field_path (where, name);

  set_report_error (error, _("the field “%s” should be %s."), path, expected);
}

static gboolean
get_string (JsonObject   *object,
            const char   *where,
            const char   *name,
            gboolean      nullable,
            const char  **out,
            GError      **error)
{
  JsonNode *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (error, where, name, nullable ? _("text or null") : _("text"));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *where,
          const char  *name,
          guint        min,
          guint        max,
          guint       *out,
          GError     **error)
{
  JsonNode *node = get_member (object, where, name, error);
  gint64 value;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < min || value > max)
    {
      g_autofree char *expected = g_strdup_printf (_("a whole number from %u to %u"), min, max);
      wrong_type (error, where, name, expected);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *where,
          const char  *name,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      wrong_type (error, where, name, _("true or false"));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_milliseconds (JsonObject  *object,
                  const char  *where,
                  const char  *name,
                  double      *out,
                  GError     **error)
{
  JsonNode *node = get_member (object, where, name, error);
  double value;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64) ||
      !isfinite (value = json_node_get_double (node)) || value < 0 || value > 1e9)
    {
      wrong_type (error, where, name, _("a number of milliseconds"));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_object (JsonObject   *object,
            const char   *where,
            const char   *name,
            JsonObject  **out,
            GError      **error)
{
  JsonNode *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (error, where, name, _("a group of fields in { }"));
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *where,
           const char  *name,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (error, where, name, _("a list in [ ]"));
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

/* The index-th element of @array, which must be an object. */
static JsonObject *
array_object (JsonArray   *array,
              guint        index,
              const char  *path,
              GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_report_error (error, _("the field “%s” should be a group of fields in { }."), path);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_time (JsonObject  *object,
          const char  *name,
          gboolean     nullable,
          GDateTime  **out,
          GError     **error)
{
  const char *text;

  if (!get_string (object, "", name, nullable, &text, error))
    return FALSE;
  *out = NULL;
  if (text == NULL)
    return TRUE;
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    {
      g_autofree char *shown = quote_value (text);
      set_report_error (error, _("the field “%s” (“%s”) is not a date and time such as 2026-01-31T09:30:00Z."),
                        name, shown);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Names the writer uses                                               */

static guint
enum_size (GType type)
{
  GEnumClass *klass = g_type_class_ref (type);
  guint n = klass->n_values;

  g_type_class_unref (klass);
  return n;
}

static gboolean
parse_state (const char   *text,
             PqPortState  *state)
{
  for (guint i = 0; i < enum_size (PQ_TYPE_PORT_STATE); i++)
    if (strcmp (text, pq_port_state_to_string ((PqPortState) i)) == 0)
      {
        *state = (PqPortState) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_reason (const char *text,
              PqReason   *reason)
{
  for (guint i = 0; i < enum_size (PQ_TYPE_REASON); i++)
    if (strcmp (text, pq_reason_to_nick ((PqReason) i)) == 0)
      {
        *reason = (PqReason) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_probe (const char  *text,
             PqProbeKind *probe)
{
  for (guint i = 0; i < enum_size (PQ_TYPE_PROBE_KIND); i++)
    if (strcmp (text, pq_probe_kind_to_nick ((PqProbeKind) i)) == 0)
      {
        *probe = (PqProbeKind) i;
        return TRUE;
      }
  return FALSE;
}

typedef enum
{
  UNKNOWN_PROTOCOL,
  UNKNOWN_STATE,
  UNKNOWN_REASON,
  UNKNOWN_PROBE,
} UnknownKind;

/* One whole sentence per kind of name, so that translations can make the
 * words agree (no "a %s" stitched in). */
static void
unknown_name (GError      **error,
              const char   *path,
              const char   *text,
              UnknownKind   kind)
{
  g_autofree char *shown = quote_value (text);

  switch (kind)
    {
    case UNKNOWN_PROTOCOL:
      set_report_error (error, _("“%s” in the field “%s” is not a protocol Port Query knows (tcp, udp)."),
                        shown, path);
      break;
    case UNKNOWN_STATE:
      set_report_error (error, _("“%s” in the field “%s” is not a port state Port Query knows "
                                 "(LISTENING, NOT LISTENING, FILTERED, LISTENING or FILTERED)."),
                        shown, path);
      break;
    case UNKNOWN_REASON:
      set_report_error (error, _("“%s” in the field “%s” is not a reason Port Query knows."),
                        shown, path);
      break;
    case UNKNOWN_PROBE:
    default:
      set_report_error (error, _("“%s” in the field “%s” is not a protocol query Port Query knows."),
                        shown, path);
      break;
    }
}

/* "192.0.2.1", "2001:db8::1" or "fe80::1%eth0" (an interface this
 * computer may not have: then the scope is left out). */
static GInetAddress *
parse_address (const char  *text,
               guint32     *scope_id)
{
  g_autofree char *copy = g_strdup (text);
  char *percent = strchr (copy, '%');
  guint64 n;

  if (percent != NULL)
    {
      *percent = '\0';
      if (g_ascii_string_to_unsigned (percent + 1, 10, 1, G_MAXUINT32, &n, NULL))
        *scope_id = (guint32) n;
      else if (percent[1] != '\0' && strlen (percent + 1) < IF_NAMESIZE)
        *scope_id = if_nametoindex (percent + 1);
    }
  return g_inet_address_new_from_string (copy);
}

/* ------------------------------------------------------------------ */
/* The parts of a report                                               */

static gboolean
read_details (JsonArray   *array,
              const char  *where,
              guint        depth,
              PqResult    *result,
              PqDetail    *parent,
              GError     **error)
{
  guint n = json_array_get_length (array);

  if (depth > MAX_DETAIL_DEPTH)
    {
      set_report_error (error, _("the findings in “%s” are nested more than %u levels deep."),
                        where, MAX_DETAIL_DEPTH);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", where, i);
      g_autofree char *children_path = g_strdup_printf ("%s.children", path);
      g_autoptr(PqDetail) detail = NULL;
      JsonObject *object;
      JsonArray *children;
      const char *kind, *label, *value;

      if (!(object = array_object (array, i, path, error)) ||
          !get_string (object, path, "kind", TRUE, &kind, error) ||
          !get_string (object, path, "label", TRUE, &label, error) ||
          !get_string (object, path, "value", TRUE, &value, error) ||
          !get_array (object, path, "children", &children, error))
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
read_icmp (JsonObject  *object,
           const char  *where,
           PqResult    *result,
           const char  *reply_from,
           guint        bytes_received,
           GError     **error)
{
  guint type = 0, code = 0;
  gboolean has_type = json_object_has_member (object, "icmp_type");
  gboolean has_code = json_object_has_member (object, "icmp_code");

  if (has_type || has_code)
    {
      if (!get_uint (object, where, "icmp_type", 0, 255, &type, error) ||
          !get_uint (object, where, "icmp_code", 0, 255, &code, error))
        return FALSE;
      pq_result_set_reply (result, reply_from, (int) type, (int) code, bytes_received);
    }
  else
    pq_result_set_reply (result, reply_from, -1, -1, bytes_received);
  return TRUE;
}

static PqResult *
read_result (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(PqResult) result = NULL;
  g_autofree char *details_path = g_strdup_printf ("%s.details", where);
  const char *address, *protocol, *service, *state_text, *reason_text, *evidence;
  const char *local_address, *reply_from, *probe_text;
  guint port, tries, bytes_received;
  double elapsed_ms;
  PqPortState state;
  PqReason reason;
  PqProbeKind probe;
  JsonArray *details;

  if (!get_string (object, where, "address", FALSE, &address, error) ||
      !get_uint (object, where, "port", 0, 65535, &port, error) ||
      !get_string (object, where, "protocol", FALSE, &protocol, error) ||
      !get_string (object, where, "service", TRUE, &service, error) ||
      !get_string (object, where, "state", FALSE, &state_text, error) ||
      !get_string (object, where, "reason", FALSE, &reason_text, error) ||
      !get_string (object, where, "evidence", TRUE, &evidence, error) ||
      !get_uint (object, where, "tries", 0, G_MAXUINT, &tries, error) ||
      !get_milliseconds (object, where, "elapsed_ms", &elapsed_ms, error) ||
      !get_string (object, where, "local_address", TRUE, &local_address, error) ||
      !get_string (object, where, "reply_from", TRUE, &reply_from, error) ||
      !get_uint (object, where, "bytes_received", 0, G_MAXUINT, &bytes_received, error) ||
      !get_string (object, where, "probe", FALSE, &probe_text, error) ||
      !get_array (object, where, "details", &details, error))
    return NULL;

  if (strcmp (protocol, "tcp") != 0 && strcmp (protocol, "udp") != 0)
    {
      g_autofree char *path = field_path (where, "protocol");
      unknown_name (error, path, protocol, UNKNOWN_PROTOCOL);
      return NULL;
    }
  if (!parse_state (state_text, &state))
    {
      g_autofree char *path = field_path (where, "state");
      unknown_name (error, path, state_text, UNKNOWN_STATE);
      return NULL;
    }
  if (!parse_reason (reason_text, &reason))
    {
      g_autofree char *path = field_path (where, "reason");
      unknown_name (error, path, reason_text, UNKNOWN_REASON);
      return NULL;
    }
  if (!parse_probe (probe_text, &probe))
    {
      g_autofree char *path = field_path (where, "probe");
      unknown_name (error, path, probe_text, UNKNOWN_PROBE);
      return NULL;
    }

  result = pq_result_new (address, (guint16) port,
                          strcmp (protocol, "udp") == 0 ? PQ_PROTOCOL_UDP : PQ_PROTOCOL_TCP);
  pq_result_set_state (result, state, reason);
  pq_result_set_service (result, service, probe);
  pq_result_set_evidence (result, evidence);
  pq_result_set_timing (result, tries, elapsed_ms);
  pq_result_set_local_address (result, local_address);
  if (!read_icmp (object, where, result, reply_from, bytes_received, error) ||
      !read_details (details, details_path, 1, result, NULL, error))
    return NULL;
  return g_steal_pointer (&result);
}

static PqTarget *
read_target (JsonObject  *object,
             gboolean    *reverse_lookup,
             GError     **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) host_address = NULL;
  const char *input, *host;
  JsonArray *list;
  guint32 scope_id = 0;

  if (!get_string (object, "target", "input", FALSE, &input, error) ||
      !get_string (object, "target", "host", FALSE, &host, error) ||
      !get_bool (object, "target", "reverse_lookup", reverse_lookup, error) ||
      !get_array (object, "target", "addresses", &list, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      const char *text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;
      GInetAddress *address = text ? parse_address (text, &scope_id) : NULL;

      if (address == NULL)
        {
          g_autofree char *shown = text ? quote_value (text) : NULL;

          if (shown != NULL)
            set_report_error (error, _("“%s” in the field “target.addresses” is not an IP address."), shown);
          else
            set_report_error (error, _("the field “target.addresses” should be a list of IP addresses."));
          return NULL;
        }
      g_ptr_array_add (addresses, address);
    }

  /* A typed address was not looked up; the writers say so. */
  host_address = g_inet_address_new_from_string (host);
  return pq_target_new_loaded (input, host, host_address != NULL, scope_id, addresses);
}

static gboolean
read_queried (JsonObject  *target,
              PqReport    *report,
              GError     **error)
{
  JsonArray *list;

  if (!get_array (target, "target", "queried", &list, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *path = g_strdup_printf ("target.queried[%u]", i);
      JsonObject *object;
      const char *address, *reverse_name;

      if (!(object = array_object (list, i, path, error)) ||
          !get_string (object, path, "address", FALSE, &address, error) ||
          !get_string (object, path, "reverse_name", TRUE, &reverse_name, error))
        return FALSE;
      pq_report_add_queried_text (report, address, reverse_name);
    }
  return TRUE;
}

typedef struct
{
  GArray        *ports;
  PqProtocols    protocols;
  PqScanOptions  options;
  const char    *services_source;
} Settings;

static gboolean
read_settings (JsonObject  *object,
               Settings    *settings,
               GError     **error)
{
  PqScanOptions *o = &settings->options;
  g_autoptr(GError) local_error = NULL;
  const char *ports, *protocol;
  guint source_port;

  pq_scan_options_init (o);
  if (!get_string (object, "settings", "ports", FALSE, &ports, error) ||
      !get_string (object, "settings", "protocol", FALSE, &protocol, error) ||
      !get_uint (object, "settings", "tcp_timeout_ms", 1, PQ_MAX_TIMEOUT_MS, &o->tcp_timeout_ms, error) ||
      !get_uint (object, "settings", "tcp_tries", 1, PQ_MAX_TRIES, &o->tcp_tries, error) ||
      !get_uint (object, "settings", "udp_wait_ms", 1, PQ_MAX_TIMEOUT_MS, &o->udp_wait_ms, error) ||
      !get_uint (object, "settings", "udp_tries", 1, PQ_MAX_TRIES, &o->udp_tries, error) ||
      !get_bool (object, "settings", "slow_link", &o->slow_link, error) ||
      !get_uint (object, "settings", "ports_in_flight", 1, PQ_MAX_WINDOW, &o->window, error) ||
      !get_uint (object, "settings", "source_port", 0, 65535, &source_port, error) ||
      !get_bool (object, "settings", "protocol_probes", &o->probes, error) ||
      !get_string (object, "settings", "services_file", TRUE, &settings->services_source, error))
    return FALSE;
  o->source_port = (guint16) source_port;

  /* Reports written before this field was added used adaptive waits. */
  if (json_object_has_member (object, "adaptive_tcp_wait") &&
      !get_bool (object, "settings", "adaptive_tcp_wait", &o->adaptive, error))
    return FALSE;

  if (!pq_protocols_parse (protocol, &settings->protocols, &local_error))
    {
      set_report_error (error, _("the field “settings.protocol” is wrong: %s"), local_error->message);
      return FALSE;
    }
  settings->ports = pq_ports_parse (ports, &local_error);
  if (settings->ports == NULL)
    {
      set_report_error (error, _("the field “settings.ports” is wrong: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_results (JsonObject  *root,
              PqReport    *report,
              GError     **error)
{
  JsonArray *list;

  if (!get_array (root, "", "results", &list, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *path = g_strdup_printf ("results[%u]", i);
      g_autoptr(PqResult) result = NULL;
      JsonObject *object;

      if (!(object = array_object (list, i, path, error)) ||
          !(result = read_result (object, path, error)))
        return FALSE;
      pq_report_add_result (report, result);
    }
  return TRUE;
}

static gboolean
check_format (JsonObject  *root,
              GError     **error)
{
  const char *format;

  if (!json_object_has_member (root, "format"))
    {
      set_report_error (error, _("it has no “format” field, which every saved report has."));
      return FALSE;
    }
  if (!get_string (root, "", "format", FALSE, &format, error))
    return FALSE;
  if (strcmp (format, REPORT_FORMAT) != 0)
    {
      g_autofree char *shown = quote_value (format);
      set_report_error (error, _("its format is “%s”; this version reads %s."), shown, REPORT_FORMAT);
      return FALSE;
    }
  return TRUE;
}

static PqReport *
read_report (JsonObject  *root,
             GError     **error)
{
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GArray) ports = NULL;
  Settings settings = { 0 };
  JsonObject *target_object, *settings_object;
  gboolean cancelled, reverse_lookup;
  gboolean ok;

  if (!check_format (root, error) ||
      !get_time (root, "started", FALSE, &started, error) ||
      !get_time (root, "finished", TRUE, &finished, error) ||
      !get_bool (root, "", "cancelled", &cancelled, error) ||
      !get_object (root, "", "target", &target_object, error) ||
      !get_object (root, "", "settings", &settings_object, error) ||
      !(target = read_target (target_object, &reverse_lookup, error)))
    return NULL;

  ok = read_settings (settings_object, &settings, error);
  ports = settings.ports;
  if (!ok)
    return NULL;

  report = pq_report_new (target, ports, settings.protocols, &settings.options,
                                 settings.services_source);
  pq_report_set_times (report, started, finished, cancelled);
  pq_report_set_no_reverse (report, !reverse_lookup);
  if (!read_queried (target_object, report, error) ||
      !read_results (root, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* ------------------------------------------------------------------ */
/* Bytes and files                                                     */

static void
set_too_large (GError **error)
{
  set_report_error (error, _("the file is larger than %u MiB; saved reports are much smaller."),
                    PQ_REPORT_MAX_FILE_SIZE / (1024 * 1024));
}

/* json-glib recurses once per [ or {: count them first, outside strings. */
static gboolean
check_nesting (const char  *data,
               gsize        len,
               GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_NESTING)
            {
              set_report_error (error, _("its lists and groups are nested more than %u levels deep."),
                                MAX_NESTING);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * pq_report_load_bytes:
 * @bytes: a report as pq_report_to_json() writes it
 *
 * Returns: (transfer full): the report, or %NULL with @error (%PQ_ERROR_REPORT)
 *   saying what is wrong with the file
 */
PqReport *
pq_report_load_bytes (GBytes  *bytes,
                      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data;
  JsonNode *root;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > PQ_REPORT_MAX_FILE_SIZE)
    {
      set_too_large (error);
      return NULL;
    }
  if (len == 0)
    {
      set_report_error (error, _("the file is empty."));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      set_report_error (error, _("the file is not text (it holds bytes that are not UTF-8)."));
      return NULL;
    }
  if (!check_nesting (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      set_report_error (error, _("the file is not valid JSON (%s). It may be cut short or edited."),
                        local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_report_error (error, _("the file does not hold a group of fields in { }."));
      return NULL;
    }
  return read_report (json_node_get_object (root), error);
}

static GBytes *
read_limited (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GFileInfo) info = NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  /* A large regular file is refused without reading it. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) > PQ_REPORT_MAX_FILE_SIZE)
    {
      set_too_large (error);
      return NULL;
    }

  for (;;)
    {
      guint old = data->len;
      gssize n;

      g_byte_array_set_size (data, old + READ_CHUNK);
      n = g_input_stream_read (G_INPUT_STREAM (stream), data->data + old, READ_CHUNK, NULL, error);
      if (n < 0)
        return NULL;
      g_byte_array_set_size (data, old + (guint) n);
      if (n == 0 || data->len > PQ_REPORT_MAX_FILE_SIZE)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/**
 * pq_report_load_file:
 * @path: a report saved as JSON (by the application, or portqry --export)
 *
 * Returns: (transfer full): the report, or %NULL with @error: a #GIOError
 *   when the file cannot be read, else %PQ_ERROR_REPORT
 */
PqReport *
pq_report_load_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = read_limited (path, error);
  if (bytes == NULL)
    return NULL;
  return pq_report_load_bytes (bytes, error);
}
