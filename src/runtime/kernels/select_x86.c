/* Kernel choice per shape for the x86 instruction sets. */
#include "runtime/kernels/kernels_internal.h"

hf_status hf_conv_gemm_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_gemm_avx2_select(hf_conv_plan *plan);
hf_status hf_conv_depthwise_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_depthwise_avx2_select(hf_conv_plan *plan);
hf_status hf_conv_depthwise_direct_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_depthwise_blocked_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_depthwise_rows_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_gemv_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_small_map_avx512_select(hf_conv_plan *plan);
hf_status hf_gemm_gemv_avx512_select(hf_gemm_plan *plan);

static int is_depthwise(const hf_conv_desc *d)
{
    return d->group == d->in_c && d->group == d->out_c;
}

/* A convolution with an input prologue goes to the GEMM kernels, which
 * apply it while packing their input strips. */
hf_status hf_conv_avx512_select(hf_conv_plan *plan)
{
    if (plan->desc.prologue.kind != HF_PROLOGUE_NONE)
        return hf_conv_gemm_avx512_select(plan);
    if (is_depthwise(&plan->desc)) {
        hf_status status = hf_conv_depthwise_rows_avx512_select(plan);
        if (status != HF_ERR_UNSUPPORTED)
            return status;
        status = hf_conv_depthwise_blocked_avx512_select(plan);
        if (status != HF_ERR_UNSUPPORTED)
            return status;
        status = hf_conv_depthwise_direct_avx512_select(plan);
        if (status != HF_ERR_UNSUPPORTED)
            return status;
        return hf_conv_depthwise_avx512_select(plan);
    }
    hf_status status = hf_conv_gemv_avx512_select(plan);
    if (status != HF_ERR_UNSUPPORTED)
        return status;
    status = hf_conv_small_map_avx512_select(plan);
    if (status != HF_ERR_UNSUPPORTED)
        return status;
    return hf_conv_gemm_avx512_select(plan);
}

hf_status hf_conv_avx2_select(hf_conv_plan *plan)
{
    if (plan->desc.prologue.kind != HF_PROLOGUE_NONE)
        return hf_conv_gemm_avx2_select(plan);
    if (is_depthwise(&plan->desc))
        return hf_conv_depthwise_avx2_select(plan);
    return hf_conv_gemm_avx2_select(plan);
}

hf_status hf_gemm_avx512_select(hf_gemm_plan *plan)
{
    return hf_gemm_gemv_avx512_select(plan);
}

hf_status hf_gemm_avx2_select(hf_gemm_plan *plan)
{
    (void)plan;
    return HF_ERR_UNSUPPORTED;
}
