/* AVX-512 implicit-GEMM convolution: 8 output channels x 48 columns of
 * accumulators (24 of the 32 vector registers). Compiled for AVX-512 here
 * and only called when hf_cpu_level_get() reports it. */
#pragma GCC target("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")

#include <immintrin.h>

#include "runtime/kernels/conv_gemm.h"

#define VEC __m512
#define VW 16
#define BLOCK_ROWS 8
#define STRIP_VECTORS 3
#define FN(name) name##_avx512

static inline __mmask16 lanes_mask(int n)
{
    return (__mmask16)((1u << n) - 1u);
}

#define vec_zero() _mm512_setzero_ps()
#define vec_load(p) _mm512_loadu_ps(p)
#define vec_store(p, v) _mm512_storeu_ps((p), (v))
#define vec_load_n(p, n) _mm512_maskz_loadu_ps(lanes_mask(n), (p))
#define vec_store_n(p, v, n) _mm512_mask_storeu_ps((p), lanes_mask(n), (v))
#define vec_set1(x) _mm512_set1_ps(x)
#define vec_fma(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define vec_add(a, b) _mm512_add_ps((a), (b))
#define vec_mul(a, b) _mm512_mul_ps((a), (b))
#define vec_max(a, b) _mm512_max_ps((a), (b))
#define vec_min(a, b) _mm512_min_ps((a), (b))
#define vec_select_negative(x, neg) \
    _mm512_mask_blend_ps(_mm512_cmp_ps_mask((x), _mm512_setzero_ps(), _CMP_LT_OQ), (x), (neg))
/* Moves the lanes set in `keep` to the bottom, in order. */
#define vec_compress(keep, v) _mm512_maskz_compress_ps((__mmask16)(keep), (v))

/* Loads p[0], p[2], ..., p[2n - 2] (n <= 16) without reading past p[2n - 2]. */
static inline __m512 load_even_n(const float *p, int n)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
                                           28, 30);
    unsigned int span = 2u * (unsigned int)n - 1u; /* floats to read */
    unsigned int lanes = span >= 32 ? 0xffffffffu : (1u << span) - 1u;
    __m512 low = _mm512_maskz_loadu_ps((__mmask16)lanes, p);
    __m512 high = _mm512_maskz_loadu_ps((__mmask16)(lanes >> 16), p + 16);
    return _mm512_permutex2var_ps(low, even, high);
}

#define vec_load_even_n(p, n) load_even_n((p), (n))

#include "runtime/kernels/conv_gemm_tmpl.h"
#include "runtime/kernels/conv_depthwise_tmpl.h"

void hf_conv_gemm_transform_avx512(const hf_conv_job *job, int ith, int nth)
{
    transform_avx512(job, ith, nth);
}

hf_status hf_conv_gemm_avx512_select(hf_conv_plan *plan)
{
    hf_status status = hf_conv_gemm_layout_init(plan, BLOCK_ROWS, STRIP_WIDTH, VW);
    if (status != HF_OK)
        return status;
    plan->prepare = plan->gemm.direct ? NULL : transform_avx512;
    plan->kernel = conv_gemm_run_avx512;
    plan->name = "gemm-avx512";
    return HF_OK;
}

hf_status hf_conv_depthwise_avx512_select(hf_conv_plan *plan)
{
    /* Slack for loads past the last row, then a spare output row. */
    hf_status status = hf_conv_depthwise_layout_init(plan, DW_SLACK + plan->desc.out_w + DW_SLACK);
    if (status != HF_OK)
        return status;
    plan->kernel = conv_depthwise_run_avx512;
    plan->name = "depthwise-avx512";
    return HF_OK;
}
