/* pq-report-load-json.c: the report reader's JSON parser, a tree of
 * nodes in a few large blocks
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib built a node, a hash table and a name list for each of the
 * million values of a 65,535-port report: 1.0–1.3 s of the 2 s that
 * opening one took, and 220 MB at the peak. This parser takes strict
 * JSON (RFC 8259) only, as the writer prints it, into nodes allocated
 * 65,536 at a time and strings copied into one buffer the size of the
 * file. Whatever it does not take (comments, single quotes, control
 * characters in strings, \u0000, lone surrogates, numbers past 18
 * digits, errors) goes to json-glib, whose tree is then copied: what
 * json-glib accepts, and how it reads it, stays what a report is, and a
 * broken file gets json-glib's message. The fuzz target checks that both
 * read every input the same (tests/fuzz/fuzz-report-json.c).
 *
 * Every read is bounds-checked against the end of the data; nesting is
 * limited by the caller (MAX_NESTING) and again here.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "pq-report-load-private.h"

#define BLOCK_NODES 65536
#define MAX_DEPTH   128

struct _PqJsonDoc
{
  GPtrArray    *blocks;   /* of PqJson[BLOCK_NODES] */
  guint         used;     /* nodes used in the last block */
  char         *strings;  /* every string, NUL-terminated */
  gsize         strings_used;
  gsize         strings_size;
  GStringChunk *copied;   /* strings of json-glib's tree */
  PqJson       *root;
};

typedef struct
{
  PqJsonDoc  *doc;
  const char *p;
  const char *end;
} Parser;

static PqJson *
new_node (PqJsonDoc  *doc,
          PqJsonType  type)
{
  PqJson *node;

  if (doc->blocks->len == 0 || doc->used == BLOCK_NODES)
    {
      g_ptr_array_add (doc->blocks, g_new (PqJson, BLOCK_NODES));
      doc->used = 0;
    }
  node = (PqJson *) g_ptr_array_index (doc->blocks, doc->blocks->len - 1) + doc->used++;
  memset (node, 0, sizeof *node);
  node->type = type;
  return node;
}

static void
skip_space (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

/* Whether the data go on with @word (true, false, null). */
static gboolean
take_word (Parser     *ps,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (ps->end - ps->p) < n || memcmp (ps->p, word, n) != 0)
    return FALSE;
  ps->p += n;
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u"; -1 when they are not. */
static gint32
take_hex4 (Parser *ps)
{
  gint32 value = 0;

  if (ps->end - ps->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (ps->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  ps->p += 4;
  return value;
}

/* After "\u": a character, a surrogate pair, or 0 (refused: \u0000,
 * a lone surrogate, not hex). */
static gunichar
take_unicode (Parser *ps)
{
  gint32 high = take_hex4 (ps), low;

  if (high <= 0 || (high >= 0xDC00 && high <= 0xDFFF))
    return 0;
  if (high < 0xD800 || high > 0xDBFF)
    return (gunichar) high;
  if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
    return 0;
  ps->p += 2;
  low = take_hex4 (ps);
  if (low < 0xDC00 || low > 0xDFFF)
    return 0;
  return 0x10000 + (((gunichar) high - 0xD800) << 10) + ((gunichar) low - 0xDC00);
}

static gboolean
take_escape (Parser  *ps,
             char   **out)
{
  static const char plain[] = "\"\\/bfnrt";
  static const char meant[] = "\"\\/\b\f\n\r\t";
  const char *which;
  gunichar c;

  if (ps->p >= ps->end)
    return FALSE;
  if (*ps->p != 'u')
    {
      if (*ps->p == '\0' || (which = strchr (plain, *ps->p)) == NULL)
        return FALSE;
      *(*out)++ = meant[which - plain];
      ps->p++;
      return TRUE;
    }
  ps->p++;
  if ((c = take_unicode (ps)) == 0)
    return FALSE;
  *out += g_unichar_to_utf8 (c, *out);
  return TRUE;
}

/* A string at ps->p (its opening quote), copied without its escapes into
 * the doc's buffer: the copy is never longer than the quoted text. */
static const char *
take_string (Parser *ps)
{
  PqJsonDoc *doc = ps->doc;
  char *start = doc->strings + doc->strings_used;
  char *out = start;

  ps->p++;
  while (ps->p < ps->end && *ps->p != '"')
    {
      guchar c = (guchar) *ps->p;

      if (c < 0x20)
        return NULL;
      if (c == '\\')
        {
          ps->p++;
          if (!take_escape (ps, &out))
            return NULL;
          continue;
        }
      *out++ = (char) c;
      ps->p++;
    }
  if (ps->p >= ps->end)
    return NULL;
  ps->p++;
  *out++ = '\0';
  g_assert ((gsize) (out - doc->strings) <= doc->strings_size);
  doc->strings_used = out - doc->strings;
  return start;
}

static gboolean
is_digit (Parser *ps)
{
  return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

static void
skip_digits (Parser *ps)
{
  while (is_digit (ps))
    ps->p++;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?: whole numbers of up to
 * 18 digits as integers, the rest as finite doubles. */
static PqJson *
take_number (Parser *ps)
{
  const char *start = ps->p;
  char text[64];
  gboolean whole = TRUE;
  PqJson *node;

  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (!is_digit (ps) || (*ps->p == '0' && ps->p + 1 < ps->end && ps->p[1] >= '0' && ps->p[1] <= '9'))
    return NULL;
  skip_digits (ps);
  if (ps->p < ps->end && *ps->p == '.')
    {
      ps->p++;
      whole = FALSE;
      if (!is_digit (ps))
        return NULL;
      skip_digits (ps);
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      ps->p++;
      whole = FALSE;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (!is_digit (ps))
        return NULL;
      skip_digits (ps);
    }
  if (ps->p - start >= (gssize) sizeof text || (whole && ps->p - start > 18))
    return NULL;
  memcpy (text, start, ps->p - start);
  text[ps->p - start] = '\0';

  node = new_node (ps->doc, whole ? PQ_JSON_INT : PQ_JSON_DOUBLE);
  if (whole)
    node->v.i = g_ascii_strtoll (text, NULL, 10);
  else if (!isfinite (node->v.d = g_ascii_strtod (text, NULL)))
    return NULL;
  return node;
}

static PqJson *take_value (Parser *ps,
                           guint   depth);

/* The members or elements of an object or array, after its bracket. */
static gboolean
take_children (Parser *ps,
               PqJson *parent,
               char    close,
               guint   depth)
{
  PqJson **link = &parent->first;

  skip_space (ps);
  if (ps->p < ps->end && *ps->p == close)
    {
      ps->p++;
      return TRUE;
    }
  for (;;)
    {
      const char *key = NULL;
      PqJson *child;

      skip_space (ps);
      if (close == '}')
        {
          if (ps->p >= ps->end || *ps->p != '"' || (key = take_string (ps)) == NULL)
            return FALSE;
          skip_space (ps);
          if (ps->p >= ps->end || *ps->p++ != ':')
            return FALSE;
        }
      if ((child = take_value (ps, depth + 1)) == NULL)
        return FALSE;
      child->key = key;
      *link = child;
      link = &child->next;
      parent->n++;
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == ',')
        ps->p++;
      else if (ps->p < ps->end && *ps->p == close)
        {
          ps->p++;
          return TRUE;
        }
      else
        return FALSE;
    }
}

static PqJson *
take_value (Parser *ps,
            guint   depth)
{
  PqJson *node = NULL;
  gboolean is_true;
  const char *s;

  skip_space (ps);
  if (ps->p >= ps->end || depth > MAX_DEPTH)
    return NULL;
  switch (*ps->p)
    {
    case '{':
    case '[':
      node = new_node (ps->doc, *ps->p == '{' ? PQ_JSON_OBJECT : PQ_JSON_ARRAY);
      ps->p++;
      return take_children (ps, node, node->type == PQ_JSON_OBJECT ? '}' : ']', depth) ? node : NULL;
    case '"':
      if ((s = take_string (ps)) == NULL)
        return NULL;
      node = new_node (ps->doc, PQ_JSON_STRING);
      node->v.s = s;
      return node;
    case 't':
    case 'f':
      is_true = *ps->p == 't';
      if (!take_word (ps, is_true ? "true" : "false"))
        return NULL;
      node = new_node (ps->doc, PQ_JSON_BOOL);
      node->v.b = is_true;
      return node;
    case 'n':
      return take_word (ps, "null") ? new_node (ps->doc, PQ_JSON_NULL) : NULL;
    default:
      return take_number (ps);
    }
}

/* ------------------------------------------------------------------ */
/* json-glib's tree, for what the strict parser does not take          */

static PqJson *
copy_node (PqJsonDoc *doc,
           JsonNode  *from)
{
  PqJson *node;
  PqJson **link;

  if (JSON_NODE_HOLDS_OBJECT (from))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      node = new_node (doc, PQ_JSON_OBJECT);
      link = &node->first;
      json_object_iter_init (&iter, json_node_get_object (from));
      while (json_object_iter_next (&iter, &name, &member))
        {
          *link = copy_node (doc, member);
          (*link)->key = g_string_chunk_insert (doc->copied, name);
          link = &(*link)->next;
          node->n++;
        }
      return node;
    }
  if (JSON_NODE_HOLDS_ARRAY (from))
    {
      JsonArray *array = json_node_get_array (from);

      node = new_node (doc, PQ_JSON_ARRAY);
      link = &node->first;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          *link = copy_node (doc, json_array_get_element (array, i));
          link = &(*link)->next;
          node->n++;
        }
      return node;
    }
  if (JSON_NODE_HOLDS_NULL (from))
    return new_node (doc, PQ_JSON_NULL);
  switch (json_node_get_value_type (from))
    {
    case G_TYPE_STRING:
      node = new_node (doc, PQ_JSON_STRING);
      node->v.s = g_string_chunk_insert (doc->copied, json_node_get_string (from));
      return node;
    case G_TYPE_INT64:
      node = new_node (doc, PQ_JSON_INT);
      node->v.i = json_node_get_int (from);
      return node;
    case G_TYPE_BOOLEAN:
      node = new_node (doc, PQ_JSON_BOOL);
      node->v.b = json_node_get_boolean (from);
      return node;
    default:
      node = new_node (doc, PQ_JSON_DOUBLE);
      node->v.d = json_node_get_double (from);
      return node;
    }
}

static gboolean
parse_with_json_glib (PqJsonDoc   *doc,
                      const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return FALSE;
  root = json_parser_get_root (parser);
  /* Only whitespace: json-glib has no root; nor is it a report. */
  if (root == NULL)
    return TRUE;
  doc->copied = g_string_chunk_new (4096);
  doc->root = copy_node (doc, root);
  return TRUE;
}

/* ------------------------------------------------------------------ */

static void
reset (PqJsonDoc *doc)
{
  g_ptr_array_set_size (doc->blocks, 0);
  doc->used = 0;
  doc->strings_used = 0;
  doc->root = NULL;
}

/**
 * pq_json_parse:
 * @data: (array length=len): UTF-8 text
 * @strict_only: do not fall back to json-glib (the fuzz target compares)
 *
 * Returns: (transfer full): the document, whose root may be %NULL (only
 *   whitespace), or %NULL with @error (json-glib's) when it is not JSON
 */
PqJsonDoc *
pq_json_parse (const char  *data,
               gsize        len,
               gboolean     strict_only,
               GError     **error)
{
  g_autoptr(PqJsonDoc) doc = g_new0 (PqJsonDoc, 1);
  Parser ps = { doc, data, data + len };

  doc->blocks = g_ptr_array_new_with_free_func (g_free);
  doc->strings_size = len + 1;
  doc->strings = g_malloc (doc->strings_size);
  doc->root = take_value (&ps, 0);
  skip_space (&ps);
  if (doc->root != NULL && ps.p == ps.end)
    return g_steal_pointer (&doc);

  reset (doc);
  g_clear_pointer (&doc->strings, g_free);
  if (strict_only)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not strict JSON");
      return NULL;
    }
  if (!parse_with_json_glib (doc, data, len, error))
    return NULL;
  return g_steal_pointer (&doc);
}

void
pq_json_doc_free (PqJsonDoc *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->blocks);
  g_free (doc->strings);
  if (doc->copied != NULL)
    g_string_chunk_free (doc->copied);
  g_free (doc);
}

/* Returns: (transfer none) (nullable): the top value */
PqJson *
pq_json_doc_get_root (PqJsonDoc *doc)
{
  return doc->root;
}

/* Returns: (transfer none) (nullable): the member @name of @object; of
 * two of the same name the last, as json-glib reads them. */
PqJson *
pq_json_get_member (PqJson     *object,
                    const char *name)
{
  PqJson *found = NULL;

  g_return_val_if_fail (object != NULL && object->type == PQ_JSON_OBJECT, NULL);

  for (PqJson *member = object->first; member != NULL; member = member->next)
    if (strcmp (member->key, name) == 0)
      found = member;
  return found;
}
