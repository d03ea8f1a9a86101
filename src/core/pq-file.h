/* pq-file.h: the one way Port Query writes a file the user named
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  pq_file_write        (const char    *path,
                                const char    *data,
                                gsize          length,
                                GError       **error);
gboolean  pq_file_write_bytes  (const char    *path,
                                GBytes        *bytes,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean  pq_file_write_gfile  (GFile         *file,
                                GBytes        *bytes,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
