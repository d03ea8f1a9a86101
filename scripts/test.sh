#!/bin/bash
# test.sh: install what is needed, build, and run every test.
#   ./scripts/test.sh            (as root: the network-namespace tests need it)
# Three builds: build-test (warnings are errors) runs every suite; build-asan
# runs the unit suite and the window tests again under AddressSanitizer and
# UBSan, with leak detection; build-fuzz (clang) runs each fuzz target a
# moment. About 12 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

setup() {  # setup DIR OPTIONS...: configure once, reconfigure after that
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

setup build-test -Dwerror=true
meson compile -C build-test

status=0
# The window tests need a display and a session bus; xvfb-run and
# dbus-run-session give them one without touching the user's session.
# -noreset: by default Xvfb resets when its last client leaves, and a
# window starting during that reset is refused ("cannot open display", a
# CI run saw it once).
GTK_A11Y=none xvfb-run -a -s '-screen 0 1280x800x24 -noreset' dbus-run-session -- \
  meson test -C build-test --print-errorlogs --num-processes 2 || status=$?

setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dintegration_tests=false
meson compile -C build-asan
# G_SLICE=always-malloc: GLib 2.74's slice allocator would hide leaked
# objects from LeakSanitizer.
export G_SLICE=always-malloc UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
# Each run of meson test rewrites testlog.json: keep each run's for the
# closing count.
keep_log() { cp build-asan/meson-logs/testlog.json "build-asan/meson-logs/testlog-$1.json" 2>/dev/null || true; }
rm -f build-asan/meson-logs/testlog-*.json
meson test -C build-asan --suite unit --print-errorlogs --num-processes 2 || status=$?
keep_log unit
# The window under the same sanitizers; LeakSanitizer ignores only what
# fontconfig and GLib keep for the life of the process and two GTK 4.8
# leaks (lsan.supp says why). GDK draws with cairo here: Mesa's GL driver,
# loaded for Xvfb and unloaded again, leaves allocations no suppression
# can name (an unloaded module).
app_asan() {
  local supp=$1; shift
  GDK_DEBUG=gl-disable LSAN_OPTIONS=suppressions=$supp:print_suppressions=0 \
    GTK_A11Y=none xvfb-run -a -s '-screen 0 1280x800x24 -noreset' dbus-run-session -- \
    meson test -C build-asan --print-errorlogs --num-processes 1 --timeout-multiplier 3 "$@"
}
supp=$PWD/tests/app/lsan.supp
app_asan "$supp" window-stop window-write-stop window-trace preferences || status=$?
keep_log app
# test-window unwinds fully (slower) so suppressions see below GLib's
# frames. The two tests that time the window and the two of GTK's file
# chooser run after it.
ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 app_asan "$supp" window --test-args \
  "-s /app/window/large-scan -s /app/window/cancel -s /app/window/export-dialog -s /app/window/export-dialog-accept" \
  || status=$?
keep_log window
# The timed ones with the usual fast unwinding: unwinding every malloc
# fully stalled the 65,535-port scan's main loop 30 s. Their limits are 4
# times longer under ASan (WINDOW_TIME_FACTOR, tests/app/window-fixture.h).
app_asan "$supp" window --test-args "-p /app/window/cancel -p /app/window/large-scan" || status=$?
keep_log window-timed
# GTK's own file chooser, after the query it exports, with
# lsan-chooser.supp too (GTK 4.8's path bar leaks where stripped
# libraries leave no name; that file says what this run does not see).
cat tests/app/lsan.supp tests/app/lsan-chooser.supp > build-asan/lsan-chooser.supp
ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 app_asan "$PWD/build-asan/lsan-chooser.supp" window --test-args \
  "-p /app/window/query -p /app/window/export-dialog -p /app/window/export-dialog-accept" || status=$?
keep_log window-chooser
unset G_SLICE UBSAN_OPTIONS ASAN_OPTIONS

# The fuzz targets, built with clang (libFuzzer, ASan, UBSan) and each run
# 2 s from its seeds: a target that no longer builds, or an input that
# crashes a codec or the report reader, fails the run. Only the targets
# are built. About 2.5 minutes (build 1, runs 1.5).
CC=clang setup build-fuzz -Dfuzzing=true -Dapp=false -Dintegration_tests=false
mapfile -t fuzz_targets < <(meson introspect --targets build-fuzz |
  python3 -c 'import json, sys; print("\n".join(t["name"] for t in json.load(sys.stdin) if t["name"].startswith("fuzz-")))')
fuzz_status=0
meson compile -C build-fuzz "${fuzz_targets[@]}" && tests/fuzz/run-fuzz.sh build-fuzz 2 || fuzz_status=$?
[ "$fuzz_status" -eq 0 ] || { echo "FAIL: fuzz targets (${#fuzz_targets[@]}), see above"; status=1; }

# One plain closing line over every run: "N passed, N failed, N skipped".
python3 - build-test/meson-logs/testlog.json build-asan/meson-logs/testlog-*.json <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
