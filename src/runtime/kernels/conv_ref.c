/* Portable reference convolution: direct loops over every descriptor field.
 * It is the oracle of the kernel tests and the path on CPUs without AVX2. */
#include "runtime/kernels/kernels_internal.h"

/* Sums the window of one output pixel over the input channels of its group. */
static float window_sum(const hf_conv_desc *d, const float *input, const float *weights,
                        int first_ic, int oy, int ox)
{
    int group_in_c = d->in_c / d->group;
    size_t plane = (size_t)d->in_h * d->in_w;
    float sum = 0.0f;

    for (int ic = 0; ic < group_in_c; ic++) {
        const float *src = input + (size_t)(first_ic + ic) * plane;
        const float *w = weights + (size_t)ic * d->kernel_h * d->kernel_w;
        for (int ky = 0; ky < d->kernel_h; ky++) {
            int iy = oy * d->stride_h - d->pad_top + ky * d->dilation_h;
            if (iy < 0 || iy >= d->in_h)
                continue;
            for (int kx = 0; kx < d->kernel_w; kx++) {
                int ix = ox * d->stride_w - d->pad_left + kx * d->dilation_w;
                if (ix < 0 || ix >= d->in_w)
                    continue;
                float x = hf_prologue_apply(&d->prologue, first_ic + ic,
                                            src[(size_t)iy * d->in_w + ix]);
                sum += w[ky * d->kernel_w + kx] * x;
            }
        }
    }
    return sum;
}

void hf_conv_ref_run(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    int group_in_c = d->in_c / d->group;
    int group_out_c = d->out_c / d->group;
    size_t out_plane = (size_t)d->out_h * d->out_w;
    size_t weights_per_oc = (size_t)group_in_c * d->kernel_h * d->kernel_w;
    int begin, end;

    hf_kernel_range(d->out_c, ith, nth, &begin, &end);
    for (int oc = begin; oc < end; oc++) {
        int first_ic = oc / group_out_c * group_in_c;
        const float *w = plan->weights + (size_t)oc * weights_per_oc;
        float *dst = job->output + (size_t)oc * out_plane;
        const float *res = job->residual ? job->residual + (size_t)oc * out_plane : NULL;

        for (int oy = 0; oy < d->out_h; oy++)
            for (int ox = 0; ox < d->out_w; ox++)
                dst[(size_t)oy * d->out_w + ox] = window_sum(d, job->input, w, first_ic, oy, ox);
        hf_conv_epilogue_row(plan, oc, dst, res, (int)out_plane);
    }
}
