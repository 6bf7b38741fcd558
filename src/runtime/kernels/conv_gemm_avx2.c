/* AVX2 implicit-GEMM convolution: 4 output channels x 24 columns of
 * accumulators (12 of the 16 vector registers). Compiled for AVX2 + FMA
 * here and only called when hf_cpu_level_get() reports them. */
#pragma GCC target("avx2,fma")

#include <immintrin.h>

#include "runtime/kernels/conv_gemm.h"

#define VEC __m256
#define VW 8
#define BLOCK_ROWS 4
#define STRIP_VECTORS 3
#define FN(name) name##_avx2

/* Lane i is enabled when i < n (the sign bit selects it). */
static inline __m256i lanes_mask(int n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

#define vec_zero() _mm256_setzero_ps()
#define vec_load(p) _mm256_loadu_ps(p)
#define vec_store(p, v) _mm256_storeu_ps((p), (v))
#define vec_load_n(p, n) _mm256_maskload_ps((p), lanes_mask(n))
#define vec_store_n(p, v, n) _mm256_maskstore_ps((p), lanes_mask(n), (v))
#define vec_set1(x) _mm256_set1_ps(x)
#define vec_fma(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define vec_add(a, b) _mm256_add_ps((a), (b))
#define vec_mul(a, b) _mm256_mul_ps((a), (b))
#define vec_max(a, b) _mm256_max_ps((a), (b))
#define vec_min(a, b) _mm256_min_ps((a), (b))
#define vec_select_negative(x, neg) \
    _mm256_blendv_ps((x), (neg), _mm256_cmp_ps((x), _mm256_setzero_ps(), _CMP_LT_OQ))

#include "runtime/kernels/conv_gemm_tmpl.h"
#include "runtime/kernels/conv_depthwise_tmpl.h"

hf_status hf_conv_gemm_avx2_select(hf_conv_plan *plan)
{
    hf_status status = hf_conv_gemm_layout_init(plan, BLOCK_ROWS, STRIP_WIDTH, VW);
    if (status != HF_OK)
        return status;
    plan->prepare = plan->gemm.direct ? NULL : transform_avx2;
    plan->kernel = conv_gemm_run_avx2;
    plan->name = "gemm-avx2";
    return HF_OK;
}

hf_status hf_conv_depthwise_avx2_select(hf_conv_plan *plan)
{
    /* Slack for loads past the last row, then a spare output row. */
    hf_status status = hf_conv_depthwise_layout_init(plan, DW_SLACK + plan->desc.out_w + DW_SLACK);
    if (status != HF_OK)
        return status;
    plan->kernel = conv_depthwise_run_avx2;
    plan->name = "depthwise-avx2";
    return HF_OK;
}
