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

static PqJson *
get_member (PqJson      *object,
            const char  *where,
            const char  *name,
            GError     **error)
{
  PqJson *node = pq_json_get_member (object, name);

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
pq_load_string (PqJson       *object,
                const char   *where,
                const char   *name,
                gboolean      nullable,
                const char  **out,
                GError      **error)
{
  PqJson *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (nullable && node->type == PQ_JSON_NULL)
    {
      *out = NULL;
      return TRUE;
    }
  if (node->type != PQ_JSON_STRING)
    {
      wrong_type (error, where, name, nullable ? _("text or null") : _("text"));
      return FALSE;
    }
  *out = node->v.s;
  return TRUE;
}

gboolean
pq_load_uint (PqJson      *object,
              const char  *where,
              const char  *name,
              guint        min,
              guint        max,
              guint       *out,
              GError     **error)
{
  PqJson *node = get_member (object, where, name, error);
  gint64 value;

  if (node == NULL)
    return FALSE;
  if (node->type != PQ_JSON_INT || (value = node->v.i) < min || value > max)
    {
      g_autofree char *expected = g_strdup_printf (_("a whole number from %u to %u"), min, max);
      wrong_type (error, where, name, expected);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

gboolean
pq_load_bool (PqJson      *object,
              const char  *where,
              const char  *name,
              gboolean    *out,
              GError     **error)
{
  PqJson *node = get_member (object, where, name, error);

  if (node == NULL)
    return FALSE;
  if (node->type != PQ_JSON_BOOL)
    {
      wrong_type (error, where, name, _("true or false"));
      return FALSE;
    }
  *out = node->v.b;
  return TRUE;
}

gboolean
pq_load_milliseconds (PqJson      *object,
                      const char  *where,
                      const char  *name,
                      double      *out,
                      GError     **error)
{
  PqJson *node = get_member (object, where, name, error);
  double value;

  if (node == NULL)
    return FALSE;
  if ((node->type != PQ_JSON_DOUBLE && node->type != PQ_JSON_INT) ||
      !isfinite (value = node->type == PQ_JSON_INT ? (double) node->v.i : node->v.d) ||
      value < 0 || value > 1e9)
    {
      wrong_type (error, where, name, _("a number of milliseconds"));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* The member @name if it is a @type node (an object or an array). */
static PqJson *
get_container (PqJson      *object,
               const char  *where,
               const char  *name,
               PqJsonType   type,
               GError     **error)
{
  PqJson *node = get_member (object, where, name, error);

  if (node != NULL && node->type != type)
    {
      wrong_type (error, where, name,
                  type == PQ_JSON_OBJECT ? _("a group of fields in { }") : _("a list in [ ]"));
      return NULL;
    }
  return node;
}

gboolean
pq_load_object (PqJson      *object,
                const char  *where,
                const char  *name,
                PqJson     **out,
                GError     **error)
{
  PqJson *node = get_container (object, where, name, PQ_JSON_OBJECT, error);

  *out = node;
  return node != NULL;
}

gboolean
pq_load_array (PqJson      *object,
               const char  *where,
               const char  *name,
               PqJson     **out,
               GError     **error)
{
  PqJson *node = get_container (object, where, name, PQ_JSON_ARRAY, error);

  *out = node;
  return node != NULL;
}

/* An element of a list (at @path), which must be an object. */
PqJson *
pq_load_element_object (PqJson      *element,
                        const char  *path,
                        GError     **error)
{
  if (element->type != PQ_JSON_OBJECT)
    {
      pq_load_error (error, _("the field “%s” should be a group of fields in { }."), path);
      return NULL;
    }
  return element;
}
