/* The rotated test photos (r90, r180, r270 as JPEG/PNG and NV21), streamed
 * with the matching rotation and turned upright, must equal the upright
 * r0 within 1 % mean absolute difference per channel (2.55 of 255). The
 * NV21 files are read into buffers of exactly their size so ASan reports
 * any read past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "image/image.h"
#include "image_fixture.h"

#define MAX_MEAN_DIFFERENCE 2.55

static void load_file(const char *name, hf_image *image)
{
    char path[512];

    image_fixture_path(name, path, sizeof(path));
    assert_int_equal(hf_image_decode_file(path, 3, image), HF_OK);
}

static void compare_upright(const hf_image *upright, const hf_image *reference,
                            const char *label)
{
    assert_int_equal(upright->width, reference->width);
    assert_int_equal(upright->height, reference->height);
    for (int c = 0; c < 3; c++) {
        double difference = image_fixture_mad(upright, reference, c);

        if (!(difference <= MAX_MEAN_DIFFERENCE)) {
            fail_msg("%s: channel %d differs by %.3f on average, limit %.2f", label, c,
                     difference, MAX_MEAN_DIFFERENCE);
        }
    }
}

static void rotated_file_matches(const char *reference_name, const char *rotated_name,
                                 int rotation)
{
    hf_image reference, rotated, upright;
    hf_image_stream stream;

    load_file(reference_name, &reference);
    load_file(rotated_name, &rotated);
    assert_int_equal(hf_image_stream_init(&stream, rotated.data, rotated.width, rotated.height,
                                          HF_PIXEL_BGR, rotation),
                     HF_OK);
    assert_int_equal(hf_image_stream_upright(&stream, &upright), HF_OK);
    compare_upright(&upright, &reference, rotated_name);
    hf_image_release(&upright);
    hf_image_release(&rotated);
    hf_image_release(&reference);
}

static void jpeg_rotations_match_r0(void **state)
{
    (void)state;
    rotated_file_matches("bulk/r0.jpg", "bulk/r90.jpg", 1);
    rotated_file_matches("bulk/r0.jpg", "bulk/r180.jpg", 2);
    rotated_file_matches("bulk/r0.jpg", "bulk/r270.jpg", 3);
}

static void png_rotations_match_rot0(void **state)
{
    (void)state;
    rotated_file_matches("rotate/rot_0.jpg", "rotate/rot_90.jpg", 1);
    rotated_file_matches("rotate/rot_0.jpg", "rotate/rot_180.jpg", 2);
    rotated_file_matches("rotate/rot_0.jpg", "rotate/rot_270.jpg", 3);
}

/* Reads an NV21 file into a buffer of exactly its size and renders it
 * upright. */
static void nv21_upright(const char *name, int width, int height, int rotation,
                         hf_image *upright)
{
    char path[512];
    size_t size;
    size_t expected;
    uint8_t *bytes;
    hf_image_stream stream;

    image_fixture_path(name, path, sizeof(path));
    bytes = image_fixture_read(path, &size);
    assert_non_null(bytes);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_NV21, width, height, &expected), HF_OK);
    assert_int_equal(size, expected);
    assert_int_equal(hf_image_stream_init(&stream, bytes, width, height, HF_PIXEL_NV21, rotation),
                     HF_OK);
    assert_int_equal(hf_image_stream_upright(&stream, upright), HF_OK);
    free(bytes);
}

static void nv21_rotations_match_r0(void **state)
{
    const struct {
        const char *name;
        int width, height, rotation;
    } files[] = {
        {"bulk/r90_w409_h330_c3.nv21", 409, 330, 1},
        {"bulk/r180_w330_h409_c3.nv21", 330, 409, 2},
        {"bulk/r270_w409_h330_c3.nv21", 409, 330, 3},
    };
    hf_image reference;

    (void)state;
    nv21_upright("bulk/r0_w330_h409_c3.nv21", 330, 409, 0, &reference);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        hf_image upright;

        nv21_upright(files[i].name, files[i].width, files[i].height, files[i].rotation,
                     &upright);
        compare_upright(&upright, &reference, files[i].name);
        hf_image_release(&upright);
    }
    hf_image_release(&reference);
}

/* The NV21 frames and the JPEGs show the same picture, so a colour
 * conversion with the wrong range or swapped chroma shows up here. */
static void nv21_matches_jpeg(void **state)
{
    hf_image from_nv21, from_jpeg;

    (void)state;
    nv21_upright("bulk/r0_w330_h409_c3.nv21", 330, 409, 0, &from_nv21);
    load_file("bulk/r0.jpg", &from_jpeg);
    for (int c = 0; c < 3; c++)
        printf("r0 NV21 vs JPEG, channel %d: mean difference %.3f\n", c,
               image_fixture_mad(&from_nv21, &from_jpeg, c));
    compare_upright(&from_nv21, &from_jpeg, "r0 NV21 against r0.jpg");
    hf_image_release(&from_jpeg);
    hf_image_release(&from_nv21);

    nv21_upright("bulk/Nathalie_Baye_0002_w250_h250_c3.nv21", 250, 250, 0, &from_nv21);
    load_file("bulk/Nathalie_Baye_0002.jpg", &from_jpeg);
    compare_upright(&from_nv21, &from_jpeg, "Nathalie_Baye NV21 against JPEG");
    hf_image_release(&from_jpeg);
    hf_image_release(&from_nv21);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jpeg_rotations_match_r0),
        cmocka_unit_test(png_rotations_match_rot0),
        cmocka_unit_test(nv21_rotations_match_r0),
        cmocka_unit_test(nv21_matches_jpeg),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
