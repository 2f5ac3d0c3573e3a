#!/usr/bin/env bash
# CI smoke of the fuzzers (about 90 s): AFL++ and libFuzzer each fuzz mm-2024-03 for SECONDS (default
# 30) on all cores; each must find a crash, and triage of its crashes must write a regression file
# that `replay` reproduces (exit 0); then AFL++ fuzzes mm-2024-03 read from its C rendering
# (corpus/kernels/mm-2024-03, the C front end) until its first crash, triaged and replayed the same
# way. Needs afl++, clang and libclang-rt-14-dev.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
ci="$root/out/ci-fuzz"
rm -rf "$ci"
mmfuzz=(dotnet "$root/out/fuzz-target/mmfuzz.dll")

check() {   # check NAME CRASH_DIR [C OPTIONS...]: the state is mm-2024-03's port, or the C the options name
  local name="$1" dir="$2" reg="$ci/$1-regressions"
  shift 2
  local c=("$@") state=(--variant mm-2024-03)
  [ ${#c[@]} -eq 0 ] || state=("${c[@]}")
  local n; n=$(find "$dir" \( -path '*/crashes/id:*' -o -name 'crash-*' \) -type f | wc -l)
  [ "$n" -gt 0 ] || { echo "ci-smoke: $name found no crash on mm-2024-03 in ${seconds}s" >&2; exit 1; }
  "${mmfuzz[@]}" triage "$dir" "${state[@]}" --out "$reg"
  local first; first=$(ls "$reg"/*.schedule | head -1)
  [ -n "$first" ] || { echo "ci-smoke: $name: triage wrote no regression" >&2; exit 1; }
  "${mmfuzz[@]}" replay "$first" ${c[@]+"${c[@]}"} >/dev/null 2>&1 || { echo "ci-smoke: $name: $first does not replay" >&2; exit 1; }
  echo "ci-smoke: $name: $n crash input(s) -> $(ls "$reg"/*.schedule | wc -l) regression(s); $first replays"
}

"$root/fuzz/afl.sh" --variant mm-2024-03 --seconds "$seconds" --out "$ci/afl"
check afl "$ci/afl"
"$root/fuzz/libfuzzer.sh" --variant mm-2024-03 --seconds "$seconds" --out "$ci/libfuzzer"
check libfuzzer "$ci/libfuzzer/crashes"
c=(--c "$root/corpus/kernels/mm-2024-03" --base mm-2024-03)
"$root/fuzz/afl.sh" "${c[@]}" --seconds "$seconds" --jobs 1 --until-crash --no-build --out "$ci/afl-c"
check afl-c "$ci/afl-c" "${c[@]}"
