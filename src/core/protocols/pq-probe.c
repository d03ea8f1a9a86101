/* pq-probe.c: the codec registry and helpers every codec uses
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-banner.h"
#include "pq-dns.h"
#include "pq-epm.h"
#include "pq-kerberos.h"
#include "pq-ike.h"
#include "pq-l2tp.h"
#include "pq-ldap.h"
#include "pq-nbns.h"
#include "pq-probe.h"
#include "pq-rdp.h"
#include "pq-smb.h"
#include "pq-snmp.h"
#include "pq-sqlbrowser.h"
#include "pq-tftp.h"
#include "pq-tls.h"

/* The codec for a service's probe kind, chosen by service name from the
 * services file as PortQry does; NULL where the protocol has none. */
const PqProbeCodec *
pq_probe_codec_for (PqProbeKind kind,
                    PqProtocol  protocol)
{
  gboolean tcp = protocol == PQ_PROTOCOL_TCP;

  switch (kind)
    {
    case PQ_PROBE_SMTP:
      return tcp ? &pq_smtp_codec : NULL;
    case PQ_PROBE_POP3:
      return tcp ? &pq_pop3_codec : NULL;
    case PQ_PROBE_IMAP:
      return tcp ? &pq_imap_codec : NULL;
    case PQ_PROBE_FTP:
      return tcp ? &pq_ftp_codec : NULL;
    case PQ_PROBE_HTTP:
      return tcp ? &pq_http_codec : NULL;
    case PQ_PROBE_DNS:
      return &pq_dns_codec;             /* UDP, and TCP with its length prefix */
    case PQ_PROBE_NETBIOS_NS:
      return tcp ? NULL : &pq_nbstat_codec;
    case PQ_PROBE_LDAP:
      return &pq_ldap_codec;            /* TCP, and CLDAP over UDP */
    case PQ_PROBE_RPC_EPMAP:
      return tcp ? &pq_epm_tcp_codec : &pq_epm_udp_codec;
    case PQ_PROBE_SNMP:
      return tcp ? NULL : &pq_snmp_codec;
    case PQ_PROBE_SQL_BROWSER:
      return tcp ? NULL : &pq_sqlbrowser_codec;
    case PQ_PROBE_KERBEROS:
      return &pq_kerberos_codec;        /* UDP, and TCP with its length prefix */
    case PQ_PROBE_SMB:
      return tcp ? &pq_smb_codec : NULL;
    case PQ_PROBE_NETBIOS_SSN:
      return tcp ? &pq_smb_netbios_codec : NULL;
    case PQ_PROBE_TFTP:
      return tcp ? NULL : &pq_tftp_codec;
    case PQ_PROBE_L2TP:
      return tcp ? NULL : &pq_l2tp_codec;
    case PQ_PROBE_IKE:
      return tcp ? NULL : &pq_ike_codec;
    case PQ_PROBE_IKE_NATT:
      return tcp ? NULL : &pq_ike_natt_codec;
    case PQ_PROBE_TLS:
      return tcp ? &pq_tls_codec : NULL;   /* the engine's TLS handshake at once */
    case PQ_PROBE_RDP:
      return tcp ? &pq_rdp_codec : NULL;
    case PQ_PROBE_NONE:
    default:
      return NULL;
    }
}

/**
 * pq_probe_ephemeral_source:
 *
 * PortQry sends these queries from an ephemeral port whatever -sp says
 * (the RPC endpoint mapper on TCP and UDP 135, CLDAP on UDP 389, the
 * NetBIOS node status on UDP 137) and prints "Using ephemeral source
 * port"; the scanner and the text layout both ask here.
 */
gboolean
pq_probe_ephemeral_source (PqProbeKind kind,
                           PqProtocol  protocol)
{
  if (pq_probe_codec_for (kind, protocol) == NULL)
    return FALSE;
  return kind == PQ_PROBE_RPC_EPMAP ||
         (protocol == PQ_PROTOCOL_UDP && (kind == PQ_PROBE_LDAP || kind == PQ_PROBE_NETBIOS_NS));
}

void
pq_probe_findings_init (PqProbeFindings *findings)
{
  findings->details = g_ptr_array_new_with_free_func (g_object_unref);
  findings->summary = g_string_new (NULL);
}

void
pq_probe_findings_clear (PqProbeFindings *findings)
{
  g_clear_pointer (&findings->details, g_ptr_array_unref);
  if (findings->summary != NULL)
    g_string_free (findings->summary, TRUE);
  findings->summary = NULL;
}

/* Takes ownership of @detail. */
void
pq_probe_findings_add (PqProbeFindings *findings,
                       PqDetail        *detail)
{
  g_ptr_array_add (findings->details, detail);
}

/* A finding without children: one label and its value. */
void
pq_probe_add_detail (PqProbeFindings *findings,
                     const char      *kind,
                     const char      *label,
                     const char      *value)
{
  pq_probe_findings_add (findings, pq_detail_new (kind, label, value));
}

/**
 * pq_probe_malformed:
 * @protocol: the protocol's name, "IKE"
 * @kind: the finding's kind, "ike-malformed"
 * @why: (not nullable): N_() text: what is wrong with the reply
 *
 * The peer answered, but not in the protocol: the summary and a finding
 * say why.
 *
 * Returns: PQ_STEP_MALFORMED
 */
PqStep
pq_probe_malformed (PqProbeFindings *findings,
                    const char      *protocol,
                    const char      *kind,
                    const char      *why)
{
  /* Translators: the protocol (“IKE”), then what is wrong with the reply */
  g_string_printf (findings->summary, _("%s reply malformed: %s."), protocol, _(why));
  pq_probe_add_detail (findings, kind, _("Malformed"), _(why));
  return PQ_STEP_MALFORMED;
}

/**
 * pq_probe_printable:
 *
 * Network bytes as text that is safe to keep and show: valid UTF-8, with
 * control characters (terminal escapes, NULs, line breaks) as \xNN, and
 * trailing line ends dropped.
 *
 * Returns: (transfer full): the text
 */
char *
pq_probe_printable (const guint8 *data,
                    gsize         len)
{
  g_autofree char *valid = NULL;
  GString *out;

  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    len--;
  valid = g_utf8_make_valid ((const char *) data, (gssize) len);
  out = g_string_sized_new (len);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}
