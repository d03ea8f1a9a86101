/* pq-report-load-private.h: the report reader's parts, shared by its files
 * (pq-report-load.c: the document, target and settings; -results.c: the
 * results and their findings; -fields.c: typed fields and error messages;
 * -json.c: the JSON parser)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pq-report.h"
#include "pq-report-json-private.h"

G_BEGIN_DECLS

/* The parsed document (pq-report-load-json.c): values are nodes; an
 * object's members and an array's elements are its children, in order,
 * from @first along @next; a member has its @key. */
typedef enum
{
  PQ_JSON_NULL,
  PQ_JSON_BOOL,
  PQ_JSON_INT,
  PQ_JSON_DOUBLE,
  PQ_JSON_STRING,
  PQ_JSON_ARRAY,
  PQ_JSON_OBJECT,
} PqJsonType;

typedef struct _PqJson PqJson;
typedef struct _PqJsonDoc PqJsonDoc;

struct _PqJson
{
  PqJson     *next;
  PqJson     *first;
  const char *key;
  PqJsonType  type;
  guint       n;      /* members or elements */
  union
  {
    gint64      i;
    double      d;
    gboolean    b;
    const char *s;
  } v;
};

PqJsonDoc  *pq_json_parse            (const char   *data,
                                      gsize         len,
                                      gboolean      strict_only,
                                      GError      **error);
void        pq_json_doc_free         (PqJsonDoc    *doc);
PqJson     *pq_json_doc_get_root     (PqJsonDoc    *doc);
PqJson     *pq_json_get_member       (PqJson       *object,
                                      const char   *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqJsonDoc, pq_json_doc_free)

/* Every getter names the field by @where (the path of @object, "" at the
 * top) and @name; on failure it sets @error (%PQ_ERROR_REPORT) saying
 * which field is wrong and how, and returns %FALSE or %NULL. */

void        pq_load_error            (GError      **error,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (2, 3);
char       *pq_load_quote            (const char   *text);
char       *pq_load_path             (const char   *where,
                                      const char   *name);

gboolean    pq_load_string           (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      gboolean      nullable,
                                      const char  **out,
                                      GError      **error);
gboolean    pq_load_uint             (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      guint         min,
                                      guint         max,
                                      guint        *out,
                                      GError      **error);
gboolean    pq_load_bool             (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      gboolean     *out,
                                      GError      **error);
gboolean    pq_load_milliseconds     (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      double       *out,
                                      GError      **error);
gboolean    pq_load_object           (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      PqJson      **out,
                                      GError      **error);
gboolean    pq_load_array            (PqJson       *object,
                                      const char   *where,
                                      const char   *name,
                                      PqJson      **out,
                                      GError      **error);
PqJson     *pq_load_element_object   (PqJson       *element,
                                      const char   *path,
                                      GError      **error);

gboolean    pq_load_results          (PqJson       *root,
                                      PqReport     *report,
                                      GError      **error);

G_END_DECLS
