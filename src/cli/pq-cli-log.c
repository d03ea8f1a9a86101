/* pq-cli-log.c: portqry's -l log: whether it may replace a file, and
 * the log in PortQry's layout
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
#include "pq-file.h"
#include "pq-report-text.h"

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

/**
 * pq_cli_write_log:
 * @text: what portqry printed (or would have, under -q)
 *
 * PortQry's log: its header, the command, this computer's name, the
 * output and the closing line. Written whole or not at all (pq-file.c);
 * a device stays a device. Whether it may be overwritten was checked
 * before anything ran.
 */
gboolean
pq_cli_write_log (const char  *path,
                  char       **argv,
                  const char  *text,
                  GError     **error)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *command = g_strjoinv (" ", argv);

  pq_text_append_log_header (log, now);
  g_string_append_printf (log, "Command run:\n %s\n\n", command);
  g_string_append_printf (log, "Local computer name:\n\n %s\n", g_get_host_name ());
  g_string_append (log, text);
  g_string_append_c (log, '\n');
  pq_text_append_log_footer (log);
  return pq_file_write (path, log->str, log->len, error);
}
