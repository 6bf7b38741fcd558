/* Compile-time checks that the public types keep InspireFace 1.2.3's binary
 * layout and values on LP64 platforms, so programs built against
 * InspireFace's headers interoperate with this library. */
#include <stddef.h>

#include "inspireface.h"

#define HF_EXPECT(condition) _Static_assert(condition, #condition)

#if defined(__LP64__) || defined(_LP64)
HF_EXPECT(sizeof(HResult) == 8);
HF_EXPECT(sizeof(HFImageData) == 24);
HF_EXPECT(offsetof(HFImageData, width) == 8);
HF_EXPECT(offsetof(HFImageData, format) == 16);
HF_EXPECT(offsetof(HFImageData, rotation) == 20);
HF_EXPECT(sizeof(HFImageBitmapData) == 24);
HF_EXPECT(offsetof(HFImageBitmapData, channels) == 16);
HF_EXPECT(sizeof(HFFaceBasicToken) == 16);
HF_EXPECT(offsetof(HFFaceBasicToken, data) == 8);
HF_EXPECT(sizeof(HFMultipleFaceData) == 72);
HF_EXPECT(offsetof(HFMultipleFaceData, rects) == 8);
HF_EXPECT(offsetof(HFMultipleFaceData, detConfidence) == 32);
HF_EXPECT(offsetof(HFMultipleFaceData, angles) == 40);
HF_EXPECT(offsetof(HFMultipleFaceData, tokens) == 64);
HF_EXPECT(sizeof(HFFaceFeature) == 16);
HF_EXPECT(sizeof(HFFeatureHubConfiguration) == 24);
HF_EXPECT(offsetof(HFFeatureHubConfiguration, persistenceDbPath) == 8);
HF_EXPECT(offsetof(HFFeatureHubConfiguration, searchThreshold) == 16);
HF_EXPECT(offsetof(HFFeatureHubConfiguration, searchMode) == 20);
HF_EXPECT(sizeof(HFFaceFeatureIdentity) == 16);
HF_EXPECT(sizeof(HFSearchTopKResults) == 24);
HF_EXPECT(sizeof(HFFeatureHubExistingIds) == 16);
HF_EXPECT(sizeof(HFFaceInteractionsActions) == 48);
HF_EXPECT(sizeof(HFFaceInteractionState) == 24);
HF_EXPECT(sizeof(HFFaceAttributeResult) == 32);
HF_EXPECT(sizeof(HFFaceEmotionResult) == 16);
HF_EXPECT(sizeof(HFRGBLivenessConfidence) == 16);
#endif

HF_EXPECT(sizeof(HFaceId) == 8);
HF_EXPECT(sizeof(HFaceRect) == 16);
HF_EXPECT(sizeof(HPoint2f) == 8);
HF_EXPECT(sizeof(HPoint2i) == 8);
HF_EXPECT(sizeof(HColor) == 12);
HF_EXPECT(sizeof(HFSessionCustomParameter) == 40);
HF_EXPECT(offsetof(HFSessionCustomParameter, enable_face_emotion) == 36);
HF_EXPECT(sizeof(HFFaceDetectPixelList) == 84);
HF_EXPECT(offsetof(HFFaceDetectPixelList, size) == 80);
HF_EXPECT(sizeof(HFSimilarityConverterConfig) == 20);
HF_EXPECT(sizeof(HFInspireFaceVersion) == 12);
HF_EXPECT(sizeof(HFInspireFaceExtendedInformation) == 256);
HF_EXPECT(sizeof(HFImageFormat) == sizeof(int));
HF_EXPECT(sizeof(HFRotation) == sizeof(int));

HF_EXPECT(HF_STREAM_RGB == 0 && HF_STREAM_BGR == 1 && HF_STREAM_RGBA == 2);
HF_EXPECT(HF_STREAM_BGRA == 3 && HF_STREAM_YUV_NV12 == 4 && HF_STREAM_YUV_NV21 == 5);
HF_EXPECT(HF_STREAM_I420 == 6 && HF_STREAM_GRAY == 7);
HF_EXPECT(HF_CAMERA_ROTATION_0 == 0 && HF_CAMERA_ROTATION_90 == 1);
HF_EXPECT(HF_CAMERA_ROTATION_180 == 2 && HF_CAMERA_ROTATION_270 == 3);
HF_EXPECT(HF_IMAGE_PROCESSING_CPU == 0 && HF_IMAGE_PROCESSING_RGA == 1);
HF_EXPECT(HF_APPLE_COREML_INFERENCE_MODE_CPU == 0 && HF_APPLE_COREML_INFERENCE_MODE_GPU == 1);
HF_EXPECT(HF_APPLE_COREML_INFERENCE_MODE_ANE == 2);
HF_EXPECT(HF_DETECT_MODE_ALWAYS_DETECT == 0 && HF_DETECT_MODE_LIGHT_TRACK == 1);
HF_EXPECT(HF_DETECT_MODE_TRACK_BY_DETECTION == 2);
HF_EXPECT(HF_LANDMARK_HYPLMV2_0_25 == 0 && HF_LANDMARK_HYPLMV2_0_50 == 1);
HF_EXPECT(HF_LANDMARK_INSIGHTFACE_2D106_TRACK == 2);
HF_EXPECT(HF_SEARCH_MODE_EAGER == 0 && HF_SEARCH_MODE_EXHAUSTIVE == 1);
HF_EXPECT(HF_PK_AUTO_INCREMENT == 0 && HF_PK_MANUAL_INPUT == 1);
HF_EXPECT(HF_LOG_NONE == 0 && HF_LOG_DEBUG == 1 && HF_LOG_INFO == 2 && HF_LOG_WARN == 3);
HF_EXPECT(HF_LOG_ERROR == 4 && HF_LOG_FATAL == 5);

HF_EXPECT(HF_ENABLE_NONE == 0x0 && HF_ENABLE_FACE_RECOGNITION == 0x2);
HF_EXPECT(HF_ENABLE_LIVENESS == 0x4 && HF_ENABLE_IR_LIVENESS == 0x8);
HF_EXPECT(HF_ENABLE_MASK_DETECT == 0x10 && HF_ENABLE_FACE_ATTRIBUTE == 0x20);
HF_EXPECT(HF_ENABLE_PLACEHOLDER_ == 0x40 && HF_ENABLE_QUALITY == 0x80);
HF_EXPECT(HF_ENABLE_INTERACTION == 0x100 && HF_ENABLE_FACE_POSE == 0x200);
HF_EXPECT(HF_ENABLE_FACE_EMOTION == 0x400);
HF_EXPECT(HF_STATUS_ENABLE == 1 && HF_STATUS_DISABLE == 0);
