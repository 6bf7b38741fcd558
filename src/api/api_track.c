/* Face tracking calls: settings, HFExecuteFaceTrack, tokens, landmarks and
 * timing. Only the always-detect mode exists, so the tracking settings are
 * accepted and have no effect. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "api/api_internal.h"
#include "api/face_session.h"
#include "base/alloc.h"

#define GET_SESSION(name, handle, session)                              \
    hf_api_session *session = hf_api_session_get(handle);               \
    if (session == NULL) {                                              \
        HF_LOGE("%s: %p is not a live session", name, (void *)(handle)); \
        return HERR_INVALID_CONTEXT_HANDLE;                             \
    }

HResult HFSessionClearTrackingFace(HFSession session)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    return HSUCCEED;
}

HResult HFSessionSetTrackLostRecoveryMode(HFSession session, HInt32 enable)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    (void)enable;
    return HSUCCEED;
}

HResult HFSessionSetLightTrackConfidenceThreshold(HFSession session, HFloat value)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    (void)value;
    return HSUCCEED;
}

HResult HFSessionSetTrackPreviewSize(HFSession session, HInt32 previewSize)
{
    GET_SESSION(__func__, session, state);
    hf_face_settings *settings = hf_face_session_settings(state->face);

    if (previewSize == -1) {
        previewSize = 0;
    } else if (previewSize < HF_FACE_MIN_PREVIEW_SIZE) {
        HF_LOGW("%s: preview size %d is below %d; using %d", __func__, previewSize,
                HF_FACE_MIN_PREVIEW_SIZE, HF_FACE_MIN_PREVIEW_SIZE);
        previewSize = HF_FACE_MIN_PREVIEW_SIZE;
    }
    settings->preview_size = previewSize;
    return HSUCCEED;
}

HResult HFSessionGetTrackPreviewSize(HFSession session, HPInt32 previewSize)
{
    GET_SESSION(__func__, session, state);
    const hf_face_settings *settings = hf_face_session_settings(state->face);

    if (previewSize == NULL) {
        HF_LOGE("%s: previewSize is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *previewSize = settings->preview_size > 0 ? settings->preview_size
                                              : hf_face_session_pixel_level(state->face);
    return HSUCCEED;
}

HResult HFSessionSetFilterMinimumFacePixelSize(HFSession session, HInt32 minSize)
{
    GET_SESSION(__func__, session, state);
    hf_face_session_settings(state->face)->min_face_size = minSize;
    return HSUCCEED;
}

HResult HFSessionSetFaceDetectThreshold(HFSession session, HFloat threshold)
{
    GET_SESSION(__func__, session, state);
    if (!isfinite(threshold)) {
        HF_LOGE("%s: threshold %g is not a finite number", __func__, threshold);
        return HERR_INVALID_PARAM;
    }
    hf_face_session_settings(state->face)->detect_threshold = threshold;
    return HSUCCEED;
}

HResult HFSessionSetTrackModeSmoothRatio(HFSession session, HFloat ratio)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    (void)ratio;
    return HSUCCEED;
}

HResult HFSessionSetTrackModeNumSmoothCacheFrame(HFSession session, HInt32 num)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    (void)num;
    return HSUCCEED;
}

HResult HFSessionSetTrackModeDetectInterval(HFSession session, HInt32 num)
{
    GET_SESSION(__func__, session, state);
    (void)state;
    (void)num;
    return HSUCCEED;
}

static double now_us(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3;
}

static void record_cost(hf_api_session *session, double spent_us)
{
    if (session->cost_count == 0 || spent_us < session->cost_min_us) {
        session->cost_min_us = spent_us;
    }
    if (session->cost_count == 0 || spent_us > session->cost_max_us) {
        session->cost_max_us = spent_us;
    }
    session->cost_total_us += spent_us;
    session->cost_count++;
}

static hf_status publish_tokens(hf_api_session *session, const hf_face_results *results)
{
    if (results->count > session->token_capacity) {
        HFFaceBasicToken *tokens = hf_malloc((size_t)results->count * sizeof(*tokens));

        if (tokens == NULL) {
            return HF_ERR_NO_MEMORY;
        }
        hf_free(session->tokens);
        session->tokens = tokens;
        session->token_capacity = results->count;
    }
    for (int i = 0; i < results->count; i++) {
        session->tokens[i].size = HF_FACE_TOKEN_SIZE;
        session->tokens[i].data = results->tokens + (size_t)i * HF_FACE_TOKEN_SIZE;
    }
    return HF_OK;
}

static void fill_results(hf_api_session *session, const hf_face_results *found,
                         PHFMultipleFaceData results)
{
    _Static_assert(sizeof(HFaceRect) == sizeof(hf_face_rect), "rect layouts differ");
    memset(results, 0, sizeof(*results));
    results->detectedNum = found->count;
    results->rects = (PHFaceRect)found->rects;
    results->trackIds = found->track_ids;
    results->trackCounts = found->track_counts;
    results->detConfidence = found->scores;
    results->angles.roll = found->roll;
    results->angles.yaw = found->yaw;
    results->angles.pitch = found->pitch;
    results->tokens = session->tokens;
}

HResult HFExecuteFaceTrack(HFSession session, HFImageStream streamHandle,
                           PHFMultipleFaceData results)
{
    GET_SESSION(__func__, session, state);
    const hf_face_results *found = NULL;
    hf_face_frame frame;
    void *storage = NULL;
    double started = now_us();
    hf_status status;

    if (!hf_registry_contains(HF_HANDLE_STREAM, streamHandle)) {
        HF_LOGE("%s: %p is not a live image stream", __func__, streamHandle);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    if (results == NULL) {
        HF_LOGE("%s: results is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    memset(results, 0, sizeof(*results));
    status = hf_api_stream_frame(streamHandle, &frame, &storage);
    if (status != HF_OK) {
        HF_LOGE("%s: the image stream has no usable image: %s", __func__,
                hf_status_message(status));
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    status = hf_face_session_detect(state->face, &frame, &found);
    hf_api_frame_release(storage);
    if (status == HF_OK) {
        status = publish_tokens(state, found);
    }
    if (status != HF_OK) {
        HF_LOGE("%s: detection failed: %s", __func__, hf_status_message(status));
        return hf_api_status_code(status, HERR_UNKNOWN);
    }
    fill_results(state, found, results);
    if (state->cost_enabled) {
        record_cost(state, now_us() - started);
    }
    return HSUCCEED;
}

HResult HFSessionLastFaceDetectionGetDebugPreviewImageSize(HFSession session, HPInt32 size)
{
    GET_SESSION(__func__, session, state);
    if (size == NULL) {
        HF_LOGE("%s: size is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *size = hf_face_session_preview_width(state->face);
    return HSUCCEED;
}

HResult HFCopyFaceBasicToken(HFFaceBasicToken token, HPBuffer buffer, HInt32 bufferSize)
{
    if (token.data == NULL || token.size < HF_FACE_TOKEN_SIZE) {
        HF_LOGE("%s: the token has no data or only %d bytes (%d needed)", __func__, token.size,
                HF_FACE_TOKEN_SIZE);
        return HERR_INVALID_FACE_TOKEN;
    }
    if (buffer == NULL) {
        HF_LOGE("%s: buffer is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    if (bufferSize < HF_FACE_TOKEN_SIZE) {
        HF_LOGE("%s: buffer of %d bytes is smaller than the token (%d bytes)", __func__,
                bufferSize, HF_FACE_TOKEN_SIZE);
        return HERR_INVALID_BUFFER_SIZE;
    }
    memcpy(buffer, token.data, HF_FACE_TOKEN_SIZE);
    return HSUCCEED;
}

HResult HFGetFaceBasicTokenSize(HPInt32 bufferSize)
{
    if (bufferSize == NULL) {
        HF_LOGE("%s: bufferSize is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *bufferSize = HF_FACE_TOKEN_SIZE;
    return HSUCCEED;
}

HResult HFGetNumOfFaceDenseLandmark(HPInt32 num)
{
    if (num == NULL) {
        HF_LOGE("%s: num is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *num = HF_FACE_LANDMARK_COUNT;
    return HSUCCEED;
}

/* Decodes a token for the landmark getters; returns HSUCCEED or the code. */
static HResult decode_token(const char *name, HFFaceBasicToken token, const void *points,
                            hf_face_info *info)
{
    if (token.data == NULL) {
        HF_LOGE("%s: the token has no data", name);
        return HERR_INVALID_FACE_TOKEN;
    }
    if (points == NULL) {
        HF_LOGE("%s: the point array is NULL", name);
        return HERR_INVALID_PARAM;
    }
    if (token.size < HF_FACE_TOKEN_SIZE ||
        hf_face_token_decode(token.data, (size_t)token.size, info) != HF_OK) {
        HF_LOGE("%s: the token has %d bytes, %d needed", name, token.size, HF_FACE_TOKEN_SIZE);
        return HERR_SESS_FACE_DATA_ERROR;
    }
    return HSUCCEED;
}

HResult HFGetFaceDenseLandmarkFromFaceToken(HFFaceBasicToken singleFace, PHPoint2f landmarks,
                                            HInt32 num)
{
    hf_face_info *info = hf_malloc(sizeof(*info));
    HResult code = info ? decode_token(__func__, singleFace, landmarks, info) : HERR_UNKNOWN;

    if (code == HSUCCEED && num != HF_FACE_LANDMARK_COUNT) {
        HF_LOGE("%s: %d points requested; the landmark model gives %d", __func__, num,
                HF_FACE_LANDMARK_COUNT);
        code = HERR_SESS_LANDMARK_NUM_NOT_MATCH;
    }
    if (code == HSUCCEED && info->landmark_count != HF_FACE_LANDMARK_COUNT) {
        HF_LOGE("%s: the token holds %d landmarks, not %d", __func__, info->landmark_count,
                HF_FACE_LANDMARK_COUNT);
        code = HERR_SESS_LANDMARK_NOT_ENABLE;
    }
    for (int i = 0; code == HSUCCEED && i < num; i++) {
        landmarks[i].x = info->landmarks[2 * i];
        landmarks[i].y = info->landmarks[2 * i + 1];
    }
    hf_free(info);
    return code;
}

HResult HFGetFaceFiveKeyPointsFromFaceToken(HFFaceBasicToken singleFace, PHPoint2f landmarks,
                                            HInt32 num)
{
    hf_face_info *info = hf_malloc(sizeof(*info));
    HResult code = info ? decode_token(__func__, singleFace, landmarks, info) : HERR_UNKNOWN;

    if (code == HSUCCEED && num != HF_FACE_KEY_POINT_COUNT) {
        HF_LOGE("%s: %d key points requested; there are %d", __func__, num,
                HF_FACE_KEY_POINT_COUNT);
        code = HERR_SESS_KEY_POINT_NUM_NOT_MATCH;
    }
    for (int i = 0; code == HSUCCEED && i < num; i++) {
        landmarks[i].x = info->key_points[2 * i];
        landmarks[i].y = info->key_points[2 * i + 1];
    }
    hf_free(info);
    return code;
}

HResult HFSessionSetEnableTrackCostSpend(HFSession session, HInt32 value)
{
    GET_SESSION(__func__, session, state);
    state->cost_enabled = value != 0;
    state->cost_count = 0;
    state->cost_total_us = 0.0;
    state->cost_min_us = 0.0;
    state->cost_max_us = 0.0;
    return HSUCCEED;
}

HResult HFSessionPrintTrackCostSpend(HFSession session)
{
    GET_SESSION(__func__, session, state);
    if (!state->cost_enabled) {
        return HSUCCEED;
    }
    hf_log_write(HF_LOG_LEVEL_INFO, __FILE__, __LINE__, __func__,
                 "[Time(us) Total:%.0f Ave:%.0f Min:%.0f Max:%.0f Count:%ld FaceTrack]",
                 state->cost_total_us,
                 state->cost_count ? state->cost_total_us / state->cost_count : 0.0,
                 state->cost_min_us, state->cost_max_us, state->cost_count);
    return HSUCCEED;
}
