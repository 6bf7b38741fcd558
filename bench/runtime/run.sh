#!/usr/bin/env bash
# Benchmarks our runtime against ONNX Runtime (onnxruntime-node) on the
# default-pack models at 1 and 2 threads. For each model and thread count
# the two runtimes alternate for ROUNDS rounds of RUNS timed runs each, and
# the lower of each side's per-round medians is kept, so a burst of load
# from other processes hurts both sides alike. "split from" is the smallest
# layer (multiply-adds) that our instance chose to split over its threads
# in its last round (0 at 1 thread, inf for none).
#
# Usage: bench/runtime/run.sh [BUILD_DIR] [RUNS] [ROUNDS]
# (defaults: build-runtime, 60, 2). Models are read from models/faceplugin.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-runtime}
runs=${2:-60}
rounds=${3:-2}
ours=$build/bench/runtime/bench_runtime
ort="node $root/bench/runtime/ort_bench.js"
models="fr_detect fr_landmark fr_feature fr_liveness fr_eye fr_pose fr_expression"

if [ ! -x "$ours" ]; then
    echo "bench_runtime not found in $build: build the project first" >&2
    exit 1
fi

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

printf '%-14s %7s %10s %10s %8s %12s %12s %10s\n' model threads "ours ms" "ORT ms" ratio \
    "ours GFLOP/s" "peak bytes" "split from"
log1=0 log2=0 n1=0 n2=0
for name in $models; do
    model=$root/models/faceplugin/model/$name.onnx
    for threads in 1 2; do
        best_ours="" best_ort=""
        for ((round = 0; round < rounds; round++)); do
            line=$("$ours" "$model" "$threads" "$runs")
            ms=$(echo "$line" | field ms)
            macs=$(echo "$line" | field macs)
            peak=$(echo "$line" | field peak)
            split=$(echo "$line" | sed -n 's/.*split=\([^ ]*\).*/\1/p')
            ort_ms=$($ort "$model" "$threads" "$runs" | field ms)
            best_ours=$(awk -v a="$ms" -v b="$best_ours" 'BEGIN { print (b == "" || a < b) ? a : b }')
            best_ort=$(awk -v a="$ort_ms" -v b="$best_ort" 'BEGIN { print (b == "" || a < b) ? a : b }')
        done
        ratio=$(awk -v a="$best_ours" -v b="$best_ort" 'BEGIN { printf "%.2f", a / b }')
        gflops=$(awk -v m="$macs" -v t="$best_ours" 'BEGIN { printf "%.1f", 2 * m / (t * 1e6) }')
        printf '%-14s %7d %10.3f %10.3f %8s %12s %12s %10s\n' "$name" "$threads" "$best_ours" \
            "$best_ort" "$ratio" "$gflops" "$peak" "$split"
        if [ "$threads" = 1 ]; then
            log1=$(awk -v s="$log1" -v r="$ratio" 'BEGIN { print s + log(r) }'); n1=$((n1 + 1))
        else
            log2=$(awk -v s="$log2" -v r="$ratio" 'BEGIN { print s + log(r) }'); n2=$((n2 + 1))
        fi
    done
done
awk -v a="$log1" -v n="$n1" -v b="$log2" -v m="$n2" 'BEGIN {
    printf "geomean ratio ours/onnxruntime: 1 thread %.2f, 2 threads %.2f\n", exp(a / n), exp(b / m) }'
