/* Launching, reloading and terminating the model pack. */
#include "api/api_internal.h"
#include "api/launch.h"

/* A path that does not exist and a NULL path give HERR_ARCHIVE_LOAD_FAILURE
 * (InspireFace aborts or crashes there); every failure on a path that exists
 * gives HERR_ARCHIVE_LOAD_MODEL_FAILURE, as InspireFace returns. */
static HResult launch_code(const char *function, const char *path, hf_status status)
{
    if (status == HF_OK) {
        return HSUCCEED;
    }
    if (path == NULL) {
        HF_LOGE("%s: resourcePath is NULL", function);
        return HERR_ARCHIVE_LOAD_FAILURE;
    }
    HF_LOGE("%s: cannot launch model pack %s: %s", function, path, hf_status_message(status));
    return status == HF_ERR_NOT_FOUND ? HERR_ARCHIVE_LOAD_FAILURE
                                      : HERR_ARCHIVE_LOAD_MODEL_FAILURE;
}

HResult HFLaunchInspireFace(HPath resourcePath)
{
    return launch_code(__func__, resourcePath, hf_launch_open(resourcePath));
}

HResult HFReloadInspireFace(HPath resourcePath)
{
    return launch_code(__func__, resourcePath, hf_launch_reload(resourcePath));
}

HResult HFTerminateInspireFace(void)
{
    hf_launch_terminate();
    return HSUCCEED;
}

HResult HFQueryInspireFaceLaunchStatus(HPInt32 status)
{
    if (status == NULL) {
        HF_LOGE("HFQueryInspireFaceLaunchStatus: status is NULL");
        return HERR_INVALID_PARAM;
    }
    *status = hf_launch_is_launched() ? HF_STATUS_ENABLE : HF_STATUS_DISABLE;
    return HSUCCEED;
}
