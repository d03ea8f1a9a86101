/* test-ports.c: port lists as PortQry and PortQryUI take them
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pq-error.h"
#include "pq-ports.h"

static guint16
port_at (GArray *ports,
         guint   i)
{
  g_assert_cmpuint (i, <, ports->len);
  return g_array_index (ports, guint16, i);
}

/* Asserts @ports holds exactly @n ports, in the order given. */
static void
assert_ports (GArray        *ports,
              const guint16 *expected,
              guint          n)
{
  g_assert_nonnull (ports);
  g_assert_cmpuint (ports->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (port_at (ports, i), ==, expected[i]);
}

static void
test_single (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("53", &error);
  static const guint16 expected[] = { 53 };

  g_assert_no_error (error);
  assert_ports (ports, expected, G_N_ELEMENTS (expected));
}

static void
test_list_keeps_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("25,110,143", &error);
  g_autoptr(GArray) backwards = NULL;
  static const guint16 expected[] = { 25, 110, 143 };
  static const guint16 expected_backwards[] = { 143, 110, 25 };

  g_assert_no_error (error);
  assert_ports (ports, expected, G_N_ELEMENTS (expected));

  /* -o is "ordered": the order typed, not sorted. */
  backwards = pq_ports_parse ("143,110,25", &error);
  g_assert_no_error (error);
  assert_ports (backwards, expected_backwards, G_N_ELEMENTS (expected_backwards));
}

static void
test_range (void)
{
  const char *forms[] = { "1:1024", "1-1024" };

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse (forms[f], &error);

      g_test_message ("range %s", forms[f]);
      g_assert_no_error (error);
      g_assert_nonnull (ports);
      g_assert_cmpuint (ports->len, ==, 1024);
      g_assert_cmpuint (port_at (ports, 0), ==, 1);
      g_assert_cmpuint (port_at (ports, 1023), ==, 1024);
      for (guint i = 0; i < ports->len; i++)
        g_assert_cmpuint (port_at (ports, i), ==, i + 1);
    }
}

static void
test_range_edges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = pq_ports_parse ("1-65535", &error);
  g_autoptr(GArray) one = NULL;
  g_autoptr(GArray) top = NULL;
  static const guint16 expected_one[] = { 7 };
  static const guint16 expected_top[] = { 65534, 65535 };

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 65535);
  g_assert_cmpuint (port_at (all, 0), ==, 1);
  g_assert_cmpuint (port_at (all, 65534), ==, 65535);

  /* A range of one port is that port. */
  one = pq_ports_parse ("7-7", &error);
  g_assert_no_error (error);
  assert_ports (one, expected_one, G_N_ELEMENTS (expected_one));

  top = pq_ports_parse ("65534:65535", &error);
  g_assert_no_error (error);
  assert_ports (top, expected_top, G_N_ELEMENTS (expected_top));
}

static void
test_portqryui_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("80,53,1024-1350", &error);

  g_assert_no_error (error);
  g_assert_nonnull (ports);
  g_assert_cmpuint (ports->len, ==, 2 + (1350 - 1024 + 1));
  g_assert_cmpuint (port_at (ports, 0), ==, 80);
  g_assert_cmpuint (port_at (ports, 1), ==, 53);
  g_assert_cmpuint (port_at (ports, 2), ==, 1024);
  g_assert_cmpuint (port_at (ports, ports->len - 1), ==, 1350);
}

static void
test_duplicates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("80,53,80,50-55,443,53", &error);
  /* As the README says: a port given twice is queried once, in its first
   * place; 53 is skipped inside 50-55. */
  static const guint16 expected[] = { 80, 53, 50, 51, 52, 54, 55, 443 };
  g_autoptr(GArray) overlap = NULL;
  static const guint16 expected_overlap[] = { 10, 11, 12, 13, 14, 15 };

  g_assert_no_error (error);
  assert_ports (ports, expected, G_N_ELEMENTS (expected));

  overlap = pq_ports_parse ("10-13,12-15,10", &error);
  g_assert_no_error (error);
  assert_ports (overlap, expected_overlap, G_N_ELEMENTS (expected_overlap));
}

static void
test_whitespace (void)
{
  const char *inputs[] = {
    " 80 , 443\t,1-3 ",
    "80,443,1-3\n",
    "80 443 1:3",
    "\t80;443;1-3",
  };
  static const guint16 expected[] = { 80, 443, 1, 2, 3 };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse (inputs[i], &error);
      g_autofree char *shown = g_strescape (inputs[i], NULL);

      g_test_message ("input “%s”", shown);
      g_assert_no_error (error);
      assert_ports (ports, expected, G_N_ELEMENTS (expected));
    }
}

typedef struct
{
  const char *input;
  const char *hint;   /* what the message must say */
} BadInput;

static void
test_rejected (void)
{
  static const BadInput cases[] = {
    { "", "for example 80,443,1024-1350" },
    { "   ", "for example 80,443,1024-1350" },
    { ",,", "for example 80,443,1024-1350" },
    { "0", "ports go from 1 to 65535" },
    { "65536", "ports go from 1 to 65535" },
    { "70000", "ports go from 1 to 65535" },
    { "99999999999999999999", "ports go from 1 to 65535" },
    { "184467440737095516160", "ports go from 1 to 65535" },
    { "1-70000", "ports go from 1 to 65535" },
    { "0-10", "ports go from 1 to 65535" },
    { "10-5", "5-10" },
    { "10:5", "5-10" },
    { "1-", "for example 80,443,1024-1350" },
    { "-5", "for example 80,443,1024-1350" },
    { "-", "for example 80,443,1024-1350" },
    { "abc", "for example 80,443,1024-1350" },
    /* An empty entry is refused, not read as if absent: the gap is often
     * a port that went missing. The message gives the list to type. */
    { "80,,x", "without the extra comma: “80,x”" },
    { "1,,2", "without the extra comma: “1,2”" },
    { ",1", "without the extra comma: “1”" },
    { "1,", "without the extra comma: “1”" },
    { "80 ,, 443", "without the extra comma: “80,443”" },
    { "53;;88", "without the extra comma: “53,88”" },
    { "25, ,110", "without the extra comma: “25,110”" },
    { "80,443,\n", "without the extra comma: “80,443”" },
    { "1-3,,,5 6", "without the extra comma: “1-3,5 6”" },
    { "80,http", "for example 80,443,1024-1350" },
    { "+80", "for example 80,443,1024-1350" },
    { "0x50", "for example 80,443,1024-1350" },
    { "1-2-3", "for example 80,443,1024-1350" },
    { "8\xff" "0", "for example 80,443,1024-1350" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse (cases[i].input, &error);
      g_autofree char *shown = g_strescape (cases[i].input, NULL);

      g_test_message ("input “%s”: %s", shown, error ? error->message : "(accepted)");
      g_assert_null (ports);
      g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, cases[i].hint));
    }
}

static void
test_rejected_names_the_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("80,x", &error);

  /* The message quotes what was wrong, so a long list can be fixed. */
  g_assert_null (ports);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
  g_assert_nonnull (strstr (error->message, "“x”"));
  g_clear_error (&error);

  ports = pq_ports_parse ("10-5", &error);
  g_assert_null (ports);
  g_assert_nonnull (strstr (error->message, "10-5"));
  g_assert_nonnull (strstr (error->message, "lower port first"));
  g_clear_error (&error);

  ports = pq_ports_parse ("65536", &error);
  g_assert_null (ports);
  g_assert_nonnull (strstr (error->message, "65536"));
}

static void
test_too_long (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = NULL;
  GString *s = g_string_new (NULL);

  /* Valid ports, just too many characters of them. */
  while (s->len <= PQ_PORTS_MAX_INPUT)
    g_string_append (s, "80,");
  text = g_string_free (s, FALSE);
  g_assert_cmpuint (strlen (text), >, PQ_PORTS_MAX_INPUT);

  ports = pq_ports_parse (text, &error);
  g_assert_null (ports);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
  g_assert_nonnull (strstr (error->message, "too long"));
  g_assert_nonnull (strstr (error->message, "1-1024"));
}

static void
test_longest_accepted (void)
{
  g_autofree char *text = g_strnfill (PQ_PORTS_MAX_INPUT, ' ');
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = NULL;

  /* Exactly the limit is still accepted. */
  memcpy (text, "443", 3);
  ports = pq_ports_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ports->len, ==, 1);
  g_assert_cmpuint (port_at (ports, 0), ==, 443);
}

static void
test_parse_range (void)
{
  const char *bad[] = { "80", "1,2", "1-2,5", "1:2 3", "" };
  const char *good[] = { "1:1024", "1-1024" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse_range (bad[i], &error);

      g_test_message ("-r “%s”", bad[i]);
      g_assert_null (ports);
      g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
      g_assert_nonnull (strstr (error->message, "start:end"));
      g_assert_nonnull (strstr (error->message, "-o"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse_range (good[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (ports->len, ==, 1024);
      g_assert_cmpuint (port_at (ports, 0), ==, 1);
      g_assert_cmpuint (port_at (ports, 1023), ==, 1024);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) ports = pq_ports_parse_range ("10:5", &error);

    /* A backwards range is still explained by pq_ports_parse. */
    g_assert_null (ports);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS);
    g_assert_nonnull (strstr (error->message, "5-10"));
  }
}

static void
test_protocols (void)
{
  static const struct
  {
    const char  *text;
    PqProtocols  expected;
  } good[] = {
    { "tcp", PQ_PROTOCOLS_TCP },
    { "TCP", PQ_PROTOCOLS_TCP },
    { "udp", PQ_PROTOCOLS_UDP },
    { "UDP", PQ_PROTOCOLS_UDP },
    { "Udp", PQ_PROTOCOLS_UDP },
    { "both", PQ_PROTOCOLS_BOTH },
    { "Both", PQ_PROTOCOLS_BOTH },
    { "BOTH", PQ_PROTOCOLS_BOTH },
  };
  const char *bad[] = { "icmp", "", "tcp,udp", "tc", " tcp", "sctp" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      PqProtocols protocols = 0;

      g_assert_true (pq_protocols_parse (good[i].text, &protocols, &error));
      g_assert_no_error (error);
      g_assert_cmpint (protocols, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PqProtocols protocols = PQ_PROTOCOLS_TCP;

      g_test_message ("protocol “%s”", bad[i]);
      g_assert_false (pq_protocols_parse (bad[i], &protocols, &error));
      g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "tcp, udp or both"));
      /* Left as it was on failure. */
      g_assert_cmpint (protocols, ==, PQ_PROTOCOLS_TCP);
    }

  {
    g_autoptr(GError) error = NULL;
    PqProtocols protocols = PQ_PROTOCOLS_TCP;

    g_assert_false (pq_protocols_parse (NULL, &protocols, &error));
    g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_PROTOCOL);
  }
}

static void
test_to_string (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "53", "53" },
    { "21,22,23,24,25,53,80", "21-25,53,80" },
    { "80,53,1024-1350", "80,53,1024-1350" },
    { "1:1024", "1-1024" },
    { "1-65535", "1-65535" },
    { "65535", "65535" },
    { "65534,65535", "65534-65535" },
    { "5,4,3", "5,4,3" },
    { "1,3,5", "1,3,5" },
    { "10,11,20,21,22,30", "10-11,20-22,30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ports = pq_ports_parse (cases[i].input, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = pq_ports_to_string (ports);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (guint16));
    g_autofree char *text = pq_ports_to_string (empty);

    g_assert_cmpstr (text, ==, "");
  }
}

static void
test_to_string_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ports = pq_ports_parse ("443,80,8080-8090,22,23", &error);
  g_autofree char *text = NULL;
  g_autoptr(GArray) again = NULL;

  g_assert_no_error (error);
  text = pq_ports_to_string (ports);
  again = pq_ports_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, ports->len);
  g_assert_cmpmem (again->data, again->len * sizeof (guint16),
                   ports->data, ports->len * sizeof (guint16));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pq/ports/single", test_single);
  g_test_add_func ("/pq/ports/list", test_list_keeps_order);
  g_test_add_func ("/pq/ports/range", test_range);
  g_test_add_func ("/pq/ports/range-edges", test_range_edges);
  g_test_add_func ("/pq/ports/portqryui-list", test_portqryui_list);
  g_test_add_func ("/pq/ports/duplicates", test_duplicates);
  g_test_add_func ("/pq/ports/whitespace", test_whitespace);
  g_test_add_func ("/pq/ports/rejected", test_rejected);
  g_test_add_func ("/pq/ports/rejected-names-item", test_rejected_names_the_item);
  g_test_add_func ("/pq/ports/too-long", test_too_long);
  g_test_add_func ("/pq/ports/longest-accepted", test_longest_accepted);
  g_test_add_func ("/pq/ports/parse-range", test_parse_range);
  g_test_add_func ("/pq/ports/protocols", test_protocols);
  g_test_add_func ("/pq/ports/to-string", test_to_string);
  g_test_add_func ("/pq/ports/to-string-round-trip", test_to_string_round_trip);

  return g_test_run ();
}
