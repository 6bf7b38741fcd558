/* Face tracking: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFSessionClearTrackingFace(HFSession session)
{
    (void)session;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetTrackLostRecoveryMode(HFSession session, HInt32 enable)
{
    (void)session;
    (void)enable;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetLightTrackConfidenceThreshold(HFSession session, HFloat value)
{
    (void)session;
    (void)value;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetTrackPreviewSize(HFSession session, HInt32 previewSize)
{
    (void)session;
    (void)previewSize;
    return hf_api_unusable(__func__);
}

HResult HFSessionGetTrackPreviewSize(HFSession session, HPInt32 previewSize)
{
    (void)session;
    (void)previewSize;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetFilterMinimumFacePixelSize(HFSession session, HInt32 minSize)
{
    (void)session;
    (void)minSize;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetFaceDetectThreshold(HFSession session, HFloat threshold)
{
    (void)session;
    (void)threshold;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetTrackModeSmoothRatio(HFSession session, HFloat ratio)
{
    (void)session;
    (void)ratio;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetTrackModeNumSmoothCacheFrame(HFSession session, HInt32 num)
{
    (void)session;
    (void)num;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetTrackModeDetectInterval(HFSession session, HInt32 num)
{
    (void)session;
    (void)num;
    return hf_api_unusable(__func__);
}

HResult HFExecuteFaceTrack(HFSession session, HFImageStream streamHandle, PHFMultipleFaceData results)
{
    (void)session;
    (void)streamHandle;
    (void)results;
    return hf_api_unusable(__func__);
}

HResult HFSessionLastFaceDetectionGetDebugPreviewImageSize(HFSession session, HPInt32 size)
{
    (void)session;
    (void)size;
    return hf_api_unusable(__func__);
}

HResult HFCopyFaceBasicToken(HFFaceBasicToken token, HPBuffer buffer, HInt32 bufferSize)
{
    (void)token;
    (void)buffer;
    (void)bufferSize;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceBasicTokenSize(HPInt32 bufferSize)
{
    (void)bufferSize;
    return hf_api_unusable(__func__);
}

HResult HFGetNumOfFaceDenseLandmark(HPInt32 num)
{
    (void)num;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceDenseLandmarkFromFaceToken(HFFaceBasicToken singleFace, PHPoint2f landmarks, HInt32 num)
{
    (void)singleFace;
    (void)landmarks;
    (void)num;
    return hf_api_unusable(__func__);
}

HResult HFGetFaceFiveKeyPointsFromFaceToken(HFFaceBasicToken singleFace, PHPoint2f landmarks, HInt32 num)
{
    (void)singleFace;
    (void)landmarks;
    (void)num;
    return hf_api_unusable(__func__);
}

HResult HFSessionSetEnableTrackCostSpend(HFSession session, HInt32 value)
{
    (void)session;
    (void)value;
    return hf_api_unusable(__func__);
}

HResult HFSessionPrintTrackCostSpend(HFSession session)
{
    (void)session;
    return hf_api_unusable(__func__);
}
