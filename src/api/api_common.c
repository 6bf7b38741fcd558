#include "api/api_internal.h"

HResult hf_api_unusable(const char *function)
{
    HF_LOGE("%s: not available in this build of inspireface-c", function);
    return HERR_SESS_FUNCTION_UNUSABLE;
}

HResult hf_api_status_code(hf_status status, HResult fallback)
{
    switch (status) {
    case HF_OK: return HSUCCEED;
    case HF_ERR_INVALID_ARG: return HERR_INVALID_PARAM;
    case HF_ERR_UNSUPPORTED: return HERR_SESS_FUNCTION_UNUSABLE;
    default: return fallback;
    }
}
