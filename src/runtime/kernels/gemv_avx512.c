/* AVX-512 matrix-vector products: fully connected layers (Gemm with a
 * constant B) and 1x1 convolutions on 1x1 maps, which have a single output
 * column and would leave 15 of 16 lanes of the convolution kernel idle.
 * B is packed as k rows of n columns rounded up to whole vectors, so every
 * step broadcasts one input value and multiplies contiguous weight rows. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>
#include <string.h>

#include "base/alloc.h"
#include "runtime/kernels/kernels_internal.h"

#define VW 16
#define BLOCK_VECTORS 4

static int padded_columns(int n)
{
    return (n + VW - 1) / VW * VW;
}

/* Packs weights given as n rows of k floats (B transposed) into k rows of
 * padded_columns(n) floats, zeros in the padding. */
static float *pack_transposed(const float *rows, int n, int k)
{
    int stride = padded_columns(n);
    float *packed = hf_aligned_alloc((size_t)k * stride * sizeof(float));

    if (packed == NULL)
        return NULL;
    memset(packed, 0, (size_t)k * stride * sizeof(float));
    for (int j = 0; j < n; j++)
        for (int p = 0; p < k; p++)
            packed[(size_t)p * stride + j] = rows[(size_t)j * k + p];
    return packed;
}

/* sums[v] = sum over p of a[p] * packed[p][first + v * VW ...], with two
 * chains of accumulators over even and odd p to hide the FMA latency. */
static inline __attribute__((always_inline)) void
dot_block(const float *packed, int stride, int k, const float *a, int first, __m512 *sums,
          const int vectors)
{
    __m512 even[BLOCK_VECTORS], odd[BLOCK_VECTORS];
    int p = 0;

    for (int v = 0; v < vectors; v++)
        even[v] = odd[v] = _mm512_setzero_ps();
    for (; p + 1 < k; p += 2) {
        const float *row = packed + (size_t)p * stride + first;
        __m512 x0 = _mm512_set1_ps(a[p]), x1 = _mm512_set1_ps(a[p + 1]);
        for (int v = 0; v < vectors; v++) {
            even[v] = _mm512_fmadd_ps(x0, _mm512_load_ps(row + v * VW), even[v]);
            odd[v] = _mm512_fmadd_ps(x1, _mm512_load_ps(row + stride + v * VW), odd[v]);
        }
    }
    if (p < k) {
        const float *row = packed + (size_t)p * stride + first;
        __m512 x0 = _mm512_set1_ps(a[p]);
        for (int v = 0; v < vectors; v++)
            even[v] = _mm512_fmadd_ps(x0, _mm512_load_ps(row + v * VW), even[v]);
    }
    for (int v = 0; v < vectors; v++)
        sums[v] = _mm512_add_ps(even[v], odd[v]);
}

/* Writes raw sums for columns [begin, end) of one row; begin is a multiple
 * of VW and end is either one too or n. */
static void dot_range(const float *packed, int n, int k, const float *a, int begin, int end,
                      float *dst)
{
    int stride = padded_columns(n);

    for (int j = begin; j < end; j += BLOCK_VECTORS * VW) {
        __m512 sums[BLOCK_VECTORS];
        int vectors = (end - j + VW - 1) / VW;
        if (vectors >= BLOCK_VECTORS) {
            vectors = BLOCK_VECTORS;
            dot_block(packed, stride, k, a, j, sums, BLOCK_VECTORS);
        } else if (vectors == 3) {
            dot_block(packed, stride, k, a, j, sums, 3);
        } else if (vectors == 2) {
            dot_block(packed, stride, k, a, j, sums, 2);
        } else {
            dot_block(packed, stride, k, a, j, sums, 1);
        }
        for (int v = 0; v < vectors; v++) {
            int left = end - (j + v * VW);
            __mmask16 lanes = left >= VW ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1u);
            _mm512_mask_storeu_ps(dst + j + v * VW, lanes, sums[v]);
        }
    }
}

/* Splits n into nth ranges of whole vectors. */
static void vector_range(int n, int ith, int nth, int *begin, int *end)
{
    int vectors = (n + VW - 1) / VW;
    int first, last;

    hf_kernel_range(vectors, ith, nth, &first, &last);
    *begin = first * VW;
    *end = last * VW < n ? last * VW : n;
}

static void gemm_gemv_run(const hf_gemm_plan *plan, const float *a, float *c, int ith, int nth)
{
    const hf_gemm_desc *d = &plan->desc;
    int begin, end;

    vector_range(d->n, ith, nth, &begin, &end);
    for (int i = 0; i < d->m; i++) {
        float *row = c + (size_t)i * d->n;
        dot_range(plan->packed, d->n, d->k, a + (size_t)i * d->k, begin, end, row);
        for (int j = begin; j < end; j++)
            row[j] = hf_act_apply(&d->act, j, row[j] + plan->bias[j]);
    }
}

hf_status hf_gemm_gemv_avx512_select(hf_gemm_plan *plan)
{
    plan->packed = pack_transposed(plan->b, plan->desc.n, plan->desc.k);
    if (plan->packed == NULL)
        return HF_ERR_NO_MEMORY;
    plan->kernel = gemm_gemv_run;
    plan->name = "gemv-avx512";
    return HF_OK;
}

static void conv_gemv_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    int begin, end;

    vector_range(d->out_c, ith, nth, &begin, &end);
    dot_range(plan->packed, d->out_c, d->in_c, job->input, begin, end, job->output);
    for (int oc = begin; oc < end; oc++)
        hf_conv_epilogue_row(plan, oc, job->output + oc, job->residual ? job->residual + oc : NULL,
                             1);
}

/* A 1x1 convolution of a 1x1 map is a matrix-vector product. */
hf_status hf_conv_gemv_avx512_select(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;

    if (d->group != 1 || d->kernel_h != 1 || d->kernel_w != 1 || d->in_h != 1 ||
        d->in_w != 1 || d->out_h != 1 || d->out_w != 1 || d->pad_top != 0 || d->pad_left != 0)
        return HF_ERR_UNSUPPORTED;
    plan->packed = pack_transposed(plan->weights, d->out_c, d->in_c);
    if (plan->packed == NULL)
        return HF_ERR_NO_MEMORY;
    plan->kernel = conv_gemv_run;
    plan->name = "gemv-avx512";
    plan->parts = (d->out_c + VW - 1) / VW;
    plan->scratch_shared = 0;
    plan->scratch_per_thread = 0;
    return HF_OK;
}
