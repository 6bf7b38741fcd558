/* Return codes and object lifetimes of the session, track and feature
 * calls, and feature determinism across calls, sessions and threads. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "integration.h"

static void api_not_launched(void **state)
{
    HFSessionCustomParameter parameter = {0};
    HFSession session = (HFSession)1;
    HFFaceDetectPixelList levels;

    (void)state;
    assert_int_equal(HFCreateInspireFaceSession(parameter, HF_DETECT_MODE_ALWAYS_DETECT, 3, -1,
                                                -1, &session),
                     HERR_ARCHIVE_NOT_LOAD);
    assert_null(session);
    assert_int_equal(HFReleaseInspireFaceSession(session), HERR_INVALID_CONTEXT_HANDLE);
    assert_int_equal(HFQuerySupportedPixelLevelsForFaceDetection(&levels), HSUCCEED);
    assert_int_equal(levels.size, 3);
    assert_int_equal(levels.pixel_level[1], 320);
    assert_int_equal(HFSwitchLandmarkEngine(HF_LANDMARK_HYPLMV2_0_25), HERR_ARCHIVE_NOT_LOAD);
}

static void api_session_create(void **state)
{
    HFSessionCustomParameter parameter = {0};
    HFSession session = NULL;

    (void)state;
    assert_int_equal(it_launch(), 0);
    assert_int_equal(HFCreateInspireFaceSession(parameter, HF_DETECT_MODE_ALWAYS_DETECT, 3, -1,
                                                -1, &session),
                     HSUCCEED);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
    assert_int_equal(HFReleaseInspireFaceSession(session), HERR_INVALID_CONTEXT_HANDLE);
    assert_int_equal(HFCreateInspireFaceSession(parameter, HF_DETECT_MODE_ALWAYS_DETECT, 0, -1,
                                                -1, &session),
                     HERR_INVALID_PARAM);
    assert_int_equal(HFCreateInspireFaceSession(parameter, HF_DETECT_MODE_LIGHT_TRACK, 3, -1,
                                                -1, &session),
                     HERR_SESS_FUNCTION_UNUSABLE);
    assert_int_equal(HFCreateInspireFaceSession(parameter, HF_DETECT_MODE_ALWAYS_DETECT, 3, -1,
                                                -1, NULL),
                     HERR_INVALID_PARAM);
    assert_int_equal(HFSwitchLandmarkEngine(HF_LANDMARK_HYPLMV2_0_25), HSUCCEED);
    assert_int_equal(HFSwitchLandmarkEngine(HF_LANDMARK_INSIGHTFACE_2D106_TRACK),
                     HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(HFSwitchLandmarkEngine((HFSessionLandmarkEngine)9), HERR_INVALID_PARAM);
}

static int preview_of(int level, int set)
{
    HFSession session = NULL;
    HInt32 preview = 0;

    assert_int_equal(HFCreateInspireFaceSessionOptional(HF_ENABLE_NONE,
                                                        HF_DETECT_MODE_ALWAYS_DETECT, 1, level,
                                                        -1, &session),
                     HSUCCEED);
    if (set != 0) {
        assert_int_equal(HFSessionSetTrackPreviewSize(session, set), HSUCCEED);
    }
    assert_int_equal(HFSessionGetTrackPreviewSize(session, &preview), HSUCCEED);
    HFReleaseInspireFaceSession(session);
    return preview;
}

static void api_preview_sizes(void **state)
{
    HFSession session;
    HFMultipleFaceData faces;
    HInt32 size = -1;
    it_image image;

    (void)state;
    assert_int_equal(preview_of(-1, 0), 320);
    assert_int_equal(preview_of(320, 0), 320);
    assert_int_equal(preview_of(1000, 0), 640);
    assert_int_equal(preview_of(-1, 192), 192);
    assert_int_equal(preview_of(-1, 100), 160);

    session = it_session(HF_ENABLE_NONE, 3);
    assert_int_equal(HFSessionLastFaceDetectionGetDebugPreviewImageSize(session, &size),
                     HSUCCEED);
    assert_int_equal(size, 0);
    it_image_open("bulk/view.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(it_detect(session, image.stream, &faces), 0);
    assert_int_equal(HFSessionLastFaceDetectionGetDebugPreviewImageSize(session, &size),
                     HSUCCEED);
    assert_int_equal(size, 320);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void api_track_codes(void **state)
{
    HFSession session = it_session(HF_ENABLE_NONE, 3);
    HFMultipleFaceData faces;
    it_image image;

    (void)state;
    it_image_open("bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(HFExecuteFaceTrack(NULL, image.stream, &faces),
                     HERR_INVALID_CONTEXT_HANDLE);
    assert_int_equal(HFExecuteFaceTrack(session, NULL, &faces),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFExecuteFaceTrack(session, image.stream, NULL), HERR_INVALID_PARAM);
    assert_int_equal(HFSessionSetFaceDetectThreshold(NULL, 0.5f), HERR_INVALID_CONTEXT_HANDLE);
    assert_int_equal(HFSessionSetFilterMinimumFacePixelSize(session, 1000), HSUCCEED);
    assert_int_equal(it_detect(session, image.stream, &faces), 0);
    assert_int_equal(HFSessionSetFilterMinimumFacePixelSize(session, 0), HSUCCEED);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    /* Angles are 0 without pose or quality. */
    assert_true(faces.angles.yaw[0] == 0.0f);
    assert_true(faces.angles.roll[0] == 0.0f);
    assert_true(faces.angles.pitch[0] == 0.0f);
    assert_int_equal(HFSessionSetEnableTrackCostSpend(session, 1), HSUCCEED);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    assert_int_equal(HFSessionPrintTrackCostSpend(session), HSUCCEED);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void api_face_limit(void **state)
{
    HFSession session = it_session(HF_ENABLE_NONE, 1);
    HFMultipleFaceData faces;
    it_image image;

    (void)state;
    it_image_open("attribute/7242.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    HFaceRect largest = faces.rects[0];
    HFReleaseInspireFaceSession(session);
    session = it_session(HF_ENABLE_NONE, 5);
    assert_int_equal(it_detect(session, image.stream, &faces), 2);
    assert_memory_equal(&faces.rects[0], &largest, sizeof(largest));
    assert_true(faces.rects[0].width * faces.rects[0].height >=
                faces.rects[1].width * faces.rects[1].height);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void api_tokens(void **state)
{
    HFSession session = it_session(HF_ENABLE_FACE_RECOGNITION, 3);
    HFMultipleFaceData faces;
    HInt32 token_size = 0;
    HInt32 count = 0;
    HPoint2f points[69];
    float original[512];
    float copied[512];
    it_image image;

    (void)state;
    assert_int_equal(HFGetFaceBasicTokenSize(&token_size), HSUCCEED);
    assert_int_equal(token_size, 1008);
    assert_int_equal(HFGetNumOfFaceDenseLandmark(&count), HSUCCEED);
    assert_int_equal(count, 68);
    it_image_open("bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);

    char *buffer = malloc((size_t)token_size);
    assert_int_equal(HFCopyFaceBasicToken(faces.tokens[0], buffer, token_size - 1),
                     HERR_INVALID_BUFFER_SIZE);
    assert_int_equal(HFCopyFaceBasicToken(faces.tokens[0], buffer, token_size), HSUCCEED);
    HFFaceBasicToken copy = {token_size, buffer};

    assert_int_equal(HFGetFaceDenseLandmarkFromFaceToken(copy, points, count), HSUCCEED);
    it_expect_finite(&points[0].x, 2 * count, "landmarks");
    assert_int_equal(HFGetFaceDenseLandmarkFromFaceToken(copy, points, count + 1),
                     HERR_SESS_LANDMARK_NUM_NOT_MATCH);
    assert_int_equal(HFGetFaceFiveKeyPointsFromFaceToken(copy, points, 4),
                     HERR_SESS_KEY_POINT_NUM_NOT_MATCH);
    HFFaceBasicToken short_token = {10, buffer};
    assert_int_equal(HFGetFaceDenseLandmarkFromFaceToken(short_token, points, count),
                     HERR_SESS_FACE_DATA_ERROR);
    assert_int_equal(HFGetFaceFiveKeyPointsFromFaceToken(short_token, points, 5),
                     HERR_SESS_FACE_DATA_ERROR);

    it_feature(session, image.stream, &faces, 0, original);
    /* The copy still works after the session has processed another frame. */
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    assert_int_equal(HFFaceFeatureExtractCpy(session, image.stream, copy, copied), HSUCCEED);
    assert_memory_equal(original, copied, sizeof(original));
    free(buffer);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void api_feature_codes(void **state)
{
    HFSession plain = it_session(HF_ENABLE_NONE, 3);
    HFSession session = it_session(HF_ENABLE_FACE_RECOGNITION, 3);
    HFMultipleFaceData faces;
    HFFaceFeature feature = {0, NULL};
    HFFaceFeature small = {256, NULL};
    HFImageBitmap aligned = NULL;
    HFImageBitmapData aligned_data;
    HFImageStream aligned_stream = NULL;
    HFloat similarity = 0.0f;
    float values[512];
    it_image image;

    (void)state;
    it_image_open("bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(it_detect(plain, image.stream, &faces), 1);
    assert_int_equal(HFFaceFeatureExtractCpy(plain, image.stream, faces.tokens[0], values),
                     HERR_SESS_REC_EXTRACT_FAILURE);
    assert_int_equal(HFFaceFeatureExtract(plain, image.stream, faces.tokens[0], &feature),
                     HERR_SESS_REC_EXTRACT_FAILURE);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    HFFaceBasicToken empty = {0, NULL};
    assert_int_equal(HFFaceFeatureExtractCpy(session, image.stream, empty, values),
                     HERR_INVALID_FACE_TOKEN);
    assert_int_equal(HFFaceFeatureExtract(session, image.stream, faces.tokens[0], NULL),
                     HERR_INVALID_FACE_FEATURE);
    assert_int_equal(HFFaceFeatureExtract(session, image.stream, faces.tokens[0], &feature),
                     HSUCCEED);
    assert_int_equal(feature.size, 512);
    memcpy(values, feature.data, sizeof(values));

    assert_int_equal(HFCreateFaceFeature(&feature), HSUCCEED);
    assert_int_equal(feature.size, 512);
    assert_int_equal(HFFaceFeatureExtractTo(session, image.stream, faces.tokens[0], feature),
                     HSUCCEED);
    assert_memory_equal(feature.data, values, sizeof(values));
    small.data = feature.data;
    assert_int_equal(HFFaceFeatureExtractTo(session, image.stream, faces.tokens[0], small),
                     HERR_INVALID_FACE_FEATURE);
    /* Comparing features of different lengths is rejected. */
    assert_int_equal(HFFaceComparison(feature, small, &similarity), HERR_INVALID_FACE_FEATURE);

    assert_int_equal(HFFaceGetFaceAlignmentImage(session, image.stream, faces.tokens[0],
                                                 &aligned),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(aligned, &aligned_data), HSUCCEED);
    assert_int_equal(aligned_data.width, 112);
    assert_int_equal(aligned_data.height, 112);
    assert_int_equal(aligned_data.channels, 3);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(aligned, HF_CAMERA_ROTATION_0,
                                                        &aligned_stream),
                     HSUCCEED);
    assert_int_equal(HFFaceFeatureExtractWithAlignmentImage(session, aligned_stream, feature),
                     HSUCCEED);
    assert_true(it_cosine(feature.data, values) > 0.999f);
    assert_int_equal(HFFaceFeatureExtractWithAlignmentImage(session, image.stream, feature),
                     HERR_INVALID_IMAGE_STREAM_PARAM);
    HFReleaseImageStream(aligned_stream);

    /* The aligned image is used as stored: a stream rotation changes nothing. */
    float unrotated[512];

    memcpy(unrotated, feature.data, sizeof(unrotated));
    assert_int_equal(HFCreateImageStreamFromImageBitmap(aligned, HF_CAMERA_ROTATION_90,
                                                        &aligned_stream),
                     HSUCCEED);
    assert_int_equal(HFFaceFeatureExtractWithAlignmentImage(session, aligned_stream, feature),
                     HSUCCEED);
    assert_memory_equal(feature.data, unrotated, sizeof(unrotated));
    HFReleaseImageStream(aligned_stream);
    HFReleaseImageBitmap(aligned);

    assert_int_equal(HFReleaseFaceFeature(&feature), HSUCCEED);
    assert_null(feature.data);
    feature.data = values;
    assert_int_equal(HFReleaseFaceFeature(&feature), HERR_INVALID_FACE_FEATURE);
    it_image_close(&image);
    HFReleaseInspireFaceSession(plain);
    HFReleaseInspireFaceSession(session);
}

typedef struct worker {
    const char *name;
    float feature[512];
} worker;

static void *worker_run(void *argument)
{
    worker *w = argument;
    HFSession session = NULL;
    HFMultipleFaceData faces;
    HFImageBitmap bitmap = NULL;
    HFImageStream stream = NULL;
    char path[1024];

    snprintf(path, sizeof(path), "%s/data/images/%s", HF_SHARED_DIR, w->name);
    if (HFCreateInspireFaceSessionOptional(HF_ENABLE_FACE_RECOGNITION,
                                           HF_DETECT_MODE_ALWAYS_DETECT, 1, -1, -1,
                                           &session) != HSUCCEED ||
        HFCreateImageBitmapFromFilePath(path, 3, &bitmap) != HSUCCEED ||
        HFCreateImageStreamFromImageBitmap(bitmap, HF_CAMERA_ROTATION_0, &stream) != HSUCCEED) {
        return NULL;
    }
    for (int round = 0; round < 5; round++) {
        if (HFExecuteFaceTrack(session, stream, &faces) != HSUCCEED || faces.detectedNum != 1 ||
            HFFaceFeatureExtractCpy(session, stream, faces.tokens[0], w->feature) != HSUCCEED) {
            memset(w->feature, 0, sizeof(w->feature));
            break;
        }
    }
    HFReleaseImageStream(stream);
    HFReleaseImageBitmap(bitmap);
    HFReleaseInspireFaceSession(session);
    return NULL;
}

static void api_threads_identical(void **state)
{
    worker serial = {"bulk/Rob_Lowe_0001.jpg", {0}};
    worker workers[4];
    pthread_t threads[4];

    (void)state;
    worker_run(&serial);
    it_expect_finite(serial.feature, 512, "serial feature");
    assert_true(fabsf(it_cosine(serial.feature, serial.feature) - 1.0f) < 1e-4f);
    for (int i = 0; i < 4; i++) {
        workers[i] = (worker){"bulk/Rob_Lowe_0001.jpg", {0}};
        assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_memory_equal(workers[i].feature, serial.feature, sizeof(serial.feature));
    }
}

static int teardown(void **state)
{
    (void)state;
    HFTerminateInspireFace();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_not_launched),
        cmocka_unit_test(api_session_create),
        cmocka_unit_test(api_preview_sizes),
        cmocka_unit_test(api_track_codes),
        cmocka_unit_test(api_face_limit),
        cmocka_unit_test(api_tokens),
        cmocka_unit_test(api_feature_codes),
        cmocka_unit_test(api_threads_identical),
    };

    return cmocka_run_group_tests(tests, NULL, teardown);
}
