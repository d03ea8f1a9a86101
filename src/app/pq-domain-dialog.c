/* pq-domain-dialog.c: "Domain Controllers of…"
 *
 * Asks for a domain, finds its controllers as Windows clients do (the
 * DNS SRV records _ldap._tcp.dc._msdcs.DOMAIN, pq-domain.c) and lists
 * them with priority and weight in the order a client tries them.
 * "Query Controllers" hands their names to the window, which puts them
 * in the Host field and queries each with the check or ports of its
 * form. A domain without records is said here, beside the domain, and
 * nothing else changes: the window keeps its form and results.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-accessible.h"
#include "pq-domain.h"
#include "pq-domain-dialog.h"
#include "pq-report-text.h"

struct _PqDomainDialog
{
  AdwWindow     parent_instance;

  GtkEntry     *entry;
  GtkWidget    *find_button;
  GtkWidget    *query_button;
  GtkLabel     *status;
  GtkListBox   *list;
  GtkWidget    *list_scroller;
  GCancellable *cancellable;   /* the lookup running, if any */
  char         *hosts;         /* the controllers found, comma-separated */
};

G_DEFINE_FINAL_TYPE (PqDomainDialog, pq_domain_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_QUERY, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
clear_found (PqDomainDialog *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);
  gtk_widget_set_visible (self->list_scroller, FALSE);
  g_clear_pointer (&self->hosts, g_free);
  gtk_widget_set_sensitive (self->query_button, FALSE);
}

static void
show_status (PqDomainDialog *self,
             const char     *text,
             gboolean        error)
{
  gtk_label_set_text (self->status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
  /* In the error colour as the window's field messages, and read with the field. */
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      self->status, NULL, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

/* One row per controller: its name, then priority, weight and port.
 * DNS names come from the network: shown cleaned. */
static void
add_row (PqDomainDialog *self,
         GSrvTarget     *target)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = pq_text_sanitize (g_srv_target_get_hostname (target));
  g_autofree char *subtitle = g_strdup_printf (_("priority %u, weight %u, port %u"),
                                               g_srv_target_get_priority (target),
                                               g_srv_target_get_weight (target),
                                               g_srv_target_get_port (target));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (self->list, row);
}

/* The window grows to show the list, up to about six controllers; more
 * scroll. (A toplevel grows to its minimum size, not to its natural.) */
static void
fit_list (PqDomainDialog *self)
{
  int natural;

  gtk_widget_measure (GTK_WIDGET (self->list), GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->list_scroller), MIN (natural, 340));
}

static void
show_found (PqDomainDialog *self,
            const char     *domain,
            GPtrArray      *controllers)
{
  g_autoptr(GString) hosts = g_string_new (NULL);
  g_autofree char *srv = pq_domain_srv_name (domain);
  g_autofree char *text = NULL;

  for (guint i = 0; i < controllers->len; i++)
    {
      GSrvTarget *target = g_ptr_array_index (controllers, i);

      add_row (self, target);
      g_string_append_printf (hosts, "%s%s", i ? ", " : "", g_srv_target_get_hostname (target));
    }
  /* Translators: "2 domain controllers in DNS (SRV records _ldap._tcp.dc._msdcs.test.lan), in the order a client tries them:" */
  text = g_strdup_printf (ngettext ("%u domain controller in DNS (SRV records %s), in the order a client tries them:",
                                    "%u domain controllers in DNS (SRV records %s), in the order a client tries them:",
                                    controllers->len), controllers->len, srv);
  show_status (self, text, FALSE);
  gtk_widget_set_visible (self->list_scroller, TRUE);
  fit_list (self);
  self->hosts = g_string_free (g_steal_pointer (&hosts), FALSE);
  gtk_widget_set_sensitive (self->query_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->query_button);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(PqDomainDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) controllers = pq_domain_lookup_finish (result, &error);
  g_autofree char *domain = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_widget_set_sensitive (self->find_button, TRUE);
  if (controllers == NULL)
    {
      show_status (self, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      return;
    }
  domain = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  show_found (self, domain, controllers);
  gtk_widget_grab_focus (self->query_button);
}

static void
find_clicked (PqDomainDialog *self)
{
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (self->cancellable != NULL)
    return;
  clear_found (self);
  show_status (self, _("Looking up the domain’s controllers…"), FALSE);
  gtk_widget_set_sensitive (self->find_button, FALSE);
  self->cancellable = g_cancellable_new ();
  pq_domain_lookup_async (domain, self->cancellable, lookup_cb, g_object_ref (self));
}

static void
query_clicked (PqDomainDialog *self)
{
  g_autofree char *hosts = g_strdup (self->hosts);

  if (hosts == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_QUERY], 0, hosts);
  gtk_window_close (GTK_WINDOW (self));
}

/* Another domain typed: the controllers listed are no longer its own. */
static void
entry_changed (PqDomainDialog *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      gtk_widget_set_sensitive (self->find_button, TRUE);
    }
  clear_found (self);
  show_status (self, NULL, FALSE);
  gtk_widget_set_sensitive (self->find_button, *gtk_editable_get_text (GTK_EDITABLE (self->entry)) != '\0');
  gtk_window_set_default_widget (GTK_WINDOW (self), self->find_button);
}

static void
pq_domain_dialog_dispose (GObject *object)
{
  PqDomainDialog *self = PQ_DOMAIN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hosts, g_free);
  G_OBJECT_CLASS (pq_domain_dialog_parent_class)->dispose (object);
}

static void
pq_domain_dialog_class_init (PqDomainDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pq_domain_dialog_dispose;
  /* PqDomainDialog::query: @hosts, the controllers comma-separated, as
   * the Host field takes them. */
  signals[SIGNAL_QUERY] = g_signal_new ("query", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
new_label (const char *text,
           gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* The domain's label above its field and Find beside it, the status
 * and the list under them: it fits 360 pixels. */
static GtkWidget *
build_form (PqDomainDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Domain"));

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_box_append (GTK_BOX (box), new_label (_("Port Query finds the domain’s controllers in DNS, as "
                                              "Windows computers do, and queries each with the "
                                              "check or ports of the main window."), TRUE));
  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->entry, "ad.example.com");
  gtk_entry_set_activates_default (self->entry, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), label);
  self->find_button = gtk_button_new_with_mnemonic (_("_Find"));
  gtk_widget_set_sensitive (self->find_button, FALSE);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (row), self->find_button);
  gtk_box_append (GTK_BOX (box), row);
  self->status = GTK_LABEL (new_label (NULL, FALSE));
  gtk_label_set_selectable (self->status, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 2);   /* the rows' shadow */
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Domain controllers found"), -1);
  self->list_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->list_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->list_scroller), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (self->list_scroller, TRUE);
  gtk_widget_set_visible (self->list_scroller, FALSE);
  gtk_box_append (GTK_BOX (box), self->list_scroller);
  self->query_button = gtk_button_new_with_mnemonic (_("_Query Controllers"));
  gtk_widget_add_css_class (self->query_button, "suggested-action");
  gtk_widget_add_css_class (self->query_button, "pill");
  gtk_widget_set_halign (self->query_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (self->query_button, FALSE);
  gtk_box_append (GTK_BOX (box), self->query_button);
  return box;
}

static void
pq_domain_dialog_init (PqDomainDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Domain Controllers"));
  gtk_window_set_default_size (GTK_WINDOW (self), 440, -1);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_hide_on_close (GTK_WINDOW (self), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Domain Controllers"), NULL));
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), build_form (self));
  adw_window_set_content (ADW_WINDOW (self), content);
  /* Read by their visible labels, without the underlines GTK 4.8 reads. */
  pq_accessible_name_mnemonics (content);
  pq_accessible_name_label (GTK_WIDGET (self->entry), _("_Domain"));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->find_button);

  g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_button, "clicked", G_CALLBACK (find_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query_button, "clicked", G_CALLBACK (query_clicked), self, G_CONNECT_SWAPPED);
}

PqDomainDialog *
pq_domain_dialog_new (GtkWindow *parent)
{
  return g_object_new (PQ_TYPE_DOMAIN_DIALOG, "transient-for", parent, NULL);
}

GtkEditable *
_pq_domain_dialog_get_entry (PqDomainDialog *self)
{
  return GTK_EDITABLE (self->entry);
}

GtkWidget *
_pq_domain_dialog_get_find (PqDomainDialog *self)
{
  return self->find_button;
}

GtkWidget *
_pq_domain_dialog_get_query (PqDomainDialog *self)
{
  return self->query_button;
}

GtkLabel *
_pq_domain_dialog_get_status (PqDomainDialog *self)
{
  return self->status;
}

GtkListBox *
_pq_domain_dialog_get_list (PqDomainDialog *self)
{
  return self->list;
}

gboolean
_pq_domain_dialog_get_busy (PqDomainDialog *self)
{
  return self->cancellable != NULL;
}
