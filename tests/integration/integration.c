#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "integration.h"

int it_launch(void)
{
    const char *path = getenv("INSPIREFACE_PACK");
    HResult code;

    if (path == NULL || path[0] == '\0') {
        path = HF_TEST_PACK;
    }
    code = HFLaunchInspireFace(path);
    if (code != HSUCCEED) {
        fprintf(stderr, "cannot launch the pack %s (error %ld); build it with "
                        "tools/pack/build-pack.sh\n",
                path, (long)code);
        return -1;
    }
    return 0;
}

void it_image_open(const char *name, HFRotation rotation, it_image *image)
{
    char path[1024];

    memset(image, 0, sizeof(*image));
    snprintf(path, sizeof(path), "%s/data/images/%s", HF_SHARED_DIR, name);
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &image->bitmap), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(image->bitmap, &image->data), HSUCCEED);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(image->bitmap, rotation,
                                                        &image->stream),
                     HSUCCEED);
}

void it_image_close(it_image *image)
{
    if (image->stream != NULL) {
        assert_int_equal(HFReleaseImageStream(image->stream), HSUCCEED);
    }
    if (image->bitmap != NULL) {
        assert_int_equal(HFReleaseImageBitmap(image->bitmap), HSUCCEED);
    }
    memset(image, 0, sizeof(*image));
}

HFSession it_session(HOption features, int max_faces)
{
    HFSession session = NULL;

    assert_int_equal(HFCreateInspireFaceSessionOptional(features, HF_DETECT_MODE_ALWAYS_DETECT,
                                                        max_faces, -1, -1, &session),
                     HSUCCEED);
    assert_non_null(session);
    return session;
}

int it_detect(HFSession session, HFImageStream stream, HFMultipleFaceData *faces)
{
    assert_int_equal(HFExecuteFaceTrack(session, stream, faces), HSUCCEED);
    for (int i = 0; i < faces->detectedNum; i++) {
        assert_int_equal(faces->trackIds[i], -1);
        assert_int_equal(faces->trackCounts[i], 1);
        it_expect_finite(&faces->detConfidence[i], 1, "score");
        it_expect_finite(&faces->angles.roll[i], 1, "roll");
        it_expect_finite(&faces->angles.yaw[i], 1, "yaw");
        it_expect_finite(&faces->angles.pitch[i], 1, "pitch");
    }
    return faces->detectedNum;
}

void it_feature(HFSession session, HFImageStream stream, const HFMultipleFaceData *faces,
                int index, float *feature)
{
    assert_true(index < faces->detectedNum);
    assert_int_equal(HFFaceFeatureExtractCpy(session, stream, faces->tokens[index], feature),
                     HSUCCEED);
    it_expect_finite(feature, 512, "feature");
}

float it_cosine(const float *a, const float *b)
{
    double dot = 0.0;

    for (int i = 0; i < 512; i++) {
        dot += (double)a[i] * b[i];
    }
    return (float)dot;
}

void it_expect_finite(const float *values, int count, const char *what)
{
    for (int i = 0; i < count; i++) {
        if (!isfinite(values[i])) {
            print_error("%s[%d] is %g\n", what, i, values[i]);
            fail();
        }
    }
}

void it_to_upright(int rotation, int width, int height, float x, float y, float *u, float *v)
{
    switch (rotation) {
    case HF_CAMERA_ROTATION_90: *u = y; *v = (float)(width - 1) - x; break;
    case HF_CAMERA_ROTATION_180: *u = (float)(width - 1) - x; *v = (float)(height - 1) - y; break;
    case HF_CAMERA_ROTATION_270: *u = (float)(height - 1) - y; *v = x; break;
    default: *u = x; *v = y; break;
    }
}
