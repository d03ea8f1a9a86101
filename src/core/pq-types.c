/* pq-types.c: names of the core's enumerations, from their glib-mkenums nicks
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pq-enums.h"
#include "pq-types.h"

const PqPortState pq_port_states_in_order[PQ_N_PORT_STATES] = {
  PQ_PORT_STATE_LISTENING, PQ_PORT_STATE_NOT_LISTENING,
  PQ_PORT_STATE_FILTERED, PQ_PORT_STATE_LISTENING_OR_FILTERED,
  PQ_PORT_STATE_ERROR,
};

/**
 * pq_enum_to_nick:
 *
 * Returns: (transfer none): the nick of @value in the enumeration @type;
 *   "none" (with a critical) for a value the type does not have
 */
const char *
pq_enum_to_nick (GType type,
                 int   value)
{
  /* Never unreffed: a static enum class lives as long as the process. */
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  g_return_val_if_fail (v != NULL, "none");
  return v->value_nick;
}

gboolean
pq_enum_from_nick (GType       type,
                   const char *nick,
                   int        *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (v == NULL)
    return FALSE;
  *value = v->value;
  return TRUE;
}

/* "TCP" and "UDP" as PortQry prints them, in capitals. */
const char *
pq_protocol_to_string (PqProtocol protocol)
{
  return protocol == PQ_PROTOCOL_UDP ? "UDP" : "TCP";
}

/* "tcp", "udp" or "both", as -p takes them and reports save them. */
const char *
pq_protocols_to_nick (PqProtocols protocols)
{
  return pq_enum_to_nick (PQ_TYPE_PROTOCOLS, protocols);
}

/* These words are PortQry's and are not translated: scripts grep for them. */
const char *
pq_port_state_to_string (PqPortState state)
{
  return pq_enum_to_nick (PQ_TYPE_PORT_STATE, state);
}

/* Stable machine-readable names, close to nmap's reason names. */
const char *
pq_reason_to_nick (PqReason reason)
{
  return pq_enum_to_nick (PQ_TYPE_REASON, reason);
}

const char *
pq_probe_kind_to_nick (PqProbeKind kind)
{
  return pq_enum_to_nick (PQ_TYPE_PROBE_KIND, kind);
}
