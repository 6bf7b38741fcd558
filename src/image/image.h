/* Images for the SDK: 8-bit interleaved pixel buffers, image streams over a
 * caller's buffer in any supported pixel format and rotation, resizing,
 * affine warps, colour conversion, codecs (JPEG, PNG, WebP and BMP in,
 * PNG, JPEG and BMP out) and drawing.
 *
 * Abbreviations: w, h (width, height in pixels), stride (bytes between the
 * starts of two rows), src/dst (source, destination), x, y (buffer pixel
 * coordinates), u, v (coordinates in the upright view of a stream).
 *
 * Colour order: 3-channel images are BGR in memory. Pixel values in
 * hf_image_color are applied to channels 0, 1, 2 in memory order, so the
 * public HColor {r, g, b} writes r into the blue byte of a BGR image, which
 * is what InspireFace's samples expect when they pass {0, 0, 255} for red. */
#ifndef HF_IMAGE_IMAGE_H
#define HF_IMAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* Largest accepted width or height, and largest pixel count, of any image
 * or stream. Larger requests fail with HF_ERR_RANGE before allocating. */
#define HF_IMAGE_MAX_SIDE 65535
#define HF_IMAGE_MAX_PIXELS (1L << 28)

/* An 8-bit interleaved image. `owned` is the allocation behind `data` when
 * the image owns its pixels (release with hf_image_release), NULL for a
 * view of memory that someone else owns. */
typedef struct hf_image {
    uint8_t *data;
    int width;
    int height;
    int channels; /* 1 (grey), 3 (BGR) or 4 */
    int stride;   /* bytes between rows, at least width * channels */
    void *owned;
} hf_image;

/* Allocates a packed (stride = width * channels) image with undefined
 * pixels. HF_ERR_INVALID_ARG for a non-positive size or channel count
 * outside 1..4, HF_ERR_RANGE above the HF_IMAGE_MAX_* limits. */
HF_MUST_CHECK hf_status hf_image_create(int width, int height, int channels, hf_image *out);

/* Frees the pixels of an owning image and zeroes it. A view is only
 * zeroed. NULL is allowed. */
void hf_image_release(hf_image *image);

/* Describes memory owned by the caller as an image without copying. */
HF_MUST_CHECK hf_status hf_image_view(uint8_t *data, int width, int height, int channels,
                                      int stride, hf_image *out);

/* Describes the rectangle (x, y, width, height) of `image` as a view sharing
 * its pixels. HF_ERR_INVALID_ARG unless the rectangle is non-empty and lies
 * inside the image. */
HF_MUST_CHECK hf_status hf_image_region(const hf_image *image, int x, int y, int width,
                                        int height, hf_image *out);

/* Copies `image` (any stride) into a new packed image. */
HF_MUST_CHECK hf_status hf_image_copy(const hf_image *image, hf_image *out);

/* Copies a rectangle, which must lie inside, into a new packed image. */
HF_MUST_CHECK hf_status hf_image_crop(const hf_image *image, int x, int y, int width, int height,
                                      hf_image *out);

/* ---- Pixel formats of image streams ---------------------------------- */

/* Same values as the public HFImageFormat. */
typedef enum hf_pixel_format {
    HF_PIXEL_RGB = 0,
    HF_PIXEL_BGR = 1,
    HF_PIXEL_RGBA = 2,
    HF_PIXEL_BGRA = 3,
    HF_PIXEL_NV12 = 4,
    HF_PIXEL_NV21 = 5,
    HF_PIXEL_I420 = 6,
    HF_PIXEL_GRAY = 7,
    HF_PIXEL_FORMAT_COUNT
} hf_pixel_format;

/* Returns 1 for a value of hf_pixel_format, else 0. */
int hf_pixel_format_valid(int format);

/* Returns a short name ("NV21"), or "unknown". */
const char *hf_pixel_format_name(int format);

/* Writes the number of bytes a tightly packed w x h buffer of `format`
 * occupies. No routine reads outside these bytes.
 *   RGB, BGR: w*h*3.  RGBA, BGRA: w*h*4.  GRAY: w*h.
 *   NV12, NV21: w*h + w*(h/2), which is h/2 chroma rows of w bytes, each
 *     with w/2 complete (U,V) or (V,U) pairs and, for odd w, one unused byte.
 *   I420: w*h + 2*(w/2)*(h/2), a U plane and then a V plane of (w/2) x (h/2).
 * HF_ERR_INVALID_ARG for an unknown format or a non-positive size,
 * HF_ERR_RANGE above the limits. */
HF_MUST_CHECK hf_status hf_pixel_format_size(int format, int width, int height, size_t *bytes);

/* Converts a packed w x h buffer of `format` (hf_pixel_format_size bytes)
 * into `dst`, a 3-channel BGR image of the same size. YUV uses full-range
 * BT.601 luma with analog U/V scaling (formula in convert.c). Chroma is
 * shared by 2x2 pixels, an odd last row or column reuses the last complete
 * chroma sample, and a buffer with none (width or height 1) gets neutral
 * chroma. */
HF_MUST_CHECK hf_status hf_image_convert_to_bgr(const uint8_t *data, int format, int width,
                                                int height, hf_image *dst);

/* Converts like hf_image_convert_to_bgr and turns the result upright by a
 * stream rotation (0..3, the table on hf_image_stream) in the same pass.
 * `dst` has the upright size: h x w for rotations 1 and 3. */
HF_MUST_CHECK hf_status hf_image_convert_upright(const uint8_t *data, int format, int width,
                                                 int height, int rotation, hf_image *dst);

/* Converts 3-channel BGR to grey: 0.299 R + 0.587 G + 0.114 B, rounded to
 * the nearest integer. Sizes must match; `dst` has 1 channel. */
void hf_image_bgr_to_grey(const hf_image *src, hf_image *dst);

/* Swaps channels 0 and 2 of a 3-channel image in place (BGR <-> RGB). */
void hf_image_swap_red_blue(hf_image *image);

/* Replicates a 1-channel image into a 3-channel one of the same size. */
void hf_image_grey_to_bgr(const hf_image *src, hf_image *dst);

/* ---- Orientation ----------------------------------------------------- */

/* Re-arranges `src` into a new image the way EXIF orientation
 * `orientation` prescribes for display. 1 keeps it, 6 turns it 90 degrees
 * clockwise, 8 counter-clockwise and 3 half a turn. 2 and 4 mirror it
 * horizontally and vertically, 5 transposes and 7 transverses it.
 * Orientations 5-8 swap width and height, and values outside 1..8 act as 1. */
HF_MUST_CHECK hf_status hf_image_orient(const hf_image *src, int orientation, hf_image *out);

/* Reads the Orientation tag (0x0112) of IFD0 from the payload of a JPEG
 * APP1 segment ("Exif\0\0" then a TIFF header, either byte order). Returns
 * 1..8, or 1 when the payload is not Exif, is truncated or malformed, or has
 * no valid tag. Every offset is checked against `size`. */
int hf_image_exif_orientation(const uint8_t *payload, size_t size);

/* ---- Image streams --------------------------------------------------- */

/* A caller's pixel buffer with its format and rotation. The stream never
 * copies or frees the buffer. `rotation` 1 (90) means the buffer holds the
 * scene turned 90 degrees clockwise, so the upright view turns it 90
 * degrees counter-clockwise; 2 is a half turn; 3 (270) the opposite of 1.
 * With buffer size w x h, upright pixel (u, v) is buffer pixel (x, y):
 *   0: (u, v)   1: (w-1-v, u)   2: (w-1-u, h-1-v)   3: (v, h-1-u). */
typedef struct hf_image_stream {
    const uint8_t *data; /* NULL for an empty stream */
    int width;
    int height;
    int format;   /* hf_pixel_format */
    int rotation; /* 0..3 quarter turns as above */
} hf_image_stream;

/* Validates and fills a stream. Rotation values outside 1..3 become 0.
 * HF_ERR_INVALID_ARG for NULL data, a non-positive size or unknown format. */
HF_MUST_CHECK hf_status hf_image_stream_init(hf_image_stream *stream, const uint8_t *data,
                                             int width, int height, int format, int rotation);

/* Width and height of the upright view (swapped for rotations 1 and 3). */
void hf_image_stream_upright_size(const hf_image_stream *stream, int *width, int *height);

/* Renders the stream as an upright 3-channel BGR image. A BGR stream with
 * rotation 0 yields a view of the caller's buffer (out->owned NULL);
 * otherwise `out` owns new pixels. Release with hf_image_release either
 * way. HF_ERR_STATE for an empty stream. */
HF_MUST_CHECK hf_status hf_image_stream_upright(const hf_image_stream *stream, hf_image *out);

/* Renders the stream into a new BGR image of (int)(w * scale) x
 * (int)(h * scale) pixels (bilinear), upright when `upright` is nonzero,
 * else in buffer orientation. HF_ERR_INVALID_ARG for scale <= 0 or a
 * result smaller than 1x1. */
HF_MUST_CHECK hf_status hf_image_stream_render(const hf_image_stream *stream, int upright,
                                               float scale, hf_image *out);

/* Maps a point of the upright view to the buffer, and back, by the table on
 * hf_image_stream applied to pixel coordinates (fractions allowed). */
void hf_image_stream_to_buffer(const hf_image_stream *stream, float u, float v, float *x,
                               float *y);
void hf_image_stream_to_upright(const hf_image_stream *stream, float x, float y, float *u,
                                float *v);

/* An axis-aligned rectangle: top-left corner and size, in pixels. */
typedef struct hf_image_rect {
    float x;
    float y;
    float width;
    float height;
} hf_image_rect;

/* Maps a rectangle covering whole pixels between the upright view and the
 * buffer: the result covers exactly the mapped pixels. */
hf_image_rect hf_image_stream_rect_to_buffer(const hf_image_stream *stream, hf_image_rect rect);
hf_image_rect hf_image_stream_rect_to_upright(const hf_image_stream *stream, hf_image_rect rect);

/* ---- Resize and warp ------------------------------------------------- */

/* Resizes `src` into `dst` (same channel count, sizes taken from dst) with
 * OpenCV's INTER_LINEAR rule: src = (dst + 0.5) * src_size / dst_size - 0.5,
 * clamped to [0, size - 1]. Weights are quantised to 1/2048 as OpenCV does
 * and the result is rounded to the nearest uint8. Only pixels of `src` are
 * read, so resizing a region view reads nothing outside the region.
 * NOTE: cv2.resize (OpenCV 4.6, x86) truncates intermediate sums in its
 * vectorised path, so on random images about 13 % of its values are 1
 * lower or higher than these; none differed by more than 1. */
HF_MUST_CHECK hf_status hf_image_resize(const hf_image *src, hf_image *dst);

/* Fills `dst` by sampling `src` bilinearly at M * (x, y, 1), where the
 * 2x3 row-major matrix M maps DESTINATION pixel coordinates to SOURCE
 * coordinates. Neighbours outside the source count as 0 (a constant 0
 * border), and results are rounded to the nearest uint8.
 * NOTE: cv2.warpAffine (OpenCV 4.6) rounds source coordinates to 1/32
 * pixel, so on random 112x112 rotations and scalings 5 % of its values
 * differ from these, by at most 3. */
HF_MUST_CHECK hf_status hf_image_warp_affine(const hf_image *src, const float dst_to_src[6],
                                             hf_image *dst);

/* Inverts a 2x3 affine matrix (e.g. source-to-destination into the
 * destination-to-source form hf_image_warp_affine takes). HF_ERR_RANGE when
 * the matrix is singular. */
HF_MUST_CHECK hf_status hf_image_affine_invert(const float matrix[6], float inverse[6]);

/* ---- Codecs ---------------------------------------------------------- */

typedef enum hf_image_codec {
    HF_IMAGE_CODEC_UNKNOWN = 0,
    HF_IMAGE_CODEC_JPEG,
    HF_IMAGE_CODEC_PNG,
    HF_IMAGE_CODEC_WEBP,
    HF_IMAGE_CODEC_BMP
} hf_image_codec;

/* Identifies the codec from the first bytes (never from a file name). */
hf_image_codec hf_image_codec_sniff(const uint8_t *bytes, size_t size);

/* Decodes a JPEG, PNG, WebP or uncompressed BMP image into a new packed
 * image of `channels` 3 (BGR) or 1 (grey, by hf_image_bgr_to_grey's
 * formula). Alpha is dropped, 16-bit PNG samples are scaled to 8 bits, and
 * grey and palette images are expanded. JPEGs are turned upright by their
 * EXIF Orientation tag (hf_image_orient). HF_ERR_UNSUPPORTED for other
 * formats and BMP variants, HF_ERR_FORMAT for truncated or corrupt data. */
HF_MUST_CHECK hf_status hf_image_decode(const uint8_t *bytes, size_t size, int channels,
                                        hf_image *out);

/* Reads and decodes a file. HF_ERR_IO when it cannot be read. */
HF_MUST_CHECK hf_status hf_image_decode_file(const char *path, int channels, hf_image *out);

/* Encodes a 1- or 3-channel (BGR) image into `path`, by its extension:
 * .png, .jpg/.jpeg (quality 95) or .bmp (case-insensitive).
 * HF_ERR_UNSUPPORTED for another extension, HF_ERR_IO when writing fails. */
HF_MUST_CHECK hf_status hf_image_write_file(const hf_image *image, const char *path);

/* ---- Drawing --------------------------------------------------------- */

/* Channel values applied to channels 0, 1, 2 in memory order. */
typedef struct hf_image_color {
    uint8_t value[3];
} hf_image_color;

/* Draws the outline of the rectangle (x, y, width, height), `thickness`
 * pixels wide growing inwards (thickness < 1 acts as 1), clipped to the
 * image. Returns without drawing for a non-positive size. */
void hf_image_draw_rect(hf_image *image, int x, int y, int width, int height,
                        hf_image_color color, int thickness);

/* Draws a circle outline of `radius` around (cx, cy) whose ring is
 * `thickness` pixels wide, centred on the radius; a negative thickness
 * fills the disc. Radius 0 with thickness t draws a dot of radius t / 2,
 * so InspireFace's landmark dots (radius 0, thickness 2) show up.
 * Clipped to the image. */
void hf_image_draw_circle(hf_image *image, int cx, int cy, int radius, hf_image_color color,
                          int thickness);

#endif
