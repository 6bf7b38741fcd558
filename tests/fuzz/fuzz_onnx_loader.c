/* libFuzzer target for the ONNX loader: every input is loaded as a model;
 * inputs that load and are cheap to run are also run once. Build with
 * -DHF_BUILD_FUZZ=ON -DHF_SANITIZE=ON and clang, then run e.g.
 *   build/tests/fuzz/fuzz_onnx_loader -max_total_time=600 CORPUS_DIR
 * with CORPUS_DIR seeded from models/ (see tests/fuzz/CMakeLists.txt). */
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "runtime/runtime.h"

/* Models above this many multiply-accumulates are loaded but not run. */
#define FUZZ_MAX_RUN_MACS 20000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    hf_rt_model *model = NULL;
    hf_rt_instance *inst = NULL;
    hf_rt_load_options options = {.label = "fuzz"};

    if (!quiet) {
        hf_log_set_level(HF_LOG_LEVEL_NONE);
        quiet = 1;
    }
    if (hf_rt_model_load(data, size, &options, &model) != HF_OK)
        return 0;
    if (hf_rt_model_macs(model) <= FUZZ_MAX_RUN_MACS &&
        hf_rt_instance_create(model, NULL, &inst) == HF_OK) {
        if (hf_rt_instance_run(inst) == HF_OK)
            (void)hf_rt_instance_output(inst, 0, NULL);
        hf_rt_instance_destroy(inst);
    }
    hf_rt_model_release(model);
    return 0;
}
