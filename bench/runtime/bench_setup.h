/* What bench_runtime and bench_layers share: the command line MODEL THREADS
 * RUNS, loading the model into an instance, the input pattern (the same as
 * ort_bench.js uses) and the warm-up length. */
#ifndef HF_BENCH_RUNTIME_BENCH_SETUP_H
#define HF_BENCH_RUNTIME_BENCH_SETUP_H

#include "runtime/runtime.h"

/* Untimed runs before the timed ones. They cover the runs in which an
 * instance with several threads times its split candidates. */
#define BENCH_WARMUP 15

typedef struct bench_setup {
    hf_rt_model *model;
    hf_rt_instance *inst;
    int runs;
} bench_setup;

/* Parses MODEL THREADS RUNS, loads the model, creates an instance and fills
 * its first input with (i % 251) / 125 - 1. Returns 0, or the exit code
 * after printing why to stderr (2 for usage, 1 for a model that fails). */
int bench_setup_open(int argc, char **argv, bench_setup *setup);

void bench_setup_close(bench_setup *setup);

/* qsort comparison of doubles, for medians. */
int bench_compare_double(const void *a, const void *b);

#endif
