/* Implicit-GEMM convolution body, included once per instruction set by
 * conv_gemm_avx512.c and conv_gemm_avx2.c after they define:
 *   VEC, VW (floats per vector), BLOCK_ROWS, STRIP_VECTORS, FN(name),
 *   vec_zero(), vec_load(p), vec_store(p, v), vec_load_n(p, n),
 *   vec_store_n(p, v, n) (n < VW lanes, the rest zero or untouched),
 *   vec_set1(x), vec_fma(a, b, c) = a * b + c, vec_add, vec_mul, vec_max,
 *   vec_min, vec_select_negative(x, if_negative) = x < 0 ? if_negative : x,
 *   and optionally vec_load_even_n(p, n) = p[0], p[2], ..., p[2n - 2].
 * The micro-kernel keeps BLOCK_ROWS x STRIP_VECTORS accumulators in
 * registers; each step loads one packed input row and broadcasts one weight
 * per output channel. */

#define STRIP_WIDTH (STRIP_VECTORS * VW)
/* Unrolls a loop over tile rows or vectors completely, so that GCC -O3 keeps
 * the accumulator array in registers instead of on the stack. */
#define HF_UNROLL _Pragma("GCC unroll 16")
/* Deepest 1x1 layer whose full strips are read from the input in place:
 * one strip then spans depth x 3 cache lines, which stay in a 48 KiB L1
 * cache up to about 256 rows. Thresholds of 96 to 320 measured within
 * noise of each other with bench_kernels on the models' layers. */
#define HF_IN_PLACE_DEPTH 256

/* Strides up to this transform row by row; larger ones plane by plane. */
#define HF_CONV_GEMM_MAX_PHASES 4

/* Writes one row of a phase plane: zeros, then input[0], input[stride],
 * ... in columns [begin, end), then zeros. Vector code, because libc
 * memset and memcpy calls cost more than the work on rows this short. */
static void FN(transform_row)(float *line, int row, const float *input, int begin, int end,
                              int stride)
{
    for (int c = 0; c < row; c += VW) {
        if (row - c >= VW)
            vec_store(line + c, vec_zero());
        else
            vec_store_n(line + c, vec_zero(), row - c);
    }
    if (stride == 1) {
        int count = end - begin;
        for (int i = 0; i < count; i += VW) {
            if (count - i >= VW)
                vec_store(line + begin + i, vec_load(input + i));
            else
                vec_store_n(line + begin + i, vec_load_n(input + i, count - i), count - i);
        }
        return;
    }
#ifdef vec_load_even_n
    if (stride == 2) {
        int count = end - begin;
        for (int i = 0; i < count; i += VW) {
            int n = count - i < VW ? count - i : VW;
            VEC x = vec_load_even_n(input + 2 * i, n);
            if (n == VW)
                vec_store(line + begin + i, x);
            else
                vec_store_n(line + begin + i, x, n);
        }
        return;
    }
#endif
    for (int c = begin; c < end; c++)
        line[c] = input[(size_t)(c - begin) * stride];
}

/* Zero-pads and phase-splits one input channel into dst (channel_stride
 * floats): plane (py, px) row r column c is the padded input at row
 * r * stride_h + py and column c * stride_w + px. */
static void FN(transform_planes)(const hf_conv_plan *plan, const float *src, float *dst)
{
    const hf_conv_desc *d = &plan->desc;
    const hf_conv_gemm_layout *g = &plan->gemm;

    for (int py = 0; py < g->phases_h; py++) {
        for (int px = 0; px < g->phases_w; px++) {
            int begin, end;
            hf_conv_gemm_phase_columns(plan, px, &begin, &end);
            int first_x = begin * d->stride_w + px - d->pad_left;
            for (int r = 0; r < g->rows; r++) {
                int y = r * d->stride_h + py - d->pad_top;
                int inside = y >= 0 && y < d->in_h;
                const float *input = src + (size_t)(inside ? y : 0) * d->in_w + first_x;
                FN(transform_row)(dst + (size_t)r * g->row, g->row, input, begin,
                                  inside ? end : begin, d->stride_w);
            }
            dst += (size_t)g->rows * g->row;
        }
    }
}

/* Fills dst as transform_planes does, row by row across the planes up to
 * HF_CONV_GEMM_MAX_PHASES phases of columns. */
static void FN(transform_channel)(const hf_conv_plan *plan, const float *src, float *dst)
{
    const hf_conv_desc *d = &plan->desc;
    const hf_conv_gemm_layout *g = &plan->gemm;
    size_t plane = (size_t)g->rows * g->row;
    int begins[HF_CONV_GEMM_MAX_PHASES], ends[HF_CONV_GEMM_MAX_PHASES];

    if (g->phases_w > HF_CONV_GEMM_MAX_PHASES) {
        FN(transform_planes)(plan, src, dst);
        return;
    }
    for (int px = 0; px < g->phases_w; px++)
        hf_conv_gemm_phase_columns(plan, px, &begins[px], &ends[px]);
    /* Row by row over all planes, so the phases that share an input row
     * read it while it is still in L1 cache. */
    for (int r = 0; r < g->rows; r++) {
        for (int py = 0; py < g->phases_h; py++) {
            int y = r * d->stride_h + py - d->pad_top;
            int inside = y >= 0 && y < d->in_h;
            for (int px = 0; px < g->phases_w; px++) {
                int first_x = begins[px] * d->stride_w + px - d->pad_left;
                const float *input = src + (size_t)(inside ? y : 0) * d->in_w + first_x;
                float *line = dst + (size_t)(py * g->phases_w + px) * plane + (size_t)r * g->row;
                FN(transform_row)(line, g->row, input, begins[px], inside ? ends[px] : begins[px],
                                  d->stride_w);
            }
        }
    }
}

/* The prepare pass of the GEMM kernel: transforms input channels
 * [begin, end) of this part into the shared scratch. */
static void FN(transform)(const hf_conv_job *job, int ith, int nth)
{
    const hf_conv_plan *plan = job->plan;
    const hf_conv_desc *d = &plan->desc;
    float *transformed = (float *)job->scratch;
    int begin, end;

    hf_kernel_range(d->in_c, ith, nth, &begin, &end);
    for (int ic = begin; ic < end; ic++)
        FN(transform_channel)(plan, job->input + (size_t)ic * d->in_h * d->in_w,
                              transformed + (size_t)ic * plan->gemm.channel_stride);
    if (end == d->in_c) {
        float *slack = transformed + (size_t)d->in_c * plan->gemm.channel_stride;
        for (int i = 0; i < HF_CONV_GEMM_SLACK; i += VW)
            vec_store(slack + i, vec_zero());
    }
}

/* Copies `count` columns from `depth` rows of the (transformed) input into
 * the strip buffer, zero-filling the rest of each row's used vectors. With
 * a prologue each value is mapped on the way, and since only 1x1 layers
 * have one, row k is input channel k. The lanes past `count` then hold the
 * shift instead of zero, but they only feed columns that are never stored. */
static void FN(pack_strip)(const hf_conv_plan *plan, const float *base, int first, int count,
                           float *strip)
{
    const hf_conv_gemm_layout *g = &plan->gemm;
    const hf_prologue *prologue = &plan->desc.prologue;
    int vectors = (count + VW - 1) / VW;

    for (int k = 0; k < g->depth; k++) {
        const float *src = base + g->offsets[k] + first;
        float *dst = strip + (size_t)k * STRIP_WIDTH;
        VEC scale = vec_zero(), shift = vec_zero();
        if (prologue->kind != HF_PROLOGUE_NONE) {
            scale = vec_set1(prologue->scale[k]);
            shift = vec_set1(prologue->shift[k]);
        }
        for (int v = 0; v < vectors; v++) {
            int left = count - v * VW;
            VEC x = left >= VW ? vec_load(src + v * VW) : vec_load_n(src + v * VW, left);
            if (prologue->kind != HF_PROLOGUE_NONE)
                x = vec_fma(x, scale, shift);
            if (prologue->kind == HF_PROLOGUE_AFFINE_RELU)
                x = vec_max(x, vec_zero());
            vec_store(dst + v * VW, x);
        }
    }
}

/* The per-channel constants of the output epilogue, in vectors. */
typedef struct FN(epilogue) {
    hf_act_kind act;
    int before, after; /* where the residual is added */
    VEC bias, slope, lower, upper;
} FN(epilogue);

static inline void FN(epilogue_init)(FN(epilogue) *e, const hf_conv_plan *plan, int oc)
{
    const hf_conv_desc *d = &plan->desc;

    e->act = d->act.kind;
    e->before = d->residual == HF_RESIDUAL_BEFORE_ACT;
    e->after = d->residual == HF_RESIDUAL_AFTER_ACT;
    e->bias = vec_set1(plan->bias[oc]);
    e->slope = vec_set1(e->act == HF_ACT_PRELU ? plan->slopes[oc] : 0.0f);
    e->lower = vec_set1(d->act.clip_min);
    e->upper = vec_set1(d->act.clip_max);
}

/* Finishes n <= VW raw sums and stores them. The caller applies a sigmoid. */
static inline __attribute__((always_inline)) void
FN(epilogue_store)(const FN(epilogue) *e, VEC x, const float *residual, float *dst, int n)
{
    x = vec_add(x, e->bias);
    if (e->before)
        x = vec_add(x, n == VW ? vec_load(residual) : vec_load_n(residual, n));
    if (e->act == HF_ACT_RELU)
        x = vec_max(x, vec_zero());
    else if (e->act == HF_ACT_CLIP)
        x = vec_min(vec_max(x, e->lower), e->upper);
    else if (e->act == HF_ACT_PRELU)
        x = vec_select_negative(x, vec_mul(x, e->slope));
    if (e->after && e->act != HF_ACT_SIGMOID)
        x = vec_add(x, n == VW ? vec_load(residual) : vec_load_n(residual, n));
    if (n == VW)
        vec_store(dst, x);
    else
        vec_store_n(dst, x, n);
}

/* Applies the sigmoid, and a residual added after it, to stored outputs.
 * Sigmoid is rare in these models (squeeze-excitation gates on 1x1 maps),
 * so it stays scalar. */
static void FN(finish_sigmoid)(float *dst, const float *residual, int after, int count)
{
    for (int i = 0; i < count; i++)
        dst[i] = 1.0f / (1.0f + expf(-dst[i])) + (after ? residual[i] : 0.0f);
}

/* Stores `count` finished outputs of channel oc: bias, residual, activation. */
static void FN(store_run)(const hf_conv_plan *plan, int oc, const float *sums, float *dst,
                          const float *residual, int count)
{
    FN(epilogue) e;

    FN(epilogue_init)(&e, plan, oc);
    for (int i = 0; i < count; i += VW) {
        int n = count - i < VW ? count - i : VW;
        VEC x = n == VW ? vec_load(sums + i) : vec_load_n(sums + i, n);
        FN(epilogue_store)(&e, x, residual ? residual + i : NULL, dst + i, n);
    }
    if (e.act == HF_ACT_SIGMOID)
        FN(finish_sigmoid)(dst, residual, e.after, count);
}

/* Finishes `count` raw sums stored in dst in place. The activation is
 * chosen once outside each loop, so rows with no residual, the common case
 * for depthwise layers, run a branch-free loop. */
static void FN(finish_in_place)(const hf_conv_plan *plan, int oc, float *dst,
                                const float *residual, int count)
{
    FN(epilogue) e;
    int i = 0;

    FN(epilogue_init)(&e, plan, oc);
    if (residual == NULL && e.act == HF_ACT_NONE) {
        for (; i + VW <= count; i += VW)
            vec_store(dst + i, vec_add(vec_load(dst + i), e.bias));
    } else if (residual == NULL && e.act == HF_ACT_RELU) {
        for (; i + VW <= count; i += VW)
            vec_store(dst + i, vec_max(vec_add(vec_load(dst + i), e.bias), vec_zero()));
    } else if (residual == NULL && e.act == HF_ACT_PRELU) {
        for (; i + VW <= count; i += VW) {
            VEC x = vec_add(vec_load(dst + i), e.bias);
            vec_store(dst + i, vec_select_negative(x, vec_mul(x, e.slope)));
        }
    }
    for (; i < count; i += VW) {
        int n = count - i < VW ? count - i : VW;
        VEC x = n == VW ? vec_load(dst + i) : vec_load_n(dst + i, n);
        FN(epilogue_store)(&e, x, residual ? residual + i : NULL, dst + i, n);
    }
    if (e.act == HF_ACT_SIGMOID)
        FN(finish_sigmoid)(dst, residual, e.after, count);
}

/* Stores columns [first, first + count) of output channel oc from sums:
 * column q is output (q / row, q % row), and columns at or past out_w are
 * padding, dropped here. */
static void FN(store_columns)(const hf_conv_job *job, int oc, const float *sums, int first,
                              int count)
{
    const hf_conv_desc *d = &job->plan->desc;
    int row = job->plan->gemm.row;
    size_t channel = (size_t)oc * d->out_h * d->out_w;
    int last = first + count;

    for (int q = first; q < last;) {
        int y = q / row, x = q % row;
        if (x >= d->out_w) {
            q += row - x;
            continue;
        }
        int run = row == d->out_w ? last - q : d->out_w - x;
        if (run > last - q)
            run = last - q;
        size_t at = channel + (size_t)y * d->out_w + x;
        const float *residual = job->residual ? job->residual + at : NULL;
        FN(store_run)(job->plan, oc, sums + (q - first), job->output + at, residual, run);
        q += run;
    }
}

static void FN(store_tile)(const hf_conv_job *job, int first_oc, int rows, const float *tile,
                           int first, int count)
{
    for (int r = 0; r < rows; r++)
        FN(store_columns)(job, first_oc + r, tile + r * STRIP_WIDTH, first, count);
}

#ifndef HF_CONV_GEMM_STORE_MODES
#define HF_CONV_GEMM_STORE_MODES
/* Where the micro-kernel puts a finished tile. */
enum {
    HF_GEMM_STORE_TILE,       /* raw sums into a buffer, copied out by store_tile */
    HF_GEMM_STORE_OUTPUT,     /* tile columns are consecutive output columns */
    HF_GEMM_STORE_COMPRESSED, /* padding lanes dropped, so the rest are consecutive */
};
#endif

/* Stores lanes [0, n) of v at p, n >= 1. */
#ifndef vec_store_lanes
#define vec_store_lanes(p, v, n) ((n) == VW ? vec_store((p), (v)) : vec_store_n((p), (v), (n)))
#endif

/* Destination of a finished tile: the output, or `tile` when the store
 * mode is HF_GEMM_STORE_TILE. */
typedef struct FN(tile_target) {
    const hf_conv_job *job;
    int first_oc, rows; /* output channels [first_oc, first_oc + rows) */
    int first, count;   /* columns [first, first + count) */
    int out_first;      /* output offset of the first kept column at or after `first` */
    int bias_in_sums;   /* the accumulators start at the bias: no residual, and
                           no activation or ReLU only */
    float *tile;
    const int *offsets; /* rows of the transformed input, or NULL for a strip */
} FN(tile_target);

static inline unsigned int FN(low_lanes)(int n)
{
    if (n <= 0)
        return 0u;
    if (n >= VW)
        return (1u << VW) - 1u;
    return (1u << n) - 1u;
}

/* Returns the lanes of tile vector v that are outputs (bit i for lane i)
 * and sets *count to their number. Compressed tiles hold padding columns,
 * at or past out_w in rows of `row` >= VW columns, so at most one row ends
 * inside a vector. */
static inline __attribute__((always_inline)) unsigned int
FN(tile_lanes)(const FN(tile_target) *target, int v, const int store, int *count)
{
    const hf_conv_plan *plan = target->job->plan;
    int left = target->count - v * VW;

    if (store == HF_GEMM_STORE_OUTPUT) {
        *count = left < VW ? left : VW;
        return FN(low_lanes)(left);
    }
    int out_w = plan->desc.out_w, row = plan->gemm.row;
    int x = (target->first + v * VW) % row, wrap = row - x;
    unsigned int keep = x < out_w ? FN(low_lanes)(out_w - x) : 0u;
    if (wrap < VW)
        keep |= FN(low_lanes)(wrap + out_w) & ~FN(low_lanes)(wrap);
    keep &= FN(low_lanes)(left);
    *count = __builtin_popcount(keep);
    return keep;
}

/* Finishes the accumulators of a tile and stores them. Kept lanes of
 * consecutive vectors are consecutive outputs, so each tile row is one run
 * of the output from target->out_first. Vectors are the outer loop, so the
 * lanes of each are worked out once for all rows. */
static inline __attribute__((always_inline)) void
FN(finish_tile)(const FN(tile_target) *target, VEC acc[BLOCK_ROWS][STRIP_VECTORS],
                const int vectors, const int store)
{
    const hf_conv_job *job = target->job;
    const hf_conv_desc *d = &job->plan->desc;
    size_t plane = (size_t)d->out_h * d->out_w;
    float *out = job->output + (size_t)target->first_oc * plane + target->out_first;
    int at = 0;

    if (target->bias_in_sums) {
        int relu = d->act.kind == HF_ACT_RELU;
        HF_UNROLL
        for (int v = 0; v < vectors; v++) {
            int n;
            unsigned int keep = FN(tile_lanes)(target, v, store, &n);
            (void)keep;
            HF_UNROLL
            for (int r = 0; r < BLOCK_ROWS; r++) {
                VEC x = acc[r][v];
#ifdef vec_compress
                if (store == HF_GEMM_STORE_COMPRESSED)
                    x = vec_compress(keep, x);
#endif
                if (relu)
                    x = vec_max(x, vec_zero());
                if (r < target->rows && n > 0)
                    vec_store_lanes(out + r * plane + at, x, n);
            }
            at += n;
        }
        return;
    }

    const float *residual =
        job->residual ? job->residual + (size_t)target->first_oc * plane + target->out_first
                      : NULL;
    FN(epilogue) e[BLOCK_ROWS];
    HF_UNROLL
    for (int r = 0; r < BLOCK_ROWS; r++) /* rows past the last are not stored */
        FN(epilogue_init)(&e[r], job->plan, target->first_oc + (r < target->rows ? r : 0));
    HF_UNROLL
    for (int v = 0; v < vectors; v++) {
        int n;
        unsigned int keep = FN(tile_lanes)(target, v, store, &n);
        (void)keep;
        HF_UNROLL
        for (int r = 0; r < BLOCK_ROWS; r++) {
            VEC x = acc[r][v];
#ifdef vec_compress
            if (store == HF_GEMM_STORE_COMPRESSED)
                x = vec_compress(keep, x);
#endif
            if (r < target->rows && n > 0)
                FN(epilogue_store)(&e[r], x, residual ? residual + r * plane + at : NULL,
                                   out + r * plane + at, n);
        }
        at += n;
    }
    if (d->act.kind == HF_ACT_SIGMOID)
        for (int r = 0; r < target->rows; r++)
            FN(finish_sigmoid)(out + r * plane, residual ? residual + r * plane : NULL,
                               e[r].after, at);
}

/* Accumulates a BLOCK_ROWS x (vectors * VW) tile over the full depth, then
 * stores it in the given store mode. Input row k is at source + k * STRIP_WIDTH in
 * a packed strip, or at source + target->offsets[k] in the transformed
 * input. The loops have constant bounds once inlined, so the accumulators
 * stay in registers. */
static inline __attribute__((always_inline)) void
FN(micro_body)(int depth, const float *weights, const float *source,
               const FN(tile_target) *target, const int vectors, const int store)
{
    VEC acc[BLOCK_ROWS][STRIP_VECTORS];
    const float *bias = target->job->plan->bias + target->first_oc;

    HF_UNROLL

    for (int r = 0; r < BLOCK_ROWS; r++) {
        /* Rows past the last channel have zero weights and are not stored. */
        float start = target->bias_in_sums && r < target->rows ? bias[r] : 0.0f;
        HF_UNROLL
        for (int v = 0; v < vectors; v++)
            acc[r][v] = vec_set1(start);
    }
    for (int k = 0; k < depth; k++) {
        VEC in[STRIP_VECTORS];
        const float *row = target->offsets != NULL ? source + target->offsets[k]
                                                   : source + (size_t)k * STRIP_WIDTH;
        HF_UNROLL
        for (int v = 0; v < vectors; v++)
            in[v] = vec_load(row + v * VW);
        HF_UNROLL
        for (int r = 0; r < BLOCK_ROWS; r++) {
            VEC w = vec_set1(weights[(size_t)k * BLOCK_ROWS + r]);
            HF_UNROLL
            for (int v = 0; v < vectors; v++)
                acc[r][v] = vec_fma(w, in[v], acc[r][v]);
        }
    }
    if (store == HF_GEMM_STORE_TILE) {
        HF_UNROLL
        for (int r = 0; r < BLOCK_ROWS; r++)
            HF_UNROLL
            for (int v = 0; v < vectors; v++)
                vec_store(target->tile + r * STRIP_WIDTH + v * VW, acc[r][v]);
        return;
    }
    FN(finish_tile)(target, acc, vectors, store);
}

#define HF_MICRO_VARIANT(vectors, store, suffix)                                        \
    static void FN(micro_##suffix)(int depth, const float *weights, const float *source, \
                                   const FN(tile_target) *target)                        \
    {                                                                                    \
        FN(micro_body)(depth, weights, source, target, vectors, store);                  \
    }

HF_MICRO_VARIANT(1, HF_GEMM_STORE_TILE, tile_1)
HF_MICRO_VARIANT(2, HF_GEMM_STORE_TILE, tile_2)
HF_MICRO_VARIANT(STRIP_VECTORS, HF_GEMM_STORE_TILE, tile_full)
HF_MICRO_VARIANT(1, HF_GEMM_STORE_OUTPUT, output_1)
HF_MICRO_VARIANT(2, HF_GEMM_STORE_OUTPUT, output_2)
HF_MICRO_VARIANT(STRIP_VECTORS, HF_GEMM_STORE_OUTPUT, output_full)
#ifdef vec_compress
HF_MICRO_VARIANT(1, HF_GEMM_STORE_COMPRESSED, compressed_1)
HF_MICRO_VARIANT(2, HF_GEMM_STORE_COMPRESSED, compressed_2)
HF_MICRO_VARIANT(STRIP_VECTORS, HF_GEMM_STORE_COMPRESSED, compressed_full)
#endif
#undef HF_MICRO_VARIANT

/* Runs the micro-kernel variant for the strip width and store mode. */
static inline void FN(micro_run)(int depth, const float *weights, const float *source,
                                 const FN(tile_target) *target, int store)
{
    int vectors = (target->count + VW - 1) / VW;

    if (store == HF_GEMM_STORE_OUTPUT) {
        if (vectors >= STRIP_VECTORS)
            FN(micro_output_full)(depth, weights, source, target);
        else if (vectors == 2)
            FN(micro_output_2)(depth, weights, source, target);
        else
            FN(micro_output_1)(depth, weights, source, target);
        return;
    }
#ifdef vec_compress
    if (store == HF_GEMM_STORE_COMPRESSED) {
        if (vectors >= STRIP_VECTORS)
            FN(micro_compressed_full)(depth, weights, source, target);
        else if (vectors == 2)
            FN(micro_compressed_2)(depth, weights, source, target);
        else
            FN(micro_compressed_1)(depth, weights, source, target);
        return;
    }
#endif
    if (vectors >= STRIP_VECTORS)
        FN(micro_tile_full)(depth, weights, source, target);
    else if (vectors == 2)
        FN(micro_tile_2)(depth, weights, source, target);
    else
        FN(micro_tile_1)(depth, weights, source, target);
}

/* Returns the product columns [first, first + count) of strip s and the
 * output offset of its first column. */
static void FN(strip_columns)(const hf_conv_plan *plan, int s, int *first, int *count,
                              int *out_first)
{
    const hf_conv_gemm_layout *g = &plan->gemm;
    int out_w = plan->desc.out_w;

    if (g->row_aligned) {
        int y = s / g->strips_per_row, x = s % g->strips_per_row * STRIP_WIDTH;
        *first = y * g->row + x;
        *count = out_w - x < STRIP_WIDTH ? out_w - x : STRIP_WIDTH;
        *out_first = y * out_w + x;
        return;
    }
    *first = s * STRIP_WIDTH;
    *count = g->columns - *first < STRIP_WIDTH ? g->columns - *first : STRIP_WIDTH;
    /* The first output at or after column `first`: padding columns map to
     * the start of the next row. */
    int y = *first / g->row, x = *first % g->row;
    *out_first = x < out_w ? y * out_w + x : (y + 1) * out_w;
}

/* Returns how the kernel stores tiles: straight to the output when strips
 * contain no padding columns, compressed when at most one row ends inside
 * each vector, else through the tile buffer. */
static int FN(store_mode)(const hf_conv_plan *plan)
{
    const hf_conv_gemm_layout *g = &plan->gemm;

    if (g->row == plan->desc.out_w || g->row_aligned)
        return HF_GEMM_STORE_OUTPUT;
#ifdef vec_compress
    if (g->row >= VW)
        return HF_GEMM_STORE_COMPRESSED;
#endif
    return HF_GEMM_STORE_TILE;
}

/* Runs parts [begin, end) of the product: each part is one block of output
 * channels times one strip of columns. The micro-kernel reads the
 * transformed input in place: taps of neighbouring columns share cache
 * lines, so the rows stay in L1. It also reads 1x1 layers in place when
 * their strips fit in L1. Deeper ones, and the last partial strip (whose
 * vector loads would pass the end of the input), are packed into a
 * contiguous strip first. Parts are ordered so consecutive ones share a
 * strip. */
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
    int store = FN(store_mode)(plan);
    int bias_in_sums = store != HF_GEMM_STORE_TILE && d->residual == HF_RESIDUAL_NONE &&
                       (d->act.kind == HF_ACT_NONE || d->act.kind == HF_ACT_RELU);
    int begin, end, packed_strip = -1;

    hf_kernel_range(plan->parts, ith, nth, &begin, &end);
    for (int part = begin; part < end; part++) {
        int rb = part % g->row_blocks;
        int strip_index = part / g->row_blocks; /* over groups, then strips */
        int grp = strip_index / g->strips;
        int first, count, out_first;
        FN(strip_columns)(plan, strip_index % g->strips, &first, &count, &out_first);
        const float *base = source + (size_t)grp * group_in_c * g->channel_stride;
        int in_place = !g->direct || (count == STRIP_WIDTH && g->depth <= HF_IN_PLACE_DEPTH &&
                                      d->prologue.kind == HF_PROLOGUE_NONE);
        if (!in_place && strip_index != packed_strip) {
            FN(pack_strip)(plan, base, first, count, strip);
            packed_strip = strip_index;
        }
        const float *input_rows = in_place ? base + first : strip;

        const float *weights = plan->packed + ((size_t)grp * g->row_blocks + rb) * block;
        int rows = group_out_c - rb * BLOCK_ROWS;
        FN(tile_target) target = {
            .job = job,
            .first_oc = grp * group_out_c + rb * BLOCK_ROWS,
            .rows = rows < BLOCK_ROWS ? rows : BLOCK_ROWS,
            .first = first,
            .count = count,
            .out_first = out_first,
            .bias_in_sums = bias_in_sums,
            .tile = tile,
            .offsets = in_place ? g->offsets : NULL,
        };
        FN(micro_run)(g->depth, weights, input_rows, &target, store);
        if (store == HF_GEMM_STORE_TILE)
            FN(store_tile)(job, target.first_oc, target.rows, tile, first, count);
    }
}
