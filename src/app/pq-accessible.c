/* pq-accessible.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names a screen reader reads, where GTK 4.8 gets them wrong: a button
 * or check box with a mnemonic is named by its raw label and then its
 * text ("_Query Query"), and a drop-down's button by its class
 * ("GtkToggleButton"). Each is set here to what the user reads.
 */
#include "config.h"

#include "pq-accessible.h"

/* "Only _Problems" as read: "Only Problems"; "__" is one underscore. */
static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        p++;
      else if (*p == '_')
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* @widget named @label as read, without its mnemonic. */
void
pq_accessible_name_label (GtkWidget  *widget,
                          const char *label)
{
  g_autofree char *name = strip_mnemonic (label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Every button and check box with a mnemonic, named by its text. */
void
pq_accessible_name_mnemonics (GtkWidget *widget)
{
  const char *label = NULL;

  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  if (label != NULL)
    pq_accessible_name_label (widget, label);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    pq_accessible_name_mnemonics (child);
}

/* The button inside a GtkDropDown that opens its list. */
void
pq_accessible_name_dropdown (GtkDropDown *dropdown,
                             const char  *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* libadwaita 1.2's search in a preferences window: its entry and its
 * button are read by their class names. */
void
pq_accessible_name_search (GtkWidget  *widget,
                           const char *entry_name,
                           const char *button_name)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (GTK_IS_SEARCH_ENTRY (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_name, -1);
  else if (GTK_IS_TOGGLE_BUTTON (widget) && GTK_IS_IMAGE (child) &&
           g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "system-search-symbolic") == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, button_name, -1);
  for (; child != NULL; child = gtk_widget_get_next_sibling (child))
    pq_accessible_name_search (child, entry_name, button_name);
}
