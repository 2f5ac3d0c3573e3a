#!/usr/bin/env bash
# Time to first crash of AFL++ (one instance, AFL_BENCH_UNTIL_CRASH; the crash file's time:) or, with
# BENCH_FUZZER=libfuzzer, of libFuzzer (one job, which stops at its first crash; wall time of the job,
# .NET start-up included) per variant, with and without the interleaving coverage, RUNS runs each;
# prints one line per run and the median per cell.
#   fuzz/bench-first-crash.sh [RUNS=3] [SECONDS=60] [VARIANTS="mm-2024-03 v6.12-rc1"] [EXTRA afl.sh ARGS, e.g. "--ignore wrong-lock"]
# Needs a built target (fuzz/afl.sh or fuzz/build-target.sh out/fuzz-target first).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}" seconds="${2:-60}" variants="${3:-mm-2024-03 v6.12-rc1}" extra="${4:-}"
work="$(mktemp -d)"
for v in $variants; do
  for cov in on off; do
    times=()
    for r in $(seq 1 "$runs"); do
      if [ "${BENCH_FUZZER:-afl}" = libfuzzer ]; then
        a=$(date +%s%N)
        "$root/fuzz/libfuzzer.sh" --variant "$v" --seconds "$seconds" --jobs 1 --no-build \
          --interleaving "$cov" $extra --out "$work/$v-$cov-$r" >/dev/null 2>&1 || true
        b=$(date +%s%N)
        t=""; e=""
        if ls "$work/$v-$cov-$r"/crashes/crash-* >/dev/null 2>&1; then
          t=$(( (b - a) / 1000000 ))
          e=$(awk '/stat::number_of_executed_units/ {print $2; exit}' "$work/$v-$cov-$r"/fuzz-0.log)
        fi
      else
        "$root/fuzz/afl.sh" --variant "$v" --seconds "$seconds" --jobs 1 --until-crash --no-build \
          --interleaving "$cov" $extra --out "$work/$v-$cov-$r" >/dev/null 2>&1 || true
        t=$(find "$work/$v-$cov-$r" -path '*/crashes/id:*' -printf '%f\n' | sed -n 's/.*time:\([0-9]*\).*/\1/p' | sort -n | head -1)
        e=$(find "$work/$v-$cov-$r" -path '*/crashes/id:*' -printf '%f\n' | sed -n 's/.*execs:\([0-9]*\).*/\1/p' | sort -n | head -1)
      fi
      echo "${BENCH_FUZZER:-afl} $v interleaving=$cov run $r: first crash ${t:-none} ms, ${e:-?} execs"
      times+=("${t:-999999999}")
    done
    med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "== ${BENCH_FUZZER:-afl} $v interleaving=$cov: median first crash $med ms over $runs runs"
  done
done
rm -rf "$work"
