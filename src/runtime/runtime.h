/* The neural-network runtime: loads ONNX models and runs them on the CPU.
 *
 * This header is the whole interface the face code uses; it says nothing
 * about ONNX. A model (hf_rt_model) is immutable once loaded and may be
 * shared by any number of instances in any threads. An instance
 * (hf_rt_instance) owns one memory arena and is used by one thread at a time.
 *
 * Tensors are float32, row-major, batch 1 (NCHW for images).
 * Abbreviations: n, c, h, w = batch, channels, height, width. */
#ifndef HF_RUNTIME_RUNTIME_H
#define HF_RUNTIME_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define HF_RT_MAX_RANK 8

typedef struct hf_rt_model hf_rt_model;
typedef struct hf_rt_instance hf_rt_instance;

typedef struct hf_rt_shape {
    int rank;
    int64_t dims[HF_RT_MAX_RANK];
} hf_rt_shape;

typedef struct hf_rt_load_options {
    /* When both are > 0, the first input's height and width are set to these
     * values and every shape is inferred again (fully convolutional models). */
    int input_height;
    int input_width;
    /* When output_count > 0, these tensors (by name, any tensor of the graph)
     * become the model's outputs, in this order, and nodes that only fed the
     * old outputs are dropped. Used to cut a detector's built-in decoding. */
    const char *const *output_names;
    int output_count;
    /* Name used in log messages (e.g. "fr_detect"); may be NULL. */
    const char *label;
} hf_rt_load_options;

/* Loads a model from an ONNX file held in memory. `options` may be NULL.
 * The bytes are not referenced after the call returns. Malformed or
 * truncated files give HF_ERR_FORMAT, ops or attributes outside the
 * supported set HF_ERR_UNSUPPORTED; both log one line naming the op type,
 * node name and attribute. */
HF_MUST_CHECK hf_status hf_rt_model_load(const void *bytes, size_t size,
                                         const hf_rt_load_options *options,
                                         hf_rt_model **out);

/* Reads a file and calls hf_rt_model_load. */
HF_MUST_CHECK hf_status hf_rt_model_load_file(const char *path,
                                              const hf_rt_load_options *options,
                                              hf_rt_model **out);

/* Drops the caller's reference; the model is freed when its last instance
 * is destroyed too. NULL is allowed. */
void hf_rt_model_release(hf_rt_model *model);

int hf_rt_model_input_count(const hf_rt_model *model);
int hf_rt_model_output_count(const hf_rt_model *model);
const char *hf_rt_model_input_name(const hf_rt_model *model, int index);
const char *hf_rt_model_output_name(const hf_rt_model *model, int index);
HF_MUST_CHECK hf_status hf_rt_model_input_shape(const hf_rt_model *model, int index,
                                                hf_rt_shape *shape);
HF_MUST_CHECK hf_status hf_rt_model_output_shape(const hf_rt_model *model, int index,
                                                 hf_rt_shape *shape);

/* Multiply-accumulate count of one run (Conv, Gemm, MatMul), for benchmarks. */
int64_t hf_rt_model_macs(const hf_rt_model *model);

typedef struct hf_rt_instance_options {
    int threads; /* threads one run uses; <= 0 means 1 */
} hf_rt_instance_options;

/* Creates an instance holding its own arena; it keeps the model alive.
 * `options` may be NULL. */
HF_MUST_CHECK hf_status hf_rt_instance_create(hf_rt_model *model,
                                              const hf_rt_instance_options *options,
                                              hf_rt_instance **out);

/* NULL is allowed. */
void hf_rt_instance_destroy(hf_rt_instance *instance);

/* Returns the buffer of input `index` for the caller to fill (element count
 * from hf_rt_model_input_shape), or NULL for a bad index. It stays valid
 * until the instance is destroyed; runs do not overwrite it. */
float *hf_rt_instance_input(hf_rt_instance *instance, int index);

/* Runs the model on the current inputs. Sets flush-to-zero and
 * denormals-are-zero on every thread it uses. */
HF_MUST_CHECK hf_status hf_rt_instance_run(hf_rt_instance *instance);

/* Returns output `index` of the last run and writes its shape when `shape`
 * is not NULL; NULL for a bad index or before the first run. The data stays
 * valid until the next run. */
const float *hf_rt_instance_output(const hf_rt_instance *instance, int index,
                                   hf_rt_shape *shape);

/* Peak bytes of the instance's tensor arena (excluding shared weights). */
size_t hf_rt_instance_peak_bytes(const hf_rt_instance *instance);

/* Returns the element count of a shape (1 for rank 0). */
int64_t hf_rt_shape_elements(const hf_rt_shape *shape);

#endif
