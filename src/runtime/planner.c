/* Execution order and memory plan.
 *
 * Every live node that is not folded becomes a step, except the view ops
 * (Reshape, Flatten, Squeeze, Unsqueeze, Identity, zero Pad), whose output
 * shares its input's bytes, and the Concats whose inputs can be written in
 * place as slices of the output. Each remaining tensor gets an offset in one
 * arena: tensors are placed largest first, each at the lowest offset that
 * does not overlap a placed tensor whose lifetime (first to last step that
 * touches it) intersects its own. Outputs of the model live to the end. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "runtime/graph.h"

#define HF_RT_ARENA_ALIGN 64

static size_t align_up(size_t value)
{
    return (value + HF_RT_ARENA_ALIGN - 1) / HF_RT_ARENA_ALIGN * HF_RT_ARENA_ALIGN;
}

static int base_of(const hf_rt_model *m, int id)
{
    while (m->tensors[id].storage == HF_RT_STORE_VIEW)
        id = m->tensors[id].view_of;
    return id;
}

/* Returns the tensor that owns the bytes of `id` and stores where in it
 * they start. */
static int view_root(const hf_rt_model *m, int id, size_t *offset)
{
    *offset = 0;
    while (m->tensors[id].storage == HF_RT_STORE_VIEW) {
        *offset += m->tensors[id].view_offset;
        id = m->tensors[id].view_of;
    }
    return id;
}

/* Returns how many leading inputs of a Concat are, in order and without a
 * gap, views that cover the whole of one tensor, and stores that tensor in
 * *prefix; 0 if none. The tensor is the output of an earlier in-place
 * Concat or the input of a view op. A DenseNet block concatenates all
 * earlier outputs again for each layer, so the inputs of one Concat are
 * those of the one before and one more. */
static int concat_prefix(const hf_rt_model *m, const hf_rt_node *node, int *prefix)
{
    if (m->tensors[node->inputs[0]].storage != HF_RT_STORE_VIEW)
        return 0;
    size_t expected = 0, total = 0;
    int root = -1;
    for (int j = 0; j < node->input_count; j++) {
        size_t offset;
        int owner = view_root(m, node->inputs[j], &offset);
        if (j == 0) {
            root = owner;
            total = hf_rt_tensor_bytes(&m->tensors[root]);
        }
        if (owner != root || offset != expected)
            return 0;
        expected += hf_rt_tensor_bytes(&m->tensors[node->inputs[j]]);
        if (expected == total) {
            *prefix = root;
            return j + 1;
        }
    }
    return 0;
}

/* Returns nonzero when an arena tensor can become a slice of a Concat's
 * output: an earlier step, or an earlier Concat left out, writes it, and it
 * is no model output. */
static int concat_slice_ok(const hf_rt_model *m, int id)
{
    const hf_rt_tensor *t = &m->tensors[id];
    return t->storage == HF_RT_STORE_ARENA && !t->is_output && t->producer >= 0;
}

/* Returns nonzero when a Concat can be left out of the steps, its inputs
 * becoming slices of its output that their producers write in place. The
 * axes before the concatenation axis must all have size 1, so that each
 * input is one contiguous range of the output, and each input must be a
 * distinct tensor that concat_slice_ok accepts, after a prefix found by
 * concat_prefix. Without this each Concat of a DenseNet block copies the
 * whole block. Stores the prefix length and tensor (-1 for none). */
static int concat_in_place(const hf_rt_model *m, const hf_rt_node *node, int *skip, int *prefix)
{
    const hf_rt_shape *out = &m->tensors[node->outputs[0]].shape;

    *prefix = -1;
    *skip = 0;
    if (m->tensors[node->outputs[0]].is_output)
        return 0;
    for (int i = 0; i < node->p.axis; i++)
        if (out->dims[i] != 1)
            return 0;
    *skip = concat_prefix(m, node, prefix);
    if (*prefix >= 0 && !concat_slice_ok(m, *prefix))
        return 0;
    for (int j = *skip; j < node->input_count; j++) {
        if (!concat_slice_ok(m, node->inputs[j]) || node->inputs[j] == *prefix)
            return 0;
        for (int k = *skip; k < j; k++)
            if (node->inputs[k] == node->inputs[j])
                return 0;
    }
    return 1;
}

static void make_slice(hf_rt_model *m, int id, int root, size_t *offset)
{
    hf_rt_tensor *t = &m->tensors[id];
    t->storage = HF_RT_STORE_VIEW;
    t->view_of = root;
    t->view_offset = *offset;
    *offset += hf_rt_tensor_bytes(t);
}

/* Makes the prefix tensor and each later input of an in-place Concat views
 * of their slices of the output. */
static void place_concat_inputs(hf_rt_model *m, const hf_rt_node *node, int skip, int prefix)
{
    size_t offset = 0;

    if (prefix >= 0)
        make_slice(m, prefix, node->outputs[0], &offset);
    for (int j = skip; j < node->input_count; j++)
        make_slice(m, node->inputs[j], node->outputs[0], &offset);
}

/* Builds the step list and marks view outputs and arena tensors. */
static hf_status make_steps(hf_rt_model *m)
{
    m->steps = hf_malloc(((size_t)m->node_count + 1) * sizeof(int));
    if (m->steps == NULL)
        return HF_ERR_NO_MEMORY;
    m->step_count = 0;
    for (int i = 0; i < m->node_count; i++) {
        hf_rt_node *node = &m->nodes[i];
        if (node->dead)
            continue;
        if (node->kernel == hf_rt_kernel_copy) {
            hf_rt_tensor *t = &m->tensors[node->outputs[0]];
            t->storage = HF_RT_STORE_VIEW;
            t->view_of = node->inputs[0];
            continue;
        }
        for (int j = 0; j < node->output_count; j++)
            m->tensors[node->outputs[j]].storage = HF_RT_STORE_ARENA;
        int skip, prefix;
        if (node->kernel == hf_rt_kernel_concat && concat_in_place(m, node, &skip, &prefix)) {
            place_concat_inputs(m, node, skip, prefix);
            continue;
        }
        m->steps[m->step_count++] = i;
    }
    return HF_OK;
}

typedef struct interval {
    int tensor;
    int first, last;
    size_t size;
} interval;

static int by_size_desc(const void *a, const void *b)
{
    const interval *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return x->first - y->first;
}

static void touch(interval *spans, const hf_rt_model *m, int id, int step)
{
    if (id < 0)
        return;
    id = base_of(m, id);
    if (m->tensors[id].storage != HF_RT_STORE_ARENA)
        return;
    if (spans[id].first < 0 || step < spans[id].first)
        spans[id].first = step;
    if (step > spans[id].last)
        spans[id].last = step;
}

static void compute_lifetimes(const hf_rt_model *m, interval *spans)
{
    for (int i = 0; i < m->tensor_count; i++)
        spans[i] = (interval){.tensor = i, .first = -1, .last = -1,
                              .size = align_up(hf_rt_tensor_bytes(&m->tensors[i]))};
    for (int s = 0; s < m->step_count; s++) {
        const hf_rt_node *node = &m->nodes[m->steps[s]];
        for (int j = 0; j < node->input_count; j++)
            touch(spans, m, node->inputs[j], s);
        for (int j = 0; j < node->output_count; j++)
            touch(spans, m, node->outputs[j], s);
    }
    for (int i = 0; i < m->output_count; i++)
        touch(spans, m, m->outputs[i], m->step_count);
}

/* Lowest offset for `span` that avoids every placed, overlapping-in-time span. */
static size_t best_offset(const interval *placed, int placed_count, const size_t *offsets,
                          const interval *span)
{
    size_t offset = 0;
    int moved = 1;

    while (moved) {
        moved = 0;
        for (int i = 0; i < placed_count; i++) {
            const interval *p = &placed[i];
            if (p->last < span->first || p->first > span->last)
                continue;
            if (offsets[i] < offset + span->size && offset < offsets[i] + p->size) {
                offset = offsets[i] + p->size;
                moved = 1;
            }
        }
    }
    return offset;
}

hf_status hf_rt_plan_memory(hf_rt_model *m)
{
    interval *spans = NULL;
    size_t *offsets = NULL;
    int count = 0;
    hf_status status = make_steps(m);

    if (status != HF_OK)
        return status;
    spans = hf_malloc(((size_t)m->tensor_count + 1) * sizeof(*spans));
    offsets = hf_malloc(((size_t)m->tensor_count + 1) * sizeof(*offsets));
    if (spans == NULL || offsets == NULL) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    compute_lifetimes(m, spans);
    for (int i = 0; i < m->tensor_count; i++)
        if (spans[i].first >= 0)
            spans[count++] = spans[i];
    qsort(spans, (size_t)count, sizeof(*spans), by_size_desc);
    m->arena_bytes = 0;
    for (int i = 0; i < count; i++) {
        offsets[i] = best_offset(spans, i, offsets, &spans[i]);
        m->tensors[spans[i].tensor].offset = offsets[i];
        if (offsets[i] + spans[i].size > m->arena_bytes)
            m->arena_bytes = offsets[i] + spans[i].size;
    }
    HF_LOGD("%s: %d steps, %d arena tensors, arena %zu bytes", m->label, m->step_count, count,
            m->arena_bytes);

cleanup:
    hf_free(spans);
    hf_free(offsets);
    return status;
}
