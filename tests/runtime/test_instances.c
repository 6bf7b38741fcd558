/* Instance life cycle and sharing: one model used by several instances in
 * parallel threads gives the same outputs as sequential runs, and the model
 * stays alive until its last instance is destroyed. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/runtime.h"

#define RUNS_PER_THREAD 4

static hf_rt_model *load(const char *name)
{
    char path[1024];
    hf_rt_model *model = NULL;

    snprintf(path, sizeof(path), "%s/models/faceplugin/model/%s", HF_SOURCE_DIR, name);
    if (hf_rt_model_load_file(path, NULL, &model) != HF_OK)
        fail_msg("cannot load %s: run scripts/fetch-models.sh", path);
    return model;
}

static void fill(float *input, int64_t count, int seed)
{
    for (int64_t i = 0; i < count; i++)
        input[i] = (float)((i * 31 + seed * 17) % 255) / 128.0f - 1.0f;
}

typedef struct worker {
    hf_rt_model *model;
    int seed;
    int64_t in_count, out_count;
    const float *expected;
    int mismatches;
    int failures;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    hf_rt_instance *inst = NULL;
    hf_rt_instance_options options = {.threads = 1 + w->seed % 2};

    if (hf_rt_instance_create(w->model, &options, &inst) != HF_OK) {
        w->failures++;
        return NULL;
    }
    for (int r = 0; r < RUNS_PER_THREAD; r++) {
        fill(hf_rt_instance_input(inst, 0), w->in_count, w->seed);
        if (hf_rt_instance_run(inst) != HF_OK) {
            w->failures++;
            continue;
        }
        const float *out = hf_rt_instance_output(inst, 0, NULL);
        /* The same input on the same kernels gives bit-identical results. */
        if (memcmp(out, w->expected, (size_t)w->out_count * sizeof(float)) != 0)
            w->mismatches++;
    }
    hf_rt_instance_destroy(inst);
    return NULL;
}

static void parallel_instances(void **state)
{
    (void)state;
    hf_rt_model *model = load("fr_feature.onnx");
    hf_rt_shape in_shape, out_shape;
    float *expected[2];
    worker workers[4];
    pthread_t threads[4];

    assert_int_equal(hf_rt_model_input_shape(model, 0, &in_shape), HF_OK);
    assert_int_equal(hf_rt_model_output_shape(model, 0, &out_shape), HF_OK);
    int64_t in_count = hf_rt_shape_elements(&in_shape);
    int64_t out_count = hf_rt_shape_elements(&out_shape);
    for (int seed = 0; seed < 2; seed++) {
        hf_rt_instance *inst = NULL;
        hf_rt_instance_options options = {.threads = 1 + seed};
        assert_int_equal(hf_rt_instance_create(model, &options, &inst), HF_OK);
        fill(hf_rt_instance_input(inst, 0), in_count, seed);
        assert_int_equal(hf_rt_instance_run(inst), HF_OK);
        expected[seed] = malloc((size_t)out_count * sizeof(float));
        assert_non_null(expected[seed]);
        memcpy(expected[seed], hf_rt_instance_output(inst, 0, NULL),
               (size_t)out_count * sizeof(float));
        hf_rt_instance_destroy(inst);
    }
    for (int i = 0; i < 4; i++) {
        workers[i] = (worker){.model = model, .seed = i % 2, .in_count = in_count,
                              .out_count = out_count, .expected = expected[i % 2]};
        assert_int_equal(pthread_create(&threads[i], NULL, worker_main, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(workers[i].failures, 0);
        assert_int_equal(workers[i].mismatches, 0);
    }
    free(expected[0]);
    free(expected[1]);
    hf_rt_model_release(model);
}

static void instance_keeps_model(void **state)
{
    (void)state;
    hf_rt_model *model = load("fr_eye.onnx");
    hf_rt_instance *inst = NULL;
    hf_rt_shape shape;

    assert_int_equal(hf_rt_instance_create(model, NULL, &inst), HF_OK);
    hf_rt_model_release(model);
    assert_null(hf_rt_instance_output(inst, 0, &shape));
    assert_null(hf_rt_instance_input(inst, 1));
    assert_null(hf_rt_instance_input(inst, -1));
    assert_non_null(hf_rt_instance_input(inst, 0));
    assert_true(hf_rt_instance_peak_bytes(inst) > 0);
    assert_int_equal(hf_rt_instance_run(inst), HF_OK);
    assert_non_null(hf_rt_instance_output(inst, 0, &shape));
    assert_int_equal(shape.rank, 2);
    assert_int_equal(shape.dims[1], 2);
    assert_null(hf_rt_instance_output(inst, 1, NULL));
    hf_rt_instance_destroy(inst);
}

static void model_queries(void **state)
{
    (void)state;
    hf_rt_model *model = load("fr_pose.onnx");
    hf_rt_shape shape;

    assert_int_equal(hf_rt_model_input_count(model), 1);
    assert_int_equal(hf_rt_model_output_count(model), 3);
    assert_string_equal(hf_rt_model_input_name(model, 0), "input");
    assert_string_equal(hf_rt_model_output_name(model, 0), "output");
    assert_string_equal(hf_rt_model_output_name(model, 2), "618");
    assert_null(hf_rt_model_output_name(model, 3));
    assert_int_equal(hf_rt_model_input_shape(model, 0, &shape), HF_OK);
    assert_int_equal(shape.rank, 4);
    assert_int_equal(shape.dims[2], 224);
    assert_int_equal(hf_rt_model_output_shape(model, 3, &shape), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_rt_model_input_shape(model, 0, NULL), HF_ERR_INVALID_ARG);
    /* Conv and Gemm multiply-accumulates of this ShuffleNet-V2 at 224x224,
     * counted from ONNX shape inference: 144.1 million. */
    assert_in_range(hf_rt_model_macs(model), 144050000, 144150000);
    assert_int_equal(hf_rt_model_input_count(NULL), 0);
    assert_int_equal(hf_rt_model_macs(NULL), 0);
    hf_rt_model_release(model);
    hf_rt_model_release(NULL);
    hf_rt_instance_destroy(NULL);
    assert_int_equal(hf_rt_instance_run(NULL), HF_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parallel_instances),
        cmocka_unit_test(instance_keeps_model),
        cmocka_unit_test(model_queries),
    };
    return cmocka_run_group_tests_name("runtime instances", tests, NULL, NULL);
}
