/* Reference kernels of the element-wise ops: unary activations, binary
 * arithmetic with broadcasting (PRelu included), BatchNormalization and
 * Softmax. Each splits its work over the instance's thread pool. */
#include <math.h>
#include <string.h>

#include "runtime/exp_approx.h"
#include "runtime/graph.h"

/* Below this many elements a job runs on the calling thread only. */
#define HF_RT_PARALLEL_MIN 16384

static int job_parts(const hf_rt_exec *exec, int64_t elements)
{
    int threads = hf_threadpool_size(exec->pool);
    return elements < HF_RT_PARALLEL_MIN ? 1 : threads;
}

static void part_range(int64_t total, int ith, int nth, int64_t *begin, int64_t *end)
{
    *begin = total * ith / nth;
    *end = total * (ith + 1) / nth;
}

typedef struct unary_job {
    const hf_rt_node *node;
    const float *x;
    float *y;
    int64_t count;
} unary_job;

/* Floats per block of map_exp_or_sigmoid. */
#define HF_RT_MAP_BLOCK 64

/* y = exp(x), or y = 1 / (1 + exp(-x)) when `sigmoid`, over n floats. The
 * planner may give x and y the same bytes, and GCC then keeps a loop over
 * them scalar, so each block goes through a local array. Called with a
 * constant `sigmoid`, so each loop is compiled without the test. */
static inline __attribute__((always_inline)) void
map_exp_or_sigmoid(const float *x, float *y, int64_t n, const int sigmoid)
{
    float block[HF_RT_MAP_BLOCK];
    for (int64_t i = 0; i < n; i += HF_RT_MAP_BLOCK) {
        int count = n - i < HF_RT_MAP_BLOCK ? (int)(n - i) : HF_RT_MAP_BLOCK;
        memcpy(block, x + i, (size_t)count * sizeof(float));
        for (int j = 0; j < count; j++)
            block[j] = sigmoid ? 1.0f / (1.0f + hf_exp_approx(-block[j])) : hf_exp_approx(block[j]);
        memcpy(y + i, block, (size_t)count * sizeof(float));
    }
}

static void unary_part(void *ctx, int ith, int nth)
{
    const unary_job *job = ctx;
    const hf_rt_params *p = &job->node->p;
    int64_t begin, end;

    part_range(job->count, ith, nth, &begin, &end);
    const float *x = job->x;
    float *y = job->y;
    switch (p->count) {
    case HF_RT_UNARY_RELU:
        for (int64_t i = begin; i < end; i++)
            y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case HF_RT_UNARY_SIGMOID: map_exp_or_sigmoid(x + begin, y + begin, end - begin, 1); break;
    case HF_RT_UNARY_TANH:
        for (int64_t i = begin; i < end; i++)
            y[i] = tanhf(x[i]);
        break;
    case HF_RT_UNARY_EXP: map_exp_or_sigmoid(x + begin, y + begin, end - begin, 0); break;
    default:
        for (int64_t i = begin; i < end; i++)
            y[i] = fminf(fmaxf(x[i], p->clip_min), p->clip_max);
        break;
    }
}

void hf_rt_kernel_unary(const hf_rt_node *node, hf_rt_exec *exec)
{
    unary_job job = {
        .node = node,
        .x = hf_rt_exec_f32(exec, node->inputs[0]),
        .y = hf_rt_exec_f32(exec, node->outputs[0]),
        .count = hf_rt_shape_elements(hf_rt_exec_shape(exec, node->outputs[0])),
    };
    hf_threadpool_run(exec->pool, unary_part, &job, job_parts(exec, job.count));
}

/* Binary op over a broadcast. The output is walked as rows of its last
 * dimension, and each input has a stride per output axis (0 where it is
 * broadcast). */
typedef struct binary_job {
    int op;
    const float *a, *b;
    float *y;
    int rank;
    int64_t dims[HF_RT_MAX_RANK];
    int64_t stride_a[HF_RT_MAX_RANK], stride_b[HF_RT_MAX_RANK];
    int64_t rows;
} binary_job;

static void input_strides(const hf_rt_shape *in, const hf_rt_shape *out, int64_t *strides)
{
    int64_t stride = 1;

    for (int i = out->rank - 1; i >= 0; i--) {
        int j = i - (out->rank - in->rank);
        int64_t dim = j >= 0 ? in->dims[j] : 1;
        strides[i] = dim == 1 ? 0 : stride;
        stride *= dim;
    }
}

/* One loop per op and stride pattern so the compiler can vectorise the
 * common cases (same shape, and one side broadcast). */
#define BINARY_LOOP(expr)                                                                   \
    do {                                                                                    \
        if (sa == 1 && sb == 1) {                                                           \
            for (int64_t i = 0; i < n; i++) {                                               \
                float x = a[i], w = b[i];                                                   \
                y[i] = (expr);                                                              \
            }                                                                               \
        } else if (sa == 1 && sb == 0) {                                                    \
            float w = b[0];                                                                 \
            for (int64_t i = 0; i < n; i++) {                                               \
                float x = a[i];                                                             \
                y[i] = (expr);                                                              \
            }                                                                               \
        } else {                                                                            \
            for (int64_t i = 0; i < n; i++) {                                               \
                float x = a[i * sa], w = b[i * sb];                                         \
                y[i] = (expr);                                                              \
            }                                                                               \
        }                                                                                   \
    } while (0)

static void binary_row(const binary_job *job, const float *a, const float *b, float *y)
{
    int64_t n = job->dims[job->rank - 1];
    int64_t sa = job->stride_a[job->rank - 1], sb = job->stride_b[job->rank - 1];

    switch (job->op) {
    case HF_RT_BINARY_ADD: BINARY_LOOP(x + w); break;
    case HF_RT_BINARY_SUB: BINARY_LOOP(x - w); break;
    case HF_RT_BINARY_MUL: BINARY_LOOP(x * w); break;
    case HF_RT_BINARY_DIV: BINARY_LOOP(x / w); break;
    default: BINARY_LOOP(x >= 0.0f ? x : x * w); break;
    }
}

/* Drops size-1 axes and merges neighbours that both inputs walk
 * contiguously (or both broadcast), so most ops become one long row. */
static void collapse_axes(binary_job *job)
{
    int rank = 0;

    for (int i = 0; i < job->rank; i++) {
        if (job->dims[i] == 1)
            continue;
        if (rank > 0 && job->stride_a[rank - 1] == job->stride_a[i] * job->dims[i] &&
            job->stride_b[rank - 1] == job->stride_b[i] * job->dims[i]) {
            job->dims[rank - 1] *= job->dims[i];
            job->stride_a[rank - 1] = job->stride_a[i];
            job->stride_b[rank - 1] = job->stride_b[i];
            continue;
        }
        job->dims[rank] = job->dims[i];
        job->stride_a[rank] = job->stride_a[i];
        job->stride_b[rank] = job->stride_b[i];
        rank++;
    }
    if (rank == 0) {
        job->dims[0] = 1;
        job->stride_a[0] = job->stride_b[0] = 0;
        rank = 1;
    }
    job->rank = rank;
}

static void binary_part(void *ctx, int ith, int nth)
{
    const binary_job *job = ctx;
    int64_t begin, end, n = job->dims[job->rank - 1];

    part_range(job->rows, ith, nth, &begin, &end);
    for (int64_t row = begin; row < end; row++) {
        int64_t rest = row, off_a = 0, off_b = 0;
        for (int i = job->rank - 2; i >= 0; i--) {
            int64_t idx = rest % job->dims[i];
            rest /= job->dims[i];
            off_a += idx * job->stride_a[i];
            off_b += idx * job->stride_b[i];
        }
        binary_row(job, job->a + off_a, job->b + off_b, job->y + row * n);
    }
}

void hf_rt_kernel_binary(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    binary_job job = {
        .op = node->p.count,
        .a = hf_rt_exec_f32(exec, node->inputs[0]),
        .b = hf_rt_exec_f32(exec, node->inputs[1]),
        .y = hf_rt_exec_f32(exec, node->outputs[0]),
        .rank = out->rank > 0 ? out->rank : 1,
        .dims = {1},
    };
    int64_t count = hf_rt_shape_elements(out);

    if (count == 0)
        return;
    if (out->rank > 0) {
        memcpy(job.dims, out->dims, sizeof(job.dims));
        input_strides(hf_rt_exec_shape(exec, node->inputs[0]), out, job.stride_a);
        input_strides(hf_rt_exec_shape(exec, node->inputs[1]), out, job.stride_b);
        collapse_axes(&job);
    }
    job.rows = count / job.dims[job.rank - 1];
    hf_threadpool_run(exec->pool, binary_part, &job,
                      job.rows < 2 ? 1 : job_parts(exec, count));
}

typedef struct channel_job {
    const hf_rt_node *node;
    const float *x;
    float *y;
    int64_t outer, channels, inner;
} channel_job;

static void batchnorm_part(void *ctx, int ith, int nth)
{
    const channel_job *job = ctx;
    int64_t begin, end;

    part_range(job->outer * job->channels, ith, nth, &begin, &end);
    for (int64_t plane = begin; plane < end; plane++) {
        int64_t c = plane % job->channels;
        float a = job->node->weights[c], s = job->node->bias[c];
        const float *x = job->x + plane * job->inner;
        float *y = job->y + plane * job->inner;
        if (job->node->p.count) { /* a fused Relu follows */
            for (int64_t i = 0; i < job->inner; i++) {
                float v = a * x[i] + s;
                y[i] = v > 0.0f ? v : 0.0f;
            }
        } else {
            for (int64_t i = 0; i < job->inner; i++)
                y[i] = a * x[i] + s;
        }
    }
}

void hf_rt_kernel_batchnorm(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *s = hf_rt_exec_shape(exec, node->inputs[0]);
    int64_t count = hf_rt_shape_elements(s);
    channel_job job = {
        .node = node,
        .x = hf_rt_exec_f32(exec, node->inputs[0]),
        .y = hf_rt_exec_f32(exec, node->outputs[0]),
        .outer = s->dims[0],
        .channels = s->dims[1],
    };

    if (count == 0)
        return;
    job.inner = count / (job.outer * job.channels);
    hf_threadpool_run(exec->pool, batchnorm_part, &job, job_parts(exec, count));
}

/* Softmax over the middle count of ints[0..2] = outer, n, inner. */
/* Softmax over two classes, as in face/background scores: with
 * e = exp(-|a - b|), the larger input gets 1 / (1 + e) and the other
 * e / (1 + e), so each pair costs one exp and one division. */
static void softmax_pairs(const float *x, float *y, int64_t outer, int64_t inner)
{
    if (inner == 1) {
        /* Scores of [1, N, 2]: one loop over the pairs, which GCC vectorizes. */
        for (int64_t o = 0; o < outer; o++) {
            float a = x[2 * o], b = x[2 * o + 1];
            float e = hf_exp_approx(-fabsf(a - b));
            float high = 1.0f / (1.0f + e), low = e * high;
            y[2 * o] = a >= b ? high : low;
            y[2 * o + 1] = a >= b ? low : high;
        }
        return;
    }
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t i = 0; i < inner; i++) {
            const float *xs = x + o * 2 * inner + i;
            float *ys = y + o * 2 * inner + i;
            float a = xs[0], b = xs[inner];
            float e = hf_exp_approx(-fabsf(a - b));
            float high = 1.0f / (1.0f + e), low = e * high;
            ys[0] = a >= b ? high : low;
            ys[inner] = a >= b ? low : high;
        }
    }
}

void hf_rt_kernel_softmax(const hf_rt_node *node, hf_rt_exec *exec)
{
    const float *x = hf_rt_exec_f32(exec, node->inputs[0]);
    float *y = hf_rt_exec_f32(exec, node->outputs[0]);
    int64_t outer = node->p.ints[0], n = node->p.ints[1], inner = node->p.ints[2];

    if (n == 2) {
        softmax_pairs(x, y, outer, inner);
        return;
    }
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t i = 0; i < inner; i++) {
            const float *xs = x + o * n * inner + i;
            float *ys = y + o * n * inner + i;
            float max = -INFINITY, sum = 0.0f;
            for (int64_t j = 0; j < n; j++)
                max = fmaxf(max, xs[j * inner]);
            for (int64_t j = 0; j < n; j++) {
                ys[j * inner] = hf_exp_approx(xs[j * inner] - max);
                sum += ys[j * inner];
            }
            for (int64_t j = 0; j < n; j++)
                ys[j * inner] /= sum;
        }
    }
}
