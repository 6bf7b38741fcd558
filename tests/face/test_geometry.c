/* Crop rectangles, five key points, similarity fitting and pose decoding
 * against values worked out by hand or from known transforms. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "face/geometry.h"

#define PI 3.14159265358979323846

static void expect_near(double actual, double expected, double tolerance, const char *what)
{
    if (fabs(actual - expected) > tolerance || isnan(actual)) {
        print_error("%s: got %.7g, expected %.7g (tolerance %g)\n", what, actual, expected,
                    tolerance);
        fail();
    }
}

static void expect_rect(hf_face_rect rect, int x, int y, int width, int height)
{
    assert_int_equal(rect.x, x);
    assert_int_equal(rect.y, y);
    assert_int_equal(rect.width, width);
    assert_int_equal(rect.height, height);
}

static void square_box_inside(void **state)
{
    /* Height 60 gives a 60-px square centred on (30, 50): x from 0 to 60. */
    hf_face_box box = {10.0f, 20.0f, 50.0f, 80.0f, 0.9f};

    (void)state;
    expect_rect(hf_face_square_box(&box, 200, 200), 0, 20, 60, 60);
}

static void square_box_clipped(void **state)
{
    /* Centre (90, 90), side 40: the square (70..110) is clipped at 99. */
    hf_face_box box = {80.0f, 70.0f, 100.0f, 110.0f, 0.9f};

    (void)state;
    expect_rect(hf_face_square_box(&box, 100, 100), 70, 70, 29, 29);
}

static void scaled_crop_identity(void **state)
{
    hf_face_rect box = {30, 40, 50, 50};

    (void)state;
    expect_rect(hf_face_scaled_crop(box, 1.0f, 200, 200), 30, 40, 50, 50);
}

static void scaled_crop_shifted(void **state)
{
    /* Factor 2 about (95, 50): width 40 starts at 75 and leaves the image at
     * 99, so it moves to end at 99 (start 59). */
    hf_face_rect box = {85, 40, 20, 20};

    (void)state;
    expect_rect(hf_face_scaled_crop(box, 2.0f, 100, 100), 59, 30, 40, 40);
}

static void scaled_crop_shrinks(void **state)
{
    /* A box taller than the image is shrunk to (H - 1) / h = 0.99. */
    hf_face_rect box = {0, 0, 100, 100};

    (void)state;
    expect_rect(hf_face_scaled_crop(box, 1.0f, 100, 100), 0, 0, 99, 99);
}

static void pose_crop_clipped(void **state)
{
    hf_face_rect box = {10, 20, 40, 40};

    (void)state;
    expect_rect(hf_face_pose_crop(box, 200, 200), 0, 10, 60, 60);
    expect_rect(hf_face_pose_crop(box, 45, 55), 0, 10, 45, 45);
}

static void five_points_means(void **state)
{
    float landmarks[2 * HF_FACE_LANDMARK_COUNT];
    float points[10];

    (void)state;
    for (int i = 0; i < HF_FACE_LANDMARK_COUNT; i++) {
        landmarks[2 * i] = (float)i;
        landmarks[2 * i + 1] = (float)(100 + 2 * i);
    }
    hf_face_five_points(landmarks, points);
    expect_near(points[0], (37 + 38 + 40 + 41) / 4.0, 1e-5, "left eye x");
    expect_near(points[1], 100 + 2 * 39.0, 1e-5, "left eye y");
    expect_near(points[2], (43 + 44 + 46 + 47) / 4.0, 1e-5, "right eye x");
    expect_near(points[4], 30.0, 1e-5, "nose x");
    expect_near(points[5], 160.0, 1e-5, "nose y");
    expect_near(points[6], 54.0, 1e-5, "left mouth x");
    expect_near(points[8], 59.0, 1e-5, "right mouth x");
    expect_near(points[9], 218.0, 1e-5, "right mouth y");
}

static void apply(const float m[6], float x, float y, float *out)
{
    out[0] = m[0] * x + m[1] * y + m[2];
    out[1] = m[3] * x + m[4] * y + m[5];
}

static void similarity_known_transform(void **state)
{
    const float src[10] = {10, 20, 40, 22, 25, 40, 12, 60, 38, 61};
    double angle = 30.0 * PI / 180.0;
    double scale = 1.7;
    float truth[6] = {(float)(scale * cos(angle)), (float)(-scale * sin(angle)), 5.0f,
                      (float)(scale * sin(angle)), (float)(scale * cos(angle)), -3.0f};
    float dst[10];
    float fitted[6];

    (void)state;
    for (int i = 0; i < 5; i++) {
        apply(truth, src[2 * i], src[2 * i + 1], dst + 2 * i);
    }
    assert_int_equal(hf_face_similarity_fit(src, dst, 5, fitted), HF_OK);
    for (int k = 0; k < 6; k++) {
        expect_near(fitted[k], truth[k], 1e-4, "matrix element");
    }
}

static void similarity_no_reflection(void **state)
{
    /* Mirrored points: the best fit must still be a rotation (positive
     * determinant, equal diagonal). */
    const float src[8] = {0, 0, 10, 0, 0, 10, 10, 10};
    const float dst[8] = {10, 0, 0, 0, 10, 10, 0, 10};
    float fitted[6];

    (void)state;
    assert_int_equal(hf_face_similarity_fit(src, dst, 4, fitted), HF_OK);
    expect_near(fitted[0], fitted[4], 1e-6, "diagonal");
    expect_near(fitted[1], -fitted[3], 1e-6, "off-diagonal");
    assert_true(fitted[0] * fitted[4] - fitted[1] * fitted[3] >= 0.0f);
}

static void similarity_degenerate(void **state)
{
    const float same[4] = {3, 3, 3, 3};
    const float dst[4] = {0, 0, 1, 1};
    float fitted[6];

    (void)state;
    assert_int_equal(hf_face_similarity_fit(same, dst, 2, fitted), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_face_similarity_fit(same, dst, 1, fitted), HF_ERR_INVALID_ARG);
}

static void align_template_identity(void **state)
{
    /* The template itself maps onto the template with the identity. */
    const float points[10] = {38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f,
                              71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};
    const float identity[6] = {1, 0, 0, 0, 1, 0};
    float fitted[6];

    (void)state;
    assert_int_equal(hf_face_align_matrix(points, fitted), HF_OK);
    for (int k = 0; k < 6; k++) {
        expect_near(fitted[k], identity[k], 1e-4, "matrix element");
    }
}

static void affine_invert_roundtrip(void **state)
{
    const float m[6] = {1.2f, -0.4f, 7.0f, 0.4f, 1.2f, -2.0f};
    float inverse[6];
    float there[2];
    float back[2];
    const float singular[6] = {1, 2, 0, 2, 4, 0};

    (void)state;
    assert_int_equal(hf_face_affine_invert(m, inverse), HF_OK);
    apply(m, 13.0f, -4.0f, there);
    apply(inverse, there[0], there[1], back);
    expect_near(back[0], 13.0, 1e-4, "x");
    expect_near(back[1], -4.0, 1e-4, "y");
    assert_int_equal(hf_face_affine_invert(singular, inverse), HF_ERR_INVALID_ARG);
}

static void pose_decode_bins(void **state)
{
    float logits[HF_FACE_POSE_BINS] = {0};

    (void)state;
    /* Equal logits: expectation of 0..65 is 32.5, so 3 * 32.5 - 99 = -1.5. */
    expect_near(hf_face_pose_decode(logits), -1.5, 1e-4, "uniform");
    /* A dominant bin 33 is 0 degrees; bin 0 is -99. */
    logits[33] = 60.0f;
    expect_near(hf_face_pose_decode(logits), 0.0, 1e-3, "bin 33");
    logits[33] = 0.0f;
    logits[0] = 60.0f;
    expect_near(hf_face_pose_decode(logits), -99.0, 1e-3, "bin 0");
    /* Two equal bins 40 and 42 average to bin 41: 24 degrees. */
    logits[0] = 0.0f;
    logits[40] = 60.0f;
    logits[42] = 60.0f;
    expect_near(hf_face_pose_decode(logits), 24.0, 1e-3, "bins 40 and 42");
}

static void box_iou_cases(void **state)
{
    hf_face_box a = {0, 0, 10, 10, 1};
    hf_face_box b = {5, 0, 15, 10, 1};
    hf_face_box c = {20, 20, 30, 30, 1};
    hf_face_box empty = {5, 5, 5, 9, 1};

    (void)state;
    expect_near(hf_face_box_iou(&a, &b), 50.0 / 150.0, 1e-6, "half overlap");
    expect_near(hf_face_box_iou(&a, &a), 1.0, 1e-6, "same box");
    expect_near(hf_face_box_iou(&a, &c), 0.0, 1e-6, "disjoint");
    expect_near(hf_face_box_iou(&a, &empty), 0.0, 1e-6, "empty box");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(square_box_inside),
        cmocka_unit_test(square_box_clipped),
        cmocka_unit_test(scaled_crop_identity),
        cmocka_unit_test(scaled_crop_shifted),
        cmocka_unit_test(scaled_crop_shrinks),
        cmocka_unit_test(pose_crop_clipped),
        cmocka_unit_test(five_points_means),
        cmocka_unit_test(similarity_known_transform),
        cmocka_unit_test(similarity_no_reflection),
        cmocka_unit_test(similarity_degenerate),
        cmocka_unit_test(align_template_identity),
        cmocka_unit_test(affine_invert_roundtrip),
        cmocka_unit_test(pose_decode_bins),
        cmocka_unit_test(box_iou_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
