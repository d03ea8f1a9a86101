/* pq-application.h: the application object, its actions and accelerators
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PQ_TYPE_APPLICATION (pq_application_get_type ())
G_DECLARE_FINAL_TYPE (PqApplication, pq_application, PQ, APPLICATION, AdwApplication)

PqApplication *pq_application_new (const char        *application_id,
                                   GApplicationFlags  flags);
void           pq_application_setup_memory (char **argv);

G_END_DECLS
