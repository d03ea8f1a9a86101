#!/usr/bin/python3
"""test-cli-parity.py: portqry's PortQry behaviours that need no network
namespace: -l asking before it overwrites (through a pseudo-terminal, and
refusing without one), and -sp with PortQry's ephemeral exceptions, seen
by UDP servers on loopback that record the port each datagram came from.

Run by meson with PORTQRY set; prints TAP-like ok/FAIL lines.
"""
import os
import pty
import select
import socket
import subprocess
import sys
import tempfile
import threading

PORTQRY = os.environ["PORTQRY"]
ENV = dict(os.environ, LC_ALL="C.UTF-8")
ENV.pop("LANGUAGE", None)
failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok - " if ok else "FAIL - ") + what)
    if not ok:
        failures += 1
        if detail:
            print("  " + detail.replace("\n", "\n  "))


def run_in_pty(args, answer, prompt=b"(y/n)"):
    """Runs portqry with a terminal on its standard input; types @answer
    once it shows @prompt. Returns (exit code, everything the terminal
    showed)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(PORTQRY, [PORTQRY] + args, ENV)
    shown = b""
    answered = False
    while True:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            break
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
        if not answered and prompt in shown:
            os.write(fd, answer.encode())
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_log_prompt(tmp):
    log = os.path.join(tmp, "q.log")
    # A closed loopback port: quick, and no traffic beyond this computer.
    args = ["-n", "127.0.0.1", "-e", "9", "-nr", "--tries", "1", "-l", log]

    with open(log, "w") as f:
        f.write("keep me\n")
    code, shown = run_in_pty(args, "n\n")
    check("already exists. Overwrite it? (y/n)" in shown, "-l on a terminal asks before overwriting", shown)
    check(code == 3 and open(log).read() == "keep me\n",
          "answering n keeps the old log and exits 3", f"exit {code}\n{shown}")

    code, shown = run_in_pty(args, "y\n")
    text = open(log).read()
    check(code == 1 and "TCP port 9 (discard service): NOT LISTENING" in text,
          "answering y writes the log", f"exit {code}\n{shown}\n{text}")

    with open(log, "w") as f:
        f.write("keep me\n")
    p = subprocess.run([PORTQRY] + args, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=ENV)
    check(p.returncode == 3 and "Add -y to overwrite it" in p.stderr and open(log).read() == "keep me\n",
          "without a terminal -l refuses as before", p.stderr)


class Recorder:
    """A UDP server on loopback that notes each sender's port and never
    answers (PortQry's lines are printed whether or not it does)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sources = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                _, (_, port) = self.sock.recvfrom(2048)
            except OSError:
                return
            self.sources.append(port)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_source_port(tmp):
    nbns, dns, cldap = Recorder(), Recorder(), Recorder()
    services = os.path.join(tmp, "services")
    with open(services, "w") as f:
        f.write(f"netbios-ns {nbns.port}/udp\ndomain {dns.port}/udp\nldap {cldap.port}/udp\n")
    sp = free_udp_port()
    ports = f"{dns.port},{nbns.port},{cldap.port}"
    p = subprocess.run([PORTQRY, "-n", "127.0.0.1", "-p", "udp", "-o", ports, "-nr", "-sp", str(sp),
                        "--services", services, "--udp-wait", "200", "--udp-tries", "1"],
                       capture_output=True, text=True, env=ENV)
    out = p.stdout
    check(f"Sending DNS query to UDP port {dns.port}..." in out, "the DNS query's line", out)
    check(f"Attempting NETBIOS adapter status query to UDP port {nbns.port}..." in out,
          "the NetBIOS query's line", out)
    check(f"Sending LDAP query to UDP port {cldap.port}..." in out, "the CLDAP query's line", out)
    check(dns.sources and all(s == sp for s in dns.sources), "DNS is sent from -sp's port",
          f"sp {sp}, sources {dns.sources}")
    check(nbns.sources and all(s != sp for s in nbns.sources) and
          cldap.sources and all(s != sp for s in cldap.sources),
          "NetBIOS and CLDAP go from an ephemeral port, as PortQry's",
          f"sp {sp}, NetBIOS {nbns.sources}, CLDAP {cldap.sources}")
    blocks = out.split("UDP port ")
    eph = [b for b in blocks if "Using ephemeral source port" in b]
    check(len(eph) == 2 and all(str(dns.port) not in b.split("\n")[0] for b in eph),
          "\"Using ephemeral source port\" under NetBIOS and CLDAP only", out)

    p = subprocess.run([PORTQRY, "-n", "127.0.0.1", "-p", "udp", "-e", str(nbns.port), "-nr",
                        "--services", services, "--udp-wait", "200", "--udp-tries", "1"],
                       capture_output=True, text=True, env=ENV)
    check("Using ephemeral source port" not in p.stdout, "no such line without -sp", p.stdout)

    p = subprocess.run([PORTQRY, "-n", "127.0.0.1", "-p", "udp", "-e", str(dns.port), "-nr", "--no-probes",
                        "--services", services, "--udp-wait", "200", "--udp-tries", "1"],
                       capture_output=True, text=True, env=ENV)
    check("LISTENING or FILTERED" in p.stdout and "Sending DNS query" not in p.stdout,
          "--no-probes: no query, so no PortQry line about one", p.stdout)


def test_watch_escape():
    # Only reads this computer's tables: no traffic.
    code, shown = run_in_pty(["-wport", "1", "-wt", "1"], "\x1b", b"Checking for changes")
    check(code == 0 and "Escape key pressed: watching stopped" in shown,
          "-wport on a terminal stops at Esc, as PortQry's", f"exit {code}\n{shown}")


with tempfile.TemporaryDirectory() as tmp:
    test_watch_escape()
    test_log_prompt(tmp)
    test_source_port(tmp)
print(f"{failures} failed")
sys.exit(1 if failures else 0)
