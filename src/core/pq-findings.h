/* pq-findings.h: the shapes a port's findings are shown in (the endpoint
 * mapper's table, the NetBIOS name table, LDAP attributes, names and
 * values) and the one plain sentence about a port's evidence; the window,
 * the reports and portqry -v all take them from here
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pq-detail.h"
#include "pq-result.h"

G_BEGIN_DECLS

typedef enum
{
  PQ_SHAPE_NONE,        /* no findings: the evidence only */
  PQ_SHAPE_GENERIC,     /* names and values, children under their parent */
  PQ_SHAPE_ENDPOINTS,   /* the RPC endpoint mapper's table */
  PQ_SHAPE_NETBIOS,     /* the MAC address and the name table */
  PQ_SHAPE_LDAP,        /* attribute names beside their values */
} PqShape;

typedef enum
{
  PQ_TABLE_ENDPOINTS,
  PQ_TABLE_NETBIOS_NAMES,
} PqTable;

PqShape      pq_findings_shape         (GListModel *details);
char        *pq_findings_explain       (PqResult   *result);

guint        pq_table_n_columns        (PqTable     table);
const char * const *pq_table_kinds     (PqTable     table);
const char  *pq_table_title            (PqTable     table,
                                        guint       column);
GPtrArray   *pq_table_rows             (PqTable     table,
                                        GListModel *details);
char        *pq_table_cell             (PqTable     table,
                                        PqDetail   *row,
                                        guint       column);
char        *pq_table_row_text         (PqTable     table,
                                        PqDetail   *row);
char        *pq_table_total            (PqTable     table,
                                        GPtrArray  *rows);

PqDetail    *pq_findings_find          (GListModel *details,
                                        const char *kind);
GPtrArray   *pq_findings_ldap_order    (GListModel *details);

G_END_DECLS
