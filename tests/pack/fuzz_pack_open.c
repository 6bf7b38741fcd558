/* libFuzzer target: any bytes given to hf_pack_open_memory are either a
 * verified pack or rejected, without crashes, leaks or reads out of bounds.
 * The same bytes also go through the JSON parser alone, since a random tar
 * rarely gets as far as its manifest. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/log.h"
#include "pack/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_pack *pack = NULL;
    hf_json *json = NULL;

    hf_log_set_level(HF_LOG_LEVEL_NONE);
    if (hf_pack_open_memory(data, size, &pack) == HF_OK) {
        char *text = hf_pack_describe(pack);

        hf_free(text);
        hf_pack_release(pack);
    }
    if (hf_json_parse((const char *)data, size, &json) == HF_OK) {
        for (size_t i = 0; i < hf_json_count(json); i++) {
            (void)hf_json_string(hf_json_at(json, i));
            (void)hf_json_key_at(json, i);
        }
        hf_json_free(json);
    }
    return 0;
}
