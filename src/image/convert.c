/* Pixel formats of image streams and their conversion to BGR, plus the
 * grey and channel-order conversions. Each format is one row of FORMATS:
 * its name, its byte count and the routine that converts it.
 *
 * YUV is full-range BT.601 luma with the analog U and V scaling that
 * OpenCV's BGR2YUV uses (U = 0.492 (B - Y) + 128, V = 0.877 (R - Y) + 128),
 * because InspireFace's NV21 test frames were made that way: their Y
 * plane equals 0.299 R + 0.587 G + 0.114 B of the matching JPEG, and
 * their chroma fits 0.48 (B - Y) and 0.88 (R - Y). The inverse, with
 * u = U - 128 and v = V - 128:
 *   R = Y + 1.1403 v,  G = Y - 0.3947 u - 0.5808 v,  B = Y + 2.0325 u
 * in units of 1/16384, rounded, clamped to 0..255. */
#include "image/image.h"

#include <stddef.h>
#include <string.h>

#include "base/log.h"

/* Where the chroma of a YUV buffer lives. Pixel (x, y) reads its U at
 * u_plane + row * chroma_stride + col * step, V likewise, with row and
 * col clamped to the last complete sample. */
typedef struct chroma_layout {
    const uint8_t *u_plane;
    const uint8_t *v_plane;
    size_t chroma_stride;
    int step;
    int rows;    /* complete chroma rows */
    int columns; /* complete chroma samples per row */
} chroma_layout;

/* Where converted pixels go: buffer pixel (x, y) is written at
 * origin + x * step_x + y * step_y, which turns the image while it is
 * converted. */
typedef struct pixel_target {
    uint8_t *origin;
    ptrdiff_t step_x;
    ptrdiff_t step_y;
} pixel_target;

typedef void (*convert_fn)(const uint8_t *data, int width, int height,
                           const pixel_target *target);

typedef struct format_entry {
    const char *name;
    int bytes_per_pixel; /* 0 for the YUV formats */
    convert_fn convert;
} format_entry;

/* Scales a 1/16384 fixed-point value back to 0..255 with rounding. A
 * negative value is clamped before the shift. */
static uint8_t fixed_to_u8(int value)
{
    value += 1 << 13;
    if (value < 0)
        return 0;
    value >>= 14;
    return value > 255 ? 255 : (uint8_t)value;
}

/* Chroma terms shared by the pixels of one chroma sample. */
typedef struct chroma_terms {
    int blue, green, red;
} chroma_terms;

static chroma_terms chroma_terms_make(int u, int v)
{
    int d = u - 128;
    int e = v - 128;
    chroma_terms terms = {33300 * d, -6467 * d - 9516 * e, 18683 * e};

    return terms;
}

static void yuv_put(int y, const chroma_terms *terms, uint8_t *bgr)
{
    int luma = y << 14;

    bgr[0] = fixed_to_u8(luma + terms->blue);
    bgr[1] = fixed_to_u8(luma + terms->green);
    bgr[2] = fixed_to_u8(luma + terms->red);
}

static void convert_yuv(const uint8_t *luma, int width, int height, const chroma_layout *chroma,
                        const pixel_target *target)
{
    const chroma_terms neutral = {0, 0, 0};

    for (int y = 0; y < height; y++) {
        const uint8_t *luma_row = luma + (size_t)y * (size_t)width;
        uint8_t *out = target->origin + target->step_y * y;
        int row = y / 2 < chroma->rows ? y / 2 : chroma->rows - 1;
        size_t row_offset = (size_t)row * chroma->chroma_stride;
        chroma_terms terms = neutral;
        int x = 0;

        /* Two pixels per complete chroma sample, then any odd last
         * column with the last sample's terms (neutral when there is none). */
        for (int col = 0; chroma->rows > 0 && col < chroma->columns; col++) {
            size_t at = row_offset + (size_t)col * (size_t)chroma->step;

            terms = chroma_terms_make(chroma->u_plane[at], chroma->v_plane[at]);
            yuv_put(luma_row[x++], &terms, out);
            out += target->step_x;
            yuv_put(luma_row[x++], &terms, out);
            out += target->step_x;
        }
        for (; x < width; x++, out += target->step_x)
            yuv_put(luma_row[x], &terms, out);
    }
}

static void convert_nv(const uint8_t *data, int width, int height, const pixel_target *target,
                       int v_first)
{
    const uint8_t *chroma_plane = data + (size_t)width * (size_t)height;
    chroma_layout chroma = {
        .u_plane = chroma_plane + (v_first ? 1 : 0),
        .v_plane = chroma_plane + (v_first ? 0 : 1),
        .chroma_stride = (size_t)width,
        .step = 2,
        .rows = height / 2,
        .columns = width / 2,
    };

    convert_yuv(data, width, height, &chroma, target);
}

static void convert_nv12(const uint8_t *data, int width, int height, const pixel_target *target)
{
    convert_nv(data, width, height, target, 0);
}

static void convert_nv21(const uint8_t *data, int width, int height, const pixel_target *target)
{
    convert_nv(data, width, height, target, 1);
}

static void convert_i420(const uint8_t *data, int width, int height, const pixel_target *target)
{
    size_t plane = (size_t)(width / 2) * (size_t)(height / 2);
    const uint8_t *u_plane = data + (size_t)width * (size_t)height;
    chroma_layout chroma = {
        .u_plane = u_plane,
        .v_plane = u_plane + plane,
        .chroma_stride = (size_t)(width / 2),
        .step = 1,
        .rows = height / 2,
        .columns = width / 2,
    };

    convert_yuv(data, width, height, &chroma, target);
}

/* Copies interleaved pixels of `channels` bytes, reading B, G, R at the
 * given byte positions. */
static void convert_packed(const uint8_t *data, int width, int height,
                           const pixel_target *target, int channels, int blue, int red)
{
    for (int y = 0; y < height; y++) {
        const uint8_t *in = data + (size_t)y * (size_t)width * (size_t)channels;
        uint8_t *out = target->origin + target->step_y * y;

        for (int x = 0; x < width; x++, in += channels, out += target->step_x) {
            out[0] = in[blue];
            out[1] = in[1];
            out[2] = in[red];
        }
    }
}

static void convert_rgb(const uint8_t *data, int width, int height, const pixel_target *target)
{
    convert_packed(data, width, height, target, 3, 2, 0);
}

static void convert_bgr(const uint8_t *data, int width, int height, const pixel_target *target)
{
    size_t row_bytes = (size_t)width * 3;

    if (target->step_x != 3) {
        convert_packed(data, width, height, target, 3, 0, 2);
        return;
    }
    for (int y = 0; y < height; y++)
        memcpy(target->origin + target->step_y * y, data + (size_t)y * row_bytes, row_bytes);
}

static void convert_rgba(const uint8_t *data, int width, int height, const pixel_target *target)
{
    convert_packed(data, width, height, target, 4, 2, 0);
}

static void convert_bgra(const uint8_t *data, int width, int height, const pixel_target *target)
{
    convert_packed(data, width, height, target, 4, 0, 2);
}

static void convert_gray(const uint8_t *data, int width, int height, const pixel_target *target)
{
    for (int y = 0; y < height; y++) {
        const uint8_t *in = data + (size_t)y * (size_t)width;
        uint8_t *out = target->origin + target->step_y * y;

        for (int x = 0; x < width; x++, out += target->step_x)
            out[0] = out[1] = out[2] = in[x];
    }
}

static const format_entry FORMATS[HF_PIXEL_FORMAT_COUNT] = {
    [HF_PIXEL_RGB] = {"RGB", 3, convert_rgb},
    [HF_PIXEL_BGR] = {"BGR", 3, convert_bgr},
    [HF_PIXEL_RGBA] = {"RGBA", 4, convert_rgba},
    [HF_PIXEL_BGRA] = {"BGRA", 4, convert_bgra},
    [HF_PIXEL_NV12] = {"NV12", 0, convert_nv12},
    [HF_PIXEL_NV21] = {"NV21", 0, convert_nv21},
    [HF_PIXEL_I420] = {"I420", 0, convert_i420},
    [HF_PIXEL_GRAY] = {"GRAY", 1, convert_gray},
};

int hf_pixel_format_valid(int format)
{
    return format >= 0 && format < HF_PIXEL_FORMAT_COUNT;
}

const char *hf_pixel_format_name(int format)
{
    return hf_pixel_format_valid(format) ? FORMATS[format].name : "unknown";
}

hf_status hf_pixel_format_size(int format, int width, int height, size_t *bytes)
{
    size_t pixels;

    if (!hf_pixel_format_valid(format) || width <= 0 || height <= 0) {
        HF_LOGE("invalid pixel buffer: format %d, size %dx%d", format, width, height);
        return HF_ERR_INVALID_ARG;
    }
    if (width > HF_IMAGE_MAX_SIDE || height > HF_IMAGE_MAX_SIDE
        || (long)width * height > HF_IMAGE_MAX_PIXELS) {
        HF_LOGE("pixel buffer size %dx%d exceeds the limit of %d per side and %ld pixels",
                width, height, HF_IMAGE_MAX_SIDE, HF_IMAGE_MAX_PIXELS);
        return HF_ERR_RANGE;
    }
    pixels = (size_t)width * (size_t)height;
    if (FORMATS[format].bytes_per_pixel > 0)
        *bytes = pixels * (size_t)FORMATS[format].bytes_per_pixel;
    else if (format == HF_PIXEL_I420)
        *bytes = pixels + 2 * (size_t)(width / 2) * (size_t)(height / 2);
    else
        *bytes = pixels + (size_t)width * (size_t)(height / 2);
    return HF_OK;
}

/* Describes where buffer pixel (x, y) of a w x h buffer lands in `dst`
 * once turned upright by `rotation`. This inverts the table on
 * hf_image_stream: 1 puts it at (y, w-1-x), 2 at (w-1-x, h-1-y) and 3 at
 * (h-1-y, x). */
static pixel_target target_for(hf_image *dst, int width, int height, int rotation)
{
    ptrdiff_t stride = dst->stride;
    pixel_target target = {dst->data, 3, stride};

    switch (rotation) {
    case 1:
        target.origin = dst->data + (ptrdiff_t)(width - 1) * stride;
        target.step_x = -stride;
        target.step_y = 3;
        break;
    case 2:
        target.origin = dst->data + (ptrdiff_t)(height - 1) * stride + (ptrdiff_t)(width - 1) * 3;
        target.step_x = -3;
        target.step_y = -stride;
        break;
    case 3:
        target.origin = dst->data + (ptrdiff_t)(height - 1) * 3;
        target.step_x = stride;
        target.step_y = -3;
        break;
    default:
        break;
    }
    return target;
}

hf_status hf_image_convert_upright(const uint8_t *data, int format, int width, int height,
                                   int rotation, hf_image *dst)
{
    size_t bytes;
    int turned = rotation == 1 || rotation == 3;
    hf_status status = hf_pixel_format_size(format, width, height, &bytes);
    pixel_target target;

    if (status != HF_OK)
        return status;
    if (rotation < 0 || rotation > 3 || data == NULL || dst->channels != 3
        || dst->width != (turned ? height : width) || dst->height != (turned ? width : height)) {
        HF_LOGE("cannot convert %s %dx%d with rotation %d into a %dx%dx%d image",
                hf_pixel_format_name(format), width, height, rotation, dst->width, dst->height,
                dst->channels);
        return HF_ERR_INVALID_ARG;
    }
    target = target_for(dst, width, height, rotation);
    FORMATS[format].convert(data, width, height, &target);
    return HF_OK;
}

hf_status hf_image_convert_to_bgr(const uint8_t *data, int format, int width, int height,
                                  hf_image *dst)
{
    return hf_image_convert_upright(data, format, width, height, 0, dst);
}

void hf_image_bgr_to_grey(const hf_image *src, hf_image *dst)
{
    for (int y = 0; y < src->height; y++) {
        const uint8_t *in = src->data + (size_t)y * src->stride;
        uint8_t *out = dst->data + (size_t)y * dst->stride;

        /* Integer thousandths make the rounding exact, halves rounding up. */
        for (int x = 0; x < src->width; x++, in += 3)
            out[x] = (uint8_t)((in[2] * 299 + in[1] * 587 + in[0] * 114 + 500) / 1000);
    }
}

void hf_image_grey_to_bgr(const hf_image *src, hf_image *dst)
{
    for (int y = 0; y < src->height; y++) {
        const uint8_t *in = src->data + (size_t)y * src->stride;
        uint8_t *out = dst->data + (size_t)y * dst->stride;

        for (int x = 0; x < src->width; x++, out += 3)
            out[0] = out[1] = out[2] = in[x];
    }
}

void hf_image_swap_red_blue(hf_image *image)
{
    for (int y = 0; y < image->height; y++) {
        uint8_t *pixel = image->data + (size_t)y * image->stride;

        for (int x = 0; x < image->width; x++, pixel += 3) {
            uint8_t blue = pixel[0];

            pixel[0] = pixel[2];
            pixel[2] = blue;
        }
    }
}
