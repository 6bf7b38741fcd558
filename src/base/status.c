#include "base/status.h"

static const char *const status_names[] = {
#define HF_STATUS_NAME_ENTRY(name, message) #name,
    HF_STATUS_TABLE(HF_STATUS_NAME_ENTRY)
#undef HF_STATUS_NAME_ENTRY
};

static const char *const status_messages[] = {
#define HF_STATUS_MESSAGE_ENTRY(name, message) message,
    HF_STATUS_TABLE(HF_STATUS_MESSAGE_ENTRY)
#undef HF_STATUS_MESSAGE_ENTRY
};

const char *hf_status_name(hf_status status)
{
    if ((unsigned)status >= HF_STATUS_COUNT)
        return "HF_ERR_UNKNOWN";
    return status_names[status];
}

const char *hf_status_message(hf_status status)
{
    if ((unsigned)status >= HF_STATUS_COUNT)
        return "unknown status";
    return status_messages[status];
}
