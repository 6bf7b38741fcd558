/* Reference kernels of MaxPool, AveragePool, GlobalAveragePool and
 * ReduceMean; the pooling kernels split channel planes over the pool. */
#include <math.h>

#include "runtime/graph.h"

typedef struct pool_job {
    const hf_rt_params *p;
    const float *x;
    float *y;
    int64_t planes;
    int64_t in_h, in_w, out_h, out_w;
} pool_job;

/* Clamps the window [begin, begin + size) to [0, limit). */
static void clamp_window(int64_t begin, int64_t size, int64_t limit, int64_t *lo, int64_t *hi)
{
    *lo = begin < 0 ? 0 : begin;
    *hi = begin + size < limit ? begin + size : limit;
}

/* Returns the length of the padded row that the column passes read: pads[1]
 * padding entries, the input row, then padding up to the last window. */
static int64_t padded_width(const pool_job *job)
{
    const hf_rt_params *p = job->p;
    int64_t width = (job->out_w - 1) * p->stride[1] + p->kernel[1];
    int64_t inside = p->pads[1] + job->in_w;
    return width > inside ? width : inside;
}

/* out[ox] = max of padded[ox * stride + k] over k < kernel. Called with a
 * constant stride for 1 and 2, so that GCC vectorizes the strided loads. */
static inline __attribute__((always_inline)) void
max_across(const float *padded, float *out, int64_t count, int64_t kernel, int64_t stride)
{
    for (int64_t ox = 0; ox < count; ox++)
        out[ox] = padded[ox * stride];
    for (int64_t k = 1; k < kernel; k++)
        for (int64_t ox = 0; ox < count; ox++)
            out[ox] = padded[ox * stride + k] > out[ox] ? padded[ox * stride + k] : out[ox];
}

/* out[ox] = sum of padded[ox * stride + k] over k < kernel, in order of k. */
static inline __attribute__((always_inline)) void
sum_across(const float *padded, float *out, int64_t count, int64_t kernel, int64_t stride)
{
    for (int64_t ox = 0; ox < count; ox++)
        out[ox] = padded[ox * stride];
    for (int64_t k = 1; k < kernel; k++)
        for (int64_t ox = 0; ox < count; ox++)
            out[ox] += padded[ox * stride + k];
}

/* Max over a window taken in two passes: first down the window's rows for
 * every column, then across the window's columns. The column maxima sit in
 * a row padded with -inf, so both passes are loops without bounds checks
 * that GCC vectorizes; -inf padding gives the same maximum as a window
 * clamped to the input. */
static void max_plane(const pool_job *job, const float *x, float *y)
{
    const hf_rt_params *p = job->p;
    float padded[HF_RT_POOL_ROW_MAX + 2 * HF_RT_POOL_PAD_MAX];
    float *column_max = padded + p->pads[1];
    int64_t w = job->in_w, stride = p->stride[1], total = padded_width(job);

    for (int64_t i = 0; i < total; i++)
        padded[i] = -INFINITY;
    for (int64_t oy = 0; oy < job->out_h; oy++) {
        int64_t y0, y1;
        clamp_window(oy * p->stride[0] - p->pads[0], p->kernel[0], job->in_h, &y0, &y1);
        for (int64_t xx = 0; xx < w; xx++)
            column_max[xx] = -INFINITY;
        for (int64_t yy = y0; yy < y1; yy++) {
            const float *row = x + yy * w;
            for (int64_t xx = 0; xx < w; xx++)
                column_max[xx] = row[xx] > column_max[xx] ? row[xx] : column_max[xx];
        }
        float *out = y + oy * job->out_w;
        if (stride == 2)
            max_across(padded, out, job->out_w, p->kernel[1], 2);
        else if (stride == 1)
            max_across(padded, out, job->out_w, p->kernel[1], 1);
        else
            max_across(padded, out, job->out_w, p->kernel[1], stride);
    }
}

/* Returns the divisor's count along one axis (0 rows, 1 columns) for output
 * index o; the divisor is the product of both. With count_include_pad it
 * counts the padding inside the padded input but not the part of a window
 * beyond it. */
static int64_t window_extent(const pool_job *job, int axis, int64_t o, int64_t limit)
{
    const hf_rt_params *p = job->p;
    int64_t begin = o * p->stride[axis] - p->pads[axis], end = begin + p->kernel[axis];

    if (p->count_include_pad) {
        int64_t padded_end = limit + p->pads[axis + 2];
        return (end < padded_end ? end : padded_end) - begin;
    }
    int64_t lo, hi;
    clamp_window(begin, p->kernel[axis], limit, &lo, &hi);
    return hi - lo;
}

/* Averages in two passes like max_plane, over a row padded with zeros. */
static void average_plane(const pool_job *job, const float *x, float *y)
{
    const hf_rt_params *p = job->p;
    float padded[HF_RT_POOL_ROW_MAX + 2 * HF_RT_POOL_PAD_MAX];
    float columns[HF_RT_POOL_ROW_MAX];
    float *column_sum = padded + p->pads[1];
    int64_t w = job->in_w, stride = p->stride[1], total = padded_width(job);

    for (int64_t i = 0; i < total; i++)
        padded[i] = 0.0f;
    for (int64_t ox = 0; ox < job->out_w; ox++)
        columns[ox] = (float)window_extent(job, 1, ox, w);
    for (int64_t oy = 0; oy < job->out_h; oy++) {
        int64_t y0, y1;
        clamp_window(oy * p->stride[0] - p->pads[0], p->kernel[0], job->in_h, &y0, &y1);
        for (int64_t xx = 0; xx < w; xx++)
            column_sum[xx] = 0.0f;
        for (int64_t yy = y0; yy < y1; yy++) {
            const float *row = x + yy * w;
            for (int64_t xx = 0; xx < w; xx++)
                column_sum[xx] += row[xx];
        }
        float *out = y + oy * job->out_w;
        if (stride == 2)
            sum_across(padded, out, job->out_w, p->kernel[1], 2);
        else if (stride == 1)
            sum_across(padded, out, job->out_w, p->kernel[1], 1);
        else
            sum_across(padded, out, job->out_w, p->kernel[1], stride);
        float rows = (float)window_extent(job, 0, oy, job->in_h);
        for (int64_t ox = 0; ox < job->out_w; ox++) {
            float divisor = rows * columns[ox];
            out[ox] = divisor > 0.0f ? out[ox] / divisor : 0.0f;
        }
    }
}

static void pool_part(void *ctx, int ith, int nth)
{
    const pool_job *job = ctx;
    int64_t begin = job->planes * ith / nth, end = job->planes * (ith + 1) / nth;

    for (int64_t c = begin; c < end; c++) {
        const float *x = job->x + c * job->in_h * job->in_w;
        float *y = job->y + c * job->out_h * job->out_w;
        if (job->p->count)
            max_plane(job, x, y);
        else
            average_plane(job, x, y);
    }
}

void hf_rt_kernel_pool(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    pool_job job = {
        .p = &node->p,
        .x = hf_rt_exec_f32(exec, node->inputs[0]),
        .y = hf_rt_exec_f32(exec, node->outputs[0]),
        .planes = in->dims[0] * in->dims[1],
        .in_h = in->dims[2],
        .in_w = in->dims[3],
        .out_h = out->dims[2],
        .out_w = out->dims[3],
    };
    int threads = hf_threadpool_size(exec->pool);

    if (job.planes < threads)
        threads = job.planes > 0 ? (int)job.planes : 1;
    hf_threadpool_run(exec->pool, pool_part, &job, threads);
}

typedef struct mean_job {
    const float *x;
    float *y;
    int64_t outer, reduce, inner;
} mean_job;

static void mean_part(void *ctx, int ith, int nth)
{
    const mean_job *job = ctx;
    int64_t total = job->outer * job->inner;
    int64_t begin = total * ith / nth, end = total * (ith + 1) / nth;

    for (int64_t idx = begin; idx < end; idx++) {
        int64_t o = idx / job->inner, i = idx % job->inner;
        const float *x = job->x + o * job->reduce * job->inner + i;
        float sum = 0.0f;
        for (int64_t r = 0; r < job->reduce; r++)
            sum += x[r * job->inner];
        job->y[idx] = job->reduce > 0 ? sum / (float)job->reduce : NAN;
    }
}

static void run_mean(hf_rt_exec *exec, const hf_rt_node *node, int64_t outer, int64_t reduce,
                     int64_t inner)
{
    mean_job job = {
        .x = hf_rt_exec_f32(exec, node->inputs[0]),
        .y = hf_rt_exec_f32(exec, node->outputs[0]),
        .outer = outer,
        .reduce = reduce,
        .inner = inner,
    };
    int threads = hf_threadpool_size(exec->pool);

    if (outer * inner < threads || outer * inner * reduce < 16384)
        threads = 1;
    hf_threadpool_run(exec->pool, mean_part, &job, threads);
}

void hf_rt_kernel_global_pool(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    int64_t planes = in->dims[0] * in->dims[1];
    int64_t count = hf_rt_shape_elements(in);

    run_mean(exec, node, planes, planes > 0 ? count / planes : 0, 1);
}

/* ints[0..2] = outer, reduced and inner counts, set at inference. */
void hf_rt_kernel_reduce_mean(const hf_rt_node *node, hf_rt_exec *exec)
{
    run_mean(exec, node, node->p.ints[0], node->p.ints[1], node->p.ints[2]);
}
