/* pq-local-page.c: the This Computer page
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This computer's TCP and UDP endpoints (PqLocalTable: the kernel's
 * sock_diag tables and /proc) in a sortable column view, with a filter,
 * Listening only, Copy Row and a line about the sockets of other users
 * an ordinary user may not attribute to a process. While the page is
 * mapped it reads the tables again every two seconds; a refresh merges
 * into the rows shown (an endpoint that stays keeps its row object), so
 * the selection and the scroll position stay where they were. Hidden,
 * it reads nothing.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pq-accessible.h"
#include "pq-findings-table.h"
#include "pq-local-page.h"
#include "pq-local.h"
#include "pq-report-text.h"
#include "pq-services.h"

#define REFRESH_SECONDS 2

typedef enum
{
  COLUMN_PROTOCOL,
  COLUMN_LOCAL_ADDRESS,
  COLUMN_LOCAL_PORT,
  COLUMN_STATE,
  COLUMN_REMOTE_ADDRESS,
  COLUMN_REMOTE_PORT,
  COLUMN_PID,
  COLUMN_PROCESS,
  N_COLUMNS
} Column;

struct _PqLocalPage
{
  GtkWidget           parent_instance;

  /* template */
  GtkSearchEntry     *filter_entry;
  GtkSwitch          *listening_switch;
  GtkLabel           *listening_label;
  GtkLabel           *hidden_label;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  GtkLabel           *status_label;

  PqLocalTable       *table;
  PqServices         *services;
  GListStore         *rows;          /* what the table showed last, merged into */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkWidget          *menu;
  char               *folded_filter;
  char               *refreshed_at;
  guint               source;
  GCancellable       *reading;       /* the read running in a thread */
  guint               n_refreshes;
};

G_DEFINE_FINAL_TYPE (PqLocalPage, pq_local_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Cells                                                               */

static char *
port_text (PqLocalPage *self,
           guint16      port,
           PqProtocol   protocol)
{
  const char *service = pq_services_lookup (self->services, port, protocol);

  if (service == NULL)
    return g_strdup_printf ("%u", port);
  return g_strdup_printf ("%u (%s)", port, service);
}

/* Returns: (transfer full): the text of @column for @e, never markup
 * nor control characters (process names are other users' words) */
static char *
cell_text (PqLocalPage     *self,
           PqLocalEndpoint *e,
           Column           column)
{
  gboolean peer = pq_local_endpoint_get_remote_port (e) != 0;

  switch (column)
    {
    case COLUMN_PROTOCOL:
      return g_strdup (pq_protocol_to_string (pq_local_endpoint_get_protocol (e)));
    case COLUMN_LOCAL_ADDRESS:
      return g_strdup (pq_local_endpoint_get_local_address (e));
    case COLUMN_LOCAL_PORT:
      return port_text (self, pq_local_endpoint_get_local_port (e), pq_local_endpoint_get_protocol (e));
    case COLUMN_STATE:
      return g_strdup (pq_local_endpoint_get_state_text (e));
    case COLUMN_REMOTE_ADDRESS:
      return g_strdup (peer ? pq_local_endpoint_get_remote_address (e) : "");
    case COLUMN_REMOTE_PORT:
      return peer ? g_strdup_printf ("%u", pq_local_endpoint_get_remote_port (e)) : g_strdup ("");
    case COLUMN_PID:
      return pq_local_endpoint_get_pid (e) > 0 ? g_strdup_printf ("%d", pq_local_endpoint_get_pid (e)) : g_strdup ("");
    case COLUMN_PROCESS:
      if (pq_local_endpoint_is_hidden (e))
        return g_strdup (_("(another user's)"));
      return pq_text_sanitize (pq_local_endpoint_get_process (e));
    case N_COLUMNS:
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_PROTOCOL: return _("Protocol");
    case COLUMN_LOCAL_ADDRESS: return _("Local Address");
    case COLUMN_LOCAL_PORT: return _("Local Port");
    case COLUMN_STATE: return _("State");
    case COLUMN_REMOTE_ADDRESS: return _("Remote Address");
    case COLUMN_REMOTE_PORT: return _("Remote Port");
    case COLUMN_PID: return _("PID");
    case COLUMN_PROCESS: return _("Process");
    case N_COLUMNS:
    default: g_return_val_if_reached ("");
    }
}

/* Returns: (transfer full) (nullable): the command line and the systemd
 * unit of @e's process, for the process cell's tooltip */
static char *
process_detail (PqLocalEndpoint *e)
{
  int pid = pq_local_endpoint_get_pid (e);
  g_autofree char *cmdline = NULL;
  g_autofree char *unit = NULL;
  g_autoptr(GString) out = NULL;

  if (pid <= 0)
    return NULL;
  cmdline = pq_local_process_cmdline (pid);
  unit = pq_local_process_unit (pid);
  out = g_string_new (NULL);
  if (cmdline != NULL && *cmdline != '\0')
    {
      g_autofree char *clean = pq_text_sanitize (cmdline);

      g_string_append_printf (out, _("Command line: %s"), clean);
    }
  if (unit != NULL && *unit != '\0')
    {
      g_autofree char *clean = pq_text_sanitize (unit);

      g_string_append_c (out, out->len ? '\n' : ' ');
      g_string_append_printf (out, _("systemd unit: %s"), clean);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* ------------------------------------------------------------------ */
/* Copy and the row's menu                                             */

/* Returns: (transfer full) (nullable): the row at @position of the rows
 * shown, its cells separated by tabs, as a spreadsheet pastes them */
char *
pq_local_page_dup_row_text (PqLocalPage *self,
                            guint        position)
{
  g_autoptr(PqLocalEndpoint) e = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (PQ_IS_LOCAL_PAGE (self), NULL);
  e = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);
  if (e == NULL)
    return NULL;
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      g_autofree char *text = cell_text (self, e, c);

      g_string_append_printf (out, "%s%s", c ? "\t" : "", text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (widget);
  g_autofree char *text = pq_local_page_dup_row_text (self, gtk_single_selection_get_selected (self->selection));

  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
popup_menu_at (PqLocalPage *self,
               GtkWidget   *from,
               double       x,
               double       y)
{
  GdkRectangle at = { 0, 0, 1, 1 };
  double px, py;

  if (!gtk_widget_translate_coordinates (from, GTK_WIDGET (self), x, y, &px, &py))
    return;
  at.x = (int) px;
  at.y = (int) py;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &at);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* Ctrl+F: the filter. */
static void
find_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PQ_LOCAL_PAGE (widget)->filter_entry));
}

/* The Menu key or Shift+F10: the menu of the selected row. */
static void
menu_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (widget);

  popup_menu_at (self, GTK_WIDGET (self->column_view),
                 gtk_widget_get_width (GTK_WIDGET (self->column_view)) / 2.0,
                 gtk_widget_get_height (GTK_WIDGET (self->column_view)) / 2.0);
}

/* A right click selects the row under it, then opens its menu. */
static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  PqLocalPage *self = PQ_LOCAL_PAGE (gtk_widget_get_ancestor (label, PQ_TYPE_LOCAL_PAGE));

  if (self == NULL || gtk_list_item_get_position (item) == GTK_INVALID_LIST_POSITION)
    return;
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  popup_menu_at (self, label, x, y);
}

/* ------------------------------------------------------------------ */
/* Columns                                                             */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, label);
}

/* GTK 4.8 reads a cell as "GtkColumnViewCell": its text is what a
 * person hears instead, and the row is read whole. */
static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  data)
{
  PqLocalPage *self = g_object_get_data (G_OBJECT (factory), "pq-owner");
  Column column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_list_item_get_child (item);
  PqLocalEndpoint *e = gtk_list_item_get_item (item);
  g_autofree char *text = cell_text (self, e, column);
  g_autofree char *detail = column == COLUMN_PROCESS ? process_detail (e) : NULL;
  GtkWidget *cell = gtk_widget_get_parent (label);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, detail);
  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    *text ? text : _("empty"),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail ? detail : "", -1);
  if (column == COLUMN_PROTOCOL && cell != NULL && gtk_widget_get_parent (cell) != NULL)
    {
      g_autoptr(GString) row = g_string_new (NULL);

      /* The row as one line: its cells that say something, by commas. */
      for (Column c = 0; c < N_COLUMNS; c++)
        {
          g_autofree char *cell_text_c = cell_text (self, e, c);

          if (*cell_text_c != '\0')
            g_string_append_printf (row, "%s%s", row->len ? ", " : "", cell_text_c);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (cell)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, row->str, -1);
    }
}

static int
compare_numbers (guint x,
                 guint y)
{
  return x < y ? -1 : x > y;
}

static int
compare_cells (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  PqLocalPage *self = g_object_get_data (G_OBJECT (data), "pq-owner");
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "pq-column"));
  PqLocalEndpoint *x = PQ_LOCAL_ENDPOINT ((gpointer) a), *y = PQ_LOCAL_ENDPOINT ((gpointer) b);
  g_autofree char *tx = NULL;
  g_autofree char *ty = NULL;

  /* Numbers sort as numbers: 80 before 443 before 8080. */
  if (column == COLUMN_LOCAL_PORT)
    return compare_numbers (pq_local_endpoint_get_local_port (x), pq_local_endpoint_get_local_port (y));
  if (column == COLUMN_REMOTE_PORT)
    return compare_numbers (pq_local_endpoint_get_remote_port (x), pq_local_endpoint_get_remote_port (y));
  if (column == COLUMN_PID)
    return compare_numbers (pq_local_endpoint_get_pid (x), pq_local_endpoint_get_pid (y));
  tx = cell_text (self, x, column);
  ty = cell_text (self, y, column);
  return gtk_ordering_from_cmpfunc (g_utf8_collate (tx, ty));
}

/* The addresses and the process take the width the table is given. */
static void
add_column (PqLocalPage *self,
            Column       column)
{
  gboolean expand = column == COLUMN_LOCAL_ADDRESS || column == COLUMN_REMOTE_ADDRESS || column == COLUMN_PROCESS;

  pq_column_view_add (self->column_view, self, column, column_title (column), expand,
                      G_CALLBACK (setup_cb), G_CALLBACK (bind_cb), compare_cells);
}

/* ------------------------------------------------------------------ */
/* Filter                                                              */

static gboolean
is_listening (PqLocalEndpoint *e)
{
  /* A UDP socket that is bound and not connected receives from anyone. */
  if (pq_local_endpoint_get_protocol (e) == PQ_PROTOCOL_UDP)
    return pq_local_endpoint_get_state (e) != PQ_TCP_ESTABLISHED;
  return pq_local_endpoint_get_state (e) == PQ_TCP_LISTEN;
}

/* A row is shown when the text typed is in any of its cells. */
static gboolean
filter_func (gpointer item,
             gpointer data)
{
  PqLocalPage *self = data;
  PqLocalEndpoint *e = item;

  if (gtk_switch_get_active (self->listening_switch) && !is_listening (e))
    return FALSE;
  if (self->folded_filter == NULL)
    return TRUE;
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      g_autofree char *text = cell_text (self, e, c);
      g_autofree char *folded = g_utf8_casefold (text, -1);

      if (strstr (folded, self->folded_filter) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void update_status (PqLocalPage *self);

static void
filter_changed_cb (PqLocalPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->folded_filter, g_free);
  if (*stripped != '\0')
    self->folded_filter = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_status (self);
}

/* ------------------------------------------------------------------ */
/* Refresh                                                             */

/* "Showing 12 of 85 endpoints, read at 14:03:12" */
static void
update_status (PqLocalPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  g_autofree char *text = NULL;

  if (self->refreshed_at == NULL)
    return;
  /* Translators: the This Computer page's status line; the last %s is a time, 14:03:12 */
  text = g_strdup_printf (ngettext ("Showing %'u of %'u endpoint, read at %s",
                                    "Showing %'u of %'u endpoints, read at %s", total),
                          shown, total, self->refreshed_at);
  gtk_label_set_text (self->status_label, text);
}

static void
update_hidden (PqLocalPage *self)
{
  guint n = pq_local_table_get_n_hidden (self->table);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->hidden_label), n > 0);
  if (n == 0)
    return;
  text = g_strdup_printf (ngettext ("The process of %'u connection of another user is not shown: Port Query runs as an ordinary user, and the kernel names only this user's processes to it.",
                                    "The processes of %'u connections of other users are not shown: Port Query runs as an ordinary user, and the kernel names only this user's processes to it.",
                                    n), n);
  gtk_label_set_text (self->hidden_label, text);
}

/* The rows shown become the table just read: endpoints gone are
 * removed, new ones appended, the others keep their row, so the
 * selection and the scroll position stay. */
static void
merge_rows (PqLocalPage *self)
{
  GListModel *fresh = pq_local_table_get_endpoints (self->table);
  g_autoptr(GHashTable) fresh_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (fresh);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (fresh, i);

      g_hash_table_add (fresh_keys, pq_local_endpoint_key (e));
    }
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->rows)); i-- > 0;)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (G_LIST_MODEL (self->rows), i);
      char *key = pq_local_endpoint_key (e);

      if (g_hash_table_contains (fresh_keys, key))
        g_hash_table_add (kept, key);
      else
        {
          g_list_store_remove (self->rows, i);
          g_free (key);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqLocalEndpoint) e = g_list_model_get_item (fresh, i);
      g_autofree char *key = pq_local_endpoint_key (e);

      if (!g_hash_table_contains (kept, key))
        g_list_store_append (self->rows, e);
    }
}

/* The table just read is shown: merged into the rows, the line about
 * other users' sockets and the status line follow it. */
static void
show_table (PqLocalPage  *self,
            PqLocalTable *table)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_set_object (&self->table, table);
  merge_rows (self);
  g_free (self->refreshed_at);
  self->refreshed_at = g_date_time_format (now, "%X");
  update_hidden (self);
  update_status (self);
}

static void
show_error (PqLocalPage  *self,
            const GError *error)
{
  g_autofree char *text = g_strdup_printf (_("This computer's sockets could not be read: %s"), error->message);

  gtk_label_set_text (self->status_label, text);
}

/**
 * pq_local_page_refresh:
 *
 * Reads the kernel's tables again and shows them, at once (the timer
 * reads them in a thread: on a busy server /proc takes a while).
 *
 * Returns: FALSE if they could not be read (the status line says why)
 */
gboolean
pq_local_page_refresh (PqLocalPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqLocalTable) table = pq_local_table_new ();

  g_return_val_if_fail (PQ_IS_LOCAL_PAGE (self), FALSE);
  self->n_refreshes++;
  if (!pq_local_table_refresh (table, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  show_table (self, table);
  return TRUE;
}

/* A table of its own per read: nothing the page shows is touched off
 * the main thread. */
static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  g_autoptr(PqLocalTable) table = pq_local_table_new ();
  GError *error = NULL;

  if (pq_local_table_refresh (table, &error))
    g_task_return_pointer (task, g_steal_pointer (&table), g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (source);
  g_autoptr(GCancellable) reading = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqLocalTable) table = g_task_propagate_pointer (G_TASK (result), &error);

  /* Unmapped or disposed since: this read is no longer awaited. */
  if (g_cancellable_is_cancelled (reading) || self->reading != reading)
    return;
  g_clear_object (&self->reading);
  self->n_refreshes++;
  if (table == NULL)
    show_error (self, error);
  else
    show_table (self, table);
}

static void
read_in_thread (PqLocalPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->reading != NULL)
    return;   /* the last read is not over: no pile-up on a slow machine */
  self->reading = g_cancellable_new ();
  task = g_task_new (self, NULL, read_done_cb, g_object_ref (self->reading));
  g_task_run_in_thread (task, read_thread);
}

static void
stop_reading (PqLocalPage *self)
{
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
}

static gboolean
refresh_cb (gpointer data)
{
  read_in_thread (PQ_LOCAL_PAGE (data));
  return G_SOURCE_CONTINUE;
}

/* Read while shown, never while hidden. */
static void
pq_local_page_map (GtkWidget *widget)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (widget);

  GTK_WIDGET_CLASS (pq_local_page_parent_class)->map (widget);
  read_in_thread (self);
  if (self->source == 0)
    self->source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
pq_local_page_unmap (GtkWidget *widget)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (widget);

  g_clear_handle_id (&self->source, g_source_remove);
  stop_reading (self);
  GTK_WIDGET_CLASS (pq_local_page_parent_class)->unmap (widget);
}

/* Returns: (transfer none): the rows shown, filtered and sorted */
GListModel *
pq_local_page_get_shown (PqLocalPage *self)
{
  g_return_val_if_fail (PQ_IS_LOCAL_PAGE (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

/* Returns: how many times the tables were read (tests wait for one) */
guint
pq_local_page_get_n_refreshes (PqLocalPage *self)
{
  g_return_val_if_fail (PQ_IS_LOCAL_PAGE (self), 0);
  return self->n_refreshes;
}

/* ------------------------------------------------------------------ */

static void
pq_local_page_dispose (GObject *object)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->source, g_source_remove);
  stop_reading (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQ_TYPE_LOCAL_PAGE);
  /* The boxes and the separator the template holds without a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (pq_local_page_parent_class)->dispose (object);
}

static void
pq_local_page_finalize (GObject *object)
{
  PqLocalPage *self = PQ_LOCAL_PAGE (object);

  g_clear_object (&self->table);
  g_clear_object (&self->services);
  g_free (self->folded_filter);
  g_free (self->refreshed_at);
  G_OBJECT_CLASS (pq_local_page_parent_class)->finalize (object);
}

static gboolean
pq_local_page_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  return pq_widget_focus_child (widget, direction);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqLocalPage, name)

static void
pq_local_page_class_init (PqLocalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pq_local_page_dispose;
  object_class->finalize = pq_local_page_finalize;
  widget_class->map = pq_local_page_map;
  widget_class->unmap = pq_local_page_unmap;
  widget_class->focus = pq_local_page_focus;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portquery/PortQuery/ui/pq-local-page.ui");
  BIND (filter_entry);
  BIND (listening_switch);
  BIND (listening_label);
  BIND (hidden_label);
  BIND (scroller);
  BIND (column_view);
  BIND (status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "local.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "local.menu", NULL, menu_activated);
  gtk_widget_class_install_action (widget_class, "local.find", NULL, find_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "local.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "local.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "local.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "local.menu", NULL);
}

static void
build_menu (PqLocalPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  g_menu_append (menu, _("_Copy Row"), "local.copy");
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

static void
build_model (PqLocalPage *self)
{
  self->rows = g_list_store_new (PQ_TYPE_LOCAL_ENDPOINT);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
pq_local_page_init (PqLocalPage *self)
{
  g_autoptr(GtkColumnViewColumn) first = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->table = pq_local_table_new ();   /* empty until the first read */
  self->services = pq_services_new_default ();
  for (Column c = 0; c < N_COLUMNS; c++)
    add_column (self, c);
  build_model (self);
  build_menu (self);
  /* Sorted by local port at first, as PortQry lists them. */
  first = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), COLUMN_LOCAL_PORT);
  gtk_column_view_sort_by_column (self->column_view, first, GTK_SORT_ASCENDING);
  pq_findings_table_name_headers (gtk_widget_get_first_child (GTK_WIDGET (self->column_view)));
  /* Named by its label once, not by the label and its mnemonic's target. */
  pq_accessible_name_label (GTK_WIDGET (self->listening_switch),
                            gtk_label_get_label (self->listening_label));
  /* Typing while the table has the focus filters it. */
  gtk_search_entry_set_key_capture_widget (self->filter_entry, GTK_WIDGET (self->column_view));
  g_signal_connect_object (self->filter_entry, "search-changed", G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->listening_switch, "notify::active", G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
pq_local_page_new (void)
{
  return g_object_new (PQ_TYPE_LOCAL_PAGE, NULL);
}
