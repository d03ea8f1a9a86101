/* pq-epm.c: the MS-RPC endpoint mapper dump PortQry does on port 135
 *
 * TCP: a DCE/RPC connection-oriented bind to the endpoint mapper interface,
 * then ept_lookup (opnum 2, "all elements") repeated with the returned
 * context handle until the server says there are no more. UDP: the same
 * ept_lookup as connectionless (ncadg) requests, one activity.
 *
 * References: C706 (DCE 1.1 RPC) chapters 12 and 14 and appendix L (towers),
 * [MS-RPCE] 2.2.1.2 (ept_lookup). Every count and length from the network is
 * checked against the bytes there are; lists and loops are bounded.
 *
 * Samba ends the list with status ept_s_not_registered, sometimes in the
 * same reply as the last entries: those entries are kept (impacket's
 * rpcdump throws them away).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-epm.h"

/* Entries asked for per ept_lookup. UDP asks for fewer so each reply fits
 * in one datagram (we never send the acknowledgements a fragmented
 * connectionless reply would need). */
#define EPM_TCP_MAX_ENTS   100
#define EPM_UDP_MAX_ENTS   8
/* ept_lookup calls before giving up on a server that never says "no more" */
#define EPM_TCP_MAX_LOOKUPS 40
#define EPM_UDP_MAX_LOOKUPS 100
/* Entries kept and shown at most; a real server has a few hundred. */
#define EPM_MAX_ENDPOINTS  4000
/* One reassembled reply at most, and its fragments. */
#define EPM_MAX_STUB       (512 * 1024)
#define EPM_MAX_FRAGMENTS  512
/* Tower floors decoded at most; real towers have 4 or 5. */
#define EPM_MAX_FLOORS     16
/* What we tell the server we take per fragment. */
#define EPM_MAX_FRAG       5840
/* Smallest encoding of one ept_entry_t: object, tower pointer, annotation's
 * offset and length. */
#define EPM_MIN_ENTRY      28

#define CO_HEADER      16
#define PFC_FIRST_FRAG 0x01
#define PFC_LAST_FRAG  0x02

#define CL_HEADER      80
#define CL_PF_FRAG     0x04
#define CL_PF_LAST     0x02
#define CL_IDEMPOTENT  0x20

enum
{
  PTYPE_REQUEST = 0,
  PTYPE_RESPONSE = 2,
  PTYPE_FAULT = 3,
  PTYPE_WORKING = 4,
  PTYPE_NOCALL = 5,
  PTYPE_REJECT = 6,
  PTYPE_BIND = 11,
  PTYPE_BIND_ACK = 12,
  PTYPE_BIND_NAK = 13,
};

/* e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0, in NDR (little-endian) order */
static const guint8 epm_uuid[16] = {
  0x08, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11,
  0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa,
};
/* NDR 8a885d04-1ceb-11c9-9fe8-08002b104860 v2 */
static const guint8 ndr_syntax_uuid[16] = {
  0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
  0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
};

typedef enum
{
  PROTSEQ_NP,
  PROTSEQ_TCP,
  PROTSEQ_UDP,
  PROTSEQ_LRPC,
  PROTSEQ_HTTP,
  PROTSEQ_OTHER,
  N_PROTSEQ
} Protseq;

static const char * const protseq_names[N_PROTSEQ] = {
  "ncacn_np", "ncacn_ip_tcp", "ncadg_ip_udp", "ncalrpc", "ncacn_http", N_("other"),
};

typedef enum
{
  STAGE_BIND,
  STAGE_LOOKUP,
} Stage;

typedef struct
{
  gboolean     udp;
  Stage        stage;
  guint32      call_id;
  guint8       handle[20];     /* ept_lookup's context handle, as sent back */
  guint        lookups;        /* ept_lookup requests sent */
  guint        fragments;      /* of the reply being reassembled */
  GByteArray  *stub;           /* the reply's NDR data, reassembled */
  gboolean     big_endian;     /* the server's data representation */
  guint        endpoints;
  guint        counts[N_PROTSEQ];
  /* UDP */
  guint8       activity[16];
  char         activity_text[37];
  guint32      server_boot;
  guint32      seqnum;
  guint16      next_fragnum;
} Epm;

/* ------------------------------------------------------------------ */
/* Reading NDR                                                         */

/* A cursor over network bytes. Every read checks the bytes left; after
 * the first failure every read fails, so callers check once at the end. */
typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gboolean      big;
  gboolean      ok;
} Ndr;

static void
ndr_init (Ndr          *r,
          const guint8 *data,
          gsize         len,
          gboolean      big)
{
  *r = (Ndr) { data, len, 0, big, TRUE };
}

static gsize
ndr_left (const Ndr *r)
{
  return r->ok ? r->len - r->pos : 0;
}

static const guint8 *
ndr_bytes (Ndr   *r,
           gsize  n)
{
  const guint8 *p;

  if (!r->ok || n > r->len - r->pos)
    {
      r->ok = FALSE;
      return NULL;
    }
  p = r->data + r->pos;
  r->pos += n;
  return p;
}

/* NDR aligns a primitive to its size, counted from the start of the data. */
static void
ndr_align (Ndr   *r,
           gsize  n)
{
  gsize pad = (n - r->pos % n) % n;

  ndr_bytes (r, pad);
}

static guint16
ndr_u16 (Ndr *r)
{
  const guint8 *p;

  ndr_align (r, 2);
  p = ndr_bytes (r, 2);
  if (p == NULL)
    return 0;
  return r->big ? (guint16) (p[0] << 8 | p[1]) : (guint16) (p[1] << 8 | p[0]);
}

static guint32
ndr_u32 (Ndr *r)
{
  const guint8 *p;

  ndr_align (r, 4);
  p = ndr_bytes (r, 4);
  if (p == NULL)
    return 0;
  if (r->big)
    return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

/* A UUID as text; its first three fields follow the data representation. */
static void
ndr_uuid (Ndr  *r,
          char  text[37])
{
  guint32 a = ndr_u32 (r);
  guint16 b = ndr_u16 (r);
  guint16 c = ndr_u16 (r);
  const guint8 *d = ndr_bytes (r, 8);

  if (d == NULL)
    {
      g_strlcpy (text, "00000000-0000-0000-0000-000000000000", 37);
      return;
    }
  g_snprintf (text, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              a, b, c, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[1] << 8 | p[0]);
}

static void
put_le16 (GByteArray *out,
          guint16     v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (out, b, 2);
}

static void
put_le32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

typedef struct
{
  const char *uuid;
  const char *name;
} KnownInterface;

/* Well-known interfaces, by the names Samba and Windows give them. */
static const KnownInterface known_interfaces[] = {
  { "e1af8308-5d1f-11c9-91a4-08002b14a0fa", "epmapper (endpoint mapper)" },
  { "afa8bd80-7d8a-11c9-bef4-08002b102989", "mgmt (RPC management)" },
  { "12345778-1234-abcd-ef00-0123456789ab", "lsarpc (Local Security Authority)" },
  { "12345778-1234-abcd-ef00-0123456789ac", "samr (Security Account Manager)" },
  { "12345678-1234-abcd-ef00-01234567cffb", "netlogon (Netlogon)" },
  { "e3514235-4b06-11d1-ab04-00c04fc2dcd2", "drsuapi (directory replication)" },
  { "3919286a-b10c-11d0-9ba8-00c04fd92ef5", "dssetup (directory role)" },
  { "12345678-1234-abcd-ef00-0123456789ab", "spoolss (print spooler)" },
  { "76f03f96-cdfd-44fc-a22c-64950a001209", "IRemoteWinspool (print spooler)" },
  { "4b324fc8-1670-01d3-1278-5a47bf6ee188", "srvsvc (server service)" },
  { "6bffd098-a112-3610-9833-46c3f87e345a", "wkssvc (workstation service)" },
  { "6bffd098-a112-3610-9833-012892020162", "browser (computer browser)" },
  { "338cd001-2244-31f1-aaaa-900038001003", "winreg (remote registry)" },
  { "367abb81-9844-35f1-ad32-98f038001003", "svcctl (service control manager)" },
  { "82273fdc-e32a-18c3-3f78-827929dc23ea", "eventlog (event log)" },
  { "f6beaff7-1e19-4fbb-9f8f-b89e2018337c", "eventlog6 (event log, even6)" },
  { "50abc2a4-574d-40b3-9d66-ee4fd5fba076", "dnsserver (DNS server management)" },
  { "897e2e5f-93f3-4376-9c9c-fd2277495c27", "frstrans (DFS replication)" },
  { "4fc742e0-4a10-11cf-8273-00aa004ae673", "netdfs (DFS namespace)" },
  { "f5cc59b4-4264-101a-8c59-08002b2f8426", "frsrpc (File Replication Service)" },
  { "d049b186-814f-11d1-9a3c-00c04fc9b232", "frsapi (File Replication Service API)" },
  { "3dde7c30-165d-11d1-ab8f-00805f14db40", "backupkey (BackupKey)" },
  { "894de0c0-0d55-11d3-a322-00c04fa321a1", "initshutdown (remote shutdown)" },
  { "d95afe70-a6d5-4259-822e-2c84da1ddb0d", "WindowsShutdown (remote shutdown)" },
  { "1ff70682-0a51-30e8-076d-740be8cee98b", "atsvc (task scheduler)" },
  { "86d35949-83c9-4044-b424-db363231fd0c", "ITaskSchedulerService (task scheduler)" },
  { "378e52b0-c0a9-11cf-822d-00aa0051e40f", "sasec (task scheduler)" },
  { "4d9f4ab8-7d1c-11cf-861e-0020af6e7c57", "IActivation (DCOM)" },
  { "000001a0-0000-0000-c000-000000000046", "IRemoteSCMActivator (DCOM)" },
  { "99fcfec4-5260-101b-bbcb-00aa0021347a", "IObjectExporter (DCOM)" },
  { "12b81e99-f207-4a4c-85d3-77b42f76fd14", "seclogon (secondary logon)" },
  { "8d9f4e40-a03d-11ce-8f69-08003e30051b", "ntsvcs (plug and play)" },
  { "c681d488-d850-11d0-8c52-00c04fd90f7e", "efsrpc (encrypting file system)" },
  { "df1941c5-fe89-4e79-bf10-463657acf44d", "efsrpc (encrypting file system)" },
  { "8fb6d884-2388-11d0-8c35-00c04fda2795", "w32time (time service)" },
  { "45f52c28-7f9f-101a-b52b-08002b2efabe", "winsif (WINS)" },
  { "811109bf-a4e1-11d1-ab54-00a0c91e9b45", "winsi2 (WINS)" },
  { "6bffd098-a112-3610-9833-46c3f874532d", "dhcpsrv (DHCP server)" },
  { "5b821720-f63b-11d0-aad2-00c04fc324db", "dhcpsrv2 (DHCP server)" },
  { "f5cc5a18-4264-101a-8c59-08002b2f8426", "nspi (name service provider)" },
  { "5ca4a760-ebb1-11cf-8611-00a0245420ed", "winstation (terminal services)" },
  { "300f3532-38cc-11d0-a3f0-0020af6b0add", "trkwks (link tracking)" },
  { "4da1c422-943d-11d1-acae-00c04fc2aa3f", "trksvr (link tracking)" },
  { "9c54e310-a955-4885-bd31-78787147dfa6", "unixinfo (Samba)" },
  { "60a15ec5-4de8-11d7-a637-005056a20182", "rpcecho (Samba)" },
  { "a8e0653c-2744-4389-a61d-7373df8b2292", "fsrvp (file server VSS)" },
  { "885d85fb-c754-4062-a0e7-6872ce0064f4", "mdssvc (Spotlight)" },
  { "ccd8c074-d0e5-4a40-92b4-d074faa6ba28", "witness (SMB witness)" },
  { "b97db8b2-4c63-11cf-bff6-08002be23f2f", "clusapi (cluster)" },
  { "7c44d7d4-31d5-424c-bd5e-2b3e1f323d22", "dsaop (directory services)" },
};

/**
 * pq_epm_interface_name:
 * @uuid: an interface UUID, lower case
 *
 * Returns: (nullable): the well-known name of the interface
 */
const char *
pq_epm_interface_name (const char *uuid)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_interfaces); i++)
    if (g_ascii_strcasecmp (known_interfaces[i].uuid, uuid) == 0)
      return known_interfaces[i].name;
  return NULL;
}

static const char *
bind_nak_reason (guint reason)
{
  static const char * const reasons[] = {
    N_("reason not specified"),
    N_("temporary congestion"),
    N_("local limit exceeded"),
    N_("called presentation address unknown"),
    N_("protocol version not supported"),
    N_("default context not supported"),
    N_("user data not readable"),
    N_("no presentation address available"),
    N_("authentication type not recognized"),
    N_("invalid checksum"),
  };

  return reason < G_N_ELEMENTS (reasons) ? _(reasons[reason]) : _("unknown reason");
}

static const char *
result_reason (guint reason)
{
  static const char * const reasons[] = {
    N_("reason not specified"),
    N_("abstract syntax not supported"),
    N_("proposed transfer syntaxes not supported"),
    N_("local limit exceeded"),
  };

  return reason < G_N_ELEMENTS (reasons) ? _(reasons[reason]) : _("unknown reason");
}

static const char *
status_name (guint32 status)
{
  switch (status)
    {
    case 0x00000005: return "access denied";
    case 0x000006f7: return "bad stub data";
    case 0x1c010002: return "nca_s_op_rng_error, unknown operation";
    case 0x1c010003: return "nca_s_unk_if, unknown interface";
    case 0x1c01000b: return "nca_s_proto_error, protocol error";
    case 0x1c00001c: return "nca_s_fault_remote_no_memory";
    case 0x1c000006: return "nca_s_fault_context_mismatch";
    case PQ_EPM_NOT_REGISTERED: return "ept_s_not_registered, no more entries";
    case 0x16c9a0d8: return "ept_s_cant_perform_op";
    case 0x16c9a0d5: return "ept_s_invalid_entry";
    case 0x16c9a0db: return "ept_s_cant_access";
    default: return "unknown status";
    }
}

/* ------------------------------------------------------------------ */
/* Towers                                                              */

typedef struct
{
  char      iface[37];
  guint16   vmajor, vminor;
  gboolean  have_iface;
  Protseq   protseq;
  char     *binding;
} Tower;

/* A string in a tower floor, up to its NUL, made safe to show. */
static char *
floor_string (const guint8 *p,
              gsize         n)
{
  const guint8 *nul = memchr (p, 0, n);

  return pq_probe_printable (p, nul ? (gsize) (nul - p) : n);
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

/* Builds the string binding from the transport floors (4th on), as
 * rpcdump and PortQry print it: ncacn_ip_tcp:10.0.0.1[49664]. */
static void
tower_binding (Tower        *t,
               guint8        rpc_protocol,
               const guint8 *lhs[],
               const guint8 *rhs[],
               const guint16 rhs_len[],
               guint         n)
{
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  int port = -1;
  guint8 transport = 0;

  for (guint i = 3; i < n; i++)
    {
      guint8 id = lhs[i][0];

      switch (id)
        {
        case 0x07: case 0x08: case 0x1f:
          if (rhs_len[i] >= 2)
            port = be16 (rhs[i]);
          transport = id;
          break;
        case 0x09:
          if (rhs_len[i] >= 4)
            {
              g_free (host);
              host = g_strdup_printf ("%u.%u.%u.%u", rhs[i][0], rhs[i][1], rhs[i][2], rhs[i][3]);
            }
          break;
        case 0x0f: case 0x10:
          g_free (name);
          name = floor_string (rhs[i], rhs_len[i]);
          transport = id;
          break;
        case 0x11:
          g_free (host);
          host = floor_string (rhs[i], rhs_len[i]);
          break;
        default:
          if (transport == 0)
            transport = id;
          break;
        }
    }

  switch (transport)
    {
    case 0x07:
      t->protseq = PROTSEQ_TCP;
      t->binding = g_strdup_printf ("ncacn_ip_tcp:%s[%d]", host ? host : "", port);
      break;
    case 0x08:
      t->protseq = PROTSEQ_UDP;
      t->binding = g_strdup_printf ("ncadg_ip_udp:%s[%d]", host ? host : "", port);
      break;
    case 0x1f:
      t->protseq = PROTSEQ_HTTP;
      t->binding = g_strdup_printf ("ncacn_http:%s[%d]", host ? host : "", port);
      break;
    case 0x0f:
      t->protseq = PROTSEQ_NP;
      t->binding = host && *host ? g_strdup_printf ("ncacn_np:\\\\%s[%s]", host, name)
                                 : g_strdup_printf ("ncacn_np:[%s]", name);
      break;
    case 0x10:
      t->protseq = PROTSEQ_LRPC;
      t->binding = g_strdup_printf ("ncalrpc:[%s]", name);
      break;
    default:
      t->protseq = PROTSEQ_OTHER;
      t->binding = g_strdup_printf (_("unknown protocol 0x%02x (RPC protocol 0x%02x)"),
                                    transport, rpc_protocol);
      break;
    }
}

/* Decodes a twr_t octet string (C706 appendix L; always little-endian).
 * Returns: FALSE if the floors do not fit in the bytes. */
static gboolean
tower_decode (const guint8 *p,
              gsize         len,
              Tower        *t)
{
  const guint8 *lhs[EPM_MAX_FLOORS], *rhs[EPM_MAX_FLOORS];
  guint16 lhs_len[EPM_MAX_FLOORS], rhs_len[EPM_MAX_FLOORS];
  guint n, count;
  gsize pos = 2;

  memset (t, 0, sizeof *t);
  if (len < 2)
    return FALSE;
  count = le16 (p);
  n = MIN (count, EPM_MAX_FLOORS);
  for (guint i = 0; i < n; i++)
    {
      if (len - pos < 2 || (lhs_len[i] = le16 (p + pos)) == 0 || len - pos - 2 < lhs_len[i])
        return FALSE;
      lhs[i] = p + pos + 2;
      pos += 2 + lhs_len[i];
      if (len - pos < 2 || len - pos - 2 < (rhs_len[i] = le16 (p + pos)))
        return FALSE;
      rhs[i] = p + pos + 2;
      pos += 2 + rhs_len[i];
    }

  /* Floor 1: the interface, 0x0d + UUID + major version; minor on the right. */
  if (n >= 1 && lhs[0][0] == 0x0d && lhs_len[0] >= 19)
    {
      Ndr r;

      ndr_init (&r, lhs[0] + 1, 16, FALSE);
      ndr_uuid (&r, t->iface);
      t->vmajor = le16 (lhs[0] + 17);
      t->vminor = rhs_len[0] >= 2 ? le16 (rhs[0]) : 0;
      t->have_iface = TRUE;
    }
  if (n < 4)
    {
      t->protseq = PROTSEQ_OTHER;
      t->binding = g_strdup_printf (_("tower with %u floors"), count);
      return TRUE;
    }
  tower_binding (t, lhs[2][0], lhs, rhs, rhs_len, n);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */

static void
add_entry (Epm             *e,
           PqProbeFindings *findings,
           const char      *object,
           const guint8    *annotation,
           gsize            annotation_len,
           const Tower     *t)
{
  /* The annotation is a C string in a 64-byte array: it ends at its NUL. */
  gsize max = MIN (annotation_len, 64);
  const guint8 *nul = max > 0 ? memchr (annotation, 0, max) : NULL;
  g_autofree char *note = pq_probe_printable (annotation, nul ? (gsize) (nul - annotation) : max);
  g_autofree char *value = NULL;
  PqDetail *detail, *child;
  const char *known = t->have_iface ? pq_epm_interface_name (t->iface) : NULL;

  e->counts[t->protseq]++;
  e->endpoints++;
  if (e->endpoints > EPM_MAX_ENDPOINTS)
    return;

  value = g_strdup_printf ("%s%s%s", t->have_iface ? t->iface : object, *note ? " " : "", note);
  detail = pq_detail_new ("rpc-endpoint", "UUID", value);
  child = pq_detail_new ("rpc-binding", "", t->binding ? t->binding : _("no tower"));
  pq_detail_append (detail, child);
  g_object_unref (child);
  if (t->have_iface)
    {
      g_autofree char *iface = g_strdup_printf ("%s v%u.%u", known ? known : _("unknown interface"),
                                                t->vmajor, t->vminor);

      child = pq_detail_new ("rpc-interface", _("Interface"), iface);
      pq_detail_append (detail, child);
      g_object_unref (child);
    }
  if (strcmp (object, "00000000-0000-0000-0000-000000000000") != 0)
    {
      child = pq_detail_new ("rpc-object", _("Object"), object);
      pq_detail_append (detail, child);
      g_object_unref (child);
    }
  pq_probe_findings_add (findings, detail);
}

/* The summary so far: "... listed 53 endpoints (24 ncacn_np, 16 ...)" */
static void
summarize (Epm             *e,
           PqProbeFindings *findings,
           const char      *tail)
{
  GString *s = findings->summary;
  gboolean first = TRUE;

  g_string_printf (s, ngettext ("The endpoint mapper listed %u endpoint",
                                "The endpoint mapper listed %u endpoints", e->endpoints),
                   e->endpoints);
  for (guint i = 0; i < N_PROTSEQ; i++)
    if (e->counts[i] > 0)
      {
        g_string_append_printf (s, "%s%u %s", first ? " (" : ", ", e->counts[i], _(protseq_names[i]));
        first = FALSE;
      }
  if (!first)
    g_string_append_c (s, ')');
  g_string_append_c (s, '.');
  if (e->endpoints > EPM_MAX_ENDPOINTS)
    g_string_append_printf (s, _(" Only the first %u are shown."), EPM_MAX_ENDPOINTS);
  if (tail != NULL)
    g_string_append_printf (s, " %s", tail);
}

static PqStep
finish (Epm             *e,
        PqProbeFindings *findings,
        const char      *tail)
{
  g_autofree char *total = g_strdup_printf ("%u", e->endpoints);

  pq_probe_findings_add (findings, pq_detail_new ("rpc-endpoint-count", _("Total endpoints found"), total));
  summarize (e, findings, tail);
  return PQ_STEP_DONE;
}

/* Ends on a reply that is not what the protocol allows. */
static PqStep
malformed (Epm             *e,
           PqProbeFindings *findings,
           const char      *why)
{
  g_autofree char *tail = g_strdup_printf (_("Then a malformed reply: %s."), why);

  if (e->endpoints > 0)
    {
      finish (e, findings, tail);
      return PQ_STEP_DONE;
    }
  g_string_printf (findings->summary, _("The endpoint mapper reply was malformed: %s."), why);
  return PQ_STEP_MALFORMED;
}

/* ------------------------------------------------------------------ */
/* ept_lookup                                                          */

typedef struct
{
  char          object[37];
  guint32       tower_ref;
  const guint8 *annotation;
  gsize         annotation_len;
} Entry;

/* The ept_lookup request's NDR data: inquiry all, no object, no
 * interface, all versions, the context handle, max_ents. */
static void
lookup_stub (Epm        *e,
             GByteArray *out)
{
  put_le32 (out, 0);           /* inquiry_type: RPC_C_EP_ALL_ELTS */
  put_le32 (out, 0);           /* object: NULL */
  put_le32 (out, 0);           /* interface: NULL */
  put_le32 (out, 1);           /* vers_option: RPC_C_VERS_ALL */
  g_byte_array_append (out, e->handle, sizeof e->handle);
  put_le32 (out, e->udp ? EPM_UDP_MAX_ENTS : EPM_TCP_MAX_ENTS);
}

/* Reads the entries of one reply and adds them.
 * Returns: NULL, or why the reply does not parse */
static const char *
read_entries (Epm             *e,
              Ndr             *r,
              PqProbeFindings *findings)
{
  g_autoptr(GArray) entries = NULL;
  guint32 num_ents, max_count, offset, actual;

  num_ents = ndr_u32 (r);
  if (!r->ok)
    return _("the reply ends before the entry count");
  /* The entries pointer-less conformant varying array */
  max_count = ndr_u32 (r);
  offset = ndr_u32 (r);
  actual = ndr_u32 (r);
  if (!r->ok)
    return _("the reply ends inside the entry array header");
  if (offset != 0 || actual > max_count || actual != num_ents)
    return _("the entry array's counts disagree");
  if (actual > ndr_left (r) / EPM_MIN_ENTRY)
    return _("it claims more entries than its bytes can hold");

  entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), actual);
  for (guint32 i = 0; i < actual; i++)
    {
      Entry en = { 0 };
      guint32 aoff, alen;

      ndr_uuid (r, en.object);
      en.tower_ref = ndr_u32 (r);
      aoff = ndr_u32 (r);
      alen = ndr_u32 (r);
      en.annotation = ndr_bytes (r, alen);
      en.annotation_len = alen;
      if (!r->ok || aoff != 0)
        return _("an entry is cut short or its annotation runs past the end");
      g_array_append_val (entries, en);
    }

  /* The towers follow the array, one per non-null pointer, in order. */
  for (guint32 i = 0; i < actual; i++)
    {
      Entry *en = &g_array_index (entries, Entry, i);
      Tower t = { 0 };
      guint32 max, tower_len;
      const guint8 *octets;

      if (en->tower_ref != 0)
        {
          max = ndr_u32 (r);
          tower_len = ndr_u32 (r);
          octets = ndr_bytes (r, tower_len);
          if (!r->ok || tower_len > max)
            return _("a tower's length runs past the end of the reply");
          if (!tower_decode (octets, tower_len, &t))
            {
              g_free (t.binding);
              return _("a tower's floors run past the end of the tower");
            }
        }
      add_entry (e, findings, en->object, en->annotation, en->annotation_len, &t);
      g_free (t.binding);
    }
  return NULL;
}

static gboolean
handle_is_null (const guint8 handle[20])
{
  for (guint i = 0; i < 20; i++)
    if (handle[i] != 0)
      return FALSE;
  return TRUE;
}

/* The whole reply of one ept_lookup is there: read it, then either ask
 * again with the returned handle (SEND, the request's stub in @stub_out)
 * or finish. */
static PqStep
lookup_reply (Epm             *e,
              const guint8    *stub,
              gsize            len,
              GByteArray      *stub_out,
              PqProbeFindings *findings)
{
  guint before = e->endpoints;
  guint max_lookups = e->udp ? EPM_UDP_MAX_LOOKUPS : EPM_TCP_MAX_LOOKUPS;
  const guint8 *handle;
  const char *why;
  guint32 status;
  Ndr r;

  ndr_init (&r, stub, len, e->big_endian);
  handle = ndr_bytes (&r, 20);
  if (handle == NULL)
    return malformed (e, findings, _("the reply ends before the context handle"));
  memcpy (e->handle, handle, 20);
  why = read_entries (e, &r, findings);
  if (why != NULL)
    return malformed (e, findings, why);
  status = ndr_u32 (&r);
  if (!r.ok)
    return malformed (e, findings, _("the reply ends before the status"));

  if (status == PQ_EPM_NOT_REGISTERED || (status == 0 && (e->endpoints == before || handle_is_null (e->handle))))
    return finish (e, findings, NULL);
  if (status != 0)
    {
      g_autofree char *tail = g_strdup_printf (_("Then ept_lookup failed with status 0x%08x (%s)."),
                                               status, status_name (status));

      return finish (e, findings, tail);
    }
  if (e->lookups >= max_lookups)
    {
      g_autofree char *tail = g_strdup_printf (_("The endpoint mapper kept returning entries; stopped after %u requests."),
                                               e->lookups);

      return finish (e, findings, tail);
    }
  if (e->endpoints >= EPM_MAX_ENDPOINTS)
    return finish (e, findings, NULL);

  lookup_stub (e, stub_out);
  e->lookups++;
  return PQ_STEP_SEND;
}

static PqStep
fault (Epm             *e,
       guint32          status,
       PqProbeFindings *findings)
{
  g_autofree char *value = g_strdup_printf ("0x%08x (%s)", status, status_name (status));
  g_autofree char *tail = NULL;

  pq_probe_findings_add (findings, pq_detail_new ("rpc-fault", _("Fault"), value));
  if (e->endpoints > 0)
    {
      tail = g_strdup_printf (_("Then the endpoint mapper answered with a fault: %s."), value);
      return finish (e, findings, tail);
    }
  g_string_printf (findings->summary, _("The endpoint mapper answered with a fault: %s."), value);
  return PQ_STEP_DONE;
}

/* ------------------------------------------------------------------ */
/* TCP: connection-oriented PDUs                                       */

static void
co_header (Epm        *e,
           GByteArray *out,
           guint8      ptype)
{
  const guint8 head[8] = { 5, 0, ptype, PFC_FIRST_FRAG | PFC_LAST_FRAG, 0x10, 0, 0, 0 };

  g_byte_array_append (out, head, sizeof head);
  put_le16 (out, 0);           /* frag_length, set when complete */
  put_le16 (out, 0);           /* auth_length */
  put_le32 (out, ++e->call_id);
}

static void
co_set_length (GByteArray *out)
{
  out->data[8] = out->len & 0xff;
  out->data[9] = (out->len >> 8) & 0xff;
}

static void
co_bind (Epm        *e,
         GByteArray *out)
{
  co_header (e, out, PTYPE_BIND);
  put_le16 (out, EPM_MAX_FRAG);   /* max_xmit_frag */
  put_le16 (out, EPM_MAX_FRAG);   /* max_recv_frag */
  put_le32 (out, 0);              /* assoc_group_id */
  put_le32 (out, 1);              /* one context element, padding */
  put_le16 (out, 0);              /* p_cont_id */
  put_le16 (out, 1);              /* one transfer syntax, padding */
  g_byte_array_append (out, epm_uuid, 16);
  put_le32 (out, 3);              /* v3.0 */
  g_byte_array_append (out, ndr_syntax_uuid, 16);
  put_le32 (out, 2);              /* NDR v2 */
  co_set_length (out);
}

static void
co_request (Epm        *e,
            GByteArray *stub,
            GByteArray *out)
{
  co_header (e, out, PTYPE_REQUEST);
  put_le32 (out, stub->len);      /* alloc_hint */
  put_le16 (out, 0);              /* p_cont_id */
  put_le16 (out, 2);              /* opnum: ept_lookup */
  g_byte_array_append (out, stub->data, stub->len);
  co_set_length (out);
}

static PqStep
co_bind_reply (Epm             *e,
               guint8           ptype,
               Ndr             *r,
               GByteArray      *out,
               PqProbeFindings *findings)
{
  g_autoptr(GByteArray) stub = g_byte_array_new ();
  const guint8 *results;
  guint16 sec_len, result, reason;

  if (ptype == PTYPE_BIND_NAK)
    {
      guint16 why = ndr_u16 (r);
      g_autofree char *value = g_strdup_printf ("%s (%u)", bind_nak_reason (why), why);

      pq_probe_findings_add (findings, pq_detail_new ("rpc-bind", _("Bind rejected"), value));
      g_string_printf (findings->summary, _("The endpoint mapper rejected the bind: %s."), value);
      return PQ_STEP_DONE;
    }
  if (ptype == PTYPE_FAULT)
    {
      ndr_bytes (r, 8);
      return fault (e, ndr_u32 (r), findings);
    }
  if (ptype != PTYPE_BIND_ACK)
    return malformed (e, findings, _("the bind was answered with a PDU of another type"));

  ndr_bytes (r, 8);               /* max_xmit, max_recv, assoc_group_id */
  sec_len = ndr_u16 (r);
  ndr_bytes (r, sec_len);         /* the secondary address */
  ndr_align (r, 4);
  results = ndr_bytes (r, 4);     /* n_results, padding */
  if (results == NULL || results[0] == 0)
    return malformed (e, findings, _("the bind acknowledgement has no result"));
  result = ndr_u16 (r);
  reason = ndr_u16 (r);
  if (!r->ok)
    return malformed (e, findings, _("the bind acknowledgement is cut short"));
  if (result != 0)
    {
      g_autofree char *value = g_strdup_printf ("%s (%u)", result_reason (reason), reason);

      pq_probe_findings_add (findings, pq_detail_new ("rpc-bind", _("Bind rejected"), value));
      g_string_printf (findings->summary, _("The endpoint mapper rejected the bind: %s."), value);
      return PQ_STEP_DONE;
    }

  e->stage = STAGE_LOOKUP;
  e->lookups = 1;
  lookup_stub (e, stub);
  co_request (e, stub, out);
  g_string_printf (findings->summary, _("The endpoint mapper accepted the bind; the ept_lookup reply did not come whole."));
  return PQ_STEP_SEND;
}

/* One fragment of the ept_lookup reply. Returns READ while more are due. */
static PqStep
co_response (Epm             *e,
             const guint8    *pdu,
             gsize            len,
             guint8           flags,
             guint16          auth_len,
             GByteArray      *out,
             PqProbeFindings *findings)
{
  g_autoptr(GByteArray) stub = NULL;
  gsize body = CO_HEADER + 8;
  gsize trailer = auth_len ? (gsize) auth_len + 8 : 0;
  PqStep step;

  if (len < body + trailer)
    return malformed (e, findings, _("a response fragment is shorter than its header"));
  if (flags & PFC_FIRST_FRAG)
    g_byte_array_set_size (e->stub, 0);
  if (++e->fragments > EPM_MAX_FRAGMENTS || e->stub->len + (len - body - trailer) > EPM_MAX_STUB)
    return malformed (e, findings, _("the reply grows past the limit without its last fragment"));
  g_byte_array_append (e->stub, pdu + body, (guint) (len - body - trailer));
  if (!(flags & PFC_LAST_FRAG))
    return PQ_STEP_READ;

  e->fragments = 0;
  stub = g_byte_array_new ();
  step = lookup_reply (e, e->stub->data, e->stub->len, stub, findings);
  if (step == PQ_STEP_SEND)
    {
      co_request (e, stub, out);
      summarize (e, findings, _("The next ept_lookup reply did not come whole."));
    }
  return step;
}

/* Reads one whole PDU. Returns: READ to go on reading */
static PqStep
co_pdu (Epm             *e,
        const guint8    *pdu,
        gsize            len,
        GByteArray      *out,
        PqProbeFindings *findings)
{
  guint8 ptype = pdu[2], flags = pdu[3];
  guint16 auth_len;
  guint32 call_id;
  Ndr r;

  e->big_endian = (pdu[4] & 0xf0) == 0;
  ndr_init (&r, pdu, len, e->big_endian);
  ndr_bytes (&r, 10);
  auth_len = ndr_u16 (&r);
  call_id = ndr_u32 (&r);
  if (call_id != e->call_id && ptype != PTYPE_BIND_NAK)
    return malformed (e, findings, _("the reply is for another call"));

  if (e->stage == STAGE_BIND)
    return co_bind_reply (e, ptype, &r, out, findings);
  if (ptype == PTYPE_FAULT)
    {
      ndr_bytes (&r, 8);
      return fault (e, ndr_u32 (&r), findings);
    }
  if (ptype != PTYPE_RESPONSE)
    return malformed (e, findings, _("ept_lookup was answered with a PDU of another type"));
  return co_response (e, pdu, len, flags, auth_len, out, findings);
}

static PqStep
co_step (Epm             *e,
         const guint8    *in,
         gsize            in_len,
         gsize           *consumed,
         GByteArray      *out,
         PqProbeFindings *findings)
{
  gsize pos = 0;

  if (in == NULL)
    {
      co_bind (e, out);
      return PQ_STEP_SEND;
    }

  while (in_len - pos >= CO_HEADER)
    {
      const guint8 *pdu = in + pos;
      gboolean big = (pdu[4] & 0xf0) == 0;
      gsize frag_len = big ? be16 (pdu + 8) : le16 (pdu + 8);
      PqStep step;

      if (pdu[0] != 5 || pdu[1] > 1)
        return malformed (e, findings, _("it is not DCE/RPC version 5"));
      if (frag_len < CO_HEADER)
        return malformed (e, findings, _("a fragment length is shorter than the header"));
      if (in_len - pos < frag_len)
        {
          if (e->stage == STAGE_BIND)
            g_string_printf (findings->summary,
                             _("The endpoint mapper's reply stopped part-way: %zu of %zu bytes of a PDU."),
                             in_len - pos, frag_len);
          break;
        }
      step = co_pdu (e, pdu, frag_len, out, findings);
      pos += frag_len;
      *consumed = pos;
      if (step != PQ_STEP_READ)
        return step;
    }
  return PQ_STEP_READ;
}

/* ------------------------------------------------------------------ */
/* UDP: connectionless PDUs                                            */

static void
cl_request (Epm        *e,
            GByteArray *stub,
            GByteArray *out)
{
  const guint8 head[8] = { 4, PTYPE_REQUEST, CL_IDEMPOTENT, 0, 0x10, 0, 0, 0 };
  static const guint8 nil[16] = { 0 };

  g_byte_array_append (out, head, sizeof head);
  g_byte_array_append (out, nil, 16);            /* object */
  g_byte_array_append (out, epm_uuid, 16);       /* interface */
  g_byte_array_append (out, e->activity, 16);    /* activity */
  put_le32 (out, e->server_boot);
  put_le32 (out, 3);                              /* interface version */
  put_le32 (out, e->seqnum);
  put_le16 (out, 2);                              /* opnum: ept_lookup */
  put_le16 (out, 0xffff);                         /* interface hint */
  put_le16 (out, 0xffff);                         /* activity hint */
  put_le16 (out, stub->len);                      /* body length */
  put_le16 (out, 0);                              /* fragment number */
  put_le16 (out, 0);                              /* no authentication, serial low */
  g_byte_array_append (out, stub->data, stub->len);
}

/* Any PDU but a response: a fault or reject ends the query, "working"
 * means wait. */
static PqStep
cl_not_response (Epm             *e,
                 guint8           ptype,
                 Ndr             *r,
                 PqProbeFindings *findings)
{
  switch (ptype)
    {
    case PTYPE_FAULT:
    case PTYPE_REJECT:
      {
        guint32 status = ndr_u32 (r);

        if (!r->ok)
          return malformed (e, findings, _("the fault is cut short"));
        return fault (e, status, findings);
      }
    case PTYPE_WORKING:
      return PQ_STEP_READ;
    case PTYPE_NOCALL:
      return malformed (e, findings, _("the server says it has no such call"));
    default:
      return malformed (e, findings, _("ept_lookup was answered with a PDU of another type"));
    }
}

static PqStep
cl_step (Epm             *e,
         const guint8    *in,
         gsize            in_len,
         GByteArray      *out,
         PqProbeFindings *findings)
{
  g_autoptr(GByteArray) stub = g_byte_array_new ();
  char activity[37];
  guint8 ptype, flags;
  guint32 seqnum, server_boot;
  guint16 body_len, fragnum;
  PqStep step;
  Ndr r;

  if (in == NULL)
    {
      e->stage = STAGE_LOOKUP;
      e->lookups = 1;
      lookup_stub (e, stub);
      cl_request (e, stub, out);
      return PQ_STEP_SEND;
    }

  if (in_len < CL_HEADER || in[0] != 4)
    return malformed (e, findings, _("it is not connectionless DCE/RPC"));
  ptype = in[1];
  flags = in[2];
  e->big_endian = (in[4] & 0xf0) == 0;
  ndr_init (&r, in, in_len, e->big_endian);
  ndr_bytes (&r, 40);
  ndr_uuid (&r, activity);
  if (strcmp (activity, e->activity_text) != 0)
    return PQ_STEP_READ;   /* another activity's datagram: not ours */
  server_boot = ndr_u32 (&r);
  ndr_bytes (&r, 4);
  seqnum = ndr_u32 (&r);
  ndr_bytes (&r, 6);
  body_len = ndr_u16 (&r);
  fragnum = ndr_u16 (&r);
  if (seqnum != e->seqnum)
    return PQ_STEP_READ;   /* a late answer to an earlier call */
  e->server_boot = server_boot;   /* later calls of the activity carry it */
  if (body_len > in_len - CL_HEADER)
    return malformed (e, findings, _("the body length runs past the end of the datagram"));
  ndr_init (&r, in + CL_HEADER, body_len, e->big_endian);

  if (ptype != PTYPE_RESPONSE)
    return cl_not_response (e, ptype, &r, findings);

  /* Fragments are taken in order; one out of order waits for a retry. */
  if (fragnum == 0)
    {
      g_byte_array_set_size (e->stub, 0);
      e->next_fragnum = 0;
    }
  if (fragnum != e->next_fragnum)
    return PQ_STEP_READ;
  if (++e->fragments > EPM_MAX_FRAGMENTS || e->stub->len + body_len > EPM_MAX_STUB)
    return malformed (e, findings, _("the reply grows past the limit without its last fragment"));
  g_byte_array_append (e->stub, in + CL_HEADER, body_len);
  e->next_fragnum++;
  if ((flags & CL_PF_FRAG) && !(flags & CL_PF_LAST))
    return PQ_STEP_READ;

  e->fragments = 0;
  step = lookup_reply (e, e->stub->data, e->stub->len, stub, findings);
  if (step == PQ_STEP_SEND)
    {
      e->seqnum++;
      cl_request (e, stub, out);
    }
  return step;
}

/* ------------------------------------------------------------------ */
/* The codec                                                           */

static void
epm_init (gpointer             state,
          const PqProbeParams *params)
{
  Epm *e = state;
  GRand *rand = g_rand_new_with_seed (params->seed);

  e->udp = params->protocol == PQ_PROTOCOL_UDP;
  e->stub = g_byte_array_new ();
  for (guint i = 0; i < 16; i++)
    e->activity[i] = (guint8) g_rand_int (rand);
  e->activity[7] = (e->activity[7] & 0x0f) | 0x40;   /* a version 4 (random) UUID */
  e->activity[8] = (e->activity[8] & 0x3f) | 0x80;
  g_rand_free (rand);
  {
    Ndr r;

    ndr_init (&r, e->activity, 16, FALSE);
    ndr_uuid (&r, e->activity_text);
  }
}

static void
epm_clear (gpointer state)
{
  Epm *e = state;

  g_clear_pointer (&e->stub, g_byte_array_unref);
}

static PqStep
epm_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  Epm *e = state;

  *consumed = 0;
  if (e->udp)
    {
      *consumed = in_len;
      return cl_step (e, in, in_len, out, findings);
    }
  return co_step (e, in, in_len, consumed, out, findings);
}

const PqProbeCodec pq_epm_tcp_codec = {
  "RPC endpoint mapper", sizeof (Epm), epm_init, epm_step, epm_clear,
  EPM_TCP_MAX_LOOKUPS + 1, NULL,
};

const PqProbeCodec pq_epm_udp_codec = {
  "RPC endpoint mapper", sizeof (Epm), epm_init, epm_step, epm_clear,
  EPM_UDP_MAX_LOOKUPS, NULL,
};
