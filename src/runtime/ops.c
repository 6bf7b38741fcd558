/* The table of supported ONNX ops: accepted attributes, input and output
 * counts, and the inference function of each. An op or attribute that is
 * not listed here is rejected at load time. */
#include <string.h>

#include "runtime/graph.h"

hf_status hf_rt_infer_conv(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_gemm(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_matmul(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_batchnorm(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_pool(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_global_pool(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_reduce_mean(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_softmax(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_unary(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_binary(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_constant(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_shape(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_constant_of_shape(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_gather(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_concat(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_split(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_slice(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_transpose(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_reshape(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_flatten(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_squeeze(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_unsqueeze(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_identity(hf_rt_infer *ctx, hf_rt_node *node);
hf_status hf_rt_infer_pad(hf_rt_infer *ctx, hf_rt_node *node);

static const char *const no_attrs[] = {NULL};
static const char *const conv_attrs[] = {"auto_pad", "dilations", "group", "kernel_shape",
                                         "pads",     "strides",   NULL};
static const char *const clip_attrs[] = {"min", "max", NULL};
static const char *const bn_attrs[] = {"epsilon", "momentum", "spatial", "training_mode", NULL};
static const char *const maxpool_attrs[] = {"auto_pad", "ceil_mode", "dilations",     "kernel_shape",
                                            "pads",     "strides",   "storage_order", NULL};
static const char *const avgpool_attrs[] = {"auto_pad", "ceil_mode", "count_include_pad",
                                            "kernel_shape", "pads", "strides", NULL};
static const char *const reduce_attrs[] = {"axes", "keepdims", NULL};
static const char *const axis_attrs[] = {"axis", NULL};
static const char *const gemm_attrs[] = {"alpha", "beta", "transA", "transB", NULL};
static const char *const split_attrs[] = {"axis", "split", NULL};
static const char *const slice_attrs[] = {"starts", "ends", "axes", NULL};
static const char *const perm_attrs[] = {"perm", NULL};
static const char *const reshape_attrs[] = {"allowzero", NULL};
static const char *const axes_attrs[] = {"axes", NULL};
static const char *const pad_attrs[] = {"mode", "pads", "value", NULL};
static const char *const constant_attrs[] = {"value", "value_float", "value_floats", "value_int",
                                             "value_ints", NULL};
static const char *const cos_attrs[] = {"value", NULL};

#define HF_RT_MAX_INPUTS 1024

static const hf_rt_op_def ops[] = {
    {"Conv", conv_attrs, 2, 3, 1, 1, hf_rt_infer_conv, 0},
    {"Gemm", gemm_attrs, 2, 3, 1, 1, hf_rt_infer_gemm, 0},
    {"MatMul", no_attrs, 2, 2, 1, 1, hf_rt_infer_matmul, 0},
    {"BatchNormalization", bn_attrs, 5, 5, 1, 1, hf_rt_infer_batchnorm, 0},
    {"MaxPool", maxpool_attrs, 1, 1, 1, 1, hf_rt_infer_pool, 0},
    {"AveragePool", avgpool_attrs, 1, 1, 1, 1, hf_rt_infer_pool, 0},
    {"GlobalAveragePool", no_attrs, 1, 1, 1, 1, hf_rt_infer_global_pool, 0},
    {"ReduceMean", reduce_attrs, 1, 2, 1, 1, hf_rt_infer_reduce_mean, 0},
    {"Softmax", axis_attrs, 1, 1, 1, 1, hf_rt_infer_softmax, 0},
    {"Relu", no_attrs, 1, 1, 1, 1, hf_rt_infer_unary, 0},
    {"Sigmoid", no_attrs, 1, 1, 1, 1, hf_rt_infer_unary, 0},
    {"Tanh", no_attrs, 1, 1, 1, 1, hf_rt_infer_unary, 0},
    {"Exp", no_attrs, 1, 1, 1, 1, hf_rt_infer_unary, 0},
    {"Clip", clip_attrs, 1, 3, 1, 1, hf_rt_infer_unary, 0},
    {"Add", no_attrs, 2, 2, 1, 1, hf_rt_infer_binary, 0},
    {"Sub", no_attrs, 2, 2, 1, 1, hf_rt_infer_binary, 0},
    {"Mul", no_attrs, 2, 2, 1, 1, hf_rt_infer_binary, 0},
    {"Div", no_attrs, 2, 2, 1, 1, hf_rt_infer_binary, 0},
    {"PRelu", no_attrs, 2, 2, 1, 1, hf_rt_infer_binary, 0},
    {"Constant", constant_attrs, 0, 0, 1, 1, hf_rt_infer_constant, 0},
    {"Shape", no_attrs, 1, 1, 1, 1, hf_rt_infer_shape, 0},
    {"ConstantOfShape", cos_attrs, 1, 1, 1, 1, hf_rt_infer_constant_of_shape, 0},
    {"Gather", axis_attrs, 2, 2, 1, 1, hf_rt_infer_gather, 0},
    {"Concat", axis_attrs, 1, HF_RT_MAX_INPUTS, 1, 1, hf_rt_infer_concat, 0},
    {"Split", split_attrs, 1, 2, 1, 2 * HF_RT_MAX_RANK, hf_rt_infer_split, 0},
    {"Slice", slice_attrs, 1, 5, 1, 1, hf_rt_infer_slice, 0},
    {"Transpose", perm_attrs, 1, 1, 1, 1, hf_rt_infer_transpose, 0},
    {"Reshape", reshape_attrs, 2, 2, 1, 1, hf_rt_infer_reshape, 1},
    {"Flatten", axis_attrs, 1, 1, 1, 1, hf_rt_infer_flatten, 1},
    {"Squeeze", axes_attrs, 1, 2, 1, 1, hf_rt_infer_squeeze, 1},
    {"Unsqueeze", axes_attrs, 1, 2, 1, 1, hf_rt_infer_unsqueeze, 1},
    {"Identity", no_attrs, 1, 1, 1, 1, hf_rt_infer_identity, 1},
    {"Pad", pad_attrs, 1, 3, 1, 1, hf_rt_infer_pad, 0},
};

int hf_rt_op_find(const char *op_type)
{
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(ops[i].name, op_type) == 0)
            return (int)i;
    return -1;
}

const hf_rt_op_def *hf_rt_op_get(int op)
{
    return &ops[op];
}
