/* pq-report-load-fields.c: the report reader's typed fields, and its
 * error messages, which say which field is wrong and how
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A field has exactly the type the writer gives it (pq-report-json.c):
 * nothing is converted or guessed, so an edited or foreign file is refused
 * with a message rather than read as something it does not say.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>

#include "pq-error.h"
#include "pq-report-load-private.h"
#include "pq-report-text.h"

void
pq_load_error (GError     **error,
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
char *
pq_load_quote (const char *text)
{
  g_autofree char *safe = pq_text_sanitize (text);

  if (g_utf8_strlen (safe, -1) > 60)
    {
      g_autofree char *head = g_utf8_substring (safe, 0, 60);
      return g_strdup_printf ("%s…", head);
    }
  return g_steal_pointer (&safe);
}

char *
pq_load_path (const char *where,
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
      g_autofree char *path = pq_load_path (where, name);
      pq_load_error (error, _("the field “%s” is missing."), path);
    }
  return node;
}

static void
wrong_type (GError     **error,
            const char  *where,
            const char  *name,
            const char  *expected)
{
  g_autofree char *path = pq_load_path (where, name);

  pq_load_error (error, _("the field “%s” should be %s."), path, expected);
}

gboolean
pq_load_string (JsonObject   *object,
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

gboolean
pq_load_uint (JsonObject  *object,
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

gboolean
pq_load_bool (JsonObject  *object,
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

gboolean
pq_load_milliseconds (JsonObject  *object,
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

/* The member @name if it is a @type node (an object or an array). */
static JsonNode *
get_container (JsonObject    *object,
               const char    *where,
               const char    *name,
               JsonNodeType   type,
               GError       **error)
{
  JsonNode *node = get_member (object, where, name, error);

  if (node != NULL && JSON_NODE_TYPE (node) != type)
    {
      wrong_type (error, where, name,
                  type == JSON_NODE_OBJECT ? _("a group of fields in { }") : _("a list in [ ]"));
      return NULL;
    }
  return node;
}

gboolean
pq_load_object (JsonObject   *object,
                const char   *where,
                const char   *name,
                JsonObject  **out,
                GError      **error)
{
  JsonNode *node = get_container (object, where, name, JSON_NODE_OBJECT, error);

  *out = node ? json_node_get_object (node) : NULL;
  return node != NULL;
}

gboolean
pq_load_array (JsonObject  *object,
               const char  *where,
               const char  *name,
               JsonArray  **out,
               GError     **error)
{
  JsonNode *node = get_container (object, where, name, JSON_NODE_ARRAY, error);

  *out = node ? json_node_get_array (node) : NULL;
  return node != NULL;
}

/* The index-th element of @array, which must be an object. */
JsonObject *
pq_load_array_object (JsonArray   *array,
                      guint        index,
                      const char  *path,
                      GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pq_load_error (error, _("the field “%s” should be a group of fields in { }."), path);
      return NULL;
    }
  return json_node_get_object (node);
}
