#!/usr/bin/env bash
# Publishes the fuzz target (fuzz/, Release) into DIR and instruments ONLY the core assembly
# (MmFuzz.Core.dll) with SharpFuzz, from the repo's local tool manifest. Used by afl.sh and libfuzzer.sh.
#   fuzz/build-target.sh DIR [extra dotnet publish args]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: build-target.sh DIR}"; shift
cd "$root"
dotnet tool restore >/dev/null
mkdir -p "$(dirname "$dir")"
tmp="$dir.tmp.$$"
rm -rf "$tmp"
dotnet publish fuzz/Fuzz.csproj -c Release -o "$tmp" -p:UseAppHost=true "$@" >"$tmp.log" 2>&1 \
  || { cat "$tmp.log" >&2; echo "build-target.sh: dotnet publish failed" >&2; exit 1; }
rm -f "$tmp.log"
# Instrument a fresh publish exactly once (a second run exits 1: "already instrumented").
dotnet sharpfuzz "$tmp/MmFuzz.Core.dll" >/dev/null
rm -rf "$dir"
mv "$tmp" "$dir"
echo "fuzz target: $dir/mmfuzz.dll (MmFuzz.Core.dll instrumented)" >&2
