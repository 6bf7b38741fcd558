/* AVX-512 depthwise 3x3 kernel that reads the input in place. Each output
 * row is a loop over vectors of 16 pixels.
 * Nothing is copied or transposed: padding rows read a static zero row and
 * padding columns come from masked loads, so the layer reads its input and
 * writes its output once. That traffic bounds it on maps larger than the L2
 * cache.
 *
 * Stride 1 loads each input vector once and builds the shifted taps with
 * lane rotations. Stride 2 loads two vectors per kernel row and splits them
 * into the even and odd input columns. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>

#include "runtime/kernels/epilogue_avx512.h"

/* Zeros that stand in for the rows above and below the input, so the inner
 * loops have no row checks. Layers with wider rows go to other kernels. */
#define ZERO_ROW_FLOATS 4096
static const float zero_row[ZERO_ROW_FLOATS] __attribute__((aligned(64)));

/* Returns the lanes of columns [start, start + 16) that lie in [0, width). */
static inline __mmask16 column_lanes(int start, int width)
{
    int low = start < 0 ? -start : 0;
    int high = width - start < VW ? width - start : VW;

    if (high <= low)
        return 0;
    return (__mmask16)(((1u << high) - 1u) & ~((1u << low) - 1u));
}

/* Inputs of one output row: the input rows under kernel rows 0..2 (or
 * zero_row) and the channel's nine weights, each in all lanes. */
typedef struct row_taps {
    const float *rows[3];
    __m512 weights[9];
} row_taps;

/* Points rows[ky] at input row first_row + ky, or at zero_row outside. */
static inline __attribute__((always_inline)) void
taps_rows(row_taps *t, const float *channel, int first_row, int in_h, int in_w)
{
    for (int ky = 0; ky < 3; ky++) {
        int iy = first_row + ky;
        t->rows[ky] = iy >= 0 && iy < in_h ? channel + (size_t)iy * in_w : zero_row;
    }
}

/* Three input vectors of one kernel row around output vector x at stride 1
 * with one padding column: columns x - 16 .. x - 1, x .. x + 15 and
 * x + 16 .. x + 31. The taps are the middle vector and the middle vector
 * moved one lane either way, so each input vector is loaded once. In a
 * microbenchmark on the AMD Zen 5 development machine, unaligned loads at
 * x - 1 and x + 1 instead took 10.6 cycles per output vector against 5.9. */
typedef struct row_window {
    __m512 before, middle, after;
} row_window;

static inline __attribute__((always_inline)) __m512 stride1_row_sum(const row_window *w,
                                                                     const __m512 *taps,
                                                                     __m512 acc)
{
    __m512 left = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(w->middle),
                                                          _mm512_castps_si512(w->before), 15));
    __m512 right = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(w->after),
                                                           _mm512_castps_si512(w->middle), 1));
    acc = _mm512_fmadd_ps(taps[0], left, acc);
    acc = _mm512_fmadd_ps(taps[1], w->middle, acc);
    return _mm512_fmadd_ps(taps[2], right, acc);
}

/* Loads input columns [x, x + 16) of a row. Columns from in_w on read as
 * zero when `masked` is set. */
static inline __attribute__((always_inline)) __m512 load_columns(const float *row, int x,
                                                                 int in_w, const int masked)
{
    return masked ? _mm512_maskz_loadu_ps(column_lanes(x, in_w), row + x)
                  : _mm512_loadu_ps(row + x);
}

/* Sums output vector x from the three windows and moves them one vector
 * right. `masked` loads the next input vector with a mask. */
static inline __attribute__((always_inline)) __m512
stride1_step(const row_taps *t, row_window w[3], int x, int in_w, __m512 init, const int masked)
{
    __m512 acc[3];

#pragma GCC unroll 3
    for (int ky = 0; ky < 3; ky++) {
        w[ky].after = load_columns(t->rows[ky], x + VW, in_w, masked);
        __m512 start = ky == 0 ? init : _mm512_setzero_ps();
        acc[ky] = stride1_row_sum(&w[ky], &t->weights[ky * 3], start);
        w[ky].before = w[ky].middle;
        w[ky].middle = w[ky].after;
    }
    return _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), acc[2]);
}

/* Sums output vector x at stride 2 with one padding column, where output
 * column x reads input columns 2x - 1, 2x and 2x + 1. Two loads per kernel
 * row give the even and odd columns. The left tap is the odd columns moved
 * up one lane, with the last odd column of the previous vector in lane 0
 * (zero before the first vector). */
static inline __attribute__((always_inline)) __m512
stride2_sum(const row_taps *t, int x, int in_w, __m512 init, const int masked,
            __m512 previous_odd[3])
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
                                           28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27,
                                          29, 31);
    __m512 acc[3];

#pragma GCC unroll 3
    for (int ky = 0; ky < 3; ky++) {
        const float *p = t->rows[ky] + 2 * x;
        __m512 low = masked ? _mm512_maskz_loadu_ps(column_lanes(2 * x, in_w), p)
                            : _mm512_loadu_ps(p);
        __m512 high = masked ? _mm512_maskz_loadu_ps(column_lanes(2 * x + VW, in_w), p + VW)
                             : _mm512_loadu_ps(p + VW);
        __m512 e = _mm512_permutex2var_ps(low, even, high);
        __m512 o = _mm512_permutex2var_ps(low, odd, high);
        __m512 left = _mm512_castsi512_ps(_mm512_alignr_epi32(
            _mm512_castps_si512(o), _mm512_castps_si512(previous_odd[ky]), 15));
        previous_odd[ky] = o;
        acc[ky] = ky == 0 ? _mm512_fmadd_ps(t->weights[0], left, init)
                          : _mm512_mul_ps(t->weights[ky * 3], left);
        acc[ky] = _mm512_fmadd_ps(t->weights[ky * 3 + 1], e, acc[ky]);
        acc[ky] = _mm512_fmadd_ps(t->weights[ky * 3 + 2], o, acc[ky]);
    }
    return _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), acc[2]);
}

/* Activations the fast path applies inline, known at compile time. */
enum { FAST_NONE, FAST_RELU, FAST_CLIP, FAST_GENERIC };

static inline __attribute__((always_inline)) __m512
fast_act(__m512 x, const masked_epilogue *e, const int act)
{
    if (act == FAST_RELU)
        return _mm512_max_ps(x, _mm512_setzero_ps());
    if (act == FAST_CLIP)
        return _mm512_min_ps(_mm512_max_ps(x, e->lower), e->upper);
    return x;
}

/* Computes one stride-1 output row. On the fast path (act other than
 * FAST_GENERIC), the bias starts the sums and the activation is inline.
 * Otherwise epilogue_store finishes each vector. Loads need masks only
 * where the next input vector reaches past the row. */
static inline __attribute__((always_inline)) void
stride1_row(const row_taps *t, const hf_conv_desc *d, const masked_epilogue *e,
            const float *residual, float *dst, const int act)
{
    __m512 init = act == FAST_GENERIC ? _mm512_setzero_ps() : e->bias;
    row_window w[3];
    int x = 0;

    for (int ky = 0; ky < 3; ky++) {
        w[ky].before = _mm512_setzero_ps();
        w[ky].middle = load_columns(t->rows[ky], 0, d->in_w, 1);
    }
    for (; x + VW <= d->out_w && x + 2 * VW <= d->in_w; x += VW) {
        __m512 sum = stride1_step(t, w, x, d->in_w, init, 0);
        if (act == FAST_GENERIC)
            epilogue_store(e, sum, residual ? residual + x : NULL, dst + x, 0xffff);
        else
            _mm512_storeu_ps(dst + x, fast_act(sum, e, act));
    }
    for (; x < d->out_w; x += VW) {
        __m512 sum = stride1_step(t, w, x, d->in_w, init, 1);
        if (act == FAST_GENERIC)
            epilogue_store(e, sum, residual ? residual + x : NULL, dst + x,
                           tail_lanes(d->out_w - x));
        else
            _mm512_mask_storeu_ps(dst + x, tail_lanes(d->out_w - x), fast_act(sum, e, act));
    }
}

/* Computes one stride-2 output row, finished as in stride1_row. */
static inline __attribute__((always_inline)) void
stride2_row(const row_taps *t, const hf_conv_desc *d, const masked_epilogue *e,
            const float *residual, float *dst, const int act)
{
    __m512 previous_odd[3] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    __m512 init = act == FAST_GENERIC ? _mm512_setzero_ps() : e->bias;
    int x = 0;

    for (; x + VW <= d->out_w && 2 * x + 2 * VW <= d->in_w; x += VW) {
        __m512 sum = stride2_sum(t, x, d->in_w, init, 0, previous_odd);
        if (act == FAST_GENERIC)
            epilogue_store(e, sum, residual ? residual + x : NULL, dst + x, 0xffff);
        else
            _mm512_storeu_ps(dst + x, fast_act(sum, e, act));
    }
    for (; x < d->out_w; x += VW) {
        __m512 sum = stride2_sum(t, x, d->in_w, init, 1, previous_odd);
        if (act == FAST_GENERIC)
            epilogue_store(e, sum, residual ? residual + x : NULL, dst + x,
                           tail_lanes(d->out_w - x));
        else
            _mm512_mask_storeu_ps(dst + x, tail_lanes(d->out_w - x), fast_act(sum, e, act));
    }
}

/* Computes output rows [first_row, end_row) of channel c. Instantiated per
 * stride and FAST_* kind, so the weights stay in registers across the rows. */
static inline __attribute__((always_inline)) void
conv_channel(const hf_conv_job *job, int c, int first_row, int end_row, const int stride,
             const int act)
{
    const hf_conv_desc *d = &job->plan->desc;
    const float *channel = job->input + (size_t)c * d->in_h * d->in_w;
    const float *weights = job->plan->weights + (size_t)c * 9;
    masked_epilogue e;
    row_taps t;

    epilogue_init(&e, job->plan, c);
    for (int i = 0; i < 9; i++)
        t.weights[i] = _mm512_set1_ps(weights[i]);
    for (int y = first_row; y < end_row; y++) {
        size_t at = ((size_t)c * d->out_h + y) * d->out_w;
        const float *residual = job->residual ? job->residual + at : NULL;
        taps_rows(&t, channel, y * stride - d->pad_top, d->in_h, d->in_w);
        if (stride == 1)
            stride1_row(&t, d, &e, residual, job->output + at, act);
        else
            stride2_row(&t, d, &e, residual, job->output + at, act);
    }
}

typedef void (*channel_fn)(const hf_conv_job *job, int c, int first_row, int end_row);

#define DEFINE_CHANNEL(step, act)                                                             \
    static void channel_s##step##_##act(const hf_conv_job *job, int c, int first_row,         \
                                        int end_row)                                          \
    {                                                                                         \
        conv_channel(job, c, first_row, end_row, step, act);                                  \
    }

DEFINE_CHANNEL(1, FAST_NONE)
DEFINE_CHANNEL(1, FAST_RELU)
DEFINE_CHANNEL(1, FAST_CLIP)
DEFINE_CHANNEL(1, FAST_GENERIC)
DEFINE_CHANNEL(2, FAST_NONE)
DEFINE_CHANNEL(2, FAST_RELU)
DEFINE_CHANNEL(2, FAST_CLIP)
DEFINE_CHANNEL(2, FAST_GENERIC)

/* Channel functions by stride (index 0 for 1, 1 for 2) and FAST_* kind. */
static const channel_fn channel_table[2][4] = {
    {channel_s1_FAST_NONE, channel_s1_FAST_RELU, channel_s1_FAST_CLIP, channel_s1_FAST_GENERIC},
    {channel_s2_FAST_NONE, channel_s2_FAST_RELU, channel_s2_FAST_CLIP, channel_s2_FAST_GENERIC},
};

static int fast_kind(const hf_conv_desc *d)
{
    if (d->residual != HF_RESIDUAL_NONE)
        return FAST_GENERIC;
    switch (d->act.kind) {
    case HF_ACT_NONE: return FAST_NONE;
    case HF_ACT_RELU: return FAST_RELU;
    case HF_ACT_CLIP: return FAST_CLIP;
    default: return FAST_GENERIC;
    }
}

/* Part ith of nth is a band of output rows across all channels. The
 * GEMM kernel splits its output into the same bands, and the thread pool
 * gives part ith of every job to the same thread, so each thread reads
 * the rows that it wrote in the layer before. */
static void depthwise_rows_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_desc *d = &job->plan->desc;
    channel_fn channel = channel_table[d->stride_w == 2][fast_kind(d)];
    int first_row, end_row;

    hf_kernel_range(d->out_h, ith, nth, &first_row, &end_row);
    for (int c = 0; c < d->out_c; c++)
        channel(job, c, first_row, end_row);
}

/* Takes 3x3 undilated depthwise layers at stride 1 or 2 with one padding
 * column on the left and input rows that fit zero_row. Output rows need 16
 * columns at stride 1 and 4 at stride 2. Below that, the masked kernel was
 * faster in bench_kernels on the face models' layers (8x10 at stride 1:
 * 9.9 against 11.2 us for 256 channels). */
hf_status hf_conv_depthwise_rows_avx512_select(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    int stride_ok = (d->stride_h == 1 && d->stride_w == 1) ||
                    (d->stride_h == 2 && d->stride_w == 2);
    int min_width = d->stride_w == 2 ? 4 : 16;

    if (d->kernel_h != 3 || d->kernel_w != 3 || d->dilation_h != 1 || d->dilation_w != 1 ||
        !stride_ok || d->pad_left != 1 || d->out_w < min_width ||
        d->in_w + 2 * VW > ZERO_ROW_FLOATS)
        return HF_ERR_UNSUPPORTED;
    plan->kernel = depthwise_rows_run;
    plan->name = "depthwise-rows-avx512";
    plan->parts = d->out_h;
    return HF_OK;
}
