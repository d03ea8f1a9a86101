/* pq-ports.c: parse "53", "25,110,143", "1:1024" and PortQryUI's "80,53,1024-1350"
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pq-enums.h"
#include "pq-error.h"
#include "pq-ports.h"

#define EXAMPLE_HINT N_("Type ports from 1 to 65535 separated by commas, with a dash for a range, for example 80,443,1024-1350.")

/* Reads one decimal port; anything but 1 to 65535 written in digits fails. */
static gboolean
parse_port_number (const char  *item,
                   const char  *text,
                   guint16     *port,
                   GError     **error)
{
  guint64 value = 0;

  if (*text == '\0')
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("“%s” is missing a port number. %s"), item, _(EXAMPLE_HINT));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                       _("“%s” is not a port number. %s"), item, _(EXAMPLE_HINT));
          return FALSE;
        }
      /* Stop growing once it is out of range; the length check bounds the loop. */
      if (value <= 65535)
        value = value * 10 + (guint64) (*p - '0');
    }

  if (value == 0 || value > 65535)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("Port %s is out of range: ports go from 1 to 65535."), text);
      return FALSE;
    }

  *port = (guint16) value;
  return TRUE;
}

static gboolean
parse_item (const char  *item,
            GArray      *ports,
            guint8      *seen,
            GError     **error)
{
  const char *sep = strpbrk (item, "-:");
  guint16 first, last;

  if (sep == NULL)
    {
      if (!parse_port_number (item, item, &first, error))
        return FALSE;
      last = first;
    }
  else
    {
      g_autofree char *lo = g_strndup (item, (gsize) (sep - item));

      if (!parse_port_number (item, lo, &first, error) ||
          !parse_port_number (item, sep + 1, &last, error))
        return FALSE;

      if (first > last)
        {
          g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                       _("The range %s runs backwards. Type the lower port first: %u-%u."),
                       item, last, first);
          return FALSE;
        }
    }

  /* Keep the order typed (PortQry's -o); a port given twice, alone or in
   * a range, is queried once, in its first place (README, test-ports). */
  for (guint p = first; p <= last; p++)
    {
      guint16 port = (guint16) p;

      if (seen[p / 8] & (1u << (p % 8)))
        continue;
      seen[p / 8] |= (guint8) (1u << (p % 8));
      g_array_append_val (ports, port);
    }

  return TRUE;
}

/* Splits @text into its entries at commas and semicolons, each stripped of
 * blanks. An empty entry ("1,,2", ",1", "1,") is refused rather than
 * skipped: it is often a port that went missing while typing, and the
 * message shows the list without it to type instead. Returns an empty
 * vector for a list with nothing in it, left to the caller to report. */
static GStrv
split_entries (const char  *text,
               GError     **error)
{
  g_auto(GStrv) entries = g_strsplit_set (text, ",;", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  gboolean has_empty = FALSE;
  g_auto(GStrv) fixed = NULL;
  g_autofree char *suggestion = NULL;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      if (*g_strstrip (entries[i]) == '\0')
        has_empty = TRUE;
      else
        g_strv_builder_add (kept, entries[i]);
    }

  fixed = g_strv_builder_end (kept);
  if (!has_empty || fixed[0] == NULL)
    return g_steal_pointer (&fixed);

  suggestion = g_strjoinv (",", fixed);
  g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
               _("The port list has an empty entry: a comma at the start or end, or two in a row. Type it without the extra comma: “%s”."),
               suggestion);
  return NULL;
}

/**
 * pq_ports_parse:
 * @text: ports as typed: "53", "25,110,143", "1:1024", "80,53,1024-1350"
 *
 * Entries are separated by commas, semicolons or blanks; an empty entry
 * between commas is an error.
 *
 * Returns: (transfer full): a #GArray of guint16 in the order typed, each
 *   port once in its first place, or %NULL with @error saying what is
 *   wrong and what to type.
 */
GArray *
pq_ports_parse (const char  *text,
                GError     **error)
{
  g_autoptr(GArray) ports = NULL;
  g_auto(GStrv) entries = NULL;
  g_autofree guint8 *seen = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = text ? strlen (text) : 0;
  if (len > PQ_PORTS_MAX_INPUT)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("The port list is too long (%zu characters; at most %d). Use ranges such as 1-1024 instead of listing every port."),
                   len, PQ_PORTS_MAX_INPUT);
      return NULL;
    }
  if (!g_utf8_validate (text ? text : "", -1, NULL))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("The port list contains characters that are not text. %s"), _(EXAMPLE_HINT));
      return NULL;
    }

  entries = split_entries (text ? text : "", error);
  if (entries == NULL)
    return NULL;

  ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  seen = g_malloc0 (65536 / 8);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      /* Blanks separate too, as in "80 443"; runs of them are one gap. */
      g_auto(GStrv) items = g_strsplit_set (entries[i], " \t\r\n", -1);

      for (guint j = 0; items[j] != NULL; j++)
        {
          if (items[j][0] != '\0' && !parse_item (items[j], ports, seen, error))
            return NULL;
        }
    }

  if (ports->len == 0)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("No ports given. %s"), _(EXAMPLE_HINT));
      return NULL;
    }

  return g_steal_pointer (&ports);
}

/**
 * pq_ports_parse_range:
 * @text: PortQry's -r argument, "start:end"
 *
 * PortQry's -r takes exactly one range; a lone port or a list is a mistake
 * there, so say so instead of guessing.
 */
GArray *
pq_ports_parse_range (const char  *text,
                      GError     **error)
{
  if (text == NULL || strpbrk (text, ":-") == NULL || strpbrk (text, ", \t;") != NULL)
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PORTS,
                   _("-r takes one range written start:end, for example -r 1:1024. Use -o for a list of ports."));
      return NULL;
    }
  return pq_ports_parse (text, error);
}

gboolean
pq_protocols_parse (const char   *text,
                    PqProtocols  *protocols,
                    GError      **error)
{
  /* PortQry takes -p TCP as well as -p tcp; the nicks are lower case. */
  g_autofree char *nick = g_ascii_strdown (text ? text : "", -1);
  int value;

  if (!pq_enum_from_nick (PQ_TYPE_PROTOCOLS, nick, &value))
    {
      g_set_error (error, PQ_ERROR, PQ_ERROR_INVALID_PROTOCOL,
                   _("“%s” is not a protocol. Type tcp, udp or both."), text ? text : "");
      return FALSE;
    }
  *protocols = (PqProtocols) value;
  return TRUE;
}

/* Compact form for reports: "21-25,53,80". */
char *
pq_ports_to_string (GArray *ports)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ports->len;)
    {
      guint16 start = g_array_index (ports, guint16, i);
      guint j = i;

      while (j + 1 < ports->len && g_array_index (ports, guint16, j + 1) == g_array_index (ports, guint16, j) + 1)
        j++;
      if (s->len > 0)
        g_string_append_c (s, ',');
      if (j > i)
        g_string_append_printf (s, "%u-%u", start, g_array_index (ports, guint16, j));
      else
        g_string_append_printf (s, "%u", start);
      i = j + 1;
    }
  return g_string_free (s, FALSE);
}
