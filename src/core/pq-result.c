/* pq-result.c: one port's result
 *
 * A scan of every port makes 65,535 of these, so they are kept light: the
 * target's address (and the reply's sender, mostly the same) is one
 * interned GRefString shared by all, and the findings' store is made only
 * for a port that has findings or when it is asked for.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pq-enums.h"
#include "pq-result.h"
#include "pq-trace.h"

struct _PqResult
{
  GObject      parent_instance;

  char        *address;     /* GRefString, interned */
  guint16      port;
  PqProtocol   protocol;
  PqPortState  state;
  PqReason     reason;
  char        *service;
  PqProbeKind  probe;
  char        *evidence;
  guint        tries;
  double       elapsed_ms;
  char        *local_address;
  char        *reply_from;  /* GRefString, interned */
  int          icmp_type;
  int          icmp_code;
  guint        bytes_received;
  GListStore  *details;    /* made when first asked for: most ports of a
                            * range have no findings, and a store each
                            * was a fifth of a 65,535-port scan's memory */
  PqTrace     *trace;      /* NULL unless the path was traced */
};

G_DEFINE_FINAL_TYPE (PqResult, pq_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_PROTOCOL,
  PROP_STATE,
  PROP_REASON,
  PROP_SERVICE,
  PROP_EVIDENCE,
  PROP_TRIES,
  PROP_ELAPSED_MS,
  PROP_LOCAL_ADDRESS,
  PROP_REPLY_FROM,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
intern (const char *s)
{
  return s != NULL ? g_ref_string_new_intern (s) : NULL;
}

static void
release (char **s)
{
  if (*s != NULL)
    g_ref_string_release (*s);
  *s = NULL;
}

static void
pq_result_finalize (GObject *object)
{
  PqResult *self = PQ_RESULT (object);

  release (&self->address);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->evidence, g_free);
  g_clear_pointer (&self->local_address, g_free);
  release (&self->reply_from);
  g_clear_object (&self->details);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (pq_result_parent_class)->finalize (object);
}

static void
pq_result_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PqResult *self = PQ_RESULT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    case PROP_EVIDENCE:
      g_value_set_string (value, self->evidence);
      break;
    case PROP_TRIES:
      g_value_set_uint (value, self->tries);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_double (value, self->elapsed_ms);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_REPLY_FROM:
      g_value_set_string (value, self->reply_from);
      break;
    case PROP_DETAILS:
      g_value_set_object (value, pq_result_get_details (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pq_result_class_init (PqResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pq_result_finalize;
  object_class->get_property = pq_result_get_property;

  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL, PQ_TYPE_PROTOCOL, PQ_PROTOCOL_TCP, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PQ_TYPE_PORT_STATE, PQ_PORT_STATE_FILTERED, flags);
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, PQ_TYPE_REASON, PQ_REASON_NONE, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  properties[PROP_EVIDENCE] = g_param_spec_string ("evidence", NULL, NULL, NULL, flags);
  properties[PROP_TRIES] = g_param_spec_uint ("tries", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_double ("elapsed-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_LOCAL_ADDRESS] = g_param_spec_string ("local-address", NULL, NULL, NULL, flags);
  properties[PROP_REPLY_FROM] = g_param_spec_string ("reply-from", NULL, NULL, NULL, flags);
  properties[PROP_DETAILS] =
    g_param_spec_object ("details", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pq_result_init (PqResult *self)
{
  self->icmp_type = -1;
  self->icmp_code = -1;
  self->state = PQ_PORT_STATE_FILTERED;
}

PqResult *
pq_result_new (const char *address,
               guint16     port,
               PqProtocol  protocol)
{
  PqResult *self = g_object_new (PQ_TYPE_RESULT, NULL);

  self->address = intern (address);
  self->port = port;
  self->protocol = protocol;
  return self;
}

const char *
pq_result_get_address (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->address;
}

guint16
pq_result_get_port (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), 0);
  return self->port;
}

PqProtocol
pq_result_get_protocol (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), PQ_PROTOCOL_TCP);
  return self->protocol;
}

PqPortState
pq_result_get_state (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), PQ_PORT_STATE_FILTERED);
  return self->state;
}

PqReason
pq_result_get_reason (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), PQ_REASON_NONE);
  return self->reason;
}

const char *
pq_result_get_service (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->service;
}

PqProbeKind
pq_result_get_probe (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), PQ_PROBE_NONE);
  return self->probe;
}

const char *
pq_result_get_evidence (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->evidence;
}

guint
pq_result_get_tries (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), 0);
  return self->tries;
}

double
pq_result_get_elapsed_ms (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), 0);
  return self->elapsed_ms;
}

const char *
pq_result_get_local_address (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->local_address;
}

const char *
pq_result_get_reply_from (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->reply_from;
}

int
pq_result_get_icmp_type (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), -1);
  return self->icmp_type;
}

int
pq_result_get_icmp_code (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), -1);
  return self->icmp_code;
}

guint
pq_result_get_bytes_received (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), 0);
  return self->bytes_received;
}

/* Returns: (transfer none): the probe's findings, a model of #PqDetail */
GListModel *
pq_result_get_details (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  if (self->details == NULL)
    self->details = g_list_store_new (PQ_TYPE_DETAIL);
  return G_LIST_MODEL (self->details);
}

void
pq_result_set_state (PqResult    *self,
                     PqPortState  state,
                     PqReason     reason)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  self->state = state;
  self->reason = reason;
}

void
pq_result_set_service (PqResult    *self,
                       const char  *service,
                       PqProbeKind  probe)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  g_free (self->service);
  self->service = g_strdup (service);
  self->probe = probe;
}

void
pq_result_set_evidence (PqResult   *self,
                        const char *evidence)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  g_free (self->evidence);
  self->evidence = g_strdup (evidence);
}

void
pq_result_set_timing (PqResult *self,
                      guint     tries,
                      double    elapsed_ms)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  self->tries = tries;
  self->elapsed_ms = elapsed_ms;
}

void
pq_result_set_local_address (PqResult   *self,
                             const char *local_address)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  g_free (self->local_address);
  self->local_address = g_strdup (local_address);
}

void
pq_result_set_reply (PqResult   *self,
                     const char *reply_from,
                     int         icmp_type,
                     int         icmp_code,
                     guint       bytes_received)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  release (&self->reply_from);
  self->reply_from = intern (reply_from);
  self->icmp_type = icmp_type;
  self->icmp_code = icmp_code;
  self->bytes_received = bytes_received;
}

void
pq_result_add_detail (PqResult *self,
                      PqDetail *detail)
{
  g_return_if_fail (PQ_IS_RESULT (self));
  g_list_store_append (G_LIST_STORE (pq_result_get_details (self)), detail);
}

/* Returns: (nullable) (transfer none): the path trace, if one was made */
PqTrace *
pq_result_get_trace (PqResult *self)
{
  g_return_val_if_fail (PQ_IS_RESULT (self), NULL);
  return self->trace;
}

/* Keeps the trace, and shows it as a finding (pq_trace_to_detail()), so
 * every writer and the window show its hops under the port. The JSON
 * writer writes the trace itself instead of that finding. */
void
pq_result_set_trace (PqResult *self,
                     PqTrace  *trace)
{
  g_autoptr(PqDetail) detail = NULL;

  g_return_if_fail (PQ_IS_RESULT (self) && PQ_IS_TRACE (trace) && self->trace == NULL);
  self->trace = g_object_ref (trace);
  detail = pq_trace_to_detail (trace);
  pq_result_add_detail (self, detail);
}
