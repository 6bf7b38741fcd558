#!/usr/bin/env bash
# Builds the default model pack: fetches and checks the pinned models with
# scripts/fetch-models.sh, then writes OUT (default: build/default.pack) from
# tools/pack/default-pack.json. Any model whose sha256 differs from
# tools/pack/models.sha256 stops the build.
#
# Environment: HF_PACK_TOOL names a built hf-pack program (otherwise one is
# compiled with cc into a temporary folder); HF_MODELS_DIR overrides the
# model folder (default: models/ in the repository).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/default.pack}
models=${HF_MODELS_DIR:-$root/models}
tool=${HF_PACK_TOOL:-}
work=""
trap '[ -n "$work" ] && rm -rf "$work"' EXIT

"$root/scripts/fetch-models.sh" "$models"

if [ -z "$tool" ]; then
    work=$(mktemp -d)
    cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/src" -o "$work/hf-pack" \
        "$root/tools/pack/pack_tool.c" "$root"/src/pack/*.c \
        "$root/src/base/alloc.c" "$root/src/base/log.c" "$root/src/base/status.c" -lm -lpthread
    tool=$work/hf-pack
fi

# Written beside OUT and renamed, so a program reading OUT never sees a
# half-written pack. The partial file is named per process because two
# tests (pack_build_default and integration_pack) may build the same pack at
# once under ctest -j.
mkdir -p "$(dirname "$out")"
partial="$out.partial.$$"
"$tool" build "$root/tools/pack/default-pack.json" "$models/faceplugin/model" \
    "$root/tools/pack/models.sha256" "$partial"
mv -f "$partial" "$out"
echo "build-pack: wrote $out"
