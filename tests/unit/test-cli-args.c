/* test-cli-args.c: portqry's command line, run as a user runs it
 *
 * The path of the built portqry comes from the PORTQRY environment
 * variable (set by meson) or the first argument. Runs that get as far as
 * a query only ever query 127.0.0.1 ports this test opened itself; runs
 * with a bad argument use a host that does not parse either, so even if
 * the bad argument were taken nothing would be queried.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>

#include "loopback-servers.h"

/* Port arguments are checked before the host: with this host a bad port
 * argument is reported, and a wrongly accepted one still scans nothing. */
#define NO_HOST "unparsable..host"

static const char *portqry_path;

typedef struct
{
  int   status;     /* exit code; -1 if killed by a signal */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* Runs portqry with @args (NULL-terminated), in the locale @lc_all
 * (from @locpath if not NULL), while this thread's main context keeps the
 * loopback servers answering. */
static void
run_portqry_in_locale (Run                *run,
                       const char * const *args,
                       const char         *lc_all,
                       const char         *locpath)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;

  g_ptr_array_add (argv, (gpointer) portqry_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("$ %s", command);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", lc_all, TRUE);
  if (locpath != NULL)
    g_subprocess_launcher_setenv (launcher, "LOCPATH", locpath, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (proc, result, &run->out, &run->err, &error);
  g_assert_no_error (error);

  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static void
run_portqry (Run                *run,
             const char * const *args)
{
  run_portqry_in_locale (run, args, "C.UTF-8", NULL);
}

static void
assert_contains (const char *text,
                 const char *what)
{
  if (strstr (text, what) == NULL)
    g_error ("“%s” does not contain “%s”", text, what);
}

/* ------------------------------------------------------------------ */
/* Bad arguments: exit 3, and stderr says what to type                 */

typedef struct
{
  const char *name;
  const char *args[10];
  const char *hint;
} Usage;

/* A community one byte longer than SNMP agents keep (255). */
#define X16 "xxxxxxxxxxxxxxxx"
#define COMMUNITY_256 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16

static const Usage usage_cases[] = {
  { "no-arguments", { NULL }, "Usage: portqry -n name" },
  { "no-name", { "-e", "53", NULL }, "with -n, for example: portqry -n server.example.com -e 53" },
  { "port-zero", { "-n", NO_HOST, "-e", "0", NULL }, "ports go from 1 to 65535" },
  { "port-too-big", { "-n", NO_HOST, "-e", "65536", NULL }, "ports go from 1 to 65535" },
  { "port-not-a-number", { "-n", NO_HOST, "-e", "http", NULL }, "for example 80,443,1024-1350" },
  { "range-backwards", { "-n", NO_HOST, "-r", "10:5", NULL }, "Type the lower port first: 5-10" },
  { "range-one-port", { "-n", NO_HOST, "-r", "80", NULL }, "start:end, for example -r 1:1024" },
  { "range-list", { "-n", NO_HOST, "-r", "1,2", NULL }, "Use -o for a list of ports" },
  { "ordered-bad", { "-n", NO_HOST, "-o", "25,,x", NULL }, "without the extra comma: “25,x”" },
  { "protocol-icmp", { "-n", NO_HOST, "-p", "icmp", NULL }, "Type tcp, udp or both" },
  { "unknown-option", { "-n", NO_HOST, "--frobnicate", NULL }, "Unknown option “--frobnicate”" },
  { "unknown-short-option", { "-n", NO_HOST, "-z", NULL }, "Unknown option “-z”" },
  { "stray-argument", { "-n", NO_HOST, "53", NULL }, "Unknown option “53”" },
  { "endpoint-and-ordered", { "-n", NO_HOST, "-e", "53", "-o", "25,110", NULL },
    "Use only one of -e, -o and -r" },
  { "endpoint-and-range", { "-n", NO_HOST, "-e", "53", "-r", "1:2", NULL },
    "Use only one of -e, -o and -r" },
  { "tries-zero", { "-n", NO_HOST, "--tries", "0", NULL }, "--tries takes a whole number from 1 to 10" },
  { "tries-eleven", { "-n", NO_HOST, "--tries", "11", NULL }, "from 1 to 10" },
  { "timeout-word", { "-n", NO_HOST, "--timeout=abc", NULL }, "takes a whole number from 1 to 60000" },
  { "udp-tries-negative", { "-n", NO_HOST, "--udp-tries", "-1", NULL }, "takes a whole number" },
  { "parallel-too-many", { "-n", NO_HOST, "--parallel", "100000", NULL }, "from 1 to 4096" },
  { "source-port-too-big", { "-n", NO_HOST, "-sp", "70000", NULL }, "from 1 to 65535" },
  { "name-missing-value", { "-n", NULL }, "-n needs a value" },
  { "log-then-option", { "-n", NO_HOST, "-l", "-y", NULL },
    "-l needs a value after it, not the option -y: for example -l portqry.log" },
  { "name-then-option", { "-n", "-e", "53", NULL }, "-n needs a value after it, not the option -e" },
  { "community-too-long", { "-n", NO_HOST, "-p", "udp", "-e", "161", "-cn", "!" COMMUNITY_256 "!", NULL },
    "The community after -cn is 256 bytes long; SNMP agents accept at most 255." },
  { "name-with-space", { "-n", "a b", "-e", "1", NULL }, "without spaces" },
  { "name-is-url", { "-n", "http://server/", "-e", "1", NULL }, "without http://" },
  { "name-link-local", { "-n", "fe80::1", "-e", "1", NULL }, "fe80::1%eth0" },
  { "name-bad", { "-n", NO_HOST, "-e", "1", NULL }, "is not a host name or an IP address" },
};

static void
test_usage (gconstpointer data)
{
  const Usage *c = data;
  g_auto(Run) run = { 0 };

  run_portqry (&run, c->args);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, c->hint);
  /* A bad command line prints no result. */
  g_assert_null (strstr (run.out, "LISTENING"));
  if (c->args[0] != NULL)
    {
      assert_contains (run.err, "portqry: ");
      assert_contains (run.err, "portqry --help");
    }
}

/* ------------------------------------------------------------------ */
/* Help and version                                                    */

static void
test_help (void)
{
  const char *forms[][2] = { { "--help", NULL }, { "-h", NULL }, { "/?", NULL }, { "-?", NULL } };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_auto(Run) run = { 0 };

      run_portqry (&run, forms[i]);
      g_assert_cmpint (run.status, ==, 0);
      assert_contains (run.out, "Usage: portqry -n name");
      assert_contains (run.out, "Exit codes: 0 LISTENING, 1 NOT LISTENING, 2 FILTERED");
      assert_contains (run.out, "3: the command line is wrong");
      assert_contains (run.out, "a port could not be queried from\nthis computer (ERROR");
      assert_contains (run.out, "4: the query could not run");
      g_assert_cmpstr (run.err, ==, "");
    }
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  g_auto(Run) run = { 0 };

  run_portqry (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "portqry ");
}

/* ------------------------------------------------------------------ */
/* Real runs against the test's own loopback ports                     */

typedef struct
{
  Servers  servers;
  char    *dir;
  char    *services;     /* an empty services file: the built-in names only */
  char    *open;
  char    *silent;
  char    *closed;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  servers_start (&f->servers, G_SOCKET_FAMILY_IPV4);
  f->dir = g_dir_make_tmp ("pq-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->services = g_build_filename (f->dir, "services", NULL);
  g_file_set_contents (f->services, "", 0, &error);
  g_assert_no_error (error);
  f->open = g_strdup_printf ("%u", f->servers.open_port);
  f->silent = g_strdup_printf ("%u", f->servers.silent_port);
  f->closed = g_strdup_printf ("%u", f->servers.closed_port);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  servers_stop (&f->servers);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->services, g_free);
  g_clear_pointer (&f->open, g_free);
  g_clear_pointer (&f->silent, g_free);
  g_clear_pointer (&f->closed, g_free);
}

static void
test_name_option_forms (Fixture       *f,
                        gconstpointer  data)
{
  const char *forms[] = { "-n", "-N", "/n", "/N", "--name" };

  /* PortQry's options take - or / in any case. */
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *args[] = { forms[i], "127.0.0.1", "/E", f->open, "-q", "-nr",
                             "--no-probes", "--services", f->services, NULL };
      g_auto(Run) run = { 0 };

      run_portqry (&run, args);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, "");   /* -q: nothing but errors */
    }

  {
    g_autofree char *name = g_strdup ("--name=127.0.0.1");
    const char *args[] = { name, "-e", f->open, "-q", "-nr", "--services", f->services, NULL };
    g_auto(Run) run = { 0 };

    run_portqry (&run, args);
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  static const struct
  {
    const char *protocol;
    int         which;      /* 0 open, 1 closed, 2 silent */
    int         expected;
  } cases[] = {
    { "tcp", 0, 0 },
    { "tcp", 1, 1 },
    { "udp", 0, 0 },
    { "udp", 1, 1 },
    { "udp", 2, 2 },
    { "both", 0, 0 },
    { "both", 1, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *port = cases[i].which == 0 ? f->open : cases[i].which == 1 ? f->closed : f->silent;
      const char *args[] = { "-n", "127.0.0.1", "-p", cases[i].protocol, "-e", port, "-q", "-nr",
                             "--udp-wait", "200", "--udp-tries", "1", "--services", f->services, NULL };
      g_auto(Run) run = { 0 };

      run_portqry (&run, args);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, cases[i].expected);
    }

  {
    g_autofree char *list = g_strdup_printf ("%s,%s", f->open, f->closed);
    const char *args[] = { "-n", "127.0.0.1", "-o", list, "-q", "-nr", "--services", f->services, NULL };
    g_auto(Run) run = { 0 };

    /* Several ports: 1 if any is not listening. */
    run_portqry (&run, args);
    g_assert_cmpint (run.status, ==, 1);
  }
}

static void
test_output (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *list = g_strdup_printf ("%s,%s", f->closed, f->open);
  const char *args[] = { "-n", "127.0.0.1", "-o", list, "-p", "both", "-nr", "-v",
                         "--udp-wait", "500", "--services", f->services, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *open_tcp = g_strdup_printf ("TCP port %s (unknown service): LISTENING\n", f->open);
  g_autofree char *open_udp = g_strdup_printf ("UDP port %s (unknown service): LISTENING\n", f->open);
  g_autofree char *closed_tcp = g_strdup_printf ("TCP port %s (unknown service): NOT LISTENING\n", f->closed);
  g_autofree char *closed_udp = g_strdup_printf ("UDP port %s (unknown service): NOT LISTENING\n", f->closed);
  const char *a, *b, *c, *d;

  run_portqry (&run, args);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "Querying target system called:\n\n 127.0.0.1\n");
  /* In the order asked: each port, TCP then UDP, as PortQry's -p both. */
  a = strstr (run.out, closed_tcp);
  b = strstr (run.out, closed_udp);
  c = strstr (run.out, open_tcp);
  d = strstr (run.out, open_udp);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  g_assert_nonnull (d);
  g_assert_true (a < b && b < c && c < d);
  /* -v: the evidence under each line. */
  assert_contains (run.out, "reset");
  assert_contains (run.out, "port unreachable");
  assert_contains (run.out, "handshake");
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "-n", "127.0.0.1", "-e", f->open, "--json", "-nr",
                         "--services", f->services, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *state = g_strdup_printf ("\"port\": %s", f->open);

  run_portqry (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  /* Only the document on standard output. */
  g_assert_true (g_str_has_prefix (run.out, "{"));
  assert_contains (run.out, state);
  assert_contains (run.out, "\"state\": \"LISTENING\"");
  assert_contains (run.out, "\"exit_code\": 0");

  if (python != NULL)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;

      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                               python, "-c",
                               "import json,sys; d=json.load(sys.stdin); r=d['results'][0];"
                               "print(len(d['results']), r['state'], r['address'], d['target']['input'])",
                               NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, run.out, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (proc));
      g_assert_cmpstr (out, ==, "1 LISTENING 127.0.0.1 127.0.0.1\n");
    }
}

/* A user whose locale writes 0,5 for 0.5 still gets JSON a parser reads. */
static void
test_json_decimal_comma_locale (Fixture       *f,
                                gconstpointer  data)
{
  const char *locpath = g_getenv ("PQ_TEST_LOCPATH");
  g_autofree char *locale_dir = locpath ? g_build_filename (locpath, "de_DE.UTF-8", NULL) : NULL;
  const char *args[] = { "-n", "127.0.0.1", "-e", f->open, "--json", "-nr",
                         "--services", f->services, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (locale_dir == NULL || !g_file_test (locale_dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no de_DE.UTF-8 locale was built for the tests");
      return;
    }
  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }

  run_portqry_in_locale (&run, args, "de_DE.UTF-8", locpath);
  g_assert_cmpint (run.status, ==, 0);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           python, "-c", "import json,sys; json.load(sys.stdin)", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, run.out, NULL, &out, &err, &error);
  g_assert_no_error (error);
  /* Not fatal, so the other tests still run. */
  if (!g_subprocess_get_successful (proc))
    {
      g_auto(GStrv) lines = g_strsplit (g_strstrip (err), "\n", -1);
      guint n = g_strv_length (lines);

      /* Python's last line says where the parse stopped. */
      g_test_fail_printf ("portqry --json under LC_ALL=de_DE.UTF-8 is not JSON: %s",
                          n > 0 ? lines[n - 1] : "");
    }
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *row = g_strdup_printf ("\"127.0.0.1\",\"127.0.0.1\",\"%s\",\"tcp\"", f->open);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  {
    const char *args[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "-q", "--export", path,
                           "--services", f->services, NULL };
    g_auto(Run) run = { 0 };

    run_portqry (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_file_get_contents (path, &contents, NULL, &error);
    g_assert_no_error (error);
    assert_contains (contents, row);
    assert_contains (contents, "\"LISTENING\"");
  }

  {
    /* The closed port, in case the name were wrongly accepted. */
    const char *args[] = { "-n", "127.0.0.1", "-e", f->closed, "-nr", "--export", bad,
                           "--services", f->services, NULL };
    g_auto(Run) run = { 0 };

    /* Refused before the query, with the extensions that work. */
    run_portqry (&run, args);
    g_assert_cmpint (run.status, ==, 3);
    assert_contains (run.err, ".txt, .csv, .json or .html");
    g_assert_null (strstr (run.out, "LISTENING"));
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  }
}

static void
test_services_missing (Fixture       *f,
                       gconstpointer  data)
{
  /* Checked after the host, so this one needs a host that parses: the
   * closed port, in case the file were wrongly accepted. */
  const char *args[] = { "-n", "127.0.0.1", "-e", f->closed, "-nr",
                         "--services", "/nonexistent/pq-unit-test/services", NULL };
  g_auto(Run) run = { 0 };

  run_portqry (&run, args);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "/nonexistent/pq-unit-test/services");
  g_assert_null (strstr (run.out, "LISTENING"));
}

static void
test_log_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *log = g_build_filename (f->dir, "portqry.log", NULL);
  const char *args[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "-l", log,
                         "--services", f->services, NULL };
  const char *again_y[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "-l", log, "-y",
                            "--services", f->services, NULL };
  g_autofree char *line = g_strdup_printf ("TCP port %s (unknown service): LISTENING", f->open);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_auto(Run) run = { 0 };

    run_portqry (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_file_get_contents (log, &contents, NULL, &error);
    g_assert_no_error (error);
    assert_contains (contents, "PortQry");
    assert_contains (contents, line);
    assert_contains (contents, "end of log file");
  }

  {
    g_auto(Run) run = { 0 };

    /* An existing log is not overwritten without -y, and the user is told. */
    run_portqry (&run, args);
    assert_contains (run.err, "already exists");
    assert_contains (run.err, "-y");
  }

  {
    g_auto(Run) run = { 0 };

    run_portqry (&run, again_y);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
  }
}

/* A log or export that cannot be written is exit 4 with the reason; a
 * device named as the log stays a device (it is written in place). */
static void
test_log_unwritable (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "x.log", NULL);
  g_autofree char *export = g_build_filename (f->dir, "no-such-folder", "x.html", NULL);
  const char *full[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "-l", "/dev/full", "-y",
                         "--services", f->services, NULL };
  const char *folder[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "-l", missing,
                           "--services", f->services, NULL };
  const char *exported[] = { "-n", "127.0.0.1", "-e", f->open, "-nr", "--export", export,
                             "--services", f->services, NULL };
  GStatBuf st;

  {
    g_auto(Run) run = { 0 };

    run_portqry (&run, full);
    g_assert_cmpint (run.status, ==, 4);
    assert_contains (run.err, "/dev/full");
    g_assert_cmpint (g_stat ("/dev/full", &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));
  }
  {
    g_auto(Run) run = { 0 };

    run_portqry (&run, folder);
    g_assert_cmpint (run.status, ==, 4);
    /* The message names the path given, never a temporary file. */
    assert_contains (run.err, missing);
    g_assert_null (strstr (run.err, "x.log."));
  }
  {
    g_auto(Run) run = { 0 };

    run_portqry (&run, exported);
    g_assert_cmpint (run.status, ==, 4);
    assert_contains (run.err, export);
  }
  {
    g_auto(Run) run = { 0 };
    g_autofree char *cwd = g_get_current_dir ();
    const char *relative[] = { "-n", "127.0.0.1", "-e", f->open, "-nr",
                               "--export", "no-such-folder/rel.html",
                               "--services", f->services, NULL };

    /* A relative name is named as typed, not as the absolute path the
     * program made of it. */
    g_assert_cmpint (g_chdir (f->dir), ==, 0);
    run_portqry (&run, relative);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    g_assert_cmpint (run.status, ==, 4);
    assert_contains (run.err, "“no-such-folder/rel.html”");
    g_assert_null (strstr (run.err, f->dir));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  portqry_path = g_getenv ("PORTQRY");
  if (portqry_path == NULL && argc > 1)
    portqry_path = argv[1];
  if (portqry_path == NULL || !g_file_test (portqry_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("Set PORTQRY to the built portqry, or pass its path.\n");
      return 77;
    }

  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pq/cli/usage/%s", usage_cases[i].name);
      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }
  g_test_add_func ("/pq/cli/help", test_help);
  g_test_add_func ("/pq/cli/version", test_version);
  g_test_add ("/pq/cli/name-option-forms", Fixture, NULL,
              fixture_set_up, test_name_option_forms, fixture_tear_down);
  g_test_add ("/pq/cli/exit-codes", Fixture, NULL,
              fixture_set_up, test_exit_codes, fixture_tear_down);
  g_test_add ("/pq/cli/output", Fixture, NULL,
              fixture_set_up, test_output, fixture_tear_down);
  g_test_add ("/pq/cli/json", Fixture, NULL,
              fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/pq/cli/json-decimal-comma-locale", Fixture, NULL,
              fixture_set_up, test_json_decimal_comma_locale, fixture_tear_down);
  g_test_add ("/pq/cli/export", Fixture, NULL,
              fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/pq/cli/services-missing", Fixture, NULL,
              fixture_set_up, test_services_missing, fixture_tear_down);
  g_test_add ("/pq/cli/log-file", Fixture, NULL,
              fixture_set_up, test_log_file, fixture_tear_down);
  g_test_add ("/pq/cli/log-unwritable", Fixture, NULL,
              fixture_set_up, test_log_unwritable, fixture_tear_down);

  return g_test_run ();
}
