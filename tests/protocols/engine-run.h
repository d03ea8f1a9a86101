/* engine-run.h: one scan of a loopback port by the real engine, for the
 * engine tests of tests/protocols (test-tls-engine.c, test-follow-engine.c):
 * the results it calls back with, when it ended, and the descriptors it
 * leaves open.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-scanner.h"

G_BEGIN_DECLS

typedef struct
{
  PqScanner    *scanner;
  GCancellable *cancellable;
  GPtrArray    *results;       /* PqResult, as called back */
  GAsyncResult *async_result;
  gint64        started_us;
  gint64        cancelled_us;
  gint64        done_us;
} EngineRun;

void        engine_run_start        (EngineRun  *run,
                                     const char *service,
                                     guint16     port);
void        engine_run_cancel       (EngineRun  *run);
GError     *engine_run_wait         (EngineRun  *run);
GError     *engine_run_scan         (EngineRun  *run,
                                     const char *service,
                                     guint16     port,
                                     gint       *accepted,
                                     gint        cancel_at);
void        engine_run_clear        (EngineRun  *run);
const char *engine_result_detail    (PqResult   *result,
                                     const char *kind);
guint       engine_settled_fds      (guint       expected);
GSocket    *engine_listener_new     (guint16    *port);
void        engine_assert_no_leak   (void      (*cycle) (void));

G_END_DECLS
