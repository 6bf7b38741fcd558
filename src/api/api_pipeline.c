/* Face pipeline: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFMultipleFacePipelineProcess(HFSession session, HFImageStream streamHandle, PHFMultipleFaceData faces, HFSessionCustomParameter parameter)
{
    (void)session;
    (void)streamHandle;
    (void)faces;
    (void)parameter;
    return hf_api_unusable(__func__);
}

HResult HFMultipleFacePipelineProcessOptional(HFSession session, HFImageStream streamHandle, PHFMultipleFaceData faces, HInt32 customOption)
{
    (void)session;
    (void)streamHandle;
    (void)faces;
    (void)customOption;
    return hf_api_unusable(__func__);
}

HResult HFGetRGBLivenessConfidence(HFSession session, PHFRGBLivenessConfidence confidence)
{
    (void)session;
    (void)confidence;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceMaskConfidence(HFSession session, PHFFaceMaskConfidence confidence)
{
    (void)session;
    (void)confidence;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceQualityConfidence(HFSession session, PHFFaceQualityConfidence confidence)
{
    (void)session;
    (void)confidence;
    return hf_api_unusable(__func__);
}

HResult HFFaceQualityDetect(HFSession session, HFFaceBasicToken singleFace, HPFloat confidence)
{
    (void)session;
    (void)singleFace;
    (void)confidence;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceInteractionStateResult(HFSession session, PHFFaceInteractionState result)
{
    (void)session;
    (void)result;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceInteractionActionsResult(HFSession session, PHFFaceInteractionsActions actions)
{
    (void)session;
    (void)actions;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceAttributeResult(HFSession session, PHFFaceAttributeResult results)
{
    (void)session;
    (void)results;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceEmotionResult(HFSession session, PHFFaceEmotionResult result)
{
    (void)session;
    (void)result;
    return hf_api_unusable(__func__);
}
