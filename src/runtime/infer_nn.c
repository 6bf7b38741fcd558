/* Shape inference and parameter checks of the compute ops: Conv, Gemm,
 * MatMul, BatchNormalization, pooling, reductions, Softmax and the
 * element-wise ops. Each function rejects what its kernel cannot run. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "runtime/graph.h"

#define HF_RT_SMALL_MAX (1 << 20)

static int is_f32(const hf_rt_tensor *t)
{
    return t != NULL && t->dtype == HF_RT_F32;
}

static int is_const_f32(const hf_rt_tensor *t)
{
    return is_f32(t) && t->storage == HF_RT_STORE_CONST;
}

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

/* auto_pad must be absent, NOTSET or VALID (VALID means zero padding). */
static int auto_pad_ok(const hf_rt_infer *ctx)
{
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, "auto_pad");
    return a == NULL || a->s == NULL || strcmp(a->s, "NOTSET") == 0 ||
           strcmp(a->s, "VALID") == 0;
}

/* Reads a 2-D window attribute (kernel_shape, strides, dilations). */
static int read_pair(const hf_rt_infer *ctx, const char *name, int fallback, int out[2])
{
    int64_t v[2];
    int n = hf_rt_attr_ints(ctx, name, v, 2);

    if (n < 0 && hf_onnx_node_attr(ctx->src, name) == NULL) {
        out[0] = out[1] = fallback;
        return 1;
    }
    if (n != 2 || v[0] < 1 || v[1] < 1 || v[0] > HF_RT_SMALL_MAX || v[1] > HF_RT_SMALL_MAX)
        return 0;
    out[0] = (int)v[0];
    out[1] = (int)v[1];
    return 1;
}

/* Reads pads as top, left, bottom, right. */
static int read_pads(const hf_rt_infer *ctx, int out[4])
{
    int64_t v[4];
    int n = hf_rt_attr_ints(ctx, "pads", v, 4);

    memset(out, 0, 4 * sizeof(int));
    if (n < 0)
        return hf_onnx_node_attr(ctx->src, "pads") == NULL;
    if (n != 4)
        return 0;
    for (int i = 0; i < 4; i++) {
        if (v[i] < 0 || v[i] > HF_RT_SMALL_MAX)
            return 0;
        out[i] = (int)v[i];
    }
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, "auto_pad");
    if (a != NULL && a->s != NULL && strcmp(a->s, "VALID") == 0)
        memset(out, 0, 4 * sizeof(int));
    return 1;
}

/* Output length of a window sweep, or 0 when the window does not fit. */
static int64_t window_out(int64_t in, int pad_begin, int pad_end, int kernel, int stride,
                          int dilation)
{
    int64_t span = (int64_t)dilation * (kernel - 1) + 1;
    int64_t padded = in + pad_begin + pad_end;

    if (padded < span)
        return 0;
    return (padded - span) / stride + 1;
}

/* Adds to the model's multiply-accumulate count, saturating so that a
 * crafted graph cannot overflow it. */
static void add_macs(hf_rt_model *m, hf_rt_node *node, int64_t macs)
{
    node->macs = macs;
    m->macs = macs > INT64_MAX - m->macs ? INT64_MAX : m->macs + macs;
}

static hf_status copy_floats(const hf_rt_tensor *t, float **out)
{
    size_t bytes = hf_rt_tensor_bytes(t);
    float *copy = hf_malloc(bytes);

    if (copy == NULL)
        return HF_ERR_NO_MEMORY;
    memcpy(copy, t->data, bytes);
    *out = copy;
    return HF_OK;
}

hf_status hf_rt_infer_conv(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0), *w = hf_rt_in(ctx, node, 1);
    const hf_rt_tensor *b = hf_rt_in(ctx, node, 2);
    hf_conv_desc *d = &node->conv;
    int kernel[2], pads[4], stride[2], dilation[2];
    hf_status status;

    if (!is_f32(x) || x->shape.rank != 4 || !is_const_f32(w) || w->shape.rank != 4)
        return reject(ctx, node, "Conv needs a 4-D float input and constant 4-D weights");
    if (b != NULL && (!is_const_f32(b) || hf_rt_shape_elements(&b->shape) != w->shape.dims[0]))
        return reject(ctx, node, "Conv bias must be constant with one value per output channel");
    if (!auto_pad_ok(ctx))
        return reject(ctx, node, "attribute auto_pad other than NOTSET or VALID");
    if (!read_pair(ctx, "strides", 1, stride) || !read_pair(ctx, "dilations", 1, dilation) ||
        !read_pads(ctx, pads) || !read_pair(ctx, "kernel_shape", 0, kernel))
        return reject(ctx, node, "attribute strides, dilations, pads or kernel_shape invalid");
    d->stride_h = stride[0];
    d->stride_w = stride[1];
    d->dilation_h = dilation[0];
    d->dilation_w = dilation[1];
    int64_t group = hf_rt_attr_int(ctx, "group", 1);
    if (group < 1 || group > HF_RT_SMALL_MAX || x->shape.dims[1] != w->shape.dims[1] * group ||
        w->shape.dims[0] % group != 0 || x->shape.dims[0] != 1)
        return invalid(ctx, node, "Conv channels do not match the weights and group");
    if ((kernel[0] != 0 && kernel[0] != w->shape.dims[2]) ||
        (kernel[1] != 0 && kernel[1] != w->shape.dims[3]))
        return invalid(ctx, node, "Conv kernel_shape does not match the weights");
    if (w->shape.dims[0] > HF_RT_SMALL_MAX || w->shape.dims[2] > HF_RT_SMALL_MAX ||
        w->shape.dims[3] > HF_RT_SMALL_MAX || x->shape.dims[1] > HF_RT_SMALL_MAX ||
        x->shape.dims[2] > HF_RT_SMALL_MAX || x->shape.dims[3] > HF_RT_SMALL_MAX)
        return reject(ctx, node, "Conv dimension too large");

    d->in_c = (int)x->shape.dims[1];
    d->in_h = (int)x->shape.dims[2];
    d->in_w = (int)x->shape.dims[3];
    d->out_c = (int)w->shape.dims[0];
    d->kernel_h = (int)w->shape.dims[2];
    d->kernel_w = (int)w->shape.dims[3];
    d->pad_top = pads[0];
    d->pad_left = pads[1];
    d->group = (int)group;
    int64_t oh = window_out(d->in_h, pads[0], pads[2], d->kernel_h, d->stride_h, d->dilation_h);
    int64_t ow = window_out(d->in_w, pads[1], pads[3], d->kernel_w, d->stride_w, d->dilation_w);
    if (oh < 1 || ow < 1)
        return invalid(ctx, node, "Conv window larger than the padded input");
    d->out_h = (int)oh;
    d->out_w = (int)ow;

    hf_rt_shape shape = {4, {1, d->out_c, oh, ow}};
    status = hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
    if (status == HF_OK)
        status = copy_floats(w, &node->weights);
    if (status == HF_OK && b != NULL)
        status = copy_floats(b, &node->bias);
    if (status != HF_OK)
        return status;
    node->input_count = 1; /* weights and bias now live in the node */
    add_macs(ctx->model, node, (int64_t)d->out_c * oh * ow * (d->in_c / d->group) * d->kernel_h *
                             d->kernel_w);
    node->kernel = hf_rt_kernel_conv;
    return HF_OK;
}

/* Gemm bias C: absent, one value, or N values (shape [N] or [1, N]). */
static hf_status gemm_bias(hf_rt_infer *ctx, hf_rt_node *node, const hf_rt_tensor *c, int64_t n,
                           float beta)
{
    int64_t count;

    node->bias = hf_calloc((size_t)n, sizeof(float));
    if (node->bias == NULL)
        return HF_ERR_NO_MEMORY;
    if (c == NULL)
        return HF_OK;
    count = hf_rt_shape_elements(&c->shape);
    if (!is_const_f32(c) || (count != 1 && count != n) || c->shape.rank > 2 ||
        (c->shape.rank == 2 && c->shape.dims[0] != 1))
        return reject(ctx, node, "Gemm bias must be constant with 1 or N values");
    for (int64_t j = 0; j < n; j++)
        node->bias[j] = beta * ((const float *)c->data)[count == 1 ? 0 : j];
    return HF_OK;
}

hf_status hf_rt_infer_gemm(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *a = hf_rt_in(ctx, node, 0), *b = hf_rt_in(ctx, node, 1);
    float alpha = hf_rt_attr_float(ctx, "alpha", 1.0f);
    float beta = hf_rt_attr_float(ctx, "beta", 1.0f);
    int trans_b = hf_rt_attr_int(ctx, "transB", 0) != 0;
    hf_status status;

    if (hf_rt_attr_int(ctx, "transA", 0) != 0)
        return reject(ctx, node, "attribute transA=1");
    if (!is_f32(a) || a->shape.rank != 2 || !is_const_f32(b) || b->shape.rank != 2)
        return reject(ctx, node, "Gemm needs a 2-D float input and constant 2-D weights");
    int64_t m = a->shape.dims[0], k = a->shape.dims[1];
    int64_t n = trans_b ? b->shape.dims[0] : b->shape.dims[1];
    if ((trans_b ? b->shape.dims[1] : b->shape.dims[0]) != k || m < 1 || n < 1 || k < 1 ||
        m > HF_RT_SMALL_MAX * 16 || n > HF_RT_SMALL_MAX * 16 || k > HF_RT_SMALL_MAX * 16)
        return invalid(ctx, node, "Gemm inner dimensions do not match");

    hf_rt_shape shape = {2, {m, n}};
    status = hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
    if (status == HF_OK)
        status = copy_floats(b, &node->weights);
    if (status == HF_OK)
        status = gemm_bias(ctx, node, hf_rt_in(ctx, node, 2), n, beta);
    if (status != HF_OK)
        return status;
    for (int64_t i = 0; i < n * k; i++)
        node->weights[i] *= alpha;
    node->gemm = (hf_gemm_desc){.m = (int)m, .n = (int)n, .k = (int)k, .trans_b = trans_b};
    node->input_count = 1;
    add_macs(ctx->model, node, m * n * k);
    node->kernel = hf_rt_kernel_gemm;
    return HF_OK;
}

hf_status hf_rt_infer_matmul(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *a = hf_rt_in(ctx, node, 0), *b = hf_rt_in(ctx, node, 1);
    hf_rt_shape shape;

    if (!is_f32(a) || !is_f32(b) || a->shape.rank < 2 || b->shape.rank < 2)
        return reject(ctx, node, "MatMul needs float inputs of rank 2 or more");
    int64_t k = a->shape.dims[a->shape.rank - 1];
    int64_t n = b->shape.dims[b->shape.rank - 1];
    int64_t m = hf_rt_shape_elements(&a->shape) / (k > 0 ? k : 1);
    if (b->shape.dims[b->shape.rank - 2] != k || hf_rt_shape_elements(&b->shape) != k * n ||
        k < 1 || n < 1 || m < 1 || m > INT32_MAX / 2 || n > INT32_MAX / 2 || k > INT32_MAX / 2)
        return reject(ctx, node, "MatMul shapes other than [..., M, K] x [K, N]");
    shape = a->shape;
    shape.dims[shape.rank - 1] = n;
    if (b->storage != HF_RT_STORE_CONST &&
        hf_rt_shape_elements(&a->shape) != a->shape.dims[a->shape.rank - 2] * k)
        return reject(ctx, node, "MatMul of two activations with a batch dimension");

    hf_status status = hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
    if (status != HF_OK)
        return status;
    node->gemm = (hf_gemm_desc){.m = (int)m, .n = (int)n, .k = (int)k, .trans_b = 0};
    add_macs(ctx->model, node, m * n * k);
    if (b->storage == HF_RT_STORE_CONST) {
        status = copy_floats(b, &node->weights);
        if (status != HF_OK)
            return status;
        node->input_count = 1;
        node->kernel = hf_rt_kernel_gemm;
    } else {
        node->kernel = hf_rt_kernel_matmul;
    }
    return HF_OK;
}

hf_status hf_rt_infer_batchnorm(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    const hf_rt_tensor *p[4];
    float epsilon = hf_rt_attr_float(ctx, "epsilon", 1e-5f);

    if (!is_f32(x) || x->shape.rank < 2)
        return reject(ctx, node, "BatchNormalization needs a float input of rank 2 or more");
    if (hf_rt_attr_int(ctx, "spatial", 1) != 1 || hf_rt_attr_int(ctx, "training_mode", 0) != 0)
        return reject(ctx, node, "attribute spatial=0 or training_mode=1");
    int64_t c = x->shape.dims[1];
    for (int i = 0; i < 4; i++) {
        p[i] = hf_rt_in(ctx, node, i + 1);
        if (!is_const_f32(p[i]) || hf_rt_shape_elements(&p[i]->shape) != c)
            return reject(ctx, node, "BatchNormalization parameters must be constant, C values");
    }
    node->weights = hf_malloc((size_t)c * sizeof(float));
    node->bias = hf_malloc((size_t)c * sizeof(float));
    if (node->weights == NULL || node->bias == NULL)
        return HF_ERR_NO_MEMORY;
    /* y = scale * (x - mean) / sqrt(var + eps) + b, stored as y = a * x + s. */
    for (int64_t i = 0; i < c; i++) {
        const float *scale = p[0]->data, *shift = p[1]->data, *mean = p[2]->data;
        const float *var = p[3]->data;
        float a = scale[i] / sqrtf(var[i] + epsilon);
        node->weights[i] = a;
        node->bias[i] = shift[i] - mean[i] * a;
    }
    node->input_count = 1;
    node->kernel = hf_rt_kernel_batchnorm;
    return hf_rt_set_output(ctx, node, 0, &x->shape, HF_RT_F32);
}

hf_status hf_rt_infer_pool(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    hf_rt_params *p = &node->p;
    int dilation[2];

    if (!is_f32(x) || x->shape.rank != 4)
        return reject(ctx, node, "pooling needs a 4-D float input");
    if (!auto_pad_ok(ctx) || hf_rt_attr_int(ctx, "ceil_mode", 0) != 0 ||
        hf_rt_attr_int(ctx, "storage_order", 0) != 0)
        return reject(ctx, node, "attribute auto_pad, ceil_mode or storage_order not default");
    if (!read_pair(ctx, "kernel_shape", 0, p->kernel) || p->kernel[0] < 1 ||
        !read_pair(ctx, "strides", 1, p->stride) || !read_pads(ctx, p->pads) ||
        !read_pair(ctx, "dilations", 1, dilation) || dilation[0] != 1 || dilation[1] != 1)
        return reject(ctx, node, "attribute kernel_shape, strides, pads or dilations invalid");
    if (p->pads[0] >= p->kernel[0] || p->pads[2] >= p->kernel[0] ||
        p->pads[1] >= p->kernel[1] || p->pads[3] >= p->kernel[1])
        return invalid(ctx, node, "pooling padding not smaller than the window");
    if (x->shape.dims[3] > HF_RT_POOL_ROW_MAX)
        return reject(ctx, node, "pooling over rows wider than 2048");
    if (p->pads[1] > HF_RT_POOL_PAD_MAX || p->pads[3] > HF_RT_POOL_PAD_MAX)
        return reject(ctx, node, "pooling with more than 64 padding columns");
    p->count_include_pad = (int)hf_rt_attr_int(ctx, "count_include_pad", 0);
    p->count = strcmp(hf_rt_op_get(node->op)->name, "MaxPool") == 0;

    int64_t oh = window_out(x->shape.dims[2], p->pads[0], p->pads[2], p->kernel[0],
                            p->stride[0], 1);
    int64_t ow = window_out(x->shape.dims[3], p->pads[1], p->pads[3], p->kernel[1],
                            p->stride[1], 1);
    if (oh < 1 || ow < 1)
        return invalid(ctx, node, "pooling window larger than the padded input");
    hf_rt_shape shape = {4, {x->shape.dims[0], x->shape.dims[1], oh, ow}};
    node->kernel = hf_rt_kernel_pool;
    return hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
}

hf_status hf_rt_infer_global_pool(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);

    if (!is_f32(x) || x->shape.rank < 3)
        return reject(ctx, node, "GlobalAveragePool needs a float input of rank 3 or more");
    hf_rt_shape shape = x->shape;
    for (int i = 2; i < shape.rank; i++)
        shape.dims[i] = 1;
    node->kernel = hf_rt_kernel_global_pool;
    return hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
}

/* Splits a shape at [first, last] into outer, middle and inner counts. */
static void split_counts(const hf_rt_shape *s, int first, int last, int64_t out[3])
{
    out[0] = out[1] = out[2] = 1;
    for (int i = 0; i < s->rank; i++) {
        int part = 2;
        if (i < first)
            part = 0;
        else if (i <= last)
            part = 1;
        out[part] *= s->dims[i];
    }
}

hf_status hf_rt_infer_reduce_mean(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int64_t axes[HF_RT_MAX_RANK];
    int count = hf_rt_attr_ints(ctx, "axes", axes, HF_RT_MAX_RANK);
    int keepdims = hf_rt_attr_int(ctx, "keepdims", 1) != 0;
    int used[HF_RT_MAX_RANK] = {0};
    int first = HF_RT_MAX_RANK, last = -1;

    if (!is_f32(x))
        return reject(ctx, node, "ReduceMean needs a float input");
    if (count < 0 && node->input_count > 1)
        count = hf_rt_const_ints(ctx, node, 1, axes, HF_RT_MAX_RANK);
    if (count < 0)
        for (count = 0; count < x->shape.rank; count++)
            axes[count] = count;
    for (int i = 0; i < count; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + x->shape.rank : axes[i];
        if (a < 0 || a >= x->shape.rank || used[a])
            return invalid(ctx, node, "ReduceMean axis out of range or repeated");
        used[a] = 1;
        first = a < first ? (int)a : first;
        last = a > last ? (int)a : last;
    }
    if (count == 0 || last - first + 1 != count)
        return reject(ctx, node, "ReduceMean over axes that are not adjacent");
    split_counts(&x->shape, first, last, node->p.ints);

    hf_rt_shape shape = {0, {0}};
    for (int i = 0; i < x->shape.rank; i++) {
        if (!used[i])
            shape.dims[shape.rank++] = x->shape.dims[i];
        else if (keepdims)
            shape.dims[shape.rank++] = 1;
    }
    node->kernel = hf_rt_kernel_reduce_mean;
    return hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
}

hf_status hf_rt_infer_softmax(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    int opset13 = ctx->model->opset >= 13;
    int64_t axis = hf_rt_attr_int(ctx, "axis", opset13 ? -1 : 1);

    if (!is_f32(x) || x->shape.rank < 1)
        return reject(ctx, node, "Softmax needs a float input of rank 1 or more");
    if (axis < 0)
        axis += x->shape.rank;
    if (axis < 0 || axis >= x->shape.rank)
        return invalid(ctx, node, "Softmax axis out of range");
    /* Before opset 13 the input is viewed as 2-D, split before `axis`. */
    split_counts(&x->shape, (int)axis, opset13 ? (int)axis : x->shape.rank - 1, node->p.ints);
    node->kernel = hf_rt_kernel_softmax;
    return hf_rt_set_output(ctx, node, 0, &x->shape, HF_RT_F32);
}

static hf_status clip_bound(hf_rt_infer *ctx, hf_rt_node *node, int index, float *value)
{
    const hf_rt_tensor *t = hf_rt_in(ctx, node, index);

    if (t == NULL)
        return HF_OK;
    if (!is_const_f32(t) || hf_rt_shape_elements(&t->shape) != 1)
        return reject(ctx, node, "Clip bounds must be constant scalars");
    *value = ((const float *)t->data)[0];
    return HF_OK;
}

hf_status hf_rt_infer_unary(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *x = hf_rt_in(ctx, node, 0);
    const char *op = hf_rt_op_get(node->op)->name;
    hf_status status = HF_OK;

    if (!is_f32(x))
        return reject(ctx, node, "element-wise op on a non-float tensor");
    if (strcmp(op, "Relu") == 0) {
        node->p.count = HF_RT_UNARY_RELU;
    } else if (strcmp(op, "Sigmoid") == 0) {
        node->p.count = HF_RT_UNARY_SIGMOID;
    } else if (strcmp(op, "Tanh") == 0) {
        node->p.count = HF_RT_UNARY_TANH;
    } else if (strcmp(op, "Exp") == 0) {
        node->p.count = HF_RT_UNARY_EXP;
    } else {
        node->p.count = HF_RT_UNARY_CLIP;
        node->p.clip_min = hf_rt_attr_float(ctx, "min", -INFINITY);
        node->p.clip_max = hf_rt_attr_float(ctx, "max", INFINITY);
        status = clip_bound(ctx, node, 1, &node->p.clip_min);
        if (status == HF_OK)
            status = clip_bound(ctx, node, 2, &node->p.clip_max);
        if (status != HF_OK)
            return status;
        node->input_count = 1;
    }
    node->kernel = hf_rt_kernel_unary;
    return hf_rt_set_output(ctx, node, 0, &x->shape, HF_RT_F32);
}

/* Multidirectional broadcasting of two shapes (numpy rules). */
static int broadcast_shape(const hf_rt_shape *a, const hf_rt_shape *b, hf_rt_shape *out)
{
    int rank = a->rank > b->rank ? a->rank : b->rank;

    out->rank = rank;
    for (int i = 0; i < rank; i++) {
        int ia = i - (rank - a->rank), ib = i - (rank - b->rank);
        int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da != db && da != 1 && db != 1)
            return 0;
        out->dims[i] = da == 1 ? db : da;
    }
    return 1;
}

hf_status hf_rt_infer_binary(hf_rt_infer *ctx, hf_rt_node *node)
{
    const hf_rt_tensor *a = hf_rt_in(ctx, node, 0), *b = hf_rt_in(ctx, node, 1);
    const char *op = hf_rt_op_get(node->op)->name;
    hf_rt_shape shape;

    if (!is_f32(a) || !is_f32(b))
        return reject(ctx, node, "arithmetic on non-float tensors");
    if (!broadcast_shape(&a->shape, &b->shape, &shape))
        return invalid(ctx, node, "input shapes cannot be broadcast together");
    if (strcmp(op, "PRelu") == 0) {
        if (shape.rank != a->shape.rank ||
            hf_rt_shape_elements(&shape) != hf_rt_shape_elements(&a->shape))
            return invalid(ctx, node, "PRelu slope does not broadcast to the input");
        node->p.count = HF_RT_BINARY_PRELU;
    } else {
        node->p.count = strcmp(op, "Add") == 0   ? HF_RT_BINARY_ADD
                        : strcmp(op, "Sub") == 0 ? HF_RT_BINARY_SUB
                        : strcmp(op, "Mul") == 0 ? HF_RT_BINARY_MUL
                                                 : HF_RT_BINARY_DIV;
    }
    node->kernel = hf_rt_kernel_binary;
    return hf_rt_set_output(ctx, node, 0, &shape, HF_RT_F32);
}
