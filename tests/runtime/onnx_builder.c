#include "onnx_builder.h"

#include <stdlib.h>
#include <string.h>

static void pb_reserve(pb_buf *b, size_t extra)
{
    if (b->size + extra <= b->capacity)
        return;
    size_t capacity = b->capacity ? b->capacity : 256;
    while (capacity < b->size + extra)
        capacity *= 2;
    b->data = realloc(b->data, capacity);
    if (b->data == NULL)
        abort();
    b->capacity = capacity;
}

void pb_varint(pb_buf *b, uint64_t value)
{
    pb_reserve(b, 10);
    do {
        unsigned char byte = value & 0x7f;
        value >>= 7;
        b->data[b->size++] = byte | (value ? 0x80 : 0);
    } while (value);
}

void pb_tag(pb_buf *b, int field, int wire_type)
{
    pb_varint(b, (uint64_t)field << 3 | (uint64_t)wire_type);
}

void pb_bytes(pb_buf *b, int field, const void *data, size_t size)
{
    pb_tag(b, field, 2);
    pb_varint(b, size);
    pb_reserve(b, size);
    if (size > 0)
        memcpy(b->data + b->size, data, size);
    b->size += size;
}

void pb_string(pb_buf *b, int field, const char *text)
{
    pb_bytes(b, field, text, strlen(text));
}

void pb_int(pb_buf *b, int field, int64_t value)
{
    pb_tag(b, field, 0);
    pb_varint(b, (uint64_t)value);
}

void pb_float(pb_buf *b, int field, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, 4);
    pb_tag(b, field, 5);
    pb_reserve(b, 4);
    for (int i = 0; i < 4; i++)
        b->data[b->size++] = (unsigned char)(bits >> (8 * i));
}

void pb_free(pb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->size = b->capacity = 0;
}

static void pb_message(pb_buf *b, int field, pb_buf *sub)
{
    pb_bytes(b, field, sub->data, sub->size);
    pb_free(sub);
}

void tb_init(test_builder *tb, int64_t opset)
{
    memset(tb, 0, sizeof(*tb));
    tb->opset = opset;
    tb->ir_version = 7;
}

/* ValueInfoProto { name 1, type 2 { tensor_type 1 { elem_type 1, shape 2 { dim 1 { value 1 }}}}} */
static void value_info(test_builder *tb, int field, const char *name, int rank,
                       const int64_t *dims)
{
    pb_buf value = {0}, type = {0}, tensor = {0}, shape = {0};

    for (int i = 0; i < rank; i++) {
        pb_buf dim = {0};
        pb_int(&dim, 1, dims[i]);
        pb_message(&shape, 1, &dim);
    }
    pb_int(&tensor, 1, 1);
    if (dims != NULL)
        pb_message(&tensor, 2, &shape);
    pb_message(&type, 1, &tensor);
    pb_string(&value, 1, name);
    pb_message(&value, 2, &type);
    pb_message(&tb->graph, field, &value);
}

void tb_input(test_builder *tb, const char *name, int rank, const int64_t *dims)
{
    value_info(tb, 11, name, rank, dims);
}

void tb_output(test_builder *tb, const char *name)
{
    value_info(tb, 12, name, 0, NULL);
}

static void tensor_proto(pb_buf *t, const char *name, int rank, const int64_t *dims, int type,
                         const void *data, size_t elem)
{
    size_t count = 1;
    for (int i = 0; i < rank; i++) {
        pb_int(t, 1, dims[i]);
        count *= (size_t)dims[i];
    }
    pb_int(t, 2, type);
    pb_string(t, 8, name);
    pb_bytes(t, 9, data, count * elem);
}

void tb_init_float(test_builder *tb, const char *name, int rank, const int64_t *dims,
                   const float *data)
{
    pb_buf t = {0};
    tensor_proto(&t, name, rank, dims, 1, data, sizeof(float));
    pb_message(&tb->graph, 5, &t);
}

void tb_init_int64(test_builder *tb, const char *name, int rank, const int64_t *dims,
                   const int64_t *data)
{
    pb_buf t = {0};
    tensor_proto(&t, name, rank, dims, 7, data, sizeof(int64_t));
    pb_message(&tb->graph, 5, &t);
}

static size_t dims_proto(pb_buf *t, int rank, const int64_t *dims)
{
    size_t count = 1;
    for (int i = 0; i < rank; i++) {
        pb_int(t, 1, dims[i]);
        count *= (size_t)dims[i];
    }
    return count;
}

void tb_init_float_list(test_builder *tb, const char *name, int rank, const int64_t *dims,
                        const float *data)
{
    pb_buf t = {0};
    size_t count = dims_proto(&t, rank, dims);

    pb_int(&t, 2, 1);
    pb_string(&t, 8, name);
    pb_bytes(&t, 4, data, count * sizeof(float));
    pb_message(&tb->graph, 5, &t);
}

void tb_init_int64_list(test_builder *tb, const char *name, int rank, const int64_t *dims,
                        const int64_t *data)
{
    pb_buf t = {0};
    size_t count = dims_proto(&t, rank, dims);

    pb_int(&t, 2, 7);
    pb_string(&t, 8, name);
    for (size_t i = 0; i < count; i++)
        pb_int(&t, 7, data[i]);
    pb_message(&tb->graph, 5, &t);
}

static void name_list(pb_buf *node, int field, const char *list)
{
    const char *p = list;

    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t length = comma ? (size_t)(comma - p) : strlen(p);
        pb_bytes(node, field, p, length);
        p = comma ? comma + 1 : NULL;
    }
}

static void attribute(pb_buf *node, const tb_attr *a)
{
    pb_buf attr = {0};

    pb_string(&attr, 1, a->name);
    switch (a->kind) {
    case TB_INT:
        pb_int(&attr, 3, a->i);
        pb_int(&attr, 20, 2);
        break;
    case TB_FLOAT:
        pb_float(&attr, 2, a->f);
        pb_int(&attr, 20, 1);
        break;
    case TB_INTS:
        for (int i = 0; i < a->count; i++)
            pb_int(&attr, 8, a->ints[i]);
        pb_int(&attr, 20, 7);
        break;
    case TB_STRING:
        pb_string(&attr, 4, a->s);
        pb_int(&attr, 20, 3);
        break;
    }
    pb_message(node, 5, &attr);
}

void tb_node(test_builder *tb, const char *op, const char *inputs, const char *outputs,
             const tb_attr *attrs, int attr_count)
{
    pb_buf node = {0};

    name_list(&node, 1, inputs);
    name_list(&node, 2, outputs);
    pb_string(&node, 3, op);
    pb_string(&node, 4, op);
    for (int i = 0; i < attr_count; i++)
        attribute(&node, &attrs[i]);
    pb_message(&tb->graph, 1, &node);
}

pb_buf tb_finish(test_builder *tb)
{
    pb_buf model = {0}, opset = {0};

    pb_int(&model, 1, tb->ir_version);
    pb_string(&opset, 1, "");
    pb_int(&opset, 2, tb->opset);
    pb_message(&model, 8, &opset);
    pb_string(&tb->graph, 2, "test");
    pb_message(&model, 7, &tb->graph);
    return model;
}
