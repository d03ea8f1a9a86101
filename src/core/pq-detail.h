/* pq-detail.h: one finding of a protocol probe (a name, an attribute, an endpoint)
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PQ_TYPE_DETAIL (pq_detail_get_type ())
G_DECLARE_FINAL_TYPE (PqDetail, pq_detail, PQ, DETAIL, GObject)

PqDetail    *pq_detail_new           (const char *kind,
                                      const char *label,
                                      const char *value);
const char  *pq_detail_get_kind      (PqDetail   *self);
const char  *pq_detail_get_label     (PqDetail   *self);
const char  *pq_detail_get_value     (PqDetail   *self);
GListModel  *pq_detail_get_children  (PqDetail   *self);
void         pq_detail_append        (PqDetail   *self,
                                      PqDetail   *child);

G_END_DECLS
