/* Fully connected layers (Gemm with constant B) and MatMul between two
 * activations. */
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/log.h"
#include "runtime/kernels/kernels_internal.h"

#define HF_GEMM_DIM_MAX (1 << 24)

static int gemm_desc_ok(const hf_gemm_desc *d)
{
    if (d->m <= 0 || d->n <= 0 || d->k <= 0 || d->m > HF_GEMM_DIM_MAX ||
        d->n > HF_GEMM_DIM_MAX || d->k > HF_GEMM_DIM_MAX)
        return 0;
    if ((uint64_t)d->n * d->k > INT32_MAX || (uint64_t)d->m * d->n > INT32_MAX ||
        (uint64_t)d->m * d->k > INT32_MAX)
        return 0;
    switch (d->act.kind) {
    case HF_ACT_NONE:
    case HF_ACT_RELU:
    case HF_ACT_SIGMOID: return 1;
    case HF_ACT_CLIP: return d->act.clip_min <= d->act.clip_max;
    case HF_ACT_PRELU: return d->act.slopes != NULL;
    default: return 0;
    }
}

static float flush_subnormal(float v)
{
    return fabsf(v) < 1.17549435e-38f ? 0.0f : v;
}

/* Stores B as n rows of k floats whatever its given layout. */
static void store_transposed_b(hf_gemm_plan *plan, const float *b)
{
    const hf_gemm_desc *d = &plan->desc;

    for (int j = 0; j < d->n; j++)
        for (int i = 0; i < d->k; i++) {
            float v = d->trans_b ? b[(size_t)j * d->k + i] : b[(size_t)i * d->n + j];
            plan->b[(size_t)j * d->k + i] = flush_subnormal(v);
        }
}

static hf_status copy_gemm_params(hf_gemm_plan *plan, const float *b, const float *bias)
{
    const hf_gemm_desc *d = &plan->desc;

    plan->b = hf_aligned_alloc((size_t)d->n * d->k * sizeof(float));
    plan->bias = hf_aligned_alloc((size_t)d->n * sizeof(float));
    if (plan->b == NULL || plan->bias == NULL)
        return HF_ERR_NO_MEMORY;
    store_transposed_b(plan, b);
    for (int j = 0; j < d->n; j++)
        plan->bias[j] = bias != NULL ? flush_subnormal(bias[j]) : 0.0f;

    if (d->act.kind == HF_ACT_PRELU) {
        plan->slopes = hf_aligned_alloc((size_t)d->n * sizeof(float));
        if (plan->slopes == NULL)
            return HF_ERR_NO_MEMORY;
        for (int j = 0; j < d->n; j++)
            plan->slopes[j] = flush_subnormal(d->act.slopes[j]);
    }
    plan->desc.act.slopes = plan->slopes;
    return HF_OK;
}

static hf_cpu_level gemm_level(hf_kernel_choice choice)
{
    hf_cpu_level cpu = hf_cpu_level_get();
    hf_cpu_level requested = HF_CPU_AVX512;

    if (choice == HF_KERNEL_REFERENCE)
        requested = HF_CPU_GENERIC;
    else if (choice == HF_KERNEL_AVX2)
        requested = HF_CPU_AVX2;
    return requested < cpu ? requested : cpu;
}

static hf_status select_gemm_kernel(hf_gemm_plan *plan, hf_cpu_level level)
{
    hf_status status = HF_ERR_UNSUPPORTED;

#if defined(__x86_64__)
    if (level >= HF_CPU_AVX512)
        status = hf_gemm_avx512_select(plan);
    if (status == HF_ERR_UNSUPPORTED && level >= HF_CPU_AVX2)
        status = hf_gemm_avx2_select(plan);
#else
    (void)level;
#endif
    if (status == HF_ERR_UNSUPPORTED) {
        plan->kernel = hf_gemm_ref_run;
        plan->name = "reference";
        status = HF_OK;
    }
    return status;
}

hf_status hf_gemm_plan_create(const hf_gemm_desc *desc, const float *b, const float *bias,
                              hf_kernel_choice choice, hf_gemm_plan **out)
{
    hf_gemm_plan *plan = NULL;
    hf_status status;

    if (desc == NULL || b == NULL || out == NULL || !gemm_desc_ok(desc)) {
        if (desc != NULL)
            HF_LOGE("invalid gemm: m %d n %d k %d trans_b %d act %d", desc->m, desc->n,
                    desc->k, desc->trans_b, (int)desc->act.kind);
        else
            HF_LOGE("invalid gemm: missing descriptor");
        return HF_ERR_INVALID_ARG;
    }

    plan = hf_calloc(1, sizeof(*plan));
    if (plan == NULL)
        return HF_ERR_NO_MEMORY;
    plan->desc = *desc;
    status = copy_gemm_params(plan, b, bias);
    if (status == HF_OK)
        status = select_gemm_kernel(plan, gemm_level(choice));
    if (status != HF_OK)
        goto cleanup;
    *out = plan;
    return HF_OK;

cleanup:
    HF_LOGE("gemm plan m %d n %d k %d: %s", desc->m, desc->n, desc->k,
            hf_status_message(status));
    hf_gemm_plan_destroy(plan);
    return status;
}

void hf_gemm_plan_destroy(hf_gemm_plan *plan)
{
    if (plan == NULL)
        return;
    hf_aligned_free(plan->b);
    hf_aligned_free(plan->bias);
    hf_aligned_free(plan->slopes);
    hf_aligned_free(plan->packed);
    hf_free(plan);
}

size_t hf_gemm_plan_scratch_bytes(const hf_gemm_plan *plan, int threads)
{
    (void)plan;
    (void)threads;
    return 0;
}

void hf_gemm_ref_run(const hf_gemm_plan *plan, const float *a, float *c, int ith, int nth)
{
    const hf_gemm_desc *d = &plan->desc;
    int begin, end;

    hf_kernel_range(d->n, ith, nth, &begin, &end);
    for (int i = 0; i < d->m; i++) {
        const float *row = a + (size_t)i * d->k;
        for (int j = begin; j < end; j++) {
            const float *col = plan->b + (size_t)j * d->k;
            float sum = 0.0f;
            for (int p = 0; p < d->k; p++)
                sum += row[p] * col[p];
            c[(size_t)i * d->n + j] = hf_act_apply(&d->act, j, sum + plan->bias[j]);
        }
    }
}

typedef struct gemm_job {
    const hf_gemm_plan *plan;
    const float *a;
    float *c;
} gemm_job;

static void gemm_task(void *ctx, int ith, int nth)
{
    const gemm_job *job = ctx;
    job->plan->kernel(job->plan, job->a, job->c, ith, nth);
}

void hf_gemm_plan_run(const hf_gemm_plan *plan, const float *a, float *c, void *scratch,
                      hf_threadpool *pool)
{
    gemm_job job = {plan, a, c};
    int nth = hf_threadpool_size(pool);
    unsigned int fp_mode = hf_fp_mode_enter();

    (void)scratch;
    /* Below a few thousand multiply-adds, waking workers costs more than it saves. */
    if ((long)plan->desc.m * plan->desc.n * plan->desc.k < 16384)
        nth = 1;
    if (nth > plan->desc.n)
        nth = plan->desc.n;
    if (nth <= 1)
        plan->kernel(plan, a, c, 0, 1);
    else
        hf_threadpool_run(pool, gemm_task, &job, nth);
    hf_fp_mode_restore(fp_mode);
}

typedef struct matmul_job {
    int m, n, k;
    const float *a, *b;
    float *c;
} matmul_job;

/* Computes columns [begin, end) of every row as a sum of scaled B rows, so
 * the inner loop runs along contiguous memory and vectorises. */
static void matmul_task(void *ctx, int ith, int nth)
{
    const matmul_job *job = ctx;
    int begin, end;

    hf_kernel_range(job->n, ith, nth, &begin, &end);
    for (int i = 0; i < job->m; i++) {
        float *dst = job->c + (size_t)i * job->n;
        for (int j = begin; j < end; j++)
            dst[j] = 0.0f;
        for (int p = 0; p < job->k; p++) {
            float scale = job->a[(size_t)i * job->k + p];
            const float *src = job->b + (size_t)p * job->n;
            for (int j = begin; j < end; j++)
                dst[j] += scale * src[j];
        }
    }
}

void hf_matmul(int m, int n, int k, const float *a, const float *b, float *c,
               hf_threadpool *pool)
{
    matmul_job job = {m, n, k, a, b, c};
    int nth = hf_threadpool_size(pool);

    if (m <= 0 || n <= 0 || k < 0)
        return;
    unsigned int fp_mode = hf_fp_mode_enter();
    if ((long)m * n * k < 65536)
        nth = 1;
    if (nth > n)
        nth = n;
    if (nth <= 1)
        matmul_task(&job, 0, 1);
    else
        hf_threadpool_run(pool, matmul_task, &job, nth);
    hf_fp_mode_restore(fp_mode);
}
