/* test-checks.c: the service checks (PortQryUI's and the user's own)
 * without a display: PqChecks needs only GIO, so it is tested here rather
 * than only through the window test, which needs root and Xvfb.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pq-checks.h"
#include "pq-error.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pq-checks-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: saving creates it. */
  f->path = g_build_filename (f->dir, "portquery", "checks.ini", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (f->path);

  g_remove (f->path);
  g_rmdir (sub);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

/* PortQryUI's "Domains and Trusts" asks TCP 135 but UDP 137: one check,
 * two lists, both protocols. */
static void
test_builtins (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) checks = pq_checks_load (f->path, &error);
  PqCheck *domains;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (checks)), >=, 10);
  domains = pq_checks_find (G_LIST_MODEL (checks), "domains-trusts", NULL);
  g_assert_nonnull (domains);
  g_assert_cmpstr (pq_check_get_name (domains), ==, "Domains and Trusts");
  g_assert_nonnull (strstr (pq_check_get_tcp_ports (domains), "135"));
  g_assert_nonnull (strstr (pq_check_get_udp_ports (domains), "137"));
  g_assert_null (strstr (pq_check_get_tcp_ports (domains), "137"));
  g_assert_cmpint (pq_check_get_protocols (domains), ==, PQ_PROTOCOLS_BOTH);
  g_assert_false (pq_check_get_user_defined (domains));
  text = pq_check_dup_ports_text (domains);
  g_assert_true (g_str_has_prefix (text, "TCP "));
  g_assert_nonnull (strstr (text, " · UDP "));
}

/* A check the user saves is there the next time, and goes when deleted. */
static void
test_add_reload_remove (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) checks = pq_checks_load (f->path, &error);
  guint builtin = g_list_model_get_n_items (G_LIST_MODEL (checks));
  PqCheck *added;
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  added = pq_checks_add (checks, f->path, "  File server  ", "445, 139,137-138", PQ_PROTOCOLS_TCP, &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  id = g_strdup (pq_check_get_id (added));
  g_assert_cmpstr (pq_check_get_name (added), ==, "File server");
  g_assert_cmpstr (pq_check_get_udp_ports (added), ==, "");
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));

  {
    g_autoptr(GListStore) again = pq_checks_load (f->path, &error);
    PqCheck *found;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, builtin + 1);
    found = pq_checks_find (G_LIST_MODEL (again), id, NULL);
    g_assert_nonnull (found);
    g_assert_true (pq_check_get_user_defined (found));
    g_assert_cmpstr (pq_check_get_tcp_ports (found), ==, pq_check_get_tcp_ports (added));
    g_assert_cmpint (pq_check_get_protocols (found), ==, PQ_PROTOCOLS_TCP);
  }

  g_assert_true (pq_checks_remove (checks, f->path, added, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GListStore) again = pq_checks_load (f->path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, builtin);
    g_assert_null (pq_checks_find (G_LIST_MODEL (again), id, NULL));
  }
}

/* Bad input gets a message saying what to type; a built-in check cannot
 * be deleted. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) checks = pq_checks_load (f->path, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (checks));
  PqCheck *dns = pq_checks_find (G_LIST_MODEL (checks), "dns", NULL);

  g_assert_null (pq_checks_add (checks, f->path, "   ", "80", PQ_PROTOCOLS_TCP, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION);
  g_assert_nonnull (strstr (error->message, "name"));
  g_clear_error (&error);
  g_assert_null (pq_checks_add (checks, f->path, "Web", "80,,443", PQ_PROTOCOLS_TCP, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
  g_clear_error (&error);
  g_assert_false (pq_checks_remove (checks, f->path, dns, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_OPTION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (checks)), ==, n);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* A hand-edited file with nonsense: what would not run is skipped, the
 * rest loads. */
static void
test_hostile_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) checks = NULL;
  const char *contents =
    "[good]\nName=Mail\nTCP=25,587\nUDP=\n"
    "[no-name]\nTCP=80\n"
    "[bad-ports]\nName=Broken\nTCP=http\n"
    "[no-ports]\nName=Empty\nTCP=\nUDP=\n"
    "[udp]\nName=Time\nUDP=123\n";

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, contents, -1, NULL));
  checks = pq_checks_load (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pq_checks_find (G_LIST_MODEL (checks), "good", NULL));
  g_assert_nonnull (pq_checks_find (G_LIST_MODEL (checks), "udp", NULL));
  g_assert_cmpint (pq_check_get_protocols (pq_checks_find (G_LIST_MODEL (checks), "udp", NULL)), ==,
                   PQ_PROTOCOLS_UDP);
  g_assert_null (pq_checks_find (G_LIST_MODEL (checks), "no-name", NULL));
  g_assert_null (pq_checks_find (G_LIST_MODEL (checks), "bad-ports", NULL));
  g_assert_null (pq_checks_find (G_LIST_MODEL (checks), "no-ports", NULL));

  /* Not a key file at all: the built-in checks, and an error that names
   * the file. */
  g_assert_true (g_file_set_contents (f->path, "\x01\x02 not [ a key file", -1, NULL));
  g_clear_object (&checks);
  checks = pq_checks_load (f->path, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (pq_checks_find (G_LIST_MODEL (checks), "dns", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/checks/builtins", Fixture, NULL, fixture_setup, test_builtins, fixture_teardown);
  g_test_add ("/checks/add-reload-remove", Fixture, NULL, fixture_setup, test_add_reload_remove,
              fixture_teardown);
  g_test_add ("/checks/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/checks/hostile-file", Fixture, NULL, fixture_setup, test_hostile_file, fixture_teardown);
  return g_test_run ();
}
