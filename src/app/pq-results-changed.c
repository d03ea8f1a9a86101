/* pq-results-changed.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Repeat (pq-window-repeat.c) marks a result whose state differs from
 * the run before; the results table's status cell then shows a badge
 * between the state's icon and its words, with the change as its
 * tooltip. The mark belongs to the window's result object only: no
 * report or file carries it (the evidence says the same in words).
 */
#include "config.h"

#include "pq-results-changed.h"

#define CHANGED_KEY "pq-changed"
#define BADGE_KEY   "pq-changed-badge"

/* @why: the sentence of the change, the badge's tooltip */
void
pq_results_mark_changed (PqResult   *result,
                         const char *why)
{
  g_object_set_data_full (G_OBJECT (result), CHANGED_KEY, g_strdup (why), g_free);
}

/* Called as the status cell @status_box (state icon, then words) is
 * bound to @item: the badge is made once per cell, then shown or not. */
void
pq_results_show_changed (GtkWidget *status_box,
                         GObject   *item)
{
  GtkWidget *badge = g_object_get_data (G_OBJECT (status_box), BADGE_KEY);
  const char *why = item != NULL ? g_object_get_data (item, CHANGED_KEY) : NULL;

  if (badge == NULL && why == NULL)
    return;
  if (badge == NULL)
    {
      /* The evidence says it in words: screen readers skip the badge. */
      badge = g_object_new (GTK_TYPE_IMAGE, "icon-name", "emblem-synchronizing-symbolic",
                            "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
      gtk_widget_add_css_class (badge, "accent");
      gtk_box_insert_child_after (GTK_BOX (status_box), badge, gtk_widget_get_first_child (status_box));
      g_object_set_data (G_OBJECT (status_box), BADGE_KEY, badge);
    }
  gtk_widget_set_visible (badge, why != NULL);
  gtk_widget_set_tooltip_text (badge, why);
}
