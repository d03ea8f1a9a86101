/* pq-tftp.c: a TFTP read request (RFC 1350) for a file that will not
 * exist, to UDP 69
 *
 * PortQry sends "a TFTP-format request" and reports only the state. The
 * request here asks for "portqry-XXXXXXXX.none" in octet mode: a server
 * answers with an ERROR (File not found, Access violation, ...), which
 * proves a listener without transferring anything. A server answers from
 * another port of its own (RFC 1350's transfer id), so the engine takes
 * replies from any port of the target for this codec (any_reply_port).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-tftp.h"

#define OP_RRQ    1
#define OP_DATA   3
#define OP_ERROR  5
#define OP_OACK   6
#define MAX_TEXT  256

typedef struct
{
  guint32 seed;
} Tftp;

static const char * const error_names[] = {
  N_("Not defined"), N_("File not found"), N_("Access violation"),
  N_("Disk full or allocation exceeded"), N_("Illegal TFTP operation"),
  N_("Unknown transfer ID"), N_("File already exists"), N_("No such user"),
  N_("Option negotiation refused"),
};

static guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static void
tftp_init (gpointer             state,
           const PqProbeParams *params)
{
  ((Tftp *) state)->seed = params->seed;
}

/* RRQ: opcode 1, the file name and the mode, each ended by a NUL. */
static void
build_request (Tftp       *t,
               GByteArray *out)
{
  g_autofree char *file = g_strdup_printf ("portqry-%08x.none", t->seed);
  static const guint8 op[2] = { 0, OP_RRQ };

  g_byte_array_append (out, op, 2);
  g_byte_array_append (out, (const guint8 *) file, (guint) strlen (file) + 1);
  g_byte_array_append (out, (const guint8 *) "octet", 6);
}

/* The NUL-ended text of an ERROR or OACK, safe and cut at MAX_TEXT. */
static char *
text_at (const guint8 *p,
         gsize         len)
{
  const guint8 *nul = memchr (p, 0, len);

  return pq_probe_printable (p, MIN (nul ? (gsize) (nul - p) : len, MAX_TEXT));
}

static PqStep
read_error (const guint8    *msg,
            gsize            len,
            PqProbeFindings *findings)
{
  guint16 code = rd16 (msg + 2);
  g_autofree char *text = text_at (msg + 4, len - 4);
  const char *name = code < G_N_ELEMENTS (error_names) ? _(error_names[code]) : _("unknown error");
  g_autofree char *value = *text ? g_strdup_printf ("%u (%s): %s", code, name, text)
                                 : g_strdup_printf ("%u (%s)", code, name);

  pq_probe_add_detail (findings, "tftp-error", _("Error"), value);
  g_string_printf (findings->summary, _("TFTP server answered the read request with error %s."), value);
  return PQ_STEP_DONE;
}

static PqStep
parse_reply (const guint8    *msg,
             gsize            len,
             PqProbeFindings *findings)
{
  g_autofree char *value = NULL;
  const char *why;

  if (len < 4)
    why = N_("too short for a TFTP message");
  else if (rd16 (msg) == OP_ERROR)
    return read_error (msg, len, findings);
  else if (rd16 (msg) == OP_DATA)
    {
      /* Someone keeps a file of this name: the server is there all the same. */
      value = g_strdup_printf (_("block %u, %u bytes: a file of that name exists"), rd16 (msg + 2),
                               (guint) (len - 4));
      pq_probe_add_detail (findings, "tftp-data", _("Data"), value);
      g_string_printf (findings->summary, _("TFTP server sent data for the file (%s)."), value);
      return PQ_STEP_DONE;
    }
  else if (rd16 (msg) == OP_OACK)
    {
      value = text_at (msg + 2, len - 2);
      pq_probe_add_detail (findings, "tftp-oack", _("Options acknowledged"), value);
      g_string_printf (findings->summary, _("TFTP server acknowledged the read request's options."));
      return PQ_STEP_DONE;
    }
  else
    why = N_("its opcode is no TFTP reply");

  return pq_probe_malformed (findings, "TFTP", "tftp-malformed", why);
}

static PqStep
tftp_step (gpointer          state,
           const guint8     *in,
           gsize             in_len,
           gsize            *consumed,
           GByteArray       *out,
           PqProbeFindings  *findings)
{
  *consumed = in_len;
  if (in == NULL)
    {
      build_request (state, out);
      return PQ_STEP_SEND;
    }
  return parse_reply (in, in_len, findings);
}

const PqProbeCodec pq_tftp_codec = {
  "TFTP", sizeof (Tftp), tftp_init, tftp_step, NULL, 1,
  N_("No reply to a TFTP read request: no TFTP server runs there, or a firewall drops UDP 69."),
  NULL, 0, TRUE,
};
