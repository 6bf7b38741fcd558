/* Gemm plans and MatMul against double-precision sums computed here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/threadpool.h"
#include "kernel_oracle.h"
#include "runtime/kernels/kernels.h"

#define REL_TOLERANCE 3e-5

static const hf_kernel_choice all_choices[] = {
    HF_KERNEL_REFERENCE, HF_KERNEL_AVX2, HF_KERNEL_AVX512, HF_KERNEL_AUTO,
};

static double act_double(const hf_act *act, int j, double x)
{
    switch (act->kind) {
    case HF_ACT_RELU: return x > 0 ? x : 0;
    case HF_ACT_CLIP: return x < act->clip_min ? act->clip_min
                             : x > act->clip_max ? act->clip_max : x;
    case HF_ACT_PRELU: return x >= 0 ? x : act->slopes[j] * x;
    case HF_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
    default: return x;
    }
}

/* Expected C and the scale sum |a * b| + |bias| of each element. */
static void oracle_gemm(const hf_gemm_desc *d, const float *a, const float *b,
                        const float *bias, double *expected, double *magnitude)
{
    for (int i = 0; i < d->m; i++) {
        for (int j = 0; j < d->n; j++) {
            double sum = bias ? bias[j] : 0.0;
            double mag = fabs(sum);
            for (int p = 0; p < d->k; p++) {
                double bv = d->trans_b ? b[(size_t)j * d->k + p] : b[(size_t)p * d->n + j];
                double prod = (double)a[(size_t)i * d->k + p] * bv;
                sum += prod;
                mag += fabs(prod);
            }
            expected[(size_t)i * d->n + j] = act_double(&d->act, j, sum);
            magnitude[(size_t)i * d->n + j] = mag;
        }
    }
}

static void check_gemm(const hf_gemm_desc *d, const float *a, const float *b, const float *bias,
                       hf_threadpool *pool)
{
    size_t count = (size_t)d->m * d->n;
    double *expected = malloc(count * sizeof(double));
    double *magnitude = malloc(count * sizeof(double));
    float *c = malloc(count * sizeof(float));

    assert_non_null(c);
    oracle_gemm(d, a, b, bias, expected, magnitude);
    for (size_t i = 0; i < sizeof(all_choices) / sizeof(all_choices[0]); i++) {
        hf_gemm_plan *plan = NULL;
        assert_int_equal(hf_gemm_plan_create(d, b, bias, all_choices[i], &plan), HF_OK);
        void *scratch = hf_aligned_alloc(hf_gemm_plan_scratch_bytes(plan, 2) + 64);
        for (int t = 0; t < 2; t++) {
            memset(c, 0xff, count * sizeof(float));
            hf_gemm_plan_run(plan, a, c, scratch, t == 0 ? NULL : pool);
            long bad = oracle_first_mismatch(c, expected, magnitude, count, REL_TOLERANCE);
            if (bad >= 0)
                fail_msg("choice %d, %d threads, m %d n %d k %d trans_b %d act %d: "
                         "C[%ld] is %.7g, expected %.7g",
                         (int)all_choices[i], t + 1, d->m, d->n, d->k, d->trans_b,
                         (int)d->act.kind, bad, c[bad], expected[bad]);
        }
        hf_aligned_free(scratch);
        hf_gemm_plan_destroy(plan);
    }
    free(expected);
    free(magnitude);
    free(c);
}

static void gemm_hand_checked(void **state)
{
    /* [1 2 3] x [[1 0], [0 1], [1 1]] + [0.5, -10] = [4.5, -5], relu -> [4.5, 0] */
    const float a[3] = {1, 2, 3};
    const float b[6] = {1, 0, 0, 1, 1, 1};
    const float bias[2] = {0.5f, -10.0f};
    hf_gemm_desc d = {.m = 1, .n = 2, .k = 3, .trans_b = 0, .act = {.kind = HF_ACT_RELU}};
    float c[2];

    (void)state;
    for (size_t i = 0; i < sizeof(all_choices) / sizeof(all_choices[0]); i++) {
        hf_gemm_plan *plan = NULL;
        assert_int_equal(hf_gemm_plan_create(&d, b, bias, all_choices[i], &plan), HF_OK);
        hf_gemm_plan_run(plan, a, c, NULL, NULL);
        assert_float_equal(c[0], 4.5f, 1e-6);
        assert_float_equal(c[1], 0.0f, 1e-6);
        hf_gemm_plan_destroy(plan);
    }
}

static void gemm_random(void **state)
{
    static const int shapes[][3] = {
        {1, 512, 512}, {1, 2, 128}, {1, 136, 1280}, {3, 17, 33}, {5, 100, 7},
        {1, 1, 1}, {2, 1000, 1024}, {7, 31, 300}, {1, 7, 25088}, {16, 64, 64},
    };
    oracle_rng rng = {21};
    hf_threadpool *pool = NULL;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        hf_gemm_desc d = {.m = shapes[s][0], .n = shapes[s][1], .k = shapes[s][2]};
        size_t a_count = (size_t)d.m * d.k, b_count = (size_t)d.n * d.k;
        float *a = malloc(a_count * sizeof(float));
        float *b = malloc(b_count * sizeof(float));
        float *bias = malloc((size_t)d.n * sizeof(float));
        float *slopes = malloc((size_t)d.n * sizeof(float));
        assert_non_null(slopes);
        oracle_fill(&rng, a, a_count);
        oracle_fill(&rng, b, b_count);
        oracle_fill(&rng, bias, (size_t)d.n);
        oracle_fill(&rng, slopes, (size_t)d.n);
        d.trans_b = (int)(s % 2);
        d.act.kind = (hf_act_kind)(s % 5);
        d.act.clip_min = -0.3f;
        d.act.clip_max = 0.4f;
        d.act.slopes = slopes;
        check_gemm(&d, a, b, s % 3 == 0 ? NULL : bias, pool);
        free(a);
        free(b);
        free(bias);
        free(slopes);
    }
    hf_threadpool_destroy(pool);
}

static void gemm_invalid_rejected(void **state)
{
    const float b[4] = {0};
    hf_gemm_desc d = {.m = 1, .n = 0, .k = 4};
    hf_gemm_plan *plan = NULL;

    (void)state;
    assert_int_equal(hf_gemm_plan_create(&d, b, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    d.n = 1;
    d.act.kind = HF_ACT_PRELU;
    assert_int_equal(hf_gemm_plan_create(&d, b, NULL, HF_KERNEL_AUTO, &plan),
                     HF_ERR_INVALID_ARG);
    assert_null(plan);
    hf_gemm_plan_destroy(NULL);
}

static void matmul_random(void **state)
{
    static const int shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {64, 49, 32}, {17, 300, 129}};
    oracle_rng rng = {22};
    hf_threadpool *pool = NULL;

    (void)state;
    assert_int_equal(hf_threadpool_create(2, &pool), HF_OK);
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc((size_t)m * k * sizeof(float));
        float *b = malloc((size_t)k * n * sizeof(float));
        float *c = malloc((size_t)m * n * sizeof(float));
        double *expected = malloc((size_t)m * n * sizeof(double));
        double *magnitude = malloc((size_t)m * n * sizeof(double));
        hf_gemm_desc d = {.m = m, .n = n, .k = k};
        assert_non_null(magnitude);
        oracle_fill(&rng, a, (size_t)m * k);
        oracle_fill(&rng, b, (size_t)k * n);
        oracle_gemm(&d, a, b, NULL, expected, magnitude);
        for (int t = 0; t < 2; t++) {
            hf_matmul(m, n, k, a, b, c, t == 0 ? NULL : pool);
            long bad = oracle_first_mismatch(c, expected, magnitude, (size_t)m * n,
                                             REL_TOLERANCE);
            if (bad >= 0)
                fail_msg("matmul m %d n %d k %d, %d threads: C[%ld] is %.7g, expected %.7g",
                         m, n, k, t + 1, bad, c[bad], expected[bad]);
        }
        free(a);
        free(b);
        free(c);
        free(expected);
        free(magnitude);
    }
    hf_threadpool_destroy(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gemm_hand_checked),
        cmocka_unit_test(gemm_random),
        cmocka_unit_test(gemm_invalid_rejected),
        cmocka_unit_test(matmul_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
