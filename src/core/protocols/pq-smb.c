/* pq-smb.c: the SMB dialect negotiation (MS-SMB2 2.2.3-2.2.4, 3.3.5.3.1)
 * on TCP 445, and on 139 after a NetBIOS session request (RFC 1002 4.3.2)
 * to "*SMBSERVER".
 *
 * The conversation is the one Windows clients start with: an SMB1
 * NEGOTIATE offering "NT LM 0.12", "SMB 2.002" and "SMB 2.???". A server
 * that speaks SMB 2.1 or later answers with an SMB2 NEGOTIATE response of
 * dialect 0x02FF, and then gets an SMB2 NEGOTIATE offering 2.0.2 to 3.1.1
 * with the 3.1.1 negotiate contexts (SHA-512 pre-authentication integrity
 * with a salt, the AES ciphers, the signing algorithms); its answer is
 * decoded: dialect, signing, capabilities, GUID, clock, sizes, cipher and
 * the authentication mechanisms of its security blob. A server that picks
 * "NT LM 0.12" speaks only SMB1: a security finding.
 *
 * Whether a server that speaks SMB2 still accepts SMB1 as well cannot be
 * told on that connection: it chooses SMB2 when offered both. So a second
 * connection (PQ_STEP_CONNECT, to the same port and again behind a
 * NetBIOS session on 139) offers "NT LM 0.12" alone: a server that picks
 * it accepts SMB1 (a security finding); one that answers "no dialect",
 * an error, or ends the connection (Windows resets it, Samba closes it)
 * does not.
 *
 * Direct TCP puts a 4-byte header before each message: 0x00 and a 24-bit
 * big-endian length; NetBIOS session messages have the same layout.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-ber.h"
#include "pq-kerberos.h"
#include "pq-smb.h"

/* A NEGOTIATE response is a few hundred bytes. */
#define MAX_FRAME (64 * 1024)
#define MAX_CONTEXTS 16
#define MAX_MECHS 8
#define SMB2_HEADER 64
#define SMB1_HEADER 32
/* Seconds from 1601-01-01 (FILETIME) to 1970-01-01. */
#define FILETIME_UNIX_DIFF G_GINT64_CONSTANT (11644473600)

#define NB_SESSION_MESSAGE   0x00
#define NB_SESSION_REQUEST   0x81
#define NB_POSITIVE_RESPONSE 0x82
#define NB_NEGATIVE_RESPONSE 0x83
#define NB_RETARGET_RESPONSE 0x84
#define NB_KEEPALIVE         0x85

#define DIALECT_WILDCARD 0x02ff

typedef enum
{
  PHASE_SESSION,   /* 139: the session request is out */
  PHASE_MULTI,     /* the SMB1 multi-protocol NEGOTIATE is out */
  PHASE_SMB2,      /* the SMB2 NEGOTIATE is out */
  PHASE_SMB1_ONLY, /* second connection: the SMB1-only NEGOTIATE is out */
} Phase;

typedef struct
{
  gboolean  netbios;
  gboolean  checking;   /* on the second connection, asking about SMB1 */
  Phase     phase;
  guint8    guid[16];
  guint8    salt[32];
} Smb;

typedef enum
{
  READ_MORE,
  READ_DONE,
  READ_AGAIN,   /* the next request is in @out */
  READ_CONNECT, /* the SMB1 check's connection comes next */
  READ_BAD,
} ReadResult;

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint64
le64 (const guint8 *p)
{
  return (guint64) le32 (p) | (guint64) le32 (p + 4) << 32;
}

static void
put16 (GByteArray *out,
       guint16     v)
{
  guint8 b[2] = { (guint8) v, (guint8) (v >> 8) };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  put16 (out, (guint16) v);
  put16 (out, (guint16) (v >> 16));
}

static void
put_zeros (GByteArray *out,
           guint       n)
{
  static const guint8 zeros[32] = { 0 };

  while (n > 0)
    {
      guint k = MIN (n, sizeof zeros);

      g_byte_array_append (out, zeros, k);
      n -= k;
    }
}

/* The 4-byte session header: @type and a 24-bit length. */
static void
put_frame (GByteArray *out,
           guint8      type,
           GByteArray *msg)
{
  guint8 h[4] = { type, (guint8) (msg->len >> 16), (guint8) (msg->len >> 8), (guint8) msg->len };

  g_byte_array_append (out, h, 4);
  g_byte_array_append (out, msg->data, msg->len);
}

static void
init_common (Smb                 *s,
             const PqProbeParams *params,
             gboolean             netbios)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (params->seed);

  s->netbios = netbios;
  s->phase = netbios ? PHASE_SESSION : PHASE_MULTI;
  for (guint i = 0; i < sizeof s->guid; i++)
    s->guid[i] = (guint8) g_rand_int (rand);
  for (guint i = 0; i < sizeof s->salt; i++)
    s->salt[i] = (guint8) g_rand_int (rand);
}

static void
smb_init (gpointer             state,
          const PqProbeParams *params)
{
  init_common (state, params, FALSE);
}

static void
smb_netbios_init (gpointer             state,
                  const PqProbeParams *params)
{
  init_common (state, params, TRUE);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

/* A NetBIOS name, first-level encoded (RFC 1001 14.1): 16 bytes padded
 * with spaces, each as two letters 'A' + nibble. */
static void
put_netbios_name (GByteArray *out,
                  const char *name)
{
  guint8 encoded[34];
  gsize len = strlen (name);

  encoded[0] = 32;
  for (guint i = 0; i < 16; i++)
    {
      guint8 c = i < len ? (guint8) name[i] : (i == 15 ? 0x20 : ' ');

      encoded[1 + 2 * i] = (guint8) ('A' + (c >> 4));
      encoded[2 + 2 * i] = (guint8) ('A' + (c & 0x0f));
    }
  encoded[33] = 0;
  g_byte_array_append (out, encoded, sizeof encoded);
}

static void
build_session_request (GByteArray *out)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();

  put_netbios_name (msg, "*SMBSERVER");
  put_netbios_name (msg, "PORTQRY");
  put_frame (out, NB_SESSION_REQUEST, msg);
}

/* SMB_COM_NEGOTIATE (MS-CIFS 2.2.4.52.1) with the three dialects, or
 * with SMB1's alone. */
static void
build_multi_negotiate (GByteArray *out,
                       gboolean    smb1_only)
{
  static const char * const dialects[] = { "NT LM 0.12", "SMB 2.002", "SMB 2.???" };
  static const guint8 header[] = {
    0xff, 'S', 'M', 'B', 0x72,          /* SMB_COM_NEGOTIATE */
    0, 0, 0, 0,                         /* status */
    0x18,                               /* flags: canonical paths, case-insensitive */
    0x53, 0xc8,                         /* flags2: long names, extended security, NT status, Unicode */
  };
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) names = g_byte_array_new ();
  guint8 two = 0x02;

  g_byte_array_append (msg, header, sizeof header);
  put_zeros (msg, 12);                  /* PIDHigh, SecurityFeatures, Reserved */
  put16 (msg, 0);                       /* TID */
  put16 (msg, 0xfeff);                  /* PIDLow */
  put16 (msg, 0);                       /* UID */
  put16 (msg, 0);                       /* MID */
  put_zeros (msg, 1);                   /* WordCount */
  for (guint i = 0; i < (smb1_only ? 1 : G_N_ELEMENTS (dialects)); i++)
    {
      g_byte_array_append (names, &two, 1);
      g_byte_array_append (names, (const guint8 *) dialects[i], (guint) strlen (dialects[i]) + 1);
    }
  put16 (msg, (guint16) names->len);
  g_byte_array_append (msg, names->data, names->len);
  put_frame (out, NB_SESSION_MESSAGE, msg);
}

static void
put_context (GByteArray *msg,
             guint16     type,
             GByteArray *data)
{
  put_zeros (msg, (8 - msg->len % 8) % 8);   /* each context starts 8-aligned */
  put16 (msg, type);
  put16 (msg, (guint16) data->len);
  put32 (msg, 0);
  g_byte_array_append (msg, data->data, data->len);
}

/* SMB2 NEGOTIATE (MS-SMB2 2.2.3), message id 1 after the multi-protocol
 * exchange (3.2.4.2.2.2). */
static void
build_smb2_negotiate (Smb        *s,
                      GByteArray *out)
{
  static const guint16 dialects[] = { 0x0202, 0x0210, 0x0300, 0x0302, 0x0311 };
  static const guint16 ciphers[] = { 4, 3, 2, 1 };   /* AES-256-GCM, -256-CCM, -128-GCM, -128-CCM */
  static const guint16 signing[] = { 2, 1, 0 };     /* AES-GMAC, AES-CMAC, HMAC-SHA256 */
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GByteArray) ctx = g_byte_array_new ();
  guint32 contexts_at;

  g_byte_array_append (msg, (const guint8 *) "\xfeSMB", 4);
  put16 (msg, SMB2_HEADER);             /* StructureSize */
  put16 (msg, 0);                       /* CreditCharge */
  put32 (msg, 0);                       /* Status */
  put16 (msg, 0);                       /* Command: NEGOTIATE */
  put16 (msg, 1);                       /* CreditRequest */
  put32 (msg, 0);                       /* Flags */
  put32 (msg, 0);                       /* NextCommand */
  put32 (msg, 1);                       /* MessageId */
  put32 (msg, 0);
  put_zeros (msg, 4 + 4 + 8 + 16);      /* Reserved, TreeId, SessionId, Signature */

  contexts_at = SMB2_HEADER + 36 + 2 * G_N_ELEMENTS (dialects);
  contexts_at += (8 - contexts_at % 8) % 8;
  put16 (msg, 36);                      /* StructureSize */
  put16 (msg, G_N_ELEMENTS (dialects));
  put16 (msg, 0x0001);                  /* SecurityMode: signing enabled */
  put16 (msg, 0);
  put32 (msg, 0x7f);                    /* Capabilities: DFS to encryption */
  g_byte_array_append (msg, s->guid, sizeof s->guid);
  put32 (msg, contexts_at);
  put16 (msg, 3);                       /* NegotiateContextCount */
  put16 (msg, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    put16 (msg, dialects[i]);

  put16 (ctx, 1);                       /* one hash: SHA-512 */
  put16 (ctx, sizeof s->salt);
  put16 (ctx, 0x0001);
  g_byte_array_append (ctx, s->salt, sizeof s->salt);
  put_context (msg, 1, ctx);            /* SMB2_PREAUTH_INTEGRITY_CAPABILITIES */
  g_byte_array_set_size (ctx, 0);
  put16 (ctx, G_N_ELEMENTS (ciphers));
  for (guint i = 0; i < G_N_ELEMENTS (ciphers); i++)
    put16 (ctx, ciphers[i]);
  put_context (msg, 2, ctx);            /* SMB2_ENCRYPTION_CAPABILITIES */
  g_byte_array_set_size (ctx, 0);
  put16 (ctx, G_N_ELEMENTS (signing));
  for (guint i = 0; i < G_N_ELEMENTS (signing); i++)
    put16 (ctx, signing[i]);
  put_context (msg, 8, ctx);            /* SMB2_SIGNING_CAPABILITIES */
  put_frame (out, NB_SESSION_MESSAGE, msg);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

static char *
dialect_name (guint16 dialect)
{
  switch (dialect)
    {
    case 0x0202: return g_strdup ("SMB 2.0.2");
    case 0x0210: return g_strdup ("SMB 2.1");
    case 0x0300: return g_strdup ("SMB 3.0");
    case 0x0302: return g_strdup ("SMB 3.0.2");
    case 0x0311: return g_strdup ("SMB 3.1.1");
    default: return g_strdup_printf ("0x%04x", dialect);
    }
}

static const char *
cipher_name (guint16 id)
{
  static const char * const names[] = { "none", "AES-128-CCM", "AES-128-GCM", "AES-256-CCM", "AES-256-GCM" };

  return id < G_N_ELEMENTS (names) ? names[id] : "unknown";
}

static const char *
signing_name (guint16 id)
{
  static const char * const names[] = { "HMAC-SHA256", "AES-CMAC", "AES-GMAC" };

  return id < G_N_ELEMENTS (names) ? names[id] : "unknown";
}

static const char *
compression_name (guint16 id)
{
  static const char * const names[] = { "none", "LZNT1", "LZ77", "LZ77+Huffman", "Pattern_V1", "LZ4" };

  return id < G_N_ELEMENTS (names) ? names[id] : "unknown";
}

static const char *
mech_name (const char *oid)
{
  static const struct { const char *oid, *name; } mechs[] = {
    { "1.2.840.48018.1.2.2", "Kerberos (Microsoft)" },
    { "1.2.840.113554.1.2.2", "Kerberos" },
    { "1.2.840.113554.1.2.2.3", "Kerberos user-to-user" },
    { "1.3.6.1.4.1.311.2.2.10", "NTLMSSP" },
    { "1.3.6.1.4.1.311.2.2.30", "NEGOEX" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mechs); i++)
    if (strcmp (mechs[i].oid, oid) == 0)
      return mechs[i].name;
  return NULL;
}

static char *
capabilities_text (guint32 caps)
{
  static const char * const bits[] = {
    "DFS", "LEASING", "LARGE_MTU", "MULTI_CHANNEL", "PERSISTENT_HANDLES",
    "DIRECTORY_LEASING", "ENCRYPTION", "NOTIFICATIONS",
  };
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bits); i++)
    if (caps & (1u << i))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", bits[i]);
  if (caps & ~0xffu)
    g_string_append_printf (s, "%s0x%08x", s->len ? ", " : "", caps & ~0xffu);
  if (s->len == 0)
    g_string_assign (s, _("none"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The server's clock, shown and compared with ours (a FILETIME: 100 ns
 * units since 1601). Returns the skew in words when Kerberos would fail. */
static char *
add_clock (guint64          filetime,
           PqProbeFindings *findings)
{
  /* Zero (not given) and times outside years 1970..9999 are not shown. */
  if (filetime / 10000000 < (guint64) FILETIME_UNIX_DIFF || filetime / 10000000 > G_GUINT64_CONSTANT (265000000000))
    return NULL;
  return pq_kerberos_add_clock (findings, "smb", _("Server time"),
                                (gint64) (filetime / 10) - FILETIME_UNIX_DIFF * G_USEC_PER_SEC);
}

static const char *
signing_text (guint mode_enabled,
              guint mode_required)
{
  if (mode_required)
    return _("required");
  if (mode_enabled)
    return _("enabled, not required");
  return _("not enabled");
}

/* The mechanisms of the SPNEGO NegTokenInit (RFC 4178) in the security
 * buffer: [APPLICATION 0] { OID, [0] SEQUENCE { [0] SEQUENCE OF OID } }. */
static void
read_security_blob (const guint8    *blob,
                    gsize            len,
                    PqProbeFindings *findings)
{
  PqBerReader top, app, init, seq, types, list;
  PqBerTlv oid;
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = 0;

  pq_ber_reader_init (&top, blob, len);
  if (!pq_ber_enter (&top, 0x60, &app) || !pq_ber_read_tag (&app, PQ_BER_OID, &oid) ||
      !pq_ber_enter (&app, 0xa0, &init) || !pq_ber_enter (&init, PQ_BER_SEQUENCE, &seq) ||
      !pq_ber_enter (&seq, 0xa0, &types) || !pq_ber_enter (&types, PQ_BER_SEQUENCE, &list))
    return;
  while (n < MAX_MECHS && pq_ber_read_tag (&list, PQ_BER_OID, &oid))
    {
      g_autofree char *dotted = pq_ber_oid_to_string (oid.value, oid.len);
      const char *name;

      if (dotted == NULL)
        break;
      name = mech_name (dotted);
      g_string_append_printf (names, "%s%s", n++ ? ", " : "", name ? name : dotted);
    }
  if (names->len > 0)
    pq_probe_add_detail (findings, "smb-auth", _("Authentication offered"), names->str);
}

/* Ids of one negotiate context, as names: "AES-128-GCM". */
static char *
context_ids (const guint8 *data,
             gsize         len,
             gsize         skip,
             const char *(*name) (guint16))
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint count;

  if (len < 2 + skip)
    return NULL;
  count = le16 (data);
  for (guint i = 0; i < count && 2 + skip + 2 * (gsize) i + 2 <= len && i < MAX_CONTEXTS; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", name (le16 (data + 2 + skip + 2 * i)));
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static const char *
hash_name (guint16 id)
{
  return id == 1 ? "SHA-512" : "unknown";
}

/* SMB2 NEGOTIATE_CONTEXT list (2.2.4.1): each 8-aligned from the header. */
static char *
read_contexts (const guint8    *msg,
               gsize            len,
               guint32          offset,
               guint            count,
               PqProbeFindings *findings)
{
  gsize at = offset;
  char *cipher = NULL;

  for (guint i = 0; i < count && i < MAX_CONTEXTS; i++)
    {
      guint16 type, data_len;
      const guint8 *data;
      g_autofree char *ids = NULL;

      at += (8 - at % 8) % 8;
      if (at > len || len - at < 8)
        break;
      type = le16 (msg + at);
      data_len = le16 (msg + at + 2);
      data = msg + at + 8;
      if (data_len > len - at - 8)
        break;
      if (type == 1 && (ids = context_ids (data, data_len, 2, hash_name)))
        pq_probe_add_detail (findings, "smb-preauth", _("Pre-authentication integrity"), ids);
      else if (type == 2 && (ids = context_ids (data, data_len, 0, cipher_name)))
        {
          pq_probe_add_detail (findings, "smb-cipher", _("Cipher"), ids);
          if (cipher == NULL)
            cipher = g_strdup (ids);
        }
      else if (type == 3 && (ids = context_ids (data, data_len, 6, compression_name)))
        pq_probe_add_detail (findings, "smb-compression", _("Compression"), ids);
      else if (type == 8 && (ids = context_ids (data, data_len, 0, signing_name)))
        pq_probe_add_detail (findings, "smb-signing-algorithm", _("Signing algorithm"), ids);
      at += 8 + data_len;
    }
  return cipher;
}

static void
add_size (PqProbeFindings *findings,
          const char      *label,
          guint32          bytes)
{
  g_autofree char *text = NULL;

  /* Exact: servers give powers of two, and the number is what is compared. */
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    text = g_strdup_printf ("%u MiB", bytes / (1024 * 1024));
  else if (bytes >= 1024 && bytes % 1024 == 0)
    text = g_strdup_printf ("%u KiB", bytes / 1024);
  else
    text = g_strdup_printf (ngettext ("%u byte", "%u bytes", bytes), bytes);

  pq_probe_add_detail (findings, "smb-size", label, text);
}

static char *
guid_text (const guint8 *g)
{
  return g_strdup_printf ("%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          le32 (g), le16 (g + 4), le16 (g + 6), g[8], g[9],
                          g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* The SMB2 NEGOTIATE response body (2.2.4), 65 bytes from @msg + 64. */
static void
report_smb2 (const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  const guint8 *b = msg + SMB2_HEADER;
  guint16 mode = le16 (b + 2), dialect = le16 (b + 4);
  guint16 blob_at = le16 (b + 56), blob_len = le16 (b + 58);
  g_autofree char *name = dialect_name (dialect);
  g_autofree char *caps = capabilities_text (le32 (b + 24));
  g_autofree char *guid = guid_text (b + 8);
  g_autofree char *cipher = NULL;
  g_autofree char *far = NULL;

  pq_probe_add_detail (findings, "smb-dialect", _("Dialect"), name);
  pq_probe_add_detail (findings, "smb-signing", _("Signing"), signing_text (mode & 1, mode & 2));
  pq_probe_add_detail (findings, "smb-capabilities", _("Capabilities"), caps);
  pq_probe_add_detail (findings, "smb-guid", _("Server GUID"), guid);
  far = add_clock (le64 (b + 40), findings);
  add_size (findings, _("Max read size"), le32 (b + 32));
  add_size (findings, _("Max write size"), le32 (b + 36));
  add_size (findings, _("Max transaction size"), le32 (b + 28));
  if (dialect == 0x0311)
    cipher = read_contexts (msg, len, le32 (b + 60), le16 (b + 6), findings);
  if (blob_len > 0 && blob_at >= SMB2_HEADER + 64 && blob_at <= len && blob_len <= len - blob_at)
    read_security_blob (msg + blob_at, blob_len, findings);

  g_string_printf (findings->summary, _("SMB answered: %s, signing %s"), name, signing_text (mode & 1, mode & 2));
  if (cipher != NULL)
    g_string_append_printf (findings->summary, _(", encryption %s"), cipher);
  if (far != NULL)
    g_string_append_printf (findings->summary, _(", clock %s"), far);
  g_string_append_c (findings->summary, '.');
}

/* An SMB1 NEGOTIATE response (MS-CIFS 2.2.4.52.2): the server chose
 * "NT LM 0.12" over both SMB2 dialects, or none of them. */
static ReadResult
read_smb1 (const guint8    *msg,
           gsize            len,
           PqProbeFindings *findings)
{
  const guint8 *w = msg + SMB1_HEADER + 1;
  guint16 index;
  g_autofree char *far = NULL;

  if (len < SMB1_HEADER + 3 || msg[4] != 0x72 || msg[SMB1_HEADER] < 1 ||
      len < SMB1_HEADER + 1 + 2 * (gsize) msg[SMB1_HEADER])
    return READ_BAD;
  index = le16 (w);
  if (index != 0)
    {
      pq_probe_add_detail (findings, "smb-dialect", _("Dialect"), _("none of those offered"));
      g_string_assign (findings->summary, _("SMB answered, but accepted none of the dialects offered."));
      return READ_DONE;
    }
  pq_probe_add_detail (findings, "smb-dialect", _("Dialect"), "NT LM 0.12 (SMB1)");
  pq_probe_add_detail (findings, "smb-smb1", "SMB1",
                       _("accepted, and SMB2 refused: the server speaks only SMB1, which is insecure "
                         "and off by default since Windows 10 and Windows Server 2016"));
  if (msg[SMB1_HEADER] >= 17)
    {
      pq_probe_add_detail (findings, "smb-signing", _("Signing"), signing_text (w[2] & 0x04, w[2] & 0x08));
      far = add_clock (le64 (w + 23), findings);
    }
  g_string_assign (findings->summary, _("SMB answered with SMB1 only (NT LM 0.12): a security risk"));
  if (far != NULL)
    g_string_append_printf (findings->summary, _(", clock %s"), far);
  g_string_append_c (findings->summary, '.');
  return READ_DONE;
}

/* What the second connection said about SMB1, under the port and at the
 * end of the evidence's sentence. */
static void
report_smb1_check (PqProbeFindings *findings,
                   gboolean         accepted,
                   const char      *why)
{
  g_autofree char *value = NULL;
  GString *summary = findings->summary;

  if (accepted)
    value = g_strdup (_("accepted as well as SMB2 (offered alone on a second connection, "
                        "the server took it): SMB1 is insecure and off by default since "
                        "Windows 10 and Windows Server 2016, a security risk"));
  else
    value = g_strdup_printf (_("not accepted: offered alone on a second connection, %s"), why);
  pq_probe_add_detail (findings, "smb-smb1", "SMB1", value);
  if (summary->len > 0 && summary->str[summary->len - 1] == '.')
    g_string_truncate (summary, summary->len - 1);
  g_string_append (summary, accepted ? _(", SMB1 accepted too: a security risk.") : _(", SMB1 not accepted."));
}

/* The answer to the SMB1-only NEGOTIATE: dialect index 0 is "NT LM 0.12". */
static ReadResult
read_smb1_check (const guint8    *msg,
                 gsize            len,
                 PqProbeFindings *findings)
{
  g_autofree char *why = NULL;

  if (len >= SMB1_HEADER + 3 && memcmp (msg, "\xffSMB", 4) == 0 && msg[4] == 0x72 &&
      le32 (msg + 5) == 0 && msg[SMB1_HEADER] >= 1 &&
      len >= SMB1_HEADER + 1 + 2 * (gsize) msg[SMB1_HEADER])
    {
      if (le16 (msg + SMB1_HEADER + 1) == 0)
        {
          report_smb1_check (findings, TRUE, NULL);
          return READ_DONE;
        }
      why = g_strdup (_("the server chose no dialect"));
    }
  else if (len >= SMB1_HEADER && memcmp (msg, "\xffSMB", 4) == 0 && le32 (msg + 5) != 0)
    why = g_strdup_printf (_("the server answered with the error status 0x%08x"), le32 (msg + 5));
  else
    why = g_strdup (_("the server's answer was no SMB1 NEGOTIATE response"));
  report_smb1_check (findings, FALSE, why);
  return READ_DONE;
}

/* One SMB message (without its session header). */
static ReadResult
read_message (Smb             *s,
              const guint8    *msg,
              gsize            len,
              GByteArray      *out,
              PqProbeFindings *findings)
{
  guint32 status;

  if (s->phase == PHASE_SMB1_ONLY)
    return read_smb1_check (msg, len, findings);
  if (len >= 4 && memcmp (msg, "\xffSMB", 4) == 0 && s->phase == PHASE_MULTI)
    return read_smb1 (msg, len, findings);
  if (len < SMB2_HEADER + 65 || memcmp (msg, "\xfeSMB", 4) != 0 || le16 (msg + 4) != SMB2_HEADER ||
      le16 (msg + 12) != 0 /* NEGOTIATE */ || !(le32 (msg + 16) & 1) /* a response */)
    return READ_BAD;
  status = le32 (msg + 8);
  if (status != 0)
    {
      g_autofree char *code = g_strdup_printf ("0x%08x", status);

      pq_probe_add_detail (findings, "smb-status", _("Status"), code);
      g_string_printf (findings->summary, _("SMB answered NEGOTIATE with the error status %s."), code);
      return READ_DONE;
    }
  if (le16 (msg + SMB2_HEADER) != 65)
    return READ_BAD;
  if (le16 (msg + SMB2_HEADER + 4) == DIALECT_WILDCARD)
    {
      if (s->phase != PHASE_MULTI)
        return READ_BAD;
      s->phase = PHASE_SMB2;
      build_smb2_negotiate (s, out);
      return READ_AGAIN;
    }
  report_smb2 (msg, len, findings);
  return READ_CONNECT;
}

/* The answer to the session request on 139 (RFC 1002 4.3.4-4.3.5). */
static ReadResult
read_session (Smb             *s,
              guint8           type,
              const guint8    *body,
              gsize            len,
              GByteArray      *out,
              PqProbeFindings *findings)
{
  g_autofree char *why = NULL;

  if (type == NB_POSITIVE_RESPONSE)
    {
      s->phase = s->checking ? PHASE_SMB1_ONLY : PHASE_MULTI;
      build_multi_negotiate (out, s->checking);
      return READ_AGAIN;
    }
  if (type == NB_NEGATIVE_RESPONSE && len >= 1)
    why = g_strdup_printf (_("refused with error 0x%02x"), body[0]);
  else if (type == NB_RETARGET_RESPONSE)
    why = g_strdup (_("redirected to another address"));
  else
    return READ_BAD;
  if (s->checking)
    {
      g_autofree char *not_checked = g_strdup_printf (_("not checked: the second connection's NetBIOS session was %s"), why);

      pq_probe_add_detail (findings, "smb-smb1", "SMB1", not_checked);
      return READ_DONE;
    }
  pq_probe_add_detail (findings, "smb-session", _("NetBIOS session"), why);
  g_string_printf (findings->summary, _("The NetBIOS session to *SMBSERVER was %s."), why);
  return READ_DONE;
}

/* The second connection's answer was not SMB: the first one's findings
 * stay, and SMB1 counts as not accepted. */
static PqStep
check_garbled (PqProbeFindings *findings)
{
  report_smb1_check (findings, FALSE, _("the server's answer was no SMB1 NEGOTIATE response"));
  return PQ_STEP_DONE;
}

/* The second connection was refused, reset, closed or silent. */
static PqStep
smb_ended (gpointer         state,
           const char      *why,
           PqProbeFindings *findings)
{
  g_autofree char *text = g_strdup_printf (_("the connection ended without an answer (%s)"), why);

  report_smb1_check (findings, FALSE, text);
  return PQ_STEP_DONE;
}

static PqStep
smb_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  Smb *s = state;
  gsize pos = 0;

  *consumed = 0;
  if (in == NULL)
    {
      s->phase = s->netbios ? PHASE_SESSION : s->checking ? PHASE_SMB1_ONLY : PHASE_MULTI;
      if (s->netbios)
        build_session_request (out);
      else
        build_multi_negotiate (out, s->checking);
      return PQ_STEP_SEND;
    }
  while (in_len - pos >= 4)
    {
      guint8 type = in[pos];
      gsize len = (gsize) in[pos + 1] << 16 | (gsize) in[pos + 2] << 8 | in[pos + 3];
      ReadResult r;

      if (len > MAX_FRAME || (type != NB_SESSION_MESSAGE && type != NB_KEEPALIVE &&
                              (!s->netbios || s->phase != PHASE_SESSION)))
        {
          *consumed = in_len;
          return s->checking ? check_garbled (findings) : PQ_STEP_MALFORMED;
        }
      if (in_len - pos - 4 < len)
        break;
      pos += 4 + len;
      *consumed = pos;
      if (type == NB_KEEPALIVE)
        continue;
      r = s->phase == PHASE_SESSION
        ? read_session (s, type, in + pos - len, len, out, findings)
        : read_message (s, in + pos - len, len, out, findings);
      if (r == READ_BAD && s->checking)
        {
          *consumed = in_len;
          return check_garbled (findings);
        }
      if (r == READ_BAD)
        {
          *consumed = in_len;
          g_ptr_array_set_size (findings->details, 0);
          g_string_truncate (findings->summary, 0);
          return PQ_STEP_MALFORMED;
        }
      if (r == READ_AGAIN)
        return PQ_STEP_SEND;
      if (r == READ_CONNECT)
        {
          s->checking = TRUE;
          return PQ_STEP_CONNECT;
        }
      return PQ_STEP_DONE;
    }
  return PQ_STEP_READ;
}

/* Requests: the negotiations, then SMB1's alone (behind a session on 139). */
const PqProbeCodec pq_smb_codec = {
  "SMB", sizeof (Smb), smb_init, smb_step, NULL, 3, NULL, NULL, 0, FALSE, NULL, smb_ended
};

const PqProbeCodec pq_smb_netbios_codec = {
  "SMB", sizeof (Smb), smb_netbios_init, smb_step, NULL, 5, NULL, NULL, 0, FALSE, NULL, smb_ended
};
