/* Depthwise convolution body (one input channel per output channel),
 * included by conv_gemm_avx512.c and conv_gemm_avx2.c after
 * conv_gemm_tmpl.h, whose vector macros and store_run it uses. Each channel
 * is padded and phase-split into per-thread scratch, so every tap of a run
 * of output pixels is one unaligned vector load at a fixed offset, whatever
 * the stride, dilation or padding. */

#define DW_VECTORS 4
#define DW_SLACK (DW_VECTORS * VW)

/* Sums the taps for `vectors` consecutive vectors and stores the first
 * `count` of them through the epilogue. Taps are spread over `chains`
 * independent accumulators per vector, so at least eight FMAs are in
 * flight. With one chain per vector, each FMA would wait for the last. */
static inline __attribute__((always_inline)) void
FN(dw_body)(const int *offsets, int taps, const float *weights, const float *src,
            const FN(epilogue) *e, const float *residual, float *dst, int count,
            const int vectors)
{
    enum { MAX_CHAINS = 8 };
    const int chains = (8 + vectors - 1) / vectors;
    VEC acc[MAX_CHAINS][DW_VECTORS];
    int t = 0;

    for (int c = 0; c < chains; c++)
        for (int v = 0; v < vectors; v++)
            acc[c][v] = vec_zero();
    for (; t + chains <= taps; t += chains) {
        for (int c = 0; c < chains; c++) {
            VEC w = vec_set1(weights[t + c]);
            const float *p = src + offsets[t + c];
            for (int v = 0; v < vectors; v++)
                acc[c][v] = vec_fma(w, vec_load(p + v * VW), acc[c][v]);
        }
    }
    for (; t < taps; t++) {
        VEC w = vec_set1(weights[t]);
        const float *p = src + offsets[t];
        for (int v = 0; v < vectors; v++)
            acc[0][v] = vec_fma(w, vec_load(p + v * VW), acc[0][v]);
    }
    for (int c = 1; c < chains; c++)
        for (int v = 0; v < vectors; v++)
            acc[0][v] = vec_add(acc[0][v], acc[c][v]);
    for (int v = 0; v < vectors; v++) {
        int n = count - v * VW < VW ? count - v * VW : VW;
        FN(epilogue_store)(e, acc[0][v], residual ? residual + v * VW : NULL, dst + v * VW, n);
    }
}

/* Computes `count` outputs whose columns start at src and are contiguous
 * in the output, as one output row is. */
static void FN(dw_run)(const hf_conv_plan *plan, const float *src, const FN(epilogue) *e,
                       const float *weights, const float *residual, float *dst, int count)
{
    const hf_conv_gemm_layout *g = &plan->gemm;

    for (int x = 0; x < count; x += DW_SLACK) {
        int n = count - x < DW_SLACK ? count - x : DW_SLACK;
        const float *res = residual ? residual + x : NULL;
        switch ((n + VW - 1) / VW) {
        case 1: FN(dw_body)(g->offsets, g->depth, weights, src + x, e, res, dst + x, n, 1); break;
        case 2: FN(dw_body)(g->offsets, g->depth, weights, src + x, e, res, dst + x, n, 2); break;
        case 3: FN(dw_body)(g->offsets, g->depth, weights, src + x, e, res, dst + x, n, 3); break;
        default: FN(dw_body)(g->offsets, g->depth, weights, src + x, e, res, dst + x, n, 4); break;
        }
    }
}

/* Computes one channel row by row. NOTE: rows narrower than a vector leave
 * lanes idle. On AVX-512, the masked kernel of conv_depthwise_avx512.c takes
 * stride-1 maps narrower than 48 columns instead, but AVX2 has no such kernel. */
static void FN(dw_channel)(const hf_conv_job *job, int c, float *buffer)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    const hf_conv_gemm_layout *g = &plan->gemm;
    const float *weights = plan->weights + (size_t)c * g->depth;
    size_t channel = (size_t)c * d->out_h * d->out_w;
    FN(epilogue) e;

    FN(epilogue_init)(&e, plan, c);
    FN(transform_channel)(plan, job->input + (size_t)c * d->in_h * d->in_w, buffer);
    for (int y = 0; y < d->out_h; y++) {
        size_t at = channel + (size_t)y * d->out_w;
        const float *residual = job->residual ? job->residual + at : NULL;
        FN(dw_run)(plan, buffer + (size_t)y * g->row, &e, weights, residual,
                   job->output + at, d->out_w);
        if (e.act == HF_ACT_SIGMOID)
            FN(finish_sigmoid)(job->output + at, residual, e.after, d->out_w);
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
