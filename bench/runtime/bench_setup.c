#include "bench_setup.h"

#include <stdio.h>
#include <stdlib.h>

int bench_setup_open(int argc, char **argv, bench_setup *setup)
{
    hf_rt_shape shape;

    *setup = (bench_setup){0};
    if (argc != 4) {
        fprintf(stderr, "usage: %s MODEL THREADS RUNS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[2]);
    hf_rt_instance_options options = {.threads = threads};
    setup->runs = atoi(argv[3]);
    if (threads < 1 || setup->runs < 1) {
        fprintf(stderr, "THREADS and RUNS must be positive\n");
        return 2;
    }
    if (hf_rt_model_load_file(argv[1], NULL, &setup->model) != HF_OK ||
        hf_rt_instance_create(setup->model, &options, &setup->inst) != HF_OK ||
        hf_rt_model_input_shape(setup->model, 0, &shape) != HF_OK) {
        fprintf(stderr, "cannot load or instantiate %s\n", argv[1]);
        bench_setup_close(setup);
        return 1;
    }
    float *input = hf_rt_instance_input(setup->inst, 0);
    for (int64_t i = 0; i < hf_rt_shape_elements(&shape); i++)
        input[i] = (float)(i % 251) / 125.0f - 1.0f;
    return 0;
}

void bench_setup_close(bench_setup *setup)
{
    hf_rt_instance_destroy(setup->inst);
    hf_rt_model_release(setup->model);
    *setup = (bench_setup){0};
}

int bench_compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
