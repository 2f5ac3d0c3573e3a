#!/usr/bin/env bash
# libFuzzer campaign on one variant through the project's bridge (fuzz/bridge/dotnet-bridge.c, built
# with clang -fsanitize=fuzzer): N jobs on N workers (-jobs/-workers), each with its own .NET child,
# sharing one corpus directory, seeds corpus/seeds, dictionary corpus/mmfuzz.dict, bounded by time.
#
#   fuzz/libfuzzer.sh --variant NAME --seconds S [--jobs N] [--out DIR] [--keep-going]
#                     [--interleaving on|off] [--ignore KIND,...] [--beyond-history on] [--no-build]
#   a kernel state read from C instead of --variant (README, Bring your patch):
#     fuzz/libfuzzer.sh --kernel-tree DIR|--c FILE --base STATE [--patch P] [--functions F,...] --seconds S
#
# Each job stops at its first crash (libFuzzer's default); the others go on until S seconds. For long
# campaigns, --keep-going runs libFuzzer's fork mode (-fork=N -ignore_crashes=1) instead: every crash
# is saved and fuzzing goes on until S seconds.
# Re-running with the same --out continues from DIR/corpus. Crashes: DIR/crashes/crash-*; triage with
#   dotnet out/fuzz-target/mmfuzz.dll triage DIR/crashes --variant NAME --out corpus/regressions --fuzzer libFuzzer
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
variant="" seconds="" jobs="$(nproc)" out="" build=1 keep_going=0
target_args=()
. "$root/fuzz/campaign-options.sh"
while [ $# -gt 0 ]; do
  option_needs "$@"
  case "$1" in
    --variant) variant="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-going) keep_going=1; shift ;;
    --interleaving|--ignore|--beyond-history) target_args+=("$1" "$2"); shift 2 ;;
    --kernel-tree|--c|--base|--patch|--functions|--tree-files|--stub-header|--name) c_option "$1" "$2"; shift 2 ;;
    *) fail "unknown argument '$1' (see libfuzzer.sh --help)" ;;
  esac
done
check_required
target="$root/out/fuzz-target"
bridge="$root/out/dotnet-bridge"
[ "$build" = 1 ] || [ -f "$target/mmfuzz.dll" ] && [ -x "$bridge" ] || build=1
if [ "$build" = 1 ]; then
  command -v "${CC:-clang}" >/dev/null || { echo "libfuzzer.sh: ${CC:-clang} not found (apt-get install -y clang libclang-rt-14-dev)" >&2; exit 1; }
  "$root/fuzz/build-target.sh" "$target"
  ${CC:-clang} -O2 -Wall -fsanitize=fuzzer "$root/fuzz/bridge/dotnet-bridge.c" -o "$bridge"
fi
check_target "$target/mmfuzz.dll"
out="$(mkdir -p "${out:-$root/out/libfuzzer-$label}" && cd "${out:-$root/out/libfuzzer-$label}" && pwd)"
mkdir -p "$out/corpus" "$out/crashes"
# The target's options reach the .NET child as MMFUZZ_* environment variables (the bridge passes its environment on).
[ "$csrc" = 1 ] || export MMFUZZ_VARIANT="$variant"
# A state from C reaches the child as its own arguments (the bridge's --target_args, comma-separated).
child_args="$target/mmfuzz.dll,libfuzzer"
[ ${#csrc_args[@]} -eq 0 ] || child_args="$child_args$(printf ',%s' "${csrc_args[@]}")"
while [ ${#target_args[@]} -gt 0 ]; do
  case "${target_args[0]}" in
    --interleaving) export MMFUZZ_INTERLEAVING="${target_args[1]}" ;;
    --ignore) export MMFUZZ_IGNORE="${target_args[1]}" ;;
    --beyond-history) export MMFUZZ_BEYOND_HISTORY="${target_args[1]}" ;;
  esac
  target_args=("${target_args[@]:2}")
done
cd "$out"   # -jobs writes fuzz-N.log here
start=$(date +%s.%N)
set +e
if [ "$keep_going" = 1 ]; then parallel=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
else parallel=(-jobs="$jobs" -workers="$jobs"); fi
"$bridge" "${parallel[@]}" -max_total_time="$seconds" -timeout=10 -max_len=512 -print_final_stats=1 \
  -dict="$root/corpus/mmfuzz.dict" -artifact_prefix="$out/crashes/" \
  --target_path=dotnet --target_args="$child_args" \
  "$out/corpus" "$root/corpus/seeds" >"$out/libfuzzer.log" 2>&1
status=$?
set -e
end=$(date +%s.%N)
crashes=$(find "$out/crashes" -name 'crash-*' -type f | wc -l)
if [ "$keep_going" = 1 ]; then   # fork mode: the last "#N ... exec/s" status line counts every worker
  execs=$(grep -o '^#[0-9]*' "$out/libfuzzer.log" | tail -1 | tr -d '#'); execs=${execs:-0}
else
  execs=$(cat "$out"/fuzz-*.log 2>/dev/null | awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}')
fi
rate=$(awk -v e="$execs" -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", e / (b - a)}')
echo "libfuzzer.sh: $label, $jobs job(s), ${seconds}s: $execs execs (~$rate exec/s over the wall time), $crashes crash(es); out: $out"
# A job that ends at a crash exits nonzero; that is a finding, not a failure of the script.
[ "$crashes" -gt 0 ] || [ "$status" = 0 ] || { tail -30 "$out/libfuzzer.log" "$out"/fuzz-*.log >&2; exit "$status"; }
exit 0
