/* pq-file.c: every file Port Query writes goes through here, and what the
 * path names is what gets written: a regular file (or a new name) is
 * replaced atomically, keeping its permissions; a symbolic link is followed
 * and its final target replaced, so the link stays a link; a device, FIFO
 * or socket is written in place, never replaced; "-" and /dev/stdout are
 * standard output, /dev/fd/N the descriptor N.
 * Errors are in G_IO_ERROR (codes from errno), and their messages name the
 * path the user gave, never a temporary name, and say what to do.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pq-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pq-file.h"

/* Linux's own limit on symbolic links followed for one path. */
#define MAX_LINK_HOPS 40

/* A file name is at most 255 bytes; ".NAME.XXXXXX" must still fit. */
#define MAX_TEMP_STEM 200

/* Bytes written between two looks at the cancellable: a few milliseconds
 * of a disk's time. */
#define WRITE_CHUNK ((gsize) 1024 * 1024)

/* Turns @errsv into an error that names @given, the path as the user typed
 * it, and says what to do instead. @folder is where the file would go. */
static void
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *given,
                 const char  *folder)
{
  GIOErrorEnum code = g_io_error_from_errno (errsv);
  g_autofree char *example = NULL;

  if (folder == NULL)
    folder = given;

  switch (errsv)
    {
    case ENOENT:
      g_set_error (error, G_IO_ERROR, code,
                   _("Cannot write “%s”: the folder “%s” does not exist. Choose an existing folder or create it first."),
                   given, folder);
      break;
    case ENOTDIR:
      g_set_error (error, G_IO_ERROR, code,
                   _("Cannot write “%s”: part of the folder “%s” is a file, not a folder. Choose an existing folder."),
                   given, folder);
      break;
    case EISDIR:
      example = g_build_filename (given, "report.txt", NULL);
      g_set_error (error, G_IO_ERROR, code,
                   _("“%s” is a folder; give a file name such as “%s”."), given, example);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, G_IO_ERROR, code,
                   _("You do not have permission to write “%s”. Choose another name or folder, or ask its owner for access."),
                   given);
      break;
    case EROFS:
      g_set_error (error, G_IO_ERROR, code,
                   _("“%s” is on a read-only file system. Choose a folder on another disk."), given);
      break;
    case ENOSPC:
    case EDQUOT:
      g_set_error (error, G_IO_ERROR, code,
                   _("There is no space left to write “%s”. Free some space or choose another disk."), given);
      break;
    case ECANCELED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("Stopped before “%s” was written; no file was changed."), given);
      break;
    case ELOOP:
      g_set_error (error, G_IO_ERROR, code,
                   _("“%s” is a symbolic link that leads round in a circle. Give the file it should name instead."),
                   given);
      break;
    default:
      g_set_error (error, G_IO_ERROR, code,
                   _("Could not write “%s”: %s"), given, g_strerror (errsv));
      break;
    }
}

/* Returns 0 or the errno of the write that failed, ECANCELED once
 * @cancellable is cancelled (checked between chunks of WRITE_CHUNK, so a
 * Stop is heard within one). Sockets are sent to with MSG_NOSIGNAL: a
 * reader that went away is an error, not a SIGPIPE. */
static int
write_all (int           fd,
           const char   *data,
           gsize         length,
           gboolean      is_socket,
           GCancellable *cancellable)
{
  while (length > 0)
    {
      gsize chunk = MIN (length, WRITE_CHUNK);
      gssize n;

      if (g_cancellable_is_cancelled (cancellable))
        return ECANCELED;
      n = is_socket ? send (fd, data, chunk, MSG_NOSIGNAL) : write (fd, data, chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno;
      if (n == 0)
        return ENOSPC;
      data += n;
      length -= (gsize) n;
    }
  return 0;
}

/* Returns 0 or the errno; on Linux the descriptor is gone even after EINTR. */
static int
close_checked (int fd)
{
  if (close (fd) != 0 && errno != EINTR)
    return errno;
  return 0;
}

/* /dev/stdout, /dev/fd/N and /proc/self/fd/N name a descriptor this
 * process has open. Their links name what it was opened on ("pipe:[123]",
 * or a file whose replacement the descriptor would never see), so the
 * descriptor itself is written. Returns -1 for any other name. */
static int
descriptor_named (const char *path)
{
  static const char *const prefixes[] = { "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/" };
  guint64 fd;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      const char *rest = path + strlen (prefixes[i]);

      if (g_str_has_prefix (path, prefixes[i]) && g_ascii_isdigit (*rest) &&
          g_ascii_string_to_unsigned (rest, 10, 0, G_MAXINT, &fd, NULL))
        return (int) fd;
    }
  return -1;
}

/* Follows @path through symbolic links to the name that is not one (which
 * need not exist: a dangling link creates its target), or to a descriptor
 * name, whose number goes to @fd (else -1). Relative targets are joined to
 * the link's folder unnormalised, so ".." means what the kernel says it
 * means. A loop is left to stat(), which reports ELOOP. */
static char *
resolve_links (const char *path,
               int        *fd)
{
  g_autofree char *current = g_strdup (path);

  for (guint hop = 0; hop < MAX_LINK_HOPS; hop++)
    {
      g_autofree char *link = NULL;
      struct stat st;

      if ((*fd = descriptor_named (current)) >= 0)
        break;
      if (lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        break;
      link = g_file_read_link (current, NULL);
      if (link == NULL)
        break;
      if (g_path_is_absolute (link))
        {
          g_free (current);
          current = g_steal_pointer (&link);
        }
      else
        {
          g_autofree char *folder = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (folder, link, NULL);
        }
    }
  return g_steal_pointer (&current);
}

/* Best effort, so it cannot fail the write: file systems without owners
 * (FAT, some FUSE ones) refuse these, and the content matters more than
 * its bits. Owner first, since chown clears set-id bits. A user who is not
 * root can still keep the group if they belong to it. */
static void
keep_owner_and_mode (int                fd,
                     const struct stat *old)
{
  uid_t owner = geteuid () == 0 ? old->st_uid : (uid_t) -1;

  if (fchown (fd, owner, old->st_gid) != 0)
    g_debug ("Cannot keep owner %u:%u: %s", (guint) old->st_uid, (guint) old->st_gid,
             g_strerror (errno));
  if (fchmod (fd, old->st_mode & 07777) != 0)
    g_debug ("Cannot keep mode %o: %s", (guint) (old->st_mode & 07777), g_strerror (errno));
}

/* The rename is on disk only once the folder is; without this a crash
 * could bring back the old file, never a torn one. Best effort. */
static void
sync_folder (const char *folder)
{
  int fd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("Cannot sync folder %s: %s", folder, g_strerror (errno));
  close (fd);
}

/* Writes @target whole or not at all: a temporary file beside it, written,
 * synced and renamed over it. @old is the file being replaced, or NULL for
 * a new one, which gets 0666 less the umask, as fopen() gives. Cancelled
 * at any point before the rename, the temporary file goes and @target
 * stays as it was. */
static gboolean
replace_atomically (const char         *given,
                    const char         *target,
                    const struct stat  *old,
                    const char         *data,
                    gsize               length,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autofree char *folder = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *temp = NULL;
  int fd, errsv, close_errsv;

  /* A file we may not write stays as it is, as with fopen(), even where
   * the folder would let us rename over it. */
  if (old != NULL && access (target, W_OK) != 0)
    {
      set_errno_error (error, errno, given, folder);
      return FALSE;
    }

  if (strlen (base) > MAX_TEMP_STEM)
    base[MAX_TEMP_STEM] = '\0';
  temp = g_strdup_printf ("%s/.%s.XXXXXX", folder, base);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_errno_error (error, errno, given, folder);
      return FALSE;
    }

  if (old != NULL)
    keep_owner_and_mode (fd, old);
  errsv = write_all (fd, data, length, FALSE, cancellable);
  if (errsv == 0 && fsync (fd) != 0)
    errsv = errno;
  close_errsv = close_checked (fd);
  if (errsv == 0)
    errsv = close_errsv;
  if (errsv == 0 && g_cancellable_is_cancelled (cancellable))
    errsv = ECANCELED;
  if (errsv == 0 && rename (temp, target) != 0)
    errsv = errno;
  if (errsv != 0)
    {
      g_unlink (temp);
      set_errno_error (error, errsv, given, folder);
      return FALSE;
    }

  sync_folder (folder);
  return TRUE;
}

/* A listening Unix socket takes a connection, not open(). Stream first;
 * a datagram socket refuses that with EPROTOTYPE. Returns -1 and errno. */
static int
connect_unix (const char *target)
{
  static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int errsv = EPROTOTYPE;

  if (strlen (target) >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  strcpy (addr.sun_path, target);

  for (guint i = 0; i < G_N_ELEMENTS (types) && errsv == EPROTOTYPE; i++)
    {
      int fd = socket (AF_UNIX, types[i] | SOCK_CLOEXEC, 0);

      if (fd < 0)
        return -1;
      if (connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
        return fd;
      errsv = errno;
      close (fd);
    }
  errno = errsv;
  return -1;
}

/* Devices, FIFOs and sockets: written where they are. Without O_CREAT and
 * O_TRUNC, so nothing is created or cut; a FIFO waits for its reader, as
 * a shell's redirection does. */
static gboolean
write_in_place (const char         *given,
                const char         *target,
                const struct stat  *st,
                const char         *data,
                gsize               length,
                GError            **error)
{
  gboolean is_socket = S_ISSOCK (st->st_mode);
  g_autofree char *folder = g_path_get_dirname (target);
  int fd, errsv, close_errsv;

  do
    fd = is_socket ? connect_unix (target) : open (target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      set_errno_error (error, errno, given, folder);
      return FALSE;
    }

  errsv = write_all (fd, data, length, is_socket, NULL);
  close_errsv = close_checked (fd);
  if (errsv == 0)
    errsv = close_errsv;
  if (errsv != 0)
    {
      set_errno_error (error, errsv, given, folder);
      return FALSE;
    }
  return TRUE;
}

/* Through stdio, so that whatever the caller printed before comes first. */
static gboolean
write_stdout (const char  *data,
              gsize        length,
              GError     **error)
{
  if ((length > 0 && fwrite (data, 1, length, stdout) != length) || fflush (stdout) != 0)
    {
      int errsv = errno;

      clearerr (stdout);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not write to standard output: %s"), g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* Standard output goes through stdio and standard error after it, so that
 * what was printed before comes first. */
static gboolean
write_descriptor (const char  *given,
                  int          fd,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  int errsv;

  if (fd == STDOUT_FILENO)
    return write_stdout (data, length, error);
  if (fd == STDERR_FILENO)
    fflush (stderr);
  errsv = write_all (fd, data, length, FALSE, NULL);
  if (errsv != 0)
    {
      set_errno_error (error, errsv, given, NULL);
      return FALSE;
    }
  return TRUE;
}

/* pq_file_write(), stopped by @cancellable before anything is changed:
 * a regular file is left as it was (the temporary file goes). A device,
 * FIFO or socket, written in place, is not stopped half way. */
static gboolean
file_write (const char    *path,
            const char    *data,
            gsize          length,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *target = NULL;
  struct stat st;
  int fd;

  if (g_cancellable_is_cancelled (cancellable))
    {
      set_errno_error (error, ECANCELED, path, NULL);
      return FALSE;
    }
  if (strcmp (path, "-") == 0)
    return write_stdout (data, length, error);
  if (*path == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("No file name given. Type one such as report.txt."));
      return FALSE;
    }

  target = resolve_links (path, &fd);
  if (fd >= 0)
    return write_descriptor (path, fd, data, length, error);
  if (stat (target, &st) != 0)
    {
      int errsv = errno;
      g_autofree char *folder = g_path_get_dirname (target);

      /* A new name; a missing folder is reported when the temporary file
       * cannot be made there. */
      if (errsv == ENOENT)
        return replace_atomically (path, target, NULL, data, length, cancellable, error);
      set_errno_error (error, errsv, path, folder);
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      set_errno_error (error, EISDIR, path, NULL);
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    return replace_atomically (path, target, &st, data, length, cancellable, error);
  return write_in_place (path, target, &st, data, length, error);
}

/**
 * pq_file_write:
 * @path: the file name as the user gave it; "-" is standard output
 * @data: (array length=length): what to write
 * @length: bytes in @data
 * @error: a #G_IO_ERROR, with a message that names @path and says what to do
 *
 * Writes @data to what @path names. A regular file or a new name is
 * replaced atomically (a temporary file in the same folder, synced, then
 * renamed over it; on failure it is removed and the old file is intact),
 * keeping an existing file's permission bits, and its owner when run as
 * root; a new file gets 0666 less the umask. A symbolic link is followed
 * and its final target replaced that way; the link stays. A character or
 * block device, FIFO or socket is written in place, and /dev/stdout,
 * /dev/fd/N or /proc/self/fd/N to that open descriptor. Blocking.
 *
 * Returns: %TRUE if all of @data was written
 */
gboolean
pq_file_write (const char  *path,
               const char  *data,
               gsize        length,
               GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return file_write (path, data, length, NULL, error);
}

/**
 * pq_file_write_bytes:
 * @path: the path as the user typed it (relative ones too)
 * @bytes: what to write
 * @cancellable: (nullable): stops the write, as in pq_file_write_gfile()
 * @error: a #G_IO_ERROR naming @path as typed
 *
 * pq_file_write() that a Ctrl+C can stop: the command line's export,
 * whose messages name the path the user gave rather than the absolute
 * one a #GFile would make of it.
 *
 * Returns: %TRUE if all of @bytes was written
 */
gboolean
pq_file_write_bytes (const char    *path,
                     GBytes        *bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &length);
  return file_write (path, data != NULL ? data : "", length, cancellable, error);
}

/**
 * pq_file_write_gfile:
 * @file: where to write
 * @bytes: what to write
 * @cancellable: (nullable): stops the write; a regular file is then left
 *   as it was, and the error is %G_IO_ERROR_CANCELLED
 * @error: a #G_IO_ERROR
 *
 * The application's entry: a @file with a local path (including the
 * document portal's) follows the rules of pq_file_write(); any other
 * (sftp:, smb: through GVfs) is replaced by g_file_replace_contents(),
 * which is atomic where its backend can be.
 *
 * Returns: %TRUE if all of @bytes was written
 */
gboolean
pq_file_write_gfile (GFile         *file,
                     GBytes        *bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *path = NULL;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path != NULL)
    return pq_file_write_bytes (path, bytes, cancellable, error);
  data = g_bytes_get_data (bytes, &length);
  return g_file_replace_contents (file, data != NULL ? data : "", length, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, error);
}
