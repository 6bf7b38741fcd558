/* Decoded ONNX messages: the parts of ModelProto, GraphProto, NodeProto,
 * TensorProto, AttributeProto and ValueInfoProto that the runtime uses.
 *
 * The decoder reads the protobuf wire format directly and checks every
 * length against the buffer, so truncated or corrupted files give
 * HF_ERR_FORMAT. Tensor data is converted on decoding: FLOAT stays float,
 * INT64 and INT32 become int64. Private to src/runtime. */
#ifndef HF_RUNTIME_ONNX_PROTO_H
#define HF_RUNTIME_ONNX_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "runtime/runtime.h"

/* TensorProto.DataType values the runtime accepts. */
#define HF_ONNX_FLOAT 1
#define HF_ONNX_INT32 6
#define HF_ONNX_INT64 7

/* AttributeProto.AttributeType values. */
#define HF_ONNX_ATTR_FLOAT 1
#define HF_ONNX_ATTR_INT 2
#define HF_ONNX_ATTR_STRING 3
#define HF_ONNX_ATTR_TENSOR 4
#define HF_ONNX_ATTR_FLOATS 6
#define HF_ONNX_ATTR_INTS 7

typedef struct hf_onnx_tensor {
    char *name;
    int data_type; /* HF_ONNX_FLOAT or HF_ONNX_INT64 after decoding */
    hf_rt_shape shape;
    int64_t count;
    void *data; /* count floats or int64 values */
} hf_onnx_tensor;

typedef struct hf_onnx_attr {
    char *name;
    int type;
    float f;
    int64_t i;
    char *s;
    hf_onnx_tensor *t;
    int64_t *ints;
    int ints_count;
    float *floats;
    int floats_count;
} hf_onnx_attr;

typedef struct hf_onnx_node {
    char *op_type;
    char *name;
    char *domain;
    char **inputs;
    int input_count;
    char **outputs;
    int output_count;
    hf_onnx_attr *attrs;
    int attr_count;
} hf_onnx_node;

typedef struct hf_onnx_value {
    char *name;
    int elem_type;
    int has_shape;
    hf_rt_shape shape; /* unknown dimensions are -1 */
} hf_onnx_value;

typedef struct hf_onnx_model {
    int64_t ir_version;
    int64_t opset; /* version of the default ("" or "ai.onnx") domain */
    hf_onnx_node *nodes;
    int node_count;
    hf_onnx_tensor *initializers;
    int initializer_count;
    hf_onnx_value *inputs;
    int input_count;
    hf_onnx_value *outputs;
    int output_count;
} hf_onnx_model;

/* Decodes a serialized ModelProto. */
HF_MUST_CHECK hf_status hf_onnx_model_decode(const uint8_t *bytes, size_t size,
                                             hf_onnx_model **out);
void hf_onnx_model_free(hf_onnx_model *model);

/* Returns the attribute called `name` of a node, or NULL. */
const hf_onnx_attr *hf_onnx_node_attr(const hf_onnx_node *node, const char *name);

#endif
