/* Times one model on our runtime: loads it, fills the input with a fixed
 * pattern, runs BENCH_WARMUP times untimed, then RUNS timed runs, and
 * prints
 *   ms=<median> macs=<multiply-accumulates> peak=<arena bytes>
 *   split=<smallest layer split over the threads, in multiply-adds>
 * on one line for run.sh. Usage: bench_runtime MODEL THREADS RUNS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_setup.h"
#include "runtime/graph.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    bench_setup setup;
    int status = bench_setup_open(argc, argv, &setup);
    if (status != 0)
        return status;

    int runs = setup.runs;
    double *times = malloc((size_t)runs * sizeof(double));
    if (times == NULL)
        return 1;
    for (int i = 0; i < BENCH_WARMUP + runs; i++) {
        double start = now_ms();
        if (hf_rt_instance_run(setup.inst) != HF_OK)
            return 1;
        if (i >= BENCH_WARMUP)
            times[i - BENCH_WARMUP] = now_ms() - start;
    }
    qsort(times, (size_t)runs, sizeof(double), bench_compare_double);
    printf("ms=%.4f macs=%lld peak=%zu split=%.3g\n", times[runs / 2],
           (long long)hf_rt_model_macs(setup.model), hf_rt_instance_peak_bytes(setup.inst),
           hf_rt_instance_split_min_macs(setup.inst));
    free(times);
    bench_setup_close(&setup);
    return 0;
}
