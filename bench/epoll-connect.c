/* epoll-connect.c: the floor for a TCP connect scan, for bench/scan-bench
 *
 * The least a connect scan can do: keep WINDOW non-blocking connect()s in
 * flight over one epoll set, read each outcome with SO_ERROR, close with
 * a reset (SO_LINGER 0), start the next port. One thread, no tries, no
 * timeouts, no results kept: it only counts. scan-bench times it on the
 * same ports as portqry and nmap, in the same run, so that portqry's
 * overhead over the kernel's own work is measured and not guessed.
 *
 *   epoll-connect ADDRESS FIRST LAST [WINDOW]     (IPv4; WINDOW 256)
 *
 * Prints "open N refused N other N" and exits 0.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in target;
static long next_port, last_port;
static long n_open, n_refused, n_other;
static int in_flight;

static void
count (int err)
{
  if (err == 0)
    n_open++;
  else if (err == ECONNREFUSED)
    n_refused++;
  else
    n_other++;
}

static void
finish (int fd)
{
  struct linger lg = { 1, 0 };

  setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close (fd);
  in_flight--;
}

/* Starts connections until the window is full or the ports run out. */
static void
fill (int ep, int window)
{
  while (in_flight < window && next_port <= last_port)
    {
      struct sockaddr_in to = target;
      struct epoll_event ev = { .events = EPOLLOUT };
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

      if (fd < 0)
        {
          perror ("socket");
          exit (2);
        }
      to.sin_port = htons ((unsigned short) next_port++);
      in_flight++;
      if (connect (fd, (struct sockaddr *) &to, sizeof to) == 0 || errno != EINPROGRESS)
        {
          count (errno == EINPROGRESS ? 0 : errno);
          finish (fd);
          continue;
        }
      ev.data.fd = fd;
      if (epoll_ctl (ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
          perror ("epoll_ctl");
          exit (2);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  struct epoll_event events[256];
  struct rlimit rl;
  int window = argc > 4 ? atoi (argv[4]) : 256;
  int ep;

  if (argc < 4 || inet_pton (AF_INET, argv[1], &target.sin_addr) != 1 || window < 1)
    {
      fprintf (stderr, "usage: %s ADDRESS FIRST LAST [WINDOW]\n", argv[0]);
      return 2;
    }
  target.sin_family = AF_INET;
  next_port = atol (argv[2]);
  last_port = atol (argv[3]);
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }

  ep = epoll_create1 (EPOLL_CLOEXEC);
  fill (ep, window);
  while (in_flight > 0)
    {
      int n = epoll_wait (ep, events, 256, -1);

      for (int i = 0; i < n; i++)
        {
          int err = 0;
          socklen_t len = sizeof err;

          if (getsockopt (events[i].data.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            err = errno;
          count (err);
          finish (events[i].data.fd);
        }
      fill (ep, window);
    }
  printf ("open %ld refused %ld other %ld\n", n_open, n_refused, n_other);
  return 0;
}
