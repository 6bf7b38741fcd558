/* The session object shared by the pipeline stages of src/face. */
#ifndef HF_FACE_SESSION_INTERNAL_H
#define HF_FACE_SESSION_INTERNAL_H

#include "face/analysis.h"
#include "face/face.h"
#include "runtime/runtime.h"

/* One model instance and how its input is prepared. */
typedef struct hf_face_stage {
    hf_rt_instance *instance;
    double inference_ms; /* total time inside the model since creation */
    int input_width;
    int input_height;
    hf_face_normalize normalize;
} hf_face_stage;

/* A detector at one input size, with the priors of that size. */
typedef struct hf_face_detector {
    hf_face_stage stage;
    float *priors;
    int prior_count;
} hf_face_detector;

/* Detector index 0 runs at the pixel level; above the native 320x240 input
 * a second detector at that input finds the faces too large for the first
 * one's priors. */
#define HF_FACE_MAX_DETECTORS 2

struct hf_face_session {
    hf_face_settings settings;
    int pixel_level;
    hf_face_detector detectors[HF_FACE_MAX_DETECTORS];
    int detector_count;
    hf_face_stage landmark;
    hf_face_stage pose;    /* instance NULL when pose is off */
    hf_face_stage feature; /* instance NULL when recognition is off */
    hf_face_stage liveness; /* analysis stages, instance NULL when off */
    hf_face_stage eye;
    hf_face_stage expression;
    hf_face_pipeline_results pipeline;
    unsigned long detect_calls;
    hf_face_prior_config prior_config;
    int scores_are_logits;
    float nms_iou;
    int preview_width;
    hf_face_results results;
    int result_capacity;
};

/* Finds up to `capacity` faces in the upright view, largest first, in
 * upright pixel coordinates, after the score, size and NMS filters. */
HF_MUST_CHECK hf_status hf_face_detect_run(hf_face_session *session,
                                           const hf_face_pixels *upright, hf_face_box *boxes,
                                           int capacity, int *found);

/* Writes 68 landmarks (upright coordinates) of the face in `box`. */
HF_MUST_CHECK hf_status hf_face_landmarks_run(hf_face_session *session,
                                              const hf_face_pixels *upright,
                                              const hf_face_box *box, float *landmarks);

/* Writes roll, yaw and pitch in degrees (InspireFace's signs) of the face in
 * `box`. */
HF_MUST_CHECK hf_status hf_face_pose_run(hf_face_session *session,
                                         const hf_face_pixels *upright, const hf_face_box *box,
                                         float angles[3]);

/* Runs the stage's model and adds the time spent to its inference_ms. */
HF_MUST_CHECK hf_status hf_face_stage_run(hf_face_stage *stage);

/* Resizes `crop` of the upright view to the stage's input size and writes the
 * normalised input: one grey plane when `grey` is nonzero, else three planes. */
HF_MUST_CHECK hf_status hf_face_crop_to_input(const hf_face_pixels *upright, hf_face_rect crop,
                                              const hf_face_stage *stage, int grey, float *input);

/* Makes room for `count` faces in the session's result arrays. */
HF_MUST_CHECK hf_status hf_face_results_reserve(hf_face_session *session, int count);

#endif
