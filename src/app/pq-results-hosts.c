/* pq-results-hosts.c: which host each row's address belongs to, and the
 * results table's Host column
 *
 * A query of several hosts (a list, a block, a range, a domain's
 * controllers) puts every host's ports in one table. The Host column,
 * shown only then, names the host as typed and sorts in the order the
 * hosts were given, each host's ports together in port order, so the
 * table reads as one section per host. Searching for a host's name
 * finds its rows. GTK 4.8's column view has no section headers; the
 * column is the grouping.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pq-findings-table.h"
#include "pq-report-text.h"
#include "pq-results-hosts.h"
#include "pq-row-slots.h"
#include "pq-results-rows.h"
#include "pq-results-view.h"

typedef struct
{
  guint  host;      /* the host's place in the order given */
  char  *label;     /* the host as typed */
} HostEntry;

struct _PqResultsHosts
{
  GObject              parent_instance;

  GHashTable          *by_address;   /* address → HostEntry */
  GtkColumnView       *column_view;  /* weak */
  GtkColumnViewColumn *column;
  GtkColumnViewColumn *port_column;
  gboolean             grouped;
};

G_DEFINE_FINAL_TYPE (PqResultsHosts, pq_results_hosts, G_TYPE_OBJECT)

static void
host_entry_free (gpointer data)
{
  HostEntry *entry = data;

  g_free (entry->label);
  g_free (entry);
}

static HostEntry *
lookup (PqResultsHosts *self,
        PqResult       *result)
{
  return g_hash_table_lookup (self->by_address, pq_result_get_address (result));
}

/* Host by host in the order given, then as the port column sorts. */
static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  PqResultsHosts *self = data;
  HostEntry *x, *y;

  if (!PQ_IS_RESULT ((gpointer) a) || !PQ_IS_RESULT ((gpointer) b))
    return GTK_ORDERING_EQUAL;
  x = lookup (self, PQ_RESULT ((gpointer) a));
  y = lookup (self, PQ_RESULT ((gpointer) b));
  if (x != NULL && y != NULL && x->host != y->host)
    return x->host < y->host ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  if ((x == NULL) != (y == NULL))
    return x == NULL ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
  return gtk_sorter_compare (gtk_column_view_column_get_sorter (self->port_column), (gpointer) a, (gpointer) b);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (list_item, label);
}

/* A name from the network or a file is shown cleaned, never as markup. */
static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  data)
{
  PqResultsHosts *self = data;
  gpointer item = pq_row_slots_unwrap (gtk_list_item_get_item (list_item));
  const char *label = PQ_IS_RESULT (item) ? pq_results_hosts_get_label (self, pq_result_get_address (item)) : NULL;
  g_autofree char *clean = pq_text_sanitize (label ? label : "");

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), clean);
}

static void
pq_results_hosts_dispose (GObject *object)
{
  PqResultsHosts *self = PQ_RESULTS_HOSTS (object);

  g_clear_weak_pointer (&self->column_view);
  g_clear_object (&self->column);
  g_clear_object (&self->port_column);
  G_OBJECT_CLASS (pq_results_hosts_parent_class)->dispose (object);
}

static void
pq_results_hosts_finalize (GObject *object)
{
  PqResultsHosts *self = PQ_RESULTS_HOSTS (object);

  g_hash_table_unref (self->by_address);
  G_OBJECT_CLASS (pq_results_hosts_parent_class)->finalize (object);
}

static void
pq_results_hosts_class_init (PqResultsHostsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pq_results_hosts_dispose;
  object_class->finalize = pq_results_hosts_finalize;
}

static void
pq_results_hosts_init (PqResultsHosts *self)
{
  self->by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, host_entry_free);
}

/**
 * pq_results_hosts_new:
 * @column_view: the results table; its first column sorts by port
 *
 * Adds the Host column, hidden, before the table's first column.
 */
PqResultsHosts *
pq_results_hosts_new (GtkColumnView *column_view)
{
  PqResultsHosts *self = g_object_new (PQ_TYPE_RESULTS_HOSTS, NULL);
  g_autoptr(GListModel) columns = g_object_ref (gtk_column_view_get_columns (column_view));
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (sort_func, self, NULL);

  g_set_weak_pointer (&self->column_view, column_view);
  self->port_column = g_list_model_get_item (columns, 0);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  /* The rows are slots (pq-row-slots.c): a slot given another port binds again. */
  pq_row_slots_rebind_on_change (GTK_LIST_ITEM_FACTORY (factory));
  self->column = gtk_column_view_column_new (_("Host"), g_object_ref (factory));
  gtk_column_view_column_set_resizable (self->column, TRUE);
  gtk_column_view_column_set_sorter (self->column, GTK_SORTER (sorter));
  gtk_column_view_column_set_visible (self->column, FALSE);
  gtk_column_view_insert_column (column_view, 0, self->column);
  /* Named for screen readers as the other headers (GTK 4.8 leaves them unnamed). */
  pq_findings_table_name_headers (gtk_widget_get_first_child (GTK_WIDGET (column_view)));
  return self;
}

/* Before another query or report: no host known. */
void
pq_results_hosts_clear (PqResultsHosts *self)
{
  g_return_if_fail (PQ_IS_RESULTS_HOSTS (self));
  g_hash_table_remove_all (self->by_address);
}

/* @address belongs to the @host-th host given, typed as @label. */
void
pq_results_hosts_add (PqResultsHosts *self,
                      const char     *address,
                      guint           host,
                      const char     *label)
{
  HostEntry *entry = g_new0 (HostEntry, 1);

  g_return_if_fail (PQ_IS_RESULTS_HOSTS (self));
  entry->host = host;
  entry->label = g_strstrip (g_strdup (label));   /* "a, b": b is typed " b" */
  g_hash_table_replace (self->by_address, g_strdup (address), entry);
}

/* Every address @report queried, with its host. */
void
pq_results_hosts_add_report (PqResultsHosts *self,
                             PqReport       *report)
{
  GPtrArray *queried = pq_report_get_queried (report);

  for (guint i = 0; i < queried->len; i++)
    {
      guint host = pq_report_get_queried_target (report, i);

      pq_results_hosts_add (self, g_ptr_array_index (queried, i), host,
                            pq_target_get_input (pq_report_get_nth_target (report, host)));
    }
}

/* Grouped, the Host column shows and the table sorts by it; back to
 * one host, the table sorts by port again. */
void
pq_results_hosts_set_grouped (PqResultsHosts *self,
                              gboolean        grouped)
{
  g_return_if_fail (PQ_IS_RESULTS_HOSTS (self));

  if (self->column_view == NULL || self->grouped == grouped)
    return;
  self->grouped = grouped;
  /* An address whole; a longer name ellipsizes, whole in its tooltip.
   * Hidden, no width: GTK 4.8 keeps a hidden column's fixed width as a
   * gap at the table's right edge. */
  gtk_column_view_column_set_fixed_width (self->column, grouped ? 130 : -1);
  gtk_column_view_column_set_visible (self->column, grouped);
  if (grouped)
    gtk_column_view_sort_by_column (self->column_view, self->column, GTK_SORT_ASCENDING);
  else
    gtk_column_view_sort_by_column (self->column_view, self->port_column, GTK_SORT_ASCENDING);
}

gboolean
pq_results_hosts_get_grouped (PqResultsHosts *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_HOSTS (self), FALSE);
  return self->grouped;
}

/* Whether the Address column says more than the Host column: a host
 * typed as a name, or with several addresses. */
gboolean
pq_results_hosts_need_address (PqResultsHosts *self)
{
  GHashTableIter iter;
  gpointer address, value;

  g_return_val_if_fail (PQ_IS_RESULTS_HOSTS (self), TRUE);
  g_hash_table_iter_init (&iter, self->by_address);
  while (g_hash_table_iter_next (&iter, &address, &value))
    if (g_strcmp0 (address, ((HostEntry *) value)->label) != 0)
      return TRUE;
  return FALSE;
}

/* Returns: (nullable): the host @address belongs to, as typed */
const char *
pq_results_hosts_get_label (PqResultsHosts *self,
                            const char     *address)
{
  HostEntry *entry;

  g_return_val_if_fail (PQ_IS_RESULTS_HOSTS (self), NULL);
  entry = address ? g_hash_table_lookup (self->by_address, address) : NULL;
  return entry ? entry->label : NULL;
}

/* Whether @folded_text is in the name of the host of @item's address,
 * and @show shows it. */
gboolean
pq_results_hosts_matches (PqResultsHosts *self,
                          gpointer        item,
                          const char     *folded_text,
                          int             show)   /* PqShowMode */
{
  HostEntry *entry;

  if (!self->grouped || folded_text == NULL || !PQ_IS_RESULT (item))
    return FALSE;
  entry = lookup (self, item);
  return entry != NULL && pq_results_rows_contains (entry->label, folded_text) &&
         pq_results_view_match (item, NULL, show);
}

/* Returns: (transfer full): a row's name for screen readers: of several
 *   hosts, "10.0.0.5: TCP 135 epmap, LISTENING", else @port_name */
char *
pq_results_hosts_name_row (PqResultsHosts *self,
                           PqResult       *result,
                           const char     *port_name)
{
  HostEntry *entry = self->grouped ? lookup (self, result) : NULL;
  g_autofree char *clean = entry ? pq_text_sanitize (entry->label) : NULL;

  /* Translators: a row of the results of several hosts: the host, then the port and state */
  return clean ? g_strdup_printf (_("%s: %s"), clean, port_name) : g_strdup (port_name);
}

/* Returns: (transfer full): the name of a row's arrow: "Show findings for
 *   TCP 135", of several hosts "… of 10.0.0.5" */
char *
pq_results_hosts_name_opener (PqResultsHosts *self,
                              PqResult       *result)
{
  HostEntry *entry = self->grouped ? lookup (self, result) : NULL;
  g_autofree char *clean = entry ? pq_text_sanitize (entry->label) : NULL;
  const char *protocol = pq_protocol_to_string (pq_result_get_protocol (result));

  if (clean != NULL)
    /* Translators: the arrow of a port's row, of several hosts: "Show findings for TCP 135 of 10.0.0.5" */
    return g_strdup_printf (_("Show findings for %s %u of %s"), protocol, pq_result_get_port (result), clean);
  return g_strdup_printf (_("Show findings for %s %u"), protocol, pq_result_get_port (result));
}

GtkColumnViewColumn *
pq_results_hosts_get_column (PqResultsHosts *self)
{
  g_return_val_if_fail (PQ_IS_RESULTS_HOSTS (self), NULL);
  return self->column;
}
