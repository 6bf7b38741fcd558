/* Private to src/runtime/kernels: the layout shared by the implicit-GEMM
 * convolution kernels of every instruction set. */
#ifndef HF_RUNTIME_KERNELS_CONV_GEMM_H
#define HF_RUNTIME_KERNELS_CONV_GEMM_H

#include <stdint.h>

#include "runtime/kernels/kernels_internal.h"

/* Fills plan->gemm, the packed weights and the scratch sizes for a micro-
 * kernel of block_rows output channels by strip_width columns. */
HF_MUST_CHECK hf_status hf_conv_gemm_layout_init(hf_conv_plan *plan, int block_rows,
                                                 int strip_width);

/* Zero-pads and phase-splits one input channel into dst (channel_stride
 * floats). */
void hf_conv_gemm_transform_channel(const hf_conv_plan *plan, const float *src, float *dst);

/* Fills plan->gemm for the depthwise kernels, which transform one channel
 * at a time into per-thread scratch of channel_stride + slack floats (the
 * slack covers vector loads past the last row). */
HF_MUST_CHECK hf_status hf_conv_depthwise_layout_init(hf_conv_plan *plan, int slack);

/* Zero-pads and phase-splits the input into the shared scratch. */
void hf_conv_gemm_transform(const hf_conv_job *job, int ith, int nth);

#endif
