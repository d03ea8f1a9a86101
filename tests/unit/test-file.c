/* test-file.c: pq_file_write writes what the path names, whole or not at
 * all, and its errors name the path the user gave
 *
 * Each test works in its own temporary folder. The cases that need root
 * (keeping another user's ownership, a full tmpfs) skip with a message
 * otherwise; those that only an unprivileged user can see (permission
 * denied) skip as root.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pq-file.h"

typedef struct
{
  char *dir;
  char *mount;     /* a tmpfs mounted by the test, or NULL */
} Fixture;

static void
remove_tree (const char *path)
{
  struct stat st;

  if (lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_chmod (path, 0700);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pq-file-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->mount != NULL && umount2 (f->mount, MNT_DETACH) != 0)
    g_test_message ("umount %s: %s", f->mount, g_strerror (errno));
  remove_tree (f->dir);
  g_free (f->mount);
  g_free (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The folder's entries, sorted and joined with commas: a temporary file
 * left behind shows up here. */
static char *
entries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
assert_entries (const char *folder,
                const char *expected)
{
  g_autofree char *actual = entries (folder);

  g_assert_cmpstr (actual, ==, expected);
}

static void
assert_content (const char *path,
                const char *expected)
{
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, ==, expected);
}

static void
write_file (const char *path,
            const char *content)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

/* The message names @given, and no temporary ".NAME.XXXXXX" beside it. */
static void
assert_message_names (const GError *error,
                      const char   *given)
{
  g_autofree char *base = g_path_get_basename (given);
  g_autofree char *temp = g_strdup_printf ("/.%s.", base);

  g_test_message ("message: %s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, given));
  g_assert_null (strstr (error->message, temp));
}

static mode_t
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* Skips the test with @why unless the process is root exactly when
 * @want_root says so. */
static gboolean
skipped_unless_root (gboolean    want_root,
                     const char *why)
{
  if ((geteuid () == 0) == want_root)
    return FALSE;
  g_test_skip (why);
  return TRUE;
}

static void
test_new_file_umask (Fixture       *f,
                     gconstpointer  data)
{
  static const mode_t masks[] = { 022, 027, 077 };

  for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      g_autofree char *name = g_strdup_printf ("new-%u.txt", i);
      g_autofree char *path = path_in (f, name);
      g_autoptr(GError) error = NULL;
      mode_t old_mask = umask (masks[i]);
      gboolean ok = pq_file_write (path, "hello\n", 6, &error);

      umask (old_mask);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_true (S_ISREG (mode_of (path)));
      g_assert_cmpuint (mode_of (path) & 07777, ==, 0666 & ~masks[i]);
      assert_content (path, "hello\n");
    }
  assert_entries (f->dir, "new-0.txt,new-1.txt,new-2.txt");
}

static void
test_replace_keeps_mode (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = path_in (f, "report.txt");
  g_autoptr(GError) error = NULL;
  struct stat before, after;

  write_file (path, "old content that is longer than the new one\n");
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_cmpint (stat (path, &before), ==, 0);

  g_assert_true (pq_file_write (path, "new\n", 4, &error));
  g_assert_no_error (error);

  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_mode & 07777, ==, 0640);
  /* A new inode: replaced by rename, not rewritten where a crash could tear it. */
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);
  assert_content (path, "new\n");
  assert_entries (f->dir, "report.txt");
}

static void
test_replace_keeps_owner (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = path_in (f, "owned.txt");
  g_autoptr(GError) error = NULL;
  struct stat st;

  if (skipped_unless_root (TRUE, "Keeping another user's ownership needs root; run as root to test it."))
    return;

  write_file (path, "old\n");
  g_assert_cmpint (chown (path, 4242, 4343), ==, 0);
  g_assert_cmpint (g_chmod (path, 0604), ==, 0);

  g_assert_true (pq_file_write (path, "new\n", 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, 4242);
  g_assert_cmpuint (st.st_gid, ==, 4343);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0604);
  assert_content (path, "new\n");
}

static void
assert_link (const char *path,
             const char *expected_target)
{
  g_autofree char *target = g_file_read_link (path, NULL);

  g_assert_true (S_ISLNK (mode_of (path)));
  g_assert_cmpstr (target, ==, expected_target);
}

static void
test_symlink_followed (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *sub_a = path_in (f, "a");
  g_autofree char *sub_b = path_in (f, "b");
  g_autofree char *target = path_in (f, "b/target.txt");
  g_autofree char *link = path_in (f, "a/link");
  g_autofree char *chain = path_in (f, "chain");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (sub_a, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (sub_b, 0755), ==, 0);
  write_file (target, "old\n");
  g_assert_cmpint (g_chmod (target, 0600), ==, 0);
  /* Relative, from the link's own folder; and a link to that link. */
  g_assert_cmpint (symlink ("../b/target.txt", link), ==, 0);
  g_assert_cmpint (symlink ("a/link", chain), ==, 0);

  g_assert_true (pq_file_write (chain, "new\n", 4, &error));
  g_assert_no_error (error);

  assert_link (chain, "a/link");
  assert_link (link, "../b/target.txt");
  g_assert_true (S_ISREG (mode_of (target)));
  g_assert_cmpuint (mode_of (target) & 07777, ==, 0600);
  assert_content (target, "new\n");
  assert_entries (f->dir, "a,b,chain");
  assert_entries (sub_a, "link");
  assert_entries (sub_b, "target.txt");
}

static void
test_dangling_symlink (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *link = path_in (f, "link");
  g_autofree char *target = path_in (f, "made.txt");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("made.txt", link), ==, 0);
  g_assert_true (pq_file_write (link, "made\n", 5, &error));
  g_assert_no_error (error);
  assert_link (link, "made.txt");
  assert_content (target, "made\n");
  assert_entries (f->dir, "link,made.txt");
}

static void
test_symlink_loop (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = path_in (f, "a");
  g_autofree char *b = path_in (f, "b");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("b", a), ==, 0);
  g_assert_cmpint (symlink ("a", b), ==, 0);
  g_assert_false (pq_file_write (a, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
  assert_message_names (error, a);
  assert_entries (f->dir, "a,b");
}

typedef struct
{
  const char *path;
  GString    *received;
} Reader;

/* Opens (which waits for the writer, as a FIFO does) and reads to EOF. */
static gpointer
read_fifo (gpointer data)
{
  Reader *r = data;
  char buf[4096];
  gssize n;
  int fd = open (r->path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (r->received, buf, n);
  close (fd);
  return NULL;
}

static void
test_fifo_in_place (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *fifo = path_in (f, "fifo");
  g_autoptr(GString) sent = g_string_new (NULL);
  g_autoptr(GString) received = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Reader reader = { fifo, received };
  GThread *thread;

  /* More than a pipe's 64 KiB buffer, so the write really streams. */
  while (sent->len < 200 * 1024)
    g_string_append_printf (sent, "TCP port %u: LISTENING\n", (guint) sent->len);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  thread = g_thread_new ("fifo-reader", read_fifo, &reader);
  g_assert_true (pq_file_write (fifo, sent->str, sent->len, &error));
  g_thread_join (thread);

  g_assert_no_error (error);
  g_assert_cmpmem (received->str, received->len, sent->str, sent->len);
  g_assert_true (S_ISFIFO (mode_of (fifo)));
  assert_entries (f->dir, "fifo");
}

static gpointer
accept_and_read (gpointer data)
{
  int listener = GPOINTER_TO_INT (data);
  GString *received = g_string_new (NULL);
  char buf[4096];
  gssize n;
  int fd = accept (listener, NULL, NULL);

  g_assert_cmpint (fd, >=, 0);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (received, buf, n);
  close (fd);
  return received;
}

static void
test_socket_in_place (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = path_in (f, "sock");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  g_autoptr(GError) error = NULL;
  GString *received;
  GThread *thread;
  int listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (listener, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  g_assert_cmpint (bind (listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (listener, 1), ==, 0);

  thread = g_thread_new ("socket-reader", accept_and_read, GINT_TO_POINTER (listener));
  g_assert_true (pq_file_write (path, "to a socket\n", 12, &error));
  received = g_thread_join (thread);
  close (listener);

  g_assert_no_error (error);
  g_assert_cmpstr (received->str, ==, "to a socket\n");
  g_string_free (received, TRUE);
  g_assert_true (S_ISSOCK (mode_of (path)));
  assert_entries (f->dir, "sock");
}

static void
test_dev_null (void)
{
  g_autoptr(GError) error = NULL;
  struct stat before, after;

  g_assert_cmpint (stat ("/dev/null", &before), ==, 0);
  g_assert_true (pq_file_write ("/dev/null", "discarded\n", 10, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat ("/dev/null", &after), ==, 0);
  g_assert_true (S_ISCHR (after.st_mode));
  g_assert_cmpuint (after.st_rdev, ==, before.st_rdev);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
}

static void
test_dev_full (void)
{
  g_autoptr(GError) error = NULL;
  struct stat before, after;

  if (stat ("/dev/full", &before) != 0)
    {
      g_test_skip ("This system has no /dev/full.");
      return;
    }
  g_assert_false (pq_file_write ("/dev/full", "too much\n", 9, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_message_names (error, "/dev/full");
  g_assert_nonnull (strstr (error->message, "no space left"));
  g_assert_cmpint (lstat ("/dev/full", &after), ==, 0);
  g_assert_true (S_ISCHR (after.st_mode));
  g_assert_cmpuint (after.st_rdev, ==, before.st_rdev);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
}

static void
test_directory (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *example = path_in (f, "report.txt");

  g_assert_false (pq_file_write (f->dir, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  assert_message_names (error, f->dir);
  g_assert_nonnull (strstr (error->message, "is a folder"));
  g_assert_nonnull (strstr (error->message, example));
  assert_entries (f->dir, "");
}

static void
test_missing_folder (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *folder = path_in (f, "nope");
  g_autofree char *path = path_in (f, "nope/x.log");
  g_autofree char *quoted = g_strdup_printf ("“%s” does not exist", folder);
  g_autoptr(GError) error = NULL;

  g_assert_false (pq_file_write (path, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_message_names (error, path);
  g_assert_nonnull (strstr (error->message, quoted));
  g_assert_nonnull (strstr (error->message, "create it first"));
  assert_entries (f->dir, "");
}

static void
test_file_as_folder (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *file = path_in (f, "plain");
  g_autofree char *path = path_in (f, "plain/x.log");
  g_autoptr(GError) error = NULL;

  write_file (file, "plain\n");
  g_assert_false (pq_file_write (path, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  assert_message_names (error, path);
  assert_content (file, "plain\n");
  assert_entries (f->dir, "plain");
}

/* Writes "to stdout" to @path with standard output on a pipe; returns
 * what came out of the pipe. */
static char *
capture_stdout (const char *path)
{
  g_autoptr(GError) error = NULL;
  char buf[64] = { 0 };
  int fds[2], saved;
  gboolean ok;
  gssize n;

  /* What the test harness printed so far must not end up in the pipe. */
  fflush (stdout);
  g_assert_cmpint (pipe (fds), ==, 0);
  saved = dup (STDOUT_FILENO);
  g_assert_cmpint (dup2 (fds[1], STDOUT_FILENO), ==, STDOUT_FILENO);
  close (fds[1]);

  ok = pq_file_write (path, "to stdout\n", 10, &error);

  fflush (stdout);
  g_assert_cmpint (dup2 (saved, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (saved);
  n = read (fds[0], buf, sizeof buf - 1);
  close (fds[0]);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (n, >=, 0);
  return g_strndup (buf, (gsize) n);
}

static void
test_stdout (void)
{
  g_autofree char *dash = capture_stdout ("-");
  g_autofree char *dev = NULL;

  g_assert_cmpstr (dash, ==, "to stdout\n");
  /* /dev/stdout links to "pipe:[N]" here: the descriptor is meant. */
  if (g_file_test ("/dev/stdout", G_FILE_TEST_EXISTS))
    {
      dev = capture_stdout ("/dev/stdout");
      g_assert_cmpstr (dev, ==, "to stdout\n");
    }
}

/* /dev/fd/N writes on at the descriptor's offset; the file it was opened
 * on is not replaced behind its back. */
static void
test_descriptor_in_place (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = path_in (f, "open.txt");
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  struct stat before, after;
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "first\n", 6), ==, 6);
  g_assert_cmpint (fstat (fd, &before), ==, 0);
  name = g_strdup_printf ("/dev/fd/%d", fd);

  g_assert_true (pq_file_write (name, "second\n", 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (close (fd), ==, 0);

  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  assert_content (path, "first\nsecond\n");
  assert_entries (f->dir, "open.txt");
}

static void
test_read_only_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = path_in (f, "locked.txt");
  g_autoptr(GError) error = NULL;

  if (skipped_unless_root (FALSE, "Root may write any file; run as another user to test refusal."))
    return;
  write_file (path, "old\n");
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);

  g_assert_false (pq_file_write (path, "new\n", 4, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  assert_message_names (error, path);
  assert_content (path, "old\n");
  assert_entries (f->dir, "locked.txt");
}

static void
test_read_only_folder (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = path_in (f, "new.txt");
  g_autoptr(GError) error = NULL;

  if (skipped_unless_root (FALSE, "Root may write in any folder; run as another user to test refusal."))
    return;
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);

  g_assert_false (pq_file_write (path, "new\n", 4, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  assert_message_names (error, path);
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);
  assert_entries (f->dir, "");
}

/* A write that fails half-way, without root: the file-size limit stops
 * the temporary file at 4 KiB (EFBIG) after it was created. */
static void
test_failure_mid_write (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = path_in (f, "report.txt");
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  g_autoptr(GError) error = NULL;
  struct rlimit saved, small;
  void (*old_handler) (int);
  gboolean ok;

  write_file (path, "old\n");
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = (struct rlimit) { 4096, saved.rlim_max };
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);

  ok = pq_file_write (path, big, strlen (big), &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, (int) g_io_error_from_errno (EFBIG));
  assert_message_names (error, path);
  assert_content (path, "old\n");
  assert_entries (f->dir, "report.txt");
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *fits = g_strnfill (8 * 1024, 'a');
  g_autofree char *too_big = g_strnfill (256 * 1024, 'b');
  g_autoptr(GError) error = NULL;

  if (skipped_unless_root (TRUE, "Mounting a small tmpfs to fill needs root; run as root to test a full disk."))
    return;
  f->mount = path_in (f, "mnt");
  g_assert_cmpint (g_mkdir (f->mount, 0755), ==, 0);
  if (mount ("tmpfs", f->mount, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0)
    {
      g_autofree char *why = g_strdup_printf ("Cannot mount a tmpfs on %s: %s",
                                              f->mount, g_strerror (errno));

      g_test_skip (why);
      g_clear_pointer (&f->mount, g_free);
      return;
    }
  path = g_build_filename (f->mount, "report.txt", NULL);

  g_assert_true (pq_file_write (path, fits, strlen (fits), &error));
  g_assert_no_error (error);
  g_assert_false (pq_file_write (path, too_big, strlen (too_big), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_message_names (error, path);
  g_assert_nonnull (strstr (error->message, "no space left"));
  assert_content (path, fits);
  assert_entries (f->mount, "report.txt");
}

static void
test_gfile (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *target = path_in (f, "target.txt");
  g_autofree char *link = path_in (f, "link");
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autoptr(GFile) resource = g_file_new_for_uri ("resource:///io/github/portquery/nowhere.txt");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("via GFile\n", 10);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  write_file (target, "old\n");
  g_assert_cmpint (symlink ("target.txt", link), ==, 0);

  /* A local GFile follows the same rules: the link stays a link. */
  g_assert_true (pq_file_write_gfile (file, bytes, NULL, &error));
  g_assert_no_error (error);
  assert_link (link, "target.txt");
  assert_content (target, "via GFile\n");

  g_cancellable_cancel (cancelled);
  g_assert_false (pq_file_write_gfile (file, bytes, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* One with no local path goes to GIO, whose answer comes back. */
  g_assert_false (pq_file_write_gfile (resource, bytes, NULL, &error));
  g_assert_nonnull (error);
  assert_entries (f->dir, "link,target.txt");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pq/file/new-file-umask", test_new_file_umask);
  ADD ("/pq/file/replace-keeps-mode", test_replace_keeps_mode);
  ADD ("/pq/file/replace-keeps-owner", test_replace_keeps_owner);
  ADD ("/pq/file/symlink-followed", test_symlink_followed);
  ADD ("/pq/file/dangling-symlink", test_dangling_symlink);
  ADD ("/pq/file/symlink-loop", test_symlink_loop);
  ADD ("/pq/file/fifo-in-place", test_fifo_in_place);
  ADD ("/pq/file/socket-in-place", test_socket_in_place);
  ADD ("/pq/file/descriptor-in-place", test_descriptor_in_place);
  ADD ("/pq/file/directory", test_directory);
  ADD ("/pq/file/missing-folder", test_missing_folder);
  ADD ("/pq/file/file-as-folder", test_file_as_folder);
  ADD ("/pq/file/read-only-file", test_read_only_file);
  ADD ("/pq/file/read-only-folder", test_read_only_folder);
  ADD ("/pq/file/failure-mid-write", test_failure_mid_write);
  ADD ("/pq/file/disk-full", test_disk_full);
  ADD ("/pq/file/gfile", test_gfile);
#undef ADD
  g_test_add_func ("/pq/file/dev-null", test_dev_null);
  g_test_add_func ("/pq/file/dev-full", test_dev_full);
  g_test_add_func ("/pq/file/stdout", test_stdout);

  return g_test_run ();
}
