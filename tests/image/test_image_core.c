/* Pixel formats, rotation, coordinate mapping, resize, warp, grey
 * conversion, EXIF parsing and bad input, against hand-computed values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "image/image.h"
#include "image_fixture.h"

#define BLUE 0
#define GREEN 1
#define RED 2
#define WHITE 3

static const uint8_t CORNER_BGR[4][3] = {
    {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

/* Full-range BT.601 luma with analog chroma, as OpenCV's BGR2YUV computes
 * it, in floating point and independent of the decoder: Y = 0.299 R +
 * 0.587 G + 0.114 B, U = 0.492 (B - Y) + 128, V = 0.877 (R - Y) + 128,
 * clamped to 0..255. Saturated colours clip, so they come back only
 * approximately. */
static int clamp_byte(double value)
{
    long rounded = lround(value);

    return rounded < 0 ? 0 : (rounded > 255 ? 255 : (int)rounded);
}

static void bgr_to_yuv(const uint8_t *bgr, int *y, int *u, int *v)
{
    double b = bgr[0], g = bgr[1], r = bgr[2];
    double luma = 0.299 * r + 0.587 * g + 0.114 * b;

    *y = clamp_byte(luma);
    *u = clamp_byte(0.492 * (b - luma) + 128);
    *v = clamp_byte(0.877 * (r - luma) + 128);
}

/* Writes pixel i of an interleaved buffer of `format` from BGR `p`; the
 * alpha byte is an arbitrary 7, which the decoder must ignore. */
static void put_interleaved(uint8_t *out, size_t i, const uint8_t *p, int format)
{
    switch (format) {
    case HF_PIXEL_RGB:
        out[3 * i] = p[2];
        out[3 * i + 1] = p[1];
        out[3 * i + 2] = p[0];
        break;
    case HF_PIXEL_BGR:
        memcpy(out + 3 * i, p, 3);
        break;
    case HF_PIXEL_RGBA:
        out[4 * i] = p[2];
        out[4 * i + 1] = p[1];
        out[4 * i + 2] = p[0];
        out[4 * i + 3] = 7;
        break;
    case HF_PIXEL_BGRA:
        memcpy(out + 4 * i, p, 3);
        out[4 * i + 3] = 7;
        break;
    default:
        out[i] = p[1]; /* GRAY: the green channel, so colours stay distinct */
        break;
    }
}

/* Writes luma of pixel (x, y) and, for the top-left pixel of each 2x2
 * block, the block's chroma in the layout of `format`. */
static void put_yuv(uint8_t *out, int w, int h, int x, int y, const uint8_t *p, int format)
{
    size_t base = (size_t)w * h;
    size_t nv = base + (size_t)(y / 2) * w + (size_t)x;
    size_t plane = (size_t)(w / 2) * (h / 2);
    size_t planar = (size_t)(y / 2) * (w / 2) + (size_t)(x / 2);
    int luma, u, v;

    bgr_to_yuv(p, &luma, &u, &v);
    out[(size_t)y * w + x] = (uint8_t)luma;
    if (x % 2 != 0 || y % 2 != 0)
        return;
    if (format == HF_PIXEL_NV12) {
        out[nv] = (uint8_t)u;
        out[nv + 1] = (uint8_t)v;
    } else if (format == HF_PIXEL_NV21) {
        out[nv] = (uint8_t)v;
        out[nv + 1] = (uint8_t)u;
    } else {
        out[base + planar] = (uint8_t)u;
        out[base + plane + planar] = (uint8_t)v;
    }
}

/* Builds a buffer of `format` from a BGR image. Returns malloc'd memory of
 * exactly the format's byte count. */
static uint8_t *encode_format(const hf_image *bgr, int format)
{
    int w = bgr->width, h = bgr->height;
    int yuv = format >= HF_PIXEL_NV12 && format <= HF_PIXEL_I420;
    size_t bytes;
    uint8_t *out;

    assert_int_equal(hf_pixel_format_size(format, w, h, &bytes), HF_OK);
    out = malloc(bytes);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const uint8_t *p = bgr->data + (size_t)y * bgr->stride + (size_t)x * 3;

            if (yuv)
                put_yuv(out, w, h, x, y, p, format);
            else
                put_interleaved(out, (size_t)y * w + x, p, format);
        }
    }
    return out;
}

static void check_pixel(const hf_image *image, int x, int y, const uint8_t *expected,
                        int tolerance, const char *label)
{
    const uint8_t *p = image->data + (size_t)y * image->stride + (size_t)x * 3;

    for (int c = 0; c < 3; c++) {
        if (abs(p[c] - expected[c]) > tolerance) {
            fail_msg("%s: pixel (%d, %d) channel %d is %d, expected %d (tolerance %d)", label, x,
                     y, c, p[c], expected[c], tolerance);
        }
    }
}

/* Upright corners (top-left, top-right, bottom-left, bottom-right) after
 * each rotation, worked out from the rotation table: rotation 1 turns the
 * buffer counter-clockwise, so its top-right corner becomes the top-left. */
static const int UPRIGHT_CORNERS[4][4] = {
    {BLUE, GREEN, RED, WHITE},
    {GREEN, WHITE, BLUE, RED},
    {WHITE, RED, GREEN, BLUE},
    {RED, BLUE, WHITE, GREEN},
};

static void stream_corners_every_format(void **state)
{
    hf_image source;

    (void)state;
    assert_int_equal(hf_image_create(8, 6, 3, &source), HF_OK);
    image_fixture_corners(&source);
    for (int format = 0; format < HF_PIXEL_FORMAT_COUNT; format++) {
        uint8_t *buffer = encode_format(&source, format);
        int yuv = format >= HF_PIXEL_NV12 && format <= HF_PIXEL_I420;

        for (int rotation = 0; rotation < 4; rotation++) {
            hf_image_stream stream;
            hf_image upright;
            char label[64];
            int w, h;

            assert_int_equal(hf_image_stream_init(&stream, buffer, 8, 6, format, rotation), HF_OK);
            assert_int_equal(hf_image_stream_upright(&stream, &upright), HF_OK);
            hf_image_stream_upright_size(&stream, &w, &h);
            assert_int_equal(upright.width, w);
            assert_int_equal(upright.height, h);
            assert_int_equal(w, rotation % 2 ? 6 : 8);
            snprintf(label, sizeof(label), "%s rotation %d", hf_pixel_format_name(format),
                     rotation);
            int xs[4] = {0, w - 1, 0, w - 1};
            int ys[4] = {0, 0, h - 1, h - 1};

            for (int corner = 0; corner < 4; corner++) {
                uint8_t expected[3];

                memcpy(expected, CORNER_BGR[UPRIGHT_CORNERS[rotation][corner]], 3);
                if (format == HF_PIXEL_GRAY)
                    expected[0] = expected[2] = expected[1];
                check_pixel(&upright, xs[corner], ys[corner], expected, yuv ? 64 : 0, label);
            }
            hf_image_release(&upright);
        }
        free(buffer);
    }
    hf_image_release(&source);
}

static void yuv_formula_values(void **state)
{
    /* Luma is full range and U = V = 128 is grey. (Y, U, V) = (100, 90,
     * 170), so u = -38 and v = 42: R = 100 + 1.1403 * 42 = 147.9,
     * G = 100 + 0.3947 * 38 - 0.5808 * 42 = 90.6, B = 100 - 2.0325 * 38
     * = 22.8. */
    const uint8_t grey[6] = {0, 255, 126, 126, 128, 128};
    const uint8_t colour[6] = {0, 0, 100, 100, 90, 170};
    hf_image out;

    (void)state;
    assert_int_equal(hf_image_create(2, 2, 3, &out), HF_OK);
    assert_int_equal(hf_image_convert_to_bgr(grey, HF_PIXEL_I420, 2, 2, &out), HF_OK);
    assert_int_equal(out.data[0], 0);
    assert_int_equal(out.data[3], 255);
    assert_int_equal(out.data[6], 126);
    assert_int_equal(hf_image_convert_to_bgr(colour, HF_PIXEL_I420, 2, 2, &out), HF_OK);
    assert_int_equal(out.data[6 + 2], 148);
    assert_int_equal(out.data[6 + 1], 91);
    assert_int_equal(out.data[6 + 0], 23);
    hf_image_release(&out);
}

static void format_sizes_exact(void **state)
{
    size_t bytes;

    (void)state;
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_NV21, 330, 409, &bytes), HF_OK);
    assert_int_equal(bytes, 202290);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_NV21, 409, 330, &bytes), HF_OK);
    assert_int_equal(bytes, 202455);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_NV12, 250, 250, &bytes), HF_OK);
    assert_int_equal(bytes, 93750);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_I420, 5, 3, &bytes), HF_OK);
    assert_int_equal(bytes, 15 + 2 * 2 * 1);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_RGBA, 3, 2, &bytes), HF_OK);
    assert_int_equal(bytes, 24);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_GRAY, 3, 2, &bytes), HF_OK);
    assert_int_equal(bytes, 6);
    assert_int_equal(hf_pixel_format_size(8, 3, 2, &bytes), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_pixel_format_size(-1, 3, 2, &bytes), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_pixel_format_size(99, 3, 2, &bytes), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_pixel_format_size(HF_PIXEL_BGR, 70000, 2, &bytes), HF_ERR_RANGE);
}

/* Odd, tiny and one-pixel-wide YUV buffers, allocated to their exact byte
 * count so ASan reports any read past the end. */
static void yuv_odd_sizes_in_bounds(void **state)
{
    const int sizes[][2] = {{1, 1}, {1, 4000}, {4000, 1}, {3, 3}, {5, 2}, {2, 5}, {409, 330}};

    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (int format = HF_PIXEL_NV12; format <= HF_PIXEL_I420; format++) {
            int w = sizes[i][0], h = sizes[i][1];
            size_t bytes;
            uint8_t *buffer;
            hf_image_stream stream;
            hf_image upright;

            assert_int_equal(hf_pixel_format_size(format, w, h, &bytes), HF_OK);
            buffer = malloc(bytes);
            memset(buffer, 128, bytes);
            assert_int_equal(hf_image_stream_init(&stream, buffer, w, h, format, 1), HF_OK);
            assert_int_equal(hf_image_stream_upright(&stream, &upright), HF_OK);
            assert_int_equal(upright.width, h);
            assert_int_equal(upright.height, w);
            assert_int_equal(upright.data[0], 128);
            hf_image_release(&upright);
            free(buffer);
        }
    }
}

static void mapping_points_round_trip(void **state)
{
    uint8_t byte = 0;

    (void)state;
    for (int rotation = 0; rotation < 4; rotation++) {
        hf_image_stream stream;

        assert_int_equal(hf_image_stream_init(&stream, &byte, 7, 5, HF_PIXEL_GRAY, rotation),
                         HF_OK);
        for (float y = 0; y < 5; y += 0.5f) {
            for (float x = 0; x < 7; x += 0.5f) {
                float u, v, bx, by;

                hf_image_stream_to_upright(&stream, x, y, &u, &v);
                hf_image_stream_to_buffer(&stream, u, v, &bx, &by);
                assert_float_equal(bx, x, 1e-6);
                assert_float_equal(by, y, 1e-6);
            }
        }
    }
}

static void mapping_matches_table(void **state)
{
    /* Buffer 7 x 5: upright (u, v) = (1, 2) reads (w-1-v, u) = (4, 1) for
     * rotation 1, (w-1-u, h-1-v) = (5, 2) for 2, (v, h-1-u) = (2, 3) for 3. */
    const float expected[4][2] = {{1, 2}, {4, 1}, {5, 2}, {2, 3}};
    uint8_t byte = 0;

    (void)state;
    for (int rotation = 0; rotation < 4; rotation++) {
        hf_image_stream stream;
        float x, y;

        assert_int_equal(hf_image_stream_init(&stream, &byte, 7, 5, HF_PIXEL_GRAY, rotation),
                         HF_OK);
        hf_image_stream_to_buffer(&stream, 1, 2, &x, &y);
        assert_float_equal(x, expected[rotation][0], 1e-6);
        assert_float_equal(y, expected[rotation][1], 1e-6);
    }
}

static void mapping_rects_round_trip(void **state)
{
    uint8_t byte = 0;
    hf_image_rect rect = {1, 2, 3, 2};

    (void)state;
    for (int rotation = 0; rotation < 4; rotation++) {
        hf_image_stream stream;
        hf_image_rect buffer, back;

        assert_int_equal(hf_image_stream_init(&stream, &byte, 7, 5, HF_PIXEL_GRAY, rotation),
                         HF_OK);
        buffer = hf_image_stream_rect_to_buffer(&stream, rect);
        back = hf_image_stream_rect_to_upright(&stream, buffer);
        assert_float_equal(back.x, rect.x, 1e-6);
        assert_float_equal(back.y, rect.y, 1e-6);
        assert_float_equal(back.width, rect.width, 1e-6);
        assert_float_equal(back.height, rect.height, 1e-6);
        if (rotation % 2 == 1) {
            assert_float_equal(buffer.width, rect.height, 1e-6);
            assert_float_equal(buffer.height, rect.width, 1e-6);
        }
    }
    {
        /* Rotation 1, buffer 7 x 5, upright 5 x 7: pixels u 1..3, v 2..3
         * read buffer x = 6-v = 3..4, y = u = 1..3. */
        hf_image_stream stream;
        hf_image_rect buffer;

        assert_int_equal(hf_image_stream_init(&stream, &byte, 7, 5, HF_PIXEL_GRAY, 1), HF_OK);
        buffer = hf_image_stream_rect_to_buffer(&stream, rect);
        assert_float_equal(buffer.x, 3, 1e-6);
        assert_float_equal(buffer.y, 1, 1e-6);
        assert_float_equal(buffer.width, 2, 1e-6);
        assert_float_equal(buffer.height, 3, 1e-6);
    }
}

static void resize_hand_values(void **state)
{
    /* 4 -> 2: source x = 0.5 and 2.5, so each output averages a pair:
     * (0 + 100) / 2 = 50 and (200 + 255) / 2 = 227.5, rounded up. */
    uint8_t row[4] = {0, 100, 200, 255};
    /* 2 -> 4: x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1). */
    uint8_t pair[2] = {0, 200};
    uint8_t out[4];
    hf_image src, dst;

    (void)state;
    assert_int_equal(hf_image_view(row, 4, 1, 1, 4, &src), HF_OK);
    assert_int_equal(hf_image_view(out, 2, 1, 1, 2, &dst), HF_OK);
    assert_int_equal(hf_image_resize(&src, &dst), HF_OK);
    assert_int_equal(out[0], 50);
    assert_int_equal(out[1], 228);

    assert_int_equal(hf_image_view(pair, 2, 1, 1, 2, &src), HF_OK);
    assert_int_equal(hf_image_view(out, 4, 1, 1, 4, &dst), HF_OK);
    assert_int_equal(hf_image_resize(&src, &dst), HF_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 50);
    assert_int_equal(out[2], 150);
    assert_int_equal(out[3], 200);
}

static void resize_two_axes(void **state)
{
    /* 2x2 -> 1x1 samples (0.5, 0.5): the mean of 10, 20, 30, 41 = 25.25. */
    uint8_t square[4] = {10, 20, 30, 41};
    /* 2x2 -> 4x4 at (0.25, 0.25) from the top-left: weights 0.5625,
     * 0.1875, 0.1875, 0.0625 give 5.625 + 3.75 + 5.625 + 2.5625 = 17.56. */
    uint8_t out[16];
    hf_image src, dst;

    (void)state;
    assert_int_equal(hf_image_view(square, 2, 2, 1, 2, &src), HF_OK);
    assert_int_equal(hf_image_view(out, 1, 1, 1, 1, &dst), HF_OK);
    assert_int_equal(hf_image_resize(&src, &dst), HF_OK);
    assert_int_equal(out[0], 25);
    assert_int_equal(hf_image_view(out, 4, 4, 1, 4, &dst), HF_OK);
    assert_int_equal(hf_image_resize(&src, &dst), HF_OK);
    assert_int_equal(out[0], 10);
    assert_int_equal(out[5], 18);
    assert_int_equal(out[15], 41);
}

static void resize_region_reads_inside(void **state)
{
    /* The 2x1 region at (1, 1) of a 4x3 image whose other pixels are 99:
     * any read outside would pull the output toward 99. */
    uint8_t pixels[12] = {99, 99, 99, 99, 99, 10, 30, 99, 99, 99, 99, 99};
    uint8_t out[3];
    hf_image image, region, dst;

    (void)state;
    assert_int_equal(hf_image_view(pixels, 4, 3, 1, 4, &image), HF_OK);
    assert_int_equal(hf_image_region(&image, 1, 1, 2, 1, &region), HF_OK);
    assert_int_equal(hf_image_view(out, 3, 1, 1, 3, &dst), HF_OK);
    assert_int_equal(hf_image_resize(&region, &dst), HF_OK);
    /* x = -1/6 -> 0, 0.5, 7/6 -> 1 */
    assert_int_equal(out[0], 10);
    assert_int_equal(out[1], 20);
    assert_int_equal(out[2], 30);
    assert_int_equal(hf_image_region(&image, 3, 1, 2, 1, &region), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_region(&image, 0, 0, 0, 1, &region), HF_ERR_INVALID_ARG);
}

static void warp_hand_values(void **state)
{
    /* 3x1 source 0, 100, 200. A shift by half a pixel, dst (x, 0) reads
     * (x + 0.5, 0): 50, 150, then 200 * 0.5 + 0 (border) * 0.5 = 100. */
    uint8_t row[3] = {0, 100, 200};
    uint8_t out[3];
    const float shift[6] = {1, 0, 0.5f, 0, 1, 0};
    /* Mirror: dst x reads 2 - x. */
    const float mirror[6] = {-1, 0, 2, 0, 1, 0};
    hf_image src, dst;

    (void)state;
    assert_int_equal(hf_image_view(row, 3, 1, 1, 3, &src), HF_OK);
    assert_int_equal(hf_image_view(out, 3, 1, 1, 3, &dst), HF_OK);
    assert_int_equal(hf_image_warp_affine(&src, shift, &dst), HF_OK);
    assert_int_equal(out[0], 50);
    assert_int_equal(out[1], 150);
    assert_int_equal(out[2], 100);
    assert_int_equal(hf_image_warp_affine(&src, mirror, &dst), HF_OK);
    assert_int_equal(out[0], 200);
    assert_int_equal(out[1], 100);
    assert_int_equal(out[2], 0);
}

static void warp_invert_matrix(void **state)
{
    /* Scale by 2 and shift by (3, -1): the inverse scales by 0.5 and
     * shifts by (-1.5, 0.5). */
    const float forward[6] = {2, 0, 3, 0, 2, -1};
    const float singular[6] = {1, 2, 0, 2, 4, 0};
    float inverse[6];

    (void)state;
    assert_int_equal(hf_image_affine_invert(forward, inverse), HF_OK);
    assert_float_equal(inverse[0], 0.5, 1e-6);
    assert_float_equal(inverse[1], 0.0, 1e-6);
    assert_float_equal(inverse[2], -1.5, 1e-6);
    assert_float_equal(inverse[3], 0.0, 1e-6);
    assert_float_equal(inverse[4], 0.5, 1e-6);
    assert_float_equal(inverse[5], 0.5, 1e-6);
    assert_int_equal(hf_image_affine_invert(singular, inverse), HF_ERR_RANGE);
}

static void grey_formula_rounding(void **state)
{
    /* (B, G, R) = (0, 0, 255): 76.245 -> 76; (0, 255, 0): 149.685 -> 150;
     * (255, 0, 0): 29.07 -> 29; (10, 20, 30): 8.97 + 11.74 + 1.14 = 21.85 -> 22. */
    uint8_t bgr[12] = {0, 0, 255, 0, 255, 0, 255, 0, 0, 10, 20, 30};
    uint8_t grey[4];
    hf_image src, dst;

    (void)state;
    assert_int_equal(hf_image_view(bgr, 4, 1, 3, 12, &src), HF_OK);
    assert_int_equal(hf_image_view(grey, 4, 1, 1, 4, &dst), HF_OK);
    hf_image_bgr_to_grey(&src, &dst);
    assert_int_equal(grey[0], 76);
    assert_int_equal(grey[1], 150);
    assert_int_equal(grey[2], 29);
    assert_int_equal(grey[3], 22);
}

static void orient_all_eight(void **state)
{
    /* 3x2 source with values 1..6; each orientation as laid out by hand. */
    uint8_t pixels[6] = {1, 2, 3, 4, 5, 6};
    const uint8_t expected[9][6] = {
        [1] = {1, 2, 3, 4, 5, 6}, [2] = {3, 2, 1, 6, 5, 4}, [3] = {6, 5, 4, 3, 2, 1},
        [4] = {4, 5, 6, 1, 2, 3}, [5] = {1, 4, 2, 5, 3, 6}, [6] = {4, 1, 5, 2, 6, 3},
        [7] = {6, 3, 5, 2, 4, 1}, [8] = {3, 6, 2, 5, 1, 4},
    };
    hf_image src;

    (void)state;
    assert_int_equal(hf_image_view(pixels, 3, 2, 1, 3, &src), HF_OK);
    for (int orientation = 1; orientation <= 8; orientation++) {
        hf_image out;

        assert_int_equal(hf_image_orient(&src, orientation, &out), HF_OK);
        assert_int_equal(out.width, orientation >= 5 ? 2 : 3);
        if (memcmp(out.data, expected[orientation], 6) != 0) {
            fail_msg("orientation %d: got %d %d %d %d %d %d", orientation, out.data[0],
                     out.data[1], out.data[2], out.data[3], out.data[4], out.data[5]);
        }
        hf_image_release(&out);
    }
}

static void exif_parser_cases(void **state)
{
    /* Little endian, one IFD0 entry: Orientation SHORT count 1 value 6. */
    uint8_t little[28] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
                          1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0};
    uint8_t big[28] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
                       0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0};

    (void)state;
    assert_int_equal(hf_image_exif_orientation(little, sizeof(little)), 6);
    assert_int_equal(hf_image_exif_orientation(big, sizeof(big)), 8);
    /* Cut inside the entry, at the value, and before the header. */
    assert_int_equal(hf_image_exif_orientation(little, 20), 1);
    assert_int_equal(hf_image_exif_orientation(little, 25), 1);
    assert_int_equal(hf_image_exif_orientation(little, 10), 1);
    assert_int_equal(hf_image_exif_orientation(NULL, 0), 1);
    /* IFD offset pointing far outside, and an out-of-range value. */
    little[10] = 0xff;
    little[11] = 0xff;
    assert_int_equal(hf_image_exif_orientation(little, sizeof(little)), 1);
    little[10] = 8;
    little[11] = 0;
    little[24] = 9;
    assert_int_equal(hf_image_exif_orientation(little, sizeof(little)), 1);
    /* A huge entry count must stop at the end of the payload. */
    little[24] = 6;
    little[14] = 0xff;
    little[15] = 0xff;
    little[16] = 0;
    assert_int_equal(hf_image_exif_orientation(little, sizeof(little)), 1);
}

static void bad_sizes_and_formats(void **state)
{
    uint8_t byte = 0;
    hf_image_stream stream;
    hf_image image = {0};

    (void)state;
    assert_int_equal(hf_image_stream_init(&stream, &byte, 0, 0, HF_PIXEL_BGR, 0),
                     HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, &byte, -4, 3, HF_PIXEL_BGR, 0),
                     HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, &byte, 4, -3, HF_PIXEL_BGR, 0),
                     HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, NULL, 4, 3, HF_PIXEL_BGR, 0),
                     HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, &byte, 4, 3, 99, 0), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, &byte, 4, 3, -1, 0), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_init(&stream, &byte, 1, 1, HF_PIXEL_GRAY, 7), HF_OK);
    assert_int_equal(stream.rotation, 0);
    assert_int_equal(hf_image_create(0, 5, 3, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_create(5, 5, 0, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_create(65536, 1, 3, &image), HF_ERR_RANGE);
    assert_null(image.data);

    stream.data = NULL;
    assert_int_equal(hf_image_stream_upright(&stream, &image), HF_ERR_STATE);
    assert_int_equal(hf_image_stream_init(&stream, &byte, 1, 1, HF_PIXEL_GRAY, 0), HF_OK);
    assert_int_equal(hf_image_stream_render(&stream, 1, 0.0f, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_render(&stream, 1, -1.0f, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_render(&stream, 1, 0.5f, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_render(&stream, 1, NAN, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_render(&stream, 1, INFINITY, &image), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_image_stream_render(&stream, 1, 1e30f, &image), HF_ERR_RANGE);
}

/* 1x1, 1x4000, 4000x1 and a flat grey 640x480 through every rotation and
 * a scaled render; a flat image must stay exactly flat. */
static void extreme_and_flat_images(void **state)
{
    const int sizes[][2] = {{1, 1}, {1, 4000}, {4000, 1}, {640, 480}};

    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        int w = sizes[i][0], h = sizes[i][1];
        size_t bytes = (size_t)w * h * 3;
        uint8_t *buffer = malloc(bytes);

        memset(buffer, 77, bytes);
        for (int rotation = 0; rotation < 4; rotation++) {
            hf_image_stream stream;
            hf_image out;

            assert_int_equal(hf_image_stream_init(&stream, buffer, w, h, HF_PIXEL_BGR, rotation),
                             HF_OK);
            assert_int_equal(hf_image_stream_render(&stream, 1, 1.0f, &out), HF_OK);
            assert_int_equal(out.width, rotation % 2 ? h : w);
            for (size_t k = 0; k < bytes; k++)
                assert_int_equal(out.data[k], 77);
            hf_image_release(&out);
            if (w >= 2 && h >= 2) {
                assert_int_equal(hf_image_stream_render(&stream, 1, 0.5f, &out), HF_OK);
                assert_int_equal(out.width, (rotation % 2 ? h : w) / 2);
                for (size_t k = 0; k < (size_t)out.width * out.height * 3; k++)
                    assert_int_equal(out.data[k], 77);
                hf_image_release(&out);
            }
        }
        free(buffer);
    }
}

/* The one-pass upright conversion equals converting first and turning the
 * result with hf_image_orient (EXIF 8, 3 and 6 are rotations 1, 2 and 3),
 * for every format, on odd and even sizes of pseudo-random pixels. */
static void upright_matches_two_passes(void **state)
{
    static const int ORIENTATION[4] = {1, 8, 3, 6};
    const int sizes[][2] = {{7, 5}, {6, 4}, {1, 3}, {9, 1}};
    uint32_t seed = 99;

    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        int w = sizes[i][0], h = sizes[i][1];

        for (int format = 0; format < HF_PIXEL_FORMAT_COUNT; format++) {
            size_t bytes;
            uint8_t *buffer;
            hf_image plain;

            assert_int_equal(hf_pixel_format_size(format, w, h, &bytes), HF_OK);
            buffer = malloc(bytes);
            for (size_t k = 0; k < bytes; k++) {
                seed = seed * 1664525u + 1013904223u;
                buffer[k] = (uint8_t)(seed >> 24);
            }
            assert_int_equal(hf_image_create(w, h, 3, &plain), HF_OK);
            assert_int_equal(hf_image_convert_to_bgr(buffer, format, w, h, &plain), HF_OK);
            for (int rotation = 1; rotation < 4; rotation++) {
                hf_image turned, fused;
                int swap = rotation % 2;

                assert_int_equal(hf_image_orient(&plain, ORIENTATION[rotation], &turned), HF_OK);
                assert_int_equal(hf_image_create(swap ? h : w, swap ? w : h, 3, &fused), HF_OK);
                assert_int_equal(hf_image_convert_upright(buffer, format, w, h, rotation, &fused),
                                 HF_OK);
                if (memcmp(turned.data, fused.data, (size_t)w * h * 3) != 0)
                    fail_msg("%s %dx%d rotation %d: one-pass result differs",
                             hf_pixel_format_name(format), w, h, rotation);
                hf_image_release(&fused);
                hf_image_release(&turned);
            }
            hf_image_release(&plain);
            free(buffer);
        }
    }
}

/* Every allocation of a rotated, scaled render and of a file decode fails
 * in turn: each must return HF_ERR_NO_MEMORY and leak nothing (the ASan
 * build checks for leaks at exit). */
static void allocation_failures_clean(void **state)
{
    uint8_t buffer[6 * 4 + 6 * 2];
    char path[512];
    hf_image_stream stream;

    (void)state;
    memset(buffer, 100, sizeof(buffer));
    image_fixture_path("crop/no_face.png", path, sizeof(path));
    assert_int_equal(hf_image_stream_init(&stream, buffer, 6, 4, HF_PIXEL_NV21, 1), HF_OK);
    for (long count = 0; count < 8; count++) {
        hf_image out = {0};
        hf_status render, decode;

        hf_alloc_fail_after(count);
        render = hf_image_stream_render(&stream, 1, 0.5f, &out);
        hf_alloc_fail_after(-1);
        if (render == HF_OK)
            hf_image_release(&out);
        else
            assert_int_equal(render, HF_ERR_NO_MEMORY);

        hf_alloc_fail_after(count);
        decode = hf_image_decode_file(path, 1, &out);
        hf_alloc_fail_after(-1);
        if (decode == HF_OK)
            hf_image_release(&out);
        else
            assert_int_equal(decode, HF_ERR_NO_MEMORY);
        if (count == 7) {
            assert_int_equal(render, HF_OK);
            assert_int_equal(decode, HF_OK);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_corners_every_format),
        cmocka_unit_test(yuv_formula_values),
        cmocka_unit_test(format_sizes_exact),
        cmocka_unit_test(yuv_odd_sizes_in_bounds),
        cmocka_unit_test(mapping_points_round_trip),
        cmocka_unit_test(mapping_matches_table),
        cmocka_unit_test(mapping_rects_round_trip),
        cmocka_unit_test(resize_hand_values),
        cmocka_unit_test(resize_two_axes),
        cmocka_unit_test(resize_region_reads_inside),
        cmocka_unit_test(warp_hand_values),
        cmocka_unit_test(warp_invert_matrix),
        cmocka_unit_test(grey_formula_rounding),
        cmocka_unit_test(orient_all_eight),
        cmocka_unit_test(exif_parser_cases),
        cmocka_unit_test(bad_sizes_and_formats),
        cmocka_unit_test(extreme_and_flat_images),
        cmocka_unit_test(allocation_failures_clean),
        cmocka_unit_test(upright_matches_two_passes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
