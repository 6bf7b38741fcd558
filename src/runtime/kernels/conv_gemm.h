/* Private to src/runtime/kernels: the layout shared by the implicit-GEMM
 * convolution kernels of every instruction set. */
#ifndef HF_RUNTIME_KERNELS_CONV_GEMM_H
#define HF_RUNTIME_KERNELS_CONV_GEMM_H

#include <stdint.h>

#include "runtime/kernels/kernels_internal.h"

/* Zeroed floats after the transformed input: the micro-kernel reads whole
 * strips, up to a strip width minus one past the last column. */
#define HF_CONV_GEMM_SLACK 64

/* Fills plan->gemm, the packed weights and the scratch sizes for a micro-
 * kernel of block_rows output channels by strip_width columns, in vectors
 * of vector_width floats. Unless
 * gemm.direct is set, the caller installs its input transform as
 * plan->prepare. */
HF_MUST_CHECK hf_status hf_conv_gemm_layout_init(hf_conv_plan *plan, int block_rows,
                                                 int strip_width, int vector_width);

/* Returns the columns [begin, end) of a phase-x plane row that fall inside
 * the input; the rest are padding. Column c reads input column
 * c * stride_w + phase_x - pad_left. */
void hf_conv_gemm_phase_columns(const hf_conv_plan *plan, int phase_x, int *begin, int *end);

/* The AVX-512 input transform of the GEMM kernel (a prepare pass), for the
 * other AVX-512 kernels that read the same layout. */
void hf_conv_gemm_transform_avx512(const hf_conv_job *job, int ith, int nth);

/* Fills plan->gemm for the depthwise kernels, which transform one channel
 * at a time into per-thread scratch of channel_stride + slack floats (the
 * slack covers vector loads past the last row). */
HF_MUST_CHECK hf_status hf_conv_depthwise_layout_init(hf_conv_plan *plan, int slack);

#endif
