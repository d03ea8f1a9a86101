/* pq-report-load-private.h: the report reader's parts, shared by its files
 * (pq-report-load.c: the document, target and settings; -results.c: the
 * results and their findings; -fields.c: typed fields and error messages)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pq-report.h"
#include "pq-report-json-private.h"

G_BEGIN_DECLS

/* Every getter names the field by @where (the path of @object, "" at the
 * top) and @name; on failure it sets @error (%PQ_ERROR_REPORT) saying
 * which field is wrong and how, and returns %FALSE or %NULL. */

void        pq_load_error            (GError      **error,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (2, 3);
char       *pq_load_quote            (const char   *text);
char       *pq_load_path             (const char   *where,
                                      const char   *name);

gboolean    pq_load_string           (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      gboolean      nullable,
                                      const char  **out,
                                      GError      **error);
gboolean    pq_load_uint             (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      guint         min,
                                      guint         max,
                                      guint        *out,
                                      GError      **error);
gboolean    pq_load_bool             (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      gboolean     *out,
                                      GError      **error);
gboolean    pq_load_milliseconds     (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      double       *out,
                                      GError      **error);
gboolean    pq_load_object           (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      JsonObject  **out,
                                      GError      **error);
gboolean    pq_load_array            (JsonObject   *object,
                                      const char   *where,
                                      const char   *name,
                                      JsonArray   **out,
                                      GError      **error);
JsonObject *pq_load_array_object     (JsonArray    *array,
                                      guint         index,
                                      const char   *path,
                                      GError      **error);

gboolean    pq_load_results          (JsonObject   *root,
                                      PqReport     *report,
                                      GError      **error);

G_END_DECLS
