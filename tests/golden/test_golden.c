/* Runs every model of the pack on the inputs stored in the golden files and
 * compares each output with ONNX Runtime's, which generate.js wrote into
 * the build folder. Tolerance per output tensor:
 * max |ours - ort| <= 1e-4 + 1e-3 * max |ort|, and the same argmax. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "runtime/runtime.h"

typedef struct golden_tensor {
    char name[256];
    hf_rt_shape shape;
    float *data;
} golden_tensor;

typedef struct golden_file {
    golden_tensor inputs[4];
    int input_count;
    golden_tensor outputs[16];
    int output_count;
} golden_file;

typedef struct golden_case {
    const char *model; /* path under models/ */
    const char *kind;  /* "random" or "face" */
    int threads;
} golden_case;

static int read_u32(FILE *file, uint32_t *value)
{
    unsigned char b[4];
    if (fread(b, 1, 4, file) != 4)
        return 0;
    *value = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static int read_tensor(FILE *file, golden_tensor *t)
{
    uint32_t length, rank;

    if (!read_u32(file, &length) || length >= sizeof(t->name) ||
        fread(t->name, 1, length, file) != length)
        return 0;
    t->name[length] = '\0';
    if (!read_u32(file, &rank) || rank > HF_RT_MAX_RANK)
        return 0;
    t->shape.rank = (int)rank;
    for (uint32_t i = 0; i < rank; i++)
        if (fread(&t->shape.dims[i], 8, 1, file) != 1)
            return 0;
    size_t count = (size_t)hf_rt_shape_elements(&t->shape);
    t->data = malloc(count * sizeof(float) + 1);
    return t->data != NULL && fread(t->data, sizeof(float), count, file) == count;
}

static int read_list(FILE *file, golden_tensor *list, int max, int *count)
{
    uint32_t n;
    if (!read_u32(file, &n) || n > (uint32_t)max)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_tensor(file, &list[i]))
            return 0;
        *count = (int)i + 1;
    }
    return 1;
}

static void golden_free(golden_file *g)
{
    for (int i = 0; i < g->input_count; i++)
        free(g->inputs[i].data);
    for (int i = 0; i < g->output_count; i++)
        free(g->outputs[i].data);
}

static void golden_read(const golden_case *c, golden_file *g)
{
    char path[1024], magic[8];
    const char *base = strrchr(c->model, '/') + 1;

    snprintf(path, sizeof(path), "%s/golden/%.*s_%s.bin", HF_BINARY_DIR,
             (int)(strlen(base) - strlen(".onnx")), base, c->kind);
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        fail_msg("golden file %s is missing: run the golden_generate test (node "
                 "tests/golden/generate.js) first", path);
    int ok = fread(magic, 1, 8, file) == 8 && memcmp(magic, "HFGOLD1", 8) == 0 &&
             read_list(file, g->inputs, 4, &g->input_count) &&
             read_list(file, g->outputs, 16, &g->output_count);
    fclose(file);
    if (!ok)
        fail_msg("golden file %s is truncated or malformed", path);
}

static size_t argmax(const float *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}

static void compare_output(const golden_case *c, const golden_tensor *expected,
                           const float *actual, const hf_rt_shape *shape)
{
    size_t count = (size_t)hf_rt_shape_elements(&expected->shape);
    double max_ref = 0.0, max_err = 0.0;
    size_t worst = 0;

    assert_int_equal(shape->rank, expected->shape.rank);
    for (int d = 0; d < shape->rank; d++)
        assert_int_equal(shape->dims[d], expected->shape.dims[d]);
    for (size_t i = 0; i < count; i++) {
        double err = fabs((double)actual[i] - expected->data[i]);
        max_ref = fmax(max_ref, fabs(expected->data[i]));
        if (err > max_err || isnan(err)) {
            max_err = isnan(err) ? INFINITY : err;
            worst = i;
        }
    }
    double tolerance = 1e-4 + 1e-3 * max_ref;
    printf("[ golden   ] %s %s threads %d output %s: max error %.3g (tolerance %.3g)\n",
           c->model, c->kind, c->threads, expected->name, max_err, tolerance);
    if (max_err > tolerance)
        fail_msg("%s output %s[%zu]: ours %.7g, onnxruntime %.7g, error %.3g > %.3g", c->model,
                 expected->name, worst, actual[worst], expected->data[worst], max_err,
                 tolerance);
    size_t ours = argmax(actual, count), ref = argmax(expected->data, count);
    if (ours != ref && actual[ours] != actual[ref])
        fail_msg("%s output %s: argmax ours %zu (%.7g), onnxruntime %zu (%.7g)", c->model,
                 expected->name, ours, actual[ours], ref, expected->data[ref]);
}

static void test_model(void **state)
{
    const golden_case *c = *state;
    golden_file g = {0};
    hf_rt_model *model = NULL;
    hf_rt_instance *inst = NULL;
    hf_rt_instance_options options = {.threads = c->threads};
    char path[1024];

    golden_read(c, &g);
    snprintf(path, sizeof(path), "%s/models/%s", HF_SOURCE_DIR, c->model);
    assert_int_equal(hf_rt_model_load_file(path, NULL, &model), HF_OK);
    assert_int_equal(hf_rt_instance_create(model, &options, &inst), HF_OK);
    assert_int_equal(hf_rt_model_input_count(model), g.input_count);
    assert_int_equal(hf_rt_model_output_count(model), g.output_count);

    for (int i = 0; i < g.input_count; i++) {
        hf_rt_shape shape;
        assert_int_equal(hf_rt_model_input_shape(model, i, &shape), HF_OK);
        assert_int_equal(hf_rt_shape_elements(&shape), hf_rt_shape_elements(&g.inputs[i].shape));
        memcpy(hf_rt_instance_input(inst, i), g.inputs[i].data,
               (size_t)hf_rt_shape_elements(&shape) * sizeof(float));
    }
    assert_int_equal(hf_rt_instance_run(inst), HF_OK);
    for (int i = 0; i < g.output_count; i++) {
        hf_rt_shape shape;
        const float *out = hf_rt_instance_output(inst, i, &shape);
        assert_non_null(out);
        assert_string_equal(hf_rt_model_output_name(model, i), g.outputs[i].name);
        compare_output(c, &g.outputs[i], out, &shape);
    }
    printf("[ golden   ] %s threads %d: arena %zu bytes\n", c->model, c->threads,
           hf_rt_instance_peak_bytes(inst));
    hf_rt_instance_destroy(inst);
    hf_rt_model_release(model);
    golden_free(&g);
}

#define MODEL_CASES(path)                                                                   \
    {path, "random", 1}, {path, "face", 1}, {path, "face", 2}

static const golden_case cases[] = {
    MODEL_CASES("faceplugin/model/fr_detect.onnx"),
    MODEL_CASES("faceplugin/model/fr_landmark.onnx"),
    MODEL_CASES("faceplugin/model/fr_feature.onnx"),
    MODEL_CASES("faceplugin/model/fr_liveness.onnx"),
    MODEL_CASES("faceplugin/model/fr_eye.onnx"),
    MODEL_CASES("faceplugin/model/fr_pose.onnx"),
    MODEL_CASES("faceplugin/model/fr_age.onnx"),
    MODEL_CASES("faceplugin/model/fr_gender.onnx"),
    MODEL_CASES("faceplugin/model/fr_expression.onnx"),
    MODEL_CASES("blazeface/ONNX/face_detection_front_128x128_barracuda.onnx"),
    MODEL_CASES("blazeface/ONNX/face_detection_back_256x256_barracuda.onnx"),
};

int main(void)
{
    enum { COUNT = sizeof(cases) / sizeof(cases[0]) };
    struct CMUnitTest tests[COUNT];
    static char names[COUNT][160];

    for (int i = 0; i < COUNT; i++) {
        snprintf(names[i], sizeof(names[i]), "%s %s threads %d", strrchr(cases[i].model, '/') + 1,
                 cases[i].kind, cases[i].threads);
        tests[i] = (struct CMUnitTest){names[i], test_model, NULL, NULL, (void *)&cases[i]};
    }
    return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
