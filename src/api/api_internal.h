/* Helpers shared by the files of src/api, the only layer that sees the
 * public HERR_* codes. */
#ifndef HF_API_INTERNAL_H
#define HF_API_INTERNAL_H

#include <stddef.h>

#include "inspireface.h"

#include "api/registry.h"
#include "base/log.h"
#include "base/status.h"

/* Logs that `function` has no implementation in this build and returns
 * HERR_SESS_FUNCTION_UNUSABLE. */
HResult hf_api_unusable(const char *function);

/* Maps an internal status to the closest public code; `fallback` is used
 * for statuses that have no obvious counterpart. */
HResult hf_api_status_code(hf_status status, HResult fallback);

#endif
