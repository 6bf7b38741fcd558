/* Prints GFLOP/s of the convolution plans on the shapes that carry most of
 * the multiply-adds of the face models, for the chosen kernel and for the
 * portable reference.
 *
 * Usage: bench_kernels [threads] [model-filter | layer-file]
 * A layer file lists one convolution per line as "in_c in_h in_w out_c out_h
 * out_w kernel_h kernel_w stride_h stride_w pad_top pad_left dilation_h
 * dilation_w group"; the program then prints the summed time of all of
 * them, an estimate of a model's convolution time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/threadpool.h"
#include "runtime/kernels/kernels.h"

typedef struct bench_shape {
    const char *model;
    int in_c, in_h, in_w, out_c, kernel, stride, pad, dilation, group;
} bench_shape;

static const bench_shape shapes[] = {
    {"detect", 64, 30, 40, 64, 1, 1, 0, 1, 1},
    {"detect", 16, 120, 160, 32, 1, 1, 0, 1, 1},
    {"detect", 128, 15, 20, 128, 1, 1, 0, 1, 1},
    {"detect", 3, 240, 320, 16, 3, 2, 1, 1, 1},
    {"detect", 16, 30, 40, 16, 3, 1, 5, 5, 1},
    {"detect", 64, 30, 40, 64, 3, 1, 1, 1, 64},
    {"detect", 16, 120, 160, 16, 3, 1, 1, 1, 16},
    {"detect", 32, 120, 160, 32, 3, 2, 1, 1, 32},
    {"feature", 256, 14, 14, 128, 1, 1, 0, 1, 1},
    {"feature", 128, 14, 14, 256, 1, 1, 0, 1, 1},
    {"feature", 128, 28, 28, 64, 1, 1, 0, 1, 1},
    {"feature", 64, 56, 56, 128, 1, 1, 0, 1, 1},
    {"feature", 128, 28, 28, 128, 3, 1, 1, 1, 128},
    {"feature", 256, 14, 14, 256, 3, 1, 1, 1, 256},
    {"feature", 128, 56, 56, 128, 3, 2, 1, 1, 128},
    {"pose", 116, 14, 14, 116, 1, 1, 0, 1, 1},
    {"pose", 464, 7, 7, 1024, 1, 1, 0, 1, 1},
    {"pose", 232, 7, 7, 232, 1, 1, 0, 1, 1},
    {"pose", 58, 28, 28, 58, 1, 1, 0, 1, 1},
    {"pose", 3, 224, 224, 24, 3, 2, 1, 1, 1},
    {"expression", 128, 56, 56, 32, 3, 1, 1, 1, 1},
    {"expression", 128, 28, 28, 32, 3, 1, 1, 1, 1},
    {"expression", 128, 14, 14, 32, 3, 1, 1, 1, 1},
    {"expression", 3, 224, 224, 64, 7, 2, 3, 1, 1},
    {"expression", 256, 56, 56, 128, 1, 1, 0, 1, 1},
    {"expression", 1024, 14, 14, 512, 1, 1, 0, 1, 1},
    {"liveness", 64, 32, 32, 231, 1, 1, 0, 1, 1},
    {"liveness", 231, 16, 16, 128, 1, 1, 0, 1, 1},
    {"liveness", 32, 64, 64, 103, 1, 1, 0, 1, 1},
    {"landmark", 128, 8, 8, 64, 1, 1, 0, 1, 1},
    {"blazeface", 24, 128, 128, 24, 1, 1, 0, 1, 1},
    {"blazeface", 24, 128, 128, 24, 3, 1, 1, 1, 24},
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Returns the median-free best time of a few repetitions, in seconds. */
static double time_plan(const hf_conv_plan *plan, const float *in, float *out, void *scratch,
                        hf_threadpool *pool, double flops)
{
    int reps = (int)(2e8 / flops) + 1;
    double best = 1e30;

    for (int round = 0; round < 5; round++) {
        double start = now_seconds();
        for (int i = 0; i < reps; i++)
            hf_conv_plan_run(plan, in, NULL, out, scratch, pool);
        double t = (now_seconds() - start) / reps;
        if (t < best)
            best = t;
    }
    return best;
}

static void bench_one(const bench_shape *s, hf_threadpool *pool)
{
    hf_conv_desc d = {
        .in_c = s->in_c, .in_h = s->in_h, .in_w = s->in_w, .out_c = s->out_c,
        .kernel_h = s->kernel, .kernel_w = s->kernel, .stride_h = s->stride,
        .stride_w = s->stride, .pad_top = s->pad, .pad_left = s->pad,
        .dilation_h = s->dilation, .dilation_w = s->dilation, .group = s->group,
        .act = {.kind = HF_ACT_RELU},
    };
    int span = s->dilation * (s->kernel - 1) + 1;
    d.out_h = (s->in_h + 2 * s->pad - span) / s->stride + 1;
    d.out_w = (s->in_w + 2 * s->pad - span) / s->stride + 1;
    size_t in_count = (size_t)d.in_c * d.in_h * d.in_w;
    size_t out_count = (size_t)d.out_c * d.out_h * d.out_w;
    size_t w_count = (size_t)d.out_c * (d.in_c / d.group) * s->kernel * s->kernel;
    double flops = 2.0 * w_count * d.out_h * d.out_w;
    float *in = hf_aligned_alloc(in_count * sizeof(float));
    float *out = hf_aligned_alloc(out_count * sizeof(float));
    float *w = hf_aligned_alloc(w_count * sizeof(float));
    double seconds[2];
    const char *names[2];

    for (size_t i = 0; i < in_count; i++)
        in[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (size_t i = 0; i < w_count; i++)
        w[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    for (int variant = 0; variant < 2; variant++) {
        hf_conv_plan *plan = NULL;
        hf_kernel_choice choice = variant == 0 ? HF_KERNEL_AUTO : HF_KERNEL_REFERENCE;
        if (hf_conv_plan_create(&d, w, NULL, choice, &plan) != HF_OK)
            exit(1);
        void *scratch = hf_aligned_alloc(
            hf_conv_plan_scratch_bytes(plan, hf_threadpool_size(pool)) + 64);
        seconds[variant] = time_plan(plan, in, out, scratch, pool, flops);
        names[variant] = hf_conv_plan_kernel_name(plan);
        hf_aligned_free(scratch);
        hf_conv_plan_destroy(plan);
    }
    printf("%-10s %4dx%3dx%3d -> %4d k%d s%d d%d g%-4d %-14s %8.1f us %6.1f GFLOP/s"
           "  (%s %.1f GFLOP/s)\n",
           s->model, s->in_c, s->in_h, s->in_w, s->out_c, s->kernel, s->stride, s->dilation,
           s->group, names[0], seconds[0] * 1e6, flops / seconds[0] * 1e-9, names[1],
           flops / seconds[1] * 1e-9);
    hf_aligned_free(in);
    hf_aligned_free(out);
    hf_aligned_free(w);
}

/* Times one plan of `d` with ReLU on deterministic data; returns seconds. */
static double time_desc(hf_conv_desc *d, hf_threadpool *pool, const char **name)
{
    size_t in_count = (size_t)d->in_c * d->in_h * d->in_w;
    size_t out_count = (size_t)d->out_c * d->out_h * d->out_w;
    size_t w_count = (size_t)d->out_c * (d->in_c / d->group) * d->kernel_h * d->kernel_w;
    double flops = 2.0 * w_count * d->out_h * d->out_w;
    float *in = hf_aligned_alloc(in_count * sizeof(float));
    float *out = hf_aligned_alloc(out_count * sizeof(float));
    float *w = hf_aligned_alloc(w_count * sizeof(float));
    hf_conv_plan *plan = NULL;
    double seconds = -1.0;

    for (size_t i = 0; i < in_count; i++)
        in[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (size_t i = 0; i < w_count; i++)
        w[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    d->act.kind = HF_ACT_RELU;
    if (hf_conv_plan_create(d, w, NULL, HF_KERNEL_AUTO, &plan) == HF_OK) {
        void *scratch = hf_aligned_alloc(
            hf_conv_plan_scratch_bytes(plan, hf_threadpool_size(pool)) + 64);
        seconds = time_plan(plan, in, out, scratch, pool, flops);
        *name = hf_conv_plan_kernel_name(plan);
        hf_aligned_free(scratch);
        hf_conv_plan_destroy(plan);
    }
    hf_aligned_free(in);
    hf_aligned_free(out);
    hf_aligned_free(w);
    return seconds;
}

static int bench_layer_file(FILE *file, hf_threadpool *pool)
{
    hf_conv_desc d;
    double total = 0.0, flops_total = 0.0;
    int count = 0;

    memset(&d, 0, sizeof(d));
    while (fscanf(file, "%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", &d.in_c, &d.in_h,
                  &d.in_w, &d.out_c, &d.out_h, &d.out_w, &d.kernel_h, &d.kernel_w,
                  &d.stride_h, &d.stride_w, &d.pad_top, &d.pad_left, &d.dilation_h,
                  &d.dilation_w, &d.group) == 15) {
        const char *name = "?";
        double flops = 2.0 * d.out_c * (d.in_c / d.group) * d.kernel_h * d.kernel_w *
                       d.out_h * d.out_w;
        double seconds = time_desc(&d, pool, &name);
        if (seconds < 0) {
            fprintf(stderr, "layer %d: plan creation failed\n", count);
            return 1;
        }
        printf("%4dx%3dx%3d -> %4dx%3dx%3d k%dx%d s%d g%-4d %-17s %8.1f us %6.1f GFLOP/s\n",
               d.in_c, d.in_h, d.in_w, d.out_c, d.out_h, d.out_w, d.kernel_h, d.kernel_w,
               d.stride_h, d.group, name, seconds * 1e6, flops / seconds * 1e-9);
        total += seconds;
        flops_total += flops;
        count++;
    }
    printf("%d convolutions: %.3f ms, %.1f GFLOP/s\n", count, total * 1e3,
           flops_total / total * 1e-9);
    return 0;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    const char *filter = argc > 2 ? argv[2] : "";
    hf_threadpool *pool = NULL;

    hf_cpu_set_flush_denormals();
    if (threads < 1 || hf_threadpool_create(threads, &pool) != HF_OK) {
        fprintf(stderr, "usage: bench_kernels [threads >= 1] [model filter]\n");
        return 2;
    }
    printf("cpu level %s, %d threads\n", hf_cpu_level_name(hf_cpu_level_get()), threads);
    FILE *layers = filter[0] != '\0' ? fopen(filter, "r") : NULL;
    if (layers != NULL) {
        int rc = bench_layer_file(layers, pool);
        fclose(layers);
        hf_threadpool_destroy(pool);
        return rc;
    }
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        if (strstr(shapes[i].model, filter) != NULL)
            bench_one(&shapes[i], pool);
    hf_threadpool_destroy(pool);
    return 0;
}
