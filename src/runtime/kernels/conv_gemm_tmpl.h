/* Implicit-GEMM convolution body, included once per instruction set by
 * conv_gemm_avx512.c and conv_gemm_avx2.c after they define:
 *   VEC, VW (floats per vector), BLOCK_ROWS, STRIP_VECTORS, FN(name),
 *   vec_zero(), vec_load(p), vec_store(p, v), vec_load_n(p, n),
 *   vec_store_n(p, v, n) (n < VW lanes, the rest zero or untouched),
 *   vec_set1(x), vec_fma(a, b, c) = a * b + c, vec_add, vec_mul, vec_max,
 *   vec_min, vec_select_negative(x, if_negative) = x < 0 ? if_negative : x.
 * The micro-kernel keeps BLOCK_ROWS x STRIP_VECTORS accumulators in
 * registers; each step loads one packed input row and broadcasts one weight
 * per output channel. */

#define STRIP_WIDTH (STRIP_VECTORS * VW)

/* Accumulates a BLOCK_ROWS x (vectors * VW) tile over the full depth. The
 * loops have constant bounds once inlined, so the accumulators stay in
 * registers. */
static inline __attribute__((always_inline)) void
FN(micro_body)(int depth, const float *weights, const float *strip, float *tile,
               const int vectors)
{
    VEC acc[BLOCK_ROWS][STRIP_VECTORS];

    for (int r = 0; r < BLOCK_ROWS; r++)
        for (int v = 0; v < vectors; v++)
            acc[r][v] = vec_zero();
    for (int k = 0; k < depth; k++) {
        VEC in[STRIP_VECTORS];
        for (int v = 0; v < vectors; v++)
            in[v] = vec_load(strip + (size_t)k * STRIP_WIDTH + v * VW);
        for (int r = 0; r < BLOCK_ROWS; r++) {
            VEC w = vec_set1(weights[(size_t)k * BLOCK_ROWS + r]);
            for (int v = 0; v < vectors; v++)
                acc[r][v] = vec_fma(w, in[v], acc[r][v]);
        }
    }
    for (int r = 0; r < BLOCK_ROWS; r++)
        for (int v = 0; v < vectors; v++)
            vec_store(tile + r * STRIP_WIDTH + v * VW, acc[r][v]);
}

static void FN(micro_1)(int depth, const float *weights, const float *strip, float *tile)
{
    FN(micro_body)(depth, weights, strip, tile, 1);
}

static void FN(micro_2)(int depth, const float *weights, const float *strip, float *tile)
{
    FN(micro_body)(depth, weights, strip, tile, 2);
}

static void FN(micro_full)(int depth, const float *weights, const float *strip, float *tile)
{
    FN(micro_body)(depth, weights, strip, tile, STRIP_VECTORS);
}

/* Copies `count` columns from `depth` rows of the (transformed) input into
 * the strip buffer, zero-filling the rest of each row's used vectors. */
static void FN(pack_strip)(const hf_conv_gemm_layout *g, const float *base, int first,
                           int count, float *strip)
{
    int vectors = (count + VW - 1) / VW;

    for (int k = 0; k < g->depth; k++) {
        const float *src = base + g->offsets[k] + first;
        float *dst = strip + (size_t)k * STRIP_WIDTH;
        for (int v = 0; v < vectors; v++) {
            int left = count - v * VW;
            VEC x = left >= VW ? vec_load(src + v * VW) : vec_load_n(src + v * VW, left);
            vec_store(dst + v * VW, x);
        }
    }
}

/* Stores `count` finished outputs of channel oc: bias, residual, activation. */
static void FN(store_run)(const hf_conv_plan *plan, int oc, const float *sums, float *dst,
                          const float *residual, int count)
{
    const hf_conv_desc *d = &plan->desc;
    hf_act_kind act = d->act.kind;
    VEC bias = vec_set1(plan->bias[oc]);
    VEC slope = vec_set1(act == HF_ACT_PRELU ? plan->slopes[oc] : 0.0f);
    VEC lower = vec_set1(d->act.clip_min), upper = vec_set1(d->act.clip_max);
    int before = d->residual == HF_RESIDUAL_BEFORE_ACT;
    int after = d->residual == HF_RESIDUAL_AFTER_ACT;

    for (int i = 0; i < count; i += VW) {
        int n = count - i < VW ? count - i : VW;
        VEC x = vec_add(vec_load_n(sums + i, n), bias);
        if (before)
            x = vec_add(x, vec_load_n(residual + i, n));
        if (act == HF_ACT_RELU)
            x = vec_max(x, vec_zero());
        else if (act == HF_ACT_CLIP)
            x = vec_min(vec_max(x, lower), upper);
        else if (act == HF_ACT_PRELU)
            x = vec_select_negative(x, vec_mul(x, slope));
        if (after && act != HF_ACT_SIGMOID)
            x = vec_add(x, vec_load_n(residual + i, n));
        if (n == VW)
            vec_store(dst + i, x);
        else
            vec_store_n(dst + i, x, n);
    }
    /* Sigmoid is rare in these models (squeeze-excitation gates on 1x1
     * maps), so it stays scalar. */
    if (act == HF_ACT_SIGMOID)
        for (int i = 0; i < count; i++)
            dst[i] = 1.0f / (1.0f + expf(-dst[i])) + (after ? residual[i] : 0.0f);
}

/* Stores the tile rows of one block: columns q of the product map to output
 * (q / row, q % row), and columns past out_w are padding, dropped here. */
static void FN(store_tile)(const hf_conv_job *job, int first_oc, int rows, const float *tile,
                           int first, int count)
{
    const hf_conv_desc *d = &job->plan->desc;
    const hf_conv_gemm_layout *g = &job->plan->gemm;
    size_t plane = (size_t)d->out_h * d->out_w;

    for (int q = first; q < first + count;) {
        int y = q / g->row, x = q % g->row;
        if (x >= d->out_w) {
            q += g->row - x;
            continue;
        }
        int run = d->out_w - x;
        if (g->row == d->out_w || run > first + count - q)
            run = first + count - q;
        size_t at = (size_t)y * d->out_w + x;
        for (int r = 0; r < rows; r++) {
            size_t channel = (size_t)(first_oc + r) * plane;
            const float *residual = job->residual ? job->residual + channel + at : NULL;
            FN(store_run)(job->plan, first_oc + r, tile + r * STRIP_WIDTH + (q - first),
                          job->output + channel + at, residual, run);
        }
        q += run;
    }
}

/* Runs parts [begin, end) of the product: each part is one block of output
 * channels times one strip of columns, ordered so consecutive parts share
 * the packed strip. */
static void FN(conv_gemm_run)(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    const hf_conv_gemm_layout *g = &plan->gemm;
    const float *source = g->direct ? job->input : (const float *)job->scratch;
    float *strip = (float *)(job->scratch + plan->scratch_shared +
                             (size_t)ith * plan->scratch_per_thread);
    float tile[BLOCK_ROWS * STRIP_WIDTH] __attribute__((aligned(64)));
    int group_in_c = d->in_c / d->group, group_out_c = d->out_c / d->group;
    size_t block = (size_t)g->depth * BLOCK_ROWS;
    int begin, end, packed_strip = -1;

    hf_kernel_range(plan->parts, ith, nth, &begin, &end);
    for (int part = begin; part < end; part++) {
        int rb = part % g->row_blocks;
        int strip_index = part / g->row_blocks; /* over groups, then strips */
        int grp = strip_index / g->strips;
        int first = strip_index % g->strips * STRIP_WIDTH;
        int count = g->columns - first < STRIP_WIDTH ? g->columns - first : STRIP_WIDTH;
        if (strip_index != packed_strip) {
            const float *base = source + (size_t)grp * group_in_c * g->channel_stride;
            FN(pack_strip)(g, base, first, count, strip);
            packed_strip = strip_index;
        }

        const float *weights = plan->packed + ((size_t)grp * g->row_blocks + rb) * block;
        if (count > 2 * VW)
            FN(micro_full)(g->depth, weights, strip, tile);
        else if (count > VW)
            FN(micro_2)(g->depth, weights, strip, tile);
        else
            FN(micro_1)(g->depth, weights, strip, tile);

        int rows = group_out_c - rb * BLOCK_ROWS;
        if (rows > BLOCK_ROWS)
            rows = BLOCK_ROWS;
        FN(store_tile)(job, grp * group_out_c + rb * BLOCK_ROWS, rows, tile, first, count);
    }
}
