/* Feature extraction: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFFaceFeatureExtract(HFSession session, HFImageStream streamHandle, HFFaceBasicToken singleFace, PHFFaceFeature feature)
{
    (void)session;
    (void)streamHandle;
    (void)singleFace;
    (void)feature;
    return hf_api_unusable(__func__);
}

HResult HFFaceFeatureExtractTo(HFSession session, HFImageStream streamHandle, HFFaceBasicToken singleFace, HFFaceFeature feature)
{
    (void)session;
    (void)streamHandle;
    (void)singleFace;
    (void)feature;
    return hf_api_unusable(__func__);
}

HResult HFFaceFeatureExtractCpy(HFSession session, HFImageStream streamHandle, HFFaceBasicToken singleFace, HPFloat feature)
{
    (void)session;
    (void)streamHandle;
    (void)singleFace;
    (void)feature;
    return hf_api_unusable(__func__);
}

HResult HFCreateFaceFeature(PHFFaceFeature feature)
{
    (void)feature;
    return hf_api_unusable(__func__);
}

HResult HFReleaseFaceFeature(PHFFaceFeature feature)
{
    (void)feature;
    return hf_api_unusable(__func__);
}

HResult HFFaceGetFaceAlignmentImage(HFSession session, HFImageStream streamHandle, HFFaceBasicToken singleFace, PHFImageBitmap handle)
{
    (void)session;
    (void)streamHandle;
    (void)singleFace;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFFaceFeatureExtractWithAlignmentImage(HFSession session, HFImageStream streamHandle, HFFaceFeature feature)
{
    (void)session;
    (void)streamHandle;
    (void)feature;
    return hf_api_unusable(__func__);
}
