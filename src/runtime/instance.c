/* Instances: one arena, the input buffers and a thread pool per instance,
 * and the executor that runs the model's steps in order. */
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/log.h"
#include "runtime/graph.h"

struct hf_rt_instance {
    hf_rt_model *model;
    hf_threadpool *pool;
    unsigned char *arena; /* tensors, then the kernels' scratch */
    size_t arena_bytes;
    float **inputs;
    void **ptrs;
    int has_run;
    hf_rt_split_tuning split;
};

static hf_status alloc_inputs(hf_rt_instance *inst)
{
    const hf_rt_model *m = inst->model;

    inst->inputs = hf_calloc((size_t)m->input_count, sizeof(float *));
    if (inst->inputs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < m->input_count; i++) {
        size_t bytes = hf_rt_tensor_bytes(&m->tensors[m->inputs[i]]);
        inst->inputs[i] = hf_aligned_alloc(bytes > 0 ? bytes : 1);
        if (inst->inputs[i] == NULL)
            return HF_ERR_NO_MEMORY;
        memset(inst->inputs[i], 0, bytes);
    }
    return HF_OK;
}

static void *tensor_ptr(const hf_rt_instance *inst, int id)
{
    const hf_rt_tensor *t = &inst->model->tensors[id];
    size_t offset = 0;

    while (t->storage == HF_RT_STORE_VIEW) {
        offset += t->view_offset;
        t = &inst->model->tensors[t->view_of];
    }
    switch (t->storage) {
    case HF_RT_STORE_CONST: return (char *)t->data + offset;
    case HF_RT_STORE_INPUT: return (char *)inst->inputs[t->input_index] + offset;
    case HF_RT_STORE_ARENA: return inst->arena + t->offset + offset;
    default: return NULL;
    }
}

static hf_status alloc_arena(hf_rt_instance *inst, int threads)
{
    const hf_rt_model *m = inst->model;
    size_t scratch = 0;

    for (int s = 0; s < m->step_count; s++) {
        size_t bytes = hf_rt_node_scratch_bytes(&m->nodes[m->steps[s]], threads);
        scratch = bytes > scratch ? bytes : scratch;
    }
    inst->arena_bytes = m->arena_bytes + scratch;
    inst->arena = hf_aligned_alloc(inst->arena_bytes > 0 ? inst->arena_bytes : 1);
    inst->ptrs = hf_calloc((size_t)m->tensor_count + 1, sizeof(void *));
    if (inst->arena == NULL || inst->ptrs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < m->tensor_count; i++)
        inst->ptrs[i] = tensor_ptr(inst, i);
    return HF_OK;
}

hf_status hf_rt_instance_create(hf_rt_model *model, const hf_rt_instance_options *options,
                                hf_rt_instance **out)
{
    int threads = options != NULL && options->threads > 0 ? options->threads : 1;
    hf_rt_instance *inst;
    hf_status status;

    if (model == NULL || out == NULL || threads > 256)
        return HF_ERR_INVALID_ARG;
    inst = hf_calloc(1, sizeof(*inst));
    if (inst == NULL)
        return HF_ERR_NO_MEMORY;
    atomic_fetch_add(&model->refs, 1);
    inst->model = model;
    hf_rt_split_tuning_init(&inst->split, threads);
    status = hf_threadpool_create(threads, &inst->pool);
    if (status == HF_OK)
        status = alloc_inputs(inst);
    if (status == HF_OK)
        status = alloc_arena(inst, threads);
    if (status != HF_OK) {
        HF_LOGE("%s: instance creation (%d threads, %zu arena bytes) failed: %s", model->label,
                threads, model->arena_bytes, hf_status_message(status));
        hf_rt_instance_destroy(inst);
        return status;
    }
    *out = inst;
    return HF_OK;
}

void hf_rt_instance_destroy(hf_rt_instance *inst)
{
    if (inst == NULL)
        return;
    hf_threadpool_destroy(inst->pool);
    if (inst->inputs != NULL)
        for (int i = 0; i < inst->model->input_count; i++)
            hf_aligned_free(inst->inputs[i]);
    hf_free(inst->inputs);
    hf_free(inst->ptrs);
    hf_aligned_free(inst->arena);
    hf_rt_model_release(inst->model);
    hf_free(inst);
}

float *hf_rt_instance_input(hf_rt_instance *inst, int index)
{
    if (inst == NULL || index < 0 || index >= inst->model->input_count)
        return NULL;
    return inst->inputs[index];
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

hf_status hf_rt_instance_run_timed(hf_rt_instance *inst, double *step_seconds)
{
    if (inst == NULL)
        return HF_ERR_INVALID_ARG;
    const hf_rt_model *m = inst->model;
    hf_rt_exec exec = {
        .model = m,
        .ptrs = inst->ptrs,
        .scratch = inst->arena + m->arena_bytes,
        .pool = inst->pool,
    };

    double min_macs = hf_rt_split_tuning_next(&inst->split);
    double run_start = seconds_now();

    hf_cpu_set_flush_denormals();
    for (int s = 0; s < m->step_count; s++) {
        const hf_rt_node *node = &m->nodes[m->steps[s]];
        /* Steps without multiply-adds split by their own element counts. */
        exec.pool = node->macs > 0 && (double)node->macs < min_macs ? NULL : inst->pool;
        if (step_seconds != NULL) {
            double start = seconds_now();
            node->kernel(node, &exec);
            step_seconds[s] = seconds_now() - start;
        } else {
            node->kernel(node, &exec);
        }
    }
    hf_rt_split_tuning_record(&inst->split, seconds_now() - run_start);
    inst->has_run = 1;
    return HF_OK;
}

double hf_rt_instance_split_min_macs(const hf_rt_instance *inst)
{
    return inst != NULL ? inst->split.min_macs : 0.0;
}

hf_status hf_rt_instance_run(hf_rt_instance *inst)
{
    return hf_rt_instance_run_timed(inst, NULL);
}

const hf_rt_model *hf_rt_instance_model(const hf_rt_instance *inst)
{
    return inst != NULL ? inst->model : NULL;
}

const float *hf_rt_instance_output(const hf_rt_instance *inst, int index, hf_rt_shape *shape)
{
    if (inst == NULL || !inst->has_run || index < 0 || index >= inst->model->output_count)
        return NULL;
    int id = inst->model->outputs[index];
    if (shape != NULL)
        *shape = inst->model->tensors[id].shape;
    return inst->ptrs[id];
}

size_t hf_rt_instance_peak_bytes(const hf_rt_instance *inst)
{
    return inst != NULL ? inst->arena_bytes : 0;
}
