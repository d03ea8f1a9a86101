/* fuzz-report-json.c: libFuzzer entry for the report reader's JSON parser
 *
 * Any bytes that are UTF-8 go to the strict parser (pq-report-load-json.c)
 * and to json-glib: what the strict parser takes, json-glib must take too
 * and read to the same values (same types, numbers, strings, members and
 * elements in order), or the reader would read a report otherwise than it
 * did with json-glib alone. The parser never reads past the data (ASan).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pq-report-load-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
same_scalar (PqJson   *ours,
             JsonNode *theirs)
{
  double d;

  if (JSON_NODE_HOLDS_NULL (theirs))
    return ours->type == PQ_JSON_NULL;
  switch (json_node_get_value_type (theirs))
    {
    case G_TYPE_STRING:
      return ours->type == PQ_JSON_STRING && strcmp (ours->v.s, json_node_get_string (theirs)) == 0;
    case G_TYPE_INT64:
      return ours->type == PQ_JSON_INT && ours->v.i == json_node_get_int (theirs);
    case G_TYPE_BOOLEAN:
      return ours->type == PQ_JSON_BOOL && ours->v.b == json_node_get_boolean (theirs);
    case G_TYPE_DOUBLE:
      /* Bit for bit: -0.0 is not 0.0, and the writer prints what it read. */
      d = json_node_get_double (theirs);
      return ours->type == PQ_JSON_DOUBLE && memcmp (&ours->v.d, &d, sizeof d) == 0;
    default:
      return FALSE;
    }
}

static gboolean
same (PqJson   *ours,
      JsonNode *theirs)
{
  if (JSON_NODE_HOLDS_ARRAY (theirs))
    {
      JsonArray *array = json_node_get_array (theirs);
      PqJson *element = ours->first;

      if (ours->type != PQ_JSON_ARRAY || ours->n != json_array_get_length (array))
        return FALSE;
      for (guint i = 0; i < ours->n; i++, element = element->next)
        if (!same (element, json_array_get_element (array, i)))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (theirs))
    {
      JsonObject *object = json_node_get_object (theirs);
      JsonObjectIter iter;
      const char *name;

      if (ours->type != PQ_JSON_OBJECT)
        return FALSE;
      /* Every member json-glib has (the last of a name), and no other. */
      for (PqJson *member = ours->first; member != NULL; member = member->next)
        {
          JsonNode *node = json_object_get_member (object, member->key);

          if (node == NULL || !same (pq_json_get_member (ours, member->key), node))
            return FALSE;
        }
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, NULL))
        if (pq_json_get_member (ours, name) == NULL)
          return FALSE;
      return TRUE;
    }
  return same_scalar (ours, theirs);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PqJsonDoc) doc = NULL;
  g_autoptr(JsonParser) parser = NULL;

  /* The reader validates UTF-8 before it parses. */
  if (!g_utf8_validate_len ((const char *) data, size, NULL))
    return 0;
  doc = pq_json_parse ((const char *) data, size, TRUE, NULL);
  if (doc == NULL)
    return 0;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !same (pq_json_doc_get_root (doc), json_parser_get_root (parser)))
    abort ();
  return 0;
}
