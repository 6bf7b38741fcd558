/* Face pipeline: RGB liveness, eye state, actions and emotion per tracked
 * face, and the getters of their session-owned result arrays.
 *
 * The default pack has no mask, attribute or quality model: those results
 * keep their not-computed values (-1.0, or -1 for attributes). Every
 * pipeline call resets all arrays to its face count; a later track call
 * empties them, except quality, which then covers the track call's faces. */
#include "api/api_internal.h"
#include "api/face_session.h"
#include "face/analysis.h"

/* Features a pipeline call requests. */
typedef struct pipeline_request {
    int liveness;
    int mask;
    int attribute;
    int interaction;
    int emotion;
} pipeline_request;

/* Returns the code for a bad session or stream, or HSUCCEED when both are
 * live handles (a NULL stream is skipped when `check_stream` is 0). */
static HResult check_handles(HFSession session, HFImageStream stream, int check_stream)
{
    if (!hf_registry_contains(HF_HANDLE_SESSION, session))
        return HERR_INVALID_CONTEXT_HANDLE;
    if (check_stream && !hf_registry_contains(HF_HANDLE_STREAM, stream))
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    return HSUCCEED;
}

/* Returns the session's results, first emptied when a track call came
 * after the last pipeline call. */
static hf_face_pipeline_results *current_results(hf_api_session *session)
{
    hf_face_pipeline_results *results = hf_face_session_pipeline(session->face);
    unsigned long calls = hf_face_session_detect_calls(session->face);

    if (results->detect_calls != calls) {
        if (hf_face_pipeline_reset(results, hf_face_session_face_count(session->face)) !=
            HF_OK) {
            return results;
        }
        results->detect_calls = calls;
        results->after_track = 1;
    }
    return results;
}

/* Returns the face count the pipeline getters (all but quality) report. */
static int pipeline_count(const hf_face_pipeline_results *results)
{
    return results->after_track ? 0 : results->count;
}

static HResult check_tokens(const char *function, PHFMultipleFaceData faces)
{
    if (faces == NULL || faces->detectedNum < 0) {
        HF_LOGE("%s: the face list is NULL or has a negative count", function);
        return HERR_INVALID_FACE_LIST;
    }
    if (faces->detectedNum == 0)
        return HSUCCEED;
    if (faces->tokens == NULL || faces->tokens[0].data == NULL) {
        HF_LOGE("%s: the face list has no tokens", function);
        return HERR_INVALID_FACE_LIST;
    }
    for (int i = 0; i < faces->detectedNum; i++) {
        if (faces->tokens[i].data == NULL || faces->tokens[i].size < HF_FACE_TOKEN_SIZE) {
            HF_LOGE("%s: token %d has %d bytes, expected %d", function, i,
                    (int)faces->tokens[i].size, HF_FACE_TOKEN_SIZE);
            return HERR_INVALID_FACE_TOKEN;
        }
    }
    return HSUCCEED;
}

/* Returns the name of the first requested feature the session was not
 * created with, or NULL. */
static const char *missing_feature(const hf_api_session *session,
                                   const pipeline_request *request)
{
    int flags = hf_face_analysis_flags(session->face);

    if (request->liveness && !(flags & HF_FACE_ANALYSIS_LIVENESS))
        return "liveness";
    if (request->mask && !session->parameter.enable_mask_detect)
        return "mask detection";
    if (request->attribute && !session->parameter.enable_face_attribute)
        return "face attributes";
    if (request->interaction && !(flags & HF_FACE_ANALYSIS_EYES))
        return "interaction";
    if (request->emotion && !(flags & HF_FACE_ANALYSIS_EMOTION))
        return "emotion";
    return NULL;
}

/* Returns whether a face's status fails the call. A face too small to crop
 * does not, and keeps its not-computed values. */
static int face_failed(hf_status status)
{
    return status != HF_OK && status != HF_ERR_RANGE;
}

static hf_status analyse_face(hf_api_session *session, const hf_face_frame *frame,
                              const pipeline_request *request, const hf_face_info *face,
                              hf_face_pipeline_results *results, int index)
{
    hf_status status = HF_OK;

    if (request->liveness) {
        status = hf_face_liveness_run(session->face, frame, face, &results->liveness[index]);
    }
    if (!face_failed(status) && request->interaction) {
        float open[2];

        status = hf_face_eyes_run(session->face, frame, face, open);
        if (status == HF_OK) {
            results->left_eye[index] = open[0];
            results->right_eye[index] = open[1];
        }
        /* In always-detect mode every face is new on each call, so no face
         * has the ten-frame history the other actions need. */
        results->actions[0][index] = 1;
        for (int k = 1; k < 5; k++) {
            results->actions[k][index] = 0;
        }
    }
    if (!face_failed(status) && request->emotion) {
        int emotion;

        status = hf_face_emotion_run(session->face, frame, face, &emotion);
        if (status == HF_OK) {
            results->emotion[index] = emotion;
        }
    }
    return face_failed(status) ? status : HF_OK;
}

static HResult analyse_faces(const char *function, hf_api_session *session,
                             HFImageStream stream, PHFMultipleFaceData faces,
                             const pipeline_request *request)
{
    hf_face_pipeline_results *results = hf_face_session_pipeline(session->face);
    hf_face_frame frame;
    hf_face_info face;
    void *storage = NULL;
    HResult code = HSUCCEED;

    if (hf_face_pipeline_reset(results, faces->detectedNum) != HF_OK) {
        return HERR_UNKNOWN;
    }
    results->detect_calls = hf_face_session_detect_calls(session->face);
    if (hf_api_stream_frame(stream, &frame, &storage) != HF_OK) {
        HF_LOGE("%s: the image stream is empty or could not be rendered", function);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    for (int i = 0; i < faces->detectedNum && code == HSUCCEED; i++) {
        const char *missing = missing_feature(session, request);
        hf_status status;

        if (missing != NULL) {
            HF_LOGE("%s: %s was not enabled when the session was created", function, missing);
            code = HERR_SESS_PIPELINE_FAILURE;
            break;
        }
        status = hf_face_token_decode(faces->tokens[i].data, (size_t)faces->tokens[i].size,
                                      &face);
        if (status == HF_OK) {
            status = analyse_face(session, &frame, request, &face, results, i);
        }
        if (status != HF_OK) {
            HF_LOGE("%s: face %d failed: %s", function, i, hf_status_message(status));
            code = HERR_SESS_PIPELINE_FAILURE;
        }
    }
    hf_api_frame_release(storage);
    return code;
}

static HResult run_pipeline(const char *function, HFSession handle, HFImageStream stream,
                            PHFMultipleFaceData faces, const pipeline_request *request)
{
    HResult code = check_handles(handle, stream, 1);

    if (code == HSUCCEED) {
        code = check_tokens(function, faces);
    }
    if (code != HSUCCEED || faces->detectedNum == 0) {
        return code;
    }
    return analyse_faces(function, hf_api_session_get(handle), stream, faces, request);
}

HResult HFMultipleFacePipelineProcess(HFSession session, HFImageStream streamHandle,
                                      PHFMultipleFaceData faces,
                                      HFSessionCustomParameter parameter)
{
    pipeline_request request = {
        parameter.enable_liveness != 0, parameter.enable_mask_detect != 0,
        parameter.enable_face_attribute != 0, parameter.enable_interaction_liveness != 0,
        parameter.enable_face_emotion != 0};

    return run_pipeline(__func__, session, streamHandle, faces, &request);
}

HResult HFMultipleFacePipelineProcessOptional(HFSession session, HFImageStream streamHandle,
                                              PHFMultipleFaceData faces, HInt32 customOption)
{
    pipeline_request request = {
        (customOption & HF_ENABLE_LIVENESS) != 0, (customOption & HF_ENABLE_MASK_DETECT) != 0,
        (customOption & HF_ENABLE_FACE_ATTRIBUTE) != 0,
        (customOption & HF_ENABLE_INTERACTION) != 0,
        (customOption & HF_ENABLE_FACE_EMOTION) != 0};

    return run_pipeline(__func__, session, streamHandle, faces, &request);
}

/* Checks a getter's arguments and returns the session's current results
 * through `out`. */
static HResult getter_results(const char *function, HFSession handle, const void *output,
                              hf_face_pipeline_results **out)
{
    HResult code = check_handles(handle, NULL, 0);

    if (code != HSUCCEED)
        return code;
    if (output == NULL) {
        HF_LOGE("%s: the result pointer is NULL", function);
        return HERR_INVALID_PARAM;
    }
    *out = current_results(hf_api_session_get(handle));
    return HSUCCEED;
}

HResult HFGetRGBLivenessConfidence(HFSession session, PHFRGBLivenessConfidence confidence)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, confidence, &results);

    if (code == HSUCCEED) {
        confidence->num = pipeline_count(results);
        confidence->confidence = results->liveness;
    }
    return code;
}

HResult HFGetFaceMaskConfidence(HFSession session, PHFFaceMaskConfidence confidence)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, confidence, &results);

    if (code == HSUCCEED) {
        confidence->num = pipeline_count(results);
        confidence->confidence = results->mask;
    }
    return code;
}

HResult HFGetFaceQualityConfidence(HFSession session, PHFFaceQualityConfidence confidence)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, confidence, &results);

    /* No quality model exists for this pack: every face reads -1.0. */
    if (code == HSUCCEED) {
        confidence->num = results->count;
        confidence->confidence = results->quality;
    }
    return code;
}

HResult HFFaceQualityDetect(HFSession session, HFFaceBasicToken singleFace, HPFloat confidence)
{
    HResult code = check_handles(session, NULL, 0);

    if (code != HSUCCEED)
        return code;
    if (singleFace.data == NULL)
        return HERR_INVALID_FACE_TOKEN;
    if (confidence == NULL)
        return HERR_INVALID_PARAM;
    if (singleFace.size < HF_FACE_TOKEN_SIZE) {
        HF_LOGE("HFFaceQualityDetect: token has %d bytes, expected %d", (int)singleFace.size,
                HF_FACE_TOKEN_SIZE);
        return HERR_SESS_FACE_DATA_ERROR;
    }
    *confidence = -1.0f;
    return HSUCCEED;
}

HResult HFGetFaceInteractionStateResult(HFSession session, PHFFaceInteractionState result)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, result, &results);

    if (code == HSUCCEED) {
        result->num = pipeline_count(results);
        result->leftEyeStatusConfidence = results->left_eye;
        result->rightEyeStatusConfidence = results->right_eye;
    }
    return code;
}

HResult HFGetFaceInteractionActionsResult(HFSession session, PHFFaceInteractionsActions actions)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, actions, &results);

    if (code == HSUCCEED) {
        actions->num = pipeline_count(results);
        actions->normal = results->actions[0];
        actions->shake = results->actions[1];
        actions->jawOpen = results->actions[2];
        actions->headRaise = results->actions[3];
        actions->blink = results->actions[4];
    }
    return code;
}

HResult HFGetFaceAttributeResult(HFSession session, PHFFaceAttributeResult results)
{
    hf_face_pipeline_results *state;
    HResult code = getter_results(__func__, session, results, &state);

    if (code == HSUCCEED) {
        results->num = pipeline_count(state);
        results->race = state->attributes[0];
        results->gender = state->attributes[1];
        results->ageBracket = state->attributes[2];
    }
    return code;
}

HResult HFGetFaceEmotionResult(HFSession session, PHFFaceEmotionResult result)
{
    hf_face_pipeline_results *results;
    HResult code = getter_results(__func__, session, result, &results);

    if (code == HSUCCEED) {
        result->num = pipeline_count(results);
        result->emotion = results->emotion;
    }
    return code;
}
