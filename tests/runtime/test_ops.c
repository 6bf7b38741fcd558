/* One-op and few-op graphs built in memory, checked against values worked
 * out by hand (or by the naive loops below for convolutions). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "onnx_builder.h"
#include "runtime/graph.h"
#include "runtime/runtime.h"

#define TOLERANCE 1e-5f

/* Loads the model, feeds `input` to input 0, runs with `threads` and checks
 * output `index` against `expected` and its shape against `dims`. */
static void check_graph_threads(test_builder *tb, const float *input, int output,
                                const float *expected, int rank, const int64_t *dims,
                                int threads)
{
    pb_buf bytes = tb_finish(tb);
    hf_rt_model *model = NULL;
    hf_rt_instance *inst = NULL;
    hf_rt_instance_options options = {.threads = threads};
    hf_rt_shape shape;

    assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model), HF_OK);
    pb_free(&bytes);
    assert_int_equal(hf_rt_instance_create(model, &options, &inst), HF_OK);
    assert_int_equal(hf_rt_model_input_shape(model, 0, &shape), HF_OK);
    memcpy(hf_rt_instance_input(inst, 0), input,
           (size_t)hf_rt_shape_elements(&shape) * sizeof(float));
    assert_int_equal(hf_rt_instance_run(inst), HF_OK);
    const float *out = hf_rt_instance_output(inst, output, &shape);
    assert_non_null(out);
    assert_int_equal(shape.rank, rank);
    for (int i = 0; i < rank; i++)
        assert_int_equal(shape.dims[i], dims[i]);
    for (int64_t i = 0; i < hf_rt_shape_elements(&shape); i++)
        if (fabsf(out[i] - expected[i]) > TOLERANCE * (1.0f + fabsf(expected[i])))
            fail_msg("output %d element %lld: got %.7g, expected %.7g", output, (long long)i,
                     out[i], expected[i]);
    hf_rt_instance_destroy(inst);
    hf_rt_model_release(model);
}

static void check_graph(test_builder *tb, const float *input, const float *expected, int rank,
                        const int64_t *dims)
{
    check_graph_threads(tb, input, 0, expected, rank, dims, 1);
}

#define DIMS(...) (const int64_t[]){__VA_ARGS__}
#define VALUES(...) (const float[]){__VA_ARGS__}

static void unary_single(const char *op, const float *expected)
{
    test_builder tb;
    tb_init(&tb, 13);
    tb_input(&tb, "x", 1, DIMS(3));
    tb_node(&tb, op, "x", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(-1.0f, 0.0f, 2.0f), expected, 1, DIMS(3));
}

static void unary_ops(void **state)
{
    (void)state;
    unary_single("Relu", VALUES(0.0f, 0.0f, 2.0f));
    unary_single("Sigmoid", VALUES(0.26894142f, 0.5f, 0.88079708f));
    unary_single("Tanh", VALUES(-0.76159416f, 0.0f, 0.96402758f));
    unary_single("Exp", VALUES(0.36787944f, 1.0f, 7.3890561f));
}

static void clip_bounds(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 13);
    tb_input(&tb, "x", 1, DIMS(3));
    tb_init_float(&tb, "lo", 0, NULL, VALUES(0.0f));
    tb_init_float(&tb, "hi", 0, NULL, VALUES(6.0f));
    tb_node(&tb, "Clip", "x,lo,hi", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(-2.0f, 0.5f, 9.0f), VALUES(0.0f, 0.5f, 6.0f), 1, DIMS(3));

    tb_init(&tb, 9);
    tb_input(&tb, "x", 1, DIMS(3));
    tb_node(&tb, "Clip", "x", "y",
            (const tb_attr[]){TB_ATTR_FLOAT("min", -1.0f), TB_ATTR_FLOAT("max", 1.0f)}, 2);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(-2.0f, 0.5f, 9.0f), VALUES(-1.0f, 0.5f, 1.0f), 1, DIMS(3));
}

static void binary_broadcast(void **state)
{
    (void)state;
    test_builder tb;
    const float x[6] = {1, 2, 3, 4, 5, 6};

    tb_init(&tb, 13);
    tb_input(&tb, "x", 2, DIMS(2, 3));
    tb_init_float(&tb, "row", 1, DIMS(3), VALUES(10, 20, 30));
    tb_init_float(&tb, "col", 2, DIMS(2, 1), VALUES(1, 2));
    tb_init_float(&tb, "two", 0, NULL, VALUES(2));
    tb_node(&tb, "Add", "x,row", "a", NULL, 0);       /* 11 22 33 14 25 36 */
    tb_node(&tb, "Sub", "a,col", "b", NULL, 0);       /* 10 21 32 12 23 34 */
    tb_node(&tb, "Mul", "two,b", "c", NULL, 0);       /* 20 42 64 24 46 68 */
    tb_node(&tb, "Div", "c,row", "y", NULL, 0);       /* 2 2.1 2.1333 2.4 2.3 2.2667 */
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2.0f, 2.1f, 64.0f / 30, 2.4f, 2.3f, 68.0f / 30), 2, DIMS(2, 3));
}

static void prelu_channels(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 1, 2));
    tb_init_float(&tb, "slope", 3, DIMS(2, 1, 1), VALUES(0.1f, 0.5f));
    tb_node(&tb, "PRelu", "x,slope", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(-1, 2, -4, 3), VALUES(-0.1f, 2, -2, 3), 4, DIMS(1, 2, 1, 2));
}

static void softmax_axes(void **state)
{
    (void)state;
    test_builder tb;
    const float x[4] = {1, 2, 3, 4};
    const float e = expf(1.0f), total = e + e * e + e * e * e + e * e * e * e;

    /* Opset 9 flattens from the axis on: one softmax over all four values. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 3, DIMS(1, 2, 2));
    tb_node(&tb, "Softmax", "x", "y", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(e / total, e * e / total, e * e * e / total, e * e * e * e / total),
                3, DIMS(1, 2, 2));

    /* Opset 13: along axis 1 only, pairs (1, 3) and (2, 4). */
    tb_init(&tb, 13);
    tb_input(&tb, "x", 3, DIMS(1, 2, 2));
    tb_node(&tb, "Softmax", "x", "y", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f), 3,
                DIMS(1, 2, 2));

    /* Two classes along the last axis, larger first, then a tie:
     * exp(ln 3) / (exp(ln 3) + 1) = 0.75. */
    const float pairs[4] = {logf(3.0f), 0.0f, 5.0f, 5.0f};
    tb_init(&tb, 13);
    tb_input(&tb, "x", 3, DIMS(1, 2, 2));
    tb_node(&tb, "Softmax", "x", "y", (const tb_attr[]){TB_ATTR_INT("axis", 2)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, pairs, VALUES(0.75f, 0.25f, 0.5f, 0.5f), 3, DIMS(1, 2, 2));
}

static void pooling(void **state)
{
    (void)state;
    test_builder tb;
    float x[16];
    for (int i = 0; i < 16; i++)
        x[i] = (float)i;

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 4, 4));
    tb_node(&tb, "MaxPool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 3, 3), TB_ATTR_INTS("strides", 2, 2),
                              TB_ATTR_INTS("pads", 1, 1, 1, 1)},
            3);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(5, 7, 13, 15), 4, DIMS(1, 1, 2, 2));

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 4, 4));
    tb_node(&tb, "AveragePool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 2, 2), TB_ATTR_INTS("strides", 2, 2)},
            2);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2.5f, 4.5f, 10.5f, 12.5f), 4, DIMS(1, 1, 2, 2));

    /* Padding is left out of the divisor by default. The first window
     * contains 0, 1, 4, 5 and the last rows and columns 1 to 3 (mean 10). */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 4, 4));
    tb_node(&tb, "AveragePool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 3, 3), TB_ATTR_INTS("strides", 2, 2),
                              TB_ATTR_INTS("pads", 1, 1, 1, 1)},
            3);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2.5f, 4.0f, 8.5f, 10.0f), 4, DIMS(1, 1, 2, 2));

    /* With count_include_pad every window counts 9: sums 10, 24, 51, 90. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 4, 4));
    tb_node(&tb, "AveragePool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 3, 3), TB_ATTR_INTS("strides", 2, 2),
                              TB_ATTR_INTS("pads", 1, 1, 1, 1),
                              TB_ATTR_INT("count_include_pad", 1)},
            4);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(10.0f / 9.0f, 24.0f / 9.0f, 51.0f / 9.0f, 10.0f), 4,
                DIMS(1, 1, 2, 2));

    /* Column stride 3 with one padding column each side: windows over
     * columns -1..0 and 2..3. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 4, 4));
    tb_node(&tb, "MaxPool", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", 2, 2), TB_ATTR_INTS("strides", 2, 3),
                              TB_ATTR_INTS("pads", 0, 1, 0, 1)},
            3);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(4, 7, 12, 15), 4, DIMS(1, 1, 2, 2));
}

static void global_and_reduce_mean(void **state)
{
    (void)state;
    test_builder tb;
    const float x[8] = {1, 2, 3, 4, 10, 20, 30, 40};

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 2, 2));
    tb_node(&tb, "GlobalAveragePool", "x", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2.5f, 25.0f), 4, DIMS(1, 2, 1, 1));

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 2, 2));
    tb_node(&tb, "ReduceMean", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("axes", 2, 3), TB_ATTR_INT("keepdims", 0)}, 2);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2.5f, 25.0f), 2, DIMS(1, 2));
}

static void concat_split_slice(void **state)
{
    (void)state;
    test_builder tb;
    const float x[6] = {0, 1, 2, 3, 4, 5};

    tb_init(&tb, 13);
    tb_input(&tb, "x", 2, DIMS(1, 6));
    tb_init_int64(&tb, "sizes", 1, DIMS(2), DIMS(2, 4));
    tb_node(&tb, "Split", "x,sizes", "a,b", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_node(&tb, "Concat", "b,a", "y", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(2, 3, 4, 5, 0, 1), 2, DIMS(1, 6));

    tb_init(&tb, 13);
    tb_input(&tb, "x", 2, DIMS(1, 6));
    tb_init_int64(&tb, "starts", 1, DIMS(1), DIMS(1));
    tb_init_int64(&tb, "ends", 1, DIMS(1), DIMS(100));
    tb_init_int64(&tb, "axes", 1, DIMS(1), DIMS(-1));
    tb_init_int64(&tb, "steps", 1, DIMS(1), DIMS(2));
    tb_node(&tb, "Slice", "x,starts,ends,axes,steps", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(1, 3, 5), 2, DIMS(1, 3));

    /* Opset 9 attributes, with the INT64_MAX end that exporters write. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 2, DIMS(2, 3));
    tb_node(&tb, "Slice", "x", "y",
            (const tb_attr[]){TB_ATTR_INTS("starts", 1), TB_ATTR_INTS("ends", INT64_MAX),
                              TB_ATTR_INTS("axes", 1)},
            3);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(1, 2, 4, 5), 2, DIMS(2, 2));

    /* Steps on the two inner axes of a rank-3 tensor holding 0..23:
     * x[1][0][1], x[1][0][3], x[1][2][1], x[1][2][3]. */
    float cube[24];
    for (int i = 0; i < 24; i++)
        cube[i] = (float)i;
    tb_init(&tb, 13);
    tb_input(&tb, "x", 3, DIMS(2, 3, 4));
    tb_init_int64(&tb, "starts", 1, DIMS(3), DIMS(1, 0, 1));
    tb_init_int64(&tb, "ends", 1, DIMS(3), DIMS(2, 3, 4));
    tb_init_int64(&tb, "axes", 1, DIMS(3), DIMS(0, 1, 2));
    tb_init_int64(&tb, "steps", 1, DIMS(3), DIMS(1, 2, 2));
    tb_node(&tb, "Slice", "x,starts,ends,axes,steps", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, cube, VALUES(13, 15, 21, 23), 3, DIMS(1, 2, 2));
}

/* The channel shuffle of ShuffleNet: [1, g, c, h, w] -> [1, c, g, h, w]. */
/* A DenseNet-style chain: each Concat repeats the inputs of the one before
 * and adds one, so the planner leaves all of them out and the producers
 * write into one buffer. z concatenates two of those slices in another
 * order, so it is copied. Pass 0 counts the steps, passes 1 and 2 check
 * the two outputs. */
static void concat_chain_in_place(void **state)
{
    (void)state;
    test_builder tb;
    const float x[2] = {1.0f, -2.0f};
    const float e = expf(1.0f);

    for (int output = 0; output < 3; output++) {
        tb_init(&tb, 13);
        tb_input(&tb, "x", 4, DIMS(1, 1, 1, 2));
        tb_node(&tb, "Relu", "x", "a", NULL, 0);
        tb_node(&tb, "Concat", "a", "c1", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
        tb_node(&tb, "Exp", "c1", "b", NULL, 0);
        tb_node(&tb, "Concat", "a,b", "c2", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
        tb_node(&tb, "Mul", "c2,c2", "d", NULL, 0);
        tb_node(&tb, "Concat", "a,b,d", "c3", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
        tb_node(&tb, "Relu", "c3", "y", NULL, 0);
        tb_node(&tb, "Concat", "b,a", "z", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
        tb_output(&tb, "y");
        tb_output(&tb, "z");
        if (output == 0) {
            /* Relu, Exp, Mul, Relu and the copying Concat: no other step. */
            pb_buf bytes = tb_finish(&tb);
            hf_rt_model *model = NULL;
            assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model), HF_OK);
            pb_free(&bytes);
            assert_int_equal(model->step_count, 5);
            hf_rt_model_release(model);
            continue;
        }
        if (output == 1)
            check_graph_threads(&tb, x, 0, VALUES(1, 0, e, 1, 1, 0, e * e, 1), 4,
                                DIMS(1, 4, 1, 2), 1);
        else
            check_graph_threads(&tb, x, 1, VALUES(e, 1, 1, 0), 4, DIMS(1, 2, 1, 2), 1);
    }
}

static void transpose_5d(void **state)
{
    (void)state;
    test_builder tb;
    float x[12], expected[12];

    for (int i = 0; i < 12; i++)
        x[i] = (float)i;
    /* x dims (1, 2, 3, 1, 2): x[g][c][w] at g * 6 + c * 2 + w. */
    for (int c = 0; c < 3; c++)
        for (int g = 0; g < 2; g++)
            for (int w = 0; w < 2; w++)
                expected[c * 4 + g * 2 + w] = x[g * 6 + c * 2 + w];
    tb_init(&tb, 9);
    tb_input(&tb, "x", 5, DIMS(1, 2, 3, 1, 2));
    tb_node(&tb, "Transpose", "x", "y", (const tb_attr[]){TB_ATTR_INTS("perm", 0, 2, 1, 3, 4)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, expected, 5, DIMS(1, 3, 2, 1, 2));

    /* NCHW to NHWC. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 2, 3));
    tb_node(&tb, "Transpose", "x", "y", (const tb_attr[]){TB_ATTR_INTS("perm", 0, 2, 3, 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, VALUES(0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11), 4, DIMS(1, 2, 3, 2));
}

/* Initializers stored in float_data and int64_data rather than raw_data. */
static void typed_data_lists(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 9);
    tb_input(&tb, "x", 2, DIMS(2, 2));
    tb_init_float_list(&tb, "bias", 1, DIMS(4), VALUES(0.5f, 1.5f, -2.0f, 8.0f));
    tb_init_int64_list(&tb, "shape", 1, DIMS(1), DIMS(4));
    tb_node(&tb, "Reshape", "x,shape", "flat", NULL, 0);
    tb_node(&tb, "Add", "flat,bias", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3, 4), VALUES(1.5f, 3.5f, 1.0f, 12.0f), 1, DIMS(4));
}

/* Shape -> Gather -> Unsqueeze -> Concat -> Reshape folds to a constant shape. */
static void shape_chain_reshape(void **state)
{
    (void)state;
    test_builder tb;
    const float x[6] = {0, 1, 2, 3, 4, 5};

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 3, 1));
    tb_node(&tb, "Shape", "x", "s", NULL, 0);
    tb_init_int64(&tb, "zero", 0, NULL, DIMS(0));
    tb_init_int64(&tb, "minus_one", 1, DIMS(1), DIMS(-1));
    tb_node(&tb, "Gather", "s,zero", "n", (const tb_attr[]){TB_ATTR_INT("axis", 0)}, 1);
    tb_node(&tb, "Unsqueeze", "n", "n1", (const tb_attr[]){TB_ATTR_INTS("axes", 0)}, 1);
    tb_node(&tb, "Concat", "n1,minus_one", "target", (const tb_attr[]){TB_ATTR_INT("axis", 0)},
            1);
    tb_node(&tb, "Reshape", "x,target", "r", NULL, 0);
    tb_node(&tb, "Relu", "r", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, x, x, 2, DIMS(1, 6));

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 3, 1));
    tb_node(&tb, "Flatten", "x", "y", (const tb_attr[]){TB_ATTR_INT("axis", 2)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, x, x, 2, DIMS(2, 3));
}

static void pad_constant(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 11);
    tb_input(&tb, "x", 4, DIMS(1, 1, 2, 2));
    tb_init_int64(&tb, "pads", 1, DIMS(8), DIMS(0, 0, 1, 0, 0, 0, 0, 1));
    tb_init_float(&tb, "value", 0, NULL, VALUES(9));
    tb_node(&tb, "Pad", "x,pads,value", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3, 4), VALUES(9, 9, 9, 1, 2, 9, 3, 4, 9), 4, DIMS(1, 1, 3, 3));

    /* All-zero pads (DenseNet exports) leave the tensor as it is. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 2, 2));
    tb_node(&tb, "Pad", "x", "y",
            (const tb_attr[]){TB_ATTR_STRING("mode", "constant"),
                              TB_ATTR_INTS("pads", 0, 0, 0, 0, 0, 0, 0, 0)},
            2);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3, 4), VALUES(1, 2, 3, 4), 4, DIMS(1, 1, 2, 2));
}

static void batchnorm_inference(void **state)
{
    (void)state;
    test_builder tb;

    /* Channel 0: (x - 1) / sqrt(3 + 1); channel 1: 2 x / sqrt(0 + 1) + 1. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 1, 2));
    tb_init_float(&tb, "scale", 1, DIMS(2), VALUES(1, 2));
    tb_init_float(&tb, "bias", 1, DIMS(2), VALUES(0, 1));
    tb_init_float(&tb, "mean", 1, DIMS(2), VALUES(1, 0));
    tb_init_float(&tb, "var", 1, DIMS(2), VALUES(3, 0));
    tb_node(&tb, "BatchNormalization", "x,scale,bias,mean,var", "y",
            (const tb_attr[]){TB_ATTR_FLOAT("epsilon", 1.0f)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(3, 5, 1, -2), VALUES(1, 2, 3, -3), 4, DIMS(1, 2, 1, 2));
}

/* Pre-activation BatchNormalization + Relu (fused into one kernel). */
static void batchnorm_relu(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 2, 1, 2));
    tb_init_float(&tb, "scale", 1, DIMS(2), VALUES(1, 2));
    tb_init_float(&tb, "bias", 1, DIMS(2), VALUES(0, 1));
    tb_init_float(&tb, "mean", 1, DIMS(2), VALUES(1, 0));
    tb_init_float(&tb, "var", 1, DIMS(2), VALUES(3, 0));
    tb_node(&tb, "BatchNormalization", "x,scale,bias,mean,var", "bn",
            (const tb_attr[]){TB_ATTR_FLOAT("epsilon", 1.0f)}, 1);
    tb_node(&tb, "Relu", "bn", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(3, -5, 1, -2), VALUES(1, 0, 3, 0), 4, DIMS(1, 2, 1, 2));
}

/* Builds x -> BatchNormalization (as in batchnorm_relu) [-> Relu] -> Conv
 * with a kernel_size x kernel_size kernel, padding kernel_size / 2. */
static void build_bn_conv(test_builder *tb, int relu, int kernel_size)
{
    float weights[18];
    for (int i = 0; i < 18; i++)
        weights[i] = i == kernel_size * kernel_size / 2 ? 1.0f
                     : i == kernel_size * kernel_size + kernel_size * kernel_size / 2 ? 10.0f
                                                                                      : 0.0f;
    tb_init(tb, 9);
    tb_input(tb, "x", 4, DIMS(1, 2, 1, 2));
    tb_init_float(tb, "scale", 1, DIMS(2), VALUES(1, 2));
    tb_init_float(tb, "bias", 1, DIMS(2), VALUES(0, 1));
    tb_init_float(tb, "mean", 1, DIMS(2), VALUES(1, 0));
    tb_init_float(tb, "var", 1, DIMS(2), VALUES(3, 0));
    tb_init_float(tb, "w", 4, DIMS(1, 2, kernel_size, kernel_size), weights);
    tb_init_float(tb, "b", 1, DIMS(1), VALUES(0.5f));
    tb_node(tb, "BatchNormalization", "x,scale,bias,mean,var", "bn",
            (const tb_attr[]){TB_ATTR_FLOAT("epsilon", 1.0f)}, 1);
    if (relu)
        tb_node(tb, "Relu", "bn", "act", NULL, 0);
    int pad = kernel_size / 2;
    tb_node(tb, "Conv", relu ? "act,w,b" : "bn,w,b", "y",
            (const tb_attr[]){TB_ATTR_INTS("kernel_shape", kernel_size, kernel_size),
                              TB_ATTR_INTS("pads", pad, pad, pad, pad)},
            2);
    tb_output(tb, "y");
}

static int step_count_of(test_builder *tb)
{
    pb_buf bytes = tb_finish(tb);
    hf_rt_model *model = NULL;
    assert_int_equal(hf_rt_model_load(bytes.data, bytes.size, NULL, &model), HF_OK);
    pb_free(&bytes);
    int steps = model->step_count;
    hf_rt_model_release(model);
    return steps;
}

/* A BatchNormalization (and Relu) in front of a 1x1 Conv becomes the
 * Conv's input prologue: one step. The normalized input is (1, -3) in
 * channel 0 and (3, -3) in channel 1, and y = c0 + 10 c1 + 0.5. In front
 * of a padded 3x3 Conv it stays a step of its own, with the same result
 * (the 3x3 kernel reads only its centre tap). */
static void batchnorm_conv_prologue(void **state)
{
    (void)state;
    test_builder tb;
    const float x[4] = {3, -5, 1, -2};

    for (int kernel_size = 1; kernel_size <= 3; kernel_size += 2) {
        for (int relu = 0; relu <= 1; relu++) {
            build_bn_conv(&tb, relu, kernel_size);
            assert_int_equal(step_count_of(&tb), kernel_size == 1 ? 1 : 2);
            build_bn_conv(&tb, relu, kernel_size);
            if (relu)
                check_graph(&tb, x, VALUES(31.5f, 0.5f), 4, DIMS(1, 1, 1, 2));
            else
                check_graph(&tb, x, VALUES(31.5f, -32.5f), 4, DIMS(1, 1, 1, 2));
        }
    }
}

static void gemm_and_matmul(void **state)
{
    (void)state;
    test_builder tb;

    /* y = 2 * x B^T + 0.5 * c with x = (1, 2, 3), B rows (1, 0, 1) and (0, 1, -1). */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 2, DIMS(1, 3));
    tb_init_float(&tb, "b", 2, DIMS(2, 3), VALUES(1, 0, 1, 0, 1, -1));
    tb_init_float(&tb, "c", 1, DIMS(2), VALUES(10, 20));
    tb_node(&tb, "Gemm", "x,b,c", "y",
            (const tb_attr[]){TB_ATTR_INT("transB", 1), TB_ATTR_FLOAT("alpha", 2.0f),
                              TB_ATTR_FLOAT("beta", 0.5f)},
            3);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3), VALUES(13, 8), 2, DIMS(1, 2));

    /* MatMul with constant weights, then with the activation itself. */
    tb_init(&tb, 9);
    tb_input(&tb, "x", 2, DIMS(1, 3));
    tb_init_float(&tb, "w", 2, DIMS(3, 2), VALUES(1, 0, 0, 1, 1, 1));
    tb_node(&tb, "MatMul", "x,w", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3), VALUES(4, 5), 2, DIMS(1, 2));

    tb_init(&tb, 9);
    tb_input(&tb, "x", 2, DIMS(2, 2));
    tb_node(&tb, "MatMul", "x,x", "y", NULL, 0);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(1, 2, 3, 4), VALUES(7, 10, 15, 22), 2, DIMS(2, 2));
}

static void gather_and_constant_of_shape(void **state)
{
    (void)state;
    test_builder tb;

    tb_init(&tb, 12);
    tb_input(&tb, "x", 2, DIMS(2, 3));
    tb_init_int64(&tb, "idx", 1, DIMS(2), DIMS(2, -3));
    tb_node(&tb, "Gather", "x,idx", "y", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(0, 1, 2, 3, 4, 5), VALUES(2, 0, 5, 3), 2, DIMS(2, 2));

    /* BlazeFace pads channels with a ConstantOfShape block. */
    tb_init(&tb, 12);
    tb_input(&tb, "x", 4, DIMS(1, 2, 1, 1));
    tb_init_int64(&tb, "shape", 1, DIMS(4), DIMS(1, 1, 1, 1));
    tb_node(&tb, "ConstantOfShape", "shape", "zeros", NULL, 0);
    tb_node(&tb, "Concat", "x,zeros", "y", (const tb_attr[]){TB_ATTR_INT("axis", 1)}, 1);
    tb_output(&tb, "y");
    check_graph(&tb, VALUES(7, 8), VALUES(7, 8, 0), 4, DIMS(1, 3, 1, 1));
}

/* Naive NCHW convolution with ONNX semantics, batch 1. */
static void naive_conv(const float *x, int c, int h, int w, const float *wt, const float *bias,
                       int oc, int kh, int kw, int stride, int pad_t, int pad_l, int group,
                       int oh, int ow, float *y)
{
    int icg = c / group, ocg = oc / group;
    for (int o = 0; o < oc; o++)
        for (int yy = 0; yy < oh; yy++)
            for (int xx = 0; xx < ow; xx++) {
                double acc = bias ? bias[o] : 0.0;
                int g = o / ocg;
                for (int i = 0; i < icg; i++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++) {
                            int sy = yy * stride - pad_t + ky, sx = xx * stride - pad_l + kx;
                            if (sy < 0 || sy >= h || sx < 0 || sx >= w)
                                continue;
                            acc += (double)x[((g * icg + i) * h + sy) * w + sx] *
                                   wt[((o * icg + i) * kh + ky) * kw + kx];
                        }
                y[(o * oh + yy) * ow + xx] = (float)acc;
            }
}

static void conv_shapes(void **state)
{
    (void)state;
    test_builder tb;
    float x[2 * 5 * 5], w[4 * 1 * 3 * 3], b[4], expected[4 * 2 * 2];

    for (int i = 0; i < 50; i++)
        x[i] = (float)((i * 37) % 11) - 5.0f;
    for (int i = 0; i < 36; i++)
        w[i] = (float)((i * 13) % 7) / 7.0f - 0.4f;
    for (int i = 0; i < 4; i++)
        b[i] = 0.25f * (float)i;

    /* Grouped (2 groups of 1 input channel), stride 2, asymmetric pads
     * [top 0, left 0, bottom 1, right 1] as tf2onnx writes them:
     * (5 + 0 + 1 - 3) / 2 + 1 = 2 outputs per axis. */
    naive_conv(x, 2, 5, 5, w, b, 4, 3, 3, 2, 0, 0, 2, 2, 2, expected);
    tb_init(&tb, 12);
    tb_input(&tb, "x", 4, DIMS(1, 2, 5, 5));
    tb_init_float(&tb, "w", 4, DIMS(4, 1, 3, 3), w);
    tb_init_float(&tb, "b", 1, DIMS(4), b);
    tb_node(&tb, "Conv", "x,w,b", "y",
            (const tb_attr[]){TB_ATTR_INTS("strides", 2, 2), TB_ATTR_INTS("pads", 0, 0, 1, 1),
                              TB_ATTR_INT("group", 2), TB_ATTR_INTS("kernel_shape", 3, 3)},
            4);
    tb_output(&tb, "y");
    check_graph(&tb, x, expected, 4, DIMS(1, 4, 2, 2));
}

/* Conv + BatchNormalization + Add + Relu: the load-time passes fold the BN
 * and fuse the residual and the activation; the result must not change. */
static void conv_fusion(void **state)
{
    (void)state;
    test_builder tb;
    float x[2 * 4 * 4], w[2 * 2 * 1 * 1] = {1, -1, 0.5f, 2}, conv[2 * 16], expected[2 * 16];
    const float scale[2] = {2, 0.5f}, shift[2] = {1, -1}, mean[2] = {0.5f, -0.5f};
    const float var[2] = {3, 0};

    for (int i = 0; i < 32; i++)
        x[i] = (float)((i * 7) % 9) - 4.0f;
    naive_conv(x, 2, 4, 4, w, NULL, 2, 1, 1, 1, 0, 0, 1, 4, 4, conv);
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < 16; i++) {
            float bn = scale[c] * (conv[c * 16 + i] - mean[c]) / sqrtf(var[c] + 1e-5f) + shift[c];
            float sum = bn + x[c * 16 + i];
            expected[c * 16 + i] = sum > 0 ? sum : 0;
        }
    for (int threads = 1; threads <= 2; threads++) {
        tb_init(&tb, 9);
        tb_input(&tb, "x", 4, DIMS(1, 2, 4, 4));
        tb_init_float(&tb, "w", 4, DIMS(2, 2, 1, 1), w);
        tb_init_float(&tb, "scale", 1, DIMS(2), scale);
        tb_init_float(&tb, "shift", 1, DIMS(2), shift);
        tb_init_float(&tb, "mean", 1, DIMS(2), mean);
        tb_init_float(&tb, "var", 1, DIMS(2), var);
        tb_node(&tb, "Conv", "x,w", "c", NULL, 0);
        tb_node(&tb, "BatchNormalization", "c,scale,shift,mean,var", "bn", NULL, 0);
        tb_node(&tb, "Add", "bn,x", "sum", NULL, 0);
        tb_node(&tb, "Relu", "sum", "y", NULL, 0);
        tb_output(&tb, "y");
        check_graph_threads(&tb, x, 0, expected, 4, DIMS(1, 2, 4, 4), threads);
    }
}

/* Conv + Mul by a scalar + Add + Relu, as in fr_detect: the passes fold
 * the scale into the Conv, then fuse the residual and the activation. */
static void conv_scale_fusion(void **state)
{
    (void)state;
    test_builder tb;
    float x[2 * 3 * 3], w[2 * 2] = {1, -2, 0.5f, 1}, conv[2 * 9], expected[2 * 9];
    const float bias[2] = {0.5f, -1};

    for (int i = 0; i < 18; i++)
        x[i] = (float)((i * 5) % 7) - 3.0f;
    naive_conv(x, 2, 3, 3, w, bias, 2, 1, 1, 1, 0, 0, 1, 3, 3, conv);
    for (int i = 0; i < 18; i++) {
        float sum = 0.25f * conv[i] + x[i];
        expected[i] = sum > 0 ? sum : 0;
    }
    /* The scalar as either operand of the Mul. */
    for (int order = 0; order < 2; order++) {
        tb_init(&tb, 13);
        tb_input(&tb, "x", 4, DIMS(1, 2, 3, 3));
        tb_init_float(&tb, "w", 4, DIMS(2, 2, 1, 1), w);
        tb_init_float(&tb, "b", 1, DIMS(2), bias);
        tb_init_float(&tb, "s", 0, DIMS(0), VALUES(0.25f));
        tb_node(&tb, "Conv", "x,w,b", "c", NULL, 0);
        tb_node(&tb, "Mul", order == 0 ? "c,s" : "s,c", "m", NULL, 0);
        tb_node(&tb, "Add", "m,x", "sum", NULL, 0);
        tb_node(&tb, "Relu", "sum", "y", NULL, 0);
        tb_output(&tb, "y");
        check_graph(&tb, x, expected, 4, DIMS(1, 2, 3, 3));
    }
}

/* A tensor that is both a model output and the input of a fusable op keeps
 * its own value. */
static void fusion_keeps_outputs(void **state)
{
    (void)state;
    test_builder tb;
    float x[4] = {-1, 2, -3, 4};

    tb_init(&tb, 9);
    tb_input(&tb, "x", 4, DIMS(1, 1, 2, 2));
    tb_init_float(&tb, "w", 4, DIMS(1, 1, 1, 1), VALUES(2));
    tb_node(&tb, "Conv", "x,w", "c", NULL, 0);
    tb_node(&tb, "Relu", "c", "y", NULL, 0);
    tb_output(&tb, "y");
    tb_output(&tb, "c");
    check_graph_threads(&tb, x, 1, VALUES(-2, 4, -6, 8), 4, DIMS(1, 1, 2, 2), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unary_ops),
        cmocka_unit_test(clip_bounds),
        cmocka_unit_test(binary_broadcast),
        cmocka_unit_test(prelu_channels),
        cmocka_unit_test(softmax_axes),
        cmocka_unit_test(pooling),
        cmocka_unit_test(global_and_reduce_mean),
        cmocka_unit_test(concat_split_slice),
        cmocka_unit_test(concat_chain_in_place),
        cmocka_unit_test(transpose_5d),
        cmocka_unit_test(typed_data_lists),
        cmocka_unit_test(shape_chain_reshape),
        cmocka_unit_test(pad_constant),
        cmocka_unit_test(batchnorm_inference),
        cmocka_unit_test(batchnorm_relu),
        cmocka_unit_test(batchnorm_conv_prologue),
        cmocka_unit_test(gemm_and_matmul),
        cmocka_unit_test(gather_and_constant_of_shape),
        cmocka_unit_test(conv_shapes),
        cmocka_unit_test(conv_fusion),
        cmocka_unit_test(conv_scale_fusion),
        cmocka_unit_test(fusion_keeps_outputs),
    };
    return cmocka_run_group_tests_name("runtime ops", tests, NULL, NULL);
}
