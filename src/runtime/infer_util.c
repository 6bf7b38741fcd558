/* Helpers shared by the op inference functions: attribute and constant
 * access, output shape assignment and error logging. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "runtime/graph.h"

size_t hf_rt_dtype_size(hf_rt_dtype dtype)
{
    return dtype == HF_RT_I64 ? sizeof(int64_t) : sizeof(float);
}

size_t hf_rt_tensor_bytes(const hf_rt_tensor *tensor)
{
    return (size_t)hf_rt_shape_elements(&tensor->shape) * hf_rt_dtype_size(tensor->dtype);
}

int64_t hf_rt_shape_elements(const hf_rt_shape *shape)
{
    int64_t count = 1;

    if (shape == NULL)
        return 0;
    for (int i = 0; i < shape->rank; i++)
        count *= shape->dims[i];
    return count;
}

const hf_rt_tensor *hf_rt_in(const hf_rt_infer *ctx, const hf_rt_node *node, int index)
{
    if (index >= node->input_count || node->inputs[index] < 0)
        return NULL;
    return &ctx->model->tensors[node->inputs[index]];
}

hf_rt_tensor *hf_rt_out(hf_rt_infer *ctx, const hf_rt_node *node, int index)
{
    return &ctx->model->tensors[node->outputs[index]];
}

hf_status hf_rt_set_output(hf_rt_infer *ctx, const hf_rt_node *node, int index,
                           const hf_rt_shape *shape, hf_rt_dtype dtype)
{
    hf_rt_tensor *t = hf_rt_out(ctx, node, index);
    int64_t count = 1;

    if (shape->rank < 0 || shape->rank > HF_RT_MAX_RANK) {
        hf_rt_log_node_error(ctx, node, "output rank out of range");
        return HF_ERR_UNSUPPORTED;
    }
    for (int i = 0; i < shape->rank; i++) {
        if (shape->dims[i] < 0 || shape->dims[i] > HF_RT_MAX_ELEMENTS) {
            hf_rt_log_node_error(ctx, node, "output dimension out of range");
            return HF_ERR_FORMAT;
        }
        count *= shape->dims[i];
        if (count > HF_RT_MAX_ELEMENTS) {
            HF_LOGE("%s: node '%s' (%s) output '%s' has more than %lld elements",
                    ctx->model->label, node->name, hf_rt_op_get(node->op)->name, t->name,
                    (long long)HF_RT_MAX_ELEMENTS);
            return HF_ERR_UNSUPPORTED;
        }
    }
    t->shape = *shape;
    t->dtype = dtype;
    t->shaped = 1;
    return HF_OK;
}

int64_t hf_rt_attr_int(const hf_rt_infer *ctx, const char *name, int64_t fallback)
{
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, name);
    return a != NULL ? a->i : fallback;
}

float hf_rt_attr_float(const hf_rt_infer *ctx, const char *name, float fallback)
{
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, name);
    return a != NULL ? a->f : fallback;
}

int hf_rt_attr_ints(const hf_rt_infer *ctx, const char *name, int64_t *out, int max)
{
    const hf_onnx_attr *a = hf_onnx_node_attr(ctx->src, name);

    if (a == NULL || a->ints_count > max)
        return -1;
    for (int i = 0; i < a->ints_count; i++)
        out[i] = a->ints[i];
    return a->ints_count;
}

int hf_rt_const_ints(const hf_rt_infer *ctx, const hf_rt_node *node, int index, int64_t *out,
                     int max)
{
    const hf_rt_tensor *t = hf_rt_in(ctx, node, index);
    int64_t count;

    if (t == NULL || t->storage != HF_RT_STORE_CONST || t->dtype != HF_RT_I64 ||
        t->shape.rank > 1)
        return -1;
    count = hf_rt_shape_elements(&t->shape);
    if (count > max)
        return -1;
    memcpy(out, t->data, (size_t)count * sizeof(int64_t));
    return (int)count;
}

void hf_rt_log_node_error(const hf_rt_infer *ctx, const hf_rt_node *node, const char *what)
{
    char shape[128] = "none";
    const hf_rt_tensor *in = node->input_count > 0 ? hf_rt_in(ctx, node, 0) : NULL;

    if (in != NULL && in->shaped) {
        size_t used = 0;
        shape[0] = '\0';
        for (int i = 0; i < in->shape.rank && used + 24 < sizeof(shape); i++)
            used += (size_t)snprintf(shape + used, sizeof(shape) - used, "%s%lld",
                                     i > 0 ? "x" : "", (long long)in->shape.dims[i]);
        if (in->shape.rank == 0)
            snprintf(shape, sizeof(shape), "scalar");
    }
    HF_LOGE("%s: node '%s' (%s), first input shape %s: %s", ctx->model->label, node->name,
            hf_rt_op_get(node->op)->name, shape, what);
}
