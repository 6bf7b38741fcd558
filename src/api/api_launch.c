/* Launching the model pack: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFLaunchInspireFace(HPath resourcePath)
{
    (void)resourcePath;
    return hf_api_unusable(__func__);
}

HResult HFReloadInspireFace(HPath resourcePath)
{
    (void)resourcePath;
    return hf_api_unusable(__func__);
}

HResult HFTerminateInspireFace(void)
{
    return hf_api_unusable(__func__);
}

HResult HFQueryInspireFaceLaunchStatus(HPInt32 status)
{
    (void)status;
    return hf_api_unusable(__func__);
}
