/* fuzz-report-load.c: libFuzzer entry for the saved-report reader
 *
 * Any bytes go to pq_report_load_bytes(): it must load them or refuse them
 * with an error, never crash, hang or leak. A report it loads must also be
 * one the writers can export again, and its JSON must load back to the
 * same document.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pq-error.h"
#include "pq-report-load.h"
#include "pq-writers.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqReport) report = pq_report_load_bytes (bytes, &error);

  if (report == NULL)
    {
      /* Refused: always with a message in the report domain. */
      if (error == NULL || error->domain != PQ_ERROR || error->code != PQ_ERROR_REPORT)
        abort ();
      return 0;
    }
  if (error != NULL)
    abort ();

  for (guint format = PQ_REPORT_FORMAT_TEXT; format <= PQ_REPORT_FORMAT_HTML; format++)
    g_free (pq_report_to_format (report, (PqReportFormat) format));

  /* What the writer makes of it loads again, and is written the same. */
  {
    g_autofree char *json = pq_report_to_json (report);
    g_autoptr(GBytes) again = g_bytes_new_static (json, strlen (json));
    g_autoptr(PqReport) reloaded = pq_report_load_bytes (again, NULL);
    g_autofree char *json_again = reloaded ? pq_report_to_json (reloaded) : NULL;

    if (g_strcmp0 (json_again, json) != 0)
      abort ();
  }
  return 0;
}
