/* Compute kernels for the ops that dominate the face models: 2-D convolution
 * (dense, 1x1, depthwise, grouped, dilated) and matrix multiplication.
 *
 * Each op has a portable reference kernel (the oracle in tests, and the path
 * on any CPU) and faster variants chosen at plan time from hf_cpu_level_get().
 * Plans are built once at model load from the weights, are read-only
 * afterwards, and can be run from several threads at once, each run with
 * its own output, scratch buffer and thread pool.
 *
 * Layouts: activations NCHW float32, batch 1. Convolution weights as in ONNX
 * (out_c, in_c / group, kernel_h, kernel_w). */
#ifndef HF_RUNTIME_KERNELS_KERNELS_H
#define HF_RUNTIME_KERNELS_KERNELS_H

#include <stddef.h>

#include "base/status.h"
#include "base/threadpool.h"

/* Activation applied to each output element after bias. */
typedef enum hf_act_kind {
    HF_ACT_NONE = 0,
    HF_ACT_RELU,    /* max(x, 0) */
    HF_ACT_CLIP,    /* min(max(x, min), max) */
    HF_ACT_PRELU,   /* x >= 0 ? x : slope[channel] * x */
    HF_ACT_SIGMOID, /* 1 / (1 + exp(-x)) */
} hf_act_kind;

typedef struct hf_act {
    hf_act_kind kind;
    float clip_min, clip_max;
    const float *slopes; /* HF_ACT_PRELU: out_c slopes; copied by plan creation */
} hf_act;

/* A per-input-channel affine map, optionally followed by max(x, 0), that a
 * convolution applies to its input before the product: a BatchNormalization
 * (and Relu) in front of a 1x1 convolution, as in pre-activation DenseNet
 * blocks. Only 1x1 convolutions with stride 1, no padding and one group
 * take one, because zero padding would have to stay zero. */
typedef enum hf_prologue_kind {
    HF_PROLOGUE_NONE = 0,
    HF_PROLOGUE_AFFINE,      /* x * scale[ic] + shift[ic] */
    HF_PROLOGUE_AFFINE_RELU, /* max(x * scale[ic] + shift[ic], 0) */
} hf_prologue_kind;

typedef struct hf_prologue {
    hf_prologue_kind kind;
    const float *scale, *shift; /* in_c floats each; copied by plan creation */
} hf_prologue;

/* Where a residual tensor (same shape as the output) is added, if at all. */
typedef enum hf_residual_mode {
    HF_RESIDUAL_NONE = 0,
    HF_RESIDUAL_BEFORE_ACT, /* y = act(conv + bias + residual) */
    HF_RESIDUAL_AFTER_ACT,  /* y = act(conv + bias) + residual */
} hf_residual_mode;

typedef struct hf_conv_desc {
    int in_c, in_h, in_w;
    int out_c, out_h, out_w;
    int kernel_h, kernel_w;
    int stride_h, stride_w;
    int pad_top, pad_left; /* bottom and right padding follow from out_h, out_w */
    int dilation_h, dilation_w;
    int group;
    hf_act act;
    hf_residual_mode residual;
    hf_prologue prologue;
} hf_conv_desc;

/* Returns nonzero when a convolution of this shape accepts a prologue. */
int hf_conv_prologue_fits(const hf_conv_desc *desc);

typedef struct hf_conv_plan hf_conv_plan;

/* Which kernel family a plan uses; tests force each in turn. A choice above
 * hf_cpu_level_get() is lowered to it, so no plan runs instructions the CPU
 * (or the HF_CPU variable) does not allow. */
typedef enum hf_kernel_choice {
    HF_KERNEL_AUTO = 0,      /* best for this CPU and shape */
    HF_KERNEL_REFERENCE = 1, /* portable reference code */
    HF_KERNEL_AVX2 = 2,      /* best AVX2 + FMA kernel, else reference */
    HF_KERNEL_AVX512 = 3,    /* best AVX-512 kernel, else AVX2, else reference */
} hf_kernel_choice;

/* Builds a plan: checks the descriptor, copies and pre-packs the weights
 * (weights has out_c * in_c / group * kernel_h * kernel_w floats; bias has
 * out_c floats or is NULL for zero). Denormal weights are flushed to zero. */
HF_MUST_CHECK hf_status hf_conv_plan_create(const hf_conv_desc *desc, const float *weights,
                                            const float *bias, hf_kernel_choice choice,
                                            hf_conv_plan **out);
void hf_conv_plan_destroy(hf_conv_plan *plan);

/* Bytes of scratch memory one run needs (may be 0) when the pool passed to
 * hf_conv_plan_run has at most `threads` threads. */
size_t hf_conv_plan_scratch_bytes(const hf_conv_plan *plan, int threads);

/* Returns the name of the chosen kernel, for logs and benchmarks. */
const char *hf_conv_plan_kernel_name(const hf_conv_plan *plan);

/* Runs the convolution. `residual` is required when the descriptor asks for
 * one and ignored otherwise. `scratch` holds hf_conv_plan_scratch_bytes
 * bytes, 64-byte aligned. `pool` may be NULL. `output` must not overlap
 * `input` or `residual`. Flush-to-zero and denormals-are-zero are set on
 * the calling thread for the run and restored afterwards. */
void hf_conv_plan_run(const hf_conv_plan *plan, const float *input, const float *residual,
                      float *output, void *scratch, hf_threadpool *pool);

/* C[m x n] = A[m x k] * op(B) + bias, then the activation (slopes per column
 * n for PRELU). B is k x n, or n x k when trans_b is nonzero. bias has n
 * floats or is NULL. Rows are contiguous (lda = k, ldc = n). */
typedef struct hf_gemm_desc {
    int m, n, k;
    int trans_b;
    hf_act act;
} hf_gemm_desc;

typedef struct hf_gemm_plan hf_gemm_plan;

/* Builds a plan for a constant B (weights), pre-packed at creation. */
HF_MUST_CHECK hf_status hf_gemm_plan_create(const hf_gemm_desc *desc, const float *b,
                                            const float *bias, hf_kernel_choice choice,
                                            hf_gemm_plan **out);
void hf_gemm_plan_destroy(hf_gemm_plan *plan);
size_t hf_gemm_plan_scratch_bytes(const hf_gemm_plan *plan, int threads);
void hf_gemm_plan_run(const hf_gemm_plan *plan, const float *a, float *c, void *scratch,
                      hf_threadpool *pool);

/* General matrix product with both operands given at run time (MatMul
 * between two activations): C = A * B, A m x k, B k x n. */
void hf_matmul(int m, int n, int k, const float *a, const float *b, float *c,
               hf_threadpool *pool);

#endif
