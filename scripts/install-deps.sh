#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and run inspireface-c.
# Run as root. Skips apt-get entirely when everything is already installed.
set -euo pipefail

packages=(
    build-essential cmake pkg-config git ca-certificates
    libjpeg-dev libpng-dev libwebp-dev libsqlite3-dev libcmocka-dev
    clang libclang-rt-14-dev   # fuzz targets and sanitizer runtimes
    opencv-doc                 # messi5.jpg, the README's first photo
)
# Node.js and npm fetch the models and run ONNX Runtime, the reference in
# tests. A node that is already installed (from any source) is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi
if [ "${HF_INSTALL_BENCH_DEPS:-0}" = 1 ]; then
    packages+=(python3 python3-numpy python3-faiss linux-perf)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all Debian packages present"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
