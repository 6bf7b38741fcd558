/* Decoding every test image, EXIF orientation, broken files and encoder
 * round trips. Expected sizes are those stated in the test data's README
 * (width x height, after EXIF orientation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>

#include "image/image.h"
#include "image_fixture.h"

typedef struct expected_size {
    const char *name;
    int width;
    int height;
} expected_size;

static const expected_size FILES[] = {
    {"RD/d1.jpeg", 1000, 1300},
    {"RD/d2.jpeg", 500, 789},
    {"RD/d3.jpeg", 690, 1035},
    {"RD/d4.jpeg", 689, 897},
    {"RD/d5.jpeg", 640, 959},
    {"attribute/1423.jpg", 448, 448},
    {"attribute/1561.jpg", 448, 448},
    {"attribute/1996.jpg", 448, 448},
    {"attribute/2963.jpg", 448, 448},
    {"attribute/7242.jpg", 448, 448},
    {"bulk/Nathalie_Baye_0002.jpg", 250, 250},
    {"bulk/Rob_Lowe_0001.jpg", 250, 250},
    {"bulk/Rob_Lowe_0002.jpg", 250, 250},
    {"bulk/blur.jpg", 500, 500},
    {"bulk/face_sample.png", 870, 1018},
    {"bulk/image_T1.jpeg", 480, 640},
    {"bulk/jntm.jpg", 539, 667},
    {"bulk/jntm.png", 539, 667},
    {"bulk/kun.jpg", 325, 402},
    {"bulk/kun_cartoon_crop.jpg", 325, 325},
    {"bulk/kun_cartoon_crop_r90.jpg", 325, 325},
    {"bulk/kun_crop.jpg", 325, 325},
    {"bulk/mask.png", 656, 904},
    {"bulk/mask2.jpg", 1014, 1280},
    {"bulk/r0.jpg", 330, 409},
    {"bulk/r90.jpg", 409, 330},
    {"bulk/r180.jpg", 330, 409},
    {"bulk/r270.jpg", 409, 330},
    {"bulk/rgb_fake.jpg", 1280, 1707},
    {"bulk/view.jpg", 1080, 641},
    {"bulk/woman.png", 870, 1018},
    {"bulk/woman_search.jpeg", 1024, 1536},
    {"bulk/yifei.jpg", 1080, 1439},
    {"crop/crop.png", 159, 174},
    {"crop/crop_mask.png", 594, 606},
    {"crop/no_face.png", 140, 141},
    {"emotion/anger.png", 515, 454},
    {"emotion/happy.png", 427, 524},
    {"emotion/sad.png", 565, 556},
    {"pose/left_face.jpeg", 640, 821},
    {"pose/left_wryneck.png", 393, 437},
    {"pose/lower_face.jpeg", 640, 633},
    {"pose/right_face.png", 641, 418},
    {"pose/right_wryneck.png", 415, 472},
    {"pose/rise_face.jpeg", 1023, 682},
    {"reaction/close_eyes.jpeg", 700, 934},
    {"reaction/close_open_eyes.jpeg", 893, 1280},
    {"reaction/open_eyes.png", 430, 481},
    {"rotate/rot_0.jpg", 325, 402},
    {"rotate/rot_90.jpg", 402, 325},
    {"rotate/rot_180.jpg", 325, 402},
    {"rotate/rot_270.jpg", 402, 325},
    {"search/Mary_Katherine_Smart_0001_5k.jpg", 250, 250},
    {"search/Teresa_Williams_0001_1k.jpg", 250, 250},
};

static const char *const RAW_FILES[] = {
    "bulk/Nathalie_Baye_0002_w250_h250_c3.nv21", "bulk/r0_w330_h409_c3.nv21",
    "bulk/r90_w409_h330_c3.nv21", "bulk/r180_w330_h409_c3.nv21", "bulk/r270_w409_h330_c3.nv21",
};

static void decode_every_test_image(void **state)
{
    char path[512];

    (void)state;
    for (size_t i = 0; i < sizeof(FILES) / sizeof(FILES[0]); i++) {
        hf_image image;
        hf_status status;

        image_fixture_path(FILES[i].name, path, sizeof(path));
        status = hf_image_decode_file(path, 3, &image);
        if (status != HF_OK)
            printf("%s: %s\n", FILES[i].name, hf_status_name(status));
        assert_int_equal(status, HF_OK);
        if (image.width != FILES[i].width || image.height != FILES[i].height)
            printf("%s: got %dx%d, expected %dx%d\n", FILES[i].name, image.width, image.height,
                   FILES[i].width, FILES[i].height);
        assert_int_equal(image.width, FILES[i].width);
        assert_int_equal(image.height, FILES[i].height);
        assert_int_equal(image.channels, 3);
        hf_image_release(&image);
    }
}

static void decode_raw_unsupported(void **state)
{
    char path[512];

    (void)state;
    for (size_t i = 0; i < sizeof(RAW_FILES) / sizeof(RAW_FILES[0]); i++) {
        hf_image image = {0};

        image_fixture_path(RAW_FILES[i], path, sizeof(path));
        assert_int_equal(hf_image_decode_file(path, 3, &image), HF_ERR_UNSUPPORTED);
        assert_null(image.data);
    }
}

/* image_T1.jpeg is stored 640x480 with Orientation 6 (turn clockwise), so
 * stored pixel (x, y) lands at upright (h-1-y, x). */
static void decode_exif_turns_upright(void **state)
{
    char path[512];
    uint8_t *bytes;
    size_t size;
    hf_image upright;
    hf_image stored;
    const uint8_t *a, *b;

    (void)state;
    image_fixture_path("bulk/image_T1.jpeg", path, sizeof(path));
    bytes = image_fixture_read(path, &size);
    assert_non_null(bytes);
    assert_int_equal(hf_image_decode(bytes, size, 3, &upright), HF_OK);
    assert_int_equal(upright.width, 480);
    assert_int_equal(upright.height, 640);

    /* Overwrite the tag's value with 1 to read the stored pixels. */
    for (size_t i = 0; i + 12 < size && i < 4096; i++) {
        if ((bytes[i] == 0x01 && bytes[i + 1] == 0x12 && bytes[i + 2] == 0 && bytes[i + 3] == 3)
            || (bytes[i] == 0x12 && bytes[i + 1] == 0x01 && bytes[i + 2] == 3
                && bytes[i + 3] == 0)) {
            int big_endian = bytes[i] == 0x01;

            bytes[i + 8 + (big_endian ? 1 : 0)] = 1;
            bytes[i + 8 + (big_endian ? 0 : 1)] = 0;
            break;
        }
    }
    assert_int_equal(hf_image_decode(bytes, size, 3, &stored), HF_OK);
    assert_int_equal(stored.width, 640);
    assert_int_equal(stored.height, 480);
    a = stored.data + (size_t)10 * stored.stride + 20 * 3;            /* (20, 10) */
    b = upright.data + (size_t)20 * upright.stride + (480 - 1 - 10) * 3; /* (469, 20) */
    assert_memory_equal(a, b, 3);
    hf_image_release(&stored);
    hf_image_release(&upright);
    free(bytes);
}

static void decode_truncated_jpeg(void **state)
{
    char path[512];
    size_t size;
    uint8_t *bytes;
    uint8_t *cut;
    hf_image image = {0};

    (void)state;
    image_fixture_path("bulk/r0.jpg", path, sizeof(path));
    bytes = image_fixture_read(path, &size);
    assert_non_null(bytes);
    cut = malloc(100);
    memcpy(cut, bytes, 100);
    assert_int_equal(hf_image_decode(cut, 100, 3, &image), HF_ERR_FORMAT);
    assert_null(image.data);
    /* Cut in the middle of the entropy-coded data. */
    assert_int_equal(hf_image_decode(bytes, size / 2, 3, &image), HF_ERR_FORMAT);
    free(cut);
    free(bytes);
}

static void decode_truncated_png_webp(void **state)
{
    const char *names[] = {"crop/no_face.png", "RD/d2.jpeg"};
    char path[512];

    (void)state;
    for (int i = 0; i < 2; i++) {
        size_t size;
        uint8_t *bytes;
        uint8_t *cut;
        hf_image image = {0};

        image_fixture_path(names[i], path, sizeof(path));
        bytes = image_fixture_read(path, &size);
        assert_non_null(bytes);
        cut = malloc(size / 2);
        memcpy(cut, bytes, size / 2);
        assert_int_equal(hf_image_decode(cut, size / 2, 3, &image), HF_ERR_FORMAT);
        assert_null(image.data);
        free(cut);
        free(bytes);
    }
}

static void decode_empty_and_garbage(void **state)
{
    char path[512];
    FILE *file;
    hf_image image = {0};
    const uint8_t garbage[16] = "not an image....";
    const uint8_t jpeg_magic[3] = {0xff, 0xd8, 0xff};

    (void)state;
    snprintf(path, sizeof(path), "%s/image_empty.jpg", HF_BINARY_DIR);
    file = fopen(path, "wb");
    assert_non_null(file);
    fclose(file);
    assert_int_equal(hf_image_decode_file(path, 3, &image), HF_ERR_FORMAT);
    remove(path);
    assert_int_equal(hf_image_decode_file("/nonexistent/x.png", 3, &image), HF_ERR_IO);
    assert_int_equal(hf_image_decode(garbage, sizeof(garbage), 3, &image), HF_ERR_UNSUPPORTED);
    assert_int_equal(hf_image_decode(jpeg_magic, 3, 3, &image), HF_ERR_FORMAT);
    assert_int_equal(hf_image_decode(garbage, sizeof(garbage), 2, &image), HF_ERR_INVALID_ARG);
    assert_null(image.data);
}

static void sniff_ignores_names(void **state)
{
    char path[512];
    size_t size;
    uint8_t *bytes;

    (void)state;
    image_fixture_path("bulk/kun.jpg", path, sizeof(path));
    bytes = image_fixture_read(path, &size);
    assert_int_equal(hf_image_codec_sniff(bytes, size), HF_IMAGE_CODEC_PNG);
    free(bytes);
    image_fixture_path("RD/d1.jpeg", path, sizeof(path));
    bytes = image_fixture_read(path, &size);
    assert_int_equal(hf_image_codec_sniff(bytes, size), HF_IMAGE_CODEC_WEBP);
    free(bytes);
}

/* A one-channel request applies 0.299 R + 0.587 G + 0.114 B to the
 * decoded pixels (kun.jpg is an RGBA PNG). */
static void decode_grey_request(void **state)
{
    char path[512];
    hf_image bgr;
    hf_image grey;
    const uint8_t *pixel;
    int expected;

    (void)state;
    image_fixture_path("bulk/kun.jpg", path, sizeof(path));
    assert_int_equal(hf_image_decode_file(path, 3, &bgr), HF_OK);
    assert_int_equal(hf_image_decode_file(path, 1, &grey), HF_OK);
    assert_int_equal(grey.channels, 1);
    assert_int_equal(grey.width, bgr.width);
    pixel = bgr.data + (size_t)100 * bgr.stride + 150 * 3;
    expected = (pixel[2] * 299 + pixel[1] * 587 + pixel[0] * 114 + 500) / 1000;
    assert_int_equal(grey.data[(size_t)100 * grey.stride + 150], expected);
    hf_image_release(&bgr);
    hf_image_release(&grey);
}

/* Writes a 2x1 PNG with libpng directly: 16-bit RGB or 8-bit grey+alpha. */
static void write_test_png(const char *path, int color_type, int depth, const uint8_t *row)
{
    FILE *file = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);

    assert_non_null(file);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng failed writing %s", path);
    png_init_io(png, file);
    png_set_IHDR(png, info, 2, 1, depth, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_row(png, row);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(file);
}

static void decode_png_16bit_and_grey(void **state)
{
    /* 16-bit RGB, big endian: (0x1234, 0xff00, 0x0000), (0xffff, 0x8080, 0x0101).
     * Scaling to 8 bits rounds v * 255 / 65535: 0x12, 0xfe, 0, 0xff, 0x80, 1. */
    const uint8_t rgb16[12] = {0x12, 0x34, 0xff, 0x00, 0x00, 0x00,
                               0xff, 0xff, 0x80, 0x80, 0x01, 0x01};
    const uint8_t grey_alpha[4] = {30, 0, 200, 255};
    char path[512];
    hf_image image;

    (void)state;
    snprintf(path, sizeof(path), "%s/image_rgb16.png", HF_BINARY_DIR);
    write_test_png(path, PNG_COLOR_TYPE_RGB, 16, rgb16);
    assert_int_equal(hf_image_decode_file(path, 3, &image), HF_OK);
    assert_int_equal(image.width, 2);
    assert_int_equal(image.data[0], 0x00); /* B */
    assert_int_equal(image.data[1], 0xfe); /* G: 0xff00 * 255 / 65535 = 254.0 */
    assert_int_equal(image.data[2], 0x12); /* R: 0x1234 -> 18.1 */
    assert_int_equal(image.data[3], 0x01);
    assert_int_equal(image.data[4], 0x80);
    assert_int_equal(image.data[5], 0xff);
    hf_image_release(&image);
    remove(path);

    snprintf(path, sizeof(path), "%s/image_grey_alpha.png", HF_BINARY_DIR);
    write_test_png(path, PNG_COLOR_TYPE_GRAY_ALPHA, 8, grey_alpha);
    assert_int_equal(hf_image_decode_file(path, 3, &image), HF_OK);
    assert_int_equal(image.data[0], 30);
    assert_int_equal(image.data[1], 30);
    assert_int_equal(image.data[2], 30); /* alpha 0 is dropped, not composited */
    assert_int_equal(image.data[3], 200);
    hf_image_release(&image);
    remove(path);
}

static void write_read_round_trip(void **state)
{
    const char *extensions[] = {"png", "bmp", "jpg"};
    char path[512];
    hf_image source;

    (void)state;
    assert_int_equal(hf_image_create(33, 17, 3, &source), HF_OK);
    /* A smooth gradient, different in each channel, which JPEG keeps well. */
    for (int i = 0; i < 33 * 17 * 3; i++)
        source.data[i] = (uint8_t)((i / 3) % 33 * 4 + (i / 99) * 5 + (i % 3) * 40);
    for (int i = 0; i < 3; i++) {
        hf_image loaded;

        snprintf(path, sizeof(path), "%s/image_round_trip.%s", HF_BINARY_DIR, extensions[i]);
        assert_int_equal(hf_image_write_file(&source, path), HF_OK);
        assert_int_equal(hf_image_decode_file(path, 3, &loaded), HF_OK);
        assert_int_equal(loaded.width, 33);
        assert_int_equal(loaded.height, 17);
        /* PNG and BMP are lossless. JPEG at quality 95 with 4:2:0 chroma loses
         * a few levels on this small gradient (2.7 measured). */
        for (int c = 0; c < 3; c++) {
            double difference = image_fixture_mad(&source, &loaded, c);
            double limit = i < 2 ? 0.001 : 4.0;

            if (!(difference >= 0.0 && difference < limit))
                fail_msg("%s channel %d: mean difference %.3f, limit %.3f", extensions[i], c,
                         difference, limit);
        }
        hf_image_release(&loaded);
        remove(path);
    }
    assert_int_equal(hf_image_write_file(&source, "/nonexistent/dir/x.png"), HF_ERR_IO);
    assert_int_equal(hf_image_write_file(&source, "out.gif"), HF_ERR_UNSUPPORTED);
    hf_image_release(&source);
}

/* Flips bytes of real JPEG, PNG, WebP and BMP files (a fixed pseudo-random
 * sequence, so failures repeat) and decodes each variant: any status is
 * acceptable, but the ASan build must see no invalid access or leak. */
static void decode_mutated_files(void **state)
{
    const char *names[] = {"bulk/r0.jpg", "crop/no_face.png", "RD/d2.jpeg"};
    char paths[4][512];
    uint32_t seed = 12345;
    hf_image crop;

    (void)state;
    for (int i = 0; i < 3; i++)
        image_fixture_path(names[i], paths[i], sizeof(paths[i]));
    /* The BMP is written from the PNG, since the test data has none. */
    snprintf(paths[3], sizeof(paths[3]), "%s/image_mutated.bmp", HF_BINARY_DIR);
    assert_int_equal(hf_image_decode_file(paths[1], 3, &crop), HF_OK);
    assert_int_equal(hf_image_write_file(&crop, paths[3]), HF_OK);
    hf_image_release(&crop);

    for (int i = 0; i < 4; i++) {
        size_t size;
        uint8_t *original = image_fixture_read(paths[i], &size);
        uint8_t *mutated;
        int decoded = 0;

        assert_non_null(original);
        mutated = malloc(size);
        for (int round = 0; round < 150; round++) {
            hf_image image;

            memcpy(mutated, original, size);
            for (int flips = 0; flips < 1 + round % 8; flips++) {
                seed = seed * 1664525u + 1013904223u;
                /* Even rounds flip only the first 2 KiB, where the headers are. */
                size_t at = (seed >> 8) % (round % 2 ? size : (size < 2048 ? size : 2048));

                mutated[at] ^= (uint8_t)(1u + (seed & 0xfe));
            }
            if (hf_image_decode(mutated, size, 3, &image) == HF_OK) {
                decoded++;
                hf_image_release(&image);
            }
        }
        printf("%s: %d of 150 mutated copies still decoded\n", paths[i], decoded);
        free(mutated);
        free(original);
    }
    remove(paths[3]);
}

/* A grey image written as 8-bit paletted BMP reads back exactly; a
 * hand-built top-down 24-bit BMP reads in the right row order; a cut or
 * compressed BMP is rejected. */
static void bmp_grey_top_down_and_bad(void **state)
{
    uint8_t file[54 + 8] = {'B', 'M'};
    uint8_t grey_pixels[15];
    char path[512];
    hf_image grey, loaded;

    (void)state;
    for (int i = 0; i < 15; i++)
        grey_pixels[i] = (uint8_t)(i * 17);
    assert_int_equal(hf_image_view(grey_pixels, 5, 3, 1, 5, &grey), HF_OK);
    snprintf(path, sizeof(path), "%s/image_grey.bmp", HF_BINARY_DIR);
    assert_int_equal(hf_image_write_file(&grey, path), HF_OK);
    assert_int_equal(hf_image_decode_file(path, 1, &loaded), HF_OK);
    assert_int_equal(loaded.width, 5);
    assert_int_equal(loaded.height, 3);
    assert_memory_equal(loaded.data, grey_pixels, 15);
    hf_image_release(&loaded);
    remove(path);

    /* 1x2 top-down (height -2), rows padded to 4 bytes: blue, then red. */
    file[10] = 54;
    file[14] = 40;
    file[18] = 1;
    file[22] = 0xfe;
    file[23] = file[24] = file[25] = 0xff;
    file[26] = 1;
    file[28] = 24;
    file[54] = 255;
    file[58 + 2] = 255;
    assert_int_equal(hf_image_decode(file, sizeof(file), 3, &loaded), HF_OK);
    assert_int_equal(loaded.height, 2);
    assert_int_equal(loaded.data[0], 255);
    assert_int_equal(loaded.data[2], 0);
    assert_int_equal(loaded.data[3 + 2], 255);
    hf_image_release(&loaded);
    assert_int_equal(hf_image_decode(file, sizeof(file) - 1, 3, &loaded), HF_ERR_FORMAT);
    assert_int_equal(hf_image_decode(file, 30, 3, &loaded), HF_ERR_FORMAT);
    file[30] = 1; /* RLE8 compression */
    assert_int_equal(hf_image_decode(file, sizeof(file), 3, &loaded), HF_ERR_UNSUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_every_test_image),
        cmocka_unit_test(decode_raw_unsupported),
        cmocka_unit_test(decode_exif_turns_upright),
        cmocka_unit_test(decode_truncated_jpeg),
        cmocka_unit_test(decode_truncated_png_webp),
        cmocka_unit_test(decode_empty_and_garbage),
        cmocka_unit_test(sniff_ignores_names),
        cmocka_unit_test(decode_grey_request),
        cmocka_unit_test(decode_png_16bit_and_grey),
        cmocka_unit_test(write_read_round_trip),
        cmocka_unit_test(decode_mutated_files),
        cmocka_unit_test(bmp_grey_top_down_and_bad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
