/* Shared parts of the implicit-GEMM convolution kernels: the transformed
 * input layout, the tap offsets, the packed weights and the input transform.
 * The instruction-set specific matrix products are in conv_gemm_avx*.c. */
#include <string.h>

#include "base/alloc.h"
#include "runtime/kernels/conv_gemm.h"

/* A 1x1 convolution with stride 1 and no padding reads its input directly. */
static int reads_input_directly(const hf_conv_desc *d)
{
    return d->kernel_h == 1 && d->kernel_w == 1 && d->stride_h == 1 && d->stride_w == 1 &&
           d->pad_top == 0 && d->pad_left == 0 && d->out_h == d->in_h && d->out_w == d->in_w;
}

static hf_status fill_offsets(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    hf_conv_gemm_layout *g = &plan->gemm;
    size_t phase_plane = (size_t)g->rows * g->row;
    int k = 0;

    g->offsets = hf_malloc((size_t)g->depth * sizeof(int));
    if (g->offsets == NULL)
        return HF_ERR_NO_MEMORY;
    for (int ic = 0; ic < d->in_c / d->group; ic++) {
        for (int ky = 0; ky < d->kernel_h; ky++) {
            for (int kx = 0; kx < d->kernel_w; kx++) {
                int y = ky * d->dilation_h, x = kx * d->dilation_w;
                size_t phase = (size_t)(y % d->stride_h) * g->phases_w + x % d->stride_w;
                size_t offset = ic * g->channel_stride + phase * phase_plane +
                                (size_t)(y / d->stride_h) * g->row + x / d->stride_w;
                if (g->direct)
                    offset = (size_t)ic * g->channel_stride;
                g->offsets[k++] = (int)offset;
            }
        }
    }
    return HF_OK;
}

/* Sets the stride phases that the taps read: a window that spans fewer
 * input rows or columns than the stride reads only the first phases, so a
 * strided 1x1 layer needs one plane instead of stride_h * stride_w. */
static void set_phases(hf_conv_plan *plan)
{
    const hf_conv_desc *d = &plan->desc;
    int span_h = (d->kernel_h - 1) * d->dilation_h + 1;
    int span_w = (d->kernel_w - 1) * d->dilation_w + 1;

    plan->gemm.phases_h = span_h < d->stride_h ? span_h : d->stride_h;
    plan->gemm.phases_w = span_w < d->stride_w ? span_w : d->stride_w;
}

/* Packs the weights as [group][row block][depth][block_rows], zero rows past
 * out_c / group, so one block row of the micro-kernel is one broadcast. */
static hf_status pack_weights(hf_conv_plan *plan, int block_rows)
{
    const hf_conv_desc *d = &plan->desc;
    hf_conv_gemm_layout *g = &plan->gemm;
    int group_out_c = d->out_c / d->group;
    size_t block = (size_t)g->depth * block_rows;

    plan->packed = hf_aligned_alloc((size_t)d->group * g->row_blocks * block * sizeof(float));
    if (plan->packed == NULL)
        return HF_ERR_NO_MEMORY;
    for (int grp = 0; grp < d->group; grp++) {
        for (int rb = 0; rb < g->row_blocks; rb++) {
            float *dst = plan->packed + ((size_t)grp * g->row_blocks + rb) * block;
            for (int k = 0; k < g->depth; k++) {
                for (int r = 0; r < block_rows; r++) {
                    int oc = rb * block_rows + r;
                    size_t src = ((size_t)grp * group_out_c + oc) * g->depth + k;
                    dst[(size_t)k * block_rows + r] = oc < group_out_c ? plan->weights[src] : 0;
                }
            }
        }
    }
    return HF_OK;
}

hf_status hf_conv_gemm_layout_init(hf_conv_plan *plan, int block_rows, int strip_width,
                                  int vector_width)
{
    const hf_conv_desc *d = &plan->desc;
    hf_conv_gemm_layout *g = &plan->gemm;
    hf_status status;

    memset(g, 0, sizeof(*g));
    set_phases(plan);
    g->direct = reads_input_directly(d);
    g->depth = d->in_c / d->group * d->kernel_h * d->kernel_w;
    if (g->direct) {
        g->rows = d->in_h;
        g->row = d->in_w;
        g->channel_stride = (size_t)d->in_h * d->in_w;
    } else {
        /* One spare row: taps of the last columns read past the end of a row. */
        g->rows = d->out_h + (d->kernel_h - 1) * d->dilation_h / d->stride_h + 1;
        g->row = d->out_w + (d->kernel_w - 1) * d->dilation_w / d->stride_w;
        g->channel_stride = (size_t)g->phases_h * g->phases_w * g->rows * g->row;
    }
    if ((size_t)d->in_c * g->channel_stride > INT32_MAX / 2)
        return HF_ERR_UNSUPPORTED;
    g->columns = d->out_h * g->row;
    g->row_blocks = (d->out_c / d->group + block_rows - 1) / block_rows;
    g->strips = (g->columns + strip_width - 1) / strip_width;
    /* Strips that stop at the end of each output row skip the padding
     * columns and store straight to the output. They waste lanes at row
     * ends, so take them only when they need fewer vectors than strips
     * over all columns, whose narrow tails use the micro-kernel poorly. */
    g->strips_per_row = (d->out_w + strip_width - 1) / strip_width;
    long aligned_vectors = (long)d->out_h * ((d->out_w + vector_width - 1) / vector_width);
    long flat_vectors = ((long)g->columns + vector_width - 1) / vector_width;
    g->row_aligned = !g->direct && g->row != d->out_w && aligned_vectors < flat_vectors;
    if (g->row_aligned)
        g->strips = d->out_h * g->strips_per_row;

    status = fill_offsets(plan);
    if (status == HF_OK)
        status = pack_weights(plan, block_rows);
    if (status != HF_OK)
        return status;

    plan->scratch_shared = 0;
    if (!g->direct) {
        size_t bytes = ((size_t)d->in_c * g->channel_stride + HF_CONV_GEMM_SLACK) * sizeof(float);
        plan->scratch_shared = (bytes + 63) / 64 * 64;
        plan->prepare_parts = d->in_c;
    }
    /* Only the direct layout packs strips; the others read the transform. */
    if (g->direct)
        plan->scratch_per_thread =
            ((size_t)g->depth * strip_width * sizeof(float) + 63) / 64 * 64;
    else
        plan->scratch_per_thread = 0;
    plan->parts = d->group * g->strips * g->row_blocks;
    return HF_OK;
}

/* Returns ceil(n / d) for d > 0, and 0 for n <= 0. */
static int ceil_div_positive(int n, int d)
{
    return n <= 0 ? 0 : (n + d - 1) / d;
}

void hf_conv_gemm_phase_columns(const hf_conv_plan *plan, int phase_x, int *begin, int *end)
{
    const hf_conv_desc *d = &plan->desc;
    int row = plan->gemm.row;
    int lead = d->pad_left - phase_x; /* padding columns before input column 0 */
    int first = ceil_div_positive(lead, d->stride_w);
    int last = ceil_div_positive(d->in_w + lead, d->stride_w);

    first = first < row ? first : row;
    last = last < row ? last : row;
    *begin = first;
    *end = last > first ? last : first;
}

hf_status hf_conv_depthwise_layout_init(hf_conv_plan *plan, int slack)
{
    const hf_conv_desc *d = &plan->desc;
    hf_conv_gemm_layout *g = &plan->gemm;
    hf_status status;

    memset(g, 0, sizeof(*g));
    set_phases(plan);
    g->depth = d->kernel_h * d->kernel_w;
    g->rows = d->out_h + (d->kernel_h - 1) * d->dilation_h / d->stride_h + 1;
    g->row = d->out_w + (d->kernel_w - 1) * d->dilation_w / d->stride_w;
    g->channel_stride = (size_t)g->phases_h * g->phases_w * g->rows * g->row;
    if (g->channel_stride > INT32_MAX / 2)
        return HF_ERR_UNSUPPORTED;
    g->columns = d->out_h * g->row;
    status = fill_offsets(plan);
    if (status != HF_OK)
        return status;
    plan->scratch_shared = 0;
    plan->scratch_per_thread = ((g->channel_stride + (size_t)slack) * sizeof(float) + 63) / 64 * 64;
    plan->parts = d->out_c;
    return HF_OK;
}
