/* Error code values, version and extended information, logging, and the
 * hardware-extension calls of a CPU build. Expected values are
 * InspireFace 1.2.3's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "inspireface.h"

static void error_codes_match_inspireface(void **state)
{
    (void)state;
    static const struct {
        long value;
        long expected;
    } codes[] = {
        {HSUCCEED, 0},
        {HERR_UNKNOWN, 1},
        {HERR_INVALID_PARAM, 2},
        {HERR_INVALID_IMAGE_STREAM_HANDLE, 3},
        {HERR_INVALID_CONTEXT_HANDLE, 4},
        {HERR_INVALID_FACE_TOKEN, 5},
        {HERR_INVALID_FACE_FEATURE, 6},
        {HERR_INVALID_FACE_LIST, 7},
        {HERR_INVALID_BUFFER_SIZE, 8},
        {HERR_INVALID_IMAGE_STREAM_PARAM, 9},
        {HERR_INVALID_SERIALIZATION_FAILED, 10},
        {HERR_INVALID_DETECTION_INPUT, 11},
        {HERR_INVALID_IMAGE_BITMAP_HANDLE, 12},
        {HERR_IMAGE_STREAM_DECODE_FAILED, 13},
        {HERR_SESS_BASE, 100},
        {HERR_SESS_FUNCTION_UNUSABLE, 101},
        {HERR_SESS_TRACKER_FAILURE, 102},
        {HERR_SESS_PIPELINE_FAILURE, 103},
        {HERR_SESS_INVALID_RESOURCE, 104},
        {HERR_SESS_LANDMARK_NUM_NOT_MATCH, 105},
        {HERR_SESS_LANDMARK_NOT_ENABLE, 106},
        {HERR_SESS_KEY_POINT_NUM_NOT_MATCH, 107},
        {HERR_SESS_REC_EXTRACT_FAILURE, 108},
        {HERR_SESS_REC_CONTRAST_FEAT_ERR, 109},
        {HERR_SESS_FACE_DATA_ERROR, 110},
        {HERR_SESS_FACE_REC_OPTION_ERROR, 111},
        {HERR_FT_HUB_BASE, 200},
        {HERR_FT_HUB_DISABLE, 201},
        {HERR_FT_HUB_INSERT_FAILURE, 202},
        {HERR_FT_HUB_NOT_FOUND_FEATURE, 203},
        {HERR_ARCHIVE_BASE, 250},
        {HERR_ARCHIVE_LOAD_FAILURE, 251},
        {HERR_ARCHIVE_LOAD_MODEL_FAILURE, 252},
        {HERR_ARCHIVE_FILE_FORMAT_ERROR, 253},
        {HERR_ARCHIVE_REPETITION_LOAD, 254},
        {HERR_ARCHIVE_NOT_LOAD, 255},
        {HERR_DEVICE_BASE, 300},
        {HERR_DEVICE_CUDA_NOT_SUPPORT, 301},
        {HERR_DEVICE_CUDA_TENSORRT_NOT_SUPPORT, 302},
        {HERR_DEVICE_CUDA_UNKNOWN_ERROR, 303},
        {HERR_DEVICE_CUDA_DISABLE, 304},
        {HERR_EXTENSION_BASE, 350},
        {HERR_EXTENSION_ERROR, 351},
        {HERR_EXTENSION_MLMODEL_LOAD_FAILED, 352},
        {HERR_EXTENSION_HETERO_MODEL_TAG_ERROR, 353},
        {HERR_EXTENSION_HETERO_REC_HEAD_CONFIG_ERROR, 354},
        {HERR_EXTENSION_HETERO_MODEL_NOT_MATCH, 355},
        {HERR_EXTENSION_HETERO_MODEL_NOT_LOADED, 356},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_int_equal(codes[i].value, codes[i].expected);
}

static void version_is_1_2_3(void **state)
{
    (void)state;
    HFInspireFaceVersion version = {-1, -1, -1};
    assert_int_equal(HFQueryInspireFaceVersion(&version), HSUCCEED);
    assert_int_equal(version.major, 1);
    assert_int_equal(version.minor, 2);
    assert_int_equal(version.patch, 3);
    assert_int_equal(HFQueryInspireFaceVersion(NULL), HERR_INVALID_PARAM);
}

static void extended_information_is_terminated(void **state)
{
    (void)state;
    HFInspireFaceExtendedInformation info;
    memset(&info, 'x', sizeof info);
    assert_int_equal(HFQueryInspireFaceExtendedInformation(&info), HSUCCEED);
    size_t length = strnlen(info.information, sizeof info.information);
    assert_true(length > 0);
    assert_true(length < sizeof info.information);
    assert_int_equal(HFQueryInspireFaceExtendedInformation(NULL), HERR_INVALID_PARAM);
}

/* Captures log lines instead of writing them to stderr. */
typedef struct captured_log {
    int lines;
    int last_level;
    char last_line[HF_LOG_LINE_MAX];
} captured_log;

static void capture_line(int level, const char *line, void *user)
{
    captured_log *log = user;
    log->lines++;
    log->last_level = level;
    strncpy(log->last_line, line, sizeof log->last_line - 1);
    log->last_line[sizeof log->last_line - 1] = '\0';
}

static int install_capture(void **state)
{
    captured_log *log = calloc(1, sizeof *log);
    hf_log_set_sink(capture_line, log);
    *state = log;
    return 0;
}

static int remove_capture(void **state)
{
    hf_log_set_sink(NULL, NULL);
    HFSetLogLevel(HF_LOG_INFO);
    free(*state);
    return 0;
}

static void log_print_respects_level(void **state)
{
    captured_log *log = *state;
    assert_int_equal(HFSetLogLevel(HF_LOG_WARN), HSUCCEED);
    assert_int_equal(HFLogPrint(HF_LOG_INFO, "dropped %d", 1), HSUCCEED);
    assert_int_equal(log->lines, 0);
    assert_int_equal(HFLogPrint(HF_LOG_ERROR, "kept %d", 2), HSUCCEED);
    assert_int_equal(log->lines, 1);
    assert_int_equal(log->last_level, HF_LOG_ERROR);
    assert_string_equal(log->last_line, "kept 2");
    assert_int_equal(HFLogPrint(HF_LOG_NONE, "never"), HSUCCEED);
    assert_int_equal(log->lines, 1);
}

static void log_disable_silences_everything(void **state)
{
    captured_log *log = *state;
    assert_int_equal(HFLogDisable(), HSUCCEED);
    HFLogPrint(HF_LOG_FATAL, "fatal while disabled");
    HFLogPrint(HF_LOG_ERROR, "error while disabled");
    assert_int_equal(log->lines, 0);
}

static void log_print_truncates_long_messages(void **state)
{
    captured_log *log = *state;
    char message[2001];
    memset(message, 'a', 2000);
    message[2000] = '\0';
    HFSetLogLevel(HF_LOG_DEBUG);
    assert_int_equal(HFLogPrint(HF_LOG_WARN, "%s", message), HSUCCEED);
    assert_int_equal(log->lines, 1);
    assert_int_equal(strlen(log->last_line), 1023);
}

static void log_fatal_does_not_abort(void **state)
{
    captured_log *log = *state;
    assert_int_equal(HFLogPrint(HF_LOG_FATAL, "still alive"), HSUCCEED);
    assert_int_equal(log->lines, 1);
    assert_int_equal(log->last_level, HF_LOG_FATAL);
}

static void cuda_calls_report_cpu_build(void **state)
{
    (void)state;
    HInt32 value = 77;
    assert_int_equal(HFGetNumCudaDevices(&value), HERR_DEVICE_CUDA_DISABLE);
    assert_int_equal(value, 77);
    assert_int_equal(HFCheckCudaDeviceSupport(&value), HERR_DEVICE_CUDA_DISABLE);
    assert_int_equal(value, 77);
    assert_int_equal(HFPrintCudaDeviceInfo(), HERR_DEVICE_CUDA_DISABLE);

    assert_int_equal(HFGetCudaDeviceId(&value), HSUCCEED);
    assert_int_equal(value, 0);
    assert_int_equal(HFSetCudaDeviceId(3), HSUCCEED);
    assert_int_equal(HFGetCudaDeviceId(&value), HSUCCEED);
    assert_int_equal(value, 3);
    assert_int_equal(HFGetCudaDeviceId(NULL), HERR_INVALID_PARAM);
}

static void rga_and_coreml_report_cpu_build(void **state)
{
    (void)state;
    HInt32 enabled = 5;
    assert_int_equal(HFQueryExpansiveHardwareRGACompileOption(&enabled), HSUCCEED);
    assert_int_equal(enabled, 0);

    char path[256];
    memset(path, 'x', sizeof path);
    assert_int_equal(HFQueryExpansiveHardwareRockchipDmaHeapPath(path), HSUCCEED);
    assert_string_equal(path, "");
    assert_int_equal(HFSetExpansiveHardwareRockchipDmaHeapPath("/dev/dma_heap/test"), HSUCCEED);
    assert_int_equal(HFQueryExpansiveHardwareRockchipDmaHeapPath(path), HSUCCEED);
    assert_string_equal(path, "/dev/dma_heap/test");
    assert_int_equal(HFSetExpansiveHardwareRockchipDmaHeapPath(NULL), HERR_INVALID_PARAM);
    assert_int_equal(HFQueryExpansiveHardwareRockchipDmaHeapPath(NULL), HERR_INVALID_PARAM);

    assert_int_equal(HFSwitchImageProcessingBackend(5), HERR_INVALID_PARAM);
    assert_int_equal(HFSwitchImageProcessingBackend(HF_IMAGE_PROCESSING_RGA), HSUCCEED);
    assert_int_equal(HFSwitchImageProcessingBackend(HF_IMAGE_PROCESSING_CPU), HSUCCEED);
    assert_int_equal(HFSetAppleCoreMLInferenceMode(7), HERR_INVALID_PARAM);
    assert_int_equal(HFSetAppleCoreMLInferenceMode(HF_APPLE_COREML_INFERENCE_MODE_GPU), HSUCCEED);
    assert_int_equal(HFSetImageProcessAlignedWidth(16), HSUCCEED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_codes_match_inspireface),
        cmocka_unit_test(version_is_1_2_3),
        cmocka_unit_test(extended_information_is_terminated),
        cmocka_unit_test_setup_teardown(log_print_respects_level, install_capture, remove_capture),
        cmocka_unit_test_setup_teardown(log_disable_silences_everything, install_capture,
                                        remove_capture),
        cmocka_unit_test_setup_teardown(log_print_truncates_long_messages, install_capture,
                                        remove_capture),
        cmocka_unit_test_setup_teardown(log_fatal_does_not_abort, install_capture, remove_capture),
        cmocka_unit_test(cuda_calls_report_cpu_build),
        cmocka_unit_test(rga_and_coreml_report_cpu_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
