/* pq-trace.c: a path trace's hops and its verdict in plain words
 *
 * A trace is what came back for the port's own probe sent with TTL 1, 2,
 * 3, ...: routers that said "time exceeded", then silence, a refusal or
 * the host itself. The verdict compares it with a trace to a port that
 * answers (the reference): a hop that answers for other ports but is
 * silent for this one is where the packets stop. pq-tracer.c sends the
 * probes; this file only reads what they found.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pq-trace.h"

struct _PqTrace
{
  GObject  parent_instance;

  GArray  *hops;           /* PqTraceHop, by ttl */
  int      host_distance;  /* -1: unknown */
  char    *verdict;
};

G_DEFINE_FINAL_TYPE (PqTrace, pq_trace, G_TYPE_OBJECT)

static void
clear_hop (gpointer data)
{
  PqTraceHop *hop = data;

  g_free (hop->address);
}

static void
pq_trace_finalize (GObject *object)
{
  PqTrace *self = PQ_TRACE (object);

  g_array_unref (self->hops);
  g_free (self->verdict);
  G_OBJECT_CLASS (pq_trace_parent_class)->finalize (object);
}

static void
pq_trace_class_init (PqTraceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_trace_finalize;
}

static void
pq_trace_init (PqTrace *self)
{
  self->hops = g_array_new (FALSE, TRUE, sizeof (PqTraceHop));
  g_array_set_clear_func (self->hops, clear_hop);
  self->host_distance = -1;
}

PqTrace *
pq_trace_new (void)
{
  return g_object_new (PQ_TYPE_TRACE, NULL);
}

/* Hops are added in the order of their TTL. */
void
pq_trace_add_hop (PqTrace    *self,
                  guint       ttl,
                  const char *address,
                  PqHopKind   kind)
{
  PqTraceHop hop = { ttl, g_strdup (address), kind };

  g_return_if_fail (PQ_IS_TRACE (self));
  g_array_append_val (self->hops, hop);
}

void
pq_trace_set_result (PqTrace    *self,
                     int         host_distance,
                     const char *verdict)
{
  g_return_if_fail (PQ_IS_TRACE (self));
  self->host_distance = host_distance;
  g_free (self->verdict);
  self->verdict = g_strdup (verdict);
}

guint
pq_trace_get_n_hops (PqTrace *self)
{
  g_return_val_if_fail (PQ_IS_TRACE (self), 0);
  return self->hops->len;
}

const PqTraceHop *
pq_trace_get_hop (PqTrace *self,
                  guint    index)
{
  g_return_val_if_fail (PQ_IS_TRACE (self) && index < self->hops->len, NULL);
  return &g_array_index (self->hops, PqTraceHop, index);
}

/* Returns: (nullable): the hop of that TTL, if it was probed */
const PqTraceHop *
pq_trace_find_ttl (PqTrace *self,
                   guint    ttl)
{
  for (guint i = 0; self != NULL && i < self->hops->len; i++)
    if (g_array_index (self->hops, PqTraceHop, i).ttl == ttl)
      return &g_array_index (self->hops, PqTraceHop, i);
  return NULL;
}

int
pq_trace_get_host_distance (PqTrace *self)
{
  g_return_val_if_fail (PQ_IS_TRACE (self), -1);
  return self->host_distance;
}

const char *
pq_trace_get_verdict (PqTrace *self)
{
  g_return_val_if_fail (PQ_IS_TRACE (self), NULL);
  return self->verdict;
}

/* ------------------------------------------------------------------ */
/* Kinds of answer                                                     */

/* The words of the file format (JSON "icmp" and "answer"): not translated. */
static const char * const nicks[PQ_N_HOP_KINDS] = {
  NULL, "time exceeded", "port unreachable", "administratively prohibited",
  "host unreachable", "network unreachable", "destination unreachable",
  "reset", "connected", "reply",
};

gboolean
pq_hop_kind_is_icmp (PqHopKind kind)
{
  return kind >= PQ_HOP_TIME_EXCEEDED && kind <= PQ_HOP_UNREACHABLE;
}

/* Anything but silence and "time exceeded" ends the path: the host
 * answered, or someone refused the packets. */
gboolean
pq_hop_kind_is_final (PqHopKind kind)
{
  return kind != PQ_HOP_NONE && kind != PQ_HOP_TIME_EXCEEDED;
}

const char *
pq_hop_kind_to_nick (PqHopKind kind)
{
  return kind < PQ_N_HOP_KINDS ? nicks[kind] : NULL;
}

/* @icmp: whether @nick is the "icmp" field (else "answer") */
gboolean
pq_hop_kind_from_nick (const char *nick,
                       gboolean    icmp,
                       PqHopKind  *kind)
{
  for (guint k = PQ_HOP_TIME_EXCEEDED; k < PQ_N_HOP_KINDS; k++)
    if (g_strcmp0 (nick, nicks[k]) == 0 && pq_hop_kind_is_icmp (k) == icmp)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

/* What came back for one hop, in words: the text, the findings and the
 * window's hop table say the same. */
const char *
pq_hop_kind_to_words (PqHopKind kind)
{
  switch (kind)
    {
    /* Translators: what came back for one hop of a path trace */
    case PQ_HOP_TIME_EXCEEDED: return _("time exceeded");
    case PQ_HOP_PORT_UNREACHABLE: return _("port unreachable");
    case PQ_HOP_PROHIBITED: return _("administratively prohibited");
    case PQ_HOP_HOST_UNREACHABLE: return _("host unreachable");
    case PQ_HOP_NET_UNREACHABLE: return _("network unreachable");
    case PQ_HOP_UNREACHABLE: return _("destination unreachable");
    case PQ_HOP_RESET: return _("reset: nothing listens");
    case PQ_HOP_CONNECTED: return _("connected");
    case PQ_HOP_REPLY: return _("replied");
    case PQ_HOP_NONE:
    case PQ_N_HOP_KINDS:
    default: return _("no answer");
    }
}

/* The trace as findings under the port: the verdict, then one line per
 * hop. The text, HTML and CSV writers and the window show it as any
 * other finding. */
PqDetail *
pq_trace_to_detail (PqTrace *self)
{
  PqDetail *detail = pq_detail_new ("trace", _("Path trace"), self->verdict);

  for (guint i = 0; i < self->hops->len; i++)
    {
      const PqTraceHop *hop = &g_array_index (self->hops, PqTraceHop, i);
      /* Translators: a hop of a path trace, by its TTL: "hop 3" */
      g_autofree char *label = g_strdup_printf (_("hop %u"), hop->ttl);
      g_autofree char *value = hop->address == NULL
        ? g_strdup (pq_hop_kind_to_words (hop->kind))
        : g_strdup_printf ("%s (%s)", hop->address, pq_hop_kind_to_words (hop->kind));
      g_autoptr(PqDetail) child = pq_detail_new ("trace-hop", label, value);

      pq_detail_append (detail, child);
    }
  if (self->host_distance > 0)
    {
      g_autofree char *value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hop", "%d hops",
                                                             self->host_distance),
                                                self->host_distance);
      g_autoptr(PqDetail) child = pq_detail_new ("trace-distance", _("Host distance"), value);

      pq_detail_append (detail, child);
    }
  return detail;
}

/* ------------------------------------------------------------------ */
/* The verdict                                                         */

static const PqTraceHop *
first_final (PqTrace *trace)
{
  for (guint i = 0; i < trace->hops->len; i++)
    if (pq_hop_kind_is_final (g_array_index (trace->hops, PqTraceHop, i).kind))
      return &g_array_index (trace->hops, PqTraceHop, i);
  return NULL;
}

/* The last router that said "time exceeded" for this port. */
static const PqTraceHop *
last_router (PqTrace *trace)
{
  const PqTraceHop *last = NULL;

  for (guint i = 0; i < trace->hops->len; i++)
    if (g_array_index (trace->hops, PqTraceHop, i).kind == PQ_HOP_TIME_EXCEEDED)
      last = &g_array_index (trace->hops, PqTraceHop, i);
  return last;
}

static char *
verdict_reached (const PqTraceHop *hop)
{
  if (hop->kind == PQ_HOP_RESET || hop->kind == PQ_HOP_PORT_UNREACHABLE)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "reaches the host (%u hop), which answers that nothing listens on this port",
                                         "reaches the host (%u hops), which answers that nothing listens on this port",
                                         hop->ttl), hop->ttl);
  if (hop->kind == PQ_HOP_CONNECTED || hop->kind == PQ_HOP_REPLY)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "reaches the host (%u hop), which answers on this port",
                                         "reaches the host (%u hops), which answers on this port", hop->ttl),
                            hop->ttl);
  return g_strdup_printf (_("reaches the host (%u hops), which refuses the packets: %s"),
                          hop->ttl, pq_hop_kind_to_words (hop->kind));
}

/* A router refused: named by the hop where it said "time exceeded", if
 * it did, since the refusing probe went one hop further. */
static char *
verdict_refused (PqTrace          *target,
                 const PqTraceHop *hop)
{
  guint at = hop->ttl;

  for (guint i = 0; i < target->hops->len; i++)
    {
      const PqTraceHop *h = &g_array_index (target->hops, PqTraceHop, i);

      if (h->kind == PQ_HOP_TIME_EXCEEDED && g_strcmp0 (h->address, hop->address) == 0)
        at = h->ttl;
    }
  return g_strdup_printf (_("refused at hop %u (%s), which answers %s"),
                          at, hop->address, pq_hop_kind_to_words (hop->kind));
}

static char *
verdict_silent (PqTrace    *target,
                PqTrace    *reference,
                int         host_distance)
{
  const PqTraceHop *last = last_router (target);
  guint k = last ? last->ttl : 0;
  const PqTraceHop *next = pq_trace_find_ttl (reference, k + 1);
  gboolean next_answers = next != NULL && next->kind != PQ_HOP_NONE;

  if (host_distance > 0 && (int) k >= host_distance - 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "reaches the host (%d hop); the host or a device right in front of it drops the packets",
                                         "reaches the host (%d hops); the host or a device right in front of it drops the packets",
                                         host_distance), host_distance);
  if (k == 0 && next_answers)
    return g_strdup (_("not even the first hop answers for this port though it does for others: "
                       "this computer's firewall or the first router drops it"));
  if (k == 0)
    return g_strdup (_("not even the first hop answers, for this port or any other: "
                       "this computer's firewall or the first router drops the packets, "
                       "or the routers send no ICMP"));
  if (next_answers)
    return g_strdup_printf (_("blocked after hop %u (%s): hop %u answers for other ports but never saw these packets"),
                            k, last->address, k + 1);
  return g_strdup_printf (_("nothing answers after hop %u (%s), for this port or any other: "
                            "the packets stop there, or the next hop sends no ICMP"),
                          k, last->address);
}

/**
 * pq_trace_verdict:
 * @target: the trace of the port asked about
 * @reference: (nullable): a trace of a port that answers, to tell a hop
 *   that is silent for everything from one that drops only these packets
 * @host: the address traced to
 * @host_distance: hops to the host, or -1 if unknown
 *
 * Returns: (transfer full): where the packets stop, in plain words
 */
char *
pq_trace_verdict (PqTrace    *target,
                  PqTrace    *reference,
                  const char *host,
                  int         host_distance)
{
  const PqTraceHop *end = first_final (target);

  if (end != NULL && (g_strcmp0 (end->address, host) == 0 || !pq_hop_kind_is_icmp (end->kind)))
    return verdict_reached (end);
  if (end != NULL)
    return verdict_refused (target, end);
  return verdict_silent (target, reference, host_distance);
}
