/* Version, extended information and logging. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "base/cpu.h"

#define HF_STRINGIFY_(x) #x
#define HF_STRINGIFY(x) HF_STRINGIFY_(x)

HResult HFQueryInspireFaceVersion(PHFInspireFaceVersion version)
{
    if (version == NULL)
        return HERR_INVALID_PARAM;
    version->major = HF_VERSION_MAJOR;
    version->minor = HF_VERSION_MINOR;
    version->patch = HF_VERSION_PATCH;
    return HSUCCEED;
}

HResult HFQueryInspireFaceExtendedInformation(PHFInspireFaceExtendedInformation information)
{
    if (information == NULL)
        return HERR_INVALID_PARAM;
    /* snprintf always NUL-terminates within the 256 bytes, unlike InspireFace. */
    snprintf(information->information, sizeof information->information,
             "inspireface-c %s.%s.%s - face recognition SDK in C, CPU kernels: %s",
             HF_STRINGIFY(HF_VERSION_MAJOR), HF_STRINGIFY(HF_VERSION_MINOR),
             HF_STRINGIFY(HF_VERSION_PATCH), hf_cpu_level_name(hf_cpu_level_get()));
    return HSUCCEED;
}

HResult HFSetLogLevel(HFLogLevel level)
{
    hf_log_set_level((int)level);
    return HSUCCEED;
}

HResult HFLogDisable(void)
{
    hf_log_set_level(HF_LOG_LEVEL_NONE);
    return HSUCCEED;
}

HResult HFLogPrint(HFLogLevel level, HFormat format, ...)
{
    if (format == NULL)
        return HSUCCEED;
    va_list args;
    va_start(args, format);
    /* Caller messages carry no file/line prefix, also at debug level. */
    hf_log_vwrite((int)level, NULL, 0, NULL, format, args);
    va_end(args);
    return HSUCCEED;
}
