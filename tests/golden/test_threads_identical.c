/* Every model gives bit-identical outputs on 1, 2 and 3 threads, through
 * the runs in which an instance times its split candidates and after them:
 * the choice of which layers to split must never change a result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/graph.h"
#include "runtime/runtime.h"

/* More runs than the split tuning's warm-up and timed runs together. */
#define RUNS 16

static const char *const models[] = {
    "faceplugin/model/fr_detect.onnx",
    "faceplugin/model/fr_landmark.onnx",
    "faceplugin/model/fr_feature.onnx",
    "faceplugin/model/fr_liveness.onnx",
    "faceplugin/model/fr_eye.onnx",
    "faceplugin/model/fr_pose.onnx",
    "faceplugin/model/fr_age.onnx",
    "faceplugin/model/fr_gender.onnx",
    "faceplugin/model/fr_expression.onnx",
    "blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
    "blazeface/ONNX/face_detection_back_256x256_barracuda.onnx",
};

static hf_rt_instance *create_filled(hf_rt_model *model, int threads)
{
    hf_rt_instance_options options = {.threads = threads};
    hf_rt_instance *inst = NULL;

    assert_int_equal(hf_rt_instance_create(model, &options, &inst), HF_OK);
    for (int i = 0; i < hf_rt_model_input_count(model); i++) {
        hf_rt_shape shape;
        assert_int_equal(hf_rt_model_input_shape(model, i, &shape), HF_OK);
        float *input = hf_rt_instance_input(inst, i);
        for (int64_t k = 0; k < hf_rt_shape_elements(&shape); k++)
            input[k] = (float)((k * 7919 + i) % 251) / 125.0f - 1.0f;
    }
    return inst;
}

static void compare_outputs(const char *name, int threads, int run, hf_rt_model *model,
                            float *const *expected, const hf_rt_instance *inst)
{
    for (int o = 0; o < hf_rt_model_output_count(model); o++) {
        hf_rt_shape shape;
        const float *actual = hf_rt_instance_output(inst, o, &shape);
        assert_non_null(actual);
        int64_t count = hf_rt_shape_elements(&shape);
        for (int64_t k = 0; k < count; k++)
            if (memcmp(&actual[k], &expected[o][k], sizeof(float)) != 0)
                fail_msg("%s, %d threads, run %d, output %d, element %lld: %.9g, 1 thread "
                         "%.9g (layers split from %.3g multiply-adds)",
                         name, threads, run, o, (long long)k, (double)actual[k],
                         (double)expected[o][k], hf_rt_instance_split_min_macs(inst));
    }
}

static void threads_identical(void **state)
{
    const char *name = *(const char *const *)*state;
    char path[1024];
    hf_rt_model *model = NULL;
    float *expected[16] = {0};

    snprintf(path, sizeof(path), "%s/models/%s", HF_SOURCE_DIR, name);
    assert_int_equal(hf_rt_model_load_file(path, NULL, &model), HF_OK);
    int outputs = hf_rt_model_output_count(model);
    assert_true(outputs <= 16);

    hf_rt_instance *single = create_filled(model, 1);
    assert_int_equal(hf_rt_instance_run(single), HF_OK);
    for (int o = 0; o < outputs; o++) {
        hf_rt_shape shape;
        const float *out = hf_rt_instance_output(single, o, &shape);
        assert_non_null(out);
        size_t bytes = (size_t)hf_rt_shape_elements(&shape) * sizeof(float);
        expected[o] = malloc(bytes);
        assert_non_null(expected[o]);
        memcpy(expected[o], out, bytes);
    }
    hf_rt_instance_destroy(single);

    for (int threads = 2; threads <= 3; threads++) {
        hf_rt_instance *inst = create_filled(model, threads);
        for (int run = 0; run < RUNS; run++) {
            assert_int_equal(hf_rt_instance_run(inst), HF_OK);
            compare_outputs(name, threads, run, model, expected, inst);
        }
        hf_rt_instance_destroy(inst);
    }
    for (int o = 0; o < outputs; o++)
        free(expected[o]);
    hf_rt_model_release(model);
}

int main(void)
{
    enum { COUNT = sizeof(models) / sizeof(models[0]) };
    struct CMUnitTest tests[COUNT];

    for (int i = 0; i < COUNT; i++)
        tests[i] = (struct CMUnitTest){strrchr(models[i], '/') + 1, threads_identical, NULL,
                                       NULL, (void *)&models[i]};
    return cmocka_run_group_tests_name("threads identical", tests, NULL, NULL);
}
