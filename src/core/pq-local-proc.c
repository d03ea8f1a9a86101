/* pq-local-proc.c: which process owns which socket, and what -v shows of
 * a process, from /proc
 *
 * A socket's owner is the process with a descriptor "socket:[INODE]" in
 * /proc/PID/fd. An ordinary user may read only its own processes' fd
 * directories: the other sockets keep no owner, and the listing says so.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-local"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pq-local-private.h"

static void
scan_fds (int         pid,
          GHashTable *owners)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *fd;

  if (dir == NULL)
    return;   /* another user's process, or gone */
  while ((fd = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link_path = g_build_filename (path, fd, NULL);
      char target[64];
      gssize n = readlink (link_path, target, sizeof target - 1);
      guint64 inode;

      if (n <= 8 || strncmp (target, "socket:[", 8) != 0)
        continue;
      target[n] = '\0';
      inode = g_ascii_strtoull (target + 8, NULL, 10);
      /* The first owner found keeps it: a parent before its children. */
      if (inode != 0 && !g_hash_table_contains (owners, &inode))
        g_hash_table_insert (owners, g_memdup2 (&inode, sizeof inode), GINT_TO_POINTER (pid));
    }
}

/**
 * pq_local_proc_owners:
 *
 * Returns: (transfer full): socket inode (guint64*) → PID, for every
 *   process whose descriptors this user may read
 */
GHashTable *
pq_local_proc_owners (void)
{
  GHashTable *owners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      guint64 pid;

      if (g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        scan_fds ((int) pid, owners);
    }
  return owners;
}

static char *
read_proc (int         pid,
           const char *what,
           gsize      *len)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, what);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, len, NULL))
    return NULL;
  return text;
}

/* The process's name as the kernel keeps it (comm), or NULL if gone. */
char *
pq_local_process_name (int pid)
{
  gsize len = 0;
  char *comm = read_proc (pid, "comm", &len);

  if (comm != NULL)
    g_strchomp (comm);
  return comm;
}

/**
 * pq_local_process_cmdline:
 *
 * Returns: (transfer full) (nullable): the command line with its
 *   arguments separated by spaces; NULL if it cannot be read, or empty
 *   for a kernel thread
 */
char *
pq_local_process_cmdline (int pid)
{
  gsize len = 0;
  char *text = read_proc (pid, "cmdline", &len);

  if (text == NULL)
    return NULL;
  while (len > 0 && text[len - 1] == '\0')
    len--;
  for (gsize i = 0; i < len; i++)
    if (text[i] == '\0')
      text[i] = ' ';
  text[len] = '\0';
  return text;
}

/**
 * pq_local_unit_from_cgroup:
 * @text: a /proc/PID/cgroup file
 *
 * The systemd unit a process runs in (PortQry's "services" on Linux):
 * the last ".service" in its cgroup path, "0::/system.slice/ssh.service".
 * A user's manager (user@1000.service) is no service of its own for the
 * processes of that user's session.
 *
 * Returns: (transfer full) (nullable): "ssh.service", or NULL when the
 *   process is in no service (a login session, a container without systemd)
 */
char *
pq_local_unit_from_cgroup (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  char *unit = NULL;

  for (guint i = 0; lines[i] != NULL && unit == NULL; i++)
    {
      /* cgroup v2's line is "0::PATH"; v1 has one per controller. */
      const char *path = strstr (lines[i], ":/");
      g_auto(GStrv) parts = path ? g_strsplit (path + 1, "/", -1) : NULL;

      for (guint j = parts ? g_strv_length (parts) : 0; j > 0 && unit == NULL; j--)
        if (g_str_has_suffix (parts[j - 1], ".service") && !g_str_has_prefix (parts[j - 1], "user@"))
          unit = g_strdup (parts[j - 1]);
    }
  return unit;
}

char *
pq_local_process_unit (int pid)
{
  g_autofree char *text = read_proc (pid, "cgroup", NULL);

  return text ? pq_local_unit_from_cgroup (text) : NULL;
}
