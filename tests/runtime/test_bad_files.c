/* Malformed, truncated, corrupted and unsupported model files: every load
 * fails with a status and a log line, never crashes and never leaks (the
 * sanitizer build checks the last two). Also covers the load options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/log.h"
#include "onnx_builder.h"
#include "runtime/runtime.h"

static char last_error[HF_LOG_LINE_MAX];
static int error_count;

static void capture_log(int level, const char *line, void *user)
{
    (void)user;
    if (level >= HF_LOG_LEVEL_ERROR) {
        snprintf(last_error, sizeof(last_error), "%s", line);
        error_count++;
    }
}

static int setup_log(void **state)
{
    (void)state;
    hf_log_set_sink(capture_log, NULL);
    last_error[0] = '\0';
    error_count = 0;
    return 0;
}

static int teardown_log(void **state)
{
    (void)state;
    hf_log_set_sink(NULL, NULL);
    hf_alloc_fail_after(-1);
    return 0;
}

static unsigned char *read_model(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/models/faceplugin/model/%s", HF_SOURCE_DIR, name);
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        fail_msg("model %s is missing: run scripts/fetch-models.sh", path);
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *bytes = malloc((size_t)length);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)length, file), (size_t)length);
    fclose(file);
    *size = (size_t)length;
    return bytes;
}

/* Loads, and when that succeeds runs once; returns the load status. */
static hf_status load_and_run(const void *bytes, size_t size)
{
    hf_rt_model *model = (hf_rt_model *)(uintptr_t)0x1;
    hf_status status = hf_rt_model_load(bytes, size, NULL, &model);

    if (status != HF_OK) {
        assert_ptr_equal(model, (hf_rt_model *)(uintptr_t)0x1);
        return status;
    }
    hf_rt_instance *inst = NULL;
    if (hf_rt_instance_create(model, NULL, &inst) == HF_OK) {
        assert_int_equal(hf_rt_instance_run(inst), HF_OK);
        hf_rt_instance_destroy(inst);
    }
    hf_rt_model_release(model);
    return status;
}

static void empty_buffer(void **state)
{
    (void)state;
    hf_rt_model *model = NULL;
    unsigned char byte = 0;

    assert_int_equal(hf_rt_model_load(&byte, 0, NULL, &model), HF_ERR_FORMAT);
    assert_int_equal(hf_rt_model_load(NULL, 0, NULL, &model), HF_ERR_FORMAT);
    assert_int_equal(hf_rt_model_load(&byte, 1, NULL, &model), HF_ERR_FORMAT);
    assert_null(model);
    assert_int_equal(hf_rt_model_load(&byte, 1, NULL, NULL), HF_ERR_INVALID_ARG);
    assert_true(error_count > 0);
}

static void missing_file(void **state)
{
    (void)state;
    hf_rt_model *model = NULL;

    assert_int_equal(hf_rt_model_load_file("/nonexistent/model.onnx", NULL, &model), HF_ERR_IO);
    assert_non_null(strstr(last_error, "/nonexistent/model.onnx"));
}

static void truncated_model(void **state)
{
    (void)state;
    size_t size;
    unsigned char *bytes = read_model("fr_eye.onnx", &size);

    for (int i = 0; i < 20; i++) {
        size_t cut = i < 5 ? (size_t)i * 3 + 1 : size / 20 * (size_t)i + 7;
        error_count = 0;
        hf_status status = load_and_run(bytes, cut);
        if (status == HF_OK)
            fail_msg("a copy truncated to %zu of %zu bytes loaded", cut, size);
        assert_true(error_count > 0);
    }
    free(bytes);
}

static void byte_flips(void **state)
{
    (void)state;
    size_t size;
    unsigned char *bytes = read_model("fr_eye.onnx", &size);
    unsigned char *copy = malloc(size);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int loaded = 0;

    assert_non_null(copy);
    hf_log_set_level(HF_LOG_LEVEL_NONE);
    for (int round = 0; round < 400; round++) {
        memcpy(copy, bytes, size);
        int flips = 1 + round % 8;
        for (int f = 0; f < flips; f++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            /* Half the flips hit the first 4 KiB, where the graph structure is. */
            size_t at = (size_t)(seed >> 16) % (f % 2 ? size : (size < 4096 ? size : 4096));
            copy[at] ^= (unsigned char)(1u << (seed % 8));
        }
        loaded += load_and_run(copy, size) == HF_OK;
    }
    hf_log_set_level(HF_LOG_LEVEL_INFO);
    printf("[ bad file ] %d of 400 corrupted copies still loaded\n", loaded);
    free(copy);
    free(bytes);
}

/* Runs out of memory at every allocation of a small model's load. */
static void allocation_failures(void **state)
{
    (void)state;
    size_t size;
    unsigned char *bytes = read_model("fr_eye.onnx", &size);
    hf_status status = HF_ERR_NO_MEMORY;

    hf_log_set_level(HF_LOG_LEVEL_NONE);
    for (long n = 0; status != HF_OK; n += 1 + n / 64) {
        hf_rt_model *model = NULL;
        hf_alloc_fail_after(n);
        status = hf_rt_model_load(bytes, size, NULL, &model);
        hf_alloc_fail_after(-1);
        if (status != HF_OK)
            assert_int_equal(status, HF_ERR_NO_MEMORY);
        hf_rt_model_release(model);
    }
    hf_log_set_level(HF_LOG_LEVEL_INFO);
    free(bytes);
}

static pb_buf relu_model(const int64_t *dims)
{
    test_builder tb;
    tb_init(&tb, 13);
    tb_input(&tb, "x", 4, dims);
    tb_node(&tb, "Relu", "x", "y", NULL, 0);
    tb_output(&tb, "y");
    return tb_finish(&tb);
}

static void absurd_dimensions(void **state)
{
    (void)state;
    hf_rt_model *model = NULL;
    test_builder tb;

    pb_buf huge_input = relu_model((const int64_t[]){1, 3, 1 << 20, 1 << 20});
    assert_int_equal(hf_rt_model_load(huge_input.data, huge_input.size, NULL, &model),
                     HF_ERR_UNSUPPORTED);
    pb_free(&huge_input);

    pb_buf negative = relu_model((const int64_t[]){1, 3, -5, 4});
    assert_int_not_equal(hf_rt_model_load(negative.data, negative.size, NULL, &model), HF_OK);
    pb_free(&negative);

    /* An initializer that declares 2^40 elements but contains 4 bytes. */
    pb_buf t = {0}, graph = {0}, model_pb = {0}, opset = {0};
    pb_int(&t, 1, (int64_t)1 << 40);
    pb_int(&t, 2, 1);
    pb_string(&t, 8, "w");
    pb_bytes(&t, 9, "\0\0\0\0", 4);
    pb_bytes(&graph, 5, t.data, t.size);
    pb_int(&model_pb, 1, 7);
    pb_string(&opset, 1, "");
    pb_int(&opset, 2, 13);
    pb_bytes(&model_pb, 8, opset.data, opset.size);
    pb_bytes(&model_pb, 7, graph.data, graph.size);
    assert_int_not_equal(hf_rt_model_load(model_pb.data, model_pb.size, NULL, &model), HF_OK);
    pb_free(&t);
    pb_free(&graph);
    pb_free(&opset);
    pb_free(&model_pb);

    /* A constant shape that requests a 2^60-element output. */
    tb_init(&tb, 13);
    tb_input(&tb, "x", 1, (const int64_t[]){1});
    tb_init_int64(&tb, "s", 1, (const int64_t[]){2}, (const int64_t[]){1 << 30, 1 << 30});
    tb_node(&tb, "ConstantOfShape", "s", "c", NULL, 0);
    tb_node(&tb, "Add", "x,c", "y", NULL, 0);
    tb_output(&tb, "y");
    pb_buf big_constant = tb_finish(&tb);
    assert_int_not_equal(hf_rt_model_load(big_constant.data, big_constant.size, NULL, &model),
                         HF_OK);
    pb_free(&big_constant);
    assert_null(model);
}

static void unsupported_op(void **state)
{
    (void)state;
    test_builder tb;
    hf_rt_model *model = NULL;

    tb_init(&tb, 13);
    tb_input(&tb, "x", 2, (const int64_t[]){1, 4});
    tb_node(&tb, "Erf", "x", "y", NULL, 0);
    tb_output(&tb, "y");
    pb_buf bytes = tb_finish(&tb);
    assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model),
                     HF_ERR_UNSUPPORTED);
    assert_non_null(strstr(last_error, "'Erf'"));
    pb_free(&bytes);
    assert_null(model);
}

static void unsupported_attribute(void **state)
{
    (void)state;
    test_builder tb;
    hf_rt_model *model = NULL;

    tb_init(&tb, 13);
    tb_input(&tb, "x", 4, (const int64_t[]){1, 1, 4, 4});
    tb_node(&tb, "MaxPool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 2, 2), TB_ATTR_INT("ceil_mode", 1)},
            2);
    tb_output(&tb, "y");
    pb_buf ceil = tb_finish(&tb);
    assert_int_equal(hf_rt_model_load(ceil.data, ceil.size, NULL, &model), HF_ERR_UNSUPPORTED);
    assert_non_null(strstr(last_error, "ceil_mode"));
    pb_free(&ceil);

    tb_init(&tb, 13);
    tb_input(&tb, "x", 4, (const int64_t[]){1, 1, 4, 4});
    tb_node(&tb, "Relu", "x", "y", (const tb_attr[]){TB_ATTR_FLOAT("alpha", 0.5f)}, 1);
    tb_output(&tb, "y");
    pb_buf extra = tb_finish(&tb);
    assert_int_equal(hf_rt_model_load(extra.data, extra.size, NULL, &model), HF_ERR_UNSUPPORTED);
    assert_non_null(strstr(last_error, "'alpha'"));
    assert_non_null(strstr(last_error, "Relu"));
    pb_free(&extra);
    assert_null(model);
}

static void undefined_input(void **state)
{
    (void)state;
    test_builder tb;
    hf_rt_model *model = NULL;

    tb_init(&tb, 13);
    tb_input(&tb, "x", 2, (const int64_t[]){1, 4});
    tb_node(&tb, "Add", "x,nowhere", "y", NULL, 0);
    tb_output(&tb, "y");
    pb_buf bytes = tb_finish(&tb);
    assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model), HF_ERR_FORMAT);
    assert_non_null(strstr(last_error, "nowhere"));
    pb_free(&bytes);
}

static void unsupported_opset(void **state)
{
    (void)state;
    test_builder tb;
    hf_rt_model *model = NULL;

    tb_init(&tb, 21);
    tb_input(&tb, "x", 2, (const int64_t[]){1, 4});
    tb_node(&tb, "Relu", "x", "y", NULL, 0);
    tb_output(&tb, "y");
    pb_buf bytes = tb_finish(&tb);
    assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model), HF_ERR_UNSUPPORTED);
    assert_non_null(strstr(last_error, "opset 21"));
    pb_free(&bytes);
}

/* Cutting fr_detect before its prior decoding gives the same scores as the
 * full graph, and the cut graph runs at another input size. */
static void detector_cut(void **state)
{
    (void)state;
    char path[1024];
    const char *names[] = {"scores", "462"};
    hf_rt_load_options cut = {.output_names = names, .output_count = 2, .label = "fr_detect"};
    hf_rt_load_options resized = cut;
    hf_rt_model *full = NULL, *part = NULL, *big = NULL;
    hf_rt_instance *a = NULL, *b = NULL, *c = NULL;
    hf_rt_shape shape;

    snprintf(path, sizeof(path), "%s/models/faceplugin/model/fr_detect.onnx", HF_SOURCE_DIR);
    assert_int_equal(hf_rt_model_load_file(path, NULL, &full), HF_OK);
    assert_int_equal(hf_rt_model_load_file(path, &cut, &part), HF_OK);
    resized.input_height = 480;
    resized.input_width = 640;
    assert_int_equal(hf_rt_model_load_file(path, &resized, &big), HF_OK);
    assert_string_equal(hf_rt_model_output_name(part, 1), "462");
    assert_int_equal(hf_rt_instance_create(full, NULL, &a), HF_OK);
    assert_int_equal(hf_rt_instance_create(part, NULL, &b), HF_OK);
    assert_int_equal(hf_rt_instance_create(big, NULL, &c), HF_OK);

    float *in_a = hf_rt_instance_input(a, 0), *in_b = hf_rt_instance_input(b, 0);
    for (int i = 0; i < 3 * 240 * 320; i++)
        in_a[i] = in_b[i] = (float)((i * 7919) % 255) / 128.0f - 1.0f;
    assert_int_equal(hf_rt_instance_run(a), HF_OK);
    assert_int_equal(hf_rt_instance_run(b), HF_OK);
    assert_int_equal(hf_rt_instance_run(c), HF_OK);
    const float *sa = hf_rt_instance_output(a, 0, &shape);
    const float *sb = hf_rt_instance_output(b, 0, NULL);
    assert_int_equal(shape.dims[1], 4420);
    for (int i = 0; i < 4420 * 2; i++)
        assert_float_equal(sa[i], sb[i], 0.0f);

    /* 640x480: 80x60x3 + 40x30x2 + 20x15x2 + 10x8x3 priors. */
    assert_non_null(hf_rt_instance_output(c, 1, &shape));
    assert_int_equal(shape.rank, 3);
    assert_int_equal(shape.dims[1], 14400 + 2400 + 600 + 240);
    assert_int_equal(shape.dims[2], 4);

    /* The full graph cannot be resized: its priors are constants of the
     * 320x240 layout. */
    resized.output_count = 0;
    hf_rt_model *broken = NULL;
    assert_int_not_equal(hf_rt_model_load_file(path, &resized, &broken), HF_OK);

    const char *unknown[] = {"no_such_tensor"};
    hf_rt_load_options bad = {.output_names = unknown, .output_count = 1};
    assert_int_equal(hf_rt_model_load_file(path, &bad, &broken), HF_ERR_NOT_FOUND);
    assert_null(broken);

    hf_rt_instance_destroy(a);
    hf_rt_instance_destroy(b);
    hf_rt_instance_destroy(c);
    hf_rt_model_release(full);
    hf_rt_model_release(part);
    hf_rt_model_release(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty_buffer, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(missing_file, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(truncated_model, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(byte_flips, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(allocation_failures, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(absurd_dimensions, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(unsupported_op, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(unsupported_attribute, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(undefined_input, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(unsupported_opset, setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(detector_cut, setup_log, teardown_log),
    };
    return cmocka_run_group_tests_name("runtime bad files", tests, NULL, NULL);
}
