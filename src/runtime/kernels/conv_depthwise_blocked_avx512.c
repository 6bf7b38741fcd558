/* AVX-512 depthwise kernel over blocks of 16 channels. Each block of the
 * input is transposed into a zero-padded [row][column][16 channels] buffer.
 * Every tap of an output pixel is then one aligned vector load and one FMA
 * for 16 channels at once, with no masks and no split cache lines. Sixteen
 * output pixels are transposed back to 16 channel rows in registers before
 * the epilogue. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>
#include <string.h>

#include "base/alloc.h"
#include "runtime/kernels/conv_gemm.h"
#include "runtime/kernels/epilogue_avx512.h"

/* Padded buffer geometry of one block, in pixels of 16 floats. */
typedef struct blocked_geometry {
    int rows, columns;
} blocked_geometry;

static blocked_geometry geometry(const hf_conv_desc *d)
{
    blocked_geometry g;
    int need_rows = (d->out_h - 1) * d->stride_h + (d->kernel_h - 1) * d->dilation_h + 1;
    int need_columns = (d->out_w - 1) * d->stride_w + (d->kernel_w - 1) * d->dilation_w + 1;

    g.rows = need_rows > d->pad_top + d->in_h ? need_rows : d->pad_top + d->in_h;
    g.columns = need_columns > d->pad_left + d->in_w ? need_columns : d->pad_left + d->in_w;
    return g;
}

/* Pixels after the buffer that the last group of 16 output pixels may read
 * (its lanes past out_w are computed but never stored). */
static int slack_pixels(const hf_conv_desc *d)
{
    return VW * d->stride_w + 1;
}

/* Transposes a 16x16 block held as 16 row vectors, in place. */
static inline void transpose16(__m512 r[16])
{
    __m512 t[16], u[16];

    for (int g = 0; g < 4; g++) {
        t[4 * g + 0] = _mm512_unpacklo_ps(r[4 * g + 0], r[4 * g + 1]);
        t[4 * g + 1] = _mm512_unpackhi_ps(r[4 * g + 0], r[4 * g + 1]);
        t[4 * g + 2] = _mm512_unpacklo_ps(r[4 * g + 2], r[4 * g + 3]);
        t[4 * g + 3] = _mm512_unpackhi_ps(r[4 * g + 2], r[4 * g + 3]);
    }
    for (int g = 0; g < 4; g++) {
        __m512d a = _mm512_castps_pd(t[4 * g + 0]), b = _mm512_castps_pd(t[4 * g + 2]);
        __m512d c = _mm512_castps_pd(t[4 * g + 1]), e = _mm512_castps_pd(t[4 * g + 3]);
        u[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, b));
        u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, b));
        u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(c, e));
        u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(c, e));
    }
    /* u[4g + m] holds, in 128-bit lane k, column 4k + m of rows 4g..4g+3. */
    for (int m = 0; m < 4; m++) {
        __m512 x = _mm512_shuffle_f32x4(u[m], u[4 + m], 0x44);
        __m512 y = _mm512_shuffle_f32x4(u[m], u[4 + m], 0xee);
        __m512 z = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0x44);
        __m512 w = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0xee);
        r[m] = _mm512_shuffle_f32x4(x, z, 0x88);
        r[4 + m] = _mm512_shuffle_f32x4(x, z, 0xdd);
        r[8 + m] = _mm512_shuffle_f32x4(y, w, 0x88);
        r[12 + m] = _mm512_shuffle_f32x4(y, w, 0xdd);
    }
}

/* Fills buffer rows 0..rows-1 with padded rows [row0, row0 + rows) of
 * channels [first, first + count): the input transposed to 16-channel
 * pixels, zeros around it, and zeroed slack after the last row. */
static void pack_block(const hf_conv_plan *plan, const float *input, int first, int count,
                       int row0, int rows, float *buffer)
{
    const hf_conv_desc *d = &plan->desc;
    blocked_geometry g = geometry(d);
    size_t plane = (size_t)d->in_h * d->in_w;
    size_t row_floats = (size_t)g.columns * VW;

    for (int r = 0; r < rows; r++) {
        float *line = buffer + (size_t)r * row_floats;
        int y = row0 + r - d->pad_top;
        if (y < 0 || y >= d->in_h) {
            memset(line, 0, row_floats * sizeof(float));
            continue;
        }
        memset(line, 0, (size_t)d->pad_left * VW * sizeof(float));
        memset(line + (size_t)(d->pad_left + d->in_w) * VW, 0,
               (size_t)(g.columns - d->pad_left - d->in_w) * VW * sizeof(float));
        for (int x = 0; x < d->in_w; x += VW) {
            int n = d->in_w - x < VW ? d->in_w - x : VW;
            __m512 r16[16];
            __mmask16 mask = tail_lanes(n);
            for (int c = 0; c < VW; c++)
                r16[c] = c < count ? _mm512_maskz_loadu_ps(mask, input + (first + c) * plane +
                                                                   (size_t)y * d->in_w + x)
                                   : _mm512_setzero_ps();
            transpose16(r16);
            for (int p = 0; p < n; p++)
                _mm512_store_ps(line + (size_t)(d->pad_left + x + p) * VW, r16[p]);
        }
    }
    memset(buffer + (size_t)rows * row_floats, 0, (size_t)slack_pixels(d) * VW * sizeof(float));
}


/* Computes output rows [y_begin, y_end) of one block from a buffer whose
 * row 0 is padded row row0. */
static void compute_block(const hf_conv_job *job, int block, const float *buffer, int row0,
                          int y_begin, int y_end)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    blocked_geometry g = geometry(d);
    int taps = d->kernel_h * d->kernel_w;
    int first = block * VW, count = d->out_c - first < VW ? d->out_c - first : VW;
    const float *weights = plan->packed + (size_t)block * taps * VW;
    size_t out_plane = (size_t)d->out_h * d->out_w;
    size_t step = (size_t)d->stride_w * VW;
    masked_epilogue e[VW];

    for (int c = 0; c < count; c++)
        epilogue_init(&e[c], plan, first + c);
    for (int y = y_begin; y < y_end; y++) {
        for (int x = 0; x < d->out_w; x += VW) {
            int n = d->out_w - x < VW ? d->out_w - x : VW;
            __m512 acc[16];
            for (int p = 0; p < VW; p++)
                acc[p] = _mm512_setzero_ps();
            for (int t = 0; t < taps; t++) {
                int ky = t / d->kernel_w, kx = t % d->kernel_w;
                const float *base = buffer + ((size_t)(y * d->stride_h + ky * d->dilation_h -
                                                       row0) *
                                                  g.columns +
                                              (size_t)x * d->stride_w + kx * d->dilation_w) *
                                                 VW;
                __m512 w = _mm512_load_ps(weights + (size_t)t * VW);
                for (int p = 0; p < VW; p++)
                    acc[p] = _mm512_fmadd_ps(w, _mm512_load_ps(base + p * step), acc[p]);
            }
            transpose16(acc);
            for (int c = 0; c < count; c++) {
                size_t at = (size_t)(first + c) * out_plane + (size_t)y * d->out_w + x;
                const float *residual = job->residual ? job->residual + at : NULL;
                epilogue_store(&e[c], acc[c], residual, job->output + at, tail_lanes(n));
            }
        }
    }
}

/* Output rows per band: the band's padded rows should fit in about
 * 256 KiB, which stays in L2 between packing and computing. */
static int band_rows(const hf_conv_desc *d)
{
    blocked_geometry g = geometry(d);
    size_t row_bytes = (size_t)g.columns * VW * sizeof(float);
    int span = (d->kernel_h - 1) * d->dilation_h + 1;
    long fit = (long)((256u << 10) / row_bytes);
    long band = (fit - span) / d->stride_h + 1;

    if (band < 4)
        band = 4;
    return band < d->out_h ? (int)band : d->out_h;
}

/* Input rows a band of band_rows output rows packs. */
static int band_input_rows(const hf_conv_desc *d)
{
    return (band_rows(d) - 1) * d->stride_h + (d->kernel_h - 1) * d->dilation_h + 1;
}

static void depthwise_blocked_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    float *buffer = (float *)(job->scratch + (size_t)ith * plan->scratch_per_thread);
    int blocks = (plan->desc.out_c + VW - 1) / VW;
    int begin, end;

    const hf_conv_desc *d = &plan->desc;
    int band = band_rows(d);
    int span = (d->kernel_h - 1) * d->dilation_h + 1;

    hf_kernel_range(blocks, ith, nth, &begin, &end);
    for (int b = begin; b < end; b++) {
        int count = d->out_c - b * VW < VW ? d->out_c - b * VW : VW;
        for (int y = 0; y < d->out_h; y += band) {
            int y_end = y + band < d->out_h ? y + band : d->out_h;
            int row0 = y * d->stride_h;
            int rows = (y_end - 1) * d->stride_h + span - row0;
            pack_block(plan, job->input, b * VW, count, row0, rows, buffer);
            compute_block(job, b, buffer, row0, y, y_end);
        }
    }
}

/* Returns nonzero where this kernel beat the pixel-vectorised ones in
 * bench_kernels on the models' depthwise layers (1 thread). That is every
 * stride-2 layer. At stride 1 it needs mostly full channel blocks and
 * 16-pixel groups, at least 196 pixels and rows of at most 80 pixels. On
 * wider rows the padded-copy kernel of conv_depthwise_tmpl.h wins. */
static int blocked_pays(const hf_conv_desc *d)
{
    int blocks = (d->out_c + VW - 1) / VW;
    int groups = (d->out_w + VW - 1) / VW;

    if (d->stride_h == 2 && d->stride_w == 2)
        return 1;
    if (d->stride_h != 1 || d->stride_w != 1)
        return 0;
    return d->out_c * 5 >= blocks * VW * 4 && d->out_w * 4 >= groups * VW * 3 &&
           d->out_h * d->out_w >= 196 && d->out_w <= 80;
}

/* Packs the weights as [block][tap][16 channels], zeros past out_c. */
hf_status hf_conv_depthwise_blocked_avx512_select(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    int taps = d->kernel_h * d->kernel_w;
    int blocks = (d->out_c + VW - 1) / VW;
    blocked_geometry g = geometry(d);

    if (!blocked_pays(d))
        return HF_ERR_UNSUPPORTED;

    plan->packed = hf_aligned_alloc((size_t)blocks * taps * VW * sizeof(float));
    if (plan->packed == NULL)
        return HF_ERR_NO_MEMORY;
    memset(plan->packed, 0, (size_t)blocks * taps * VW * sizeof(float));
    for (int c = 0; c < d->out_c; c++)
        for (int t = 0; t < taps; t++)
            plan->packed[((size_t)(c / VW) * taps + t) * VW + c % VW] =
                plan->weights[(size_t)c * taps + t];
    plan->kernel = depthwise_blocked_run;
    plan->name = "depthwise-blocked-avx512";
    plan->parts = blocks;
    plan->scratch_shared = 0;
    plan->scratch_per_thread =
        (((size_t)band_input_rows(d) * g.columns + slack_pixels(d)) * VW * sizeof(float) + 63) /
        64 * 64;
    return HF_OK;
}
