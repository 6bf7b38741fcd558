/* The face pipeline: detection, 68 landmarks, five key points, head pose,
 * alignment and feature extraction, run by a session.
 *
 * This module does not use the public API's handles or the pack format. The caller describes the models (bytes and pre-processing) in an
 * hf_face_pack_spec and hands each frame over as an upright BGR view plus
 * the buffer's size and rotation; every position the session reports is in
 * the buffer's own pixel grid.
 *
 * Models are loaded once per (model identity, input size) and shared
 * read-only by all sessions; a session owns its model instances and result
 * buffers and is used by one thread at a time. */
#ifndef HF_FACE_FACE_H
#define HF_FACE_FACE_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "face/detect_post.h"
#include "face/geometry.h"
#include "face/preprocess.h"
#include "face/token.h"

#define HF_FACE_MAX_PIXEL_LEVELS 20
#define HF_FACE_FEATURE_LENGTH 512
#define HF_FACE_MIN_PREVIEW_SIZE 160

/* One model of the pack. `bytes` NULL means the pack lacks it. */
typedef struct hf_face_model_spec {
    const void *bytes;
    size_t size;
    const char *identity; /* cache key, e.g. the file's sha256; required with bytes */
    const char *label;    /* name for logs, e.g. "fr_detect" */
    int input_width;
    int input_height;
    hf_face_normalize normalize;
} hf_face_model_spec;

/* Everything the pipeline takes from the pack. */
typedef struct hf_face_pack_spec {
    hf_face_model_spec detect;
    hf_face_model_spec landmark;
    hf_face_model_spec pose;
    hf_face_model_spec feature;
    hf_face_prior_config priors;
    const char *detect_outputs[2]; /* raw scores and box regressions of the detector */
    int detect_scores_are_logits;
    float nms_iou;
    int pixel_levels[HF_FACE_MAX_PIXEL_LEVELS];
    int pixel_level_count;
} hf_face_pack_spec;

/* Fills the defaults of the faceplugin pack (everything but model bytes). */
void hf_face_pack_spec_default(hf_face_pack_spec *spec);

/* Returns the pixel level a session uses for a request: -1 gives 320 (or
 * the second listed level when 320 is absent), an exact value itself, any
 * other value the nearest level (ties: the earlier entry). */
int hf_face_pixel_level_pick(const hf_face_pack_spec *spec, int requested);

typedef struct hf_face_session_options {
    int enable_recognition;
    int enable_pose; /* head pose; also wanted by the quality feature */
    int max_faces;
    int pixel_level; /* one of the spec's levels */
} hf_face_session_options;

/* Settings a caller may change between calls. */
typedef struct hf_face_settings {
    float detect_threshold; /* keep scores strictly above; default 0.5 */
    int min_face_size;      /* keep faces whose shorter side is > this; default 0 */
    int preview_size;       /* long side of the detector's view; default the level */
    int max_faces;
} hf_face_settings;

/* One frame: the upright BGR view and the buffer it came from. */
typedef struct hf_face_frame {
    hf_face_pixels upright;
    int buffer_width;
    int buffer_height;
    int quarter_turns; /* 0..3: the buffer is turned by this many 90-degree steps clockwise */
} hf_face_frame;

/* Results of the last detection, owned by the session. */
typedef struct hf_face_results {
    int count;
    hf_face_rect *rects;
    int *track_ids;
    int *track_counts;
    float *scores;
    float *roll;
    float *yaw;
    float *pitch;
    uint8_t *tokens; /* count * HF_FACE_TOKEN_SIZE bytes */
} hf_face_results;

typedef struct hf_face_session hf_face_session;

/* Creates a session. Models needed by the options that the pack lacks or
 * that fail to load give HF_ERR_NOT_FOUND or the loader's status. */
HF_MUST_CHECK hf_status hf_face_session_create(const hf_face_pack_spec *spec,
                                               const hf_face_session_options *options,
                                               hf_face_session **out);

/* NULL is allowed. */
void hf_face_session_destroy(hf_face_session *session);

/* Returns the session's settings for reading and writing. */
hf_face_settings *hf_face_session_settings(hf_face_session *session);

/* Width of the preview image of the last detection (0 before any). */
int hf_face_session_preview_width(const hf_face_session *session);

int hf_face_session_has_recognition(const hf_face_session *session);

/* The detector input size (pixel level) chosen at creation. */
int hf_face_session_pixel_level(const hf_face_session *session);

/* Detects faces in `frame` (largest first, up to the face limit) and fills
 * the session's results; they stay valid until the next detection on this
 * session or its destruction. */
HF_MUST_CHECK hf_status hf_face_session_detect(hf_face_session *session,
                                               const hf_face_frame *frame,
                                               const hf_face_results **results);

/* Renders the 112x112 BGR crop the recogniser is given for `face` (whose key
 * points are in the frame's buffer coordinates) into `bgr`. */
HF_MUST_CHECK hf_status hf_face_session_align(hf_face_session *session,
                                              const hf_face_frame *frame,
                                              const hf_face_info *face, uint8_t *bgr);

/* Extracts the L2-normalised feature of `face` into `feature`
 * (HF_FACE_FEATURE_LENGTH floats). HF_ERR_STATE when the session has no
 * recognition. */
HF_MUST_CHECK hf_status hf_face_session_extract(hf_face_session *session,
                                                const hf_face_frame *frame,
                                                const hf_face_info *face, float *feature);

/* Extracts the feature of an already aligned 112x112 3-channel BGR image. */
HF_MUST_CHECK hf_status hf_face_session_extract_aligned(hf_face_session *session,
                                                        const hf_face_pixels *aligned,
                                                        float *feature);

/* Maps a point of the upright view to the buffer's grid, and back. */
void hf_face_frame_to_buffer(const hf_face_frame *frame, float u, float v, float *x, float *y);
void hf_face_frame_to_upright(const hf_face_frame *frame, float x, float y, float *u,
                              float *v);

/* Drops every cached model; sessions keep the models they already use.
 * Call when the launched pack goes away. */
void hf_face_model_cache_clear(void);

#endif
