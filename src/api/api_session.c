/* Session creation: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFSwitchLandmarkEngine(HFSessionLandmarkEngine engine)
{
    (void)engine;
    return hf_api_unusable(__func__);
}

HResult HFQuerySupportedPixelLevelsForFaceDetection(PHFFaceDetectPixelList pixel_levels)
{
    (void)pixel_levels;
    return hf_api_unusable(__func__);
}

HResult HFCreateInspireFaceSession(HFSessionCustomParameter parameter, HFDetectMode detectMode, HInt32 maxDetectFaceNum, HInt32 detectPixelLevel, HInt32 trackByDetectModeFPS, PHFSession handle)
{
    (void)parameter;
    (void)detectMode;
    (void)maxDetectFaceNum;
    (void)detectPixelLevel;
    (void)trackByDetectModeFPS;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFCreateInspireFaceSessionOptional(HOption customOption, HFDetectMode detectMode, HInt32 maxDetectFaceNum, HInt32 detectPixelLevel, HInt32 trackByDetectModeFPS, PHFSession handle)
{
    (void)customOption;
    (void)detectMode;
    (void)maxDetectFaceNum;
    (void)detectPixelLevel;
    (void)trackByDetectModeFPS;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFReleaseInspireFaceSession(HFSession handle)
{
    (void)handle;
    return hf_api_unusable(__func__);
}
