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

/* Sums output rows y and y + 1 of a 3x3, stride-1, undilated layer for
 * `vectors` vectors from column 0 of src, the padded row y, and stores the
 * raw sums. Padded rows y + 1 and y + 2 serve both output rows, so 12 loads
 * feed the 18 FMAs of a vector pair, where single rows would need 18. */
static inline __attribute__((always_inline)) void
FN(dw_pair_body)(const float *src, int row, const float *weights, float *dst0, float *dst1,
                 int count, const int vectors)
{
    VEC upper[DW_VECTORS], lower[DW_VECTORS];

    for (int v = 0; v < vectors; v++)
        upper[v] = lower[v] = vec_zero();
    for (int r = 0; r < 4; r++) {
        const float *p = src + (size_t)r * row;
        for (int kx = 0; kx < 3; kx++) {
            for (int v = 0; v < vectors; v++) {
                VEC x = vec_load(p + kx + v * VW);
                if (r < 3)
                    upper[v] = vec_fma(vec_set1(weights[r * 3 + kx]), x, upper[v]);
                if (r > 0)
                    lower[v] = vec_fma(vec_set1(weights[(r - 1) * 3 + kx]), x, lower[v]);
            }
        }
    }
    for (int v = 0; v < vectors; v++) {
        int n = count - v * VW < VW ? count - v * VW : VW;
        if (n == VW) {
            vec_store(dst0 + v * VW, upper[v]);
            vec_store(dst1 + v * VW, lower[v]);
        } else {
            vec_store_n(dst0 + v * VW, upper[v], n);
            vec_store_n(dst1 + v * VW, lower[v], n);
        }
    }
}

/* Computes output rows y and y + 1 of a 3x3, stride-1, undilated layer
 * from the transformed channel in buffer, then finishes them in place. For
 * the last row of an odd height, the second row goes to spare, a row of
 * scratch. */
static void FN(dw_pair)(const hf_conv_job *job, int c, const float *buffer, float *spare, int y)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    int row = plan->gemm.row;
    const float *weights = plan->weights + (size_t)c * 9;
    size_t at0 = ((size_t)c * d->out_h + y) * d->out_w;
    int pair = y + 1 < d->out_h;
    float *out0 = job->output + at0, *out1 = pair ? out0 + d->out_w : spare;

    for (int x = 0; x < d->out_w; x += DW_SLACK) {
        int n = d->out_w - x < DW_SLACK ? d->out_w - x : DW_SLACK;
        const float *src = buffer + (size_t)y * row + x;
        float *dst0 = out0 + x, *dst1 = out1 + x;
        switch ((n + VW - 1) / VW) {
        case 1: FN(dw_pair_body)(src, row, weights, dst0, dst1, n, 1); break;
        case 2: FN(dw_pair_body)(src, row, weights, dst0, dst1, n, 2); break;
        case 3: FN(dw_pair_body)(src, row, weights, dst0, dst1, n, 3); break;
        default: FN(dw_pair_body)(src, row, weights, dst0, dst1, n, 4); break;
        }
    }
    FN(finish_in_place)(plan, c, out0, job->residual ? job->residual + at0 : NULL,
                        d->out_w);
    if (pair)
        FN(finish_in_place)(plan, c, out1,
                            job->residual ? job->residual + at0 + d->out_w : NULL, d->out_w);
}

static int FN(dw_pairs_rows)(const hf_conv_desc *d)
{
    return d->kernel_h == 3 && d->kernel_w == 3 && d->stride_h == 1 && d->stride_w == 1 &&
           d->dilation_h == 1 && d->dilation_w == 1;
}

/* Computes one channel row by row, or by pairs of rows for 3x3 stride-1
 * layers. NOTE: rows narrower than a vector leave
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
    if (FN(dw_pairs_rows)(d)) {
        float *spare = buffer + g->channel_stride + DW_SLACK;
        for (int y = 0; y < d->out_h; y += 2)
            FN(dw_pair)(job, c, buffer, spare, y);
        return;
    }
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
