/* Depthwise convolution body (one input channel per output channel),
 * included by conv_gemm_avx512.c and conv_gemm_avx2.c after
 * conv_gemm_tmpl.h, whose vector macros and store_run it uses. Each channel
 * is padded and phase-split into per-thread scratch, so every tap of a run
 * of output pixels is one unaligned vector load at a fixed offset, whatever
 * the stride, dilation or padding. */

#define DW_VECTORS 4
#define DW_SLACK (DW_VECTORS * VW)

/* Sums the taps for `vectors` consecutive vectors of one output row. */
static inline __attribute__((always_inline)) void
FN(dw_body)(const int *offsets, int taps, const float *weights, const float *src, float *sums,
            const int vectors)
{
    VEC acc[DW_VECTORS];

    for (int v = 0; v < vectors; v++)
        acc[v] = vec_zero();
    for (int t = 0; t < taps; t++) {
        VEC w = vec_set1(weights[t]);
        const float *p = src + offsets[t];
        for (int v = 0; v < vectors; v++)
            acc[v] = vec_fma(w, vec_load(p + v * VW), acc[v]);
    }
    for (int v = 0; v < vectors; v++)
        vec_store(sums + v * VW, acc[v]);
}

static void FN(dw_channel)(const hf_conv_job *job, int c, float *buffer)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    const hf_conv_gemm_layout *g = &plan->gemm;
    const float *weights = plan->weights + (size_t)c * g->depth;
    size_t plane = (size_t)d->out_h * d->out_w;
    float sums[DW_SLACK] __attribute__((aligned(64)));

    hf_conv_gemm_transform_channel(plan, job->input + (size_t)c * d->in_h * d->in_w, buffer);
    for (int y = 0; y < d->out_h; y++) {
        const float *src = buffer + (size_t)y * g->row;
        size_t at = (size_t)c * plane + (size_t)y * d->out_w;
        for (int x = 0; x < d->out_w; x += DW_SLACK) {
            int count = d->out_w - x < DW_SLACK ? d->out_w - x : DW_SLACK;
            if (count > 2 * VW)
                FN(dw_body)(g->offsets, g->depth, weights, src + x, sums, DW_VECTORS);
            else if (count > VW)
                FN(dw_body)(g->offsets, g->depth, weights, src + x, sums, 2);
            else
                FN(dw_body)(g->offsets, g->depth, weights, src + x, sums, 1);
            const float *residual = job->residual ? job->residual + at + x : NULL;
            FN(store_run)(plan, c, sums, job->output + at + x, residual, count);
        }
    }
}

static void FN(conv_depthwise_run)(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    float *buffer = (float *)(job->scratch + (size_t)ith * plan->scratch_per_thread);
    int begin, end;

    hf_kernel_range(plan->desc.out_c, ith, nth, &begin, &end);
    for (int c = begin; c < end; c++)
        FN(dw_channel)(job, c, buffer);
}
