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
    once it shows @prompt (a list: each once the one before was answered
    and the prompt came again). Returns (exit code, everything the
    terminal showed)."""
    answers = list(answer) if isinstance(answer, list) else [answer]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(PORTQRY, [PORTQRY] + args, ENV)
    shown = b""
    seen = 0
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
        if answers and shown.count(prompt) > seen:
            seen = shown.count(prompt)
            os.write(fd, answers.pop(0).encode())
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


def listener():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def test_interactive():
    """-i fed from a pipe, as a script would; each query prints what
    portqry -n -e -p prints."""
    server = listener()
    port = server.getsockname()[1]
    closed = free_udp_port()
    script = (f"node 127.0.0.1\nset nr\nset e={port}\nq\nset port={closed}\nset p=both\nquery\n"
              "q mail\nset e=0\nset p=sideways\nq nosuch\nfrobnicate\nset all\nexit\nq\n")
    p = subprocess.run([PORTQRY, "-i", "--tries", "1", "--udp-wait", "300", "--udp-tries", "1"],
                       input=script, capture_output=True, text=True, env=ENV)
    out = p.stdout
    check(p.returncode == 0 and out.startswith("Portqry Interactive Mode\n"), "-i starts with PortQry's banner", out)
    check("Default Node: 127.0.0.1" in out and "   end port= 80" in out and "   protocol= TCP" in out and
          "   source port= 0 (ephemeral)" in out, "the banner shows PortQry's defaults", out)
    for args in (["-e", str(port)], ["-e", str(closed), "-p", "both"]):
        one = subprocess.run([PORTQRY, "-n", "127.0.0.1", "-nr", "--tries", "1", "--udp-wait", "300",
                              "--udp-tries", "1"] + args, capture_output=True, text=True, env=ENV).stdout
        check(one in out, f"q prints what portqry -n 127.0.0.1 -nr {' '.join(args)} prints", f"{one}\n---\n{out}")
    mail = [f"TCP port {n} (" for n in (25, 110, 143)]
    where = [out.find(m) for m in mail]
    check(all(w > 0 for w in where) and where == sorted(where), "q mail queries TCP 25, 110 and 143 in order", out)
    check("“0” is no port" in out and "tcp, udp or both" in out and "No query shortcut “nosuch”" in out and
          "Unknown command “frobnicate”" in out, "wrong commands are refused and the session goes on", out)
    check("   protocol= BOTH" in out and "   name resolution (nr)= off" in out, "set all shows what was set", out)
    check(out.count("Querying target system called:") == 3, "nothing runs after exit", out)
    server.close()


def test_interactive_editing():
    """On a terminal: readline's history and editing (up arrow, backspace)."""
    code, shown = run_in_pty(["-i"], ["set e=81\n", "\x1b[A\x7f2\n", "exit\n"], b"> ")
    check(code == 0 and "end port= 82" in shown, "-i on a terminal edits a recalled line", shown)


def test_watch_escape():
    # Only reads this computer's tables: no traffic.
    code, shown = run_in_pty(["-wport", "1", "-wt", "1"], "\x1b", b"Checking for changes")
    check(code == 0 and "Escape key pressed: watching stopped" in shown,
          "-wport on a terminal stops at Esc, as PortQry's", f"exit {code}\n{shown}")


with tempfile.TemporaryDirectory() as tmp:
    test_watch_escape()
    test_interactive()
    test_interactive_editing()
    test_log_prompt(tmp)
    test_source_port(tmp)
print(f"{failures} failed")
sys.exit(1 if failures else 0)
