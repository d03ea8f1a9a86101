/* pq-error.h: error domain for input the user typed and for scans
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PQ_ERROR (pq_error_quark ())

typedef enum
{
  PQ_ERROR_INVALID_PORTS,
  PQ_ERROR_INVALID_PROTOCOL,
  PQ_ERROR_INVALID_TARGET,
  PQ_ERROR_NOT_FOUND,          /* a name that does not resolve */
  PQ_ERROR_NO_ADDRESS,         /* resolved, but not in the family asked for */
  PQ_ERROR_SOURCE_PORT,        /* -sp port in use or not allowed */
  PQ_ERROR_INVALID_OPTION,
  PQ_ERROR_SERVICES_FILE,
  PQ_ERROR_REPORT,
} PqError;

GQuark pq_error_quark (void);

G_END_DECLS
