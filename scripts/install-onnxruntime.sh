#!/usr/bin/env bash
# Installs the reference runtime used by golden tests and benchmarks:
# onnxruntime-node@1.31.1 from npm into DEST (default: node_modules/ beside
# this repository's package root). --ignore-scripts skips its install script,
# which tries to download from a host outside the npm registry; the CPU
# binaries are already inside the npm package.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-$root}
if [ -f "$prefix/node_modules/onnxruntime-node/package.json" ] &&
   grep -q '"version": "1.31.1"' "$prefix/node_modules/onnxruntime-node/package.json"; then
    exit 0
fi
npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
    --prefix "$prefix" onnxruntime-node@1.31.1
node -e "require('$prefix/node_modules/onnxruntime-node'); console.log('onnxruntime-node 1.31.1 ready')"
