/* Times one model on our runtime: loads it, fills the input with a fixed
 * pattern, runs WARMUP times untimed, then RUNS timed runs, and prints
 *   ms=<median> macs=<multiply-accumulates> peak=<arena bytes>
 *   split=<smallest layer split over the threads, in multiply-adds>
 * on one line for run.sh. The warm-up covers the runs in which an instance
 * with several threads times its split candidates.
 * Usage: bench_runtime MODEL THREADS RUNS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "runtime/graph.h"
#include "runtime/runtime.h"

#define WARMUP 15

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    hf_rt_model *model = NULL;
    hf_rt_instance *inst = NULL;
    hf_rt_shape shape;

    if (argc != 4) {
        fprintf(stderr, "usage: %s MODEL THREADS RUNS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[2]), runs = atoi(argv[3]);
    hf_rt_instance_options options = {.threads = threads};
    if (threads < 1 || runs < 1) {
        fprintf(stderr, "THREADS and RUNS must be positive\n");
        return 2;
    }
    if (hf_rt_model_load_file(argv[1], NULL, &model) != HF_OK ||
        hf_rt_instance_create(model, &options, &inst) != HF_OK ||
        hf_rt_model_input_shape(model, 0, &shape) != HF_OK) {
        fprintf(stderr, "cannot load or instantiate %s\n", argv[1]);
        hf_rt_model_release(model);
        return 1;
    }
    float *input = hf_rt_instance_input(inst, 0);
    for (int64_t i = 0; i < hf_rt_shape_elements(&shape); i++)
        input[i] = (float)(i % 251) / 125.0f - 1.0f;

    double *times = malloc((size_t)runs * sizeof(double));
    if (times == NULL)
        return 1;
    for (int i = 0; i < WARMUP + runs; i++) {
        double start = now_ms();
        if (hf_rt_instance_run(inst) != HF_OK)
            return 1;
        if (i >= WARMUP)
            times[i - WARMUP] = now_ms() - start;
    }
    qsort(times, (size_t)runs, sizeof(double), compare_double);
    printf("ms=%.4f macs=%lld peak=%zu split=%.3g\n", times[runs / 2],
           (long long)hf_rt_model_macs(model), hf_rt_instance_peak_bytes(inst),
           hf_rt_instance_split_min_macs(inst));
    free(times);
    hf_rt_instance_destroy(inst);
    hf_rt_model_release(model);
    return 0;
}
