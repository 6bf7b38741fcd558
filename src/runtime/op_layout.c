/* Reference kernels of the data-movement ops: Concat, Split, Slice,
 * Transpose, Pad, Gather and the copy that stands for a view when a view op
 * is folded. They move bytes, so they serve float and int64 tensors. */
#include <string.h>

#include "runtime/graph.h"

static size_t elem_size(const hf_rt_exec *exec, int tensor)
{
    return hf_rt_dtype_size(exec->model->tensors[tensor].dtype);
}

/* Product of dims[from..rank). */
static int64_t inner_count(const hf_rt_shape *s, int from)
{
    int64_t count = 1;
    for (int i = from; i < s->rank; i++)
        count *= s->dims[i];
    return count;
}

void hf_rt_kernel_copy(const hf_rt_node *node, hf_rt_exec *exec)
{
    const void *x = exec->ptrs[node->inputs[0]];
    void *y = exec->ptrs[node->outputs[0]];
    size_t bytes = hf_rt_tensor_bytes(&exec->model->tensors[node->outputs[0]]);

    if (x != y && bytes > 0)
        memmove(y, x, bytes);
}

/* Concatenates float tensors whose chunks are at most 16 floats, as in the
 * [1, N, 4] box tensors of detectors, where a memcpy call per chunk costs
 * more than the copy. A chunk is the part of one input between two steps
 * of the outer axes. Copies one input at a time into its columns of the
 * output, so each inner loop has a fixed length. Returns 0 for longer
 * chunks and leaves the work to the caller. */
static int concat_floats_short(const hf_rt_node *node, hf_rt_exec *exec, int64_t outer,
                               int64_t inner)
{
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    int64_t out_chunk = out->dims[node->p.axis] * inner;
    float *y = exec->ptrs[node->outputs[0]];

    for (int i = 0; i < node->input_count; i++)
        if (hf_rt_exec_shape(exec, node->inputs[i])->dims[node->p.axis] * inner > 16)
            return 0;
    for (int i = 0; i < node->input_count; i++) {
        int64_t chunk = hf_rt_exec_shape(exec, node->inputs[i])->dims[node->p.axis] * inner;
        const float *x = exec->ptrs[node->inputs[i]];
        for (int64_t o = 0; o < outer; o++)
            for (int64_t j = 0; j < chunk; j++)
                y[o * out_chunk + j] = x[o * chunk + j];
        y += chunk;
    }
    return 1;
}

void hf_rt_kernel_concat(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    int axis = node->p.axis;
    size_t es = elem_size(exec, node->outputs[0]);
    int64_t outer = hf_rt_shape_elements(out) / (inner_count(out, axis) ? inner_count(out, axis)
                                                                       : 1);
    int64_t inner = inner_count(out, axis + 1);
    char *y = exec->ptrs[node->outputs[0]];

    if (hf_rt_shape_elements(out) == 0)
        return;
    if (es == sizeof(float) && concat_floats_short(node, exec, outer, inner))
        return;
    for (int64_t o = 0; o < outer; o++) {
        for (int i = 0; i < node->input_count; i++) {
            const hf_rt_shape *s = hf_rt_exec_shape(exec, node->inputs[i]);
            size_t chunk = (size_t)(s->dims[axis] * inner) * es;
            const char *x = exec->ptrs[node->inputs[i]];
            if (chunk > 0)
                memcpy(y, x + (size_t)o * chunk, chunk);
            y += chunk;
        }
    }
}

void hf_rt_kernel_split(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    int axis = node->p.axis;
    size_t es = elem_size(exec, node->inputs[0]);
    int64_t inner = inner_count(in, axis + 1);
    int64_t outer = 1;
    const char *x = exec->ptrs[node->inputs[0]];

    for (int i = 0; i < axis; i++)
        outer *= in->dims[i];
    for (int64_t o = 0; o < outer; o++) {
        for (int i = 0; i < node->output_count; i++) {
            size_t chunk = (size_t)(node->p.ints[i] * inner) * es;
            char *y = exec->ptrs[node->outputs[i]];
            if (chunk > 0)
                memcpy(y + (size_t)o * chunk, x, chunk);
            x += chunk;
        }
    }
}

/* Walks every output row (all axes but the last) of a strided N-D view. */
typedef struct nd_walk {
    int rank;
    int64_t dims[HF_RT_MAX_RANK];
    int64_t idx[HF_RT_MAX_RANK];
} nd_walk;

/* Advances the index over axes [0, rank - 1); returns 0 after the last row. */
static int nd_next(nd_walk *w)
{
    for (int i = w->rank - 2; i >= 0; i--) {
        if (++w->idx[i] < w->dims[i])
            return 1;
        w->idx[i] = 0;
    }
    return 0;
}

/* Copies n elements of a slice's last axis, `step` apart in the input. */
static void slice_row(char *y, const char *x, int64_t n, int64_t step, size_t es)
{
    if (es == sizeof(float) && (step != 1 || n < 16)) {
        /* Short or strided float rows: a plain loop beats memcpy calls. */
        const float *src = (const float *)x;
        for (int64_t j = 0; j < n; j++)
            ((float *)y)[j] = src[j * step];
    } else if (step == 1) {
        memcpy(y, x, (size_t)n * es);
    } else {
        for (int64_t j = 0; j < n; j++)
            memcpy(y + (size_t)j * es, x + (size_t)(j * step) * es, es);
    }
}

void hf_rt_kernel_slice(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    const hf_rt_params *p = &node->p;
    size_t es = elem_size(exec, node->inputs[0]);
    const char *x = exec->ptrs[node->inputs[0]];
    char *y = exec->ptrs[node->outputs[0]];
    int64_t in_strides[HF_RT_MAX_RANK], stride = 1;
    nd_walk w = {.rank = out->rank > 1 ? out->rank - 1 : 1};

    if (hf_rt_shape_elements(out) == 0)
        return;
    if (out->rank == 0) {
        memcpy(y, x, es);
        return;
    }
    for (int i = in->rank - 1; i >= 0; i--) {
        in_strides[i] = stride;
        stride *= in->dims[i];
    }
    memcpy(w.dims, out->dims, sizeof(w.dims));
    /* The walk covers the axes before `mid`, and the inner loop steps along
     * `mid`, so each short row of a [1, N, 4] box tensor costs one addition. */
    int last = out->rank - 1, mid = last - 1;
    int64_t n = out->dims[last], rows = mid >= 0 ? out->dims[mid] : 1;
    int64_t row_step = mid >= 0 ? p->steps[mid] * in_strides[mid] : 0;
    do {
        int64_t off = p->starts[last] * in_strides[last];
        for (int i = 0; i < mid; i++)
            off += (p->starts[i] + w.idx[i] * p->steps[i]) * in_strides[i];
        if (mid >= 0)
            off += p->starts[mid] * in_strides[mid];
        if (es == sizeof(float) && p->steps[last] == 1 && n < 16) {
            /* Short contiguous float rows, as in box tensors: one tight loop. */
            const float *src = (const float *)x + off;
            float *dst = (float *)y;
            for (int64_t r = 0; r < rows; r++)
                for (int64_t j = 0; j < n; j++)
                    dst[r * n + j] = src[r * row_step + j];
            y += (size_t)(rows * n) * es;
            continue;
        }
        for (int64_t r = 0; r < rows; r++) {
            slice_row(y, x + (size_t)(off + r * row_step) * es, n, p->steps[last], es);
            y += (size_t)n * es;
        }
    } while (nd_next(&w));
}

void hf_rt_kernel_transpose(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    const int64_t *perm = node->p.ints;
    size_t es = elem_size(exec, node->inputs[0]);
    const char *x = exec->ptrs[node->inputs[0]];
    char *y = exec->ptrs[node->outputs[0]];
    int64_t in_strides[HF_RT_MAX_RANK], stride = 1;
    nd_walk w = {.rank = out->rank};
    int rank = out->rank;

    if (hf_rt_shape_elements(out) == 0)
        return;
    for (int i = in->rank - 1; i >= 0; i--) {
        in_strides[i] = stride;
        stride *= in->dims[i];
    }
    /* Trailing axes that keep their order move as one contiguous block. */
    int64_t block = 1;
    while (rank > 1 && perm[rank - 1] == rank - 1) {
        block *= out->dims[rank - 1];
        rank--;
    }
    if (rank == 1 && perm[0] == 0) {
        memcpy(y, x, (size_t)(block * out->dims[0]) * es);
        return;
    }
    w.rank = rank;
    memcpy(w.dims, out->dims, sizeof(w.dims));
    int64_t n = out->dims[rank - 1], step = in_strides[perm[rank - 1]];
    size_t chunk = (size_t)block * es;
    do {
        int64_t off = 0;
        for (int i = 0; i < rank - 1; i++)
            off += w.idx[i] * in_strides[perm[i]];
        if (chunk == sizeof(float)) {
            /* Single floats: a plain loop instead of one memcpy call each. */
            const float *src = (const float *)x + off;
            float *dst = (float *)y;
            for (int64_t j = 0; j < n; j++)
                dst[j] = src[j * step];
            y += (size_t)n * chunk;
            continue;
        }
        for (int64_t j = 0; j < n; j++) {
            memcpy(y, x + (size_t)(off + j * step) * es, chunk);
            y += chunk;
        }
    } while (nd_next(&w));
}

void hf_rt_kernel_pad(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    const hf_rt_shape *out = hf_rt_exec_shape(exec, node->outputs[0]);
    size_t es = elem_size(exec, node->inputs[0]);
    const char *x = exec->ptrs[node->inputs[0]];
    char *y = exec->ptrs[node->outputs[0]];
    int64_t out_strides[HF_RT_MAX_RANK], stride = 1, count = hf_rt_shape_elements(out);
    nd_walk w = {.rank = in->rank};

    for (int64_t i = 0; i < count; i++) {
        if (es == sizeof(float))
            ((float *)y)[i] = node->p.value;
        else
            ((int64_t *)y)[i] = (int64_t)node->p.value;
    }
    if (hf_rt_shape_elements(in) == 0 || in->rank == 0)
        return;
    for (int i = out->rank - 1; i >= 0; i--) {
        out_strides[i] = stride;
        stride *= out->dims[i];
    }
    memcpy(w.dims, in->dims, sizeof(w.dims));
    int64_t n = in->dims[in->rank - 1];
    do {
        int64_t off = 0;
        for (int i = 0; i < in->rank; i++)
            off += (w.idx[i] + node->p.ints[i]) * out_strides[i];
        memcpy(y + (size_t)off * es, x, (size_t)n * es);
        x += (size_t)n * es;
    } while (nd_next(&w));
}

void hf_rt_kernel_gather(const hf_rt_node *node, hf_rt_exec *exec)
{
    const hf_rt_shape *in = hf_rt_exec_shape(exec, node->inputs[0]);
    const hf_rt_shape *idx_shape = hf_rt_exec_shape(exec, node->inputs[1]);
    const int64_t *idx = exec->ptrs[node->inputs[1]];
    int axis = node->p.axis;
    size_t es = elem_size(exec, node->inputs[0]);
    int64_t inner = inner_count(in, axis + 1), count = hf_rt_shape_elements(idx_shape);
    int64_t outer = 1, dim = in->dims[axis];
    const char *x = exec->ptrs[node->inputs[0]];
    char *y = exec->ptrs[node->outputs[0]];
    size_t chunk = (size_t)inner * es;

    for (int i = 0; i < axis; i++)
        outer *= in->dims[i];
    for (int64_t o = 0; o < outer; o++)
        for (int64_t k = 0; k < count; k++) {
            int64_t j = idx[k] < 0 ? idx[k] + dim : idx[k];
            memcpy(y, x + (size_t)(o * dim + j) * chunk, chunk);
            y += chunk;
        }
}
