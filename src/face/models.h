/* The process-wide model cache: each (model identity, input size, output
 * cut) is loaded once and shared read-only; sessions get instances. */
#ifndef HF_FACE_MODELS_H
#define HF_FACE_MODELS_H

#include "face/face.h"
#include "runtime/runtime.h"

/* Creates an instance of the model in `spec`, at input width x height when
 * both are > 0 (else the graph's own size), cut at `outputs` when
 * output_count > 0. The model is loaded on first use. */
HF_MUST_CHECK hf_status hf_face_model_instance(const hf_face_model_spec *spec, int width,
                                               int height, const char *const *outputs,
                                               int output_count, hf_rt_instance **out);

#endif
