/* What the face API finds on the test images: face counts, kun's box, the
 * rotation cases in JPEG and NV21, pose signs, identities, and inputs that
 * hold no usable face. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "integration.h"

static int setup(void **state)
{
    (void)state;
    return it_launch();
}

static int teardown(void **state)
{
    (void)state;
    HFTerminateInspireFace();
    return 0;
}

static int count_faces(const char *name)
{
    HFSession session = it_session(HF_ENABLE_NONE, 20);
    HFMultipleFaceData faces;
    it_image image;
    int count;

    it_image_open(name, HF_CAMERA_ROTATION_0, &image);
    count = it_detect(session, image.stream, &faces);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
    return count;
}

static void images_face_counts(void **state)
{
    static const struct {
        const char *name;
        int faces;
    } cases[] = {
        {"attribute/7242.jpg", 2}, {"bulk/view.jpg", 0},     {"crop/no_face.png", 0},
        {"crop/crop.png", 1},      {"bulk/kun.jpg", 1},      {"bulk/Rob_Lowe_0001.jpg", 1},
        {"bulk/yifei.jpg", 1},     {"emotion/anger.png", 1}, {"bulk/image_T1.jpeg", 1},
        {"crop/crop_mask.png", 1}, {"bulk/mask.png", 1},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int found = count_faces(cases[i].name);

        if (found != cases[i].faces) {
            print_error("%s: %d faces, expected %d\n", cases[i].name, found, cases[i].faces);
            fail();
        }
    }
}

static float rect_iou(HFaceRect a, HFaceRect b)
{
    float x1 = fmaxf((float)a.x, (float)b.x);
    float y1 = fmaxf((float)a.y, (float)b.y);
    float x2 = fminf((float)(a.x + a.width), (float)(b.x + b.width));
    float y2 = fminf((float)(a.y + a.height), (float)(b.y + b.height));
    float inter = x2 > x1 && y2 > y1 ? (x2 - x1) * (y2 - y1) : 0.0f;

    return inter / ((float)a.width * a.height + (float)b.width * b.height - inter);
}

static void images_kun_box(void **state)
{
    HFaceRect expected = {79, 104, 168, 167};
    HFSession session = it_session(HF_ENABLE_NONE, 5);
    HFMultipleFaceData faces;
    it_image image;

    (void)state;
    it_image_open("bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    float iou = rect_iou(faces.rects[0], expected);
    if (iou < 0.75f) {
        print_error("kun box %d %d %d %d, IoU %.3f with 79 104 168 167\n", faces.rects[0].x,
                    faces.rects[0].y, faces.rects[0].width, faces.rects[0].height, iou);
        fail();
    }
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

/* Five key points of the only face, mapped to the upright view. */
static void upright_points(HFSession session, HFImageStream stream, int rotation, int width,
                           int height, HPoint2f *points)
{
    HFMultipleFaceData faces;

    assert_int_equal(it_detect(session, stream, &faces), 1);
    assert_int_equal(HFGetFaceFiveKeyPointsFromFaceToken(faces.tokens[0], points, 5), HSUCCEED);
    for (int k = 0; k < 5; k++) {
        it_to_upright(rotation, width, height, points[k].x, points[k].y, &points[k].x,
                      &points[k].y);
    }
}

static void expect_points_near(const HPoint2f *points, const HPoint2f *truth, double limit,
                               const char *what)
{
    for (int k = 0; k < 5; k++) {
        double distance = hypot(points[k].x - truth[k].x, points[k].y - truth[k].y);

        if (distance > limit) {
            print_error("%s key point %d: (%.1f, %.1f), r0 has (%.1f, %.1f)\n", what, k,
                        points[k].x, points[k].y, truth[k].x, truth[k].y);
            fail();
        }
    }
}

static void images_rotations_jpeg(void **state)
{
    static const char *const names[4] = {"bulk/r0.jpg", "bulk/r90.jpg", "bulk/r180.jpg",
                                         "bulk/r270.jpg"};
    HFSession session = it_session(HF_ENABLE_NONE, 5);
    HPoint2f truth[5];
    HPoint2f points[5];

    (void)state;
    for (int rotation = 0; rotation < 4; rotation++) {
        it_image image;

        it_image_open(names[rotation], (HFRotation)rotation, &image);
        upright_points(session, image.stream, rotation, image.data.width, image.data.height,
                       rotation == 0 ? truth : points);
        if (rotation > 0) {
            expect_points_near(points, truth, 3.0, names[rotation]);
        }
        it_image_close(&image);
    }
    HFReleaseInspireFaceSession(session);
}

static void images_rotations_nv21(void **state)
{
    static const char *const names[4] = {
        "bulk/r0_w330_h409_c3.nv21", "bulk/r90_w409_h330_c3.nv21",
        "bulk/r180_w330_h409_c3.nv21", "bulk/r270_w409_h330_c3.nv21"};
    HFSession session = it_session(HF_ENABLE_NONE, 5);
    HPoint2f truth[5];
    HPoint2f points[5];

    (void)state;
    for (int rotation = 0; rotation < 4; rotation++) {
        int width = rotation & 1 ? 409 : 330;
        int height = rotation & 1 ? 330 : 409;
        size_t size = (size_t)width * height + (size_t)width * (height / 2);
        char path[1024];
        uint8_t *bytes = malloc(size);
        FILE *file;
        HFImageStream stream = NULL;

        snprintf(path, sizeof(path), "%s/data/images/%s", HF_SHARED_DIR, names[rotation]);
        file = fopen(path, "rb");
        assert_non_null(file);
        assert_int_equal(fread(bytes, 1, size, file), size);
        fclose(file);
        HFImageData data = {bytes, width, height, HF_STREAM_YUV_NV21, (HFRotation)rotation};
        assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
        upright_points(session, stream, rotation, width, height,
                       rotation == 0 ? truth : points);
        if (rotation > 0) {
            expect_points_near(points, truth, 3.0, names[rotation]);
        }
        HFReleaseImageStream(stream);
        free(bytes);
    }
    HFReleaseInspireFaceSession(session);
}

static void images_upside_down(void **state)
{
    /* r180 read without its rotation: the detector may report something,
     * but no face with landmarks where the upright face really is. */
    HFSession session = it_session(HF_ENABLE_NONE, 5);
    HFMultipleFaceData faces;
    HPoint2f truth[5];
    HPoint2f points[5];
    it_image image;

    (void)state;
    it_image_open("bulk/r0.jpg", HF_CAMERA_ROTATION_0, &image);
    upright_points(session, image.stream, 0, 0, 0, truth);
    it_image_close(&image);
    it_image_open("bulk/r180.jpg", HF_CAMERA_ROTATION_0, &image);
    int count = it_detect(session, image.stream, &faces);
    for (int i = 0; i < count; i++) {
        double total = 0.0;

        assert_int_equal(HFGetFaceFiveKeyPointsFromFaceToken(faces.tokens[i], points, 5),
                         HSUCCEED);
        for (int k = 0; k < 5; k++) {
            float u;
            float v;

            it_to_upright(HF_CAMERA_ROTATION_180, image.data.width, image.data.height,
                          points[k].x, points[k].y, &u, &v);
            total += hypot(u - truth[k].x, v - truth[k].y);
        }
        assert_true(total / 5 > 10.0);
    }
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void expect_range(const char *name, const char *angle, float value, float low,
                         float high)
{
    if (!(value > low && value < high)) {
        print_error("%s: %s %.1f, expected in (%.0f, %.0f)\n", name, angle, value, low, high);
        fail();
    }
}

static void images_pose_signs(void **state)
{
    static const struct {
        const char *name;
        int angle; /* 0 roll, 1 yaw, 2 pitch */
        float low;
        float high;
    } cases[] = {
        {"pose/left_face.jpeg", 1, -90, -10},    {"pose/right_face.png", 1, 10, 90},
        {"pose/rise_face.jpeg", 2, 3, 90},       {"pose/lower_face.jpeg", 2, -90, -10},
        {"pose/right_wryneck.png", 0, 25, 90},   {"pose/left_wryneck.png", 0, -90, -10},
        {"bulk/Rob_Lowe_0002.jpg", 1, -15, 15},
    };
    static const char *const angle_names[3] = {"roll", "yaw", "pitch"};
    HFSession session = it_session(HF_ENABLE_FACE_POSE, 5);

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        HFMultipleFaceData faces;
        it_image image;

        it_image_open(cases[i].name, HF_CAMERA_ROTATION_0, &image);
        assert_int_equal(it_detect(session, image.stream, &faces), 1);
        float angles[3] = {faces.angles.roll[0], faces.angles.yaw[0], faces.angles.pitch[0]};
        expect_range(cases[i].name, angle_names[cases[i].angle], angles[cases[i].angle],
                     cases[i].low, cases[i].high);
        it_image_close(&image);
    }
    HFReleaseInspireFaceSession(session);
}

static void central_feature(HFSession session, const char *name, float *feature)
{
    HFMultipleFaceData faces;
    it_image image;

    it_image_open(name, HF_CAMERA_ROTATION_0, &image);
    assert_true(it_detect(session, image.stream, &faces) >= 1);
    it_feature(session, image.stream, &faces, 0, feature);
    it_image_close(&image);
}

static void images_identities(void **state)
{
    static float lowe1[512];
    static float lowe2[512];
    static float kun[512];
    static float jntm[512];
    HFSession session = it_session(HF_ENABLE_FACE_RECOGNITION, 1);
    HFloat threshold = 0.0f;

    (void)state;
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    central_feature(session, "bulk/Rob_Lowe_0001.jpg", lowe1);
    central_feature(session, "bulk/Rob_Lowe_0002.jpg", lowe2);
    central_feature(session, "bulk/kun.jpg", kun);
    central_feature(session, "bulk/jntm.jpg", jntm);
    print_message("threshold %.3f: Lowe/Lowe %.3f, kun/jntm %.3f, Lowe/kun %.3f\n", threshold,
                  it_cosine(lowe1, lowe2), it_cosine(kun, jntm), it_cosine(lowe1, kun));
    assert_true(it_cosine(lowe1, lowe2) > threshold);
    assert_true(it_cosine(kun, jntm) > threshold);
    assert_true(it_cosine(lowe1, kun) < threshold);
    assert_true(it_cosine(lowe2, kun) < threshold);
    HFReleaseInspireFaceSession(session);
}

/* Detection on a caller buffer; returns the face count. */
static int detect_buffer(uint8_t *pixels, int width, int height, HFImageFormat format,
                         HFMultipleFaceData *faces, HFSession session)
{
    HFImageData data = {pixels, width, height, format, HF_CAMERA_ROTATION_0};
    HFImageStream stream = NULL;
    int count;

    assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
    count = it_detect(session, stream, faces);
    HFReleaseImageStream(stream);
    return count;
}

static void images_odd_buffers(void **state)
{
    HFSession session = it_session(HF_ENABLE_FACE_RECOGNITION, 5);
    HFMultipleFaceData faces;
    it_image image;
    HFaceRect bgr_rect;

    (void)state;
    uint8_t *flat = malloc(640 * 480 * 3);
    memset(flat, 128, 640 * 480 * 3);
    assert_int_equal(detect_buffer(flat, 640, 480, HF_STREAM_BGR, &faces, session), 0);
    assert_int_equal(detect_buffer(flat, 15, 15, HF_STREAM_BGR, &faces, session), 0);
    free(flat);

    it_image_open("bulk/r0.jpg", HF_CAMERA_ROTATION_0, &image);
    int width = image.data.width;
    int height = image.data.height;
    size_t count = (size_t)width * height;
    assert_int_equal(it_detect(session, image.stream, &faces), 1);
    bgr_rect = faces.rects[0];

    /* Exactly w * h bytes of grey, so a reader past the end trips ASan. */
    uint8_t *grey = malloc(count);
    uint8_t *rgba = malloc(count * 4);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *bgr = image.data.data + 3 * i;

        grey[i] = (uint8_t)((bgr[0] * 29 + bgr[1] * 150 + bgr[2] * 77 + 128) >> 8);
        rgba[4 * i] = bgr[2];
        rgba[4 * i + 1] = bgr[1];
        rgba[4 * i + 2] = bgr[0];
        rgba[4 * i + 3] = 255;
    }
    assert_int_equal(detect_buffer(grey, width, height, HF_STREAM_GRAY, &faces, session), 1);
    assert_true(rect_iou(faces.rects[0], bgr_rect) > 0.8f);
    assert_int_equal(detect_buffer(rgba, width, height, HF_STREAM_RGBA, &faces, session), 1);
    assert_true(rect_iou(faces.rects[0], bgr_rect) > 0.95f);
    free(grey);
    free(rgba);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

static void images_face_at_edge(void **state)
{
    /* kun_crop cut to its right 180 columns: the face runs off the left edge. */
    HFSession session = it_session(HF_ENABLE_FACE_RECOGNITION | HF_ENABLE_FACE_POSE, 5);
    HFMultipleFaceData faces;
    HFImageBitmap aligned = NULL;
    it_image image;
    float feature[512];

    (void)state;
    it_image_open("bulk/kun_crop.jpg", HF_CAMERA_ROTATION_0, &image);
    int width = 180;
    int height = image.data.height;
    uint8_t *part = malloc((size_t)width * height * 3);
    for (int y = 0; y < height; y++) {
        memcpy(part + (size_t)y * width * 3,
               image.data.data + ((size_t)y * image.data.width + image.data.width - width) * 3,
               (size_t)width * 3);
    }
    HFImageData data = {part, width, height, HF_STREAM_BGR, HF_CAMERA_ROTATION_0};
    HFImageStream stream = NULL;
    assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
    assert_true(it_detect(session, stream, &faces) >= 1);
    assert_true(faces.rects[0].x >= 0);
    assert_true(faces.rects[0].x + faces.rects[0].width <= width);
    it_feature(session, stream, &faces, 0, feature);
    assert_int_equal(HFFaceGetFaceAlignmentImage(session, stream, faces.tokens[0], &aligned),
                     HSUCCEED);
    HFReleaseImageBitmap(aligned);
    HFReleaseImageStream(stream);
    free(part);
    it_image_close(&image);
    HFReleaseInspireFaceSession(session);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(images_face_counts),
        cmocka_unit_test(images_kun_box),
        cmocka_unit_test(images_rotations_jpeg),
        cmocka_unit_test(images_rotations_nv21),
        cmocka_unit_test(images_upside_down),
        cmocka_unit_test(images_pose_signs),
        cmocka_unit_test(images_identities),
        cmocka_unit_test(images_odd_buffers),
        cmocka_unit_test(images_face_at_edge),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
