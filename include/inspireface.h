/* inspireface-c: the InspireFace 1.2.3 C API.
 *
 * Programs written against InspireFace's inspireface.h compile against this
 * header and link against libInspireFace unchanged: function names and
 * signatures, struct layouts, enum values, flags and error codes are the
 * same. Where InspireFace crashes or aborts on bad input, these functions
 * return an error code instead; each function's comment names the code.
 *
 * Ownership rules used below:
 * - "session-owned": valid until the next call of the same kind on the same
 *   session, or until the session is released.
 * - "hub-owned": valid until the next FeatureHub call of the same kind (from
 *   any thread) or until the hub is disabled.
 * - Every handle (session, image stream, bitmap) is checked on each call: a
 *   released or foreign handle returns the group's HERR_INVALID_* code.
 * - A NULL output pointer returns HERR_INVALID_PARAM unless stated. */
#ifndef INSPIREFACE_H
#define INSPIREFACE_H

#include <stdint.h>

#include "intypedef.h"
#include "herror.h"

#if defined(_WIN32)
#ifdef ISF_BUILD_SHARED_LIBS
#define HYPER_CAPI_EXPORT __declspec(dllexport)
#else
#define HYPER_CAPI_EXPORT
#endif
#else
#define HYPER_CAPI_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define HF_STATUS_ENABLE 1
#define HF_STATUS_DISABLE 0

/* Session option bits for HFCreateInspireFaceSessionOptional and the
 * pipeline calls. Bit 0 is unused. */
#define HF_ENABLE_NONE 0x00000000
#define HF_ENABLE_FACE_RECOGNITION 0x00000002
#define HF_ENABLE_LIVENESS 0x00000004
#define HF_ENABLE_IR_LIVENESS 0x00000008
#define HF_ENABLE_MASK_DETECT 0x00000010
#define HF_ENABLE_FACE_ATTRIBUTE 0x00000020
#define HF_ENABLE_PLACEHOLDER_ 0x00000040 /* reserved, ignored */
#define HF_ENABLE_QUALITY 0x00000080
#define HF_ENABLE_INTERACTION 0x00000100
#define HF_ENABLE_FACE_POSE 0x00000200
#define HF_ENABLE_FACE_EMOTION 0x00000400

/************************************************************************
 * Image stream
 ************************************************************************/

/* Pixel layout of a caller's buffer; all are tightly packed.
 * RGB/BGR: w*h*3 bytes. RGBA/BGRA: w*h*4 (alpha ignored).
 * NV12/NV21: Y plane, then interleaved U,V (NV12) or V,U (NV21) pairs at half
 * resolution. I420: Y, U, V planes. GRAY: w*h bytes. */
typedef enum HFImageFormat {
    HF_STREAM_RGB = 0,
    HF_STREAM_BGR = 1,
    HF_STREAM_RGBA = 2,
    HF_STREAM_BGRA = 3,
    HF_STREAM_YUV_NV12 = 4,
    HF_STREAM_YUV_NV21 = 5,
    HF_STREAM_I420 = 6,
    HF_STREAM_GRAY = 7,
} HFImageFormat;

/* How the buffer must be turned to make the scene upright.
 * ROTATION_90: the buffer holds the scene turned 90 degrees clockwise and the
 * library turns it 90 degrees counter-clockwise. ROTATION_270: the opposite.
 * Results (rectangles, points) are always reported in the coordinates of the
 * buffer as supplied. */
typedef enum HFRotation {
    HF_CAMERA_ROTATION_0 = 0,
    HF_CAMERA_ROTATION_90 = 1,
    HF_CAMERA_ROTATION_180 = 2,
    HF_CAMERA_ROTATION_270 = 3,
} HFRotation;

typedef struct HFImageData {
    HPUInt8 data;         /* pixel buffer, caller-owned, not copied */
    HInt32 width;
    HInt32 height;
    HFImageFormat format;
    HFRotation rotation;
} HFImageData, *PHFImageData;

/* Creates a stream over data->data. The buffer must contain the bytes its
 * format needs (e.g. w*h*3 for BGR) and stay alive and unchanged while the
 * stream is used, because the library cannot check its length.
 * data or handle NULL -> HERR_INVALID_IMAGE_STREAM_HANDLE; unknown format,
 * NULL pixels or a non-positive size -> HERR_INVALID_IMAGE_STREAM_PARAM.
 * Unknown rotations act as HF_CAMERA_ROTATION_0. Release with HFReleaseImageStream. */
HYPER_CAPI_EXPORT extern HResult HFCreateImageStream(PHFImageData data, PHFImageStream handle);

/* Creates a stream without a buffer (format NV21, rotation 0); give it one
 * with HFImageStreamSetBuffer before use. */
HYPER_CAPI_EXPORT extern HResult HFCreateImageStreamEmpty(PHFImageStream handle);

/* Points the stream at a new buffer; format and rotation are kept. */
HYPER_CAPI_EXPORT extern HResult HFImageStreamSetBuffer(HFImageStream handle, HPUInt8 buffer,
                                                        HInt32 width, HInt32 height);

HYPER_CAPI_EXPORT extern HResult HFImageStreamSetRotation(HFImageStream handle,
                                                          HFRotation rotation);

/* Unknown format -> HERR_INVALID_IMAGE_STREAM_PARAM, format unchanged. */
HYPER_CAPI_EXPORT extern HResult HFImageStreamSetFormat(HFImageStream handle,
                                                        HFImageFormat format);

/* Frees the stream, never the caller's pixels. Unknown or already released
 * -> HERR_INVALID_IMAGE_STREAM_HANDLE. */
HYPER_CAPI_EXPORT extern HResult HFReleaseImageStream(HFImageStream streamHandle);

/************************************************************************
 * Image bitmap: owned, packed BGR (3 channels) or gray (1 channel) pixels
 ************************************************************************/

typedef struct HFImageBitmapData {
    HPUInt8 data;
    HInt32 width;
    HInt32 height;
    HInt32 channels; /* 3 (BGR) or 1 (gray) */
} HFImageBitmapData, *PHFImageBitmapData;

/* Copies width*height*channels bytes from data->data. */
HYPER_CAPI_EXPORT extern HResult HFCreateImageBitmap(PHFImageBitmapData data,
                                                     PHFImageBitmap handle);

/* Decodes a JPEG, PNG, WebP or uncompressed BMP file (format read from its bytes, EXIF
 * orientation applied) into BGR (channels 3) or gray (channels 1). */
HYPER_CAPI_EXPORT extern HResult HFCreateImageBitmapFromFilePath(HPath filePath, HInt32 channels,
                                                                 PHFImageBitmap handle);

HYPER_CAPI_EXPORT extern HResult HFImageBitmapCopy(HFImageBitmap handle,
                                                   PHFImageBitmap copyHandle);

HYPER_CAPI_EXPORT extern HResult HFReleaseImageBitmap(HFImageBitmap handle);

/* Makes a stream that views the bitmap's pixels (no copy: release the stream
 * before the bitmap); format GRAY for 1 channel, else BGR. */
HYPER_CAPI_EXPORT extern HResult HFCreateImageStreamFromImageBitmap(HFImageBitmap handle,
                                                                    HFRotation rotation,
                                                                    PHFImageStream streamHandle);

/* Renders a stream into a new BGR bitmap of (int)(w*scale) x (int)(h*scale),
 * turned upright when is_rotate is nonzero. */
HYPER_CAPI_EXPORT extern HResult HFCreateImageBitmapFromImageStreamProcess(
    HFImageStream streamHandle, PHFImageBitmap handle, HInt32 is_rotate, HFloat scale);

/* Encodes by file extension: .jpg/.jpeg, .png or .bmp. */
HYPER_CAPI_EXPORT extern HResult HFImageBitmapWriteToFile(HFImageBitmap handle, HPath filePath);

HYPER_CAPI_EXPORT extern HResult HFImageBitmapDrawRect(HFImageBitmap handle, HFaceRect rect,
                                                       HColor color, HInt32 thickness);

HYPER_CAPI_EXPORT extern HResult HFImageBitmapDrawCircleF(HFImageBitmap handle, HPoint2f point,
                                                          HInt32 radius, HColor color,
                                                          HInt32 thickness);

HYPER_CAPI_EXPORT extern HResult HFImageBitmapDrawCircle(HFImageBitmap handle, HPoint2i point,
                                                         HInt32 radius, HColor color,
                                                         HInt32 thickness);

/* Fills data with the bitmap's size and a pointer to its pixels, owned by
 * the bitmap and valid until it is released. */
HYPER_CAPI_EXPORT extern HResult HFImageBitmapGetData(HFImageBitmap handle,
                                                      PHFImageBitmapData data);

/* No GUI in this library: logs a warning and returns HSUCCEED. */
HYPER_CAPI_EXPORT extern HResult HFImageBitmapShow(HFImageBitmap handle, HString title,
                                                   HInt32 delay);

/************************************************************************
 * Resource: the model pack
 ************************************************************************/

/* Opens a model pack once for the process. Already launched -> HSUCCEED,
 * nothing changes. Missing path or NULL -> HERR_ARCHIVE_LOAD_FAILURE; an
 * existing file that is not a valid pack -> HERR_ARCHIVE_LOAD_MODEL_FAILURE. */
HYPER_CAPI_EXPORT extern HResult HFLaunchInspireFace(HPath resourcePath);

/* Drops the current pack (if any) and launches resourcePath. On failure the
 * library is left not launched. Existing sessions keep working. */
HYPER_CAPI_EXPORT extern HResult HFReloadInspireFace(HPath resourcePath);

/* Unloads the pack; always HSUCCEED. Existing sessions keep working. */
HYPER_CAPI_EXPORT extern HResult HFTerminateInspireFace(void);

/* Writes HF_STATUS_ENABLE when a pack is launched, else HF_STATUS_DISABLE. */
HYPER_CAPI_EXPORT extern HResult HFQueryInspireFaceLaunchStatus(HPInt32 status);

/************************************************************************
 * Third-party hardware extensions: this CPU build has none of them
 ************************************************************************/

typedef enum HFImageProcessingBackend {
    HF_IMAGE_PROCESSING_CPU = 0,
    HF_IMAGE_PROCESSING_RGA = 1,
} HFImageProcessingBackend;

typedef enum HFAppleCoreMLInferenceMode {
    HF_APPLE_COREML_INFERENCE_MODE_CPU = 0,
    HF_APPLE_COREML_INFERENCE_MODE_GPU = 1,
    HF_APPLE_COREML_INFERENCE_MODE_ANE = 2,
} HFAppleCoreMLInferenceMode;

/* Writes 0: built without Rockchip RGA. */
HYPER_CAPI_EXPORT extern HResult HFQueryExpansiveHardwareRGACompileOption(HPInt32 enable);

HYPER_CAPI_EXPORT extern HResult HFSetExpansiveHardwareRockchipDmaHeapPath(HPath path);

/* Copies the stored path into path, which must hold 256 bytes. */
HYPER_CAPI_EXPORT extern HResult HFQueryExpansiveHardwareRockchipDmaHeapPath(HString path);

/* Unknown value -> HERR_INVALID_PARAM; RGA logs an error and keeps the CPU. */
HYPER_CAPI_EXPORT extern HResult HFSwitchImageProcessingBackend(HFImageProcessingBackend backend);

HYPER_CAPI_EXPORT extern HResult HFSetImageProcessAlignedWidth(HInt32 width);

HYPER_CAPI_EXPORT extern HResult HFSetAppleCoreMLInferenceMode(HFAppleCoreMLInferenceMode mode);

HYPER_CAPI_EXPORT extern HResult HFSetCudaDeviceId(HInt32 device_id);

HYPER_CAPI_EXPORT extern HResult HFGetCudaDeviceId(HPInt32 device_id);

/* Returns HERR_DEVICE_CUDA_DISABLE: built without CUDA. */
HYPER_CAPI_EXPORT extern HResult HFPrintCudaDeviceInfo(void);

/* Returns HERR_DEVICE_CUDA_DISABLE and leaves *num_devices untouched. */
HYPER_CAPI_EXPORT extern HResult HFGetNumCudaDevices(HPInt32 num_devices);

/* Returns HERR_DEVICE_CUDA_DISABLE and leaves *is_support untouched. */
HYPER_CAPI_EXPORT extern HResult HFCheckCudaDeviceSupport(HPInt32 is_support);

/************************************************************************
 * Session
 ************************************************************************/

typedef struct HFSessionCustomParameter {
    HInt32 enable_recognition;
    HInt32 enable_liveness;
    HInt32 enable_ir_liveness;
    HInt32 enable_mask_detect;
    HInt32 enable_face_quality;
    HInt32 enable_face_attribute;
    HInt32 enable_interaction_liveness;
    HInt32 enable_detect_mode_landmark;
    HInt32 enable_face_pose;
    HInt32 enable_face_emotion;
} HFSessionCustomParameter, *PHFSessionCustomParameter;

typedef enum HFDetectMode {
    HF_DETECT_MODE_ALWAYS_DETECT,     /* still images: detect on every call */
    HF_DETECT_MODE_LIGHT_TRACK,       /* video: landmark tracking between detections */
    HF_DETECT_MODE_TRACK_BY_DETECTION /* video: detect every frame, IoU tracker */
} HFDetectMode;

typedef enum HFSessionLandmarkEngine {
    HF_LANDMARK_HYPLMV2_0_25 = 0,
    HF_LANDMARK_HYPLMV2_0_50 = 1,
    HF_LANDMARK_INSIGHTFACE_2D106_TRACK = 2,
} HFSessionLandmarkEngine;

typedef struct HFFaceDetectPixelList {
    HInt32 pixel_level[20];
    HInt32 size;
} HFFaceDetectPixelList, *PHFFaceDetectPixelList;

/* Chooses the landmark model of sessions created afterwards. Not launched ->
 * HERR_ARCHIVE_NOT_LOAD; engine absent from the pack ->
 * HERR_ARCHIVE_LOAD_MODEL_FAILURE. */
HYPER_CAPI_EXPORT extern HResult HFSwitchLandmarkEngine(HFSessionLandmarkEngine engine);

/* Fills the detector input sizes the pack provides (default 160, 320, 640). */
HYPER_CAPI_EXPORT extern HResult HFQuerySupportedPixelLevelsForFaceDetection(
    PHFFaceDetectPixelList pixel_levels);

/* Creates a session. Not launched -> HERR_ARCHIVE_NOT_LOAD with *handle NULL;
 * a model needed by an enabled feature that cannot be loaded ->
 * HERR_ARCHIVE_LOAD_MODEL_FAILURE. detectPixelLevel -1 picks 320.
 * Release with HFReleaseInspireFaceSession. */
HYPER_CAPI_EXPORT extern HResult HFCreateInspireFaceSession(HFSessionCustomParameter parameter,
                                                            HFDetectMode detectMode,
                                                            HInt32 maxDetectFaceNum,
                                                            HInt32 detectPixelLevel,
                                                            HInt32 trackByDetectModeFPS,
                                                            PHFSession handle);

/* As HFCreateInspireFaceSession, with features chosen by HF_ENABLE_* bits. */
HYPER_CAPI_EXPORT extern HResult HFCreateInspireFaceSessionOptional(HOption customOption,
                                                                    HFDetectMode detectMode,
                                                                    HInt32 maxDetectFaceNum,
                                                                    HInt32 detectPixelLevel,
                                                                    HInt32 trackByDetectModeFPS,
                                                                    PHFSession handle);

HYPER_CAPI_EXPORT extern HResult HFReleaseInspireFaceSession(HFSession handle);

/************************************************************************
 * Face tracking
 ************************************************************************/

/* A self-contained copy of one face's data: the bytes carry no pointers, so
 * a copy made with HFCopyFaceBasicToken works with any session and thread. */
typedef struct HFFaceBasicToken {
    HInt32 size; /* bytes at data */
    HPVoid data;
} HFFaceBasicToken, *PHFFaceBasicToken;

/* Per-face arrays of angles in degrees. */
typedef struct HFFaceEulerAngle {
    HPFloat roll;
    HPFloat yaw;
    HPFloat pitch;
} HFFaceEulerAngle;

/* Result of HFExecuteFaceTrack. Every array has detectedNum entries and is
 * session-owned (valid until the next HFExecuteFaceTrack on the session). */
typedef struct HFMultipleFaceData {
    HInt32 detectedNum;
    PHFaceRect rects;
    HPInt32 trackIds;
    HPInt32 trackCounts;
    HPFloat detConfidence;
    HFFaceEulerAngle angles;
    PHFFaceBasicToken tokens;
} HFMultipleFaceData, *PHFMultipleFaceData;

HYPER_CAPI_EXPORT extern HResult HFSessionClearTrackingFace(HFSession session);

HYPER_CAPI_EXPORT extern HResult HFSessionSetTrackLostRecoveryMode(HFSession session,
                                                                   HInt32 enable);

HYPER_CAPI_EXPORT extern HResult HFSessionSetLightTrackConfidenceThreshold(HFSession session,
                                                                           HFloat value);

/* Long side in pixels of the downscaled image given to the detector; -1 means
 * the detector's input size, values below 160 become 160. */
HYPER_CAPI_EXPORT extern HResult HFSessionSetTrackPreviewSize(HFSession session,
                                                              HInt32 previewSize);

HYPER_CAPI_EXPORT extern HResult HFSessionGetTrackPreviewSize(HFSession session,
                                                              HPInt32 previewSize);

/* Drops faces whose shorter side (original pixels) is not above minSize. */
HYPER_CAPI_EXPORT extern HResult HFSessionSetFilterMinimumFacePixelSize(HFSession session,
                                                                        HInt32 minSize);

/* Keeps detections scoring strictly above threshold (default 0.5). */
HYPER_CAPI_EXPORT extern HResult HFSessionSetFaceDetectThreshold(HFSession session,
                                                                 HFloat threshold);

HYPER_CAPI_EXPORT extern HResult HFSessionSetTrackModeSmoothRatio(HFSession session,
                                                                  HFloat ratio);

HYPER_CAPI_EXPORT extern HResult HFSessionSetTrackModeNumSmoothCacheFrame(HFSession session,
                                                                          HInt32 num);

HYPER_CAPI_EXPORT extern HResult HFSessionSetTrackModeDetectInterval(HFSession session,
                                                                     HInt32 num);

/* Detects (or tracks) faces in one frame and fills results with
 * session-owned arrays. Returns HSUCCEED also when no face is found. */
HYPER_CAPI_EXPORT extern HResult HFExecuteFaceTrack(HFSession session, HFImageStream streamHandle,
                                                    PHFMultipleFaceData results);

/* Width of the preview image of the last detector run (0 before any). */
HYPER_CAPI_EXPORT extern HResult HFSessionLastFaceDetectionGetDebugPreviewImageSize(
    HFSession session, HPInt32 size);

/* Copies the token's bytes; bufferSize below HFGetFaceBasicTokenSize ->
 * HERR_INVALID_BUFFER_SIZE. */
HYPER_CAPI_EXPORT extern HResult HFCopyFaceBasicToken(HFFaceBasicToken token, HPBuffer buffer,
                                                      HInt32 bufferSize);

HYPER_CAPI_EXPORT extern HResult HFGetFaceBasicTokenSize(HPInt32 bufferSize);

/* Writes the dense-landmark count of the landmark model in use. */
HYPER_CAPI_EXPORT extern HResult HFGetNumOfFaceDenseLandmark(HPInt32 num);

/* Copies the dense landmarks (buffer coordinates); num must equal
 * HFGetNumOfFaceDenseLandmark. */
HYPER_CAPI_EXPORT extern HResult HFGetFaceDenseLandmarkFromFaceToken(HFFaceBasicToken singleFace,
                                                                     PHPoint2f landmarks,
                                                                     HInt32 num);

/* Copies the 5 key points: image-left eye, image-right eye, nose tip,
 * left and right mouth corners. num must be 5. */
HYPER_CAPI_EXPORT extern HResult HFGetFaceFiveKeyPointsFromFaceToken(HFFaceBasicToken singleFace,
                                                                     PHPoint2f landmarks,
                                                                     HInt32 num);

HYPER_CAPI_EXPORT extern HResult HFSessionSetEnableTrackCostSpend(HFSession session, HInt32 value);

HYPER_CAPI_EXPORT extern HResult HFSessionPrintTrackCostSpend(HFSession session);

/************************************************************************
 * Face recognition
 ************************************************************************/

typedef struct HFFaceFeature {
    HInt32 size; /* number of floats */
    HPFloat data;
} HFFaceFeature, *PHFFaceFeature;

/* Extracts the L2-normalised 512-d feature; feature->data is session-owned
 * (valid until the next extraction on the session). */
HYPER_CAPI_EXPORT extern HResult HFFaceFeatureExtract(HFSession session,
                                                      HFImageStream streamHandle,
                                                      HFFaceBasicToken singleFace,
                                                      PHFFaceFeature feature);

/* Writes the feature into feature.data, which must hold 512 floats. */
HYPER_CAPI_EXPORT extern HResult HFFaceFeatureExtractTo(HFSession session,
                                                        HFImageStream streamHandle,
                                                        HFFaceBasicToken singleFace,
                                                        HFFaceFeature feature);

/* Writes the feature into a caller array of 512 floats. */
HYPER_CAPI_EXPORT extern HResult HFFaceFeatureExtractCpy(HFSession session,
                                                         HFImageStream streamHandle,
                                                         HFFaceBasicToken singleFace,
                                                         HPFloat feature);

/* Allocates a 512-float feature buffer; release with HFReleaseFaceFeature. */
HYPER_CAPI_EXPORT extern HResult HFCreateFaceFeature(PHFFaceFeature feature);

/* Frees a buffer from HFCreateFaceFeature and clears the struct; a second
 * release returns HERR_INVALID_FACE_FEATURE. */
HYPER_CAPI_EXPORT extern HResult HFReleaseFaceFeature(PHFFaceFeature feature);

/* Creates a 112x112 BGR bitmap of the aligned face given to the recogniser;
 * the caller releases it. */
HYPER_CAPI_EXPORT extern HResult HFFaceGetFaceAlignmentImage(HFSession session,
                                                             HFImageStream streamHandle,
                                                             HFFaceBasicToken singleFace,
                                                             PHFImageBitmap handle);

/* Extracts from a stream that already contains a 112x112 aligned face. */
HYPER_CAPI_EXPORT extern HResult HFFaceFeatureExtractWithAlignmentImage(HFSession session,
                                                                        HFImageStream streamHandle,
                                                                        HFFaceFeature feature);

/************************************************************************
 * FeatureHub, comparison and similarity
 ************************************************************************/

typedef enum HFSearchMode {
    HF_SEARCH_MODE_EAGER = 0,
    HF_SEARCH_MODE_EXHAUSTIVE = 1,
} HFSearchMode;

typedef enum HFPKMode {
    HF_PK_AUTO_INCREMENT = 0,
    HF_PK_MANUAL_INPUT = 1,
} HFPKMode;

typedef struct HFFeatureHubConfiguration {
    HFPKMode primaryKeyMode;
    HInt32 enablePersistence;
    HString persistenceDbPath; /* a file, or a folder holding .feature_hub_db_v0 */
    HFloat searchThreshold;    /* cosine in [-1, 1]; other values act as 0.5 */
    HFSearchMode searchMode;
} HFFeatureHubConfiguration;

typedef struct HFFaceFeatureIdentity {
    HFaceId id;
    PHFFaceFeature feature;
} HFFaceFeatureIdentity, *PHFFaceFeatureIdentity;

/* Top-k search results: hub-owned arrays of size entries, best first. */
typedef struct HFSearchTopKResults {
    HInt32 size;
    HPFloat confidence;
    HPFaceId ids;
} HFSearchTopKResults, *PHFSearchTopKResults;

/* Logistic map from cosine to a 0..1 percentage. */
typedef struct HFSimilarityConverterConfig {
    HFloat threshold;
    HFloat middleScore;
    HFloat steepness;
    HFloat outputMin;
    HFloat outputMax;
} HFSimilarityConverterConfig, *PHFSimilarityConverterConfig;

typedef struct HFFeatureHubExistingIds {
    HInt32 size;
    HPFaceId ids; /* hub-owned */
} HFFeatureHubExistingIds, *PHFFeatureHubExistingIds;

/* Opens the process-wide FeatureHub. Already enabled -> HSUCCEED, unchanged.
 * Persistence with a NULL, empty or unopenable path -> HERR_INVALID_PARAM. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubDataEnable(HFFeatureHubConfiguration configuration);

/* Closes the hub; a database file keeps its contents. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubDataDisable(void);

HYPER_CAPI_EXPORT extern HResult HFFeatureHubFaceSearchThresholdSetting(HFloat threshold);

/* Writes the cosine similarity of two features of equal length. */
HYPER_CAPI_EXPORT extern HResult HFFaceComparison(HFFaceFeature feature1, HFFaceFeature feature2,
                                                  HPFloat result);

HYPER_CAPI_EXPORT extern HResult HFGetRecommendedCosineThreshold(HPFloat threshold);

HYPER_CAPI_EXPORT extern HResult HFCosineSimilarityConvertToPercentage(HFloat similarity,
                                                                       HPFloat result);

HYPER_CAPI_EXPORT extern HResult HFUpdateCosineSimilarityConverter(
    HFSimilarityConverterConfig config);

HYPER_CAPI_EXPORT extern HResult HFGetCosineSimilarityConverter(
    PHFSimilarityConverterConfig config);

/* Writes 512. */
HYPER_CAPI_EXPORT extern HResult HFGetFeatureLength(HPInt32 num);

/* Stores a copy of the feature. Auto-increment mode writes the new id to
 * *allocId; manual mode uses featureIdentity.id. A duplicate id ->
 * HERR_FT_HUB_INSERT_FAILURE with *allocId -1. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubInsertFeature(HFFaceFeatureIdentity featureIdentity,
                                                           HPFaceId allocId);

/* Finds the most similar stored feature at or above the threshold; without
 * a match, id -1 and confidence -1.0. mostSimilar->feature is hub-owned. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubFaceSearch(HFFaceFeature searchFeature,
                                                        HPFloat confidence,
                                                        PHFFaceFeatureIdentity mostSimilar);

HYPER_CAPI_EXPORT extern HResult HFFeatureHubFaceSearchTopK(HFFaceFeature searchFeature,
                                                            HInt32 topK,
                                                            PHFSearchTopKResults results);

/* A missing id is not an error. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubFaceRemove(HFaceId id);

/* A missing id -> HERR_FT_HUB_NOT_FOUND_FEATURE. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubFaceUpdate(HFFaceFeatureIdentity featureIdentity);

/* identity->feature is hub-owned. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubGetFaceIdentity(HFaceId customId,
                                                             PHFFaceFeatureIdentity identity);

HYPER_CAPI_EXPORT extern HResult HFFeatureHubGetFaceCount(HPInt32 count);

/* Prints every entry to stdout. */
HYPER_CAPI_EXPORT extern HResult HFFeatureHubViewDBTable(void);

HYPER_CAPI_EXPORT extern HResult HFFeatureHubGetExistingIds(PHFFeatureHubExistingIds ids);

/************************************************************************
 * Face pipeline: per-face results stored in the session
 ************************************************************************/

typedef struct HFRGBLivenessConfidence {
    HInt32 num;
    HPFloat confidence;
} HFRGBLivenessConfidence, *PHFRGBLivenessConfidence;

typedef struct HFFaceMaskConfidence {
    HInt32 num;
    HPFloat confidence;
} HFFaceMaskConfidence, *PHFFaceMaskConfidence;

typedef struct HFFaceQualityConfidence {
    HInt32 num;
    HPFloat confidence;
} HFFaceQualityConfidence, *PHFFaceQualityConfidence;

typedef struct HFFaceInteractionState {
    HInt32 num;
    HPFloat leftEyeStatusConfidence;
    HPFloat rightEyeStatusConfidence;
} HFFaceInteractionState, *PHFFaceInteractionState;

typedef struct HFFaceInteractionsActions {
    HInt32 num;
    HPInt32 normal;
    HPInt32 shake;
    HPInt32 jawOpen;
    HPInt32 headRaise;
    HPInt32 blink;
} HFFaceInteractionsActions, *PHFFaceInteractionsActions;

typedef struct HFFaceAttributeResult {
    HInt32 num;
    HPInt32 race;       /* 0 Black, 1 Asian, 2 Latino/Hispanic, 3 Middle Eastern, 4 White */
    HPInt32 gender;     /* 0 female, 1 male */
    HPInt32 ageBracket; /* 0: 0-2, 1: 3-9, 2: 10-19, ... 8: 70 and over */
} HFFaceAttributeResult, *PHFFaceAttributeResult;

typedef struct HFFaceEmotionResult {
    HInt32 num;
    HPInt32 emotion; /* 0 Neutral, 1 Happy, 2 Sad, 3 Surprise, 4 Fear, 5 Disgust, 6 Anger */
} HFFaceEmotionResult, *PHFFaceEmotionResult;

HYPER_CAPI_EXPORT extern HResult HFMultipleFacePipelineProcess(HFSession session,
                                                               HFImageStream streamHandle,
                                                               PHFMultipleFaceData faces,
                                                               HFSessionCustomParameter parameter);

HYPER_CAPI_EXPORT extern HResult HFMultipleFacePipelineProcessOptional(HFSession session,
                                                                       HFImageStream streamHandle,
                                                                       PHFMultipleFaceData faces,
                                                                       HInt32 customOption);

HYPER_CAPI_EXPORT extern HResult HFGetRGBLivenessConfidence(HFSession session,
                                                            PHFRGBLivenessConfidence confidence);

HYPER_CAPI_EXPORT extern HResult HFGetFaceMaskConfidence(HFSession session,
                                                         PHFFaceMaskConfidence confidence);

HYPER_CAPI_EXPORT extern HResult HFGetFaceQualityConfidence(HFSession session,
                                                            PHFFaceQualityConfidence confidence);

HYPER_CAPI_EXPORT extern HResult HFFaceQualityDetect(HFSession session,
                                                     HFFaceBasicToken singleFace,
                                                     HPFloat confidence);

HYPER_CAPI_EXPORT extern HResult HFGetFaceInteractionStateResult(HFSession session,
                                                                 PHFFaceInteractionState result);

HYPER_CAPI_EXPORT extern HResult HFGetFaceInteractionActionsResult(
    HFSession session, PHFFaceInteractionsActions actions);

HYPER_CAPI_EXPORT extern HResult HFGetFaceAttributeResult(HFSession session,
                                                          PHFFaceAttributeResult results);

HYPER_CAPI_EXPORT extern HResult HFGetFaceEmotionResult(HFSession session,
                                                        PHFFaceEmotionResult result);

/************************************************************************
 * System
 ************************************************************************/

typedef struct HFInspireFaceVersion {
    HInt32 major;
    HInt32 minor;
    HInt32 patch;
} HFInspireFaceVersion, *PHFInspireFaceVersion;

typedef struct HFInspireFaceExtendedInformation {
    HChar information[256];
} HFInspireFaceExtendedInformation, *PHFInspireFaceExtendedInformation;

typedef enum HFLogLevel {
    HF_LOG_NONE = 0,
    HF_LOG_DEBUG = 1,
    HF_LOG_INFO = 2,
    HF_LOG_WARN = 3,
    HF_LOG_ERROR = 4,
    HF_LOG_FATAL = 5,
} HFLogLevel;

HYPER_CAPI_EXPORT extern HResult HFQueryInspireFaceVersion(PHFInspireFaceVersion version);

/* Copies a NUL-terminated description of the library. */
HYPER_CAPI_EXPORT extern HResult HFQueryInspireFaceExtendedInformation(
    PHFInspireFaceExtendedInformation information);

/* Messages below level are dropped; the default is HF_LOG_INFO. Log lines go
 * to stderr. */
HYPER_CAPI_EXPORT extern HResult HFSetLogLevel(HFLogLevel level);

HYPER_CAPI_EXPORT extern HResult HFLogDisable(void);

/* Formats (at most 1023 characters) and logs at level. Unlike InspireFace,
 * HF_LOG_FATAL does not end the process. */
HYPER_CAPI_EXPORT extern HResult HFLogPrint(HFLogLevel level, HFormat format, ...);

/************************************************************************
 * Debugging
 ************************************************************************/

/* No GUI in this library: logs a warning. */
HYPER_CAPI_EXPORT extern void HFDeBugImageStreamImShow(HFImageStream streamHandle);

/* Renders the stream upright as BGR and writes it to savePath (.jpg or
 * .png); write failure -> HERR_IMAGE_STREAM_DECODE_FAILED. */
HYPER_CAPI_EXPORT extern HResult HFDeBugImageStreamDecodeSave(HFImageStream streamHandle,
                                                              HPath savePath);

/* Logs created, released and live counts of sessions, streams, bitmaps and
 * features. */
HYPER_CAPI_EXPORT extern HResult HFDeBugShowResourceStatistics(void);

HYPER_CAPI_EXPORT extern HResult HFDeBugGetUnreleasedSessionsCount(HPInt32 count);

/* Writes min(count, live) session handles and NULL into the remaining slots. */
HYPER_CAPI_EXPORT extern HResult HFDeBugGetUnreleasedSessions(PHFSession sessions, HInt32 count);

HYPER_CAPI_EXPORT extern HResult HFDeBugGetUnreleasedStreamsCount(HPInt32 count);

HYPER_CAPI_EXPORT extern HResult HFDeBugGetUnreleasedStreams(PHFImageStream streams,
                                                             HInt32 count);

#ifdef __cplusplus
}
#endif

#endif /* INSPIREFACE_H */
