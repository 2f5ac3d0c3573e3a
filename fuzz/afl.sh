#!/usr/bin/env bash
# AFL++ campaign on one variant: one main (-M) and N-1 secondary (-S) instances on a shared sync
# directory, seeds corpus/seeds, dictionary corpus/mmfuzz.dict, bounded by time, resumable.
#
#   fuzz/afl.sh --variant NAME --seconds S [--jobs N] [--out DIR] [--until-crash]
#               [--interleaving on|off] [--ignore KIND,...] [--beyond-history on] [--no-build]
#   a kernel state read from C instead of --variant (README, Bring your patch):
#     fuzz/afl.sh --kernel-tree DIR|--c FILE --base STATE [--patch P] [--functions F,...] --seconds S
#   several machines, one sync dir on a shared file system (NFS, sshfs):
#     machine 1: fuzz/afl.sh --variant V --seconds S --sync-dir /mnt/shared/afl-V --instance-name m1
#     machine k: fuzz/afl.sh --variant V --seconds S --sync-dir /mnt/shared/afl-V --instance-name mk --secondary
#   (only the machine without --secondary runs a -M; instance names must be unique across machines)
#
# Re-running with the same --out (or --sync-dir) resumes every instance (-i -, AFL_AUTORESUME=1).
# Crashes: DIR/*/crashes/id:*; triage them with
#   dotnet out/fuzz-target/mmfuzz.dll triage DIR --variant NAME --out corpus/regressions
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
variant="" seconds="" jobs="$(nproc)" out="" name="" secondary=0 build=1 until_crash=0
target_args=()
. "$root/fuzz/campaign-options.sh"
while [ $# -gt 0 ]; do
  option_needs "$@"
  case "$1" in
    --variant) variant="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --out|--sync-dir) out="$2"; shift 2 ;;
    --instance-name) name="$2"; shift 2 ;;
    --secondary) secondary=1; shift ;;
    --no-build) build=0; shift ;;
    --until-crash) until_crash=1; shift ;;
    --interleaving|--ignore|--beyond-history) target_args+=("$1" "$2"); shift 2 ;;
    --kernel-tree|--c|--base|--patch|--functions|--tree-files|--stub-header|--name) c_option "$1" "$2"; shift 2 ;;
    *) fail "unknown argument '$1' (see afl.sh --help)" ;;
  esac
done
check_required
command -v afl-fuzz >/dev/null || { echo "afl.sh: afl-fuzz not found (apt-get install -y afl++)" >&2; exit 1; }
out="${out:-$root/out/afl-$label}"
name="${name:-$(hostname -s | tr -c 'A-Za-z0-9_\n-' _)}"
target="$root/out/fuzz-target"
[ "$build" = 1 ] || [ -f "$target/mmfuzz.dll" ] || build=1
[ "$build" = 0 ] || "$root/fuzz/build-target.sh" "$target"
check_target "$target/mmfuzz.dll"
mkdir -p "$out/logs"

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
       AFL_NO_AFFINITY=1 AFL_AUTORESUME=1
[ "$until_crash" = 0 ] || export AFL_BENCH_UNTIL_CRASH=1

pids=()
for i in $(seq 0 $((jobs - 1))); do
  if [ "$i" = 0 ] && [ "$secondary" = 0 ]; then role=(-M "$name-main"); inst="$name-main"
  else role=(-S "$name-s$i"); inst="$name-s$i"; fi
  # Resume an instance that has run before; seed a new one.
  if [ -d "$out/$inst/queue" ]; then input=(-i -); else input=(-i "$root/corpus/seeds"); fi
  afl-fuzz "${role[@]}" "${input[@]}" -o "$out" -x "$root/corpus/mmfuzz.dict" -V "$seconds" -t 5000 -m none \
    -- dotnet "$target/mmfuzz.dll" afl "${variant_args[@]}" "${target_args[@]}" >"$out/logs/$inst.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done

# Summary from fuzzer_stats (rewritten at exit) and the crash file names (AFL++ writes time:MS).
execs=0; rate=0
for s in "$out"/*/fuzzer_stats; do
  [ -f "$s" ] || continue
  execs=$((execs + $(awk -F': *' '$1 ~ /^execs_done/ {print $2}' "$s")))
  rate=$(awk -v r="$rate" -F': *' '$1 ~ /^execs_per_sec/ {printf "%.0f", r + $2}' "$s")
done
crashes=$(find "$out" -path '*/crashes/id:*' -type f | wc -l)
first=$(find "$out" -path '*/crashes/id:*' -type f -printf '%f\n' | sed -n 's/.*time:\([0-9]*\).*/\1/p' | sort -n | head -1)
echo "afl.sh: $label, $jobs instance(s), ${seconds}s: $execs execs, ~$rate exec/s (sum of last rates), $crashes crash(es)${first:+, first after ${first} ms}; out: $out"
for l in "$out"/logs/*.log; do grep -q "PROGRAM ABORT" "$l" && { echo "afl.sh: $l:" >&2; tail -20 "$l" >&2; status=1; }; done
exit "$status"
