/* pq-report.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ports.h"
#include "pq-report.h"
#include "pq-writers.h"
#include "pq-writers-private.h"

struct _PqReport
{
  GObject        parent_instance;

  PqTarget      *target;
  GArray        *ports;
  PqProtocols    protocols;
  PqScanOptions  options;
  char          *services_source;
  GPtrArray     *queried;         /* address strings */
  GPtrArray     *reverse_names;   /* same index; NULL where none */
  GDateTime     *started;
  GDateTime     *finished;
  gboolean       cancelled;
  gboolean       no_reverse;      /* -nr: addresses were not looked up */
  GListStore    *results;

  /* Several hosts in one query: target is the first of targets. */
  GPtrArray     *targets;         /* PqTarget */
  GPtrArray     *target_errors;   /* same index: why it was not queried, or NULL */
  GArray        *queried_target;  /* per queried address: its target's index */
  guint          current_target;  /* the target add_queried*() attach to */
};

G_DEFINE_FINAL_TYPE (PqReport, pq_report, G_TYPE_OBJECT)

static void
pq_report_finalize (GObject *object)
{
  PqReport *self = PQ_REPORT (object);

  g_clear_object (&self->target);
  g_clear_pointer (&self->ports, g_array_unref);
  g_clear_pointer (&self->services_source, g_free);
  g_clear_pointer (&self->queried, g_ptr_array_unref);
  g_clear_pointer (&self->reverse_names, g_ptr_array_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_clear_object (&self->results);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->target_errors, g_ptr_array_unref);
  g_clear_pointer (&self->queried_target, g_array_unref);

  G_OBJECT_CLASS (pq_report_parent_class)->finalize (object);
}

static void
pq_report_class_init (PqReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_report_finalize;
}

static void
pq_report_init (PqReport *self)
{
  self->queried = g_ptr_array_new_with_free_func (g_free);
  self->reverse_names = g_ptr_array_new_with_free_func (g_free);
  self->results = g_list_store_new (PQ_TYPE_RESULT);
  self->started = g_date_time_new_now_utc ();
  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
  self->target_errors = g_ptr_array_new_with_free_func (g_free);
  self->queried_target = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * pq_report_new:
 * @options: the scan's settings, as the report says them (PqQuery gives
 *   the ports in flight the open-file limit allows)
 * @services_source: where the port names came from
 *
 * A report with no results yet: PqQuery's as a query begins, or the
 * report reader's, rebuilt from a file.
 */
PqReport *
pq_report_new (PqTarget            *target,
                      GArray              *ports,
                      PqProtocols          protocols,
                      const PqScanOptions *options,
                      const char          *services_source)
{
  PqReport *self = g_object_new (PQ_TYPE_REPORT, NULL);

  self->target = g_object_ref (target);
  g_ptr_array_add (self->targets, g_object_ref (target));
  g_ptr_array_add (self->target_errors, NULL);
  self->ports = g_array_ref (ports);
  self->protocols = protocols;
  self->options = *options;
  self->services_source = g_strdup (services_source);
  return self;
}

/* For the report reader: the times the file gives instead of now. */
void
pq_report_set_times (PqReport  *self,
                     GDateTime *started,
                     GDateTime *finished,
                     gboolean   cancelled)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  g_return_if_fail (started != NULL);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  self->started = g_date_time_ref (started);
  self->finished = finished ? g_date_time_ref (finished) : NULL;
  self->cancelled = cancelled;
}

/* For the report reader: an address as the report wrote it, scope and all,
 * which may name an interface this computer does not have. */
void
pq_report_add_queried_text (PqReport   *self,
                            const char *address,
                            const char *reverse_name)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  g_return_if_fail (address != NULL);
  g_ptr_array_add (self->queried, g_strdup (address));
  g_ptr_array_add (self->reverse_names, g_strdup (reverse_name));
  g_array_append_val (self->queried_target, self->current_target);
}

void
pq_report_add_queried (PqReport     *self,
                       GInetAddress *address,
                       const char   *reverse_name)
{
  PqTarget *target;

  g_return_if_fail (PQ_IS_REPORT (self));
  target = g_ptr_array_index (self->targets, self->current_target);
  g_ptr_array_add (self->queried, pq_address_to_string (address, pq_target_get_scope_id (target)));
  g_ptr_array_add (self->reverse_names, g_strdup (reverse_name));
  g_array_append_val (self->queried_target, self->current_target);
}

/* ------------------------------------------------------------------ */
/* Several hosts                                                        */

/* Another host of the query; returns its index in the report's targets. */
guint
pq_report_add_target (PqReport *self,
                      PqTarget *target)
{
  g_return_val_if_fail (PQ_IS_REPORT (self) && PQ_IS_TARGET (target), 0);
  g_ptr_array_add (self->targets, g_object_ref (target));
  g_ptr_array_add (self->target_errors, NULL);
  return self->targets->len - 1;
}

/* The addresses added from here on belong to the index-th target. */
void
pq_report_select_target (PqReport *self,
                         guint     index)
{
  g_return_if_fail (PQ_IS_REPORT (self) && index < self->targets->len);
  self->current_target = index;
}

/* A host that could not be queried (its name did not resolve): why. */
void
pq_report_set_target_error (PqReport   *self,
                            guint       index,
                            const char *message)
{
  g_return_if_fail (PQ_IS_REPORT (self) && index < self->targets->len);
  g_free (g_ptr_array_index (self->target_errors, index));
  g_ptr_array_index (self->target_errors, index) = g_strdup (message);
}

guint
pq_report_get_n_targets (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), 0);
  return self->targets->len;
}

PqTarget *
pq_report_get_nth_target (PqReport *self,
                          guint     index)
{
  g_return_val_if_fail (PQ_IS_REPORT (self) && index < self->targets->len, NULL);
  return g_ptr_array_index (self->targets, index);
}

/**
 * pq_report_dup_hosts_text:
 * @most: how many hosts to name before "…"
 *
 * Returns: (transfer full): the hosts queried as typed, comma-separated
 *   ("fs1, dc1.example.com, 10.0.0.0/30" as the targets they became)
 */
char *
pq_report_dup_hosts_text (PqReport *self,
                          guint     most)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  for (guint t = 0; t < self->targets->len && t < most; t++)
    {
      g_autofree char *input = g_strstrip (g_strdup (pq_target_get_input (g_ptr_array_index (self->targets, t))));

      g_string_append_printf (text, "%s%s", t ? ", " : "", input);
    }
  if (self->targets->len > most)
    g_string_append (text, ", …");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Returns: (nullable): why the index-th target was not queried */
const char *
pq_report_get_target_error (PqReport *self,
                            guint     index)
{
  g_return_val_if_fail (PQ_IS_REPORT (self) && index < self->targets->len, NULL);
  return g_ptr_array_index (self->target_errors, index);
}

/* Returns: (transfer none): the target a result's address was queried
 * for; the first target if none was. */
PqTarget *
pq_report_get_target_of_address (PqReport   *self,
                                 const char *address)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  for (guint i = 0; i < self->queried->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->queried, i), address) == 0)
      return g_ptr_array_index (self->targets, g_array_index (self->queried_target, guint, i));
  return self->target;
}

/* The index of the target the index-th queried address belongs to. */
guint
pq_report_get_queried_target (PqReport *self,
                              guint     queried)
{
  g_return_val_if_fail (PQ_IS_REPORT (self) && queried < self->queried_target->len, 0);
  return g_array_index (self->queried_target, guint, queried);
}

void
pq_report_add_result (PqReport *self,
                      PqResult *result)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  g_list_store_append (self->results, result);
}

/* For PqQuery: results go where the order asked puts them. */
void
pq_report_insert_results (PqReport  *self,
                          guint      position,
                          PqResult **results,
                          guint      n_results)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  g_list_store_splice (self->results, position, 0, (gpointer *) results, n_results);
}

void
pq_report_finish (PqReport *self,
                  gboolean  cancelled)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  g_clear_pointer (&self->finished, g_date_time_unref);
  self->finished = g_date_time_new_now_utc ();
  self->cancelled = cancelled;
}

PqTarget *
pq_report_get_target (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return self->target;
}

/* Returns: (transfer none) (element-type utf8): the addresses queried */
GPtrArray *
pq_report_get_queried (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return self->queried;
}

/* Returns: (nullable): the reverse-lookup name of the index-th address queried */
const char *
pq_report_get_reverse_name (PqReport *self,
                            guint     index)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < self->reverse_names->len, NULL);
  return g_ptr_array_index (self->reverse_names, index);
}

GDateTime *
pq_report_get_started (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return self->started;
}

/* Returns: (nullable): when the query ended; %NULL while it runs */
GDateTime *
pq_report_get_finished (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return self->finished;
}

/* Records that reverse lookups were turned off (-nr), so reports do not
 * say a lookup failed. */
void
pq_report_set_no_reverse (PqReport *self,
                          gboolean  no_reverse)
{
  g_return_if_fail (PQ_IS_REPORT (self));
  self->no_reverse = no_reverse;
}

gboolean
pq_report_get_no_reverse (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), FALSE);
  return self->no_reverse;
}

gboolean
pq_report_get_cancelled (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), FALSE);
  return self->cancelled;
}

const PqScanOptions *
pq_report_get_options (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return &self->options;
}

char *
pq_report_get_ports_text (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return pq_ports_to_string (self->ports);
}

const char *
pq_report_get_protocols_text (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return pq_protocols_to_nick (self->protocols);
}

const char *
pq_report_get_services_source (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return self->services_source;
}

GListModel *
pq_report_get_results (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), NULL);
  return G_LIST_MODEL (self->results);
}

/**
 * pq_exit_code_for_results:
 *
 * PortQry's codes for one port (0 listening, 1 not listening, 2 listening
 * or filtered, and filtered); for several, 1 if any is not listening, else
 * 2 if any is filtered, else 0. A port that could not be queried from
 * here (ERROR) makes it 4 over all the others: an answer is missing.
 */
PqExitCode
pq_exit_code_for_results (GListModel *results)
{
  guint n = g_list_model_get_n_items (results);
  PqExitCode code = PQ_EXIT_LISTENING;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);

      switch (pq_result_get_state (r))
        {
        case PQ_PORT_STATE_ERROR:
          return PQ_EXIT_ERROR;
        case PQ_PORT_STATE_NOT_LISTENING:
          code = PQ_EXIT_NOT_LISTENING;
          break;
        case PQ_PORT_STATE_FILTERED:
        case PQ_PORT_STATE_LISTENING_OR_FILTERED:
          if (code != PQ_EXIT_NOT_LISTENING)
            code = PQ_EXIT_FILTERED;
          break;
        case PQ_PORT_STATE_LISTENING:
        default:
          break;
        }
    }
  return code;
}

PqExitCode
pq_report_get_exit_code (PqReport *self)
{
  g_return_val_if_fail (PQ_IS_REPORT (self), PQ_EXIT_ERROR);
  /* A stopped query is not an answer about its ports: portqry exits with
   * the error code then, and the report says the same. */
  if (self->cancelled)
    return PQ_EXIT_ERROR;
  return pq_exit_code_for_results (G_LIST_MODEL (self->results));
}

/* How many results (of @address; NULL: of any) are in each state. */
static void
count_states_of (GListModel *results,
                 const char *address,
                 guint       counts[PQ_N_PORT_STATES])
{
  guint n = g_list_model_get_n_items (results);

  memset (counts, 0, PQ_N_PORT_STATES * sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqResult) r = g_list_model_get_item (results, i);

      if (address == NULL || g_strcmp0 (pq_result_get_address (r), address) == 0)
        counts[pq_result_get_state (r)]++;
    }
}

/* How many results are in each state, indexed by PqPortState. */
void
pq_count_states (GListModel *results,
                 guint       counts[PQ_N_PORT_STATES])
{
  count_states_of (results, NULL, counts);
}

/* "3 listening, 1 filtered, 2 not listening" */
char *
pq_report_summary (PqReport *self)
{
  guint c[PQ_N_PORT_STATES];

  pq_count_states (G_LIST_MODEL (self->results), c);
  return pq_summary_for_counts (c);
}

/* The same for the results of one address queried. */
char *
pq_report_summary_for_address (PqReport   *self,
                               const char *address)
{
  guint c[PQ_N_PORT_STATES];

  count_states_of (G_LIST_MODEL (self->results), address, c);
  return pq_summary_for_counts (c);
}

/* The same line from counts kept as rows come (the window's, live). */
char *
pq_summary_for_counts (const guint c[PQ_N_PORT_STATES])
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < PQ_N_PORT_STATES; i++)
    {
      guint n = c[pq_port_states_in_order[i]];

      if (n == 0)
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      switch (pq_port_states_in_order[i])
        {
        case PQ_PORT_STATE_LISTENING:
          g_string_append_printf (s, ngettext ("%u listening", "%u listening", n), n);
          break;
        case PQ_PORT_STATE_NOT_LISTENING:
          g_string_append_printf (s, ngettext ("%u not listening", "%u not listening", n), n);
          break;
        case PQ_PORT_STATE_FILTERED:
          g_string_append_printf (s, ngettext ("%u filtered", "%u filtered", n), n);
          break;
        case PQ_PORT_STATE_ERROR:
          g_string_append_printf (s, ngettext ("%u could not be queried", "%u could not be queried", n), n);
          break;
        case PQ_PORT_STATE_LISTENING_OR_FILTERED:
        default:
          g_string_append_printf (s, ngettext ("%u listening or filtered", "%u listening or filtered", n), n);
          break;
        }
    }
  if (s->len == 0)
    g_string_append (s, _("no ports queried"));
  return g_string_free (s, FALSE);
}

