/* Private to src/runtime/kernels: the plan structures, the kernel function
 * types that the per-CPU files implement, and the shared output epilogue. */
#ifndef HF_RUNTIME_KERNELS_INTERNAL_H
#define HF_RUNTIME_KERNELS_INTERNAL_H

#include <math.h>
#include <stddef.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "runtime/kernels/kernels.h"

/* Arguments of one convolution run, shared by every thread of the job. */
typedef struct hf_conv_job {
    const hf_conv_plan *plan;
    const float *input;
    const float *residual;
    float *output;
    char *scratch;       /* scratch_shared bytes, then one slice per thread */
} hf_conv_job;

typedef void (*hf_conv_kernel)(const hf_conv_job *job, int ith, int nth);

/* Convolution as a matrix product over a transformed input ("implicit
 * GEMM"). The input is zero-padded and split into stride phases, so the
 * tap (ic, ky, kx) of every output pixel q reads transformed[offsets[k] + q]:
 * one contiguous row per tap. Rows are out_h lines of `row` pixels, of which
 * the first out_w are real outputs. */
typedef struct hf_conv_gemm_layout {
    int direct;          /* 1x1, stride 1, no padding: read the input itself */
    int rows, row;       /* transformed plane: rows x row floats per phase */
    int columns;         /* out_h * row: the matrix product's N */
    int depth;           /* in_c / group * kernel_h * kernel_w: its K */
    size_t channel_stride; /* floats between transformed input channels */
    int phases_h, phases_w; /* stride phases the transform writes, per axis */
    int *offsets;        /* depth offsets into one group of the input */
    int row_blocks;      /* ceil(out_c / group / block rows) */
    int strips;          /* strips of columns the product is split into */
    int row_aligned;     /* strips never cross a row; strips_per_row per row */
    int strips_per_row;
} hf_conv_gemm_layout;

struct hf_conv_plan {
    hf_conv_desc desc;   /* desc.act.slopes points at `slopes` */
    float *weights;      /* ONNX layout, denormals flushed */
    float *bias;         /* out_c floats, zeros when the model has none */
    float *slopes;       /* out_c floats for PRELU, else NULL */
    float *prologue_scale, *prologue_shift; /* in_c floats with a prologue, else NULL */
    float *packed;       /* kernel-specific weight layout, or NULL */
    size_t scratch_shared;     /* scratch used by every thread of a run */
    size_t scratch_per_thread;
    int parts;           /* how many (ith, nth) parts a run splits into */
    const char *name;
    hf_conv_kernel prepare; /* optional first pass over the input, or NULL */
    int prepare_parts;
    hf_conv_kernel kernel;
    hf_conv_gemm_layout gemm;
    unsigned short *lane_masks; /* masked depthwise kernel: taps per vector */
};

struct hf_gemm_plan {
    hf_gemm_desc desc;
    float *b;            /* n x k (B transposed), denormals flushed */
    float *bias;         /* n floats, zeros when absent */
    float *slopes;       /* n floats for PRELU, else NULL */
    float *packed;       /* kernel-specific layout, or NULL */
    const char *name;
    void (*kernel)(const hf_gemm_plan *plan, const float *a, float *c, int ith, int nth);
};

/* Sets flush-to-zero and denormals-are-zero (MXCSR bits 15 and 6) on the
 * calling thread for the length of one run and returns the previous mode
 * for hf_fp_mode_restore. Denormal activations make the FMA units many
 * times slower, and the caller's own thread mode stays untouched. */
static inline unsigned int hf_fp_mode_enter(void)
{
#if defined(__x86_64__)
    unsigned int saved = _mm_getcsr();
    if ((saved & 0x8040u) != 0x8040u)
        _mm_setcsr(saved | 0x8040u);
    return saved;
#else
    return 0;
#endif
}

static inline void hf_fp_mode_restore(unsigned int saved)
{
#if defined(__x86_64__)
    if ((saved & 0x8040u) != 0x8040u)
        _mm_setcsr(saved);
#else
    (void)saved;
#endif
}

/* Splits [0, count) into nth nearly equal ranges and returns range ith. */
static inline void hf_kernel_range(int count, int ith, int nth, int *begin, int *end)
{
    long base = (long)count * ith / nth;
    long next = (long)count * (ith + 1) / nth;
    *begin = (int)base;
    *end = (int)next;
}

static inline float hf_act_apply(const hf_act *act, int channel, float x)
{
    switch (act->kind) {
    case HF_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case HF_ACT_CLIP: return fminf(fmaxf(x, act->clip_min), act->clip_max);
    case HF_ACT_PRELU: return x >= 0.0f ? x : act->slopes[channel] * x;
    case HF_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    default: return x;
    }
}

/* Returns input value x of channel ic after the descriptor's prologue. */
static inline float hf_prologue_apply(const hf_prologue *prologue, int ic, float x)
{
    if (prologue->kind == HF_PROLOGUE_NONE)
        return x;
    x = x * prologue->scale[ic] + prologue->shift[ic];
    if (prologue->kind == HF_PROLOGUE_AFFINE_RELU)
        x = x > 0.0f ? x : 0.0f;
    return x;
}

/* Finishes `count` raw sums of one output channel in place: bias, residual
 * and activation in the order the descriptor sets. */
static inline void hf_conv_epilogue_row(const hf_conv_plan *plan, int channel, float *row,
                                        const float *residual_row, int count)
{
    const hf_act *act = &plan->desc.act;
    float bias = plan->bias[channel];
    hf_residual_mode mode = plan->desc.residual;

    for (int i = 0; i < count; i++) {
        float x = row[i] + bias;
        if (mode == HF_RESIDUAL_BEFORE_ACT)
            x += residual_row[i];
        x = hf_act_apply(act, channel, x);
        if (mode == HF_RESIDUAL_AFTER_ACT)
            x += residual_row[i];
        row[i] = x;
    }
}

/* Sets the smallest convolution, in multiply-adds, that runs split over
 * several threads (default 4e6). For tests. */
void hf_conv_parallel_threshold_set(double macs);

/* Portable kernels (conv_ref.c, gemm_plan.c). */
void hf_conv_ref_run(const hf_conv_job *job, int ith, int nth);
void hf_gemm_ref_run(const hf_gemm_plan *plan, const float *a, float *c, int ith, int nth);

/* Fast kernel selectors: each fills plan->kernel, name, packed weights and
 * scratch size, or returns HF_ERR_UNSUPPORTED for a shape it does not cover
 * (the plan is then unchanged). Defined on x86-64 only. */
hf_status hf_conv_avx512_select(hf_conv_plan *plan);
hf_status hf_conv_avx2_select(hf_conv_plan *plan);
hf_status hf_gemm_avx512_select(hf_gemm_plan *plan);
hf_status hf_gemm_avx2_select(hf_gemm_plan *plan);

#endif
