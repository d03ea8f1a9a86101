/* pq-banner.c: what SMTP, POP3, IMAP and FTP servers say first, whether an
 * FTP server takes an anonymous login (as PortQry reports), and an HTTP
 * server's status line and Server header.
 *
 * An SMTP server that greets with 220 is asked EHLO; if it offers
 * STARTTLS (RFC 3207), that comes next and, once it says 220, the engine
 * runs the TLS handshake and adds the server's certificate (pq-tls.h).
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-banner.h"

/* A line longer than this is cut: a greeting is a few dozen bytes. */
#define MAX_LINE 1024
/* An HTTP header block larger than this is read no further. */
#define MAX_HEADERS 16384
/* Lines of a multi-line greeting (SMTP's 220-) kept at most. */
#define MAX_LINES 16

typedef enum
{
  BANNER_SMTP,
  BANNER_POP3,
  BANNER_IMAP,
  BANNER_FTP,
  BANNER_HTTP,
} BannerKind;

typedef enum
{
  FTP_GREETING,
  FTP_USER_SENT,
  FTP_PASS_SENT,
} FtpStage;

typedef enum
{
  SMTP_GREETING,
  SMTP_EHLO_SENT,
  SMTP_STARTTLS_SENT,
} SmtpStage;

typedef struct
{
  BannerKind  kind;
  FtpStage    ftp;
  SmtpStage   smtp;
  guint       lines;
  GString    *greeting;
  char       *host;
} Banner;

static const char * const names[] = { "SMTP", "POP3", "IMAP", "FTP", "HTTP" };

static void
banner_init (Banner              *b,
             BannerKind           kind,
             const PqProbeParams *params)
{
  b->kind = kind;
  b->greeting = g_string_new (NULL);
  b->host = g_strdup (params->host ? params->host : "");
}

static void smtp_init (gpointer s, const PqProbeParams *p) { banner_init (s, BANNER_SMTP, p); }
static void pop3_init (gpointer s, const PqProbeParams *p) { banner_init (s, BANNER_POP3, p); }
static void imap_init (gpointer s, const PqProbeParams *p) { banner_init (s, BANNER_IMAP, p); }
static void ftp_init (gpointer s, const PqProbeParams *p) { banner_init (s, BANNER_FTP, p); }
static void http_init (gpointer s, const PqProbeParams *p) { banner_init (s, BANNER_HTTP, p); }

static void
banner_clear (gpointer state)
{
  Banner *b = state;

  if (b->greeting != NULL)
    g_string_free (b->greeting, TRUE);
  g_free (b->host);
}

/* Returns: the length of the first line including its end, 0 if it is
 * not complete yet; a line of MAX_LINE bytes counts as complete. */
static gsize
line_length (const guint8 *in,
             gsize         len)
{
  const guint8 *nl = memchr (in, '\n', MIN (len, MAX_LINE));

  if (nl != NULL)
    return (gsize) (nl - in) + 1;
  return len >= MAX_LINE ? MAX_LINE : 0;
}

/* An SMTP or FTP reply goes on while its lines read "220-"; "220 " ends it. */
static gboolean
is_last_reply_line (const char *line,
                    gsize       len)
{
  return len < 4 || line[3] != '-';
}

/* Reads the greeting line by line. Returns READ until it is whole. */
static PqStep
read_reply (Banner           *b,
            const guint8     *in,
            gsize             in_len,
            gsize            *consumed,
            gboolean          multiline,
            char            **last_line)
{
  gsize pos = 0, n;

  *last_line = NULL;
  while ((n = line_length (in + pos, in_len - pos)) > 0)
    {
      g_autofree char *line = pq_probe_printable (in + pos, n);
      gboolean last = !multiline || is_last_reply_line ((const char *) in + pos, n) ||
                      ++b->lines >= MAX_LINES;

      pos += n;
      if (last)
        {
          *consumed = pos;
          *last_line = g_steal_pointer (&line);
          return PQ_STEP_DONE;
        }
      if (b->greeting->len > 0)
        g_string_append (b->greeting, " / ");
      g_string_append (b->greeting, line);
    }
  *consumed = pos;
  return PQ_STEP_READ;
}

static PqStep
greeting_step (Banner          *b,
               const guint8    *in,
               gsize            in_len,
               gsize           *consumed,
               PqProbeFindings *findings)
{
  g_autofree char *last = NULL;
  gboolean multiline = b->kind == BANNER_SMTP || b->kind == BANNER_FTP;

  if (read_reply (b, in, in_len, consumed, multiline, &last) == PQ_STEP_READ)
    return PQ_STEP_READ;

  if (b->greeting->len > 0)
    g_string_append (b->greeting, " / ");
  g_string_append (b->greeting, last);
  pq_probe_add_detail (findings, "banner", _("Greeting"), b->greeting->str);
  g_string_printf (findings->summary, _("%s greeting: %s"), names[b->kind], b->greeting->str);

  /* A greeting that is not one of the protocol's says so. */
  if ((b->kind == BANNER_POP3 && !g_str_has_prefix (last, "+OK")) ||
      (b->kind == BANNER_IMAP && !g_str_has_prefix (last, "* ")) ||
      ((b->kind == BANNER_SMTP || b->kind == BANNER_FTP) && !g_ascii_isdigit (last[0])))
    return PQ_STEP_MALFORMED;
  return PQ_STEP_DONE;
}

static PqStep
ftp_step (Banner          *b,
          const guint8    *in,
          gsize            in_len,
          gsize           *consumed,
          GByteArray      *out,
          PqProbeFindings *findings)
{
  g_autofree char *last = NULL;
  const char *verdict;
  PqStep step;

  if (b->ftp == FTP_GREETING)
    {
      step = greeting_step (b, in, in_len, consumed, findings);
      if (step != PQ_STEP_DONE)
        return step;
      if (!g_str_has_prefix (b->greeting->str, "220"))
        return PQ_STEP_DONE;   /* 421 and the like: the server turned us away */
      g_byte_array_append (out, (const guint8 *) "USER anonymous\r\n", 16);
      b->ftp = FTP_USER_SENT;
      b->lines = 0;
      return PQ_STEP_SEND;
    }

  if (read_reply (b, in, in_len, consumed, TRUE, &last) == PQ_STEP_READ)
    return PQ_STEP_READ;

  if (b->ftp == FTP_USER_SENT && g_str_has_prefix (last, "331"))
    {
      /* The customary anonymous password is an e-mail address. */
      g_byte_array_append (out, (const guint8 *) "PASS portqry@\r\n", 15);
      b->ftp = FTP_PASS_SENT;
      b->lines = 0;
      return PQ_STEP_SEND;
    }

  /* Translators: the FTP server's answer to an anonymous login, put into
     “ Anonymous login %s: %s” */
  verdict = g_str_has_prefix (last, "230") ? _("accepted") : _("refused");
  {
    g_autofree char *value = g_strdup_printf ("%s (%s)", verdict, last);

    pq_probe_add_detail (findings, "ftp-anonymous", _("Anonymous login"), value);
    g_string_append_printf (findings->summary, _(" Anonymous login %s: %s"), verdict, last);
  }
  g_byte_array_append (out, (const guint8 *) "QUIT\r\n", 6);
  return PQ_STEP_DONE;
}

/* Whether an EHLO reply ("250-name / 250-STARTTLS / 250 SIZE") offers it. */
static gboolean
offers_starttls (const char *reply)
{
  g_auto(GStrv) lines = g_strsplit (reply, " / ", MAX_LINES + 1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strlen (lines[i]) > 4 && g_str_has_prefix (lines[i], "250") &&
        g_ascii_strncasecmp (g_strstrip (lines[i] + 4), "STARTTLS", 9) == 0)
      return TRUE;
  return FALSE;
}

/* After a 220 greeting: EHLO, then STARTTLS if offered. */
static PqStep
smtp_step (Banner          *b,
           const guint8    *in,
           gsize            in_len,
           gsize           *consumed,
           GByteArray      *out,
           PqProbeFindings *findings)
{
  g_autofree char *last = NULL;
  PqStep step;

  if (b->smtp == SMTP_GREETING)
    {
      step = greeting_step (b, in, in_len, consumed, findings);
      if (step != PQ_STEP_DONE || !g_str_has_prefix (b->greeting->str, "220"))
        return step;
      g_byte_array_append (out, (const guint8 *) "EHLO portqry.invalid\r\n", 22);
      g_string_truncate (b->greeting, 0);
      b->smtp = SMTP_EHLO_SENT;
      b->lines = 0;
      return PQ_STEP_SEND;
    }
  if (read_reply (b, in, in_len, consumed, TRUE, &last) == PQ_STEP_READ)
    return PQ_STEP_READ;
  if (b->smtp == SMTP_EHLO_SENT)
    {
      g_string_append_printf (b->greeting, "%s%s", b->greeting->len ? " / " : "", last);
      if (!offers_starttls (b->greeting->str))
        {
          pq_probe_add_detail (findings, "smtp-starttls", "STARTTLS", _("not offered"));
          return PQ_STEP_DONE;
        }
      g_byte_array_append (out, (const guint8 *) "STARTTLS\r\n", 10);
      b->smtp = SMTP_STARTTLS_SENT;
      b->lines = 0;
      return PQ_STEP_SEND;
    }
  if (g_str_has_prefix (last, "220"))
    return PQ_STEP_STARTTLS;
  {
    g_autofree char *refused = g_strdup_printf (_("offered, but refused: %s"), last);

    pq_probe_add_detail (findings, "smtp-starttls", "STARTTLS", refused);
  }
  return PQ_STEP_DONE;
}

static void
http_request (Banner     *b,
              GByteArray *out)
{
  g_autofree char *req = g_strdup_printf ("HEAD / HTTP/1.0\r\nHost: %s\r\nUser-Agent: portqry/%s\r\n"
                                          "Accept: */*\r\nConnection: close\r\n\r\n",
                                          b->host, PACKAGE_VERSION);

  g_byte_array_append (out, (const guint8 *) req, (guint) strlen (req));
}

static PqStep
http_step (Banner          *b,
           const guint8    *in,
           gsize            in_len,
           gsize           *consumed,
           GByteArray      *out,
           PqProbeFindings *findings)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *head = NULL;
  g_autofree char *status = NULL;
  gsize len;

  if (in == NULL)
    {
      http_request (b, out);
      return PQ_STEP_SEND;
    }

  /* The reply is read up to the end of its headers (or MAX_HEADERS). */
  if (memchr (in, 0, in_len) == NULL &&
      g_strstr_len ((const char *) in, (gssize) MIN (in_len, MAX_HEADERS), "\r\n\r\n") == NULL &&
      in_len < MAX_HEADERS)
    return PQ_STEP_READ;

  len = MIN (in_len, MAX_HEADERS);
  *consumed = in_len;
  head = g_strndup ((const char *) in, len);
  lines = g_strsplit (head, "\n", 64);
  if (lines[0] == NULL)
    return PQ_STEP_MALFORMED;
  status = pq_probe_printable ((const guint8 *) lines[0], strlen (lines[0]));
  pq_probe_add_detail (findings, "http-status", _("Status"), status);
  g_string_printf (findings->summary, _("HTTP answered: %s"), status);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Server:", 7) == 0)
      {
        g_autofree char *server = pq_probe_printable ((const guint8 *) g_strstrip (lines[i] + 7),
                                                      strlen (g_strstrip (lines[i] + 7)));

        pq_probe_add_detail (findings, "http-server", _("Server"), server);
        g_string_append_printf (findings->summary, " (%s)", server);
        break;
      }

  return g_str_has_prefix (head, "HTTP/") ? PQ_STEP_DONE : PQ_STEP_MALFORMED;
}

static PqStep
banner_step (gpointer          state,
             const guint8     *in,
             gsize             in_len,
             gsize            *consumed,
             GByteArray       *out,
             PqProbeFindings  *findings)
{
  Banner *b = state;

  *consumed = 0;
  if (b->kind == BANNER_HTTP)
    return http_step (b, in, in_len, consumed, out, findings);
  if (in == NULL)
    return PQ_STEP_READ;   /* the server speaks first */
  if (b->kind == BANNER_FTP)
    return ftp_step (b, in, in_len, consumed, out, findings);
  if (b->kind == BANNER_SMTP)
    return smtp_step (b, in, in_len, consumed, out, findings);
  return greeting_step (b, in, in_len, consumed, findings);
}

#define BANNER_CODEC(name_, init_, steps_) \
  { name_, sizeof (Banner), init_, banner_step, banner_clear, steps_, NULL }

const PqProbeCodec pq_smtp_codec = BANNER_CODEC ("SMTP", smtp_init, 3);
const PqProbeCodec pq_pop3_codec = BANNER_CODEC ("POP3", pop3_init, 1);
const PqProbeCodec pq_imap_codec = BANNER_CODEC ("IMAP", imap_init, 1);
const PqProbeCodec pq_ftp_codec = BANNER_CODEC ("FTP", ftp_init, 3);
const PqProbeCodec pq_http_codec = BANNER_CODEC ("HTTP", http_init, 1);
