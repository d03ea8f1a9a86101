/* pq-services.c: the services file, as PortQry uses the Windows one
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-error.h"
#include "pq-services.h"

/* A services file larger than this is not one. */
#define MAX_SERVICES_FILE (4 * 1024 * 1024)

struct _PqServices
{
  GObject     parent_instance;

  char       *source;
  GHashTable *names;    /* key: port << 1 | protocol; value: name */
  GHashTable *probes;   /* same key; value: PqProbeKind */
};

G_DEFINE_FINAL_TYPE (PqServices, pq_services, G_TYPE_OBJECT)

/* Names for the ports people ask about, used where /etc/services is missing
 * (some Flatpak runtimes) and for ports it does not name (Debian's has no
 * 135/udp or 3268/tcp). Same format as the file. */
static const char bundled_services[] =
  "ftp-data 20/tcp\n" "ftp 21/tcp\n" "ssh 22/tcp\n" "telnet 23/tcp\n"
  "smtp 25/tcp mail\n" "tacacs 49/tcp\n" "tacacs 49/udp\n" "nameserver 42/tcp name\n"
  "domain 53/tcp\n" "domain 53/udp\n" "bootps 67/udp\n" "bootpc 68/udp\n" "tftp 69/udp\n"
  "http 80/tcp www\n" "kerberos 88/tcp kerberos5 krb5\n" "kerberos 88/udp kerberos5 krb5\n"
  "pop3 110/tcp pop-3\n" "sunrpc 111/tcp portmapper\n" "sunrpc 111/udp portmapper\n"
  "nntp 119/tcp\n" "ntp 123/udp\n" "epmap 135/tcp loc-srv\n" "epmap 135/udp loc-srv\n"
  "netbios-ns 137/tcp\n" "netbios-ns 137/udp\n" "netbios-dgm 138/udp\n" "netbios-ssn 139/tcp\n"
  "imap2 143/tcp imap\n" "snmp 161/tcp\n" "snmp 161/udp\n" "snmp-trap 162/udp snmptrap\n"
  "ldap 389/tcp\n" "ldap 389/udp\n" "https 443/tcp\n" "https 443/udp\n"
  "microsoft-ds 445/tcp\n" "kpasswd 464/tcp\n" "kpasswd 464/udp\n" "isakmp 500/udp\n"
  "submissions 465/tcp ssmtp smtps\n"
  "submission 587/tcp\n" "http-rpc-epmap 593/tcp\n" "ldaps 636/tcp\n" "ftps 990/tcp\n"
  "imaps 993/tcp\n" "pop3s 995/tcp\n" "ms-sql-s 1433/tcp\n" "ms-sql-m 1434/udp\n"
  "l2tp 1701/udp\n" "fw-client 1745/tcp\n" "fw-client 1745/udp\n" "pptp 1723/tcp\n"
  "radius 1812/udp\n" "radius-acct 1813/udp\n" "nfs 2049/tcp\n" "nfs 2049/udp\n"
  "msft-gc 3268/tcp\n" "msft-gc-ssl 3269/tcp\n" "mysql 3306/tcp\n" "ms-wbt-server 3389/tcp\n"
  "ms-wbt-server 3389/udp\n" "ipsec-nat-t 4500/udp\n" "postgresql 5432/tcp\n"
  "wsman 5985/tcp\n" "wsmans 5986/tcp\n" "http-alt 8080/tcp webcache\n" "adws 9389/tcp\n"
  "https-alt 8443/tcp\n";

static const struct
{
  const char  *name;
  PqProbeKind  kind;
} probe_names[] = {
  { "domain", PQ_PROBE_DNS },
  { "netbios-ns", PQ_PROBE_NETBIOS_NS },
  { "ldap", PQ_PROBE_LDAP },
  { "msft-gc", PQ_PROBE_LDAP },
  { "epmap", PQ_PROBE_RPC_EPMAP },
  { "loc-srv", PQ_PROBE_RPC_EPMAP },
  { "snmp", PQ_PROBE_SNMP },
  { "ms-sql-m", PQ_PROBE_SQL_BROWSER },
  { "smtp", PQ_PROBE_SMTP },
  { "pop3", PQ_PROBE_POP3 },
  { "pop-3", PQ_PROBE_POP3 },
  { "imap", PQ_PROBE_IMAP },
  { "imap2", PQ_PROBE_IMAP },
  { "ftp", PQ_PROBE_FTP },
  { "http", PQ_PROBE_HTTP },
  { "www", PQ_PROBE_HTTP },
  /* Kerberos 5 only: "kdc" in Debian's file is Kerberos 4 on port 750. */
  { "kerberos", PQ_PROBE_KERBEROS },
  { "kerberos5", PQ_PROBE_KERBEROS },
  { "krb5", PQ_PROBE_KERBEROS },
  { "kerberos-sec", PQ_PROBE_KERBEROS },
  { "microsoft-ds", PQ_PROBE_SMB },
  { "netbios-ssn", PQ_PROBE_NETBIOS_SSN },
  { "submission", PQ_PROBE_SMTP },      /* 587: STARTTLS after EHLO */
  /* TLS from the first byte: the certificate. */
  { "https", PQ_PROBE_TLS },
  { "https-alt", PQ_PROBE_TLS },
  { "pcsync-https", PQ_PROBE_TLS },     /* IANA's name for 8443 */
  { "ldaps", PQ_PROBE_TLS },
  { "msft-gc-ssl", PQ_PROBE_TLS },
  { "imaps", PQ_PROBE_TLS },
  { "pop3s", PQ_PROBE_TLS },
  { "submissions", PQ_PROBE_TLS },
  { "ssmtp", PQ_PROBE_TLS },
  { "smtps", PQ_PROBE_TLS },
  { "ms-wbt-server", PQ_PROBE_RDP },
  { "nbsession", PQ_PROBE_NETBIOS_SSN },
  { "tftp", PQ_PROBE_TFTP },
  { "l2tp", PQ_PROBE_L2TP },
  { "isakmp", PQ_PROBE_IKE },
  { "ipsec-nat-t", PQ_PROBE_IKE_NATT },
};

static void
pq_services_finalize (GObject *object)
{
  PqServices *self = PQ_SERVICES (object);

  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->probes, g_hash_table_unref);

  G_OBJECT_CLASS (pq_services_parent_class)->finalize (object);
}

static void
pq_services_class_init (PqServicesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pq_services_finalize;
}

static void
pq_services_init (PqServices *self)
{
  self->names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->probes = g_hash_table_new (NULL, NULL);
}

static inline gpointer
make_key (guint16    port,
          PqProtocol protocol)
{
  return GUINT_TO_POINTER (((guint) port << 1) | (protocol == PQ_PROTOCOL_UDP ? 1u : 0u));
}

PqProbeKind
pq_probe_kind_for_name (const char *service)
{
  for (guint i = 0; service != NULL && i < G_N_ELEMENTS (probe_names); i++)
    if (g_ascii_strcasecmp (service, probe_names[i].name) == 0)
      return probe_names[i].kind;
  return PQ_PROBE_NONE;
}

/* "name port/proto [aliases...] [# comment]"; other lines are skipped, as
 * getservent() does. The first entry for a port wins. */
static void
parse_line (PqServices *self,
            char       *line)
{
  g_auto(GStrv) fields = NULL;
  char *hash = strchr (line, '#');
  char *slash;
  guint64 port;
  PqProtocol protocol;
  PqProbeKind kind = PQ_PROBE_NONE;
  gpointer key;
  guint n = 0;

  if (hash != NULL)
    *hash = '\0';
  fields = g_strsplit_set (g_strstrip (line), " \t", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    if (fields[i][0] != '\0')
      fields[n++] = fields[i];
    else
      g_free (fields[i]);
  fields[n] = NULL;
  if (n < 2 || (slash = strchr (fields[1], '/')) == NULL)
    return;

  *slash = '\0';
  if (!g_ascii_string_to_unsigned (fields[1], 10, 1, 65535, &port, NULL))
    return;
  if (g_ascii_strcasecmp (slash + 1, "tcp") == 0)
    protocol = PQ_PROTOCOL_TCP;
  else if (g_ascii_strcasecmp (slash + 1, "udp") == 0)
    protocol = PQ_PROTOCOL_UDP;
  else
    return;

  key = make_key ((guint16) port, protocol);
  if (g_hash_table_contains (self->names, key))
    return;

  for (guint i = 0; i < n && kind == PQ_PROBE_NONE; i++)
    if (i != 1)
      kind = pq_probe_kind_for_name (fields[i]);
  /* TLS and RDP are probed over TCP (443/udp is HTTP/3, 3389/udp RDP's
   * UDP transport: neither is asked). */
  if (protocol == PQ_PROTOCOL_UDP && (kind == PQ_PROBE_TLS || kind == PQ_PROBE_RDP))
    kind = PQ_PROBE_NONE;

  g_hash_table_insert (self->names, key, g_strdup (fields[0]));
  g_hash_table_insert (self->probes, key, GUINT_TO_POINTER (kind));
}

static void
parse_data (PqServices *self,
            const char *data,
            gsize       length)
{
  g_autofree char *copy = g_strndup (data, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    parse_line (self, lines[i]);
}

/**
 * pq_services_new_from_data:
 *
 * Parses services-file text, then adds the built-in names for ports it
 * does not name.
 */
PqServices *
pq_services_new_from_data (const char *data,
                           gsize       length)
{
  PqServices *self = g_object_new (PQ_TYPE_SERVICES, NULL);

  parse_data (self, data, length);
  parse_data (self, bundled_services, sizeof bundled_services - 1);
  self->source = g_strdup (_("built-in table"));
  return self;
}

PqServices *
pq_services_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  PqServices *self;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length > MAX_SERVICES_FILE)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_SERVICES_FILE,
                   _("%s is too large to be a services file."), path);
      return NULL;
    }

  self = pq_services_new_from_data (contents, length);
  g_free (self->source);
  self->source = g_strdup (path);
  return self;
}

/**
 * pq_services_new_default:
 *
 * Returns: (transfer full): /etc/services, or the built-in table when the
 *   file cannot be read
 */
PqServices *
pq_services_new_default (void)
{
  PqServices *self = pq_services_new_from_file (PQ_SERVICES_DEFAULT_PATH, NULL);

  if (self == NULL)
    self = pq_services_new_from_data ("", 0);
  return self;
}

const char *
pq_services_get_source (PqServices *self)
{
  g_return_val_if_fail (PQ_IS_SERVICES (self), NULL);
  return self->source;
}

/* Returns: (nullable): the service name, or %NULL for an unnamed port */
const char *
pq_services_lookup (PqServices *self,
                    guint16     port,
                    PqProtocol  protocol)
{
  g_return_val_if_fail (PQ_IS_SERVICES (self), NULL);
  return g_hash_table_lookup (self->names, make_key (port, protocol));
}

PqProbeKind
pq_services_probe_for (PqServices *self,
                       guint16     port,
                       PqProtocol  protocol)
{
  g_return_val_if_fail (PQ_IS_SERVICES (self), PQ_PROBE_NONE);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->probes, make_key (port, protocol)));
}
