/* Shape inference of the data-movement and constant ops: Constant, Shape,
 * ConstantOfShape, Gather, Concat, Split, Slice, Transpose, Reshape,
 * Flatten, Squeeze, Unsqueeze, Identity and Pad. These ops accept float and
 * int64 tensors, so shape arithmetic can be folded at load time. */
#include <string.h>

#include "base/alloc.h"
#include "runtime/graph.h"

static hf_status reject(hf_rt_infer *ctx, const hf_rt_node *node, const char *what)
{
    hf_rt_log_node_error(ctx, node, what);
    return HF_ERR_UNSUPPORTED;
}

static hf_status invalid(hf_rt_infer *ctx, const hf_rt_node *node, const char *what)
{
    hf_rt_log_node_error(ctx, node, what);
    return HF_ERR_FORMAT;
}

/* Normalises a possibly negative axis against `rank`; -1 when out of range. */
static int norm_axis(int64_t axis, int rank)
{
    if (axis < 0)
        axis += rank;
    return axis >= 0 && axis < rank ? (int)axis : -1;
}

/* Makes output `index` a constant that owns `data`. */
static hf_status set_const_output(hf_rt_infer *ctx, hf_rt_node *node, int index,
                                  const hf_rt_shape *shape, hf_rt_dtype dtype, void *data)
{
    hf_status status = hf_rt_set_output(ctx, node, index, shape, dtype);
    hf_rt_tensor *t = hf_rt_out(ctx, node, index);

    if (status != HF_OK) {
        hf_free(data);
        return status;
    }
    t->storage = HF_RT_STORE_CONST;
    t->data = data;
    return HF_OK;
}

static hf_status const_from_values(hf_rt_infer *ctx, hf_rt_node *node, const void *values,
                                   int64_t count, int rank, hf_rt_dtype dtype)
{
    size_t bytes = (size_t)count * hf_rt_dtype_size(dtype);
    void *data = hf_malloc(bytes);
    hf_rt_shape shape = {rank, {count}};

    if (data == NULL)
        return HF_ERR_NO_MEMORY;
    if (bytes > 0)
        memcpy(data, values, bytes);
    return set_const_output(ctx, node, 0, &shape, dtype, data);
}

hf_status hf_rt_infer_constant(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_onnx_attr *a;

    if ((a = hf_onnx_node_attr(ctx->src, "value")) != NULL && a->t != NULL) {
        const hf_onnx_tensor *t = a->t;
        hf_rt_dtype dtype = t->data_type == HF_ONNX_FLOAT ? HF_RT_F32 : HF_RT_I64;
        hf_status status = const_from_values(ctx, node, t->data, t->count, 1, dtype);
        if (status == HF_OK)
            hf_rt_out(ctx, node, 0)->shape = t->shape;
        return status;
    }
    if ((a = hf_onnx_node_attr(ctx->src, "value_float")) != NULL)
        return const_from_values(ctx, node, &a->f, 1, 0, HF_RT_F32);
    if ((a = hf_onnx_node_attr(ctx->src, "value_int")) != NULL)
        return const_from_values(ctx, node, &a->i, 1, 0, HF_RT_I64);
    if ((a = hf_onnx_node_attr(ctx->src, "value_floats")) != NULL)
        return const_from_values(ctx, node, a->floats, a->floats_count, 1, HF_RT_F32);
    if ((a = hf_onnx_node_attr(ctx->src, "value_ints")) != NULL)
        return const_from_values(ctx, node, a->ints, a->ints_count, 1, HF_RT_I64);
    return invalid(ctx, node, "Constant without a value attribute");
}

hf_status hf_rt_infer_shape(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    return const_from_values(ctx, node, x->shape.dims, x->shape.rank, 1, HF_RT_I64);
}

hf_status hf_rt_infer_constant_of_shape(hf_rt_infer *ctx, hf_rt_node *node)
{
    int64_t dims[HF_RT_MAX_RANK];
    int rank = hf_rt_const_ints(ctx, node, 0, dims, HF_RT_MAX_RANK);
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, "value");
    hf_rt_dtype dtype = HF_RT_F32;
    hf_rt_shape shape = {0, {0}};
    int64_t count = 1;

    if (rank < 0)
        return reject(ctx, node, "ConstantOfShape needs a constant int64 shape");
    if (a != NULL && (a->t == NULL || a->t->count != 1))
        return invalid(ctx, node, "ConstantOfShape value must hold one element");
    if (a != NULL && a->t->data_type != HF_ONNX_FLOAT)
        dtype = HF_RT_I64;
    shape.rank = rank;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0 || dims[i] > HF_RT_MAX_ELEMENTS)
            return invalid(ctx, node, "ConstantOfShape dimension out of range");
        shape.dims[i] = dims[i];
        count *= dims[i];
        if (count > HF_RT_MAX_ELEMENTS)
            return reject(ctx, node, "ConstantOfShape output too large");
    }
    void *data = hf_calloc((size_t)count + 1, hf_rt_dtype_size(dtype));
    if (data == NULL)
        return HF_ERR_NO_MEMORY;
    for (int64_t i = 0; a != NULL && i < count; i++) {
        if (dtype == HF_RT_F32)
            ((float *)data)[i] = ((const float *)a->t->data)[0];
        else
            ((int64_t *)data)[i] = ((const int64_t *)a->t->data)[0];
    }
    return set_const_output(ctx, node, 0, &shape, dtype, data);
}

hf_status hf_rt_infer_gather(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0), *idx = hf_rt_in(ctx, node, 1);
    int axis = norm_axis(hf_rt_attr_int(ctx, "axis", 0), x->shape.rank);
    hf_rt_shape shape = {0, {0}};

    if (axis < 0)
        return invalid(ctx, node, "Gather axis out of range");
    if (idx->storage != HF_RT_STORE_CONST || idx->dtype != HF_RT_I64)
        return reject(ctx, node, "Gather needs constant int64 indices");
    if (x->shape.rank - 1 + idx->shape.rank > HF_RT_MAX_RANK)
        return reject(ctx, node, "Gather output rank too large");
    int64_t count = hf_rt_shape_elements(&idx->shape);
    for (int64_t i = 0; i < count; i++) {
        int64_t v = ((const int64_t *)idx->data)[i];
        if (v < -x->shape.dims[axis] || v >= x->shape.dims[axis])
            return invalid(ctx, node, "Gather index out of range");
    }
    for (int i = 0; i < axis; i++)
        shape.dims[shape.rank++] = x->shape.dims[i];
    for (int i = 0; i < idx->shape.rank; i++)
        shape.dims[shape.rank++] = idx->shape.dims[i];
    for (int i = axis + 1; i < x->shape.rank; i++)
        shape.dims[shape.rank++] = x->shape.dims[i];
    node->p.axis = axis;
    node->kernel = hf_rt_kernel_gather;
    return hf_rt_set_output(ctx, node, 0, &shape, x->dtype);
}

hf_status hf_rt_infer_concat(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *first = hf_rt_in(ctx, node, 0);
    hf_rt_shape shape = first->shape;
    int axis = norm_axis(hf_rt_attr_int(ctx, "axis", 0), shape.rank);

    if (axis < 0 || hf_onnx_node_attr(ctx->src, "axis") == NULL)
        return invalid(ctx, node, "Concat axis missing or out of range");
    shape.dims[axis] = 0;
    for (int i = 0; i < node->input_count; i++) {
        const hf_rt_tensor *t = hf_rt_in(ctx, node, i);
        if (t == NULL || t->dtype != first->dtype || t->shape.rank != shape.rank)
            return invalid(ctx, node, "Concat inputs differ in rank or type");
        for (int d = 0; d < shape.rank; d++)
            if (d != axis && t->shape.dims[d] != shape.dims[d])
                return invalid(ctx, node, "Concat inputs differ outside the axis");
        shape.dims[axis] += t->shape.dims[axis];
    }
    node->p.axis = axis;
    node->kernel = hf_rt_kernel_concat;
    return hf_rt_set_output(ctx, node, 0, &shape, first->dtype);
}

hf_status hf_rt_infer_split(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int axis = norm_axis(hf_rt_attr_int(ctx, "axis", 0), x->shape.rank);
    int64_t *parts = node->p.ints;
    int count = hf_rt_attr_ints(ctx, "split", parts, 2 * HF_RT_MAX_RANK);
    int64_t total = 0;
    hf_status status = HF_OK;

    if (axis < 0)
        return invalid(ctx, node, "Split axis out of range");
    if (node->output_count > 2 * HF_RT_MAX_RANK)
        return reject(ctx, node, "Split into more than 16 outputs");
    if (count < 0 && node->input_count > 1)
        count = hf_rt_const_ints(ctx, node, 1, parts, 2 * HF_RT_MAX_RANK);
    if (count < 0) {
        count = node->output_count;
        if (x->shape.dims[axis] % count != 0)
            return invalid(ctx, node, "Split axis not divisible by the output count");
        for (int i = 0; i < count; i++)
            parts[i] = x->shape.dims[axis] / count;
    }
    if (count != node->output_count)
        return invalid(ctx, node, "Split sizes do not match the output count");
    for (int i = 0; i < count; i++) {
        if (parts[i] < 0 || parts[i] > x->shape.dims[axis])
            return invalid(ctx, node, "Split size out of range");
        total += parts[i];
    }
    if (total != x->shape.dims[axis])
        return invalid(ctx, node, "Split sizes do not add up to the axis length");
    for (int i = 0; i < count && status == HF_OK; i++) {
        hf_rt_shape shape = x->shape;
        shape.dims[axis] = parts[i];
        status = hf_rt_set_output(ctx, node, i, &shape, x->dtype);
    }
    node->p.axis = axis;
    node->p.count = count;
    node->kernel = hf_rt_kernel_split;
    return status;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    if (v < lo)
        return lo;
    return v > hi ? hi : v;
}

/* Reads Slice's starts, ends, axes and steps from attributes (opset < 10)
 * or constant inputs; returns the count or -1. */
static int slice_args(hf_rt_infer *ctx, const hf_rt_node *node, int64_t v[4][HF_RT_MAX_RANK])
{
    const char *names[3] = {"starts", "ends", "axes"};
    int n[4] = {-1, -1, -1, -1};

    for (int i = 0; i < 4; i++) {
        if (ctx->model->opset < 10)
            n[i] = i < 3 ? hf_rt_attr_ints(ctx, names[i], v[i], HF_RT_MAX_RANK) : -1;
        else if (i + 1 < node->input_count && node->inputs[i + 1] >= 0)
            n[i] = hf_rt_const_ints(ctx, node, i + 1, v[i], HF_RT_MAX_RANK);
        else if (i < 2)
            return -1;
        if (n[i] < 0 && i >= 2) {
            n[i] = n[0];
            for (int j = 0; j < n[0]; j++)
                v[i][j] = i == 2 ? j : 1;
        }
    }
    if (n[0] < 0 || n[1] != n[0] || n[2] != n[0] || n[3] != n[0])
        return -1;
    return n[0];
}

hf_status hf_rt_infer_slice(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t v[4][HF_RT_MAX_RANK];
    int count = slice_args(ctx, node, v);
    hf_rt_params *p = &node->p;
    hf_rt_shape shape = x->shape;

    if (count < 0)
        return reject(ctx, node, "Slice needs constant starts, ends, axes and steps");
    for (int d = 0; d < x->shape.rank; d++) {
        p->starts[d] = 0;
        p->steps[d] = 1;
    }
    for (int i = 0; i < count; i++) {
        int axis = norm_axis(v[2][i], x->shape.rank);
        int64_t dim = axis >= 0 ? x->shape.dims[axis] : 0;
        if (axis < 0)
            return invalid(ctx, node, "Slice axis out of range");
        if (v[3][i] < 1)
            return reject(ctx, node, "Slice step below 1");
        int64_t start = v[0][i] < 0 ? v[0][i] + dim : v[0][i];
        int64_t end = v[1][i] < 0 ? v[1][i] + dim : v[1][i];
        start = clamp64(start, 0, dim);
        end = clamp64(end, 0, dim);
        p->starts[axis] = start;
        p->steps[axis] = v[3][i];
        shape.dims[axis] = end > start ? (end - start - 1) / v[3][i] + 1 : 0;
    }
    node->kernel = hf_rt_kernel_slice;
    return hf_rt_set_output(ctx, node, 0, &shape, x->dtype);
}

hf_status hf_rt_infer_transpose(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t *perm = node->p.ints;
    int count = hf_rt_attr_ints(ctx, "perm", perm, HF_RT_MAX_RANK);
    int used[HF_RT_MAX_RANK] = {0};
    hf_rt_shape shape = x->shape;

    if (count < 0)
        for (count = 0; count < x->shape.rank; count++)
            perm[count] = x->shape.rank - 1 - count;
    if (count != x->shape.rank)
        return invalid(ctx, node, "Transpose perm length differs from the input rank");
    for (int i = 0; i < count; i++) {
        if (perm[i] < 0 || perm[i] >= count || used[perm[i]])
            return invalid(ctx, node, "Transpose perm is not a permutation");
        used[perm[i]] = 1;
        shape.dims[i] = x->shape.dims[perm[i]];
    }
    node->kernel = hf_rt_kernel_transpose;
    return hf_rt_set_output(ctx, node, 0, &shape, x->dtype);
}

/* Reshape, Flatten, Squeeze, Unsqueeze and Identity only relabel the shape:
 * the output is a view of the input (a copy when folded). */
static hf_status set_view(hf_rt_infer *ctx, hf_rt_node *node, const hf_rt_shape *shape)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);

    if (hf_rt_shape_elements(shape) != hf_rt_shape_elements(&x->shape))
        return invalid(ctx, node, "new shape has a different element count");
    node->kernel = hf_rt_kernel_copy;
    return hf_rt_set_output(ctx, node, 0, shape, x->dtype);
}

hf_status hf_rt_infer_reshape(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t dims[HF_RT_MAX_RANK];
    int rank = hf_rt_const_ints(ctx, node, 1, dims, HF_RT_MAX_RANK);
    hf_rt_shape shape = {rank, {0}};
    int unknown = -1;
    int64_t known = 1;

    if (rank < 0)
        return reject(ctx, node, "Reshape needs a constant int64 shape of rank <= 8");
    if (hf_rt_attr_int(ctx, "allowzero", 0) != 0)
        return reject(ctx, node, "attribute allowzero=1");
    for (int i = 0; i < rank; i++) {
        int64_t d = dims[i];
        if (d == 0 && i < x->shape.rank)
            d = x->shape.dims[i];
        if (d == -1 && unknown < 0) {
            unknown = i;
            continue;
        }
        if (d < 1 || d > HF_RT_MAX_ELEMENTS)
            return invalid(ctx, node, "Reshape dimension out of range");
        shape.dims[i] = d;
        known *= d;
        if (known > HF_RT_MAX_ELEMENTS)
            return invalid(ctx, node, "Reshape dimension out of range");
    }
    if (unknown >= 0) {
        int64_t total = hf_rt_shape_elements(&x->shape);
        if (known == 0 || total % known != 0)
            return invalid(ctx, node, "Reshape cannot infer the -1 dimension");
        shape.dims[unknown] = total / known;
    }
    node->input_count = 1;
    return set_view(ctx, node, &shape);
}

hf_status hf_rt_infer_flatten(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t axis = hf_rt_attr_int(ctx, "axis", 1);
    hf_rt_shape shape = {2, {1, 1}};

    if (axis < 0)
        axis += x->shape.rank;
    if (axis < 0 || axis > x->shape.rank)
        return invalid(ctx, node, "Flatten axis out of range");
    for (int i = 0; i < x->shape.rank; i++)
        shape.dims[i < axis ? 0 : 1] *= x->shape.dims[i];
    return set_view(ctx, node, &shape);
}

static int read_axes(hf_rt_infer *ctx, const hf_rt_node *node, int64_t *axes)
{
    int count = hf_rt_attr_ints(ctx, "axes", axes, HF_RT_MAX_RANK);
    if (count < 0 && node->input_count > 1)
        count = hf_rt_const_ints(ctx, node, 1, axes, HF_RT_MAX_RANK);
    return count;
}

hf_status hf_rt_infer_squeeze(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t axes[HF_RT_MAX_RANK];
    int count = read_axes(ctx, node, axes);
    int drop[HF_RT_MAX_RANK] = {0};
    hf_rt_shape shape = {0, {0}};

    for (int i = 0; i < count; i++) {
        int a = norm_axis(axes[i], x->shape.rank);
        if (a < 0 || x->shape.dims[a] != 1)
            return invalid(ctx, node, "Squeeze axis out of range or not of size 1");
        drop[a] = 1;
    }
    for (int i = 0; i < x->shape.rank; i++)
        if (!(count < 0 ? x->shape.dims[i] == 1 : drop[i]))
            shape.dims[shape.rank++] = x->shape.dims[i];
    node->input_count = 1;
    return set_view(ctx, node, &shape);
}

hf_status hf_rt_infer_unsqueeze(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t axes[HF_RT_MAX_RANK];
    int count = read_axes(ctx, node, axes);
    int add[HF_RT_MAX_RANK] = {0};
    hf_rt_shape shape = {0, {0}};
    int rank = x->shape.rank + count, next = 0;

    if (count < 0 || rank > HF_RT_MAX_RANK)
        return reject(ctx, node, "Unsqueeze needs constant axes and a result of rank <= 8");
    for (int i = 0; i < count; i++) {
        int a = norm_axis(axes[i], rank);
        if (a < 0 || add[a])
            return invalid(ctx, node, "Unsqueeze axis out of range or repeated");
        add[a] = 1;
    }
    shape.rank = rank;
    for (int i = 0; i < rank; i++)
        shape.dims[i] = add[i] ? 1 : x->shape.dims[next++];
    node->input_count = 1;
    return set_view(ctx, node, &shape);
}

hf_status hf_rt_infer_identity(hf_rt_infer *ctx, hf_rt_node *node)
{
    return set_view(ctx, node, &hf_rt_in(ctx, node, 0)->shape);
}

static hf_status pad_args(hf_rt_infer *ctx, hf_rt_node *node, int rank)
{
    const hf_onnx_attr *mode = hf_onnx_node_attr(ctx->src, "mode");
    int count;

    if (mode != NULL && mode->s != NULL && strcmp(mode->s, "constant") != 0)
        return reject(ctx, node, "attribute mode other than constant");
    node->p.value = hf_rt_attr_float(ctx, "value", 0.0f);
    if (ctx->model->opset < 11) {
        count = hf_rt_attr_ints(ctx, "pads", node->p.ints, 2 * HF_RT_MAX_RANK);
    } else {
        const hf_rt_tensor *v = hf_rt_in(ctx, node, 2);
        count = hf_rt_const_ints(ctx, node, 1, node->p.ints, 2 * HF_RT_MAX_RANK);
        if (v != NULL) {
            if (v->storage != HF_RT_STORE_CONST || v->dtype != HF_RT_F32 ||
                hf_rt_shape_elements(&v->shape) != 1)
                return reject(ctx, node, "Pad constant_value must be a constant float");
            node->p.value = ((const float *)v->data)[0];
        }
    }
    if (count != 2 * rank)
        return reject(ctx, node, "Pad needs constant pads, two per axis");
    for (int i = 0; i < count; i++)
        if (node->p.ints[i] < 0 || node->p.ints[i] > (1 << 20))
            return reject(ctx, node, "Pad with negative or huge pads");
    return HF_OK;
}

hf_status hf_rt_infer_pad(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    hf_rt_shape shape = x->shape;
    int nonzero = 0;
    hf_status status = pad_args(ctx, node, x->shape.rank);

    if (status != HF_OK)
        return status;
    for (int i = 0; i < shape.rank; i++) {
        int64_t before = node->p.ints[i], after = node->p.ints[i + shape.rank];
        shape.dims[i] += before + after;
        nonzero |= before != 0 || after != 0;
    }
    node->input_count = 1;
    if (!nonzero)
        return set_view(ctx, node, &shape);
    node->kernel = hf_rt_kernel_pad;
    return hf_rt_set_output(ctx, node, 0, &shape, x->dtype);
}
