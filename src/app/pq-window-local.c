/* pq-window-local.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's two pages: "Remote Host" (the form and its results, all
 * of the template under the header bar) and "This Computer"
 * (PqLocalPage), in an AdwViewStack switched from the header bar's
 * AdwViewSwitcherTitle, or from the AdwViewSwitcherBar at the bottom
 * when the window is too narrow for the switcher in the title.
 *
 * The pages are built here, around the template, rather than in
 * pq-window.ui: whatever the template puts under the header bar becomes
 * the Remote Host page. The window's title and subtitle (the report's
 * file, the host) stay on window_title, which the switcher title
 * follows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-local-page.h"
#include "pq-window-private.h"

static GtkWidget *
template_widget (PqWindow   *self,
                 const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), PQ_TYPE_WINDOW, name));
}

/* Moves every child of @from after @after into a new vertical box. */
static GtkWidget *
take_children_after (GtkWidget *from,
                     GtkWidget *after)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *child;

  while ((child = gtk_widget_get_next_sibling (after)) != NULL)
    {
      g_object_ref (child);
      gtk_box_remove (GTK_BOX (from), child);
      gtk_box_append (GTK_BOX (box), child);
      g_object_unref (child);
    }
  return box;
}

/* The header's Table, Text and Search buttons are the Remote Host
 * page's: on This Computer they would act on a page not shown. */
static void
on_page_changed (PqWindow *self)
{
  gboolean remote = g_strcmp0 (adw_view_stack_get_visible_child_name (self->pages), "remote") == 0;
  GtkWidget *views = gtk_widget_get_parent (template_widget (self, "table_toggle"));

  gtk_widget_set_visible (views, remote);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), remote);
  if (!remote)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Ctrl+F (win.search) on This Computer: its filter, not the Remote
 * Host page's search bar. */
static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  PqWindow *self = PQ_WINDOW (data);
  GAction *remote_search = g_object_get_data (G_OBJECT (action), "pq-remote-search");

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->pages), "local") == 0)
    gtk_widget_activate_action (self->local_page, "local.find", NULL);
  else
    g_action_activate (remote_search, parameter);
}

static void
take_search_action (PqWindow *self)
{
  GAction *remote = g_action_map_lookup_action (G_ACTION_MAP (self), "search");
  g_autoptr(GSimpleAction) search = g_simple_action_new ("search", NULL);

  g_return_if_fail (remote != NULL);
  g_object_set_data_full (G_OBJECT (search), "pq-remote-search", g_object_ref (remote), g_object_unref);
  g_signal_connect_object (search, "activate", G_CALLBACK (search_activated), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (search));
}

/* Wide, the page switcher takes the title's place: what the title said
 * (the report's file, the hosts queried) moves beside Table and Text,
 * so an opened report still shows its name. */
static void
update_where (PqWindow *self)
{
  const char *name = adw_window_title_get_title (self->window_title);
  const char *hosts = adw_window_title_get_subtitle (self->window_title);
  g_autofree char *text = NULL;

  if (g_strcmp0 (name, _("Port Query")) == 0)
    name = NULL;
  if (hosts != NULL && *hosts == '\0')
    hosts = NULL;
  if (name != NULL && hosts != NULL)
    /* Translators: beside Table and Text, "saved.json — 10.0.0.5" */
    text = g_strdup_printf (_("%s — %s"), name, hosts);
  else
    text = g_strdup (name != NULL ? name : hosts);
  gtk_label_set_text (self->where, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->where),
                          text != NULL && !adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static gboolean
update_where_idle (gpointer data)
{
  PqWindow *self = data;

  self->where_idle = 0;
  update_where (self);
  return G_SOURCE_REMOVE;
}

/* The switcher changes title-visible while the header is allocated:
 * showing or hiding a label then would leave GTK a widget to draw
 * without an allocation, so the change waits for the next idle. */
static void
queue_update_where (PqWindow *self)
{
  if (self->where_idle == 0)
    self->where_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_where_idle, self, NULL);
}

static void
add_where (PqWindow             *self,
           AdwHeaderBar         *header,
           AdwViewSwitcherTitle *title)
{
  GtkWidget *where = gtk_label_new (NULL);

  gtk_widget_add_css_class (where, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (where), 36);
  /* No width of its own beyond "…": a label that held the header wide
   * kept the switcher fitting, so the window never went under 524 px
   * with a file open and the switcher never gave way to the title. */
  gtk_label_set_single_line_mode (GTK_LABEL (where), TRUE);
  gtk_widget_set_margin_start (where, 6);
  adw_header_bar_pack_start (header, where);
  self->where = GTK_LABEL (where);
  self->switcher_title = title;
  g_signal_connect_object (self->window_title, "notify::title", G_CALLBACK (queue_update_where), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->window_title, "notify::subtitle", G_CALLBACK (queue_update_where), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (title, "notify::title-visible", G_CALLBACK (queue_update_where), self, G_CONNECT_SWAPPED);
  update_where (self);
}

static void
add_switchers (PqWindow *self,
               GtkWidget *content)
{
  AdwHeaderBar *header = ADW_HEADER_BAR (template_widget (self, "header_bar"));
  GtkWidget *title = adw_view_switcher_title_new ();
  GtkWidget *bar = adw_view_switcher_bar_new ();

  /* The header bar lets go of window_title; the window keeps it. */
  self->window_title_kept = g_object_ref (GTK_WIDGET (self->window_title));
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), self->pages);
  g_object_bind_property (self->window_title, "title", title, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->window_title, "subtitle", title, "subtitle", G_BINDING_SYNC_CREATE);
  adw_header_bar_set_title_widget (header, title);

  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), self->pages);
  g_object_bind_property (title, "title-visible", bar, "reveal", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (content), bar);
  add_where (self, header, ADW_VIEW_SWITCHER_TITLE (title));
}

void
_pq_window_local_init (PqWindow *self)
{
  GtkWidget *header = template_widget (self, "header_bar");
  GtkWidget *content = gtk_widget_get_parent (header);
  GtkWidget *remote = take_children_after (content, header);
  AdwViewStackPage *page;

  self->pages = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->pages), TRUE);
  /* Alt+R and Alt+C switch pages (the form's letters are H, V, P, Q, S,
   * T and X). */
  page = adw_view_stack_add_titled (self->pages, remote, "remote", _("_Remote Host"));
  adw_view_stack_page_set_icon_name (page, "network-server-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  self->local_page = pq_local_page_new ();
  page = adw_view_stack_add_titled (self->pages, self->local_page, "local", _("This _Computer"));
  adw_view_stack_page_set_icon_name (page, "computer-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->pages));
  add_switchers (self, content);
  g_signal_connect_object (self->pages, "notify::visible-child-name", G_CALLBACK (on_page_changed),
                           self, G_CONNECT_SWAPPED);
  take_search_action (self);
  /* Repeat, beside Query, is set up here too: one hook in pq-window.c. */
  _pq_window_repeat_init (self);
}

void
_pq_window_local_dispose (PqWindow *self)
{
  _pq_window_repeat_dispose (self);
  g_clear_handle_id (&self->where_idle, g_source_remove);
  g_clear_object (&self->window_title_kept);
}
