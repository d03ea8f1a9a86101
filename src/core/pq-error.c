/* pq-error.c: the error domain of pq-error.h
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pq-error.h"

G_DEFINE_QUARK (pq-error-quark, pq_error)
