/* A small protobuf writer that builds ONNX models in memory for tests:
 * one graph, float or int64 initializers, nodes with int, float, ints and
 * string attributes. */
#ifndef HF_TESTS_RUNTIME_ONNX_BUILDER_H
#define HF_TESTS_RUNTIME_ONNX_BUILDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct pb_buf {
    unsigned char *data;
    size_t size, capacity;
} pb_buf;

void pb_varint(pb_buf *b, uint64_t value);
void pb_tag(pb_buf *b, int field, int wire_type);
void pb_bytes(pb_buf *b, int field, const void *data, size_t size);
void pb_string(pb_buf *b, int field, const char *text);
void pb_int(pb_buf *b, int field, int64_t value);
void pb_float(pb_buf *b, int field, float value);
void pb_free(pb_buf *b);

typedef enum tb_attr_kind { TB_INT, TB_FLOAT, TB_INTS, TB_STRING } tb_attr_kind;

typedef struct tb_attr {
    const char *name;
    tb_attr_kind kind;
    int64_t i;
    float f;
    const int64_t *ints;
    int count;
    const char *s;
} tb_attr;

#define TB_ATTR_INT(n, v) ((tb_attr){.name = (n), .kind = TB_INT, .i = (v)})
#define TB_ATTR_FLOAT(n, v) ((tb_attr){.name = (n), .kind = TB_FLOAT, .f = (v)})
#define TB_ATTR_INTS(n, ...)                                                               \
    ((tb_attr){.name = (n), .kind = TB_INTS, .ints = (const int64_t[]){__VA_ARGS__},      \
               .count = sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)})
#define TB_ATTR_STRING(n, v) ((tb_attr){.name = (n), .kind = TB_STRING, .s = (v)})

typedef struct test_builder {
    pb_buf graph;
    int64_t opset;
    int64_t ir_version;
} test_builder;

void tb_init(test_builder *tb, int64_t opset);
/* Declares a float graph input or output with a static shape. */
void tb_input(test_builder *tb, const char *name, int rank, const int64_t *dims);
void tb_output(test_builder *tb, const char *name);
void tb_init_float(test_builder *tb, const char *name, int rank, const int64_t *dims,
                   const float *data);
void tb_init_int64(test_builder *tb, const char *name, int rank, const int64_t *dims,
                   const int64_t *data);
/* Same, with the values in the typed lists (float_data packed, int64_data
 * as separate varints) instead of raw_data, as some exporters write them. */
void tb_init_float_list(test_builder *tb, const char *name, int rank, const int64_t *dims,
                        const float *data);
void tb_init_int64_list(test_builder *tb, const char *name, int rank, const int64_t *dims,
                        const int64_t *data);
/* inputs and outputs are comma-separated names ("x,,w" leaves one empty). */
void tb_node(test_builder *tb, const char *op, const char *inputs, const char *outputs,
             const tb_attr *attrs, int attr_count);
/* Returns the serialized ModelProto; the caller frees it with pb_free. */
pb_buf tb_finish(test_builder *tb);

#endif
