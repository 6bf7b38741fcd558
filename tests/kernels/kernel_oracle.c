#include "kernel_oracle.h"

#include <math.h>
#include <stdio.h>

uint32_t oracle_rng_below(oracle_rng *rng, uint32_t bound)
{
    /* xorshift64*: enough spread for picking shapes and values. */
    rng->state ^= rng->state >> 12;
    rng->state ^= rng->state << 25;
    rng->state ^= rng->state >> 27;
    uint64_t x = rng->state * 2685821657736338717ull;
    return (uint32_t)((x >> 32) % bound);
}

float oracle_rng_float(oracle_rng *rng)
{
    return (float)oracle_rng_below(rng, 1u << 24) / (float)(1u << 23) - 1.0f;
}

void oracle_fill(oracle_rng *rng, float *dst, size_t count)
{
    for (size_t i = 0; i < count; i++)
        dst[i] = oracle_rng_float(rng);
}

static double apply_act(const hf_act *act, int channel, double x)
{
    switch (act->kind) {
    case HF_ACT_RELU: return x > 0 ? x : 0;
    case HF_ACT_CLIP: return x < act->clip_min ? act->clip_min
                             : x > act->clip_max ? act->clip_max : x;
    case HF_ACT_PRELU: return x >= 0 ? x : act->slopes[channel] * x;
    case HF_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
    default: return x;
    }
}

/* Input value at padded coordinates, zero outside the image. */
/* Returns input value (c, y, x) after the descriptor's prologue; padding
 * is 0 (the kernels take a prologue only where there is no padding). */
static double input_at(const hf_conv_desc *d, const float *input, int c, int y, int x)
{
    if (y < 0 || y >= d->in_h || x < 0 || x >= d->in_w)
        return 0.0;
    double v = input[((size_t)c * d->in_h + y) * d->in_w + x];
    if (d->prologue.kind == HF_PROLOGUE_NONE)
        return v;
    v = v * d->prologue.scale[c] + d->prologue.shift[c];
    if (d->prologue.kind == HF_PROLOGUE_AFFINE_RELU && v < 0.0)
        v = 0.0;
    return v;
}

void oracle_conv(const hf_conv_desc *d, const float *input, const float *weights,
                 const float *bias, const float *residual, double *expected,
                 double *magnitude)
{
    int in_per_group = d->in_c / d->group;
    int out_per_group = d->out_c / d->group;

    for (int oc = 0; oc < d->out_c; oc++) {
        int g = oc / out_per_group;
        for (int oy = 0; oy < d->out_h; oy++) {
            for (int ox = 0; ox < d->out_w; ox++) {
                size_t at = ((size_t)oc * d->out_h + oy) * d->out_w + ox;
                double b = bias ? bias[oc] : 0.0;
                double sum = b, mag = fabs(b);
                for (int i = 0; i < in_per_group; i++) {
                    for (int ky = 0; ky < d->kernel_h; ky++) {
                        for (int kx = 0; kx < d->kernel_w; kx++) {
                            int y = oy * d->stride_h + ky * d->dilation_h - d->pad_top;
                            int x = ox * d->stride_w + kx * d->dilation_w - d->pad_left;
                            double v = input_at(d, input, g * in_per_group + i, y, x);
                            double w = weights[(((size_t)oc * in_per_group + i) * d->kernel_h +
                                                ky) * d->kernel_w + kx];
                            sum += v * w;
                            mag += fabs(v * w);
                        }
                    }
                }
                double r = residual ? residual[at] : 0.0;
                if (d->residual == HF_RESIDUAL_BEFORE_ACT)
                    sum += r;
                sum = apply_act(&d->act, oc, sum);
                if (d->residual == HF_RESIDUAL_AFTER_ACT)
                    sum += r;
                if (d->residual != HF_RESIDUAL_NONE)
                    mag += fabs(r);
                expected[at] = sum;
                magnitude[at] = mag;
            }
        }
    }
}

long oracle_first_mismatch(const float *got, const double *expected, const double *magnitude,
                           size_t count, double rel)
{
    for (size_t i = 0; i < count; i++) {
        double tolerance = rel * magnitude[i] + 1e-6;
        if (!(fabs(got[i] - expected[i]) <= tolerance))
            return (long)i;
    }
    return -1;
}

const char *oracle_conv_text(const hf_conv_desc *d)
{
    static char text[256];
    snprintf(text, sizeof(text),
             "in %dx%dx%d out %dx%dx%d kernel %dx%d stride %dx%d pad %d,%d dilation %dx%d "
             "group %d act %d residual %d",
             d->in_c, d->in_h, d->in_w, d->out_c, d->out_h, d->out_w, d->kernel_h, d->kernel_w,
             d->stride_h, d->stride_w, d->pad_top, d->pad_left, d->dilation_h, d->dilation_w,
             d->group, (int)d->act.kind, (int)d->residual);
    return text;
}
