#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: one libFuzzer target per variant in $MMFUZZ_TARGETS (default: the
# safe states, where any crash is news), each a small wrapper script named *_fuzzer around the shared
# bridge binary and the self-contained, SharpFuzz-instrumented .NET harness; plus a seed corpus zip,
# a dictionary and an options file per target.
# Locally (what the README shows):
#   SRC=/tmp/cfl/src OUT=/tmp/cfl/out WORK=/tmp/cfl/work CC=clang CFLAGS="-O1 -fno-omit-frame-pointer -fsanitize=address" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer .clusterfuzzlite/build.sh      (with $SRC/mmfuzz -> the repo)
repo="${MMFUZZ_SRC:-$SRC/mmfuzz}"
targets="${MMFUZZ_TARGETS:-v6.13 folio-batch v6.10}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$OUT" "$work"
cd "$repo"

# 1. The harness, self-contained (the runner image has no .NET), and only its core instrumented.
harness="$OUT/mmfuzz_harness"
rm -rf "$harness"
dotnet publish fuzz/Fuzz.csproj -c Release -r linux-x64 --self-contained -o "$harness" >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }
dotnet tool restore >/dev/null
dotnet sharpfuzz "$harness/MmFuzz.Core.dll"

# 2. The bridge, with the engine's and the sanitizer's flags. Not named *_fuzzer: the wrappers are the targets.
$CC $CFLAGS -c fuzz/bridge/dotnet-bridge.c -o "$work/dotnet-bridge.o"
${CXX:-clang++} ${CXXFLAGS:-$CFLAGS} $LIB_FUZZING_ENGINE "$work/dotnet-bridge.o" -o "$OUT/mmfuzz_bridge"

# 3. One target per variant, with seeds, dictionary and options.
for v in $targets; do
  name="mmfuzz_$(echo "$v" | tr '.-' '__')_fuzzer"
  cat >"$OUT/$name" <<WRAP
#!/bin/sh
# $v: libFuzzer flags pass through; the bridge starts the .NET harness once and feeds it every input.
here="\$(cd "\$(dirname "\$0")" && pwd)"
MMFUZZ_VARIANT=$v exec "\$here/mmfuzz_bridge" "\$@" --target_path="\$here/mmfuzz_harness/mmfuzz" --target_arg=libfuzzer
WRAP
  chmod +x "$OUT/$name"
  rm -f "$OUT/${name}_seed_corpus.zip"
  zip -q -j "$OUT/${name}_seed_corpus.zip" corpus/seeds/*
  cp corpus/mmfuzz.dict "$OUT/$name.dict"
  printf '[libfuzzer]\nmax_len = 512\ntimeout = 10\n' >"$OUT/$name.options"
  echo "built $OUT/$name"
done
