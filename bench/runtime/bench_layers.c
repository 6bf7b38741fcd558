/* Times each step of one model on our runtime, to find the layers that
 * dominate a run or that scale badly with threads. Runs the model WARMUP
 * times untimed, then RUNS times, and prints one line per step: index, op,
 * convolution kernel, output shape, multiply-adds, median ms; then the sum
 * of the medians. Usage: bench_layers MODEL THREADS RUNS */
#include <stdio.h>
#include <stdlib.h>

#include "runtime/graph.h"
#include "runtime/runtime.h"

#define WARMUP 15

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

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
    hf_rt_model *model = NULL;
    hf_rt_instance *inst = NULL;

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
        hf_rt_instance_create(model, &options, &inst) != HF_OK) {
        fprintf(stderr, "cannot load or instantiate %s\n", argv[1]);
        hf_rt_model_release(model);
        return 1;
    }
    const hf_rt_model *m = hf_rt_instance_model(inst);
    int steps = m->step_count;
    double *times = malloc((size_t)steps * (size_t)runs * sizeof(double));
    double *column = malloc((size_t)runs * sizeof(double));
    if (times == NULL || column == NULL)
        return 1;

    float *input = hf_rt_instance_input(inst, 0);
    hf_rt_shape shape;
    if (hf_rt_model_input_shape(model, 0, &shape) != HF_OK)
        return 1;
    for (int64_t i = 0; i < hf_rt_shape_elements(&shape); i++)
        input[i] = (float)(i % 251) / 125.0f - 1.0f;

    for (int run = 0; run < WARMUP + runs; run++) {
        double *row = run >= WARMUP ? times + (size_t)(run - WARMUP) * (size_t)steps : NULL;
        if (hf_rt_instance_run_timed(inst, row) != HF_OK)
            return 1;
    }

    double total = 0;
    printf("%4s %-22s %-26s %-16s %10s %9s\n", "step", "op", "kernel", "output", "macs", "ms");
    for (int s = 0; s < steps; s++) {
        const hf_rt_node *node = &m->nodes[m->steps[s]];
        for (int run = 0; run < runs; run++)
            column[run] = times[(size_t)run * (size_t)steps + (size_t)s];
        qsort(column, (size_t)runs, sizeof(double), compare_double);
        double ms = column[runs / 2] * 1e3;
        total += ms;
        const char *kernel = node->conv_plan != NULL ? hf_conv_plan_kernel_name(node->conv_plan)
                                                     : "";
        printf("%4d %-22s %-26s", s, hf_rt_op_get(node->op)->name, kernel);
        print_shape(&m->tensors[node->outputs[0]].shape);
        printf(" %10lld %9.4f\n", (long long)node->macs, ms);
    }
    printf("sum of step medians: %.4f ms; layers split from %.3g multiply-adds\n", total,
           hf_rt_instance_split_min_macs(inst));
    free(column);
    free(times);
    hf_rt_instance_destroy(inst);
    hf_rt_model_release(model);
    return 0;
}
