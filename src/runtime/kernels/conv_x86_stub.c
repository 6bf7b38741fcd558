#include "runtime/kernels/kernels_internal.h"
hf_status hf_conv_avx512_select(hf_conv_plan *plan) { (void)plan; return HF_ERR_UNSUPPORTED; }
hf_status hf_conv_avx2_select(hf_conv_plan *plan) { (void)plan; return HF_ERR_UNSUPPORTED; }
hf_status hf_gemm_avx512_select(hf_gemm_plan *plan) { (void)plan; return HF_ERR_UNSUPPORTED; }
hf_status hf_gemm_avx2_select(hf_gemm_plan *plan) { (void)plan; return HF_ERR_UNSUPPORTED; }
