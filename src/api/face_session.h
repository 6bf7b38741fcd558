/* The session object behind an HFSession handle, shared by the session,
 * track, feature and pipeline API files, and the adapters that turn an
 * image stream and the launched pack into what src/face takes. */
#ifndef HF_API_FACE_SESSION_H
#define HF_API_FACE_SESSION_H

#include "inspireface.h"

#include "base/status.h"
#include "face/face.h"

typedef struct hf_api_session {
    hf_face_session *face;
    HFSessionCustomParameter parameter;
    int detect_mode;
    void *pack; /* reference on the pack the models came from */
    HFFaceBasicToken *tokens;
    int token_capacity;
    float feature[HF_FACE_FEATURE_LENGTH];
    int cost_enabled;
    long cost_count;
    double cost_total_us;
    double cost_min_us;
    double cost_max_us;
} hf_api_session;

/* Returns the session of a live handle, or NULL. */
hf_api_session *hf_api_session_get(HFSession handle);

/* Describes the frame of a stream for src/face: the upright BGR view and
 * the buffer's size and rotation. `*storage` receives memory the view may
 * live in; free it with hf_api_frame_release once the frame is no longer
 * used. HF_ERR_INVALID_ARG for an empty stream. */
HF_MUST_CHECK hf_status hf_api_stream_frame(HFImageStream stream, hf_face_frame *frame,
                                            void **storage);
void hf_api_frame_release(void *storage);

/* Renders a stream's buffer as stored (no rotation) in BGR into `pixels`;
 * free `*storage` with hf_api_frame_release. */
HF_MUST_CHECK hf_status hf_api_stream_buffer(HFImageStream stream, hf_face_pixels *pixels,
                                             void **storage);

/* Fills `spec` from the launched pack and takes a reference on it, which
 * keeps the model bytes alive. HF_ERR_STATE when nothing is launched,
 * HF_ERR_FORMAT when the manifest's face parameters are unusable. */
HF_MUST_CHECK hf_status hf_api_pack_acquire(hf_face_pack_spec *spec, void **pack);
void hf_api_pack_release(void *pack);

#endif
