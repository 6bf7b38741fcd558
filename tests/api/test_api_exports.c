/* Checks that libInspireFace exports every function of the InspireFace 1.2.3
 * C API. The list is InspireFace's, in header order, kept independent of our
 * header so a missing or renamed declaration fails here. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

static const char *const api_functions[] = {
    "HFCreateImageStream",
    "HFCreateImageStreamEmpty",
    "HFImageStreamSetBuffer",
    "HFImageStreamSetRotation",
    "HFImageStreamSetFormat",
    "HFReleaseImageStream",
    "HFCreateImageBitmap",
    "HFCreateImageBitmapFromFilePath",
    "HFImageBitmapCopy",
    "HFReleaseImageBitmap",
    "HFCreateImageStreamFromImageBitmap",
    "HFCreateImageBitmapFromImageStreamProcess",
    "HFImageBitmapWriteToFile",
    "HFImageBitmapDrawRect",
    "HFImageBitmapDrawCircleF",
    "HFImageBitmapDrawCircle",
    "HFImageBitmapGetData",
    "HFImageBitmapShow",
    "HFLaunchInspireFace",
    "HFReloadInspireFace",
    "HFTerminateInspireFace",
    "HFQueryInspireFaceLaunchStatus",
    "HFQueryExpansiveHardwareRGACompileOption",
    "HFSetExpansiveHardwareRockchipDmaHeapPath",
    "HFQueryExpansiveHardwareRockchipDmaHeapPath",
    "HFSwitchImageProcessingBackend",
    "HFSetImageProcessAlignedWidth",
    "HFSetAppleCoreMLInferenceMode",
    "HFSetCudaDeviceId",
    "HFGetCudaDeviceId",
    "HFPrintCudaDeviceInfo",
    "HFGetNumCudaDevices",
    "HFCheckCudaDeviceSupport",
    "HFSwitchLandmarkEngine",
    "HFQuerySupportedPixelLevelsForFaceDetection",
    "HFCreateInspireFaceSession",
    "HFCreateInspireFaceSessionOptional",
    "HFReleaseInspireFaceSession",
    "HFSessionClearTrackingFace",
    "HFSessionSetTrackLostRecoveryMode",
    "HFSessionSetLightTrackConfidenceThreshold",
    "HFSessionSetTrackPreviewSize",
    "HFSessionGetTrackPreviewSize",
    "HFSessionSetFilterMinimumFacePixelSize",
    "HFSessionSetFaceDetectThreshold",
    "HFSessionSetTrackModeSmoothRatio",
    "HFSessionSetTrackModeNumSmoothCacheFrame",
    "HFSessionSetTrackModeDetectInterval",
    "HFExecuteFaceTrack",
    "HFSessionLastFaceDetectionGetDebugPreviewImageSize",
    "HFCopyFaceBasicToken",
    "HFGetFaceBasicTokenSize",
    "HFGetNumOfFaceDenseLandmark",
    "HFGetFaceDenseLandmarkFromFaceToken",
    "HFGetFaceFiveKeyPointsFromFaceToken",
    "HFSessionSetEnableTrackCostSpend",
    "HFSessionPrintTrackCostSpend",
    "HFFaceFeatureExtract",
    "HFFaceFeatureExtractTo",
    "HFFaceFeatureExtractCpy",
    "HFCreateFaceFeature",
    "HFReleaseFaceFeature",
    "HFFaceGetFaceAlignmentImage",
    "HFFaceFeatureExtractWithAlignmentImage",
    "HFFeatureHubDataEnable",
    "HFFeatureHubDataDisable",
    "HFFeatureHubFaceSearchThresholdSetting",
    "HFFaceComparison",
    "HFGetRecommendedCosineThreshold",
    "HFCosineSimilarityConvertToPercentage",
    "HFUpdateCosineSimilarityConverter",
    "HFGetCosineSimilarityConverter",
    "HFGetFeatureLength",
    "HFFeatureHubInsertFeature",
    "HFFeatureHubFaceSearch",
    "HFFeatureHubFaceSearchTopK",
    "HFFeatureHubFaceRemove",
    "HFFeatureHubFaceUpdate",
    "HFFeatureHubGetFaceIdentity",
    "HFFeatureHubGetFaceCount",
    "HFFeatureHubViewDBTable",
    "HFFeatureHubGetExistingIds",
    "HFMultipleFacePipelineProcess",
    "HFMultipleFacePipelineProcessOptional",
    "HFGetRGBLivenessConfidence",
    "HFGetFaceMaskConfidence",
    "HFGetFaceQualityConfidence",
    "HFFaceQualityDetect",
    "HFGetFaceInteractionStateResult",
    "HFGetFaceInteractionActionsResult",
    "HFGetFaceAttributeResult",
    "HFGetFaceEmotionResult",
    "HFQueryInspireFaceVersion",
    "HFQueryInspireFaceExtendedInformation",
    "HFSetLogLevel",
    "HFLogDisable",
    "HFLogPrint",
    "HFDeBugImageStreamImShow",
    "HFDeBugImageStreamDecodeSave",
    "HFDeBugShowResourceStatistics",
    "HFDeBugGetUnreleasedSessionsCount",
    "HFDeBugGetUnreleasedSessions",
    "HFDeBugGetUnreleasedStreamsCount",
    "HFDeBugGetUnreleasedStreams",
};

static void exports_every_api_function(void **state)
{
    (void)state;
    const char *path = HF_BINARY_DIR "/libInspireFace.so";
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL)
        fail_msg("dlopen %s failed: %s", path, dlerror());

    int missing = 0;
    for (size_t i = 0; i < sizeof api_functions / sizeof api_functions[0]; i++) {
        if (dlsym(library, api_functions[i]) == NULL) {
            print_error("not exported: %s\n", api_functions[i]);
            missing++;
        }
    }
    assert_int_equal(sizeof api_functions / sizeof api_functions[0], 104);
    assert_int_equal(missing, 0);
    dlclose(library);
}

static void hides_internal_symbols(void **state)
{
    (void)state;
    void *library = dlopen(HF_BINARY_DIR "/libInspireFace.so", RTLD_NOW | RTLD_LOCAL);
    assert_non_null(library);
    /* Internal functions stay out of the dynamic symbol table. */
    assert_null(dlsym(library, "hf_registry_add"));
    assert_null(dlsym(library, "hf_log_write"));
    /* Not part of the API although InspireFace defines it. */
    assert_null(dlsym(library, "HFSessionSetFaceTrackMode"));
    dlclose(library);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exports_every_api_function),
        cmocka_unit_test(hides_internal_symbols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
