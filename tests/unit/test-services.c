/* test-services.c: port names from the services file, and the probe each name gets
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pq-error.h"
#include "pq-services.h"

/* Ports 7000 to 7999 and 9990 to 9999 are not in the built-in table, so
 * whatever is found there came from the file. */
static const char services_text[] =
  "# /etc/services, as a distribution writes it\n"
  "#\n"
  "domain          53/tcp                          # Domain Name Server\n"
  "domain          53/udp\n"
  "first           7000/tcp        alias1 alias2   # the first entry wins\n"
  "second          7000/tcp\n"
  "first-udp       7000/udp\n"
  "ldap            3268/tcp\n"
  "ldap            9990/tcp\n"
  "mywww           9991/tcp        www             # an alias with a probe\n"
  "http            389/tcp                         # the file overrides the table\n"
  "# commented     7100/tcp\n"
  "garbage line without a port\n"
  "badport         70000/tcp\n"
  "zeroport        0/tcp\n"
  "noproto         7001\n"
  "noport          /tcp\n"
  "sctp-only       7002/sctp\n"
  "minus           -7/tcp\n"
  "lonely\n"
  "/tcp\n"
  "\n"
  "   indented     7003/udp   \n"
  "tabbed\t7004/tcp\t\talias\n"
  "crlf            7005/tcp\r\n"
  "UPPER           7006/TCP\n"
  "hash-glued      7007/tcp#comment\n"
  "last            7999/udp";   /* no newline at the end */

typedef struct
{
  char       *dir;
  char       *path;
  PqServices *services;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pq-services-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "services", NULL);
  g_file_set_contents (f->path, services_text, -1, &error);
  g_assert_no_error (error);

  f->services = pq_services_new_from_file (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->services);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->services);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->dir, g_free);
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  PqServices *s = f->services;

  g_assert_cmpstr (pq_services_get_source (s), ==, f->path);

  g_assert_cmpstr (pq_services_lookup (s, 53, PQ_PROTOCOL_TCP), ==, "domain");
  g_assert_cmpstr (pq_services_lookup (s, 53, PQ_PROTOCOL_UDP), ==, "domain");
  /* The same port per protocol. */
  g_assert_cmpstr (pq_services_lookup (s, 7000, PQ_PROTOCOL_TCP), ==, "first");
  g_assert_cmpstr (pq_services_lookup (s, 7000, PQ_PROTOCOL_UDP), ==, "first-udp");
  g_assert_cmpstr (pq_services_lookup (s, 7003, PQ_PROTOCOL_UDP), ==, "indented");
  g_assert_null (pq_services_lookup (s, 7003, PQ_PROTOCOL_TCP));
  g_assert_cmpstr (pq_services_lookup (s, 7004, PQ_PROTOCOL_TCP), ==, "tabbed");
  g_assert_cmpstr (pq_services_lookup (s, 7005, PQ_PROTOCOL_TCP), ==, "crlf");
  g_assert_cmpstr (pq_services_lookup (s, 7006, PQ_PROTOCOL_TCP), ==, "UPPER");
  g_assert_cmpstr (pq_services_lookup (s, 7007, PQ_PROTOCOL_TCP), ==, "hash-glued");
  g_assert_cmpstr (pq_services_lookup (s, 7999, PQ_PROTOCOL_UDP), ==, "last");
}

static void
test_first_entry_wins (Fixture       *f,
                       gconstpointer  data)
{
  /* As getservbyport(): the first line for a port names it. */
  g_assert_cmpstr (pq_services_lookup (f->services, 7000, PQ_PROTOCOL_TCP), ==, "first");
  /* The file comes before the built-in table. */
  g_assert_cmpstr (pq_services_lookup (f->services, 389, PQ_PROTOCOL_TCP), ==, "http");
  g_assert_cmpint (pq_services_probe_for (f->services, 389, PQ_PROTOCOL_TCP), ==, PQ_PROBE_HTTP);
}

static void
test_aliases (Fixture       *f,
              gconstpointer  data)
{
  /* The name shown is the service's, never an alias. */
  g_assert_cmpstr (pq_services_lookup (f->services, 9991, PQ_PROTOCOL_TCP), ==, "mywww");
  /* An alias with a probe gives the port that probe. */
  g_assert_cmpint (pq_services_probe_for (f->services, 9991, PQ_PROTOCOL_TCP), ==, PQ_PROBE_HTTP);
  /* Aliases are not services. */
  g_assert_cmpint (pq_services_probe_for (f->services, 7000, PQ_PROTOCOL_TCP), ==, PQ_PROBE_NONE);
}

static void
test_comments_and_malformed (Fixture       *f,
                             gconstpointer  data)
{
  PqServices *s = f->services;

  g_assert_null (pq_services_lookup (s, 7100, PQ_PROTOCOL_TCP));   /* commented out */
  g_assert_null (pq_services_lookup (s, 7001, PQ_PROTOCOL_TCP));   /* no protocol */
  g_assert_null (pq_services_lookup (s, 7001, PQ_PROTOCOL_UDP));
  g_assert_null (pq_services_lookup (s, 7002, PQ_PROTOCOL_TCP));   /* sctp */
  g_assert_null (pq_services_lookup (s, 7002, PQ_PROTOCOL_UDP));
  g_assert_null (pq_services_lookup (s, 7, PQ_PROTOCOL_TCP));      /* -7 */
  g_assert_null (pq_services_lookup (s, 0, PQ_PROTOCOL_TCP));      /* 0 */
  /* 70000 must not wrap round to 70000 - 65536 = 4464. */
  g_assert_null (pq_services_lookup (s, 4464, PQ_PROTOCOL_TCP));
  /* Lines after the malformed ones are still read. */
  g_assert_cmpstr (pq_services_lookup (s, 7999, PQ_PROTOCOL_UDP), ==, "last");
}

static void
test_custom_mapping_probe (Fixture       *f,
                           gconstpointer  data)
{
  PqServices *s = f->services;

  /* PortQry: the probe follows the service name the file gives the port. */
  g_assert_cmpstr (pq_services_lookup (s, 3268, PQ_PROTOCOL_TCP), ==, "ldap");
  g_assert_cmpint (pq_services_probe_for (s, 3268, PQ_PROTOCOL_TCP), ==, PQ_PROBE_LDAP);
  g_assert_cmpint (pq_services_probe_for (s, 9990, PQ_PROTOCOL_TCP), ==, PQ_PROBE_LDAP);
  g_assert_cmpint (pq_services_probe_for (s, 53, PQ_PROTOCOL_UDP), ==, PQ_PROBE_DNS);
  g_assert_cmpint (pq_services_probe_for (s, 53, PQ_PROTOCOL_TCP), ==, PQ_PROBE_DNS);
  /* Only for the protocol the file names. */
  g_assert_cmpint (pq_services_probe_for (s, 9990, PQ_PROTOCOL_UDP), ==, PQ_PROBE_NONE);
}

static void
test_unknown_port (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_null (pq_services_lookup (f->services, 7777, PQ_PROTOCOL_TCP));
  g_assert_null (pq_services_lookup (f->services, 7777, PQ_PROTOCOL_UDP));
  g_assert_null (pq_services_lookup (f->services, 65535, PQ_PROTOCOL_TCP));
  g_assert_cmpint (pq_services_probe_for (f->services, 7777, PQ_PROTOCOL_TCP), ==, PQ_PROBE_NONE);
}

static void
test_builtin_fills_gaps (Fixture       *f,
                         gconstpointer  data)
{
  /* Ports the file does not name get the built-in names. */
  g_assert_cmpstr (pq_services_lookup (f->services, 135, PQ_PROTOCOL_UDP), ==, "epmap");
  g_assert_cmpstr (pq_services_lookup (f->services, 389, PQ_PROTOCOL_UDP), ==, "ldap");
}

static void
test_builtin (void)
{
  g_autoptr(PqServices) s = pq_services_new_from_data ("", 0);
  static const struct
  {
    guint16      port;
    PqProtocol   protocol;
    const char  *name;
    PqProbeKind  probe;
  } cases[] = {
    { 53, PQ_PROTOCOL_UDP, "domain", PQ_PROBE_DNS },
    { 53, PQ_PROTOCOL_TCP, "domain", PQ_PROBE_DNS },
    { 135, PQ_PROTOCOL_UDP, "epmap", PQ_PROBE_RPC_EPMAP },
    { 135, PQ_PROTOCOL_TCP, "epmap", PQ_PROBE_RPC_EPMAP },
    { 137, PQ_PROTOCOL_UDP, "netbios-ns", PQ_PROBE_NETBIOS_NS },
    { 161, PQ_PROTOCOL_UDP, "snmp", PQ_PROBE_SNMP },
    { 389, PQ_PROTOCOL_UDP, "ldap", PQ_PROBE_LDAP },
    { 389, PQ_PROTOCOL_TCP, "ldap", PQ_PROBE_LDAP },
    { 3268, PQ_PROTOCOL_TCP, "msft-gc", PQ_PROBE_LDAP },
    { 1434, PQ_PROTOCOL_UDP, "ms-sql-m", PQ_PROBE_SQL_BROWSER },
    { 25, PQ_PROTOCOL_TCP, "smtp", PQ_PROBE_SMTP },
    { 110, PQ_PROTOCOL_TCP, "pop3", PQ_PROBE_POP3 },
    { 143, PQ_PROTOCOL_TCP, "imap2", PQ_PROBE_IMAP },
    { 21, PQ_PROTOCOL_TCP, "ftp", PQ_PROBE_FTP },
    { 80, PQ_PROTOCOL_TCP, "http", PQ_PROBE_HTTP },
    { 443, PQ_PROTOCOL_TCP, "https", PQ_PROBE_TLS },
    { 636, PQ_PROTOCOL_TCP, "ldaps", PQ_PROBE_TLS },
    { 3269, PQ_PROTOCOL_TCP, "msft-gc-ssl", PQ_PROBE_TLS },
    { 8443, PQ_PROTOCOL_TCP, "https-alt", PQ_PROBE_TLS },
    { 587, PQ_PROTOCOL_TCP, "submission", PQ_PROBE_SMTP },
    { 3389, PQ_PROTOCOL_TCP, "ms-wbt-server", PQ_PROBE_RDP },
    { 3389, PQ_PROTOCOL_UDP, "ms-wbt-server", PQ_PROBE_NONE },
    { 443, PQ_PROTOCOL_UDP, "https", PQ_PROBE_NONE },
  };

  g_assert_cmpstr (pq_services_get_source (s), ==, "built-in table");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%u/%s", cases[i].port, pq_protocol_to_string (cases[i].protocol));
      g_assert_cmpstr (pq_services_lookup (s, cases[i].port, cases[i].protocol), ==, cases[i].name);
      g_assert_cmpint (pq_services_probe_for (s, cases[i].port, cases[i].protocol), ==, cases[i].probe);
    }
  g_assert_null (pq_services_lookup (s, 7777, PQ_PROTOCOL_TCP));
  g_assert_null (pq_services_lookup (s, 80, PQ_PROTOCOL_UDP));
}

static void
test_data_length (void)
{
  const char text[] = "ldap 9990/tcp\nhttp 9991/tcp\n";
  /* Only the first line: the length is honoured, not the terminator. */
  g_autoptr(PqServices) s = pq_services_new_from_data (text, strlen ("ldap 9990/tcp\n"));

  g_assert_cmpstr (pq_services_lookup (s, 9990, PQ_PROTOCOL_TCP), ==, "ldap");
  g_assert_null (pq_services_lookup (s, 9991, PQ_PROTOCOL_TCP));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqServices) s = pq_services_new_from_file ("/nonexistent/pq-unit-test/services", &error);

  g_assert_null (s);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  /* The message names the file. */
  g_assert_nonnull (strstr (error->message, "/nonexistent/pq-unit-test/services"));
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pq-services-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "huge", NULL);
  gsize size = 4 * 1024 * 1024 + 1;
  g_autofree char *contents = g_strnfill (size, '#');
  g_autoptr(PqServices) s = NULL;

  g_assert_no_error (error);
  g_file_set_contents (path, contents, (gssize) size, &error);
  g_assert_no_error (error);

  s = pq_services_new_from_file (path, &error);
  g_assert_null (s);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_SERVICES_FILE);
  g_assert_nonnull (strstr (error->message, path));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_default (void)
{
  g_autoptr(PqServices) s = pq_services_new_default ();
  const char *source;

  g_assert_nonnull (s);
  source = pq_services_get_source (s);
  g_assert_true (g_str_equal (source, PQ_SERVICES_DEFAULT_PATH) ||
                 g_str_equal (source, "built-in table"));
  if (g_file_test (PQ_SERVICES_DEFAULT_PATH, G_FILE_TEST_IS_REGULAR) &&
      g_access (PQ_SERVICES_DEFAULT_PATH, R_OK) == 0)
    g_assert_cmpstr (source, ==, PQ_SERVICES_DEFAULT_PATH);

  /* Either way the ports people ask about have names. */
  g_assert_cmpstr (pq_services_lookup (s, 53, PQ_PROTOCOL_UDP), ==, "domain");
  g_assert_cmpint (pq_services_probe_for (s, 53, PQ_PROTOCOL_UDP), ==, PQ_PROBE_DNS);
  g_assert_nonnull (pq_services_lookup (s, 135, PQ_PROTOCOL_UDP));
  g_assert_nonnull (pq_services_lookup (s, 3268, PQ_PROTOCOL_TCP));
}

static void
test_probe_kind_for_name (void)
{
  g_assert_cmpint (pq_probe_kind_for_name ("domain"), ==, PQ_PROBE_DNS);
  g_assert_cmpint (pq_probe_kind_for_name ("LDAP"), ==, PQ_PROBE_LDAP);
  g_assert_cmpint (pq_probe_kind_for_name ("msft-gc"), ==, PQ_PROBE_LDAP);
  g_assert_cmpint (pq_probe_kind_for_name ("loc-srv"), ==, PQ_PROBE_RPC_EPMAP);
  g_assert_cmpint (pq_probe_kind_for_name ("www"), ==, PQ_PROBE_HTTP);
  g_assert_cmpint (pq_probe_kind_for_name ("pop-3"), ==, PQ_PROBE_POP3);
  g_assert_cmpint (pq_probe_kind_for_name ("ldaps"), ==, PQ_PROBE_TLS);
  g_assert_cmpint (pq_probe_kind_for_name ("ms-wbt-server"), ==, PQ_PROBE_RDP);
  g_assert_cmpint (pq_probe_kind_for_name ("ldapx"), ==, PQ_PROBE_NONE);
  g_assert_cmpint (pq_probe_kind_for_name (""), ==, PQ_PROBE_NONE);
  g_assert_cmpint (pq_probe_kind_for_name (NULL), ==, PQ_PROBE_NONE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD_FILE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_FILE_TEST ("/pq/services/file/names", test_names);
  ADD_FILE_TEST ("/pq/services/file/first-entry-wins", test_first_entry_wins);
  ADD_FILE_TEST ("/pq/services/file/aliases", test_aliases);
  ADD_FILE_TEST ("/pq/services/file/comments-and-malformed", test_comments_and_malformed);
  ADD_FILE_TEST ("/pq/services/file/custom-mapping-probe", test_custom_mapping_probe);
  ADD_FILE_TEST ("/pq/services/file/unknown-port", test_unknown_port);
  ADD_FILE_TEST ("/pq/services/file/builtin-fills-gaps", test_builtin_fills_gaps);
  g_test_add_func ("/pq/services/builtin", test_builtin);
  g_test_add_func ("/pq/services/data-length", test_data_length);
  g_test_add_func ("/pq/services/missing-file", test_missing_file);
  g_test_add_func ("/pq/services/too-large", test_too_large);
  g_test_add_func ("/pq/services/default", test_default);
  g_test_add_func ("/pq/services/probe-kind-for-name", test_probe_kind_for_name);

#undef ADD_FILE_TEST

  return g_test_run ();
}
