/* pq-domain-dialog.h: "Domain Controllers of…": a domain's controllers
 * found in DNS, to query each
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PQ_TYPE_DOMAIN_DIALOG (pq_domain_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PqDomainDialog, pq_domain_dialog, PQ, DOMAIN_DIALOG, AdwWindow)

PqDomainDialog *pq_domain_dialog_new          (GtkWindow      *parent);

/* For tests: the dialog's parts, as the user reaches them. */
GtkEditable    *_pq_domain_dialog_get_entry   (PqDomainDialog *self);
GtkWidget      *_pq_domain_dialog_get_find    (PqDomainDialog *self);
GtkWidget      *_pq_domain_dialog_get_query   (PqDomainDialog *self);
GtkLabel       *_pq_domain_dialog_get_status  (PqDomainDialog *self);
GtkListBox     *_pq_domain_dialog_get_list    (PqDomainDialog *self);
gboolean        _pq_domain_dialog_get_busy    (PqDomainDialog *self);

G_END_DECLS
