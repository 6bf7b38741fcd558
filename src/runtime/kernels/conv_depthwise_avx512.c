/* AVX-512 depthwise kernels that read the input in place. In stride-1
 * layers whose output rows are as wide as the input rows, each tap is a
 * masked load at a fixed offset. In stride-2 layers, each tap is two masked
 * loads and a permute. Global depthwise layers (the kernel covers the whole
 * input) are one dot product per channel. They
 * skip the padded copy of the general depthwise kernel, whose cost
 * dominates on the small maps of the face models. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>

#include "base/alloc.h"
#include "runtime/kernels/conv_gemm.h"
#include "runtime/kernels/epilogue_avx512.h"

#define GROUP_VECTORS 4

/* Sums every tap for `vectors` output vectors starting at vector `first`,
 * two accumulator chains per vector to hide the FMA latency. Vectors whose
 * taps all lie inside the image (`interior`) skip the mask loads. */
static inline __attribute__((always_inline)) void
masked_group(const hf_conv_plan *plan, const float *src, const float *weights, int first,
             __m512 *sums, const int vectors, const int interior)
{
    const hf_conv_gemm_layout *g = &plan->gemm;
    const unsigned short *masks = plan->lane_masks + (size_t)first * g->depth;
    __m512 acc[2][GROUP_VECTORS];
    int taps = g->depth;

    for (int v = 0; v < vectors; v++)
        acc[0][v] = acc[1][v] = _mm512_setzero_ps();
    /* Taps go in pairs so both chains are indexed by constants and stay in
     * registers. */
    for (int t = 0; t < taps; t += 2) {
        for (int chain = 0; chain < 2; chain++) {
            int tap = t + chain < taps ? t + chain : t;
            __m512 w = _mm512_set1_ps(t + chain < taps ? weights[tap] : 0.0f);
            const float *p = src + g->offsets[tap] + (ptrdiff_t)first * VW;
            for (int v = 0; v < vectors; v++) {
                __m512 x = interior ? _mm512_loadu_ps(p + v * VW)
                                    : _mm512_maskz_loadu_ps(masks[v * taps + tap], p + v * VW);
                acc[chain][v] = _mm512_fmadd_ps(w, x, acc[chain][v]);
            }
        }
    }
    for (int v = 0; v < vectors; v++)
        sums[v] = _mm512_add_ps(acc[0][v], acc[1][v]);
}

/* Returns nonzero when every tap of vectors [first, first + count) is
 * entirely inside the image. */
static int group_interior(const hf_conv_plan *plan, int first, int count)
{
    const unsigned short *masks = plan->lane_masks + (size_t)first * plan->gemm.depth;

    for (int i = 0; i < count * plan->gemm.depth; i++)
        if (masks[i] != 0xffff)
            return 0;
    return 1;
}

static void masked_channel(const hf_conv_job *job, int c)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    int count = d->out_h * d->out_w;
    int vectors = (count + VW - 1) / VW;
    size_t at = (size_t)c * count;
    const float *src = job->input + (size_t)c * d->in_h * d->in_w;
    const float *weights = plan->weights + (size_t)c * plan->gemm.depth;
    const unsigned short *interior = plan->lane_masks + (size_t)vectors * plan->gemm.depth;
    masked_epilogue e;

    epilogue_init(&e, plan, c);
    for (int first = 0; first < vectors; first += GROUP_VECTORS) {
        __m512 sums[GROUP_VECTORS];
        int n = vectors - first < GROUP_VECTORS ? vectors - first : GROUP_VECTORS;
        if (n == GROUP_VECTORS && interior[first / GROUP_VECTORS])
            masked_group(plan, src, weights, first, sums, GROUP_VECTORS, 1);
        else if (n == GROUP_VECTORS)
            masked_group(plan, src, weights, first, sums, GROUP_VECTORS, 0);
        else if (n == 3)
            masked_group(plan, src, weights, first, sums, 3, 0);
        else if (n == 2)
            masked_group(plan, src, weights, first, sums, 2, 0);
        else
            masked_group(plan, src, weights, first, sums, 1, 0);
        for (int v = 0; v < n; v++) {
            int q = (first + v) * VW;
            const float *residual = job->residual ? job->residual + at + q : NULL;
            epilogue_store(&e, sums[v], residual, job->output + at + q, tail_lanes(count - q));
        }
    }
}

static void depthwise_masked_run(const hf_conv_job *job, int ith, int nth)
{
    int begin, end;

    hf_kernel_range(job->plan->desc.out_c, ith, nth, &begin, &end);
    for (int c = begin; c < end; c++)
        masked_channel(job, c);
}

/* Builds the tap offsets into the unpadded input and the lane masks. For
 * each output vector and tap, a mask has the lanes whose input pixel lies
 * inside the image. After them comes one flag per group of GROUP_VECTORS
 * vectors that is 1 when no lane of the group is masked. */
static hf_status build_masks(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    hf_conv_gemm_layout *g = &plan->gemm;
    int count = d->out_h * d->out_w;
    int vectors = (count + VW - 1) / VW;

    g->depth = d->kernel_h * d->kernel_w;
    g->offsets = hf_malloc((size_t)g->depth * sizeof(int));
    int groups = (vectors + GROUP_VECTORS - 1) / GROUP_VECTORS;
    plan->lane_masks = hf_calloc((size_t)vectors * g->depth + groups, sizeof(unsigned short));
    if (g->offsets == NULL || plan->lane_masks == NULL)
        return HF_ERR_NO_MEMORY;
    for (int t = 0; t < g->depth; t++) {
        int dy = t / d->kernel_w * d->dilation_h - d->pad_top;
        int dx = t % d->kernel_w * d->dilation_w - d->pad_left;
        g->offsets[t] = dy * d->in_w + dx;
        for (int q = 0; q < count; q++) {
            int y = q / d->out_w + dy, x = q % d->out_w + dx;
            if (y >= 0 && y < d->in_h && x >= 0 && x < d->in_w)
                plan->lane_masks[(size_t)(q / VW) * g->depth + t] |= (unsigned short)(1u << q % VW);
        }
    }
    for (int i = 0; i < groups; i++) {
        int first = i * GROUP_VECTORS;
        int count = vectors - first < GROUP_VECTORS ? vectors - first : GROUP_VECTORS;
        plan->lane_masks[(size_t)vectors * g->depth + i] =
            (unsigned short)(count == GROUP_VECTORS && group_interior(plan, first, count));
    }
    return HF_OK;
}

/* Global depthwise: every output is the dot product of a channel with its
 * kernel, which has the same shape. */
static void depthwise_global_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    int count = d->in_h * d->in_w;
    int begin, end;

    hf_kernel_range(d->out_c, ith, nth, &begin, &end);
    for (int c = begin; c < end; c++) {
        const float *x = job->input + (size_t)c * count;
        const float *w = plan->weights + (size_t)c * count;
        __m512 acc = _mm512_setzero_ps();
        for (int i = 0; i < count; i += VW) {
            __mmask16 lanes = tail_lanes(count - i);
            acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, x + i),
                                  _mm512_maskz_loadu_ps(lanes, w + i), acc);
        }
        float sum = _mm512_reduce_add_ps(acc) + plan->bias[c];
        if (d->residual == HF_RESIDUAL_BEFORE_ACT)
            sum += job->residual[c];
        sum = hf_act_apply(&d->act, c, sum);
        if (d->residual == HF_RESIDUAL_AFTER_ACT)
            sum += job->residual[c];
        job->output[c] = sum;
    }
}

/* Stride 2: each output vector is the even lanes of two input vectors.
 * Per tap column kx and output vector xv, the plan stores which of the 32
 * input columns lie inside the image, so padding needs no copy. */
static inline __m512 load_even(const float *p, unsigned int lanes)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
                                           28, 30);
    __m512 low = _mm512_maskz_loadu_ps((__mmask16)lanes, p);
    __m512 high = _mm512_maskz_loadu_ps((__mmask16)(lanes >> 16), p + VW);
    return _mm512_permutex2var_ps(low, even, high);
}

/* Sums the taps of output rows y and y + 1 (when `pair`) for output vector
 * xv. Input row 2y + r - pad_top serves row y with kernel row r and row
 * y + 1 with kernel row r - 2, so the pair loads each shared row once. */
static inline __attribute__((always_inline)) void
strided_rows(const hf_conv_plan *plan, const float *src, const float *weights, int y, int xv,
             int pair, __m512 *first, __m512 *second, const int kernel_w)
{
    const hf_conv_desc *d = &plan->desc;
    const unsigned int *masks =
        (const unsigned int *)plan->lane_masks + (size_t)xv * kernel_w;
    /* Two chains per row by tap column parity. They are named variables, so
     * they stay in registers. */
    __m512 a_even = _mm512_setzero_ps(), a_odd = _mm512_setzero_ps();
    __m512 b_even = _mm512_setzero_ps(), b_odd = _mm512_setzero_ps();
    int input_rows = d->kernel_h + (pair ? 2 : 0);

    for (int r = 0; r < input_rows; r++) {
        int iy = 2 * y + r - d->pad_top;
        if (iy < 0 || iy >= d->in_h)
            continue;
        const float *row = src + (size_t)iy * d->in_w + 2 * xv * VW - d->pad_left;
        const float *wa = r < d->kernel_h ? weights + r * kernel_w : NULL;
        const float *wb = pair && r >= 2 ? weights + (r - 2) * kernel_w : NULL;
        for (int kx = 0; kx < kernel_w; kx++) {
            __m512 x = load_even(row + kx, masks[kx]);
            if (wa != NULL && kx % 2 == 0)
                a_even = _mm512_fmadd_ps(_mm512_set1_ps(wa[kx]), x, a_even);
            else if (wa != NULL)
                a_odd = _mm512_fmadd_ps(_mm512_set1_ps(wa[kx]), x, a_odd);
            if (wb != NULL && kx % 2 == 0)
                b_even = _mm512_fmadd_ps(_mm512_set1_ps(wb[kx]), x, b_even);
            else if (wb != NULL)
                b_odd = _mm512_fmadd_ps(_mm512_set1_ps(wb[kx]), x, b_odd);
        }
    }
    *first = _mm512_add_ps(a_even, a_odd);
    *second = _mm512_add_ps(b_even, b_odd);
}

static void strided_channel(const hf_conv_job *job, int c)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    const float *src = job->input + (size_t)c * d->in_h * d->in_w;
    const float *weights = plan->weights + (size_t)c * d->kernel_h * d->kernel_w;
    size_t channel = (size_t)c * d->out_h * d->out_w;
    int vectors = (d->out_w + VW - 1) / VW;
    masked_epilogue e;

    epilogue_init(&e, plan, c);
    for (int y = 0; y < d->out_h; y += 2) {
        int pair = y + 1 < d->out_h;
        for (int xv = 0; xv < vectors; xv++) {
            __m512 sums[2];
            /* A constant width for the common 3x3 kernel unrolls the taps. */
            if (d->kernel_w == 3)
                strided_rows(plan, src, weights, y, xv, pair, &sums[0], &sums[1], 3);
            else
                strided_rows(plan, src, weights, y, xv, pair, &sums[0], &sums[1], d->kernel_w);
            for (int i = 0; i <= pair; i++) {
                size_t at = channel + (size_t)(y + i) * d->out_w + (size_t)xv * VW;
                const float *residual = job->residual ? job->residual + at : NULL;
                epilogue_store(&e, sums[i], residual, job->output + at,
                               tail_lanes(d->out_w - xv * VW));
            }
        }
    }
}

static void depthwise_strided_run(const hf_conv_job *job, int ith, int nth)
{
    int begin, end;

    hf_kernel_range(job->plan->desc.out_c, ith, nth, &begin, &end);
    for (int c = begin; c < end; c++)
        strided_channel(job, c);
}

static hf_status build_column_masks(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    int vectors = (d->out_w + VW - 1) / VW;
    unsigned int *masks = hf_calloc((size_t)vectors * d->kernel_w, sizeof(unsigned int));

    if (masks == NULL)
        return HF_ERR_NO_MEMORY;
    for (int xv = 0; xv < vectors; xv++) {
        for (int kx = 0; kx < d->kernel_w; kx++) {
            int start = 2 * xv * VW - d->pad_left + kx;
            for (int i = 0; i < 2 * VW; i++) {
                int x = start + i;
                /* Odd lanes are dropped by the permute, so load only even ones. */
                if (i % 2 == 0 && x >= 0 && x < d->in_w && (xv * VW + i / 2) < d->out_w)
                    masks[(size_t)xv * d->kernel_w + kx] |= 1u << i;
            }
        }
    }
    plan->lane_masks = (unsigned short *)masks;
    return HF_OK;
}

hf_status hf_conv_depthwise_direct_avx512_select(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;

    if (d->out_h == 1 && d->out_w == 1 && d->kernel_h == d->in_h && d->kernel_w == d->in_w &&
        d->pad_top == 0 && d->pad_left == 0 && d->dilation_h == 1 && d->dilation_w == 1) {
        plan->kernel = depthwise_global_run;
        plan->name = "depthwise-global-avx512";
        plan->parts = d->out_c;
        return HF_OK;
    }
    if (d->stride_h == 2 && d->stride_w == 2 && d->dilation_h == 1 && d->dilation_w == 1) {
        hf_status status = build_column_masks(plan);
        if (status != HF_OK)
            return status;
        plan->kernel = depthwise_strided_run;
        plan->name = "depthwise-stride2-avx512";
        plan->parts = d->out_c;
        return HF_OK;
    }
    /* From about 48 columns on, the padded-copy kernel is faster: its rows
     * fill whole vectors and its loads need no masks (measured with
     * bench_kernels on the models' depthwise layers, 1 thread). */
    if (d->stride_h != 1 || d->stride_w != 1 || d->out_w != d->in_w || d->out_w >= 48)
        return HF_ERR_UNSUPPORTED;
    hf_status status = build_masks(plan);
    if (status != HF_OK)
        return status;
    plan->kernel = depthwise_masked_run;
    plan->name = "depthwise-masked-avx512";
    plan->parts = d->out_c;
    return HF_OK;
}
