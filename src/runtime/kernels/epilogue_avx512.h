/* Private to the AVX-512 convolution kernels outside the GEMM template:
 * the output epilogue (bias, residual, activation) on 16-lane vectors.
 * Include it only from files compiled for AVX-512. */
#ifndef HF_RUNTIME_KERNELS_EPILOGUE_AVX512_H
#define HF_RUNTIME_KERNELS_EPILOGUE_AVX512_H

#include <immintrin.h>

#include "runtime/kernels/kernels_internal.h"

#define VW 16

/* Epilogue constants as vectors: one channel's broadcast over the lanes
 * (epilogue_init), or one channel per lane. */
typedef struct masked_epilogue {
    hf_act_kind act;
    int before, after;
    __m512 bias, slope, lower, upper;
} masked_epilogue;

static inline void epilogue_init(masked_epilogue *e, const hf_conv_plan *plan, int c)
{
    const hf_conv_desc *d = &plan->desc;

    e->act = d->act.kind;
    e->before = d->residual == HF_RESIDUAL_BEFORE_ACT;
    e->after = d->residual == HF_RESIDUAL_AFTER_ACT;
    e->bias = _mm512_set1_ps(plan->bias[c]);
    e->slope = _mm512_set1_ps(e->act == HF_ACT_PRELU ? plan->slopes[c] : 0.0f);
    e->lower = _mm512_set1_ps(d->act.clip_min);
    e->upper = _mm512_set1_ps(d->act.clip_max);
}

/* Returns x after the activation. A sigmoid goes through expf. */
static inline __m512 epilogue_activate(const masked_epilogue *e, __m512 x)
{
    if (e->act == HF_ACT_RELU) {
        x = _mm512_max_ps(x, _mm512_setzero_ps());
    } else if (e->act == HF_ACT_CLIP) {
        x = _mm512_min_ps(_mm512_max_ps(x, e->lower), e->upper);
    } else if (e->act == HF_ACT_PRELU) {
        __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
        x = _mm512_mask_mul_ps(x, negative, x, e->slope);
    } else if (e->act == HF_ACT_SIGMOID) {
        float values[VW];
        _mm512_storeu_ps(values, x);
        for (int i = 0; i < VW; i++)
            values[i] = 1.0f / (1.0f + expf(-values[i]));
        x = _mm512_loadu_ps(values);
    }
    return x;
}

/* Finishes and stores the lanes of `lanes`. */
static inline void epilogue_store(const masked_epilogue *e, __m512 x, const float *residual,
                                  float *dst, __mmask16 lanes)
{
    x = _mm512_add_ps(x, e->bias);
    if (e->before)
        x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(lanes, residual));
    x = epilogue_activate(e, x);
    if (e->after)
        x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(lanes, residual));
    _mm512_mask_storeu_ps(dst, lanes, x);
}

static inline __mmask16 tail_lanes(int count)
{
    return count >= VW ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1u);
}

#endif
