/* Return codes and results of the public image stream and bitmap calls. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/stream.h"
#include "herror.h"
#include "image_fixture.h"
#include "inspireface.h"

static HInt32 live_streams(void)
{
    HInt32 count = -1;

    assert_int_equal(HFDeBugGetUnreleasedStreamsCount(&count), HSUCCEED);
    return count;
}

static void stream_create_codes(void **state)
{
    uint8_t pixels[4 * 3 * 3] = {0};
    HFImageData data = {pixels, 4, 3, HF_STREAM_BGR, HF_CAMERA_ROTATION_0};
    HFImageStream stream = NULL;
    HInt32 before = live_streams();

    (void)state;
    assert_int_equal(HFCreateImageStream(NULL, &stream), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFCreateImageStream(&data, NULL), HERR_INVALID_IMAGE_STREAM_HANDLE);
    data.format = (HFImageFormat)99;
    assert_int_equal(HFCreateImageStream(&data, &stream), HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_null(stream);
    assert_int_equal(live_streams(), before);
    data.format = HF_STREAM_BGR;
    data.data = NULL;
    assert_int_equal(HFCreateImageStream(&data, &stream), HERR_INVALID_IMAGE_STREAM_PARAM);
    data.data = pixels;
    data.width = 0;
    assert_int_equal(HFCreateImageStream(&data, &stream), HERR_INVALID_IMAGE_STREAM_PARAM);
    data.width = -4;
    assert_int_equal(HFCreateImageStream(&data, &stream), HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_null(stream);
    assert_int_equal(live_streams(), before);

    data.width = 4;
    data.rotation = (HFRotation)9;
    assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
    assert_int_equal(live_streams(), before + 1);
    assert_int_equal(hf_api_stream_get(stream)->rotation, 0);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
    assert_int_equal(HFReleaseImageStream(stream), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFReleaseImageStream(NULL), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_null(hf_api_stream_get(stream));
    assert_int_equal(live_streams(), before);
}

static void stream_setters_codes(void **state)
{
    uint8_t pixels[6 * 4 * 3] = {0};
    HFImageStream stream = NULL;
    hf_image_stream *inner;
    HFImageBitmap bitmap = NULL;

    (void)state;
    assert_int_equal(HFCreateImageStreamEmpty(NULL), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFCreateImageStreamEmpty(&stream), HSUCCEED);
    inner = hf_api_stream_get(stream);
    assert_int_equal(inner->format, HF_STREAM_YUV_NV21);
    assert_null(inner->data);

    /* An empty stream cannot be rendered. */
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &bitmap, 1, 1.0f),
                     HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_int_equal(HFDeBugImageStreamDecodeSave(stream, HF_BINARY_DIR "/image_empty.png"),
                     HERR_IMAGE_STREAM_DECODE_FAILED);

    assert_int_equal(HFImageStreamSetFormat(NULL, HF_STREAM_BGR),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFImageStreamSetFormat(stream, (HFImageFormat)99),
                     HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_int_equal(inner->format, HF_STREAM_YUV_NV21);
    assert_int_equal(HFImageStreamSetFormat(stream, HF_STREAM_BGR), HSUCCEED);
    assert_int_equal(HFImageStreamSetRotation(NULL, HF_CAMERA_ROTATION_90),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFImageStreamSetRotation(stream, HF_CAMERA_ROTATION_270), HSUCCEED);
    assert_int_equal(inner->rotation, 3);
    assert_int_equal(HFImageStreamSetRotation(stream, (HFRotation)-5), HSUCCEED);
    assert_int_equal(inner->rotation, 0);
    assert_int_equal(HFImageStreamSetBuffer(NULL, pixels, 6, 4), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFImageStreamSetBuffer(stream, NULL, 6, 4), HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_int_equal(HFImageStreamSetBuffer(stream, pixels, 0, 4),
                     HERR_INVALID_IMAGE_STREAM_PARAM);
    assert_int_equal(HFImageStreamSetBuffer(stream, pixels, 6, 4), HSUCCEED);
    assert_int_equal(inner->width, 6);
    assert_int_equal(inner->height, 4);
    assert_int_equal(inner->format, HF_STREAM_BGR);

    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &bitmap, 1, 1.0f),
                     HSUCCEED);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
    /* Every setter on a released handle returns the stream-handle code. */
    assert_int_equal(HFImageStreamSetFormat(stream, HF_STREAM_BGR),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFImageStreamSetBuffer(stream, pixels, 6, 4),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
}

static void bitmap_create_codes(void **state)
{
    uint8_t pixels[2 * 2 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    HFImageBitmapData data = {pixels, 2, 2, 3};
    HFImageBitmapData read_back;
    HFImageBitmap bitmap = NULL;
    HFImageBitmap copy = NULL;

    (void)state;
    assert_int_equal(HFCreateImageBitmap(NULL, &bitmap), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFCreateImageBitmap(&data, NULL), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    data.channels = 4;
    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HERR_INVALID_PARAM);
    data.channels = 3;
    data.width = -1;
    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HERR_INVALID_PARAM);
    data.width = 2;
    data.data = NULL;
    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HERR_INVALID_PARAM);
    assert_null(bitmap);
    data.data = pixels;

    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HSUCCEED);
    pixels[0] = 99; /* the bitmap owns a copy */
    assert_int_equal(HFImageBitmapGetData(bitmap, &read_back), HSUCCEED);
    assert_int_equal(read_back.width, 2);
    assert_int_equal(read_back.height, 2);
    assert_int_equal(read_back.channels, 3);
    assert_int_equal(read_back.data[0], 1);
    assert_int_equal(HFImageBitmapGetData(bitmap, NULL), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapGetData(NULL, &read_back), HERR_INVALID_IMAGE_BITMAP_HANDLE);

    assert_int_equal(HFImageBitmapCopy(bitmap, NULL), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapCopy(NULL, &copy), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapCopy(bitmap, &copy), HSUCCEED);
    assert_ptr_not_equal(copy, bitmap);
    assert_int_equal(HFImageBitmapShow(bitmap, "title", 0), HSUCCEED);
    assert_int_equal(HFImageBitmapShow(NULL, "title", 0), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFReleaseImageBitmap(NULL), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapGetData(copy, &read_back), HSUCCEED);
    assert_int_equal(read_back.data[11], 12);
    assert_int_equal(HFReleaseImageBitmap(copy), HSUCCEED);
}

static void bitmap_from_file_codes(void **state)
{
    char path[512];
    HFImageBitmap bitmap = NULL;
    HFImageBitmapData data;

    (void)state;
    image_fixture_path("bulk/image_T1.jpeg", path, sizeof(path));
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, NULL),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFCreateImageBitmapFromFilePath(NULL, 3, &bitmap),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFCreateImageBitmapFromFilePath("/nonexistent.jpg", 3, &bitmap),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 2, &bitmap), HERR_INVALID_PARAM);
    assert_null(bitmap);
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &bitmap), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(bitmap, &data), HSUCCEED);
    assert_int_equal(data.width, 480);
    assert_int_equal(data.height, 640);
    assert_int_equal(data.channels, 3);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 1, &bitmap), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(bitmap, &data), HSUCCEED);
    assert_int_equal(data.channels, 1);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
}

static void bitmap_stream_process_sizes(void **state)
{
    uint8_t *pixels = calloc(640 * 480, 3);
    HFImageBitmapData data = {pixels, 640, 480, 3};
    HFImageBitmap source = NULL;
    HFImageBitmap rendered = NULL;
    HFImageStream stream = NULL;
    HFImageBitmapData out;

    (void)state;
    assert_int_equal(HFCreateImageBitmap(&data, &source), HSUCCEED);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(NULL, HF_CAMERA_ROTATION_0, &stream),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(source, HF_CAMERA_ROTATION_0, NULL),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(source, HF_CAMERA_ROTATION_0, &stream),
                     HSUCCEED);

    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &rendered, 1, 0.5f),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(rendered, &out), HSUCCEED);
    assert_int_equal(out.width, 320);
    assert_int_equal(out.height, 240);
    assert_int_equal(out.channels, 3);
    assert_int_equal(HFReleaseImageBitmap(rendered), HSUCCEED);

    assert_int_equal(HFImageStreamSetRotation(stream, HF_CAMERA_ROTATION_90), HSUCCEED);
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &rendered, 1, 0.5f),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(rendered, &out), HSUCCEED);
    assert_int_equal(out.width, 240);
    assert_int_equal(out.height, 320);
    assert_int_equal(HFReleaseImageBitmap(rendered), HSUCCEED);
    /* is_rotate 0 keeps the buffer orientation. */
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &rendered, 0, 0.5f),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(rendered, &out), HSUCCEED);
    assert_int_equal(out.width, 320);
    assert_int_equal(HFReleaseImageBitmap(rendered), HSUCCEED);

    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &rendered, 1, 0.0f),
                     HERR_INVALID_PARAM);
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, NULL, 1, 1.0f),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(NULL, &rendered, 1, 1.0f),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
    assert_int_equal(HFReleaseImageBitmap(source), HSUCCEED);
    free(pixels);
}

static void grey_bitmap_makes_grey_stream(void **state)
{
    uint8_t pixels[4] = {10, 20, 30, 40};
    HFImageBitmapData data = {pixels, 2, 2, 1};
    HFImageBitmap bitmap = NULL;
    HFImageStream stream = NULL;

    (void)state;
    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HSUCCEED);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(bitmap, HF_CAMERA_ROTATION_180, &stream),
                     HSUCCEED);
    assert_int_equal(hf_api_stream_get(stream)->format, HF_STREAM_GRAY);
    assert_int_equal(hf_api_stream_get(stream)->rotation, 2);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
}

static void decode_save_codes(void **state)
{
    uint8_t pixels[8 * 6 * 3];
    HFImageData data = {pixels, 8, 6, HF_STREAM_BGR, HF_CAMERA_ROTATION_90};
    HFImageStream stream = NULL;
    HFImageBitmap saved = NULL;
    HFImageBitmapData out;
    const char *path = HF_BINARY_DIR "/image_decode_save.png";

    (void)state;
    memset(pixels, 60, sizeof(pixels));
    assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
    assert_int_equal(HFDeBugImageStreamDecodeSave(NULL, path), HERR_INVALID_IMAGE_STREAM_HANDLE);
    assert_int_equal(HFDeBugImageStreamDecodeSave(stream, "/nonexistent/dir/out.png"),
                     HERR_IMAGE_STREAM_DECODE_FAILED);
    assert_int_equal(HFDeBugImageStreamDecodeSave(stream, path), HSUCCEED);
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &saved), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(saved, &out), HSUCCEED);
    assert_int_equal(out.width, 6);
    assert_int_equal(out.height, 8);
    assert_int_equal(out.data[0], 60);
    assert_int_equal(HFReleaseImageBitmap(saved), HSUCCEED);
    remove(path);
    HFDeBugImageStreamImShow(stream);
    HFDeBugImageStreamImShow(NULL);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
}

static void bitmap_write_and_draw(void **state)
{
    uint8_t pixels[10 * 10 * 3];
    HFImageBitmapData data = {pixels, 10, 10, 3};
    HFImageBitmap bitmap = NULL;
    HFImageBitmapData out;
    HFaceRect rect = {2, 2, 5, 4};
    HColor red = {0, 0, 255}; /* r, g, b land in channels 0, 1, 2 */
    HPoint2i centre = {8, 8};
    HPoint2f near_edge = {0.9f, 9.7f};
    HPoint2f not_a_number = {NAN, 1};

    (void)state;
    memset(pixels, 0, sizeof(pixels));
    assert_int_equal(HFCreateImageBitmap(&data, &bitmap), HSUCCEED);
    assert_int_equal(HFImageBitmapDrawRect(NULL, rect, red, 1), HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapDrawRect(bitmap, rect, red, 1), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(bitmap, &out), HSUCCEED);
    /* Outline pixel (2, 2) is set, (3, 3) inside stays black, (7, 2) is past the right edge. */
    assert_int_equal(out.data[(2 * 10 + 2) * 3 + 2], 255);
    assert_int_equal(out.data[(2 * 10 + 2) * 3 + 0], 0);
    assert_int_equal(out.data[(3 * 10 + 3) * 3 + 2], 0);
    assert_int_equal(out.data[(5 * 10 + 6) * 3 + 2], 255);
    assert_int_equal(out.data[(2 * 10 + 7) * 3 + 2], 0);

    /* Radius 0, thickness 2: a dot covering the centre and its 4 neighbours,
     * clipped at the border for a centre on the last row. */
    assert_int_equal(HFImageBitmapDrawCircle(bitmap, centre, 0, red, 2), HSUCCEED);
    assert_int_equal(out.data[(8 * 10 + 8) * 3 + 2], 255);
    assert_int_equal(out.data[(8 * 10 + 9) * 3 + 2], 255);
    assert_int_equal(out.data[(7 * 10 + 8) * 3 + 2], 255);
    assert_int_equal(out.data[(7 * 10 + 7) * 3 + 2], 0);
    assert_int_equal(HFImageBitmapDrawCircleF(bitmap, near_edge, 0, red, 2), HSUCCEED);
    assert_int_equal(out.data[(9 * 10 + 0) * 3 + 2], 255);
    assert_int_equal(HFImageBitmapDrawCircleF(bitmap, not_a_number, 0, red, 2),
                     HERR_INVALID_PARAM);
    /* Huge and negative sizes are clipped or ignored, quickly. */
    assert_int_equal(HFImageBitmapDrawCircle(bitmap, centre, 2147483647, red, 2147483647),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapDrawCircle(bitmap, centre, -3, red, 1), HSUCCEED);
    rect.x = -2147483647;
    rect.width = 2147483647;
    assert_int_equal(HFImageBitmapDrawRect(bitmap, rect, red, 2147483647), HSUCCEED);
    assert_int_equal(HFImageBitmapDrawCircle(NULL, centre, 3, red, 1),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);

    assert_int_equal(HFImageBitmapWriteToFile(NULL, HF_BINARY_DIR "/image_bitmap.png"),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapWriteToFile(bitmap, "/nonexistent/dir/x.png"),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapWriteToFile(bitmap, HF_BINARY_DIR "/image_bitmap.gif"),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_int_equal(HFImageBitmapWriteToFile(bitmap, HF_BINARY_DIR "/image_bitmap.bmp"),
                     HSUCCEED);
    remove(HF_BINARY_DIR "/image_bitmap.bmp");
    assert_int_equal(HFReleaseImageBitmap(bitmap), HSUCCEED);
}

/* An NV21 frame stored turned 90 degrees clockwise, streamed with
 * rotation 90 and rendered upright through the API, equals r0.jpg within
 * 1 % mean absolute difference per channel. */
static void nv21_rotation_through_api(void **state)
{
    char path[512];
    size_t size;
    uint8_t *nv21;
    HFImageData data;
    HFImageStream stream = NULL;
    HFImageBitmap rendered = NULL;
    HFImageBitmap reference = NULL;
    HFImageBitmapData a, b;
    hf_image left, right;

    (void)state;
    image_fixture_path("bulk/r90_w409_h330_c3.nv21", path, sizeof(path));
    nv21 = image_fixture_read(path, &size);
    assert_non_null(nv21);
    data = (HFImageData){nv21, 409, 330, HF_STREAM_YUV_NV21, HF_CAMERA_ROTATION_90};
    assert_int_equal(HFCreateImageStream(&data, &stream), HSUCCEED);
    assert_int_equal(HFCreateImageBitmapFromImageStreamProcess(stream, &rendered, 1, 1.0f),
                     HSUCCEED);
    image_fixture_path("bulk/r0.jpg", path, sizeof(path));
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &reference), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(rendered, &a), HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(reference, &b), HSUCCEED);
    assert_int_equal(a.width, 330);
    assert_int_equal(a.height, 409);
    assert_int_equal(hf_image_view(a.data, a.width, a.height, 3, a.width * 3, &left), HF_OK);
    assert_int_equal(hf_image_view(b.data, b.width, b.height, 3, b.width * 3, &right), HF_OK);
    for (int c = 0; c < 3; c++) {
        double difference = image_fixture_mad(&left, &right, c);

        if (!(difference >= 0.0 && difference <= 2.55))
            fail_msg("channel %d differs by %.3f on average, limit 2.55", c, difference);
    }
    assert_int_equal(HFReleaseImageBitmap(reference), HSUCCEED);
    assert_int_equal(HFReleaseImageBitmap(rendered), HSUCCEED);
    assert_int_equal(HFReleaseImageStream(stream), HSUCCEED);
    free(nv21);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_create_codes),
        cmocka_unit_test(stream_setters_codes),
        cmocka_unit_test(bitmap_create_codes),
        cmocka_unit_test(bitmap_from_file_codes),
        cmocka_unit_test(bitmap_stream_process_sizes),
        cmocka_unit_test(grey_bitmap_makes_grey_stream),
        cmocka_unit_test(decode_save_codes),
        cmocka_unit_test(bitmap_write_and_draw),
        cmocka_unit_test(nv21_rotation_through_api),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
