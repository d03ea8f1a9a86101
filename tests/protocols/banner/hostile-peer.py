#!/usr/bin/python3
"""Hostile TCP peers for the banner tests, one per port on ADDRESS:
  BASE+0  sends "220-" continuation lines without end
  BASE+1  sends bytes without a line end, without end
  BASE+2  accepts and never says anything, never closes
  BASE+3  sends a terminal escape sequence and NULs in its greeting
Every connection is bounded: it stops after 60 s."""
import socket, sys, threading, time

address, base = sys.argv[1], int(sys.argv[2])

def serve(port, talk):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=talk, args=(c,), daemon=True).start()

def endless_lines(c):
    end = time.time() + 60
    try:
        while time.time() < end:
            c.sendall(b"220-" + b"x" * 100 + b"\r\n")
    except OSError:
        pass
    c.close()

def endless_bytes(c):
    end = time.time() + 60
    try:
        while time.time() < end:
            c.sendall(b"A" * 65536)
    except OSError:
        pass
    c.close()

def silent(c):
    time.sleep(60)
    c.close()

def escapes(c):
    try:
        c.sendall(b"220 evil\x1b]0;pwned\x07\x1b[2J\x00\x01 <script>alert(1)</script>\r\n")
        time.sleep(1)
    except OSError:
        pass
    c.close()

for i, f in enumerate([endless_lines, endless_bytes, silent, escapes]):
    threading.Thread(target=serve, args=(base + i, f), daemon=True).start()
while True:
    time.sleep(3600)
