#!/usr/bin/env bash
# The test command: installs what the tests need, builds the library twice
# (optimised, then with AddressSanitizer + UndefinedBehaviorSanitizer) and
# runs the whole CTest suite in both builds, then the ThreadSanitizer tests.
# Expects ../shared (the shared test data) beside the repository.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)

if [ ! -d "$root/../shared/data/images" ]; then
    echo "test: ../shared/data/images is missing; the tests read their images from there" >&2
    exit 1
fi

scripts/install-deps.sh
scripts/fetch-models.sh "$root/models"
scripts/install-onnxruntime.sh "$root"

run_suite() { # build-folder extra-cmake-flags...
    local folder=$1
    shift
    cmake -S "$root" -B "$root/$folder" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$root/$folder" -j"$jobs"
    (cd "$root/$folder" && ctest --output-on-failure --timeout 1500 -j"$jobs" -LE tsan)
}

echo "== optimised build =="
run_suite build
echo "== ASan + UBSan build =="
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite build-asan -DHF_SANITIZE=ON -DHF_BUILD_BENCH=OFF

echo "== ThreadSanitizer build (tests labelled tsan) =="
cmake -S "$root" -B "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHF_TSAN=ON \
    -DHF_BUILD_BENCH=OFF >/dev/null
cmake --build "$root/build-tsan" -j"$jobs"
(cd "$root/build-tsan" && ctest --output-on-failure --timeout 1500 -L tsan --no-tests=ignore)
echo "test: all suites passed"
