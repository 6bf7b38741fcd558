/* Protobuf wire-format decoder for the ONNX messages the runtime reads.
 *
 * Field numbers follow onnx.proto (ONNX 1.x):
 *   ModelProto:  ir_version 1, graph 7, opset_import 8
 *   GraphProto:  node 1, initializer 5, input 11, output 12
 *   NodeProto:   input 1, output 2, name 3, op_type 4, attribute 5, domain 7
 *   TensorProto: dims 1, data_type 2, float_data 4, int32_data 5,
 *                int64_data 7, name 8, raw_data 9, data_location 14
 * Unknown fields are skipped, as protobuf requires. */
#include "runtime/onnx_proto.h"

#include <string.h>

#include "base/alloc.h"
#include "base/log.h"

/* Largest tensor accepted: 2^28 elements (1 GiB of floats). */
#define HF_ONNX_MAX_ELEMENTS ((int64_t)1 << 28)
#define HF_ONNX_MAX_DIM ((int64_t)1 << 30)
#define HF_ONNX_MAX_ITEMS (1 << 20)

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5 };

typedef struct wire {
    const uint8_t *p;
    const uint8_t *end;
} wire;

typedef struct wire_field {
    uint32_t number;
    int type;
    uint64_t value;    /* varint and fixed values */
    wire bytes;        /* length-delimited payload */
} wire_field;

static hf_status read_varint(wire *w, uint64_t *out)
{
    uint64_t value = 0;

    for (int shift = 0; shift < 64; shift += 7) {
        if (w->p >= w->end)
            return HF_ERR_FORMAT;
        uint8_t byte = *w->p++;
        value |= (uint64_t)(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            *out = value;
            return HF_OK;
        }
    }
    return HF_ERR_FORMAT;
}

static hf_status read_fixed(wire *w, int bytes, uint64_t *out)
{
    uint64_t value = 0;

    if (w->end - w->p < bytes)
        return HF_ERR_FORMAT;
    for (int i = 0; i < bytes; i++)
        value |= (uint64_t)w->p[i] << (8 * i);
    w->p += bytes;
    *out = value;
    return HF_OK;
}

/* Reads the next field; returns HF_ERR_NOT_FOUND at the end of the message. */
static hf_status next_field(wire *w, wire_field *f)
{
    uint64_t key, length;
    hf_status status;

    if (w->p >= w->end)
        return HF_ERR_NOT_FOUND;
    status = read_varint(w, &key);
    if (status != HF_OK)
        return status;
    f->number = (uint32_t)(key >> 3);
    f->type = (int)(key & 7);
    if (f->number == 0 || key >> 3 > UINT32_MAX)
        return HF_ERR_FORMAT;
    switch (f->type) {
    case WIRE_VARINT: return read_varint(w, &f->value);
    case WIRE_FIXED64: return read_fixed(w, 8, &f->value);
    case WIRE_FIXED32: return read_fixed(w, 4, &f->value);
    case WIRE_BYTES:
        status = read_varint(w, &length);
        if (status != HF_OK)
            return status;
        if (length > (uint64_t)(w->end - w->p))
            return HF_ERR_FORMAT;
        f->bytes.p = w->p;
        f->bytes.end = w->p + length;
        w->p += length;
        return HF_OK;
    default: return HF_ERR_FORMAT;
    }
}

static hf_status copy_string(const wire_field *f, char **out)
{
    size_t length = (size_t)(f->bytes.end - f->bytes.p);
    char *text;

    if (f->type != WIRE_BYTES)
        return HF_ERR_FORMAT;
    if (memchr(f->bytes.p, '\0', length) != NULL)
        return HF_ERR_FORMAT;
    text = hf_malloc(length + 1);
    if (text == NULL)
        return HF_ERR_NO_MEMORY;
    memcpy(text, f->bytes.p, length);
    text[length] = '\0';
    hf_free(*out);
    *out = text;
    return HF_OK;
}

/* Grows *items (each `size` bytes) so that one more fits; zeroes the new slot. */
static hf_status grow(void **items, int *count, size_t size)
{
    void *bigger;

    if (*count >= HF_ONNX_MAX_ITEMS)
        return HF_ERR_FORMAT;
    /* Capacity doubles at powers of two, so a count is enough to know it. */
    if (*count == 0 || (*count & (*count - 1)) == 0) {
        size_t capacity = *count == 0 ? 1 : (size_t)*count * 2;
        bigger = hf_realloc(*items, capacity * size);
        if (bigger == NULL)
            return HF_ERR_NO_MEMORY;
        *items = bigger;
    }
    memset((char *)*items + (size_t)*count * size, 0, size);
    (*count)++;
    return HF_OK;
}

static hf_status append_string(char ***list, int *count, const wire_field *f)
{
    hf_status status = grow((void **)list, count, sizeof(char *));
    if (status != HF_OK)
        return status;
    return copy_string(f, &(*list)[*count - 1]);
}

/* Appends one varint or a packed run of varints to an int64 list. */
static hf_status append_varints(int64_t **list, int *count, const wire_field *f)
{
    hf_status status;

    if (f->type == WIRE_VARINT) {
        status = grow((void **)list, count, sizeof(int64_t));
        if (status == HF_OK)
            (*list)[*count - 1] = (int64_t)f->value;
        return status;
    }
    if (f->type != WIRE_BYTES)
        return HF_ERR_FORMAT;
    wire w = f->bytes;
    while (w.p < w.end) {
        uint64_t value;
        status = read_varint(&w, &value);
        if (status == HF_OK)
            status = grow((void **)list, count, sizeof(int64_t));
        if (status != HF_OK)
            return status;
        (*list)[*count - 1] = (int64_t)value;
    }
    return HF_OK;
}

static float bits_to_float(uint32_t bits)
{
    float value;
    memcpy(&value, &bits, sizeof(value));
    return value;
}

static hf_status append_floats(float **list, int *count, const wire_field *f)
{
    hf_status status;

    if (f->type == WIRE_FIXED32) {
        status = grow((void **)list, count, sizeof(float));
        if (status == HF_OK)
            (*list)[*count - 1] = bits_to_float((uint32_t)f->value);
        return status;
    }
    if (f->type != WIRE_BYTES || (f->bytes.end - f->bytes.p) % 4 != 0)
        return HF_ERR_FORMAT;
    for (const uint8_t *p = f->bytes.p; p < f->bytes.end; p += 4) {
        uint32_t bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                        (uint32_t)p[3] << 24;
        status = grow((void **)list, count, sizeof(float));
        if (status != HF_OK)
            return status;
        (*list)[*count - 1] = bits_to_float(bits);
    }
    return HF_OK;
}

/* Raw fields of a TensorProto gathered before conversion. */
typedef struct tensor_parts {
    int64_t *dims;
    int dim_count;
    int64_t data_type;
    float *floats;
    int float_count;
    int64_t *ints;
    int int_count;
    wire raw;
    int has_raw;
    int external;
} tensor_parts;

static hf_status collect_tensor(wire w, hf_onnx_tensor *t, tensor_parts *parts)
{
    wire_field f = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        switch (f.number) {
        case 1: status = append_varints(&parts->dims, &parts->dim_count, &f); break;
        case 2:
            if (f.type != WIRE_VARINT)
                return HF_ERR_FORMAT;
            parts->data_type = (int64_t)f.value;
            break;
        case 4: status = append_floats(&parts->floats, &parts->float_count, &f); break;
        case 5:
        case 7: status = append_varints(&parts->ints, &parts->int_count, &f); break;
        case 8: status = copy_string(&f, &t->name); break;
        case 9:
            if (f.type != WIRE_BYTES)
                return HF_ERR_FORMAT;
            parts->raw = f.bytes;
            parts->has_raw = 1;
            break;
        case 14: parts->external = f.type == WIRE_VARINT && f.value == 1; break;
        default: break;
        }
        if (status != HF_OK)
            return status;
    }
    return status == HF_ERR_NOT_FOUND ? HF_OK : status;
}

static hf_status tensor_shape_from_parts(const tensor_parts *parts, hf_onnx_tensor *t)
{
    int64_t count = 1;

    if (parts->dim_count > HF_RT_MAX_RANK)
        return HF_ERR_UNSUPPORTED;
    t->shape.rank = parts->dim_count;
    for (int i = 0; i < parts->dim_count; i++) {
        int64_t dim = parts->dims[i];
        if (dim < 0 || dim > HF_ONNX_MAX_DIM)
            return HF_ERR_FORMAT;
        t->shape.dims[i] = dim;
        count *= dim;
        if (count > HF_ONNX_MAX_ELEMENTS)
            return HF_ERR_UNSUPPORTED;
    }
    t->count = count;
    return HF_OK;
}

/* Converts raw_data (little-endian) or the typed lists into t->data. */
static hf_status tensor_data_from_parts(const tensor_parts *parts, hf_onnx_tensor *t)
{
    int64_t type = parts->data_type;
    size_t width = type == HF_ONNX_FLOAT || type == HF_ONNX_INT32 ? 4 : 8;
    size_t out_width = type == HF_ONNX_FLOAT ? sizeof(float) : sizeof(int64_t);
    int64_t stored = parts->has_raw              ? (parts->raw.end - parts->raw.p) / (int64_t)width
                     : type == HF_ONNX_FLOAT ? parts->float_count
                                             : parts->int_count;

    /* Checked before allocating, so a few bytes cannot request gigabytes. */
    if (stored != t->count ||
        (parts->has_raw && (size_t)(parts->raw.end - parts->raw.p) % width != 0))
        return HF_ERR_FORMAT;
    t->data = hf_malloc((size_t)t->count * out_width + 1);
    if (t->data == NULL)
        return HF_ERR_NO_MEMORY;
    if (parts->has_raw) {
        for (int64_t i = 0; i < t->count; i++) {
            const uint8_t *p = parts->raw.p + (size_t)i * width;
            uint64_t bits = 0;
            for (size_t b = 0; b < width; b++)
                bits |= (uint64_t)p[b] << (8 * b);
            if (type == HF_ONNX_FLOAT)
                ((float *)t->data)[i] = bits_to_float((uint32_t)bits);
            else if (type == HF_ONNX_INT32)
                ((int64_t *)t->data)[i] = (int32_t)(uint32_t)bits;
            else
                ((int64_t *)t->data)[i] = (int64_t)bits;
        }
    } else if (type == HF_ONNX_FLOAT) {
        if (t->count > 0)
            memcpy(t->data, parts->floats, (size_t)t->count * sizeof(float));
    } else {
        for (int64_t i = 0; i < t->count; i++)
            ((int64_t *)t->data)[i] =
                type == HF_ONNX_INT32 ? (int32_t)parts->ints[i] : parts->ints[i];
    }
    t->data_type = type == HF_ONNX_FLOAT ? HF_ONNX_FLOAT : HF_ONNX_INT64;
    return HF_OK;
}

static hf_status decode_tensor(wire w, hf_onnx_tensor *t)
{
    tensor_parts parts = {0};
    hf_status status = collect_tensor(w, t, &parts);

    if (status == HF_OK && parts.external) {
        HF_LOGE("tensor '%s' keeps its data in an external file, which is not supported",
                t->name != NULL ? t->name : "");
        status = HF_ERR_UNSUPPORTED;
    }
    if (status == HF_OK && parts.data_type != HF_ONNX_FLOAT && parts.data_type != HF_ONNX_INT32 &&
        parts.data_type != HF_ONNX_INT64) {
        HF_LOGE("tensor '%s' has data type %lld; only float, int32 and int64 are supported",
                t->name != NULL ? t->name : "", (long long)parts.data_type);
        status = HF_ERR_UNSUPPORTED;
    }
    if (status == HF_OK)
        status = tensor_shape_from_parts(&parts, t);
    if (status == HF_OK)
        status = tensor_data_from_parts(&parts, t);
    hf_free(parts.dims);
    hf_free(parts.floats);
    hf_free(parts.ints);
    return status;
}

static void tensor_clear(hf_onnx_tensor *t)
{
    hf_free(t->name);
    hf_free(t->data);
}

static hf_status decode_attr(wire w, hf_onnx_attr *a)
{
    wire_field f = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        switch (f.number) {
        case 1: status = copy_string(&f, &a->name); break;
        case 2:
            if (f.type != WIRE_FIXED32)
                return HF_ERR_FORMAT;
            a->f = bits_to_float((uint32_t)f.value);
            break;
        case 3:
            if (f.type != WIRE_VARINT)
                return HF_ERR_FORMAT;
            a->i = (int64_t)f.value;
            break;
        case 4: status = copy_string(&f, &a->s); break;
        case 5:
            if (f.type != WIRE_BYTES || a->t != NULL)
                return HF_ERR_FORMAT;
            a->t = hf_calloc(1, sizeof(*a->t));
            if (a->t == NULL)
                return HF_ERR_NO_MEMORY;
            status = decode_tensor(f.bytes, a->t);
            break;
        case 7: status = append_floats(&a->floats, &a->floats_count, &f); break;
        case 8: status = append_varints(&a->ints, &a->ints_count, &f); break;
        case 20:
            if (f.type != WIRE_VARINT)
                return HF_ERR_FORMAT;
            a->type = (int)f.value;
            break;
        default: break;
        }
        if (status != HF_OK)
            return status;
    }
    if (status != HF_ERR_NOT_FOUND)
        return status;
    return a->name != NULL ? HF_OK : HF_ERR_FORMAT;
}

static void attr_clear(hf_onnx_attr *a)
{
    hf_free(a->name);
    hf_free(a->s);
    if (a->t != NULL)
        tensor_clear(a->t);
    hf_free(a->t);
    hf_free(a->ints);
    hf_free(a->floats);
}

static hf_status decode_node(wire w, hf_onnx_node *n)
{
    wire_field f = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        switch (f.number) {
        case 1: status = append_string(&n->inputs, &n->input_count, &f); break;
        case 2: status = append_string(&n->outputs, &n->output_count, &f); break;
        case 3: status = copy_string(&f, &n->name); break;
        case 4: status = copy_string(&f, &n->op_type); break;
        case 5:
            if (f.type != WIRE_BYTES)
                return HF_ERR_FORMAT;
            status = grow((void **)&n->attrs, &n->attr_count, sizeof(hf_onnx_attr));
            if (status == HF_OK)
                status = decode_attr(f.bytes, &n->attrs[n->attr_count - 1]);
            break;
        case 7: status = copy_string(&f, &n->domain); break;
        default: break;
        }
        if (status != HF_OK)
            return status;
    }
    if (status != HF_ERR_NOT_FOUND)
        return status;
    if (n->op_type == NULL)
        return HF_ERR_FORMAT;
    if (n->name == NULL) {
        n->name = hf_strdup("");
        if (n->name == NULL)
            return HF_ERR_NO_MEMORY;
    }
    return HF_OK;
}

static void node_clear(hf_onnx_node *n)
{
    hf_free(n->op_type);
    hf_free(n->name);
    hf_free(n->domain);
    for (int i = 0; i < n->input_count; i++)
        hf_free(n->inputs[i]);
    hf_free(n->inputs);
    for (int i = 0; i < n->output_count; i++)
        hf_free(n->outputs[i]);
    hf_free(n->outputs);
    for (int i = 0; i < n->attr_count; i++)
        attr_clear(&n->attrs[i]);
    hf_free(n->attrs);
}

/* TensorShapeProto.Dimension: dim_value 1, dim_param 2. */
static hf_status decode_dim(wire w, int64_t *dim)
{
    wire_field f = {0};
    hf_status status;

    *dim = -1;
    while ((status = next_field(&w, &f)) == HF_OK)
        if (f.number == 1 && f.type == WIRE_VARINT)
            *dim = (int64_t)f.value;
    return status == HF_ERR_NOT_FOUND ? HF_OK : status;
}

/* TypeProto.tensor_type (1) -> elem_type 1, shape 2 -> dim 1. */
static hf_status decode_tensor_type(wire w, hf_onnx_value *v)
{
    wire_field f = {0}, g = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        if (f.number == 1 && f.type == WIRE_VARINT) {
            v->elem_type = (int)f.value;
        } else if (f.number == 2 && f.type == WIRE_BYTES) {
            wire s = f.bytes;
            v->has_shape = 1;
            while ((status = next_field(&s, &g)) == HF_OK) {
                if (g.number != 1 || g.type != WIRE_BYTES)
                    continue;
                if (v->shape.rank >= HF_RT_MAX_RANK)
                    return HF_ERR_UNSUPPORTED;
                status = decode_dim(g.bytes, &v->shape.dims[v->shape.rank++]);
                if (status != HF_OK)
                    return status;
            }
            if (status != HF_ERR_NOT_FOUND)
                return status;
        }
    }
    return status == HF_ERR_NOT_FOUND ? HF_OK : status;
}

static hf_status decode_value(wire w, hf_onnx_value *v)
{
    wire_field f = {0}, g = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        if (f.number == 1) {
            status = copy_string(&f, &v->name);
        } else if (f.number == 2 && f.type == WIRE_BYTES) {
            wire t = f.bytes;
            while ((status = next_field(&t, &g)) == HF_OK)
                if (g.number == 1 && g.type == WIRE_BYTES) {
                    status = decode_tensor_type(g.bytes, v);
                    if (status != HF_OK)
                        break;
                }
            if (status == HF_ERR_NOT_FOUND)
                status = HF_OK;
        }
        if (status != HF_OK)
            return status;
    }
    if (status != HF_ERR_NOT_FOUND)
        return status;
    return v->name != NULL ? HF_OK : HF_ERR_FORMAT;
}

static hf_status decode_graph(wire w, hf_onnx_model *m)
{
    wire_field f = {0};
    hf_status status;

    while ((status = next_field(&w, &f)) == HF_OK) {
        if ((f.number == 1 || f.number == 5 || f.number == 11 || f.number == 12) &&
            f.type != WIRE_BYTES)
            return HF_ERR_FORMAT;
        switch (f.number) {
        case 1:
            status = grow((void **)&m->nodes, &m->node_count, sizeof(hf_onnx_node));
            if (status == HF_OK)
                status = decode_node(f.bytes, &m->nodes[m->node_count - 1]);
            break;
        case 5:
            status = grow((void **)&m->initializers, &m->initializer_count,
                          sizeof(hf_onnx_tensor));
            if (status == HF_OK)
                status = decode_tensor(f.bytes, &m->initializers[m->initializer_count - 1]);
            break;
        case 11:
            status = grow((void **)&m->inputs, &m->input_count, sizeof(hf_onnx_value));
            if (status == HF_OK)
                status = decode_value(f.bytes, &m->inputs[m->input_count - 1]);
            break;
        case 12:
            status = grow((void **)&m->outputs, &m->output_count, sizeof(hf_onnx_value));
            if (status == HF_OK)
                status = decode_value(f.bytes, &m->outputs[m->output_count - 1]);
            break;
        default: break;
        }
        if (status != HF_OK)
            return status;
    }
    return status == HF_ERR_NOT_FOUND ? HF_OK : status;
}

/* OperatorSetIdProto: domain 1, version 2. */
static hf_status decode_opset(wire w, hf_onnx_model *m)
{
    wire_field f = {0};
    hf_status status;
    int default_domain = 1;
    int64_t version = 0;

    while ((status = next_field(&w, &f)) == HF_OK) {
        if (f.number == 1 && f.type == WIRE_BYTES) {
            size_t length = (size_t)(f.bytes.end - f.bytes.p);
            default_domain = length == 0 || (length == 7 && memcmp(f.bytes.p, "ai.onnx", 7) == 0);
        } else if (f.number == 2 && f.type == WIRE_VARINT) {
            version = (int64_t)f.value;
        }
    }
    if (status != HF_ERR_NOT_FOUND)
        return status;
    if (default_domain)
        m->opset = version;
    return HF_OK;
}

static hf_status decode_model(wire w, hf_onnx_model *m)
{
    wire_field f = {0};
    hf_status status;
    int graphs = 0;

    while ((status = next_field(&w, &f)) == HF_OK) {
        if (f.number == 1 && f.type == WIRE_VARINT) {
            m->ir_version = (int64_t)f.value;
        } else if (f.number == 8 && f.type == WIRE_BYTES) {
            status = decode_opset(f.bytes, m);
        } else if (f.number == 7 && f.type == WIRE_BYTES) {
            if (graphs++ > 0)
                return HF_ERR_FORMAT;
            status = decode_graph(f.bytes, m);
        }
        if (status != HF_OK)
            return status;
    }
    if (status != HF_ERR_NOT_FOUND)
        return status;
    return graphs == 1 ? HF_OK : HF_ERR_FORMAT;
}

hf_status hf_onnx_model_decode(const uint8_t *bytes, size_t size, hf_onnx_model **out)
{
    hf_onnx_model *m;
    hf_status status;
    wire w = {bytes, bytes + size};

    if (bytes == NULL || size == 0 || out == NULL)
        return HF_ERR_FORMAT;
    m = hf_calloc(1, sizeof(*m));
    if (m == NULL)
        return HF_ERR_NO_MEMORY;
    status = decode_model(w, m);
    if (status != HF_OK) {
        hf_onnx_model_free(m);
        return status;
    }
    *out = m;
    return HF_OK;
}

void hf_onnx_model_free(hf_onnx_model *m)
{
    if (m == NULL)
        return;
    for (int i = 0; i < m->node_count; i++)
        node_clear(&m->nodes[i]);
    hf_free(m->nodes);
    for (int i = 0; i < m->initializer_count; i++)
        tensor_clear(&m->initializers[i]);
    hf_free(m->initializers);
    for (int i = 0; i < m->input_count; i++)
        hf_free(m->inputs[i].name);
    hf_free(m->inputs);
    for (int i = 0; i < m->output_count; i++)
        hf_free(m->outputs[i].name);
    hf_free(m->outputs);
    hf_free(m);
}

const hf_onnx_attr *hf_onnx_node_attr(const hf_onnx_node *node, const char *name)
{
    for (int i = 0; i < node->attr_count; i++)
        if (strcmp(node->attrs[i].name, name) == 0)
            return &node->attrs[i];
    return NULL;
}
