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
 *
 * This file reads the document, its target and settings, from bytes or a
 * file; pq-report-load-results.c the results, pq-report-load-fields.c each
 * typed field, pq-report-load-json.c parses the JSON. The field names
 * are pq-report-json-private.h's.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <net/if.h>
#include <string.h>

#include "pq-error.h"
#include "pq-ports.h"
#include "pq-report-load.h"
#include "pq-report-load-private.h"

/* The writer nests results, details and their children; the parser
 * (and json-glib, for what it leaves) recurses once per level, so deeper
 * files are refused before either sees them. */
#define MAX_NESTING       64

/* Read in pieces so a special file (a pipe, /dev/zero) stops at the limit. */
#define READ_CHUNK (1024 * 1024)

/* ------------------------------------------------------------------ */
/* The parts of a report                                               */

static gboolean
get_time (PqJson      *object,
          const char  *name,
          gboolean     nullable,
          GDateTime  **out,
          GError     **error)
{
  const char *text;

  if (!pq_load_string (object, "", name, nullable, &text, error))
    return FALSE;
  *out = NULL;
  if (text == NULL)
    return TRUE;
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    {
      g_autofree char *shown = pq_load_quote (text);
      pq_load_error (error, _("the field “%s” (“%s”) is not a date and time such as 2026-01-31T09:30:00Z."),
                     name, shown);
      return FALSE;
    }
  return TRUE;
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

static PqTarget *
read_target (PqJson      *object,
             const char  *where,
             gboolean    *reverse_lookup,
             GError     **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) host_address = NULL;
  const char *input, *host;
  PqJson *list;
  guint32 scope_id = 0;

  if (!pq_load_string (object, where, PQ_JSON_INPUT, FALSE, &input, error) ||
      !pq_load_string (object, where, PQ_JSON_HOST, FALSE, &host, error) ||
      !pq_load_bool (object, where, PQ_JSON_REVERSE_LOOKUP, reverse_lookup, error) ||
      !pq_load_array (object, where, PQ_JSON_ADDRESSES, &list, error))
    return NULL;

  for (PqJson *node = list->first; node != NULL; node = node->next)
    {
      const char *text = node->type == PQ_JSON_STRING ? node->v.s : NULL;
      GInetAddress *address = text ? parse_address (text, &scope_id) : NULL;

      if (address == NULL)
        {
          g_autofree char *path = pq_load_path (where, PQ_JSON_ADDRESSES);
          g_autofree char *shown = text ? pq_load_quote (text) : NULL;

          if (shown != NULL)
            pq_load_error (error, _("“%s” in the field “%s” is not an IP address."), shown, path);
          else
            pq_load_error (error, _("the field “%s” should be a list of IP addresses."), path);
          return NULL;
        }
      g_ptr_array_add (addresses, address);
    }

  /* A typed address was not looked up; the writers say so. */
  host_address = g_inet_address_new_from_string (host);
  return pq_target_new_loaded (input, host, host_address != NULL, scope_id, addresses);
}

static gboolean
read_queried (PqJson      *target,
              const char  *where,
              PqReport    *report,
              GError     **error)
{
  PqJson *list;
  guint i = 0;

  if (!pq_load_array (target, where, PQ_JSON_QUERIED, &list, error))
    return FALSE;

  for (PqJson *element = list->first; element != NULL; element = element->next, i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s[%u]", where, PQ_JSON_QUERIED, i);
      PqJson *object;
      const char *address, *reverse_name;

      if (!(object = pq_load_element_object (element, path, error)) ||
          !pq_load_string (object, path, PQ_JSON_ADDRESS, FALSE, &address, error) ||
          !pq_load_string (object, path, PQ_JSON_REVERSE_NAME, TRUE, &reverse_name, error))
        return FALSE;
      pq_report_add_queried_text (report, address, reverse_name);
    }
  return TRUE;
}

/* A query of several hosts: the hosts after the first ("targets"[0] is
 * "target" again), each with its addresses and why it was not queried. */
static gboolean
read_more_targets (PqJson      *root,
                   PqReport    *report,
                   GError     **error)
{
  PqJson *list;
  guint i = 0;

  if (pq_json_get_member (root, PQ_JSON_TARGETS) == NULL)
    return TRUE;
  if (!pq_load_array (root, "", PQ_JSON_TARGETS, &list, error))
    return FALSE;
  for (PqJson *element = list->first; element != NULL; element = element->next, i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", PQ_JSON_TARGETS, i);
      g_autoptr(PqTarget) target = NULL;
      PqJson *object;
      const char *failed;
      gboolean reverse_lookup;
      guint t = 0;

      if (!(object = pq_load_element_object (element, path, error)) ||
          !(target = read_target (object, path, &reverse_lookup, error)) ||
          !pq_load_string (object, path, PQ_JSON_ERROR, TRUE, &failed, error))
        return FALSE;
      if (i > 0)
        t = pq_report_add_target (report, target);
      pq_report_set_target_error (report, t, failed);
      pq_report_select_target (report, t);
      if (i > 0 && !read_queried (object, path, report, error))
        return FALSE;
    }
  return TRUE;
}

/* A setting of the right type that its own parser refuses. */
static gboolean
wrong_setting (GError     **error,
               const char  *name,
               GError      *why)
{
  g_autofree char *path = pq_load_path (PQ_JSON_SETTINGS, name);

  pq_load_error (error, _("the field “%s” is wrong: %s"), path, why->message);
  return FALSE;
}

typedef struct
{
  GArray        *ports;
  PqProtocols    protocols;
  PqScanOptions  options;
  const char    *services_source;
} Settings;

static gboolean
read_settings (PqJson      *object,
               Settings    *settings,
               GError     **error)
{
  const char *where = PQ_JSON_SETTINGS;
  PqScanOptions *o = &settings->options;
  g_autoptr(GError) local_error = NULL;
  const char *ports, *protocol;
  guint source_port;

  pq_scan_options_init (o);
  if (!pq_load_string (object, where, PQ_JSON_PORTS, FALSE, &ports, error) ||
      !pq_load_string (object, where, PQ_JSON_PROTOCOL, FALSE, &protocol, error) ||
      !pq_load_uint (object, where, PQ_JSON_TCP_TIMEOUT_MS, 1, PQ_MAX_TIMEOUT_MS, &o->tcp_timeout_ms, error) ||
      !pq_load_uint (object, where, PQ_JSON_TCP_TRIES, 1, PQ_MAX_TRIES, &o->tcp_tries, error) ||
      !pq_load_uint (object, where, PQ_JSON_UDP_WAIT_MS, 1, PQ_MAX_TIMEOUT_MS, &o->udp_wait_ms, error) ||
      !pq_load_uint (object, where, PQ_JSON_UDP_TRIES, 1, PQ_MAX_TRIES, &o->udp_tries, error) ||
      !pq_load_bool (object, where, PQ_JSON_SLOW_LINK, &o->slow_link, error) ||
      !pq_load_uint (object, where, PQ_JSON_PORTS_IN_FLIGHT, 1, PQ_MAX_WINDOW, &o->window, error) ||
      !pq_load_uint (object, where, PQ_JSON_SOURCE_PORT, 0, 65535, &source_port, error) ||
      !pq_load_bool (object, where, PQ_JSON_PROTOCOL_PROBES, &o->probes, error) ||
      !pq_load_string (object, where, PQ_JSON_SERVICES_FILE, TRUE, &settings->services_source, error))
    return FALSE;
  o->source_port = (guint16) source_port;

  /* Reports written before this field was added used adaptive waits. */
  if (pq_json_get_member (object, PQ_JSON_ADAPTIVE_TCP_WAIT) != NULL &&
      !pq_load_bool (object, where, PQ_JSON_ADAPTIVE_TCP_WAIT, &o->adaptive, error))
    return FALSE;

  if (!pq_protocols_parse (protocol, &settings->protocols, &local_error))
    return wrong_setting (error, PQ_JSON_PROTOCOL, local_error);
  settings->ports = pq_ports_parse (ports, &local_error);
  if (settings->ports == NULL)
    return wrong_setting (error, PQ_JSON_PORTS, local_error);
  return TRUE;
}

static gboolean
check_format (PqJson      *root,
              GError     **error)
{
  const char *format;

  if (pq_json_get_member (root, PQ_JSON_FORMAT) == NULL)
    {
      pq_load_error (error, _("it has no “%s” field, which every saved report has."), PQ_JSON_FORMAT);
      return FALSE;
    }
  if (!pq_load_string (root, "", PQ_JSON_FORMAT, FALSE, &format, error))
    return FALSE;
  if (strcmp (format, PQ_JSON_FORMAT_ID) != 0)
    {
      g_autofree char *shown = pq_load_quote (format);
      pq_load_error (error, _("its format is “%s”; this version reads %s."), shown, PQ_JSON_FORMAT_ID);
      return FALSE;
    }
  return TRUE;
}

static PqReport *
read_report (PqJson      *root,
             GError     **error)
{
  g_autoptr(PqReport) report = NULL;
  g_autoptr(PqTarget) target = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GArray) ports = NULL;
  Settings settings = { 0 };
  PqJson *target_object, *settings_object;
  gboolean cancelled, reverse_lookup;
  gboolean ok;

  if (!check_format (root, error) ||
      !get_time (root, PQ_JSON_STARTED, FALSE, &started, error) ||
      !get_time (root, PQ_JSON_FINISHED, TRUE, &finished, error) ||
      !pq_load_bool (root, "", PQ_JSON_CANCELLED, &cancelled, error) ||
      !pq_load_object (root, "", PQ_JSON_TARGET, &target_object, error) ||
      !pq_load_object (root, "", PQ_JSON_SETTINGS, &settings_object, error) ||
      !(target = read_target (target_object, PQ_JSON_TARGET, &reverse_lookup, error)))
    return NULL;

  ok = read_settings (settings_object, &settings, error);
  ports = settings.ports;
  if (!ok)
    return NULL;

  report = pq_report_new (target, ports, settings.protocols, &settings.options,
                                 settings.services_source);
  pq_report_set_times (report, started, finished, cancelled);
  pq_report_set_no_reverse (report, !reverse_lookup);
  if (!read_queried (target_object, PQ_JSON_TARGET, report, error) ||
      !read_more_targets (root, report, error) ||
      !pq_load_results (root, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* ------------------------------------------------------------------ */
/* Bytes and files                                                     */

static void
set_too_large (GError **error)
{
  pq_load_error (error, _("the file is larger than %u MiB; saved reports are much smaller."),
                 PQ_REPORT_MAX_FILE_SIZE / (1024 * 1024));
}

/* The parsers recurse once per [ or {: count them first, outside strings. */
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
              pq_load_error (error, _("its lists and groups are nested more than %u levels deep."),
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
  g_autoptr(PqJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data;
  PqJson *root;

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
      pq_load_error (error, _("the file is empty."));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      pq_load_error (error, _("the file is not text (it holds bytes that are not UTF-8)."));
      return NULL;
    }
  if (!check_nesting (data, len, error))
    return NULL;

  doc = pq_json_parse (data, len, FALSE, &local_error);
  if (doc == NULL)
    {
      pq_load_error (error, _("the file is not valid JSON (%s). It may be cut short or edited."),
                     local_error->message);
      return NULL;
    }

  root = pq_json_doc_get_root (doc);
  if (root == NULL || root->type != PQ_JSON_OBJECT)
    {
      pq_load_error (error, _("the file does not hold a group of fields in { }."));
      return NULL;
    }
  return read_report (root, error);
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
