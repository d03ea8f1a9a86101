/* test-target.c: the host to query, as typed, and its addresses
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <net/if.h>
#include <string.h>

#include "pq-error.h"
#include "pq-target.h"
#include "test-resolver.h"

typedef struct
{
  GResolver    *saved;
  TestResolver *resolver;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->saved = g_resolver_get_default ();
  /* What DNS says here (tests/lib/test-resolver.c), and whether it was
   * asked at all. */
  f->resolver = test_resolver_new ();
  test_resolver_add_name (f->resolver, "multi.test",
                          "192.0.2.1,2001:db8::1,192.0.2.2,2001:db8::2,192.0.2.1");
  test_resolver_add_name (f->resolver, "v4only.test", "198.51.100.7");
  test_resolver_add_name (f->resolver, "v6only.test", "2001:db8::7");
  test_resolver_add_reverse (f->resolver, "*", "reverse.test");
  g_resolver_set_default (G_RESOLVER (f->resolver));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_resolver_set_default (f->saved);
  g_clear_object (&f->saved);
  g_clear_object (&f->resolver);
}

/* ------------------------------------------------------------------ */

static char *
address_at (PqTarget *target,
            guint     i)
{
  GPtrArray *addresses = pq_target_get_addresses (target);

  g_assert_cmpuint (i, <, addresses->len);
  return g_inet_address_to_string (g_ptr_array_index (addresses, i));
}

static void
assert_literal (const char    *input,
                const char    *host,
                GSocketFamily  family,
                guint32        scope_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (input, &error);
  GPtrArray *addresses;
  g_autofree char *address = NULL;
  g_autofree char *shown = g_strescape (input, NULL);

  g_test_message ("target “%s”", shown);
  g_assert_no_error (error);
  g_assert_nonnull (target);
  g_assert_cmpstr (pq_target_get_input (target), ==, input);
  g_assert_cmpstr (pq_target_get_host (target), ==, host);
  g_assert_true (pq_target_is_literal (target));
  g_assert_cmpuint (pq_target_get_scope_id (target), ==, scope_id);

  addresses = pq_target_get_addresses (target);
  g_assert_cmpuint (addresses->len, ==, 1);
  g_assert_cmpint (g_inet_address_get_family (g_ptr_array_index (addresses, 0)), ==, family);
  address = address_at (target, 0);
  g_assert_cmpstr (address, ==, host);
}

static void
test_ipv4 (void)
{
  assert_literal ("192.0.2.10", "192.0.2.10", G_SOCKET_FAMILY_IPV4, 0);
  assert_literal ("127.0.0.1", "127.0.0.1", G_SOCKET_FAMILY_IPV4, 0);
  /* Spaces around the host are trimmed; the input is kept as typed. */
  assert_literal ("  192.0.2.10\t", "192.0.2.10", G_SOCKET_FAMILY_IPV4, 0);
}

static void
test_ipv6 (void)
{
  assert_literal ("2001:db8::1", "2001:db8::1", G_SOCKET_FAMILY_IPV6, 0);
  assert_literal ("::1", "::1", G_SOCKET_FAMILY_IPV6, 0);
  assert_literal ("[2001:db8::1]", "2001:db8::1", G_SOCKET_FAMILY_IPV6, 0);
  assert_literal ("[::1]", "::1", G_SOCKET_FAMILY_IPV6, 0);
}

static void
test_ipv6_scope (void)
{
  guint32 lo = if_nametoindex ("lo");

  if (lo == 0)
    {
      g_test_skip ("this system has no interface called lo");
      return;
    }

  assert_literal ("fe80::1%lo", "fe80::1", G_SOCKET_FAMILY_IPV6, lo);
  assert_literal ("[fe80::1%lo]", "fe80::1", G_SOCKET_FAMILY_IPV6, lo);
  assert_literal ("fe80::1%1", "fe80::1", G_SOCKET_FAMILY_IPV6, 1);
  /* A scope on a global address is accepted and kept. */
  assert_literal ("2001:db8::1%lo", "2001:db8::1", G_SOCKET_FAMILY_IPV6, lo);
}

static void
assert_rejected (const char *input,
                 const char *hint)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse (input, &error);
  g_autofree char *shown = g_strescape (input, NULL);

  g_test_message ("target “%s”: %s", shown, error ? error->message : "(accepted)");
  g_assert_null (target);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, hint));
}

static void
test_link_local_needs_scope (void)
{
  /* Says to add the interface, and shows how. */
  assert_rejected ("fe80::1", "fe80::1%eth0");
  assert_rejected ("fe80::1", "interface");
  assert_rejected ("[fe80::1]", "fe80::1%eth0");
  assert_rejected ("fe80::1%nosuchif", "nosuchif");
  assert_rejected ("fe80::1%nosuchif", "ip link");
  assert_rejected ("fe80::1%", "ip link");
  assert_rejected ("fe80::1%0", "ip link");
}

static void
test_host_names (void)
{
  static const char * const names[] = {
    "server.example.com",
    "server.example.com.",
    "localhost",
    "dc01",
    "my_host.corp.example",
    "_ldap._tcp.example.com",
    "a-b.example",
    "xn--bcher-kva.example",
    "UPPER.Example.COM",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqTarget) target = pq_target_new_parse (names[i], &error);

      g_test_message ("name “%s”", names[i]);
      g_assert_no_error (error);
      g_assert_nonnull (target);
      g_assert_false (pq_target_is_literal (target));
      g_assert_cmpstr (pq_target_get_host (target), ==, names[i]);
      g_assert_cmpstr (pq_target_get_input (target), ==, names[i]);
      g_assert_cmpuint (pq_target_get_scope_id (target), ==, 0);
      /* Nothing resolved yet. */
      g_assert_cmpuint (pq_target_get_addresses (target)->len, ==, 0);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqTarget) target = pq_target_new_parse ("bücher.example", &error);

    /* International names are accepted as typed. */
    g_assert_no_error (error);
    g_assert_false (pq_target_is_literal (target));
  }
}

static void
test_rejected (void)
{
  const char *hint = "Type a name such as server.example.com";
  g_autofree char *too_long = g_strnfill (301, 'a');
  g_autofree char *long_name = NULL;
  g_autofree char *long_label = NULL;
  GString *s = g_string_new (NULL);

  /* 260 characters in short labels: under the input limit, over DNS's 253. */
  while (s->len < 260)
    g_string_append (s, "abcd.");
  g_string_append (s, "example");
  long_name = g_string_free (s, FALSE);
  long_label = g_strdup_printf ("%s.example", too_long + 301 - 64);

  assert_rejected ("server/share", "without http://");
  assert_rejected ("a b", "without spaces");
  assert_rejected ("a\tb", "without spaces");
  assert_rejected ("", "No host given");
  assert_rejected ("   ", "No host given");
  assert_rejected (too_long, "too long");
  assert_rejected (too_long, hint);
  assert_rejected (long_name, hint);
  assert_rejected (long_label, hint);
  assert_rejected ("-bad", hint);
  assert_rejected ("bad..name", hint);
  assert_rejected (".bad", hint);
  assert_rejected (".", hint);
  assert_rejected ("bad.name..", hint);
  assert_rejected ("bad!name", hint);
  assert_rejected ("[::1", "[2001:db8::10]");
  assert_rejected ("[", "[2001:db8::10]");
  assert_rejected ("[]", "[2001:db8::10]");
  assert_rejected ("[192.0.2.1]", "not a valid IPv6 address");
  assert_rejected ("2001:db8::zz", "not a valid IPv6 address");
  assert_rejected ("1.2.3.4:80", "has a port after the host");
  assert_rejected ("[::1]:80", "has a port after the host");
  assert_rejected ("server:80", "has a port after the host");
  assert_rejected ("ser\xffver", "not text");
}

/* A web address is rejected, and the message says to leave out the
 * scheme and path. Non-fatal, so the other tests still run. */
static void
test_rejected_url (void)
{
  const char *urls[] = { "http://x/y", "https://server.example.com", "http://192.0.2.1/" };
  g_autoptr(GString) wrong = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqTarget) target = pq_target_new_parse (urls[i], &error);

      g_test_message ("target “%s”: %s", urls[i], error ? error->message : "(accepted)");
      g_assert_null (target);
      g_assert_error (error, PQ_ERROR, PQ_ERROR_INVALID_TARGET);
      if (strstr (error->message, "without http://") == NULL)
        g_string_append_printf (wrong, "%s“%s”", wrong->len ? ", " : "", urls[i]);
    }

  if (wrong->len > 0)
    g_test_fail_printf ("%s rejected without the web-address hint "
                        "(“… without http:// or a path”); see the messages above", wrong->str);
}

static void
test_literal_resolves_without_dns (Fixture       *f,
                                   gconstpointer  data)
{
  const char *inputs[] = { "192.0.2.10", "2001:db8::1", "[::1]" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqTarget) target = pq_target_new_parse (inputs[i], &error);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      g_assert_no_error (error);
      before = address_at (target, 0);
      g_assert_true (pq_target_resolve (target, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (pq_target_get_addresses (target)->len, ==, 1);
      after = address_at (target, 0);
      g_assert_cmpstr (before, ==, after);
    }

  g_assert_cmpint (test_resolver_get_lookups (f->resolver), ==, 0);
}

static void
resolve_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
resolve_async_wait (PqTarget      *target,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pq_target_resolve_async (target, cancellable, resolve_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pq_target_resolve_finish (target, result, error);
}

static void
test_literal_resolves_async_without_dns (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("192.0.2.10", &error);

  g_assert_no_error (error);
  g_assert_true (resolve_async_wait (target, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pq_target_get_addresses (target)->len, ==, 1);
  g_assert_cmpint (test_resolver_get_lookups (f->resolver), ==, 0);
}

static void
test_choose_literal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) v4 = pq_target_new_parse ("192.0.2.10", &error);
  g_autoptr(PqTarget) v6 = pq_target_new_parse ("2001:db8::1", &error);
  const PqAddressChoice fits_v4[] = { PQ_ADDRESS_FIRST, PQ_ADDRESS_IPV4, PQ_ADDRESS_ALL };
  const PqAddressChoice fits_v6[] = { PQ_ADDRESS_FIRST, PQ_ADDRESS_IPV6, PQ_ADDRESS_ALL };

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (fits_v4); i++)
    {
      g_autoptr(GPtrArray) chosen = pq_target_choose (v4, fits_v4[i], &error);
      g_autofree char *s = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (chosen->len, ==, 1);
      s = g_inet_address_to_string (g_ptr_array_index (chosen, 0));
      g_assert_cmpstr (s, ==, "192.0.2.10");
    }

  for (guint i = 0; i < G_N_ELEMENTS (fits_v6); i++)
    {
      g_autoptr(GPtrArray) chosen = pq_target_choose (v6, fits_v6[i], &error);
      g_autofree char *s = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (chosen->len, ==, 1);
      s = g_inet_address_to_string (g_ptr_array_index (chosen, 0));
      g_assert_cmpstr (s, ==, "2001:db8::1");
    }

  {
    g_autoptr(GPtrArray) chosen = pq_target_choose (v4, PQ_ADDRESS_IPV6, &error);

    /* Says what to do instead. */
    g_assert_null (chosen);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
    g_assert_nonnull (strstr (error->message, "192.0.2.10 has no IPv6 address"));
    g_assert_nonnull (strstr (error->message, "-4"));
    g_clear_error (&error);
  }

  {
    g_autoptr(GPtrArray) chosen = pq_target_choose (v6, PQ_ADDRESS_IPV4, &error);

    g_assert_null (chosen);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
    g_assert_nonnull (strstr (error->message, "2001:db8::1 has no IPv4 address"));
    g_assert_nonnull (strstr (error->message, "-6"));
  }
}

static char *
join_addresses (GPtrArray *addresses)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *a = g_inet_address_to_string (g_ptr_array_index (addresses, i));
      g_string_append_printf (s, "%s%s", i ? " " : "", a);
    }
  return g_string_free (s, FALSE);
}

static void
test_choose_resolved (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("multi.test", &error);
  static const struct
  {
    PqAddressChoice  choice;
    const char      *expected;
  } cases[] = {
    { PQ_ADDRESS_FIRST, "192.0.2.1" },
    { PQ_ADDRESS_IPV4, "192.0.2.1" },
    { PQ_ADDRESS_IPV6, "2001:db8::1" },
    /* Every address once, in the resolver's order. */
    { PQ_ADDRESS_ALL, "192.0.2.1 2001:db8::1 192.0.2.2 2001:db8::2" },
  };

  g_assert_no_error (error);
  g_assert_true (pq_target_resolve (target, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_resolver_get_lookups (f->resolver), ==, 1);
  g_assert_false (pq_target_is_literal (target));
  g_assert_cmpstr (pq_target_get_host (target), ==, "multi.test");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) chosen = pq_target_choose (target, cases[i].choice, &error);
      g_autofree char *joined = NULL;

      g_assert_no_error (error);
      joined = join_addresses (chosen);
      g_assert_cmpstr (joined, ==, cases[i].expected);
    }

  {
    g_autoptr(PqTarget) v4only = pq_target_new_parse ("v4only.test", &error);
    g_autoptr(GPtrArray) chosen = NULL;

    g_assert_true (pq_target_resolve (v4only, NULL, &error));
    chosen = pq_target_choose (v4only, PQ_ADDRESS_IPV6, &error);
    g_assert_null (chosen);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
    g_assert_nonnull (strstr (error->message, "v4only.test has no IPv6 address"));
    g_clear_error (&error);
  }

  {
    g_autoptr(PqTarget) v6only = pq_target_new_parse ("v6only.test", &error);
    g_autoptr(GPtrArray) chosen = NULL;

    g_assert_true (resolve_async_wait (v6only, NULL, &error));
    chosen = pq_target_choose (v6only, PQ_ADDRESS_IPV4, &error);
    g_assert_null (chosen);
    g_assert_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
    g_assert_nonnull (strstr (error->message, "v6only.test has no IPv4 address"));
  }
}

static void
test_choose_unresolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("server.example.com", &error);
  g_autoptr(GPtrArray) chosen = NULL;

  /* Not resolved yet: nothing to choose from, and an error, not a crash. */
  chosen = pq_target_choose (target, PQ_ADDRESS_FIRST, &error);
  g_assert_null (chosen);
  g_assert_error (error, PQ_ERROR, PQ_ERROR_NO_ADDRESS);
}

static void
test_not_found_fake (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("nowhere.test", &error);

  g_assert_no_error (error);
  g_assert_false (pq_target_resolve (target, NULL, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_NOT_FOUND);
  /* PortQry's words, the resolver's reason, and what to do. */
  g_assert_nonnull (strstr (error->message, "Failed to resolve name to IP address"));
  g_assert_nonnull (strstr (error->message, "nowhere.test"));
  g_assert_nonnull (strstr (error->message, "type the IP address instead"));
  g_clear_error (&error);

  g_assert_false (resolve_async_wait (target, NULL, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_NOT_FOUND);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("multi.test", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  g_assert_false (pq_target_resolve (target, cancellable, &error));
  /* A cancelled lookup is not a name that was not found. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (resolve_async_wait (target, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_reverse_lookup (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("192.0.2.10");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = pq_target_reverse_lookup (address, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "reverse.test");
}

/* The real resolver: localhost comes from /etc/hosts (or GLib itself),
 * never from the network. */
static void
test_localhost (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("localhost", &error);
  g_autoptr(GPtrArray) chosen = NULL;
  GPtrArray *addresses;

  g_assert_no_error (error);
  g_assert_true (pq_target_resolve (target, NULL, &error));
  g_assert_no_error (error);

  addresses = pq_target_get_addresses (target);
  g_assert_cmpuint (addresses->len, >=, 1);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *s = g_inet_address_to_string (g_ptr_array_index (addresses, i));

      g_test_message ("localhost → %s", s);
      g_assert_true (g_inet_address_get_is_loopback (g_ptr_array_index (addresses, i)));
      /* Each address once. */
      for (guint j = 0; j < i; j++)
        g_assert_false (g_inet_address_equal (g_ptr_array_index (addresses, i),
                                              g_ptr_array_index (addresses, j)));
    }

  chosen = pq_target_choose (target, PQ_ADDRESS_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chosen->len, ==, addresses->len);
}

typedef struct
{
  GAsyncResult *result;
  gboolean      timed_out;
} Wait;

static void
invalid_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  Wait *w = data;

  w->result = g_object_ref (result);
}

static gboolean
invalid_timeout_cb (gpointer data)
{
  Wait *w = data;

  w->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* RFC 6761: names under .invalid never resolve. This may ask the
 * configured DNS server; it must fail, and must not hang. */
static void
test_invalid_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqTarget) target = pq_target_new_parse ("pq-unit-test.invalid", &error);
  /* Freed only once the lookup has finished: a late callback may still come. */
  Wait *w = g_new0 (Wait, 1);
  guint timeout_id;

  g_assert_no_error (error);

  pq_target_resolve_async (target, NULL, invalid_done_cb, w);
  timeout_id = g_timeout_add_seconds (40, invalid_timeout_cb, w);
  while (w->result == NULL && !w->timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (w->result == NULL)
    {
      g_test_fail_printf ("resolving a .invalid name did not finish in 40 s");
      return;
    }
  g_source_remove (timeout_id);

  g_assert_false (pq_target_resolve_finish (target, w->result, &error));
  g_assert_error (error, PQ_ERROR, PQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Failed to resolve name to IP address"));
  g_assert_nonnull (strstr (error->message, "type the IP address instead"));
  g_clear_object (&w->result);
  g_free (w);
}

static void
test_address_to_string (void)
{
  g_autoptr(GInetAddress) ll = g_inet_address_new_from_string ("fe80::1");
  g_autoptr(GInetAddress) v4 = g_inet_address_new_from_string ("192.0.2.10");
  guint32 lo = if_nametoindex ("lo");
  g_autofree char *plain = pq_address_to_string (ll, 0);
  g_autofree char *numeric = pq_address_to_string (ll, 987654);
  g_autofree char *v4s = pq_address_to_string (v4, 0);
  g_autofree char *sock6 = NULL;
  g_autofree char *sock4 = pq_socket_address_to_string (v4, 0, 53);
  g_autofree char *sock6_plain = NULL;
  g_autoptr(GInetAddress) g6 = g_inet_address_new_from_string ("2001:db8::1");

  g_assert_cmpstr (plain, ==, "fe80::1");
  /* An index with no interface behind it is shown as the number. */
  g_assert_cmpstr (numeric, ==, "fe80::1%987654");
  g_assert_cmpstr (v4s, ==, "192.0.2.10");
  g_assert_cmpstr (sock4, ==, "192.0.2.10:53");
  sock6_plain = pq_socket_address_to_string (g6, 0, 443);
  g_assert_cmpstr (sock6_plain, ==, "[2001:db8::1]:443");

  if (lo == 0)
    {
      g_test_skip ("this system has no interface called lo");
      return;
    }

  {
    g_autofree char *named = pq_address_to_string (ll, lo);
    g_autoptr(GError) error = NULL;
    g_autoptr(PqTarget) target = pq_target_new_parse ("fe80::1%lo", &error);
    g_autofree char *round_trip = NULL;

    g_assert_cmpstr (named, ==, "fe80::1%lo");
    g_assert_no_error (error);
    round_trip = pq_address_to_string (g_ptr_array_index (pq_target_get_addresses (target), 0),
                                       pq_target_get_scope_id (target));
    g_assert_cmpstr (round_trip, ==, "fe80::1%lo");
  }

  sock6 = pq_socket_address_to_string (ll, lo, 53);
  g_assert_cmpstr (sock6, ==, "[fe80::1%lo]:53");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pq/target/ipv4", test_ipv4);
  g_test_add_func ("/pq/target/ipv6", test_ipv6);
  g_test_add_func ("/pq/target/ipv6-scope", test_ipv6_scope);
  g_test_add_func ("/pq/target/link-local-needs-scope", test_link_local_needs_scope);
  g_test_add_func ("/pq/target/host-names", test_host_names);
  g_test_add_func ("/pq/target/rejected", test_rejected);
  g_test_add_func ("/pq/target/rejected-url", test_rejected_url);
  g_test_add ("/pq/target/literal-without-dns", Fixture, NULL,
              fixture_set_up, test_literal_resolves_without_dns, fixture_tear_down);
  g_test_add ("/pq/target/literal-async-without-dns", Fixture, NULL,
              fixture_set_up, test_literal_resolves_async_without_dns, fixture_tear_down);
  g_test_add_func ("/pq/target/choose/literal", test_choose_literal);
  g_test_add ("/pq/target/choose/resolved", Fixture, NULL,
              fixture_set_up, test_choose_resolved, fixture_tear_down);
  g_test_add_func ("/pq/target/choose/unresolved", test_choose_unresolved);
  g_test_add ("/pq/target/not-found", Fixture, NULL,
              fixture_set_up, test_not_found_fake, fixture_tear_down);
  g_test_add ("/pq/target/cancelled", Fixture, NULL,
              fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add ("/pq/target/reverse-lookup", Fixture, NULL,
              fixture_set_up, test_reverse_lookup, fixture_tear_down);
  g_test_add_func ("/pq/target/resolve/localhost", test_localhost);
  g_test_add_func ("/pq/target/resolve/invalid", test_invalid_not_found);
  g_test_add_func ("/pq/target/address-to-string", test_address_to_string);

  return g_test_run ();
}
