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

# c_option OPTION VALUE: a kernel state read from C (--kernel-tree DIR or --c FILE, with --base
# STATE, and --patch, --functions, --tree-files, --stub-header, --name) goes to the target as it is.
csrc_args=() base="" cname="" csrc=0
c_option() {
  case "$2" in *,*) fail "$1: '$2' holds a comma, which the target's argument list cannot carry" ;; esac
  local value="$2"
  # Paths become absolute: the fuzzers start the target from their own working directory.
  case "$1" in --kernel-tree|--c|--patch|--stub-header) [ ! -e "$value" ] || value="$(readlink -f "$value")" ;; esac
  csrc_args+=("$1" "$value")
  case "$1" in
    --kernel-tree|--c) csrc=1 ;;
    --base) base="$2" ;;
    --name) cname="$2" ;;
  esac
}

# check_required: --variant (or --kernel-tree/--c with --base) and --seconds given, --jobs and
# --seconds positive integers. Sets label (the campaign's name in folders) and variant_args.
check_required() {
  if [ "$csrc" = 1 ]; then
    [ -z "$variant" ] || fail "--variant and --kernel-tree/--c: give one of them"
    [ -n "$base" ] || fail "--kernel-tree/--c needs --base STATE"
    label="${cname:-$base+c}"
    variant_args=("${csrc_args[@]}")
  else
    [ ${#csrc_args[@]} -eq 0 ] || fail "--base, --patch, --functions, --tree-files, --stub-header and --name go with --kernel-tree or --c"
    label="$variant"
    variant_args=(--variant "$variant")
  fi
  [ -n "$label" ] && [ -n "$seconds" ] || { echo "usage: fuzz/$me --variant NAME --seconds S [--jobs N] [--out DIR]" >&2; exit 2; }
  case "$jobs" in ''|*[!0-9]*|0) fail "--jobs: '$jobs' is not a positive integer" ;; esac
  case "$seconds" in ''|*[!0-9]*|0) fail "--seconds: '$seconds' is not a positive integer" ;; esac
}

# check_target DLL: the target's own parser checks the variant and the target's options before the fuzzer starts.
check_target() {
  local err
  err="$(dotnet "$1" run-input /dev/null "${variant_args[@]}" "${target_args[@]}" 2>&1 >/dev/null | grep -v '^  \|ports with C in place of:$')" \
    || { [ -z "$err" ] || { err="${err%%$'\n'*}"; echo "$me: ${err#mmfuzz: }" >&2; exit 2; }; }
}
