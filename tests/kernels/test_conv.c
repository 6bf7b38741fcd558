/* Convolution kernels against a double-precision oracle: hand-checked
 * values, then random shapes of every kind on every kernel family and on 1
 * and 2 threads. A failure prints the shape and the first wrong output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/threadpool.h"
#include "kernel_oracle.h"
#include "runtime/kernels/kernels.h"
#include "runtime/kernels/kernels_internal.h"

#define REL_TOLERANCE 3e-5

static const hf_kernel_choice all_choices[] = {
    HF_KERNEL_REFERENCE, HF_KERNEL_AVX2, HF_KERNEL_AVX512, HF_KERNEL_AUTO,
};

typedef struct conv_case {
    hf_conv_desc desc;
    float *input, *weights, *bias, *residual, *slopes, *scale, *shift, *output;
    double *expected, *magnitude;
    size_t in_count, out_count;
} conv_case;

static void case_free(conv_case *c)
{
    free(c->input);
    free(c->weights);
    free(c->bias);
    free(c->residual);
    free(c->slopes);
    free(c->scale);
    free(c->shift);
    free(c->output);
    free(c->expected);
    free(c->magnitude);
    memset(c, 0, sizeof(*c));
}

/* Fills random tensors for c->desc and computes the oracle output. */
static void case_prepare(conv_case *c, oracle_rng *rng)
{
    hf_conv_desc *d = &c->desc;
    size_t weight_count = (size_t)d->out_c * (d->in_c / d->group) * d->kernel_h * d->kernel_w;

    c->in_count = (size_t)d->in_c * d->in_h * d->in_w;
    c->out_count = (size_t)d->out_c * d->out_h * d->out_w;
    c->input = malloc(c->in_count * sizeof(float));
    c->weights = malloc(weight_count * sizeof(float));
    c->bias = malloc((size_t)d->out_c * sizeof(float));
    c->slopes = malloc((size_t)d->out_c * sizeof(float));
    c->scale = malloc((size_t)d->in_c * sizeof(float));
    c->shift = malloc((size_t)d->in_c * sizeof(float));
    c->residual = malloc(c->out_count * sizeof(float));
    c->output = malloc(c->out_count * sizeof(float));
    c->expected = malloc(c->out_count * sizeof(double));
    c->magnitude = malloc(c->out_count * sizeof(double));
    assert_non_null(c->magnitude);
    oracle_fill(rng, c->input, c->in_count);
    oracle_fill(rng, c->weights, weight_count);
    oracle_fill(rng, c->bias, (size_t)d->out_c);
    oracle_fill(rng, c->slopes, (size_t)d->out_c);
    oracle_fill(rng, c->scale, (size_t)d->in_c);
    oracle_fill(rng, c->shift, (size_t)d->in_c);
    if (d->prologue.kind != HF_PROLOGUE_NONE) {
        d->prologue.scale = c->scale;
        d->prologue.shift = c->shift;
    }
    oracle_fill(rng, c->residual, c->out_count);
    if (d->act.kind == HF_ACT_PRELU)
        d->act.slopes = c->slopes;
    oracle_conv(d, c->input, c->weights, c->bias, c->residual, c->expected, c->magnitude);
}

/* Runs one plan of the case and checks every output. */
static void case_check(conv_case *c, hf_kernel_choice choice, hf_threadpool *pool)
{
    hf_conv_plan *plan = NULL;
    hf_status status = hf_conv_plan_create(&c->desc, c->weights, c->bias, choice, &plan);
    if (status != HF_OK)
        fail_msg("plan creation failed (%s) for %s", hf_status_name(status),
                 oracle_conv_text(&c->desc));

    size_t scratch_bytes = hf_conv_plan_scratch_bytes(plan, hf_threadpool_size(pool));
    void *scratch = hf_aligned_alloc(scratch_bytes + 64);
    assert_non_null(scratch);
    for (size_t i = 0; i < c->out_count; i++)
        c->output[i] = -12345.0f;
    hf_conv_plan_run(plan, c->input, c->residual, c->output, scratch, pool);

    long bad = oracle_first_mismatch(c->output, c->expected, c->magnitude, c->out_count,
                                     REL_TOLERANCE);
    if (bad >= 0)
        fail_msg("kernel %s, %d threads, %s: output %ld is %.7g, expected %.7g (scale %.3g)",
                 hf_conv_plan_kernel_name(plan), hf_threadpool_size(pool),
                 oracle_conv_text(&c->desc), bad, c->output[bad], c->expected[bad],
                 c->magnitude[bad]);
    hf_aligned_free(scratch);
    hf_conv_plan_destroy(plan);
}

static void case_check_all(conv_case *c, hf_threadpool *pool)
{
    for (size_t i = 0; i < sizeof(all_choices) / sizeof(all_choices[0]); i++) {
        case_check(c, all_choices[i], NULL);
        case_check(c, all_choices[i], pool);
    }
}

/* Output size for the given padding, or 0 when no window fits. */
static int output_size(int in, int pad_begin, int pad_end, int kernel, int stride, int dilation)
{
    int span = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

typedef enum shape_kind {
    SHAPE_POINTWISE,
    SHAPE_POINTWISE_STRIDED,
    SHAPE_DENSE,
    SHAPE_DEPTHWISE,
    SHAPE_GROUPED,
    SHAPE_DILATED,
} shape_kind;

static void random_act(oracle_rng *rng, hf_conv_desc *d, int index)
{
    d->act.kind = (hf_act_kind)(index % 5);
    d->act.clip_min = -0.5f + 0.25f * oracle_rng_float(rng);
    d->act.clip_max = 0.6f + 0.25f * oracle_rng_float(rng);
    d->residual = (hf_residual_mode)(index / 5 % 3);
}

/* Draws a random descriptor of the given kind; returns 0 when the drawn
 * padding leaves no output, so the caller draws again. */
static int random_desc(oracle_rng *rng, shape_kind kind, int index, hf_conv_desc *d)
{
    static const int dilations[] = {1, 2, 3, 5};
    int pad_bottom, pad_right;

    memset(d, 0, sizeof(*d));
    d->group = 1;
    d->stride_h = d->stride_w = 1;
    d->dilation_h = d->dilation_w = 1;
    d->kernel_h = d->kernel_w = 1;
    d->in_h = 1 + (int)oracle_rng_below(rng, 24);
    d->in_w = 1 + (int)oracle_rng_below(rng, 40);
    d->in_c = 1 + (int)oracle_rng_below(rng, 40);
    d->out_c = 1 + (int)oracle_rng_below(rng, 40);
    pad_bottom = pad_right = 0;

    switch (kind) {
    case SHAPE_POINTWISE:
        d->prologue.kind = (hf_prologue_kind)(index % 3);
        break;
    case SHAPE_POINTWISE_STRIDED:
        d->stride_h = d->stride_w = 2;
        break;
    case SHAPE_DENSE:
    case SHAPE_DEPTHWISE:
    case SHAPE_GROUPED:
    case SHAPE_DILATED:
        d->kernel_h = 1 + (int)oracle_rng_below(rng, 5);
        d->kernel_w = oracle_rng_below(rng, 3) == 0 ? 1 + (int)oracle_rng_below(rng, 5)
                                                     : d->kernel_h;
        d->stride_h = 1 + (int)oracle_rng_below(rng, 2);
        d->stride_w = oracle_rng_below(rng, 4) == 0 ? 3 - d->stride_h : d->stride_h;
        d->pad_top = (int)oracle_rng_below(rng, (uint32_t)d->kernel_h);
        d->pad_left = (int)oracle_rng_below(rng, (uint32_t)d->kernel_w);
        pad_bottom = (int)oracle_rng_below(rng, (uint32_t)d->kernel_h);
        pad_right = (int)oracle_rng_below(rng, (uint32_t)d->kernel_w);
        break;
    }
    if (kind == SHAPE_DEPTHWISE) {
        d->group = d->in_c = d->out_c;
    } else if (kind == SHAPE_GROUPED) {
        d->group = 2 + (int)oracle_rng_below(rng, 3);
        d->in_c = d->group * (1 + (int)oracle_rng_below(rng, 8));
        d->out_c = d->group * (1 + (int)oracle_rng_below(rng, 8));
    } else if (kind == SHAPE_DILATED) {
        d->dilation_h = dilations[oracle_rng_below(rng, 4)];
        d->dilation_w = dilations[oracle_rng_below(rng, 4)];
        d->in_h += 10;
        d->in_w += 10;
        if (oracle_rng_below(rng, 2) == 0)
            d->group = d->in_c = d->out_c;
    }
    random_act(rng, d, index);
    d->out_h = output_size(d->in_h, d->pad_top, pad_bottom, d->kernel_h, d->stride_h,
                           d->dilation_h);
    d->out_w = output_size(d->in_w, d->pad_left, pad_right, d->kernel_w, d->stride_w,
                           d->dilation_w);
    return d->out_h > 0 && d->out_w > 0;
}

static void check_random_shapes(shape_kind kind, int count, uint64_t seed)
{
    oracle_rng rng = {seed};
    hf_threadpool *pool = NULL;

    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (int i = 0; i < count; i++) {
        conv_case c = {0};
        while (!random_desc(&rng, kind, i, &c.desc))
            continue;
        case_prepare(&c, &rng);
        case_check_all(&c, pool);
        case_free(&c);
    }
    hf_threadpool_destroy(pool);
}

static void conv_pointwise_random(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_POINTWISE, 60, 11);
}

static void conv_pointwise_strided(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_POINTWISE_STRIDED, 30, 12);
}

static void conv_dense_random(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_DENSE, 60, 13);
}

static void conv_depthwise_random(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_DEPTHWISE, 60, 14);
}

static void conv_grouped_random(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_GROUPED, 30, 15);
}

static void conv_dilated_random(void **state)
{
    (void)state;
    check_random_shapes(SHAPE_DILATED, 40, 16);
}

/* Shapes from the face models, where the fast kernels take their main
 * paths: wide rows, many channels, narrow and strided depthwise layers,
 * global depthwise layers, 1x1 maps, and 5x5 stride-2 layers as in
 * BlazeFace with more padding at the bottom and right than at the top and
 * left. */
static void conv_model_shapes(void **state)
{
    static const int shapes[][13] = {
        /* in_c in_h in_w out_c kh kw stride pad_t pad_l pad_b pad_r group dilation */
        {3, 240, 320, 16, 3, 3, 2, 1, 1, 1, 1, 1, 1},
        {64, 30, 40, 64, 3, 3, 1, 1, 1, 1, 1, 64, 1},
        {64, 30, 40, 64, 3, 3, 2, 1, 1, 1, 1, 64, 1},
        {128, 15, 20, 128, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {64, 56, 56, 128, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {24, 64, 64, 24, 5, 5, 2, 1, 1, 2, 2, 24, 1},
        {3, 128, 128, 24, 5, 5, 2, 1, 1, 2, 2, 1, 1},
        {512, 7, 7, 512, 7, 7, 1, 0, 0, 0, 0, 512, 1},
        {96, 14, 14, 48, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {264, 28, 28, 128, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {256, 14, 14, 256, 3, 3, 1, 1, 1, 1, 1, 256, 1},
        {128, 16, 16, 128, 3, 3, 2, 1, 1, 1, 1, 128, 1},
        {103, 64, 64, 103, 3, 3, 2, 1, 1, 1, 1, 103, 1},
        {512, 4, 4, 512, 4, 4, 1, 0, 0, 0, 0, 512, 1},
        {512, 1, 1, 512, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {1, 64, 64, 32, 3, 3, 2, 1, 1, 1, 1, 1, 1},
        {464, 7, 7, 1024, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {32, 20, 20, 32, 3, 3, 1, 2, 2, 2, 2, 32, 2},
        {16, 30, 40, 16, 3, 3, 1, 5, 5, 5, 5, 1, 5},
        {32, 120, 160, 32, 3, 3, 2, 1, 1, 1, 1, 32, 1},
        {32, 60, 80, 32, 3, 3, 1, 1, 1, 1, 1, 32, 1},
        {8, 30, 40, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {12, 30, 40, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {16, 30, 40, 16, 3, 3, 1, 3, 3, 3, 3, 1, 3},
        {256, 4, 5, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {16, 120, 160, 32, 1, 1, 1, 0, 0, 0, 0, 1, 1},
    };
    oracle_rng rng = {17};
    hf_threadpool *pool = NULL;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const int *s = shapes[i];
        conv_case c = {0};
        hf_conv_desc *d = &c.desc;
        d->in_c = s[0], d->in_h = s[1], d->in_w = s[2], d->out_c = s[3];
        d->kernel_h = s[4], d->kernel_w = s[5], d->stride_h = d->stride_w = s[6];
        d->pad_top = s[7], d->pad_left = s[8], d->group = s[11];
        d->dilation_h = d->dilation_w = s[12];
        d->out_h = output_size(d->in_h, s[7], s[9], s[4], s[6], s[12]);
        d->out_w = output_size(d->in_w, s[8], s[10], s[5], s[6], s[12]);
        random_act(&rng, d, (int)i * 2 + 1);
        case_prepare(&c, &rng);
        case_check_all(&c, pool);
        case_free(&c);
    }
    hf_threadpool_destroy(pool);
}

/* Name of the kernel an automatic plan picks for the case. */
static const char *auto_kernel_name(const conv_case *c)
{
    hf_conv_plan *plan = NULL;
    const char *name;

    assert_int_equal(hf_conv_plan_create(&c->desc, c->weights, c->bias, HF_KERNEL_AUTO, &plan),
                     HF_OK);
    name = hf_conv_plan_kernel_name(plan);
    hf_conv_plan_destroy(plan);
    return name;
}

/* 3x3 depthwise layers with one padding column on the left, where AVX-512
 * takes the row kernel from 16 output columns at stride 1 and from 4 at
 * stride 2: widths around vector multiples, one or no padding column on
 * the right, heights down to one row, and every activation and residual
 * mode. */
static void conv_depthwise_rows(void **state)
{
    static const int widths[] = {8,  9,  16, 17, 20, 31, 32, 33, 40,  48,  49,
                                 63, 64, 65, 95, 96, 97, 98, 127, 129, 160, 161};
    static const int heights[] = {1, 2, 5};
    oracle_rng rng = {18};
    hf_threadpool *pool = NULL;
    int index = 0;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (int stride = 1; stride <= 2; stride++)
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
            for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++, index++) {
                conv_case c = {0};
                hf_conv_desc *d = &c.desc;
                int pad_end = index % 2;
                d->in_c = d->out_c = d->group = 3;
                d->in_h = heights[h] * stride, d->in_w = widths[w];
                d->kernel_h = d->kernel_w = 3;
                d->stride_h = d->stride_w = stride;
                d->pad_top = d->pad_left = 1;
                d->dilation_h = d->dilation_w = 1;
                d->out_h = output_size(d->in_h, 1, 1, 3, stride, 1);
                d->out_w = output_size(d->in_w, 1, pad_end, 3, stride, 1);
                random_act(&rng, d, index);
                case_prepare(&c, &rng);
                case_check_all(&c, pool);
                if (hf_cpu_level_get() >= HF_CPU_AVX512 && d->out_w >= (stride == 1 ? 16 : 4))
                    assert_string_equal(auto_kernel_name(&c), "depthwise-rows-avx512");
                case_free(&c);
            }
    hf_threadpool_destroy(pool);
}

/* 1x1 layers with an input prologue, as fr_expression's after the fusion
 * of BatchNormalization and Relu: DenseNet block shapes, deep inputs that
 * pack every strip, partial last strips, one input channel, 1x1 and 2x2
 * maps. Every activation and residual mode, on every kernel family. */
static void conv_prologue_shapes(void **state)
{
    static const int shapes[][4] = {
        /* in_c h w out_c */
        {256, 56, 56, 128}, {96, 56, 56, 128}, {512, 14, 14, 128}, {1024, 7, 7, 128},
        {300, 5, 7, 20},    {1, 9, 9, 3},      {64, 1, 1, 33},     {40, 2, 2, 17},
    };
    oracle_rng rng = {20};
    hf_threadpool *pool = NULL;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        conv_case c = {0};
        hf_conv_desc *d = &c.desc;
        d->in_c = shapes[i][0], d->in_h = d->out_h = shapes[i][1];
        d->in_w = d->out_w = shapes[i][2], d->out_c = shapes[i][3];
        d->kernel_h = d->kernel_w = d->stride_h = d->stride_w = 1;
        d->dilation_h = d->dilation_w = d->group = 1;
        d->prologue.kind = i % 2 ? HF_PROLOGUE_AFFINE : HF_PROLOGUE_AFFINE_RELU;
        random_act(&rng, d, (int)i * 3);
        case_prepare(&c, &rng);
        case_check_all(&c, pool);
        case_free(&c);
    }
    hf_threadpool_destroy(pool);
}

/* Maps of 1 to 36 pixels, around the 12-pixel limit of the small-map
 * kernel: 1x1 and 3x3 taps, strides 1 and 2, channel counts around vector
 * multiples, every activation and residual mode. */
static void conv_small_maps(void **state)
{
    static const int maps[][2] = {{1, 2}, {2, 2}, {3, 3}, {2, 6}, {3, 4}, {1, 12}, {1, 13},
                                  {4, 4}, {4, 5}, {5, 5}, {4, 8}, {6, 6}};
    static const int channels[] = {1, 2, 12, 16, 17, 33, 64, 130};
    oracle_rng rng = {19};
    hf_threadpool *pool = NULL;
    int index = 0;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++)
        for (size_t c_out = 0; c_out < sizeof(channels) / sizeof(channels[0]); c_out++, index++) {
            conv_case c = {0};
            hf_conv_desc *d = &c.desc;
            int kernel = index % 2 ? 3 : 1, stride = index % 3 == 0 ? 2 : 1;
            d->in_c = 1 + index * 7 % 70;
            d->out_c = channels[c_out];
            d->group = 1;
            d->kernel_h = d->kernel_w = kernel;
            d->stride_h = d->stride_w = stride;
            d->pad_top = d->pad_left = kernel / 2;
            d->dilation_h = d->dilation_w = 1;
            d->out_h = maps[m][0], d->out_w = maps[m][1];
            d->in_h = (d->out_h - 1) * stride + 1, d->in_w = (d->out_w - 1) * stride + 1;
            random_act(&rng, d, index);
            case_prepare(&c, &rng);
            case_check_all(&c, pool);
            /* 1x1 maps go to the matrix-vector kernel, and one input and
             * output channel make a depthwise layer. */
            int depthwise = d->in_c == 1 && d->out_c == 1;
            if (hf_cpu_level_get() >= HF_CPU_AVX512 && d->act.kind != HF_ACT_SIGMOID &&
                !depthwise && d->out_h * d->out_w > 1 && d->out_h * d->out_w <= 12)
                assert_string_equal(auto_kernel_name(&c), "small-map-avx512");
            case_free(&c);
        }
    hf_threadpool_destroy(pool);
}

/* 3x3 input 1..9 and an all-ones 3x3 kernel with padding 1 and stride 2:
 * each output sums one 2x2 corner of the input. */
static void conv_hand_checked(void **state)
{
    const float input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const float weights[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    const float bias[1] = {-20.0f};
    const float expected[4] = {0.0f, 0.0f, 4.0f, 8.0f}; /* relu(12, 16, 24, 28 - 20) */
    hf_conv_desc d = {
        .in_c = 1, .in_h = 3, .in_w = 3, .out_c = 1, .out_h = 2, .out_w = 2,
        .kernel_h = 3, .kernel_w = 3, .stride_h = 2, .stride_w = 2,
        .pad_top = 1, .pad_left = 1, .dilation_h = 1, .dilation_w = 1, .group = 1,
        .act = {.kind = HF_ACT_RELU},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(all_choices) / sizeof(all_choices[0]); i++) {
        hf_conv_plan *plan = NULL;
        float output[4];
        assert_int_equal(hf_conv_plan_create(&d, weights, bias, all_choices[i], &plan), HF_OK);
        void *scratch = hf_aligned_alloc(hf_conv_plan_scratch_bytes(plan, 1) + 64);
        hf_conv_plan_run(plan, input, NULL, output, scratch, NULL);
        for (int j = 0; j < 4; j++)
            assert_float_equal(output[j], expected[j], 1e-6);
        hf_aligned_free(scratch);
        hf_conv_plan_destroy(plan);
    }
}

static void conv_invalid_rejected(void **state)
{
    const float weights[64] = {0};
    hf_conv_desc good = {
        .in_c = 4, .in_h = 4, .in_w = 4, .out_c = 4, .out_h = 4, .out_w = 4,
        .kernel_h = 1, .kernel_w = 1, .stride_h = 1, .stride_w = 1,
        .dilation_h = 1, .dilation_w = 1, .group = 1,
    };
    hf_conv_plan *plan = NULL;
    hf_conv_desc d;

    (void)state;
    d = good, d.group = 3;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.in_h = 0;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.stride_w = -1;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.act.kind = HF_ACT_PRELU;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.act.kind = HF_ACT_CLIP, d.act.clip_min = 1.0f, d.act.clip_max = 0.0f;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.residual = (hf_residual_mode)7;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    /* A prologue needs its arrays and a 1x1, stride-1, unpadded layer. */
    const float ones[4] = {1, 1, 1, 1};
    d = good, d.prologue.kind = HF_PROLOGUE_AFFINE;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.prologue = (hf_prologue){HF_PROLOGUE_AFFINE, ones, ones};
    d.kernel_h = d.kernel_w = 3, d.pad_top = d.pad_left = 1;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d = good, d.prologue = (hf_prologue){(hf_prologue_kind)9, ones, ones};
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    assert_int_equal(hf_conv_plan_create(&good, NULL, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    assert_null(plan);
    hf_conv_plan_destroy(NULL);
}

/* Every allocation of plan creation may fail; each failure must return
 * HF_ERR_NO_MEMORY and leak nothing (checked under AddressSanitizer). */
static void conv_alloc_failure(void **state)
{
    float weights[32 * 16 * 9];
    float slopes[32];
    hf_conv_desc d = {
        .in_c = 16, .in_h = 9, .in_w = 9, .out_c = 32, .out_h = 9, .out_w = 9,
        .kernel_h = 3, .kernel_w = 3, .stride_h = 1, .stride_w = 1, .pad_top = 1,
        .pad_left = 1, .dilation_h = 1, .dilation_w = 1, .group = 1,
        .act = {.kind = HF_ACT_PRELU, .slopes = slopes},
    };
    oracle_rng rng = {18};

    (void)state;
    oracle_fill(&rng, weights, sizeof(weights) / sizeof(weights[0]));
    oracle_fill(&rng, slopes, 32);
    for (long n = 0; n < 20; n++) {
        hf_conv_plan *plan = NULL;
        hf_alloc_fail_after(n);
        hf_status status = hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan);
        hf_alloc_fail_after(-1);
        if (status == HF_OK) {
            hf_conv_plan_destroy(plan);
            return;
        }
        assert_int_equal(status, HF_ERR_NO_MEMORY);
        assert_null(plan);
    }
    fail_msg("plan creation still failing after 20 allocations");
}

/* Runs flush denormals to zero internally but leave the caller's floating-
 * point mode as it was; subnormal inputs then count as zero. */
static void conv_fp_mode_restored(void **state)
{
    float input[16], weights[1] = {1.0f}, output[16];
    hf_conv_desc d = {
        .in_c = 1, .in_h = 4, .in_w = 4, .out_c = 1, .out_h = 4, .out_w = 4,
        .kernel_h = 1, .kernel_w = 1, .stride_h = 1, .stride_w = 1,
        .dilation_h = 1, .dilation_w = 1, .group = 1,
    };
    hf_conv_plan *plan = NULL;

    (void)state;
    for (int i = 0; i < 16; i++)
        input[i] = i % 2 == 0 ? 1e-39f : (float)i;
    assert_int_equal(hf_conv_plan_create(&d, weights, NULL, HF_KERNEL_AUTO, &plan), HF_OK);
    void *scratch = hf_aligned_alloc(hf_conv_plan_scratch_bytes(plan, 1) + 64);
#if defined(__x86_64__)
    unsigned int before = _mm_getcsr();
#endif
    hf_conv_plan_run(plan, input, NULL, output, scratch, NULL);
#if defined(__x86_64__)
    assert_int_equal(_mm_getcsr(), before);
#endif
    for (int i = 0; i < 16; i++)
        assert_true(fabsf(output[i] - (i % 2 == 0 ? 0.0f : (float)i)) <= 1e-30f);
    hf_aligned_free(scratch);
    hf_conv_plan_destroy(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_hand_checked),
        cmocka_unit_test(conv_invalid_rejected),
        cmocka_unit_test(conv_alloc_failure),
        cmocka_unit_test(conv_fp_mode_restored),
        cmocka_unit_test(conv_pointwise_random),
        cmocka_unit_test(conv_pointwise_strided),
        cmocka_unit_test(conv_dense_random),
        cmocka_unit_test(conv_depthwise_random),
        cmocka_unit_test(conv_grouped_random),
        cmocka_unit_test(conv_dilated_random),
        cmocka_unit_test(conv_model_shapes),
        cmocka_unit_test(conv_depthwise_rows),
        cmocka_unit_test(conv_small_maps),
        cmocka_unit_test(conv_prologue_shapes),
    };
    /* Split every run with a pool, however small, to test the part ranges. */
    hf_conv_parallel_threshold_set(0.0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
