/* Alignment and feature extraction: the five key points are fitted to the
 * ArcFace 112x112 template with a similarity transform, the frame is warped
 * into that crop, and the recogniser's output is L2-normalised. */
#include <math.h>
#include <string.h>

#include "base/log.h"
#include "face/session_internal.h"

hf_status hf_face_session_align(hf_face_session *session, const hf_face_frame *frame,
                                const hf_face_info *face, uint8_t *bgr)
{
    float points[2 * HF_FACE_KEY_POINT_COUNT];
    float matrix[6];
    float inverse[6];
    hf_status status;

    (void)session;
    for (int i = 0; i < HF_FACE_KEY_POINT_COUNT; i++) {
        if (!isfinite(face->key_points[2 * i]) || !isfinite(face->key_points[2 * i + 1])) {
            HF_LOGE("key point %d of the face is not finite", i);
            return HF_ERR_INVALID_ARG;
        }
        hf_face_frame_to_upright(frame, face->key_points[2 * i], face->key_points[2 * i + 1],
                                 &points[2 * i], &points[2 * i + 1]);
    }
    status = hf_face_align_matrix(points, matrix);
    if (status == HF_OK) {
        status = hf_face_affine_invert(matrix, inverse);
    }
    if (status != HF_OK) {
        HF_LOGE("key points of the face are degenerate; cannot align it");
        return status;
    }
    hf_face_warp_affine(&frame->upright, inverse, bgr, HF_FACE_ALIGN_SIZE, HF_FACE_ALIGN_SIZE);
    return HF_OK;
}

static hf_status run_feature(hf_face_session *session, float *feature)
{
    hf_face_stage *stage = &session->feature;
    hf_rt_shape shape;
    const float *output;
    double norm = 0.0;
    hf_status status = hf_face_stage_run(stage);

    if (status != HF_OK) {
        return status;
    }
    output = hf_rt_instance_output(stage->instance, 0, &shape);
    if (output == NULL || hf_rt_shape_elements(&shape) != HF_FACE_FEATURE_LENGTH) {
        HF_LOGE("feature model output has %lld values, expected %d",
                output ? (long long)hf_rt_shape_elements(&shape) : 0LL, HF_FACE_FEATURE_LENGTH);
        return HF_ERR_FORMAT;
    }
    for (int i = 0; i < HF_FACE_FEATURE_LENGTH; i++) {
        norm += (double)output[i] * output[i];
    }
    if (!(norm > 0.0) || !isfinite(norm)) {
        HF_LOGE("feature model output has norm %g; cannot normalise it", norm);
        return HF_ERR_RANGE;
    }
    norm = sqrt(norm);
    for (int i = 0; i < HF_FACE_FEATURE_LENGTH; i++) {
        feature[i] = (float)(output[i] / norm);
    }
    return HF_OK;
}

hf_status hf_face_session_extract_aligned(hf_face_session *session,
                                          const hf_face_pixels *aligned, float *feature)
{
    hf_face_stage *stage = &session->feature;
    uint8_t pixels[HF_FACE_ALIGN_SIZE * HF_FACE_ALIGN_SIZE * 3];
    const uint8_t *packed = aligned->data;

    if (stage->instance == NULL) {
        return HF_ERR_STATE;
    }
    if (aligned->width != stage->input_width || aligned->height != stage->input_height ||
        stage->input_width != HF_FACE_ALIGN_SIZE || stage->input_height != HF_FACE_ALIGN_SIZE) {
        HF_LOGE("aligned face is %dx%d, expected %dx%d", aligned->width, aligned->height,
                stage->input_width, stage->input_height);
        return HF_ERR_INVALID_ARG;
    }
    if (aligned->channels != 3 || aligned->stride != 3 * aligned->width) {
        int channels = aligned->channels;

        /* Grey images and padded rows are repacked into 3-channel BGR. */
        for (int y = 0; y < aligned->height; y++) {
            for (int x = 0; x < aligned->width; x++) {
                const uint8_t *in = aligned->data + (size_t)y * aligned->stride +
                                    (size_t)x * channels;
                uint8_t *out = pixels + ((size_t)y * aligned->width + x) * 3;

                out[0] = in[0];
                out[1] = in[channels == 1 ? 0 : 1];
                out[2] = in[channels == 1 ? 0 : 2];
            }
        }
        packed = pixels;
    }
    hf_face_to_planes(packed, stage->input_width, stage->input_height, &stage->normalize, 3,
                      hf_rt_instance_input(stage->instance, 0));
    return run_feature(session, feature);
}

hf_status hf_face_session_extract(hf_face_session *session, const hf_face_frame *frame,
                                  const hf_face_info *face, float *feature)
{
    uint8_t aligned[HF_FACE_ALIGN_SIZE * HF_FACE_ALIGN_SIZE * 3];
    hf_face_pixels view = {aligned, HF_FACE_ALIGN_SIZE, HF_FACE_ALIGN_SIZE,
                           3 * HF_FACE_ALIGN_SIZE, 3};
    hf_status status;

    if (session->feature.instance == NULL) {
        return HF_ERR_STATE;
    }
    status = hf_face_session_align(session, frame, face, aligned);
    if (status != HF_OK) {
        return status;
    }
    return hf_face_session_extract_aligned(session, &view, feature);
}
