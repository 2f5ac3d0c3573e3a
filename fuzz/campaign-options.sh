# Sourced by afl.sh and libfuzzer.sh: what the two campaigns' command lines share. The calling
# script's header comment is its --help; errors name the script.
me="$(basename "$0")"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
fail() { echo "$me: $*" >&2; exit 2; }

# option_needs OPTION [VALUE ...]: --help ends the script; every option but the flags takes a value.
option_needs() {
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --secondary|--no-build|--until-crash|--keep-going) ;;
    --*) [ $# -ge 2 ] && [ -n "$2" ] || fail "$1 needs a value" ;;
  esac
}

# check_required: --variant and --seconds given, --jobs and --seconds positive integers.
check_required() {
  [ -n "$variant" ] && [ -n "$seconds" ] || { echo "usage: fuzz/$me --variant NAME --seconds S [--jobs N] [--out DIR]" >&2; exit 2; }
  case "$jobs" in ''|*[!0-9]*|0) fail "--jobs: '$jobs' is not a positive integer" ;; esac
  case "$seconds" in ''|*[!0-9]*|0) fail "--seconds: '$seconds' is not a positive integer" ;; esac
}

# check_target DLL: the target's own parser checks the variant and the target's options before the fuzzer starts.
check_target() {
  local err
  err="$(dotnet "$1" run-input /dev/null --variant "$variant" "${target_args[@]}" 2>&1 >/dev/null)" \
    || { [ -z "$err" ] || { err="${err%%$'\n'*}"; echo "$me: ${err#mmfuzz: }" >&2; exit 2; }; }
}
