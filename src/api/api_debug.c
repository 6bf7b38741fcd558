/* Debug utilities that read the handle registry. */
#include "api/api_internal.h"

static const struct {
    hf_handle_kind kind;
    const char *name;
} resource_kinds[] = {
    {HF_HANDLE_SESSION, "Session"},
    {HF_HANDLE_STREAM, "Stream"},
    {HF_HANDLE_BITMAP, "Bitmap"},
    {HF_HANDLE_FEATURE, "FaceFeature"},
};

HResult HFDeBugShowResourceStatistics(void)
{
    HF_LOGI("%-12s %10s %10s %14s", "Resource", "Created", "Released", "Not released");
    for (size_t i = 0; i < sizeof resource_kinds / sizeof resource_kinds[0]; i++) {
        long created = 0, released = 0;
        hf_registry_totals(resource_kinds[i].kind, &created, &released);
        HF_LOGI("%-12s %10ld %10ld %14ld", resource_kinds[i].name, created, released,
                created - released);
    }
    return HSUCCEED;
}

static HResult count_handles(hf_handle_kind kind, HPInt32 count)
{
    if (count == NULL)
        return HERR_INVALID_PARAM;
    *count = hf_registry_count(kind);
    return HSUCCEED;
}

static HResult list_handles(hf_handle_kind kind, void **handles, HInt32 count)
{
    if (handles == NULL || count < 0)
        return HERR_INVALID_PARAM;
    hf_registry_list(kind, handles, count);
    return HSUCCEED;
}

HResult HFDeBugGetUnreleasedSessionsCount(HPInt32 count)
{
    return count_handles(HF_HANDLE_SESSION, count);
}

HResult HFDeBugGetUnreleasedSessions(PHFSession sessions, HInt32 count)
{
    return list_handles(HF_HANDLE_SESSION, sessions, count);
}

HResult HFDeBugGetUnreleasedStreamsCount(HPInt32 count)
{
    return count_handles(HF_HANDLE_STREAM, count);
}

HResult HFDeBugGetUnreleasedStreams(PHFImageStream streams, HInt32 count)
{
    return list_handles(HF_HANDLE_STREAM, streams, count);
}
