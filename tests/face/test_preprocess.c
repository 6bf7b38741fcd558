/* Region resize, warp, plane conversion, grey conversion and the rotation
 * mapping against hand-computed values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "face/face.h"

static void resize_identity(void **state)
{
    const uint8_t pixels[6] = {10, 20, 30, 40, 50, 60};
    hf_face_pixels src = {pixels, 3, 2, 3, 1};
    hf_face_rect whole = {0, 0, 3, 2};
    uint8_t out[6];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, whole, out, 3, 2), HF_OK);
    assert_memory_equal(out, pixels, 6);
}

static void resize_halves_average(void **state)
{
    /* 4 -> 2 columns: source x = (d + 0.5) * 2 - 0.5 = 0.5 and 2.5, so each
     * output is the mean of a pair: (0 + 100) / 2 and (200 + 255) / 2. */
    const uint8_t pixels[4] = {0, 100, 200, 255};
    hf_face_pixels src = {pixels, 4, 1, 4, 1};
    hf_face_rect whole = {0, 0, 4, 1};
    uint8_t out[2];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, whole, out, 2, 1), HF_OK);
    assert_int_equal(out[0], 50);
    assert_int_equal(out[1], 228); /* 227.5 rounds up */
}

static void resize_upscale_clamps(void **state)
{
    /* 2 -> 4 columns: source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25
     * (clamped to the last pixel). */
    const uint8_t pixels[2] = {0, 200};
    hf_face_pixels src = {pixels, 2, 1, 2, 1};
    hf_face_rect whole = {0, 0, 2, 1};
    uint8_t out[4];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, whole, out, 4, 1), HF_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 50);
    assert_int_equal(out[2], 150);
    assert_int_equal(out[3], 200);
}

static void resize_region_only(void **state)
{
    /* The region is column 1..2 of row 1; pixels outside it (99) must never
     * be read, also at the region's far edge. */
    const uint8_t pixels[12] = {99, 99, 99, 99, 99, 10, 30, 99, 99, 99, 99, 99};
    hf_face_pixels src = {pixels, 4, 3, 4, 1};
    hf_face_rect region = {1, 1, 2, 1};
    uint8_t out[4];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, region, out, 4, 1), HF_OK);
    assert_int_equal(out[0], 10);
    assert_int_equal(out[1], 15);
    assert_int_equal(out[2], 25);
    assert_int_equal(out[3], 30);
}

static void resize_halves_blocks(void **state)
{
    /* Exactly half size: each output is its 2x2 block's mean, rounded half
     * up: (0 + 100 + 10 + 20) / 4 = 32.5 and (200 + 255 + 30 + 40) / 4 =
     * 131.25. */
    const uint8_t pixels[8] = {0, 100, 200, 255, 10, 20, 30, 40};
    hf_face_pixels src = {pixels, 4, 2, 4, 1};
    hf_face_rect whole = {0, 0, 4, 2};
    uint8_t out[2];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, whole, out, 2, 1), HF_OK);
    assert_int_equal(out[0], 33);
    assert_int_equal(out[1], 131);
}

static void resize_rejects_outside(void **state)
{
    const uint8_t pixels[4] = {0};
    hf_face_pixels src = {pixels, 2, 2, 2, 1};
    hf_face_rect outside = {1, 1, 2, 2};
    hf_face_rect empty = {0, 0, 0, 2};
    uint8_t out[4];

    (void)state;
    assert_int_equal(hf_face_resize_region(&src, outside, out, 2, 2), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_face_resize_region(&src, empty, out, 2, 2), HF_ERR_INVALID_ARG);
}

static void warp_translation_border(void **state)
{
    /* A destination pixel x reads source x + 0.5: halfway between columns,
     * and the last one blends the last column with the zero border. */
    const uint8_t pixels[6] = {0, 0, 0, 100, 100, 100};
    hf_face_pixels src = {pixels, 2, 1, 6, 3};
    const float inverse[6] = {1, 0, 0.5f, 0, 1, 0};
    uint8_t out[6];

    (void)state;
    hf_face_warp_affine(&src, inverse, out, 2, 1);
    assert_int_equal(out[0], 50);
    assert_int_equal(out[3], 50);
    assert_int_equal(out[5], 50);
}

static void warp_outside_zero(void **state)
{
    const uint8_t pixels[3] = {200, 200, 200};
    hf_face_pixels src = {pixels, 1, 1, 3, 3};
    const float inverse[6] = {1, 0, 5.0f, 0, 1, 0};
    uint8_t out[3] = {1, 1, 1};

    (void)state;
    hf_face_warp_affine(&src, inverse, out, 1, 1);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 0);
}

static void planes_rgb_order(void **state)
{
    /* One BGR pixel (10, 20, 30) into R, G, B planes, (v - 127) / 128. */
    const uint8_t pixel[3] = {10, 20, 30};
    const hf_face_normalize normalize = {{2, 1, 0}, {127, 127, 127}, {0.0078125f, 0.0078125f,
                                                                       0.0078125f}};
    float planes[3];

    (void)state;
    hf_face_to_planes(pixel, 1, 1, &normalize, 3, planes);
    assert_true(planes[0] == (30.0f - 127.0f) / 128.0f);
    assert_true(planes[1] == (20.0f - 127.0f) / 128.0f);
    assert_true(planes[2] == (10.0f - 127.0f) / 128.0f);
}

static void grey_weights(void **state)
{
    /* Pure blue, green and red, then 0.114 * 10 + 0.587 * 20 + 0.299 * 30 = 21.88. */
    const uint8_t bgr[12] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
    uint8_t grey[4];

    (void)state;
    hf_face_bgr_to_grey(bgr, 4, grey);
    assert_int_equal(grey[0], 29);
    assert_int_equal(grey[1], 150);
    assert_int_equal(grey[2], 76);
    assert_int_equal(grey[3], 22);
}

static void rotation_mapping_table(void **state)
{
    /* Buffer 5 wide, 3 high. Upright (u, v) = (1, 0) reads buffer
     * (w-1-v, u) = (4, 1) at 90, (w-1-u, h-1-v) = (3, 2) at 180 and
     * (v, h-1-u) = (0, 1) at 270. */
    const float expected[4][2] = {{1, 0}, {4, 1}, {3, 2}, {0, 1}};

    (void)state;
    for (int turns = 0; turns < 4; turns++) {
        hf_face_frame frame = {{NULL, 0, 0, 0, 3}, 5, 3, turns};
        float x;
        float y;
        float u;
        float v;

        hf_face_frame_to_buffer(&frame, 1.0f, 0.0f, &x, &y);
        assert_true(x == expected[turns][0]);
        assert_true(y == expected[turns][1]);
        hf_face_frame_to_upright(&frame, x, y, &u, &v);
        assert_true(u == 1.0f);
        assert_true(v == 0.0f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resize_identity),
        cmocka_unit_test(resize_halves_average),
        cmocka_unit_test(resize_upscale_clamps),
        cmocka_unit_test(resize_region_only),
        cmocka_unit_test(resize_halves_blocks),
        cmocka_unit_test(resize_rejects_outside),
        cmocka_unit_test(warp_translation_border),
        cmocka_unit_test(warp_outside_zero),
        cmocka_unit_test(planes_rgb_order),
        cmocka_unit_test(grey_weights),
        cmocka_unit_test(rotation_mapping_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
