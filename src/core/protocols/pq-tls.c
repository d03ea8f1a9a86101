/* pq-tls.c: a TLS handshake's outcome as findings (see pq-tls.h)
 *
 * Subject, issuer and alternative names as GIO read them; key, signature
 * algorithm and validity from the certificate's DER (pq-x509.c); whether
 * this computer's CAs vouch for it under the name queried. An expired
 * certificate (the classic LDAPS outage) gets the finding kind
 * "tls-expired" and a summary that says so first.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-tls.h"
#include "pq-x509.h"

/* Alternative names shown; a CDN's certificate may list hundreds. */
#define MAX_NAMES_SHOWN 32
#define DAY (24 * 60 * 60)

/* The engine's codec for TLS ports: nothing to say before the handshake. */
static void
tls_init (gpointer             state,
          const PqProbeParams *params)
{
}

static PqStep
tls_step (gpointer          state,
          const guint8     *in,
          gsize             in_len,
          gsize            *consumed,
          GByteArray       *out,
          PqProbeFindings  *findings)
{
  *consumed = in_len;
  return in == NULL ? PQ_STEP_STARTTLS : PQ_STEP_MALFORMED;
}

const PqProbeCodec pq_tls_codec = {
  "TLS", 0, tls_init, tls_step, NULL, 1, NULL, NULL
};

void
pq_tls_info_clear (PqTlsInfo *info)
{
  g_clear_pointer (&info->error, g_free);
  g_clear_pointer (&info->version, g_free);
  g_clear_pointer (&info->ciphersuite, g_free);
  g_clear_pointer (&info->der, g_bytes_unref);
  g_clear_pointer (&info->subject, g_free);
  g_clear_pointer (&info->issuer, g_free);
  g_clear_pointer (&info->names, g_ptr_array_unref);
  g_clear_pointer (&info->identity, g_free);
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

/**
 * pq_tls_describe_days:
 * @problem: (out): whether clients will refuse the certificate for its dates
 *
 * Returns: (transfer full): "expires in 12 days (2026-12-11 10:00 UTC)",
 *   "expired 3 days ago (...)" or "not valid until ... (in 2 days)"
 */
char *
pq_tls_describe_days (gint64    not_before,
                      gint64    not_after,
                      gint64    now,
                      gboolean *problem)
{
  g_autofree char *when = NULL;
  guint64 days;

  *problem = now < not_before || now > not_after;
  if (now < not_before)
    {
      days = (guint64) (not_before - now) / DAY;
      when = format_date (not_before);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "not valid until %s (in %u day)",
                                           "not valid until %s (in %u days)", days),
                              when, (guint) MIN (days, G_MAXUINT));
    }
  when = format_date (not_after);
  if (now > not_after)
    {
      days = (guint64) (now - not_after) / DAY;
      if (days == 0)
        return g_strdup_printf (_("expired today (%s)"), when);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expired %u day ago (%s)",
                                           "expired %u days ago (%s)", days),
                              (guint) MIN (days, G_MAXUINT), when);
    }
  days = (guint64) (not_after - now) / DAY;
  if (days == 0)
    return g_strdup_printf (_("expires today (%s)"), when);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expires in %u day (%s)",
                                       "expires in %u days (%s)", days),
                          (guint) MIN (days, G_MAXUINT), when);
}

/* Why this computer does not trust the certificate, in words. */
static char *
trust_text (GTlsCertificateFlags  errors,
            const char           *identity,
            gboolean             *trusted)
{
  g_autoptr(GString) why = g_string_new (NULL);
  const struct { GTlsCertificateFlags flag; const char *text; } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("issued by an authority this computer does not trust (self-signed or a private CA)") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("expired") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("not valid yet") },
    { G_TLS_CERTIFICATE_REVOKED, N_("revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("signed with an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("could not be checked") },
  };

  *trusted = errors == 0;
  if (errors == 0)
    return g_strdup_printf (_("yes, for the name %s"), identity);
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (errors & reasons[i].flag)
      g_string_append_printf (why, "%s%s", why->len ? ", " : "", _(reasons[i].text));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      if (why->len > 0)
        g_string_append (why, ", ");
      g_string_append_printf (why, _("not issued for the name %s"), identity);
    }
  return g_strdup_printf (_("no: %s"), why->str);
}

static void
add_names (const PqTlsInfo *info,
           PqProbeFindings *findings)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = info->names ? info->names->len : 0;

  if (n == 0)
    return;
  for (guint i = 0; i < MIN (n, MAX_NAMES_SHOWN); i++)
    {
      g_autofree char *name = pq_probe_printable ((const guint8 *) g_ptr_array_index (info->names, i),
                                                  strlen (g_ptr_array_index (info->names, i)));

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", name);
    }
  if (n > MAX_NAMES_SHOWN)
    g_string_append_printf (names, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more",
                                                n - MAX_NAMES_SHOWN),
                            n - MAX_NAMES_SHOWN);
  pq_probe_add_detail (findings, "tls-names", _("Alternative names"), names->str);
}

static void
add_key (const PqX509Info *x,
         PqProbeFindings  *findings)
{
  g_autofree char *key = NULL;
  g_autofree char *type = x->curve ? g_strdup_printf ("%s %s", x->key_type, x->curve)
                                   : g_strdup (x->key_type);

  key = x->key_bits ? g_strdup_printf (_("%s, %u bits"), type, x->key_bits) : g_strdup (type);
  pq_probe_add_detail (findings, "tls-key", _("Public key"), key);
  if (x->weak_signature)
    {
      g_autofree char *sig = g_strdup_printf (_("%s (weak: current clients refuse it)"), x->signature);

      pq_probe_add_detail (findings, "tls-weak-signature", _("Signature algorithm"), sig);
    }
  else
    pq_probe_add_detail (findings, "tls-signature", _("Signature algorithm"), x->signature);
}

/* The dates, with the days left; returns the summary's words for them. */
static char *
add_validity (const PqTlsInfo  *info,
              const PqX509Info *x,
              PqProbeFindings  *findings,
              gboolean         *problem)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *range = NULL;
  char *days;

  *problem = FALSE;
  if (!x->have_validity)
    return NULL;
  from = format_date (x->not_before);
  to = format_date (x->not_after);
  range = g_strdup_printf (_("from %s to %s"), from, to);
  pq_probe_add_detail (findings, "tls-validity", _("Valid"), range);
  days = pq_tls_describe_days (x->not_before, x->not_after, info->now, problem);
  pq_probe_add_detail (findings, *problem ? "tls-expired" : "tls-expiry",
                       *problem ? _("Certificate problem") : _("Certificate"), days);
  return days;
}

static void
append_summary (PqProbeFindings *findings,
                const char      *sentence)
{
  if (findings->summary->len > 0 && findings->summary->str[findings->summary->len - 1] != '.')
    g_string_append_c (findings->summary, '.');
  if (findings->summary->len > 0)
    g_string_append_c (findings->summary, ' ');
  g_string_append (findings->summary, sentence);
}

/* The certificate's own findings, and the summary's words about it. */
static void
add_certificate (const PqTlsInfo *info,
                 PqProbeFindings *findings)
{
  g_auto(PqX509Info) x = { 0 };
  g_autofree char *subject = pq_probe_printable ((const guint8 *) info->subject, strlen (info->subject));
  g_autofree char *issuer = pq_probe_printable ((const guint8 *) info->issuer, strlen (info->issuer));
  g_autofree char *days = NULL;
  g_autofree char *trust = NULL;
  g_autofree char *sentence = NULL;
  gboolean expired = FALSE, trusted;

  pq_probe_add_detail (findings, "tls-subject", _("Subject"), subject);
  if (g_strcmp0 (info->subject, info->issuer) == 0)
    {
      g_autofree char *self = g_strdup_printf (_("%s (self-signed)"), issuer);

      pq_probe_add_detail (findings, "tls-issuer", _("Issuer"), self);
    }
  else
    pq_probe_add_detail (findings, "tls-issuer", _("Issuer"), issuer);
  add_names (info, findings);
  if (pq_x509_parse (g_bytes_get_data (info->der, NULL), g_bytes_get_size (info->der), &x))
    add_key (&x, findings);
  days = add_validity (info, &x, findings, &expired);
  trust = trust_text (info->errors, info->identity ? info->identity : "?", &trusted);
  pq_probe_add_detail (findings, trusted ? "tls-trusted" : "tls-untrusted", _("Trusted"), trust);

  if (expired)
    /* Translators: the TLS version, the certificate's subject, then
       "expired 3 days ago (2026-11-26 10:00 UTC)" */
    sentence = g_strdup_printf (_("%s handshake: PROBLEM: the certificate %s %s, clients refuse it."),
                                info->version ? info->version : "TLS", subject, days);
  else
    /* Translators: the TLS version, the subject, "expires in 12 days (...)",
       then "trusted" or "not trusted by this computer" */
    sentence = g_strdup_printf (_("%s handshake: certificate %s, %s, %s."),
                                info->version ? info->version : "TLS", subject,
                                days ? days : _("validity unreadable"),
                                trusted ? _("trusted") : _("not trusted by this computer"));
  append_summary (findings, sentence);
}

/* The handshake failed: why, under the port and in the summary. */
static void
add_failure (const PqTlsInfo *info,
             PqProbeFindings *findings)
{
  g_autofree char *why = info->error ? pq_probe_printable ((const guint8 *) info->error, strlen (info->error))
                                     : g_strdup (_("no certificate was sent"));
  g_autofree char *sentence = g_strdup_printf (_("The TLS handshake failed: %s."), why);

  pq_probe_add_detail (findings, "tls-error", _("TLS handshake"), why);
  append_summary (findings, sentence);
}

/* Adds what the handshake learnt; a summary the codec wrote before it
 * (RDP's protocols, LDAP's root entry) stays first. */
void
pq_tls_add_findings (const PqTlsInfo *info,
                     PqProbeFindings *findings)
{
  if (info->no_backend)
    {
      pq_probe_add_detail (findings, "tls-error", _("TLS"),
                           _("not available: GIO has no TLS backend (install glib-networking)"));
      append_summary (findings, _("TLS was not tried: GIO has no TLS backend."));
      return;
    }
  if (info->der == NULL || info->subject == NULL || info->issuer == NULL)
    {
      add_failure (info, findings);
      return;
    }
  pq_probe_add_detail (findings, "tls-version", _("TLS version"), info->version ? info->version : "?");
  if (info->ciphersuite != NULL)
    pq_probe_add_detail (findings, "tls-cipher", _("Cipher suite"), info->ciphersuite);
  add_certificate (info, findings);
  /* The certificate came, and then the handshake failed (a client
   * certificate required, say): both are said. */
  if (info->error != NULL)
    add_failure (info, findings);
}
