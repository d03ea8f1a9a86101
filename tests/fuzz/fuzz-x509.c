/* fuzz-x509.c: libFuzzer harness for the certificate reader (pq-x509.c)
 * and the TLS findings built on it (pq-tls.c)
 *
 * The input plays a server's certificate as the TLS handshake hands it
 * over. Whatever parses must give a key type and a signature algorithm,
 * dates GLib can show, and findings of valid UTF-8 without control
 * characters.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "pq-tls.h"
#include "pq-x509.h"

static void
check_text (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    abort ();
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      abort ();
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(PqX509Info) x = { 0 };
  PqTlsInfo info = { 0 };
  PqProbeFindings findings;

  if (pq_x509_parse (data, size, &x))
    {
      check_text (x.key_type);
      check_text (x.signature);
      if (x.have_validity && (x.not_before < -62135596800 || x.not_after > 253402300799))
        abort ();   /* outside years 1 to 9999: GDateTime could not show it */
    }

  info.version = g_strdup ("TLS 1.3");
  info.der = g_bytes_new (data, size);
  info.subject = g_strdup ("CN=host.example");
  info.issuer = g_strdup ("CN=host.example");
  info.identity = g_strdup ("host.example");
  info.errors = G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED;
  info.now = 1796000000;
  pq_probe_findings_init (&findings);
  pq_tls_add_findings (&info, &findings);
  for (guint i = 0; i < findings.details->len; i++)
    {
      PqDetail *d = g_ptr_array_index (findings.details, i);

      check_text (pq_detail_get_label (d));
      check_text (pq_detail_get_value (d));
    }
  check_text (findings.summary->str);
  pq_probe_findings_clear (&findings);
  pq_tls_info_clear (&info);
  return 0;
}
