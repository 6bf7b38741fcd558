/* Times each step of one model on our runtime, to find the layers that
 * dominate a run or that scale badly with threads. Runs the model
 * BENCH_WARMUP times untimed, then RUNS times. Prints one line per step
 * (index, op, convolution kernel, output shape, multiply-adds, median ms)
 * and then the sum of the medians. Usage: bench_layers MODEL THREADS RUNS */
#include <stdio.h>
#include <stdlib.h>

#include "bench_setup.h"
#include "runtime/graph.h"

static void print_shape(const hf_rt_shape *shape)
{
    char text[64];
    int used = 0;
    for (int i = 0; i < shape->rank && used < (int)sizeof text - 12; i++)
        used += snprintf(text + used, sizeof text - (size_t)used, "%s%lld", i ? "x" : "",
                         (long long)shape->dims[i]);
    if (used == 0)
        snprintf(text, sizeof text, "scalar");
    printf(" %-16s", text);
}

int main(int argc, char **argv)
{
    bench_setup setup;
    int status = bench_setup_open(argc, argv, &setup);
    if (status != 0)
        return status;

    const hf_rt_model *m = hf_rt_instance_model(setup.inst);
    int steps = m->step_count, runs = setup.runs;
    double *times = malloc((size_t)steps * (size_t)runs * sizeof(double));
    double *column = malloc((size_t)runs * sizeof(double));
    if (times == NULL || column == NULL)
        return 1;

    for (int run = 0; run < BENCH_WARMUP + runs; run++) {
        double *row = run >= BENCH_WARMUP ? times + (size_t)(run - BENCH_WARMUP) * (size_t)steps
                                          : NULL;
        if (hf_rt_instance_run_timed(setup.inst, row) != HF_OK)
            return 1;
    }

    double total = 0;
    printf("%4s %-22s %-26s %-16s %10s %9s\n", "step", "op", "kernel", "output", "macs", "ms");
    for (int s = 0; s < steps; s++) {
        const hf_rt_node *node = &m->nodes[m->steps[s]];
        for (int run = 0; run < runs; run++)
            column[run] = times[(size_t)run * (size_t)steps + (size_t)s];
        qsort(column, (size_t)runs, sizeof(double), bench_compare_double);
        double ms = column[runs / 2] * 1e3;
        total += ms;
        const char *kernel = node->conv_plan != NULL ? hf_conv_plan_kernel_name(node->conv_plan)
                                                     : "";
        printf("%4d %-22s %-26s", s, hf_rt_op_get(node->op)->name, kernel);
        print_shape(&m->tensors[node->outputs[0]].shape);
        printf(" %10lld %9.4f\n", (long long)node->macs, ms);
    }
    printf("sum of step medians: %.4f ms; layers split from %.3g multiply-adds\n", total,
           hf_rt_instance_split_min_macs(setup.inst));
    free(column);
    free(times);
    bench_setup_close(&setup);
    return 0;
}
