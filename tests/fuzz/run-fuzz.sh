#!/bin/bash
# run-fuzz.sh BUILDDIR SECONDS [NAME...]: run each fuzz target for SECONDS,
# seeded from tests/protocols/*/seeds/<name> (codecs) or
# tests/fuzz/seeds/<name> (saved reports), and print its figures.
#   CC=clang meson setup build-fuzz -Dfuzzing=true -Dapp=false -Dintegration_tests=false
#   ninja -C build-fuzz && tests/fuzz/run-fuzz.sh build-fuzz 300
set -euo pipefail
build=${1:?usage: run-fuzz.sh BUILDDIR SECONDS [NAME...]}
seconds=${2:?usage: run-fuzz.sh BUILDDIR SECONDS [NAME...]}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$build"/tests/fuzz/fuzz-*; do
    [ -f "$f" ] && [ -x "$f" ] && names+=("$(basename "$f" | sed 's/^fuzz-//')")
  done
fi
status=0
for name in "${names[@]}"; do
  corpus="$build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  seeds=$(find "$top/tests/protocols" "$top/tests/fuzz/seeds" -type d -path "*/seeds/$name" | head -1)
  log="$build/fuzz-$name.log"
  # -rss_limit_mb bounds memory; a codec that grows without bound fails here.
  if "$build/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -rss_limit_mb=512 -timeout=5 \
       -print_final_stats=1 "$corpus" ${seeds:+"$seeds"} > "$log" 2>&1; then
    result=ok
  else
    result=FAILED; status=1
  fi
  execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  cov=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/' || true)
  printf '%-10s %-6s %ss  %s runs  cov %s  corpus %s files  log %s\n' "$name" "$result" "$seconds" \
    "${execs:-?}" "${cov:-?}" "$(ls "$corpus" | wc -l)" "$log"
done
exit $status
