# atspi_util.py: what the AT-SPI window tests share (imported by
# test-atspi-results.py and test-atspi-trace.py): TAP checks, the
# accessible tree read as Orca reads it, and real input through xdotool.
import re
import subprocess
import time

import pyatspi

failures = 0
step = 0


def check(ok, what):
    global failures, step
    step += 1
    print(("ok %d %s" if ok else "not ok %d %s") % (step, what), flush=True)
    if not ok:
        failures += 1


def walk(acc):
    yield acc
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is not None:
            yield from walk(child)


def find(root, pred, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        for acc in walk(root):
            try:
                if pred(acc):
                    return acc
            except Exception:
                pass
        if time.time() > deadline:
            return None
        time.sleep(0.2)


def role(acc):
    return acc.getRoleName()


def visible(acc):
    """Mapped on screen: every ancestor visible too (GTK 4.8 keeps hidden
    widgets in the tree with the visible state off)."""
    while acc is not None and role(acc) != "application":
        if not acc.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        acc = acc.parent
    return True


def key(name):
    subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True)
    time.sleep(0.6)


def window_origin():
    out = subprocess.run(["xdotool", "search", "--sync", "--name", "Port Query", "getwindowgeometry"],
                         capture_output=True, text=True, check=True).stdout
    x, y = re.search(r"Position: (-?\d+),(-?\d+)", out).groups()
    return int(x), int(y)


def click(acc):
    x, y, w, h = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    ox, oy = window_origin()
    subprocess.run(["xdotool", "mousemove", str(ox + x + w * 2 // 3), str(oy + y + h // 2), "click", "1"],
                   check=True)
    time.sleep(0.6)


def focused(app):
    return find(app, lambda a: a.getState().contains(pyatspi.STATE_FOCUSED), 2)


def display_ready(timeout=10.0):
    """Waits until the X server takes a client. Returns: whether it did"""
    deadline = time.time() + timeout
    while subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True).returncode != 0:
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def start_window(command, env=None, timeout=20.0):
    """Starts the window (@command) and finds it on the accessibility bus.
    A window that exits at start (Xvfb refusing a client for a moment, as
    one CI run saw: "cannot open display") is started once more after the
    display answers again; one that exits twice is a failure.
    Returns: (process, application), the application None if it never
    showed"""
    for attempt in (1, 2):
        display_ready()
        proc = subprocess.Popen(command, env=env)
        deadline = time.time() + timeout
        while time.time() < deadline and proc.poll() is None:
            for acc in pyatspi.Registry.getDesktop(0):
                if acc is not None and acc.name == "portquery" and acc.childCount > 0:
                    return proc, acc
            time.sleep(0.2)
        if proc.poll() is None:
            return proc, None   # running, but never on the bus
        if attempt == 1:
            print("# the window exited at start (status %d); starting it again" % proc.returncode, flush=True)
    return proc, None           # exited twice


def run_app(command, env, body):
    """Starts the window (@command), finds it on the accessibility bus,
    runs body(app) and ends the window. Returns: the exit code, 1 if any
    check failed"""
    proc, app = start_window(command, env)
    try:
        check(app is not None, "the window is on the accessibility bus")
        if app is not None:
            body(app)
    finally:
        proc.terminate()
        proc.wait()
    print("1..%d" % step)
    return 1 if failures else 0
