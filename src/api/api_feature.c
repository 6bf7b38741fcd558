/* Feature extraction, caller-owned features and the aligned face image. */
#include <string.h>

#include "api/api_internal.h"
#include "api/face_session.h"
#include "base/alloc.h"

/* The checks every extraction shares, in the order InspireFace applies
 * them: session, stream, token. Decodes the token into `info`. */
static HResult check_extract(const char *name, HFSession handle, HFImageStream stream,
                             HFFaceBasicToken token, hf_api_session **session,
                             hf_face_info *info)
{
    *session = hf_api_session_get(handle);
    if (*session == NULL) {
        HF_LOGE("%s: %p is not a live session", name, handle);
        return HERR_INVALID_CONTEXT_HANDLE;
    }
    if (!hf_registry_contains(HF_HANDLE_STREAM, stream)) {
        HF_LOGE("%s: %p is not a live image stream", name, stream);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    if (token.data == NULL || token.size <= 0) {
        HF_LOGE("%s: the face token is empty", name);
        return HERR_INVALID_FACE_TOKEN;
    }
    if (hf_face_token_decode(token.data, (size_t)token.size, info) != HF_OK) {
        HF_LOGE("%s: the face token has %d bytes, %d needed", name, token.size,
                HF_FACE_TOKEN_SIZE);
        return HERR_SESS_FACE_DATA_ERROR;
    }
    return HSUCCEED;
}

/* Extracts the feature of one face into `out` (HF_FACE_FEATURE_LENGTH floats). */
static HResult extract(const char *name, HFSession handle, HFImageStream stream,
                       HFFaceBasicToken token, float *out)
{
    hf_api_session *session;
    hf_face_info *info = hf_malloc(sizeof(*info));
    hf_face_frame frame;
    void *storage = NULL;
    HResult code;
    hf_status status;

    if (info == NULL) {
        return HERR_UNKNOWN;
    }
    code = check_extract(name, handle, stream, token, &session, info);
    if (code == HSUCCEED && !hf_face_session_has_recognition(session->face)) {
        HF_LOGE("%s: the session was created without recognition", name);
        code = HERR_SESS_REC_EXTRACT_FAILURE;
    }
    if (code == HSUCCEED && hf_api_stream_frame(stream, &frame, &storage) != HF_OK) {
        HF_LOGE("%s: the image stream has no usable image", name);
        code = HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    if (code == HSUCCEED) {
        status = hf_face_session_extract(session->face, &frame, info, out);
        hf_api_frame_release(storage);
        if (status != HF_OK) {
            HF_LOGE("%s: extraction failed: %s", name, hf_status_message(status));
            code = status == HF_ERR_INVALID_ARG ? HERR_INVALID_FACE_TOKEN
                                                : HERR_SESS_REC_EXTRACT_FAILURE;
        }
    }
    hf_free(info);
    return code;
}

HResult HFFaceFeatureExtract(HFSession session, HFImageStream streamHandle,
                             HFFaceBasicToken singleFace, PHFFaceFeature feature)
{
    hf_api_session *state = hf_api_session_get(session);
    HResult code;

    if (state != NULL && feature == NULL) {
        HF_LOGE("%s: feature is NULL", __func__);
        return HERR_INVALID_FACE_FEATURE;
    }
    code = extract(__func__, session, streamHandle, singleFace,
                   state ? state->feature : NULL);
    if (code == HSUCCEED) {
        feature->size = HF_FACE_FEATURE_LENGTH;
        feature->data = state->feature;
    }
    return code;
}

HResult HFFaceFeatureExtractTo(HFSession session, HFImageStream streamHandle,
                               HFFaceBasicToken singleFace, HFFaceFeature feature)
{
    float values[HF_FACE_FEATURE_LENGTH];
    HResult code;

    if (hf_api_session_get(session) != NULL &&
        (feature.data == NULL || feature.size < HF_FACE_FEATURE_LENGTH)) {
        HF_LOGE("%s: the feature buffer holds %d floats, %d needed", __func__,
                feature.data ? feature.size : 0, HF_FACE_FEATURE_LENGTH);
        return HERR_INVALID_FACE_FEATURE;
    }
    code = extract(__func__, session, streamHandle, singleFace, values);
    if (code == HSUCCEED) {
        memcpy(feature.data, values, sizeof(values));
    }
    return code;
}

HResult HFFaceFeatureExtractCpy(HFSession session, HFImageStream streamHandle,
                                HFFaceBasicToken singleFace, HPFloat feature)
{
    float values[HF_FACE_FEATURE_LENGTH];
    HResult code;

    if (hf_api_session_get(session) != NULL && feature == NULL) {
        HF_LOGE("%s: feature is NULL", __func__);
        return HERR_INVALID_FACE_FEATURE;
    }
    code = extract(__func__, session, streamHandle, singleFace, values);
    if (code == HSUCCEED) {
        memcpy(feature, values, sizeof(values));
    }
    return code;
}

HResult HFCreateFaceFeature(PHFFaceFeature feature)
{
    float *data;

    if (feature == NULL) {
        HF_LOGE("%s: feature is NULL", __func__);
        return HERR_INVALID_FACE_FEATURE;
    }
    data = hf_calloc(HF_FACE_FEATURE_LENGTH, sizeof(float));
    if (data == NULL) {
        return HERR_UNKNOWN;
    }
    if (hf_registry_add(HF_HANDLE_FEATURE, data) != HF_OK) {
        hf_free(data);
        return HERR_UNKNOWN;
    }
    feature->size = HF_FACE_FEATURE_LENGTH;
    feature->data = data;
    return HSUCCEED;
}

HResult HFReleaseFaceFeature(PHFFaceFeature feature)
{
    if (feature == NULL || !hf_registry_remove(HF_HANDLE_FEATURE, feature->data)) {
        HF_LOGE("%s: the feature was not created by HFCreateFaceFeature or is already "
                "released", __func__);
        return HERR_INVALID_FACE_FEATURE;
    }
    hf_free(feature->data);
    feature->data = NULL;
    feature->size = 0;
    return HSUCCEED;
}

HResult HFFaceGetFaceAlignmentImage(HFSession session, HFImageStream streamHandle,
                                    HFFaceBasicToken singleFace, PHFImageBitmap handle)
{
    uint8_t aligned[HF_FACE_ALIGN_SIZE * HF_FACE_ALIGN_SIZE * 3];
    hf_api_session *state;
    hf_face_info *info = hf_malloc(sizeof(*info));
    hf_face_frame frame;
    void *storage = NULL;
    HResult code;

    if (info == NULL) {
        return HERR_UNKNOWN;
    }
    code = check_extract(__func__, session, streamHandle, singleFace, &state, info);
    if (code == HSUCCEED && handle == NULL) {
        HF_LOGE("%s: handle is NULL", __func__);
        code = HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    if (code == HSUCCEED && hf_api_stream_frame(streamHandle, &frame, &storage) != HF_OK) {
        HF_LOGE("%s: the image stream has no usable image", __func__);
        code = HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    if (code == HSUCCEED) {
        hf_status status = hf_face_session_align(state->face, &frame, info, aligned);

        hf_api_frame_release(storage);
        code = status == HF_OK ? HSUCCEED : HERR_INVALID_FACE_TOKEN;
    }
    hf_free(info);
    if (code == HSUCCEED) {
        HFImageBitmapData data = {aligned, HF_FACE_ALIGN_SIZE, HF_FACE_ALIGN_SIZE, 3};

        code = HFCreateImageBitmap(&data, handle);
    }
    return code;
}

HResult HFFaceFeatureExtractWithAlignmentImage(HFSession session, HFImageStream streamHandle,
                                               HFFaceFeature feature)
{
    hf_api_session *state = hf_api_session_get(session);
    hf_face_pixels aligned;
    void *storage = NULL;
    hf_status status;

    if (state == NULL) {
        HF_LOGE("%s: %p is not a live session", __func__, session);
        return HERR_INVALID_CONTEXT_HANDLE;
    }
    if (!hf_registry_contains(HF_HANDLE_STREAM, streamHandle)) {
        HF_LOGE("%s: %p is not a live image stream", __func__, streamHandle);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    if (!hf_face_session_has_recognition(state->face)) {
        HF_LOGE("%s: the session was created without recognition", __func__);
        return HERR_SESS_REC_EXTRACT_FAILURE;
    }
    if (feature.data == NULL || feature.size < HF_FACE_FEATURE_LENGTH) {
        HF_LOGE("%s: the feature buffer holds %d floats, %d needed", __func__,
                feature.data ? feature.size : 0, HF_FACE_FEATURE_LENGTH);
        return HERR_INVALID_FACE_FEATURE;
    }
    if (hf_api_stream_buffer(streamHandle, &aligned, &storage) != HF_OK) {
        HF_LOGE("%s: the image stream has no usable image", __func__);
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    /* The whole buffer, unrotated, is the aligned face. */
    if (aligned.width != HF_FACE_ALIGN_SIZE || aligned.height != HF_FACE_ALIGN_SIZE) {
        HF_LOGE("%s: the stream is %dx%d, expected an aligned %dx%d face", __func__,
                aligned.width, aligned.height, HF_FACE_ALIGN_SIZE, HF_FACE_ALIGN_SIZE);
        hf_api_frame_release(storage);
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    status = hf_face_session_extract_aligned(state->face, &aligned, feature.data);
    hf_api_frame_release(storage);
    if (status != HF_OK) {
        HF_LOGE("%s: extraction failed: %s", __func__, hf_status_message(status));
        return HERR_SESS_REC_EXTRACT_FAILURE;
    }
    return HSUCCEED;
}
