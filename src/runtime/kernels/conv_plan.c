/* Convolution plans: descriptor checks, weight copies, and the choice of
 * kernel for the CPU level and shape. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/log.h"
#include "runtime/kernels/kernels_internal.h"

/* Dimensions above this are rejected so every size product fits in size_t
 * and every index in int. */
#define HF_KERNEL_DIM_MAX (1 << 20)

static int dim_ok(int value)
{
    return value > 0 && value <= HF_KERNEL_DIM_MAX;
}

static int act_ok(const hf_act *act)
{
    switch (act->kind) {
    case HF_ACT_NONE:
    case HF_ACT_RELU:
    case HF_ACT_SIGMOID: return 1;
    case HF_ACT_CLIP: return act->clip_min <= act->clip_max;
    case HF_ACT_PRELU: return act->slopes != NULL;
    default: return 0;
    }
}

int hf_conv_prologue_fits(const hf_conv_desc *d)
{
    return d->kernel_h == 1 && d->kernel_w == 1 && d->stride_h == 1 && d->stride_w == 1 &&
           d->pad_top == 0 && d->pad_left == 0 && d->out_h == d->in_h && d->out_w == d->in_w &&
           d->group == 1;
}

static int prologue_ok(const hf_conv_desc *d)
{
    const hf_prologue *p = &d->prologue;

    if (p->kind == HF_PROLOGUE_NONE)
        return 1;
    if (p->kind != HF_PROLOGUE_AFFINE && p->kind != HF_PROLOGUE_AFFINE_RELU)
        return 0;
    return p->scale != NULL && p->shift != NULL && hf_conv_prologue_fits(d);
}

static int conv_desc_ok(const hf_conv_desc *d)
{
    if (!dim_ok(d->in_c) || !dim_ok(d->in_h) || !dim_ok(d->in_w) || !dim_ok(d->out_c) ||
        !dim_ok(d->out_h) || !dim_ok(d->out_w) || !dim_ok(d->kernel_h) ||
        !dim_ok(d->kernel_w) || !dim_ok(d->stride_h) || !dim_ok(d->stride_w) ||
        !dim_ok(d->dilation_h) || !dim_ok(d->dilation_w) || !dim_ok(d->group))
        return 0;
    if (d->pad_top < 0 || d->pad_left < 0 || d->pad_top > HF_KERNEL_DIM_MAX ||
        d->pad_left > HF_KERNEL_DIM_MAX)
        return 0;
    if (d->in_c % d->group != 0 || d->out_c % d->group != 0)
        return 0;
    if ((uint64_t)d->in_c * d->in_h * d->in_w > INT32_MAX ||
        (uint64_t)d->out_c * d->out_h * d->out_w > INT32_MAX ||
        (uint64_t)d->out_c * (d->in_c / d->group) * d->kernel_h * d->kernel_w > INT32_MAX)
        return 0;
    /* The first window of each axis must start inside the padded input. */
    if (d->pad_top >= d->in_h + d->dilation_h * (d->kernel_h - 1) + 1 ||
        d->pad_left >= d->in_w + d->dilation_w * (d->kernel_w - 1) + 1)
        return 0;
    if (d->residual != HF_RESIDUAL_NONE && d->residual != HF_RESIDUAL_BEFORE_ACT &&
        d->residual != HF_RESIDUAL_AFTER_ACT)
        return 0;
    return act_ok(&d->act) && prologue_ok(d);
}

/* Copies n floats, replacing subnormal values by zero. */
static void copy_flushed(float *dst, const float *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = src[i];
        dst[i] = fabsf(v) < 1.17549435e-38f ? 0.0f : v;
    }
}

static hf_cpu_level level_for_choice(hf_kernel_choice choice)
{
    hf_cpu_level cpu = hf_cpu_level_get();
    hf_cpu_level requested;

    switch (choice) {
    case HF_KERNEL_REFERENCE: requested = HF_CPU_GENERIC; break;
    case HF_KERNEL_AVX2: requested = HF_CPU_AVX2; break;
    default: requested = HF_CPU_AVX512; break;
    }
    return requested < cpu ? requested : cpu;
}

static void select_reference(hf_conv_plan *plan)
{
    plan->kernel = hf_conv_ref_run;
    plan->name = "reference";
    plan->scratch_per_thread = 0;
    plan->parts = plan->desc.out_c;
}

/* Picks the fastest kernel that handles the shape at `level`; the fast
 * selectors return HF_ERR_UNSUPPORTED for shapes they do not cover. */
static hf_status select_kernel(hf_conv_plan *plan, hf_cpu_level level)
{
    hf_status status = HF_ERR_UNSUPPORTED;

#if defined(__x86_64__)
    if (level >= HF_CPU_AVX512)
        status = hf_conv_avx512_select(plan);
    if (status == HF_ERR_UNSUPPORTED && level >= HF_CPU_AVX2)
        status = hf_conv_avx2_select(plan);
#else
    (void)level;
#endif
    if (status == HF_ERR_UNSUPPORTED) {
        select_reference(plan);
        status = HF_OK;
    }
    return status;
}

static hf_status copy_params(hf_conv_plan *plan, const float *weights, const float *bias)
{
    const hf_conv_desc *d = &plan->desc;
    size_t count = (size_t)d->out_c * (d->in_c / d->group) * d->kernel_h * d->kernel_w;

    plan->weights = hf_aligned_alloc(count * sizeof(float));
    plan->bias = hf_aligned_alloc((size_t)d->out_c * sizeof(float));
    if (plan->weights == NULL || plan->bias == NULL)
        return HF_ERR_NO_MEMORY;
    copy_flushed(plan->weights, weights, count);
    if (bias != NULL)
        copy_flushed(plan->bias, bias, (size_t)d->out_c);
    else
        memset(plan->bias, 0, (size_t)d->out_c * sizeof(float));

    if (d->act.kind == HF_ACT_PRELU) {
        plan->slopes = hf_aligned_alloc((size_t)d->out_c * sizeof(float));
        if (plan->slopes == NULL)
            return HF_ERR_NO_MEMORY;
        copy_flushed(plan->slopes, d->act.slopes, (size_t)d->out_c);
    }
    plan->desc.act.slopes = plan->slopes;

    if (d->prologue.kind != HF_PROLOGUE_NONE) {
        plan->prologue_scale = hf_aligned_alloc((size_t)d->in_c * sizeof(float));
        plan->prologue_shift = hf_aligned_alloc((size_t)d->in_c * sizeof(float));
        if (plan->prologue_scale == NULL || plan->prologue_shift == NULL)
            return HF_ERR_NO_MEMORY;
        copy_flushed(plan->prologue_scale, d->prologue.scale, (size_t)d->in_c);
        copy_flushed(plan->prologue_shift, d->prologue.shift, (size_t)d->in_c);
    }
    plan->desc.prologue.scale = plan->prologue_scale;
    plan->desc.prologue.shift = plan->prologue_shift;
    return HF_OK;
}

hf_status hf_conv_plan_create(const hf_conv_desc *desc, const float *weights, const float *bias,
                              hf_kernel_choice choice, hf_conv_plan **out)
{
    hf_conv_plan *plan = NULL;
    hf_status status;

    if (desc == NULL || weights == NULL || out == NULL || !conv_desc_ok(desc)) {
        if (desc != NULL)
            HF_LOGE("invalid convolution: in %dx%dx%d out %dx%dx%d kernel %dx%d stride %dx%d "
                    "pad %d,%d dilation %dx%d group %d act %d residual %d prologue %d",
                    desc->in_c, desc->in_h, desc->in_w, desc->out_c, desc->out_h, desc->out_w,
                    desc->kernel_h, desc->kernel_w, desc->stride_h, desc->stride_w,
                    desc->pad_top, desc->pad_left, desc->dilation_h, desc->dilation_w,
                    desc->group, (int)desc->act.kind, (int)desc->residual,
                    (int)desc->prologue.kind);
        else
            HF_LOGE("invalid convolution: missing descriptor");
        return HF_ERR_INVALID_ARG;
    }

    plan = hf_calloc(1, sizeof(*plan));
    if (plan == NULL)
        return HF_ERR_NO_MEMORY;
    plan->desc = *desc;
    status = copy_params(plan, weights, bias);
    if (status == HF_OK)
        status = select_kernel(plan, level_for_choice(choice));
    if (status != HF_OK)
        goto cleanup;
    *out = plan;
    return HF_OK;

cleanup:
    HF_LOGE("convolution plan %dx%dx%d -> %d: %s", desc->in_c, desc->kernel_h, desc->kernel_w,
            desc->out_c, hf_status_message(status));
    hf_conv_plan_destroy(plan);
    return status;
}

void hf_conv_plan_destroy(hf_conv_plan *plan)
{
    if (plan == NULL)
        return;
    hf_aligned_free(plan->weights);
    hf_aligned_free(plan->bias);
    hf_aligned_free(plan->slopes);
    hf_aligned_free(plan->prologue_scale);
    hf_aligned_free(plan->prologue_shift);
    hf_aligned_free(plan->packed);
    hf_free(plan->gemm.offsets);
    hf_free(plan->lane_masks);
    hf_free(plan);
}

/* Below this many multiply-adds (about 4 us on one AVX-512 core), a split
 * saves less than the hand-off to the spinning pool workers costs. Estimate
 * from bench_runtime at 2 threads, where 3e5 instead of 1e6 took
 * fr_landmark (layers of 0.3 to 2 million) from 0.20 to 0.16 ms. Tests
 * lower it to 0. */
static _Atomic double parallel_min_macs = 300000.0;

void hf_conv_parallel_threshold_set(double macs)
{
    atomic_store(&parallel_min_macs, macs);
}

/* Returns how many (ith, nth) parts a run on `threads` threads uses. With
 * several threads, each gets about four parts from the pool's shared
 * counter, so a thread that starts late or shares its core with another
 * process takes fewer of them instead of holding up the run. Layers under
 * four times the threshold take one part per thread: in the same
 * bench_runtime run, fr_landmark took 0.164 ms that way and 0.172 ms with
 * four parts per thread. */
static int run_threads(const hf_conv_plan *plan, int parts, int threads)
{
    const hf_conv_desc *d = &plan->desc;
    double macs = (double)d->out_c * d->out_h * d->out_w * (d->in_c / d->group) *
                  d->kernel_h * d->kernel_w;
    int wanted = 1;

    if (threads > 1 && macs >= atomic_load(&parallel_min_macs))
        wanted = macs >= 4.0 * atomic_load(&parallel_min_macs) ? threads * 4 : threads;

    return wanted < parts ? wanted : parts;
}

size_t hf_conv_plan_scratch_bytes(const hf_conv_plan *plan, int threads)
{
    if (plan == NULL)
        return 0;
    return plan->scratch_shared +
           plan->scratch_per_thread * (size_t)run_threads(plan, plan->parts, threads);
}

const char *hf_conv_plan_kernel_name(const hf_conv_plan *plan)
{
    return plan != NULL ? plan->name : "none";
}

static void conv_task(void *ctx, int ith, int nth)
{
    const hf_conv_job *job = ctx;
    job->plan->kernel(job, ith, nth);
}

static void prepare_task(void *ctx, int ith, int nth)
{
    const hf_conv_job *job = ctx;
    job->plan->prepare(job, ith, nth);
}

void hf_conv_plan_run(const hf_conv_plan *plan, const float *input, const float *residual,
                      float *output, void *scratch, hf_threadpool *pool)
{
    hf_conv_job job = {
        .plan = plan,
        .input = input,
        .residual = plan->desc.residual != HF_RESIDUAL_NONE ? residual : NULL,
        .output = output,
        .scratch = scratch,
    };
    int threads = hf_threadpool_size(pool);
    unsigned int fp_mode = hf_fp_mode_enter();
    int nth;

    if (plan->prepare != NULL) {
        nth = run_threads(plan, plan->prepare_parts, threads);
        if (nth == 1)
            plan->prepare(&job, 0, 1);
        else
            hf_threadpool_run(pool, prepare_task, &job, nth);
    }
    nth = run_threads(plan, plan->parts, threads);
    if (nth == 1)
        plan->kernel(&job, 0, 1);
    else
        hf_threadpool_run(pool, conv_task, &job, nth);
    hf_fp_mode_restore(fp_mode);
}
