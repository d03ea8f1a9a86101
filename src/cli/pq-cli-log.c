/* pq-cli-log.c: whether portqry may replace an existing log file
 *
 * PortQry asks before it overwrites a log. portqry asks too when standard
 * input is a terminal; a script (no terminal) gets the refusal and the
 * option to add instead, since nobody is there to answer.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "portqry"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "pq-cli-log.h"
#include "pq-error.h"

/* Returns: TRUE if the answer typed was yes */
static gboolean
ask_yes (const char *path)
{
  char answer[64];

  /* Translators: the answer is read as yes when it starts with y, Y or
     the first letter of the word for yes in your language */
  fprintf (stderr, _("The log file %s already exists. Overwrite it? (y/n) "), path);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  /* Translators: the first letter of the answer "yes", in lower case */
  return answer[0] == 'y' || answer[0] == 'Y' || g_str_has_prefix (answer, C_("answer", "y"));
}

/**
 * pq_cli_may_write_log:
 *
 * Only a regular file would be lost: /dev/null or a FIFO is written in
 * place. -y and -q overwrite without asking, as PortQry's.
 *
 * Returns: TRUE if the log may be written
 */
gboolean
pq_cli_may_write_log (const char  *path,
                      gboolean     overwrite,
                      gboolean     quiet,
                      GError     **error)
{
  if (path == NULL || overwrite || quiet || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  if (isatty (STDIN_FILENO))
    {
      if (ask_yes (path))
        return TRUE;
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
                   _("The log file %s was kept. Choose another name with -l."), path);
      return FALSE;
    }
  g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION,
               _("The log file %s already exists. Add -y to overwrite it, or choose another name."),
               path);
  return FALSE;
}
