/* Per-face analysis after tracking: RGB liveness, eye state and emotion,
 * and the session-owned result arrays the pipeline getters hand out.
 *
 * Every crop is taken from the upright view with the face's rectangle and
 * landmarks first mapped from buffer to upright coordinates, so the
 * stream's rotation does not change the result. */
#ifndef HF_FACE_ANALYSIS_H
#define HF_FACE_ANALYSIS_H

#include <stdint.h>

#include "face/face.h"

/* The analysis models of the pack. `bytes` is NULL where the pack lacks one. */
typedef struct hf_face_analysis_spec {
    hf_face_model_spec liveness;
    hf_face_model_spec eye;
    hf_face_model_spec expression;
} hf_face_analysis_spec;

/* Flags naming the analysis models a session loads. */
enum {
    HF_FACE_ANALYSIS_LIVENESS = 1,
    HF_FACE_ANALYSIS_EYES = 2,
    HF_FACE_ANALYSIS_EMOTION = 4
};

/* Per-face results of the last pipeline call. Values not computed are
 * -1.0 (floats) or -1 (integers). */
typedef struct hf_face_pipeline_results {
    int count;
    int capacity;
    float *liveness;
    float *mask;
    float *quality;
    float *left_eye;
    float *right_eye;
    int32_t *actions[5]; /* normal, shake, jaw open, head raise, blink */
    int32_t *attributes[3]; /* race, gender, age bracket */
    int32_t *emotion;
    unsigned long detect_calls; /* the session's detection count at the call */
    int after_track;            /* a detection came after the last pipeline call */
} hf_face_pipeline_results;

/* Fills the faceplugin defaults (everything but model bytes). */
void hf_face_analysis_spec_default(hf_face_analysis_spec *spec);

/* Loads the models named by `flags` (HF_FACE_ANALYSIS_*) into the session.
 * HF_ERR_NOT_FOUND when the pack lacks one. */
HF_MUST_CHECK hf_status hf_face_analysis_enable(hf_face_session *session,
                                                const hf_face_analysis_spec *spec, int flags);

/* Returns the HF_FACE_ANALYSIS_* flags of the models the session has loaded. */
int hf_face_analysis_flags(const hf_face_session *session);

/* Computes the probability that the face is live (not a photo or screen). */
HF_MUST_CHECK hf_status hf_face_liveness_run(hf_face_session *session,
                                             const hf_face_frame *frame,
                                             const hf_face_info *face, float *live);

/* Computes the probability that each eye is open: [0] image-left eye,
 * [1] image-right. HF_ERR_INVALID_ARG when the face has no 68 landmarks. */
HF_MUST_CHECK hf_status hf_face_eyes_run(hf_face_session *session, const hf_face_frame *frame,
                                         const hf_face_info *face, float open[2]);

/* Computes InspireFace's emotion code: 0 neutral, 1 happy, 2 sad,
 * 3 surprise, 4 fear, 5 disgust, 6 anger. */
HF_MUST_CHECK hf_status hf_face_emotion_run(hf_face_session *session,
                                            const hf_face_frame *frame,
                                            const hf_face_info *face, int *emotion);

/* Return the session's pipeline results, and how many detections it has run. */
hf_face_pipeline_results *hf_face_session_pipeline(hf_face_session *session);
unsigned long hf_face_session_detect_calls(const hf_face_session *session);

/* Returns the number of faces the last detection kept. */
int hf_face_session_face_count(const hf_face_session *session);

/* Resets the arrays to `count` faces holding the not-computed values. */
HF_MUST_CHECK hf_status hf_face_pipeline_reset(hf_face_pipeline_results *results, int count);

void hf_face_pipeline_free(hf_face_pipeline_results *results);

#endif
