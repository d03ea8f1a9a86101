#!/bin/bash
# test-golden.sh: portqry's text, log, report and JSON output on the rig's
# real servers (tests/lib/rig-up.sh: dnsmasq, nmbd/smbd, samba-dcerpcd,
# slapd, snmpd and the nft DROP/REJECT ports on 10.200.77.2; the Samba AD
# DC on 10.200.78.2), compared byte for byte with the files in golden/
# after golden-mask.py has replaced what differs from run to run (times,
# dates, this computer's name, temporary paths, Samba's random values,
# local ports). Each case is one portqry command; its golden files are
#   golden/CASE.txt        the command, exit code, stdout and stderr
#   golden/CASE.json       stdout of a --json run, masked and re-dumped in
#                          the document's own key order
#   golden/CASE.log.txt    the -l log file
#   golden/CASE.export.EXT the --export report
# A mismatch prints a unified diff (golden first) and fails the test.
#
# Regenerate the golden files after an intended change of the output:
#   UPDATE_GOLDEN=1 meson test -C build integ-golden
# (or, as root: UPDATE_GOLDEN=1 PORTQRY=build/src/cli/portqry
#  tests/integration/test-golden.sh), then read `git diff tests/integration/golden`.
# GOLDEN_RAW=DIR keeps the unmasked outputs in DIR, to see what masking hides.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root
for tool in samba samba-tool nmbd smbd dnsmasq slapd snmpd; do
  command -v "$tool" > /dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
# The golden files are portqry's English output.
export LC_ALL=C.UTF-8
unset LANGUAGE LANG
# JSON and reports name the ports in flight (256), fewer under a low open-file limit.
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 1024 ] && ulimit -n 1024

GOLDEN=$HERE/golden
MASK=$HERE/golden-mask.py
SRV=10.200.77.2 DC=10.200.78.2 SRV6=fd00:200:77::2
FS_PORTS=53,80,135,137,139,161,389,445,8081,8082
T_START=$(now)

# --- the whole rig, with a resolver for the client namespace -------------
rig_dir=$WORK/rig
if ! RIG_PREFIX=gg$$ "$TOP/tests/lib/rig-up.sh" "$rig_dir" > "$WORK/rig-up.log" 2>&1; then
  echo "FAIL: the rig did not come up:"; cat "$WORK/rig-up.log"; exit 1
fi
# shellcheck source=/dev/null
. "$rig_dir/env"
# `ip netns exec` binds /etc/netns/NS/resolv.conf over /etc/resolv.conf:
# names and reverse lookups go to the rig's dnsmasq, never to the host's.
mkdir -p "/etc/netns/$NS_CLI"
own_files+=("/etc/netns/$NS_CLI")
echo "nameserver $SRV" > "/etc/netns/$NS_CLI/resolv.conf"
echo "# rig up in $(awk -v a="$(now)" -v b="$T_START" 'BEGIN { printf "%.1f", a - b }') s"

mkdir -p "$WORK/actual"
[ -n "${GOLDEN_RAW:-}" ] && mkdir -p "$GOLDEN_RAW"
produced=()
MASK_OPTS=

# mask FORMAT FILE: FILE masked (golden-mask.py), on stdout.
mask() {
  "$PY" "$MASK" "$1" "$2" --replace "$PORTQRY=<PORTQRY>" --replace "$WORK=<TMP>" ${MASK_OPTS:+"$MASK_OPTS"}
}

# compare NAME FILE: FILE against golden/NAME (or written there on UPDATE_GOLDEN=1).
compare() {
  local name=$1 file=$2
  produced+=("$name")
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    cp "$file" "$GOLDEN/$name"
    pass "golden/$name written"
  elif [ ! -f "$GOLDEN/$name" ]; then
    fail_golden "golden/$name is missing (UPDATE_GOLDEN=1 writes it)"
  elif diff -u --label "golden/$name" --label "this run" "$GOLDEN/$name" "$file" > "$WORK/diff"; then
    pass "golden/$name"
  else
    fail_golden "golden/$name differs:"
    cat "$WORK/diff"
  fi
}
fail_golden() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $checks - $1"; }

# run_case NAME ARGS...: portqry ARGS in the client namespace; compares the
# command, exit code, stdout (or, with --json, stdout as NAME.json) and
# stderr with the golden files.
run_case() {
  local name=$1 raw json=
  shift
  raw=$WORK/raw/$name
  mkdir -p "$raw"
  ip netns exec "$NS_CLI" "$PORTQRY" "$@" > "$raw/stdout" 2> "$raw/stderr"
  echo $? > "$raw/rc"
  # A --json run that failed before the query prints no document.
  for arg in "$@"; do [ "$arg" = --json ] && [ -s "$raw/stdout" ] && json=1; done
  [ -n "${GOLDEN_RAW:-}" ] && cp -r "$raw" "$GOLDEN_RAW/"
  {
    echo "\$ portqry $*"
    echo "--- exit code $(cat "$raw/rc")"
    echo "--- stdout"
    if [ -n "$json" ]; then echo "(the JSON document: $name.json)"; else cat "$raw/stdout"; fi
    echo "--- stderr"
    cat "$raw/stderr"
  } > "$raw/case.txt"
  mask text "$raw/case.txt" > "$WORK/actual/$name.txt" || fail_golden "$name: golden-mask.py failed"
  compare "$name.txt" "$WORK/actual/$name.txt"
  if [ -n "$json" ]; then
    mask json "$raw/stdout" > "$WORK/actual/$name.json" ||
      { fail_golden "$name: stdout is not a JSON document"; return; }
    compare "$name.json" "$WORK/actual/$name.json"
  fi
}

# check_file NAME FORMAT FILE: a file portqry wrote (log, report), masked and compared.
check_file() {
  [ -n "${GOLDEN_RAW:-}" ] && cp "$3" "$GOLDEN_RAW/$1"
  if [ ! -f "$3" ]; then
    fail_golden "$1: portqry did not write $3"
    return
  fi
  mask "$2" "$3" > "$WORK/actual/$1" || { fail_golden "$1: golden-mask.py failed"; return; }
  compare "$1" "$WORK/actual/$1"
}

# wait_names HOST 'NAME <XX>'...: until HOST's NBSTAT answer lists every
# NAME (polled twice a second, for at most 60 s).
wait_names() {
  local host=$1 name missing _
  shift
  for _ in $(seq 1 120); do
    ip netns exec "$NS_CLI" "$PORTQRY" -n "$host" -e 137 -p udp -nr > "$WORK/nbstat" 2>&1
    missing=
    for name in "$@"; do grep -qF "      $name: " "$WORK/nbstat" || missing+=" '$name'"; done
    [ -z "$missing" ] && return 0
    sleep 0.5
  done
  fail_golden "$host did not register the NetBIOS names$missing within 60 s:"
  cat "$WORK/nbstat"
}

# --- names through the rig's dnsmasq, and an IPv6 address ----------------
run_case name-forward -n srv.test.lan -o 53,80 -p both
run_case name-reverse -n $SRV -e 80 -p tcp
run_case name-reverse-json -n $SRV -e 80 -p tcp --json
run_case ipv6-verbose -n $SRV6 -o 53,80 -p both -nr -v

# --- log file and reports --------------------------------------------------
run_case log -n $SRV -o 53,80,8082 -p both -nr -l "$WORK/portqry.log" -y
check_file log.log.txt text "$WORK/portqry.log"
for ext in txt csv html json; do
  fmt=text
  [ $ext = csv ] && fmt=csv
  [ $ext = json ] && fmt=json
  run_case export-$ext -n $SRV -o 53,80,8082 -p both -nr --export "$WORK/report.$ext"
  check_file export-$ext.export.$ext $fmt "$WORK/report.$ext"
done

# --- errors ---------------------------------------------------------------
run_case error-unknown-name -n nosuch.test.lan -e 53
run_case error-unknown-name-json -n nosuch.test.lan -e 53 --json
run_case usage-no-name -p tcp
run_case usage-bad-protocol -n $SRV -p foo

# --- NetBIOS names settle ----------------------------------------------
# nmbd adds __MSBROWSE__ and TESTGRP<1D> once it has won the browser
# election, about 10 to 25 s after it starts; the AD DC registers DC1 and
# TEST's names one after the other in its first seconds. The cases below
# list those names, so they wait until both lists are complete.
t=$(now)
wait_names $SRV 'TESTSRV <00>' 'TESTSRV <03>' 'TESTSRV <20>' '..__MSBROWSE__. <01>' \
  'TESTGRP <00>' 'TESTGRP <1D>' 'TESTGRP <1E>'
wait_names $DC 'DC1 <00>' 'DC1 <03>' 'DC1 <20>' 'TEST <1B>' 'TEST <1C>' 'TEST <00>' \
  '__SAMBA__ <00>' '__SAMBA__ <20>'
echo "# waited $(awk -v a="$(now)" -v b="$t" 'BEGIN { printf "%.1f", a - b }') s for the NetBIOS names"

# --- the AD DC: endpoint mapper, NetBIOS, LDAP, CLDAP, global catalog ------
run_case dc-verbose -n $DC -o 135,137,389,3268 -p both -nr -v
run_case dc-json -n $DC -o 135,137,389,3268 -p both -nr --json

# --- the file server ------------------------------------------------------
# samba-dcerpcd starts its rpcd_* helpers at the same time and each
# registers its endpoints when it is ready: the endpoint mapper lists them
# in a different order in each run (the AD DC's list above keeps its order).
MASK_OPTS=--sort-endpoints
run_case fs-plain -n $SRV -o $FS_PORTS -p both -nr
run_case fs-verbose -n $SRV -o $FS_PORTS -p both -nr -v
run_case fs-json -n $SRV -o $FS_PORTS -p both -nr --json

# --- golden files no case produced (a case renamed or removed) -------------
for f in "$GOLDEN"/*; do
  base=$(basename "$f")
  [[ " ${produced[*]} " == *" $base "* ]] && continue
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    rm "$f"; echo "# removed golden/$base: no case writes it"
  else
    fail_golden "golden/$base belongs to no case (UPDATE_GOLDEN=1 removes it)"
  fi
done

echo "# $(awk -v a="$(now)" -v b="$T_START" 'BEGIN { printf "%.1f", a - b }') s in all"
finish
