/* Face pipeline: liveness, mask, quality, eye state, actions, attributes and
 * emotion. Not implemented yet: every call checks its handles and pointers,
 * then returns HERR_SESS_FUNCTION_UNUSABLE with one log line. */
#include "api/api_internal.h"

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

static HResult check_getter(const char *function, HFSession session, const void *output)
{
    HResult code = check_handles(session, NULL, 0);
    if (code != HSUCCEED)
        return code;
    if (output == NULL)
        return HERR_INVALID_PARAM;
    return hf_api_unusable(function);
}

static HResult run_pipeline(const char *function, HFSession session, HFImageStream stream,
                            PHFMultipleFaceData faces)
{
    HResult code = check_handles(session, stream, 1);
    if (code != HSUCCEED)
        return code;
    if (faces == NULL)
        return HERR_INVALID_FACE_LIST;
    if (faces->detectedNum == 0)
        return HSUCCEED;
    if (faces->tokens == NULL || faces->tokens[0].data == NULL)
        return HERR_INVALID_FACE_LIST;
    return hf_api_unusable(function);
}

HResult HFMultipleFacePipelineProcess(HFSession session, HFImageStream streamHandle,
                                      PHFMultipleFaceData faces,
                                      HFSessionCustomParameter parameter)
{
    (void)parameter;
    return run_pipeline(__func__, session, streamHandle, faces);
}

HResult HFMultipleFacePipelineProcessOptional(HFSession session, HFImageStream streamHandle,
                                              PHFMultipleFaceData faces, HInt32 customOption)
{
    (void)customOption;
    return run_pipeline(__func__, session, streamHandle, faces);
}

HResult HFGetRGBLivenessConfidence(HFSession session, PHFRGBLivenessConfidence confidence)
{
    return check_getter(__func__, session, confidence);
}

HResult HFGetFaceMaskConfidence(HFSession session, PHFFaceMaskConfidence confidence)
{
    return check_getter(__func__, session, confidence);
}

HResult HFGetFaceQualityConfidence(HFSession session, PHFFaceQualityConfidence confidence)
{
    return check_getter(__func__, session, confidence);
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
    return hf_api_unusable(__func__);
}

HResult HFGetFaceInteractionStateResult(HFSession session, PHFFaceInteractionState result)
{
    return check_getter(__func__, session, result);
}

HResult HFGetFaceInteractionActionsResult(HFSession session, PHFFaceInteractionsActions actions)
{
    return check_getter(__func__, session, actions);
}

HResult HFGetFaceAttributeResult(HFSession session, PHFFaceAttributeResult results)
{
    return check_getter(__func__, session, results);
}

HResult HFGetFaceEmotionResult(HFSession session, PHFFaceEmotionResult result)
{
    return check_getter(__func__, session, result);
}
