/* The runtime's own graph: tensors with static shapes, nodes bound to op
 * definitions, and the execution context the op kernels run in. Built from
 * a decoded ONNX model by model.c; private to src/runtime. */
#ifndef HF_RUNTIME_GRAPH_H
#define HF_RUNTIME_GRAPH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "base/threadpool.h"
#include "runtime/kernels/kernels.h"
#include "runtime/onnx_proto.h"
#include "runtime/runtime.h"

/* Largest tensor the runtime creates, in elements (256 MiB of floats); the
 * face models stay below 2^21. */
#define HF_RT_MAX_ELEMENTS ((int64_t)1 << 26)

/* Widest input row and widest column padding pooling accepts: its kernels
 * keep one padded row on the stack. */
#define HF_RT_POOL_ROW_MAX 2048
#define HF_RT_POOL_PAD_MAX 64

typedef enum hf_rt_dtype {
    HF_RT_F32 = 0,
    HF_RT_I64 = 1, /* only in constants: shape arithmetic folded at load */
} hf_rt_dtype;

typedef enum hf_rt_storage {
    HF_RT_STORE_NONE = 0,
    HF_RT_STORE_CONST,  /* data owned by the model */
    HF_RT_STORE_INPUT,  /* per-instance input buffer */
    HF_RT_STORE_ARENA,  /* offset into the instance arena */
    HF_RT_STORE_VIEW,   /* same bytes as tensor view_of */
} hf_rt_storage;

typedef struct hf_rt_tensor {
    char *name;
    hf_rt_shape shape;
    hf_rt_dtype dtype;
    hf_rt_storage storage;
    int shaped;      /* shape known (inferred) */
    void *data;      /* HF_RT_STORE_CONST */
    int producer;    /* node index, or -1 */
    int view_of;     /* HF_RT_STORE_VIEW */
    size_t view_offset; /* HF_RT_STORE_VIEW: bytes into view_of (a Concat slice) */
    int input_index; /* HF_RT_STORE_INPUT */
    size_t offset;   /* HF_RT_STORE_ARENA */
    int is_output;
} hf_rt_tensor;

struct hf_rt_node;
struct hf_rt_exec;

typedef void (*hf_rt_kernel)(const struct hf_rt_node *node, struct hf_rt_exec *exec);

/* Parameters every op may use; each op fills what it needs at inference. */
typedef struct hf_rt_params {
    int axis;
    int keepdims;
    int trans_b;
    int count;                    /* entries used in ints */
    int64_t ints[2 * HF_RT_MAX_RANK];
    int64_t starts[HF_RT_MAX_RANK], ends[HF_RT_MAX_RANK], steps[HF_RT_MAX_RANK];
    float alpha, beta, epsilon, value;
    float clip_min, clip_max;
    int kernel[2], stride[2], dilation[2], pads[4];
    int count_include_pad;
} hf_rt_params;

typedef struct hf_rt_node {
    int op;          /* index into the op table */
    char *name;
    int *inputs;     /* tensor ids; -1 for an omitted optional input */
    int input_count;
    int *outputs;
    int output_count;
    int dead;
    hf_rt_kernel kernel;
    hf_rt_params p;
    /* Conv and Gemm: weights owned by the node until the plan is made. */
    hf_conv_desc conv;
    float *weights, *bias, *slopes;
    int has_residual; /* Conv: inputs[1] is the residual */
    int64_t macs;     /* Conv, Gemm, MatMul: multiply-accumulates of one run */
    hf_conv_plan *conv_plan;
    hf_gemm_desc gemm;
    hf_gemm_plan *gemm_plan;
} hf_rt_node;

struct hf_rt_model {
    atomic_int refs; /* the caller's handle plus one per instance */
    char *label;
    hf_rt_tensor *tensors;
    int tensor_count;
    hf_rt_node *nodes;
    int node_count;
    int *inputs;
    int input_count;
    int *outputs;
    int output_count;
    int *steps; /* live non-constant nodes in run order */
    int step_count;
    size_t arena_bytes;
    int64_t macs;
    int64_t opset;
};

/* Where every tensor's bytes are during one run (or during folding). */
typedef struct hf_rt_exec {
    const struct hf_rt_model *model;
    void **ptrs;   /* one per tensor */
    void *scratch; /* for conv and gemm plans */
    hf_threadpool *pool;
} hf_rt_exec;

static inline float *hf_rt_exec_f32(const hf_rt_exec *exec, int tensor)
{
    return (float *)exec->ptrs[tensor];
}

static inline const hf_rt_shape *hf_rt_exec_shape(const hf_rt_exec *exec, int tensor)
{
    return &exec->model->tensors[tensor].shape;
}

/* Context passed to op inference: the model under construction. */
typedef struct hf_rt_infer {
    hf_rt_model *model;
    const hf_onnx_node *src; /* the ONNX node, for attributes */
} hf_rt_infer;

typedef hf_status (*hf_rt_infer_fn)(hf_rt_infer *ctx, hf_rt_node *node);

typedef struct hf_rt_op_def {
    const char *name;
    const char *const *attrs; /* accepted attribute names, NULL-terminated */
    int min_inputs, max_inputs;
    int min_outputs, max_outputs;
    hf_rt_infer_fn infer; /* checks, sets output shapes, params, kernel */
    int view;             /* output shares the input's bytes */
} hf_rt_op_def;

/* Returns the op index for an op type, or -1. */
int hf_rt_op_find(const char *op_type);
const hf_rt_op_def *hf_rt_op_get(int op);

/* Helpers for infer functions (ops_infer.c). */
const hf_rt_tensor *hf_rt_in(const hf_rt_infer *ctx, const hf_rt_node *node, int index);
hf_rt_tensor *hf_rt_out(hf_rt_infer *ctx, const hf_rt_node *node, int index);
hf_status hf_rt_set_output(hf_rt_infer *ctx, const hf_rt_node *node, int index,
                           const hf_rt_shape *shape, hf_rt_dtype dtype);
int64_t hf_rt_attr_int(const hf_rt_infer *ctx, const char *name, int64_t fallback);
float hf_rt_attr_float(const hf_rt_infer *ctx, const char *name, float fallback);
/* Reads an ints attribute into out (at most max); returns the count or -1. */
int hf_rt_attr_ints(const hf_rt_infer *ctx, const char *name, int64_t *out, int max);
/* Reads a constant int64 input into out; returns the count or -1. */
int hf_rt_const_ints(const hf_rt_infer *ctx, const hf_rt_node *node, int index, int64_t *out,
                     int max);
void hf_rt_log_node_error(const hf_rt_infer *ctx, const hf_rt_node *node, const char *what);

/* Element sizes and counts. */
size_t hf_rt_dtype_size(hf_rt_dtype dtype);
size_t hf_rt_tensor_bytes(const hf_rt_tensor *tensor);

/* Kernels of the non-convolution ops (op_*.c). */
void hf_rt_kernel_unary(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_binary(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_batchnorm(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_softmax(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_pool(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_global_pool(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_reduce_mean(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_concat(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_split(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_slice(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_transpose(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_pad(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_gather(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_shape(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_constant_of_shape(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_copy(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_conv(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_gemm(const hf_rt_node *node, hf_rt_exec *exec);
void hf_rt_kernel_matmul(const hf_rt_node *node, hf_rt_exec *exec);

/* Unary op codes stored in params.count for hf_rt_kernel_unary and binary
 * op codes for hf_rt_kernel_binary. */
enum { HF_RT_UNARY_RELU, HF_RT_UNARY_SIGMOID, HF_RT_UNARY_TANH, HF_RT_UNARY_EXP,
       HF_RT_UNARY_CLIP };
enum { HF_RT_BINARY_ADD, HF_RT_BINARY_SUB, HF_RT_BINARY_MUL, HF_RT_BINARY_DIV,
       HF_RT_BINARY_PRELU };

/* Conv/Gemm plan creation once weights are final (op_conv.c). */
HF_MUST_CHECK hf_status hf_rt_node_make_plan(hf_rt_model *model, hf_rt_node *node);
size_t hf_rt_node_scratch_bytes(const hf_rt_node *node, int threads);

/* The instance's choice of which layers to split over its threads
 * (split_tuning.c): Conv, Gemm and MatMul steps under min_macs
 * multiply-adds run on the calling thread. */
#define HF_RT_SPLIT_CANDIDATES 4
typedef struct hf_rt_split_tuning {
    int runs;      /* runs recorded so far */
    int done;      /* min_macs is final */
    double min_macs;
    double fastest[HF_RT_SPLIT_CANDIDATES]; /* seconds, per candidate */
} hf_rt_split_tuning;

void hf_rt_split_tuning_init(hf_rt_split_tuning *tuning, int threads);
/* Returns the min_macs for the next run. */
double hf_rt_split_tuning_next(hf_rt_split_tuning *tuning);
/* Records the time of the run that hf_rt_split_tuning_next prepared. */
void hf_rt_split_tuning_record(hf_rt_split_tuning *tuning, double seconds);
/* Returns the instance's min_macs: final once its first runs are timed. */
double hf_rt_instance_split_min_macs(const hf_rt_instance *instance);

/* Runs like hf_rt_instance_run and, when step_seconds is not NULL, stores
 * the time of each step (model->step_count entries), for bench_layers. */
HF_MUST_CHECK hf_status hf_rt_instance_run_timed(hf_rt_instance *instance, double *step_seconds);
const hf_rt_model *hf_rt_instance_model(const hf_rt_instance *instance);

/* Load-time passes (passes.c) and the memory planner (planner.c). */
HF_MUST_CHECK hf_status hf_rt_passes_run(hf_rt_model *model);
HF_MUST_CHECK hf_status hf_rt_plan_memory(hf_rt_model *model);

#endif
