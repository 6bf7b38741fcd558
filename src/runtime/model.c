/* Model loading: turns a decoded ONNX graph into the runtime graph, infers
 * every shape, folds constant subgraphs, runs the optimisation passes and
 * creates the kernel plans. */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "runtime/graph.h"

typedef struct builder {
    hf_rt_model *m;
    const hf_onnx_model *src;
    int *slots; /* open-addressing table of tensor ids by name */
    size_t slot_count;
    int tensor_capacity;
} builder;

static uint64_t name_hash(const char *name)
{
    uint64_t h = 1469598103934665603ull;
    for (; *name; name++)
        h = (h ^ (uint8_t)*name) * 1099511628211ull;
    return h;
}

static int find_tensor(const builder *b, const char *name)
{
    size_t mask = b->slot_count - 1;

    for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
        int id = b->slots[i];
        if (id < 0)
            return -1;
        if (strcmp(b->m->tensors[id].name, name) == 0)
            return id;
    }
}

/* Creates a tensor; an empty name makes an anonymous one (not in the table). */
static hf_status add_tensor(builder *b, const char *name, int *id)
{
    hf_rt_model *m = b->m;

    if (name[0] != '\0' && find_tensor(b, name) >= 0) {
        HF_LOGE("%s: tensor '%s' is defined twice", m->label, name);
        return HF_ERR_FORMAT;
    }
    if (m->tensor_count == b->tensor_capacity) {
        int capacity = b->tensor_capacity * 2;
        hf_rt_tensor *bigger = hf_realloc(m->tensors, (size_t)capacity * sizeof(*bigger));
        if (bigger == NULL)
            return HF_ERR_NO_MEMORY;
        m->tensors = bigger;
        b->tensor_capacity = capacity;
    }
    hf_rt_tensor *t = &m->tensors[m->tensor_count];
    memset(t, 0, sizeof(*t));
    t->producer = -1;
    t->view_of = -1;
    t->input_index = -1;
    t->name = hf_strdup(name);
    if (t->name == NULL)
        return HF_ERR_NO_MEMORY;
    *id = m->tensor_count++;
    if (name[0] != '\0') {
        size_t mask = b->slot_count - 1, i = name_hash(name) & mask;
        while (b->slots[i] >= 0)
            i = (i + 1) & mask;
        b->slots[i] = *id;
    }
    return HF_OK;
}

static hf_status builder_init(builder *b)
{
    const hf_onnx_model *src = b->src;
    size_t names = (size_t)src->initializer_count + (size_t)src->input_count + 1;

    for (int i = 0; i < src->node_count; i++)
        names += (size_t)src->nodes[i].output_count;
    b->slot_count = 16;
    while (b->slot_count < 2 * names)
        b->slot_count *= 2;
    b->slots = hf_malloc(b->slot_count * sizeof(int));
    b->tensor_capacity = (int)names;
    b->m->tensors = hf_malloc((size_t)b->tensor_capacity * sizeof(hf_rt_tensor));
    if (b->slots == NULL || b->m->tensors == NULL)
        return HF_ERR_NO_MEMORY;
    memset(b->slots, 0xff, b->slot_count * sizeof(int));
    return HF_OK;
}

static void flush_denormals(float *data, int64_t count)
{
    for (int64_t i = 0; i < count; i++)
        if (data[i] != 0.0f && data[i] > -1.17549435e-38f && data[i] < 1.17549435e-38f)
            data[i] = 0.0f;
}

static hf_status add_initializers(builder *b)
{
    for (int i = 0; i < b->src->initializer_count; i++) {
        const hf_onnx_tensor *src = &b->src->initializers[i];
        int id;
        hf_status status = add_tensor(b, src->name != NULL ? src->name : "", &id);
        if (status != HF_OK)
            return status;
        hf_rt_tensor *t = &b->m->tensors[id];
        t->shape = src->shape;
        t->dtype = src->data_type == HF_ONNX_FLOAT ? HF_RT_F32 : HF_RT_I64;
        t->storage = HF_RT_STORE_CONST;
        t->shaped = 1;
        t->data = hf_malloc(hf_rt_tensor_bytes(t));
        if (t->data == NULL)
            return HF_ERR_NO_MEMORY;
        memcpy(t->data, src->data, hf_rt_tensor_bytes(t));
        if (t->dtype == HF_RT_F32)
            flush_denormals(t->data, src->count);
    }
    return HF_OK;
}

/* Graph inputs that also have an initializer (old exporters list every
 * weight as an input) are constants; the rest are the model's inputs. */
static hf_status add_inputs(builder *b, const hf_rt_load_options *options)
{
    hf_rt_model *m = b->m;

    m->inputs = hf_malloc(((size_t)b->src->input_count + 1) * sizeof(int));
    if (m->inputs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < b->src->input_count; i++) {
        const hf_onnx_value *v = &b->src->inputs[i];
        int id;
        if (find_tensor(b, v->name) >= 0)
            continue;
        if (!v->has_shape || (v->elem_type != HF_ONNX_FLOAT && v->elem_type != 0)) {
            HF_LOGE("%s: input '%s' has no static float shape", m->label, v->name);
            return HF_ERR_UNSUPPORTED;
        }
        hf_status status = add_tensor(b, v->name, &id);
        if (status != HF_OK)
            return status;
        hf_rt_tensor *t = &m->tensors[id];
        t->shape = v->shape;
        /* An unnamed batch dimension is taken as 1. */
        if (t->shape.rank > 0 && t->shape.dims[0] < 0)
            t->shape.dims[0] = 1;
        if (m->input_count == 0 && options != NULL && options->input_height > 0 &&
            options->input_width > 0) {
            if (t->shape.rank != 4) {
                HF_LOGE("%s: input size override needs a 4-D input, '%s' has rank %d",
                        m->label, v->name, t->shape.rank);
                return HF_ERR_INVALID_ARG;
            }
            t->shape.dims[2] = options->input_height;
            t->shape.dims[3] = options->input_width;
        }
        for (int d = 0; d < t->shape.rank; d++)
            if (t->shape.dims[d] < 1 || t->shape.dims[d] > (1 << 20)) {
                HF_LOGE("%s: input '%s' dimension %d is %lld", m->label, v->name, d,
                        (long long)t->shape.dims[d]);
                return HF_ERR_UNSUPPORTED;
            }
        if (hf_rt_shape_elements(&t->shape) > HF_RT_MAX_ELEMENTS) {
            HF_LOGE("%s: input '%s' is too large", m->label, v->name);
            return HF_ERR_UNSUPPORTED;
        }
        t->dtype = HF_RT_F32;
        t->storage = HF_RT_STORE_INPUT;
        t->shaped = 1;
        t->input_index = m->input_count;
        m->inputs[m->input_count++] = id;
    }
    if (m->input_count == 0) {
        HF_LOGE("%s: the graph has no inputs", m->label);
        return HF_ERR_FORMAT;
    }
    return HF_OK;
}

/* Checks the op type and every attribute name against the op table. */
static hf_status check_node(const builder *b, const hf_onnx_node *src, int *op)
{
    const char *label = b->m->label;

    *op = src->domain == NULL || src->domain[0] == '\0' || strcmp(src->domain, "ai.onnx") == 0
              ? hf_rt_op_find(src->op_type)
              : -1;
    if (*op < 0) {
        HF_LOGE("%s: node '%s': op type '%s' (domain '%s') is not supported", label, src->name,
                src->op_type, src->domain != NULL ? src->domain : "");
        return HF_ERR_UNSUPPORTED;
    }
    const hf_rt_op_def *def = hf_rt_op_get(*op);
    for (int i = 0; i < src->attr_count; i++) {
        int known = 0;
        for (const char *const *a = def->attrs; *a != NULL && !known; a++)
            known = strcmp(*a, src->attrs[i].name) == 0;
        if (!known) {
            HF_LOGE("%s: node '%s' (%s): attribute '%s' is not supported", label, src->name,
                    src->op_type, src->attrs[i].name);
            return HF_ERR_UNSUPPORTED;
        }
    }
    if (src->input_count < def->min_inputs || src->input_count > def->max_inputs ||
        src->output_count < def->min_outputs || src->output_count > def->max_outputs) {
        HF_LOGE("%s: node '%s' (%s): %d inputs and %d outputs are not supported", label,
                src->name, src->op_type, src->input_count, src->output_count);
        return HF_ERR_UNSUPPORTED;
    }
    return HF_OK;
}

static hf_status add_node(builder *b, int index)
{
    const hf_onnx_node *src = &b->src->nodes[index];
    hf_rt_node *node = &b->m->nodes[index];
    hf_status status = check_node(b, src, &node->op);

    if (status != HF_OK)
        return status;
    node->name = hf_strdup(src->name);
    node->inputs = hf_malloc(((size_t)src->input_count + 1) * sizeof(int));
    node->outputs = hf_malloc(((size_t)src->output_count + 1) * sizeof(int));
    if (node->name == NULL || node->inputs == NULL || node->outputs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < src->input_count; i++) {
        const char *name = src->inputs[i];
        node->inputs[i] = name[0] == '\0' ? -1 : find_tensor(b, name);
        if (name[0] != '\0' && node->inputs[i] < 0) {
            HF_LOGE("%s: node '%s' (%s): input '%s' is not defined by an earlier node",
                    b->m->label, src->name, src->op_type, name);
            return HF_ERR_FORMAT;
        }
    }
    node->input_count = src->input_count;
    for (int i = 0; i < src->output_count; i++) {
        status = add_tensor(b, src->outputs[i], &node->outputs[i]);
        if (status != HF_OK)
            return status;
        b->m->tensors[node->outputs[i]].producer = index;
        node->output_count++;
    }
    return HF_OK;
}

static hf_status add_nodes(builder *b)
{
    b->m->nodes = hf_calloc((size_t)b->src->node_count + 1, sizeof(hf_rt_node));
    if (b->m->nodes == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < b->src->node_count; i++) {
        b->m->node_count = i + 1;
        hf_status status = add_node(b, i);
        if (status != HF_OK)
            return status;
    }
    return HF_OK;
}

static hf_status select_outputs(builder *b, const hf_rt_load_options *options)
{
    hf_rt_model *m = b->m;
    int cut = options != NULL && options->output_count > 0;
    int count = cut ? options->output_count : b->src->output_count;

    if (count < 1 || count > (1 << 16)) {
        HF_LOGE("%s: %d outputs requested", m->label, count);
        return cut ? HF_ERR_INVALID_ARG : HF_ERR_FORMAT;
    }
    m->outputs = hf_malloc((size_t)count * sizeof(int));
    if (m->outputs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < count; i++) {
        const char *name = cut ? options->output_names[i] : b->src->outputs[i].name;
        int id = name != NULL ? find_tensor(b, name) : -1;
        if (id < 0) {
            HF_LOGE("%s: output '%s' is not a tensor of the graph", m->label,
                    name != NULL ? name : "(null)");
            return cut ? HF_ERR_NOT_FOUND : HF_ERR_FORMAT;
        }
        m->outputs[m->output_count++] = id;
        m->tensors[id].is_output = 1;
    }
    return HF_OK;
}

/* Marks nodes no output depends on as dead. */
static hf_status mark_live(hf_rt_model *m)
{
    int *stack = hf_malloc(((size_t)m->tensor_count + 1) * sizeof(int));
    char *seen = hf_calloc((size_t)m->tensor_count + 1, 1);
    int top = 0;

    if (stack == NULL || seen == NULL) {
        hf_free(stack);
        hf_free(seen);
        return HF_ERR_NO_MEMORY;
    }
    for (int i = 0; i < m->node_count; i++)
        m->nodes[i].dead = 1;
    for (int i = 0; i < m->output_count; i++)
        if (!seen[m->outputs[i]]) {
            seen[m->outputs[i]] = 1;
            stack[top++] = m->outputs[i];
        }
    while (top > 0) {
        int producer = m->tensors[stack[--top]].producer;
        if (producer < 0 || !m->nodes[producer].dead)
            continue;
        hf_rt_node *node = &m->nodes[producer];
        node->dead = 0;
        for (int i = 0; i < node->input_count; i++) {
            int id = node->inputs[i];
            if (id >= 0 && !seen[id]) {
                seen[id] = 1;
                stack[top++] = id;
            }
        }
    }
    hf_free(stack);
    hf_free(seen);
    return HF_OK;
}

static int is_plan_kernel(hf_rt_kernel kernel)
{
    return kernel == hf_rt_kernel_conv || kernel == hf_rt_kernel_gemm ||
           kernel == hf_rt_kernel_matmul;
}

/* Runs a node whose inputs are all constant and keeps its outputs. */
static hf_status fold_node(hf_rt_model *m, hf_rt_node *node, void **ptrs)
{
    hf_rt_exec exec = {.model = m, .ptrs = ptrs};

    for (int i = 0; i < node->input_count; i++)
        if (node->inputs[i] >= 0)
            ptrs[node->inputs[i]] = m->tensors[node->inputs[i]].data;
    for (int i = 0; i < node->output_count; i++) {
        hf_rt_tensor *t = &m->tensors[node->outputs[i]];
        t->data = hf_malloc(hf_rt_tensor_bytes(t) + sizeof(int64_t));
        if (t->data == NULL)
            return HF_ERR_NO_MEMORY;
        t->storage = HF_RT_STORE_CONST;
        ptrs[node->outputs[i]] = t->data;
    }
    node->kernel(node, &exec);
    node->dead = 1;
    return HF_OK;
}

static int all_inputs_const(const hf_rt_model *m, const hf_rt_node *node)
{
    for (int i = 0; i < node->input_count; i++)
        if (node->inputs[i] >= 0 && m->tensors[node->inputs[i]].storage != HF_RT_STORE_CONST)
            return 0;
    return 1;
}

static hf_status infer_node(builder *b, int index, void **ptrs)
{
    hf_rt_model *m = b->m;
    hf_rt_node *node = &m->nodes[index];
    hf_rt_infer ctx = {.model = m, .src = &b->src->nodes[index]};
    const hf_rt_op_def *def = hf_rt_op_get(node->op);

    for (int i = 0; i < node->input_count; i++) {
        int id = node->inputs[i];
        if ((id < 0 && i < def->min_inputs) || (id >= 0 && !m->tensors[id].shaped)) {
            HF_LOGE("%s: node '%s' (%s): input %d is missing", m->label, node->name, def->name,
                    i);
            return HF_ERR_FORMAT;
        }
    }
    hf_status status = def->infer(&ctx, node);
    if (status != HF_OK)
        return status;
    if (m->tensors[node->outputs[0]].storage == HF_RT_STORE_CONST) {
        node->dead = 1; /* Constant, Shape, ConstantOfShape: computed by inference */
        return HF_OK;
    }
    if (node->kernel != NULL && !is_plan_kernel(node->kernel) && all_inputs_const(m, node))
        return fold_node(m, node, ptrs);
    return HF_OK;
}

static hf_status infer_all(builder *b)
{
    hf_rt_model *m = b->m;
    void **ptrs = hf_calloc((size_t)m->tensor_count + 1, sizeof(void *));
    hf_status status = HF_OK;

    if (ptrs == NULL)
        return HF_ERR_NO_MEMORY;
    for (int i = 0; i < m->node_count && status == HF_OK; i++)
        if (!m->nodes[i].dead)
            status = infer_node(b, i, ptrs);
    hf_free(ptrs);
    for (int i = 0; i < m->output_count && status == HF_OK; i++) {
        const hf_rt_tensor *t = &m->tensors[m->outputs[i]];
        if (!t->shaped || t->dtype != HF_RT_F32) {
            HF_LOGE("%s: output '%s' is not a float tensor", m->label, t->name);
            status = HF_ERR_UNSUPPORTED;
        }
    }
    return status;
}

static hf_status check_version(const hf_rt_model *m, const hf_onnx_model *src)
{
    if (src->ir_version < 3) {
        HF_LOGE("%s: ONNX IR version %lld is not supported (3 or later)", m->label,
                (long long)src->ir_version);
        return HF_ERR_UNSUPPORTED;
    }
    if (src->opset < 7 || src->opset > 17) {
        HF_LOGE("%s: opset %lld is not supported (7 to 17)", m->label, (long long)src->opset);
        return HF_ERR_UNSUPPORTED;
    }
    return HF_OK;
}

static hf_status build(hf_rt_model *m, const hf_onnx_model *src,
                       const hf_rt_load_options *options)
{
    builder b = {.m = m, .src = src};
    hf_status status = check_version(m, src);

    if (status == HF_OK)
        status = builder_init(&b);
    if (status == HF_OK)
        status = add_initializers(&b);
    if (status == HF_OK)
        status = add_inputs(&b, options);
    if (status == HF_OK)
        status = add_nodes(&b);
    if (status == HF_OK)
        status = select_outputs(&b, options);
    if (status == HF_OK)
        status = mark_live(m);
    if (status == HF_OK)
        status = infer_all(&b);
    if (status == HF_OK)
        status = hf_rt_passes_run(m);
    for (int i = 0; i < m->node_count && status == HF_OK; i++)
        if (!m->nodes[i].dead)
            status = hf_rt_node_make_plan(m, &m->nodes[i]);
    if (status == HF_OK)
        status = hf_rt_plan_memory(m);
    hf_free(b.slots);
    return status;
}

static void model_free(hf_rt_model *m)
{
    for (int i = 0; i < m->tensor_count; i++) {
        hf_free(m->tensors[i].name);
        hf_free(m->tensors[i].data);
    }
    hf_free(m->tensors);
    for (int i = 0; i < m->node_count; i++) {
        hf_rt_node *node = &m->nodes[i];
        hf_free(node->name);
        hf_free(node->inputs);
        hf_free(node->outputs);
        hf_free(node->weights);
        hf_free(node->bias);
        hf_free(node->slopes);
        hf_conv_plan_destroy(node->conv_plan);
        hf_gemm_plan_destroy(node->gemm_plan);
    }
    hf_free(m->nodes);
    hf_free(m->inputs);
    hf_free(m->outputs);
    hf_free(m->steps);
    hf_free(m->label);
    hf_free(m);
}

hf_status hf_rt_model_load(const void *bytes, size_t size, const hf_rt_load_options *options,
                           hf_rt_model **out)
{
    const char *label = options != NULL && options->label != NULL ? options->label : "model";
    hf_onnx_model *src = NULL;
    hf_rt_model *m = NULL;
    hf_status status;

    if (out == NULL || (bytes == NULL && size > 0) ||
        (options != NULL && options->output_count > 0 && options->output_names == NULL)) {
        HF_LOGE("%s: invalid argument to model load", label);
        return HF_ERR_INVALID_ARG;
    }
    status = hf_onnx_model_decode(bytes, size, &src);
    if (status != HF_OK) {
        HF_LOGE("%s: ONNX decoding of %zu bytes failed: %s", label, size,
                hf_status_message(status));
        return status;
    }
    m = hf_calloc(1, sizeof(*m));
    if (m == NULL || (m->label = hf_strdup(label)) == NULL) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    atomic_init(&m->refs, 1);
    m->opset = src->opset;
    status = build(m, src, options);

cleanup:
    hf_onnx_model_free(src);
    if (status != HF_OK) {
        if (status == HF_ERR_NO_MEMORY)
            HF_LOGE("%s: out of memory while loading the model", label);
        if (m != NULL)
            model_free(m);
        return status;
    }
    *out = m;
    return HF_OK;
}

hf_status hf_rt_model_load_file(const char *path, const hf_rt_load_options *options,
                                hf_rt_model **out)
{
    FILE *file;
    long size;
    void *bytes = NULL;
    hf_status status = HF_ERR_IO;

    if (path == NULL || out == NULL)
        return HF_ERR_INVALID_ARG;
    file = fopen(path, "rb");
    if (file == NULL) {
        HF_LOGE("cannot open model file '%s'", path);
        return HF_ERR_IO;
    }
    if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || fseek(file, 0, SEEK_SET) != 0)
        goto cleanup;
    bytes = hf_malloc((size_t)size + 1);
    if (bytes == NULL) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    if (fread(bytes, 1, (size_t)size, file) != (size_t)size)
        goto cleanup;
    status = hf_rt_model_load(bytes, (size_t)size, options, out);

cleanup:
    if (status == HF_ERR_IO)
        HF_LOGE("cannot read model file '%s'", path);
    fclose(file);
    hf_free(bytes);
    return status;
}

void hf_rt_model_release(hf_rt_model *model)
{
    if (model != NULL && atomic_fetch_sub(&model->refs, 1) == 1)
        model_free(model);
}

int hf_rt_model_input_count(const hf_rt_model *model)
{
    return model != NULL ? model->input_count : 0;
}

int hf_rt_model_output_count(const hf_rt_model *model)
{
    return model != NULL ? model->output_count : 0;
}

const char *hf_rt_model_input_name(const hf_rt_model *model, int index)
{
    if (model == NULL || index < 0 || index >= model->input_count)
        return NULL;
    return model->tensors[model->inputs[index]].name;
}

const char *hf_rt_model_output_name(const hf_rt_model *model, int index)
{
    if (model == NULL || index < 0 || index >= model->output_count)
        return NULL;
    return model->tensors[model->outputs[index]].name;
}

hf_status hf_rt_model_input_shape(const hf_rt_model *model, int index, hf_rt_shape *shape)
{
    if (model == NULL || shape == NULL || index < 0 || index >= model->input_count)
        return HF_ERR_INVALID_ARG;
    *shape = model->tensors[model->inputs[index]].shape;
    return HF_OK;
}

hf_status hf_rt_model_output_shape(const hf_rt_model *model, int index, hf_rt_shape *shape)
{
    if (model == NULL || shape == NULL || index < 0 || index >= model->output_count)
        return HF_ERR_INVALID_ARG;
    *shape = model->tensors[model->outputs[index]].shape;
    return HF_OK;
}

int64_t hf_rt_model_macs(const hf_rt_model *model)
{
    return model != NULL ? model->macs : 0;
}
