/* Load-time rewrites of the inferred graph:
 *  - BatchNormalization after a Conv is folded into the Conv's weights;
 *  - a Mul of a Conv output by one constant value scales the Conv;
 *  - a residual Add of a Conv output and an earlier tensor becomes the
 *    Conv's residual input (hf_residual_mode);
 *  - Relu, Clip, Sigmoid and per-channel PRelu after a Conv or Gemm become
 *    the plan's activation (hf_act);
 *  - Relu after a BatchNormalization that stays (pre-activation DenseNet
 *    blocks) runs inside the BatchNormalization kernel;
 *  - such a BatchNormalization (with or without its Relu) in front of a
 *    1x1 convolution becomes that convolution's input prologue.
 * A producer is only rewritten when its output feeds nothing else and is
 * not a model output, so no other reader sees the changed value. */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "runtime/graph.h"

typedef struct pass_ctx {
    hf_rt_model *m;
    int *uses; /* live readers per tensor, plus one for a model output */
} pass_ctx;

static hf_status count_uses(pass_ctx *ctx)
{
    hf_rt_model *m = ctx->m;

    ctx->uses = hf_calloc((size_t)m->tensor_count + 1, sizeof(int));
    if (ctx->uses == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < m->node_count; i++) {
        const hf_rt_node *node = &m->nodes[i];
        if (node->dead)
            continue;
        for (int j = 0; j < node->input_count; j++)
            if (node->inputs[j] >= 0)
                ctx->uses[node->inputs[j]]++;
    }
    for (int i = 0; i < m->output_count; i++)
        ctx->uses[m->outputs[i]]++;
    return HF_OK;
}

/* Returns the live Conv or Gemm node whose single-use output is `tensor`. */
static hf_rt_node *fusable_producer(const pass_ctx *ctx, int tensor)
{
    const hf_rt_tensor *t = &ctx->m->tensors[tensor];

    if (t->producer < 0 || ctx->uses[tensor] != 1 || t->is_output)
        return NULL;
    hf_rt_node *p = &ctx->m->nodes[t->producer];
    if (p->dead || p->output_count != 1)
        return NULL;
    if (p->kernel != hf_rt_kernel_conv && p->kernel != hf_rt_kernel_gemm)
        return NULL;
    return p;
}

/* Moves `node`'s output to `producer` and drops `node`. */
static void absorb(hf_rt_model *m, hf_rt_node *producer, hf_rt_node *node)
{
    int out = node->outputs[0];

    producer->outputs[0] = out;
    m->tensors[out].producer = (int)(producer - m->nodes);
    node->dead = 1;
}

static hf_status fold_batchnorm(pass_ctx *ctx, hf_rt_node *bn)
{
    hf_rt_node *conv = fusable_producer(ctx, bn->inputs[0]);

    if (conv == NULL || conv->kernel != hf_rt_kernel_conv || conv->conv.act.kind != HF_ACT_NONE ||
        conv->has_residual)
        return HF_OK;
    const hf_conv_desc *d = &conv->conv;
    size_t per_out = (size_t)(d->in_c / d->group) * d->kernel_h * d->kernel_w;
    if (conv->bias == NULL) {
        conv->bias = hf_calloc((size_t)d->out_c, sizeof(float));
        if (conv->bias == NULL)
            return HF_ERR_NO_MEMORY;
    }
    for (int o = 0; o < d->out_c; o++) {
        float a = bn->weights[o];
        for (size_t i = 0; i < per_out; i++)
            conv->weights[(size_t)o * per_out + i] *= a;
        conv->bias[o] = conv->bias[o] * a + bn->bias[o];
    }
    absorb(ctx->m, conv, bn);
    return HF_OK;
}

static int same_shape(const hf_rt_shape *a, const hf_rt_shape *b)
{
    if (a->rank != b->rank)
        return 0;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i])
            return 0;
    return 1;
}

/* Scales a Conv's weights and bias by the single constant value of the
 * Mul's input `scalar_at` and drops the Mul. Returns 0 where it does not fit. */
static int fold_scale_side(pass_ctx *ctx, hf_rt_node *mul, int scalar_at)
{
    hf_rt_model *m = ctx->m;
    int main_in = mul->inputs[1 - scalar_at];
    const hf_rt_tensor *s = &m->tensors[mul->inputs[scalar_at]];
    hf_rt_node *conv = fusable_producer(ctx, main_in);

    if (conv == NULL || conv->kernel != hf_rt_kernel_conv || conv->conv.act.kind != HF_ACT_NONE ||
        conv->has_residual)
        return 0;
    if (s->storage != HF_RT_STORE_CONST || s->dtype != HF_RT_F32 ||
        hf_rt_shape_elements(&s->shape) != 1 ||
        !same_shape(&m->tensors[main_in].shape, &m->tensors[mul->outputs[0]].shape))
        return 0;
    float a = ((const float *)s->data)[0];
    if (!isfinite(a))
        return 0;
    const hf_conv_desc *d = &conv->conv;
    size_t count = (size_t)d->out_c * (d->in_c / d->group) * d->kernel_h * d->kernel_w;
    for (size_t i = 0; i < count; i++)
        conv->weights[i] *= a;
    for (int o = 0; conv->bias != NULL && o < d->out_c; o++)
        conv->bias[o] *= a;
    absorb(m, conv, mul);
    return 1;
}

static void fold_scale(pass_ctx *ctx, hf_rt_node *mul)
{
    if (!fold_scale_side(ctx, mul, 1))
        fold_scale_side(ctx, mul, 0);
}

/* Tries input `which` of an Add as the Conv output and the other as the
 * residual; the residual must be ready before the Conv runs. */
static int fuse_residual_side(pass_ctx *ctx, hf_rt_node *add, int which)
{
    hf_rt_model *m = ctx->m;
    int main_in = add->inputs[which], other = add->inputs[1 - which];
    hf_rt_node *conv = fusable_producer(ctx, main_in);

    if (conv == NULL || conv->kernel != hf_rt_kernel_conv || conv->has_residual ||
        other == main_in)
        return 0;
    const hf_rt_tensor *o = &m->tensors[other];
    if (!same_shape(&o->shape, &m->tensors[add->outputs[0]].shape) ||
        !same_shape(&o->shape, &m->tensors[main_in].shape) || o->dtype != HF_RT_F32)
        return 0;
    if (o->producer >= 0 && o->producer >= conv - m->nodes)
        return 0;
    conv->conv.residual =
        conv->conv.act.kind == HF_ACT_NONE ? HF_RESIDUAL_BEFORE_ACT : HF_RESIDUAL_AFTER_ACT;
    conv->inputs[1] = other;
    conv->input_count = 2;
    conv->has_residual = 1;
    absorb(m, conv, add);
    return 1;
}

static void fuse_residual(pass_ctx *ctx, hf_rt_node *add)
{
    if (!fuse_residual_side(ctx, add, 0))
        fuse_residual_side(ctx, add, 1);
}

/* PRelu slopes that vary along the channel axis only (shape [C, 1, 1] or
 * one value) become per-channel slopes. */
static hf_status prelu_slopes(const hf_rt_model *m, const hf_rt_node *act, const hf_rt_node *p,
                              float **out)
{
    const hf_rt_tensor *s = &m->tensors[act->inputs[1]];
    const hf_rt_shape *y = &m->tensors[act->inputs[0]].shape;
    int channels = p->kernel == hf_rt_kernel_conv ? p->conv.out_c : p->gemm.n;
    int axis = p->kernel == hf_rt_kernel_conv ? 1 : y->rank - 1;
    int64_t count = hf_rt_shape_elements(&s->shape);

    *out = NULL;
    if (s->storage != HF_RT_STORE_CONST || (count != 1 && count != channels))
        return HF_OK;
    if (count == channels && channels > 1) {
        int at = axis - (y->rank - s->shape.rank);
        if (at < 0 || s->shape.dims[at] != channels)
            return HF_OK;
    }
    float *slopes = hf_malloc((size_t)channels * sizeof(float));
    if (slopes == NULL)
        return HF_ERR_NO_MEMORY;
    for (int c = 0; c < channels; c++)
        slopes[c] = ((const float *)s->data)[count == 1 ? 0 : c];
    *out = slopes;
    return HF_OK;
}

/* Gives a remaining BatchNormalization its following Relu. */
static void fuse_batchnorm_relu(pass_ctx *ctx, hf_rt_node *act)
{
    int in = act->inputs[0];
    const hf_rt_tensor *t = &ctx->m->tensors[in];

    if (act->kernel != hf_rt_kernel_unary || act->p.count != HF_RT_UNARY_RELU ||
        t->producer < 0 || ctx->uses[in] != 1 || t->is_output)
        return;
    hf_rt_node *bn = &ctx->m->nodes[t->producer];
    if (bn->dead || bn->kernel != hf_rt_kernel_batchnorm || bn->p.count != 0)
        return;
    bn->p.count = 1;
    absorb(ctx->m, bn, act);
}

/* Makes a BatchNormalization whose only reader is `conv` the input
 * prologue of `conv`, when the kernels accept one there (1x1, stride 1,
 * no padding, one group). The convolution then reads the normalization's
 * input, and the map the normalization wrote is never stored. */
static void fuse_input_batchnorm(pass_ctx *ctx, hf_rt_node *conv)
{
    int in = conv->inputs[0];
    const hf_rt_tensor *t = &ctx->m->tensors[in];
    const hf_conv_desc *d = &conv->conv;

    if (d->prologue.kind != HF_PROLOGUE_NONE || t->producer < 0 || ctx->uses[in] != 1 ||
        t->is_output)
        return;
    if (!hf_conv_prologue_fits(d))
        return;
    hf_rt_node *bn = &ctx->m->nodes[t->producer];
    if (bn->dead || bn->kernel != hf_rt_kernel_batchnorm)
        return;
    conv->inputs[0] = bn->inputs[0];
    conv->conv.prologue = (hf_prologue){
        .kind = bn->p.count ? HF_PROLOGUE_AFFINE_RELU : HF_PROLOGUE_AFFINE,
        .scale = bn->weights,
        .shift = bn->bias,
    };
    ctx->uses[in] = 0;
    bn->dead = 1;
}

static hf_status fuse_activation(pass_ctx *ctx, hf_rt_node *act)
{
    hf_rt_node *p = fusable_producer(ctx, act->inputs[0]);
    hf_act fused = {.kind = HF_ACT_NONE};
    hf_status status;

    if (p == NULL) {
        fuse_batchnorm_relu(ctx, act);
        return HF_OK;
    }
    hf_act *current = p->kernel == hf_rt_kernel_conv ? &p->conv.act : &p->gemm.act;
    if (current->kind != HF_ACT_NONE || (p->has_residual && p->conv.residual ==
                                                                HF_RESIDUAL_AFTER_ACT))
        return HF_OK;
    if (act->kernel == hf_rt_kernel_binary) {
        float *slopes;
        status = prelu_slopes(ctx->m, act, p, &slopes);
        if (status != HF_OK || slopes == NULL)
            return status;
        hf_free(p->slopes);
        p->slopes = slopes;
        fused.kind = HF_ACT_PRELU;
    } else if (act->p.count == HF_RT_UNARY_RELU) {
        fused.kind = HF_ACT_RELU;
    } else if (act->p.count == HF_RT_UNARY_SIGMOID) {
        fused.kind = HF_ACT_SIGMOID;
    } else if (act->p.count == HF_RT_UNARY_CLIP) {
        fused.kind = HF_ACT_CLIP;
        fused.clip_min = act->p.clip_min;
        fused.clip_max = act->p.clip_max;
    } else {
        return HF_OK;
    }
    *current = fused;
    absorb(ctx->m, p, act);
    return HF_OK;
}

hf_status hf_rt_passes_run(hf_rt_model *m)
{
    pass_ctx ctx = {.m = m};
    hf_status status = count_uses(&ctx);

    for (int i = 0; i < m->node_count && status == HF_OK; i++) {
        hf_rt_node *node = &m->nodes[i];
        if (node->dead)
            continue;
        if (node->kernel == hf_rt_kernel_batchnorm)
            status = fold_batchnorm(&ctx, node);
        else if (node->kernel == hf_rt_kernel_binary && node->p.count == HF_RT_BINARY_ADD)
            fuse_residual(&ctx, node);
        else if (node->kernel == hf_rt_kernel_binary && node->p.count == HF_RT_BINARY_MUL)
            fold_scale(&ctx, node);
        else if (node->kernel == hf_rt_kernel_unary ||
                 (node->kernel == hf_rt_kernel_binary && node->p.count == HF_RT_BINARY_PRELU))
            status = fuse_activation(&ctx, node);
        else if (node->kernel == hf_rt_kernel_conv)
            fuse_input_batchnorm(&ctx, node);
    }
    hf_free(ctx.uses);
    return status;
}
