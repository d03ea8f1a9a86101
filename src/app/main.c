/* main.c: start Port Query
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "pq-application.h"
#include "pq-scan-options.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(PqApplication) app = NULL;

  pq_application_setup_memory (argv);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* A peer that closes early must not kill the program mid-query. */
  signal (SIGPIPE, SIG_IGN);
  /* Every port in flight holds a descriptor. */
  pq_raise_fd_limit ();

  app = pq_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
