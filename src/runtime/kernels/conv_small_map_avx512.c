/* AVX-512 convolution for output maps of at most 12 pixels, as in the
 * last layers of fr_eye (2x2 and 3x3 maps). The GEMM kernel vectorizes
 * over output pixels, so on such maps most of its lanes are padding: 4
 * pixels fill a quarter of a vector. This kernel vectorizes over output
 * channels instead: the weights are packed as [tap][channel], and each
 * step multiplies one vector of 16 channels' weights by one broadcast input
 * value per pixel. It reads the input through the GEMM kernel's transform
 * and tap offsets. With bench_layers on fr_eye it took the 3x3-map layers
 * from 2.1 and 3.8 to 1.4 and 2.8 us. The 4x4 and 5x5 maps (16 and 25
 * pixels) ran 10 to 30 % slower with it than with the GEMM kernel, whose
 * vectors they fill better, hence the limit. Compiled for AVX-512 here and
 * only called when hf_cpu_level_get() reports it. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>

#include "base/alloc.h"
#include "runtime/kernels/conv_gemm.h"
#include "runtime/kernels/epilogue_avx512.h"
/* Largest map, and the block of pixels by vectors of channels that one
 * micro-kernel call keeps in registers (16 of the 32 vector registers). */
#define SMALL_MAP_MAX_PIXELS 12
#define PIXEL_BLOCK 4
#define VECTOR_BLOCK 4

/* Transformed-input column of each output pixel: the transform lays rows
 * out `row` columns apart. */
static void pixel_columns(const hf_conv_plan *plan, int *columns)
{
    const hf_conv_desc *d = &plan->desc;
    for (int n = 0; n < d->out_h * d->out_w; n++)
        columns[n] = n / d->out_w * plan->gemm.row + n % d->out_w;
}

/* Finishes one pixel's sums of channels [first, first + 16) and scatters
 * them into the NCHW output, whose channels are `pixels` floats apart. */
static inline void finish_pixel(const hf_conv_plan *plan, const hf_conv_job *job, __m512 x,
                                int first, int pixel, int pixels)
{
    const hf_conv_desc *d = &plan->desc;
    __mmask16 mask = tail_lanes(d->out_c - first);
    __m512i index = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                                         12, 13, 14, 15),
                                       _mm512_set1_epi32(pixels));
    size_t at = (size_t)first * pixels + pixel;
    masked_epilogue e = {
        .act = d->act.kind,
        .before = d->residual == HF_RESIDUAL_BEFORE_ACT,
        .after = d->residual == HF_RESIDUAL_AFTER_ACT,
        .bias = _mm512_maskz_loadu_ps(mask, plan->bias + first),
        .slope = d->act.kind == HF_ACT_PRELU ? _mm512_maskz_loadu_ps(mask, plan->slopes + first)
                                             : _mm512_setzero_ps(),
        .lower = _mm512_set1_ps(d->act.clip_min),
        .upper = _mm512_set1_ps(d->act.clip_max),
    };

    x = _mm512_add_ps(x, e.bias);
    __m512 residual = _mm512_setzero_ps();
    if (job->residual != NULL)
        residual = _mm512_mask_i32gather_ps(residual, mask, index, job->residual + at, 4);
    if (e.before)
        x = _mm512_add_ps(x, residual);
    x = epilogue_activate(&e, x);
    if (e.after)
        x = _mm512_add_ps(x, residual);
    _mm512_mask_i32scatter_ps(job->output + at, mask, index, x, 4);
}

/* Sums pixels [pixel, pixel + pixel_count) for channel vectors
 * [vector, vector + vector_count) over all taps and finishes them.
 * Instantiated per count, so the accumulators stay in registers. */
static inline __attribute__((always_inline)) void
small_block(const hf_conv_job *job, const float *source, const int *columns, int pixel,
            const int pixel_count, int vector, const int vector_count)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_gemm_layout *g = &plan->gemm;
    int padded_channels = (plan->desc.out_c + VW - 1) / VW * VW;
    const float *weights = plan->packed + (size_t)vector * VW;
    __m512 sums[PIXEL_BLOCK][VECTOR_BLOCK];

    for (int p = 0; p < pixel_count; p++)
        for (int v = 0; v < vector_count; v++)
            sums[p][v] = _mm512_setzero_ps();
    for (int k = 0; k < g->depth; k++) {
        const float *taps = source + g->offsets[k];
        __m512 w[VECTOR_BLOCK];
        for (int v = 0; v < vector_count; v++)
            w[v] = _mm512_loadu_ps(weights + (size_t)k * padded_channels + v * VW);
        for (int p = 0; p < pixel_count; p++) {
            __m512 x = _mm512_set1_ps(taps[columns[pixel + p]]);
            for (int v = 0; v < vector_count; v++)
                sums[p][v] = _mm512_fmadd_ps(w[v], x, sums[p][v]);
        }
    }
    int pixels = plan->desc.out_h * plan->desc.out_w;
    for (int p = 0; p < pixel_count; p++)
        for (int v = 0; v < vector_count; v++)
            finish_pixel(plan, job, sums[p][v], (vector + v) * VW, pixel + p, pixels);
}

#define SMALL_BLOCK_CASE(pixel_count, vector_count)                                         \
    case (pixel_count - 1) * VECTOR_BLOCK + vector_count - 1:                                \
        small_block(job, source, columns, pixel, pixel_count, vector, vector_count);        \
        break;

#define SMALL_BLOCK_ROW(pixel_count)                                                         \
    SMALL_BLOCK_CASE(pixel_count, 1)                                                         \
    SMALL_BLOCK_CASE(pixel_count, 2)                                                         \
    SMALL_BLOCK_CASE(pixel_count, 3)                                                         \
    SMALL_BLOCK_CASE(pixel_count, 4)

/* Part ith of nth is a range of channel vectors, for every pixel. */
static void small_map_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    const float *source = plan->gemm.direct ? job->input : (const float *)job->scratch;
    int columns[SMALL_MAP_MAX_PIXELS];
    int pixels = d->out_h * d->out_w, begin, end;

    pixel_columns(plan, columns);
    hf_kernel_range(plan->parts, ith, nth, &begin, &end);
    for (int vector = begin; vector < end; vector += VECTOR_BLOCK) {
        int vector_count = end - vector < VECTOR_BLOCK ? end - vector : VECTOR_BLOCK;
        for (int pixel = 0; pixel < pixels; pixel += PIXEL_BLOCK) {
            int pixel_count = pixels - pixel < PIXEL_BLOCK ? pixels - pixel : PIXEL_BLOCK;
            switch ((pixel_count - 1) * VECTOR_BLOCK + vector_count - 1) {
                SMALL_BLOCK_ROW(1)
                SMALL_BLOCK_ROW(2)
                SMALL_BLOCK_ROW(3)
                SMALL_BLOCK_ROW(4)
            default: break;
            }
        }
    }
}

/* Packs the ONNX weights [channel][tap] as [tap][channel], with the
 * channels padded with zeros to a multiple of 16. */
static float *pack_by_tap(const hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    int depth = plan->gemm.depth, padded = (d->out_c + VW - 1) / VW * VW;
    float *packed = hf_aligned_alloc((size_t)depth * padded * sizeof(float));

    if (packed == NULL)
        return NULL;
    for (int k = 0; k < depth; k++)
        for (int oc = 0; oc < padded; oc++)
            packed[(size_t)k * padded + oc] =
                oc < d->out_c ? plan->weights[(size_t)oc * depth + k] : 0.0f;
    return packed;
}

/* Takes ungrouped convolutions with at most 12 output pixels, except those
 * with a fused sigmoid, which stay with the GEMM kernel. */
hf_status hf_conv_small_map_avx512_select(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;

    if (d->group != 1 || d->out_h * d->out_w > SMALL_MAP_MAX_PIXELS ||
        d->act.kind == HF_ACT_SIGMOID)
        return HF_ERR_UNSUPPORTED;
    hf_status status = hf_conv_gemm_layout_init(plan, 8, 48, VW);
    if (status != HF_OK)
        return status;
    hf_aligned_free(plan->packed);
    plan->packed = pack_by_tap(plan);
    if (plan->packed == NULL)
        return HF_ERR_NO_MEMORY;
    plan->prepare = plan->gemm.direct ? NULL : hf_conv_gemm_transform_avx512;
    plan->kernel = small_map_run;
    plan->name = "small-map-avx512";
    plan->parts = (d->out_c + VW - 1) / VW;
    plan->scratch_per_thread = 0;
    return HF_OK;
}
