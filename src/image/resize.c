/* Bilinear resize with OpenCV's INTER_LINEAR coordinate rule and the
 * bilinear affine warp with a constant 0 border. */
#include "image/image.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"

/* Fixed-point weights: 11 fractional bits per axis, as OpenCV uses for
 * 8-bit images, so a two-axis product has 22. */
#define WEIGHT_BITS 11
#define WEIGHT_ONE (1 << WEIGHT_BITS)

/* Fills, for each destination index, the two source indices and the
 * weight of the second one. */
static void axis_table(int src_size, int dst_size, int *first, int *weight)
{
    double scale = (double)src_size / (double)dst_size;

    for (int d = 0; d < dst_size; d++) {
        double position = ((double)d + 0.5) * scale - 0.5;
        int index;
        double fraction;

        if (position < 0.0)
            position = 0.0;
        index = (int)floor(position);
        fraction = position - index;
        if (index >= src_size - 1) {
            index = src_size - 1;
            fraction = 0.0;
        }
        first[d] = index;
        weight[d] = (int)lround(fraction * WEIGHT_ONE);
    }
}

/* Interpolates one source row horizontally into `sums` (WEIGHT_ONE units). */
static void resize_row(const uint8_t *row, int channels, int src_width, const int *xs,
                       const int *xw, int dst_width, int *sums)
{
    for (int d = 0; d < dst_width; d++) {
        const uint8_t *left = row + (size_t)xs[d] * channels;
        const uint8_t *right = xs[d] + 1 < src_width ? left + channels : left;
        int w1 = xw[d];
        int w0 = WEIGHT_ONE - w1;

        for (int c = 0; c < channels; c++)
            sums[d * channels + c] = left[c] * w0 + right[c] * w1;
    }
}

hf_status hf_image_resize(const hf_image *src, hf_image *dst)
{
    int dst_width = dst->width;
    int dst_height = dst->height;
    int channels = src->channels;
    size_t row_values = (size_t)dst_width * (size_t)channels;
    int *scratch;
    int *xs, *xw, *ys, *yw, *top, *bottom;

    if (src->channels != dst->channels || src->width <= 0 || src->height <= 0
        || dst_width <= 0 || dst_height <= 0) {
        HF_LOGE("cannot resize %dx%dx%d into %dx%dx%d", src->width, src->height, src->channels,
                dst_width, dst_height, dst->channels);
        return HF_ERR_INVALID_ARG;
    }
    scratch = hf_malloc(sizeof(int) * (2 * (size_t)dst_width + 2 * (size_t)dst_height
                                       + 2 * row_values));
    if (scratch == NULL) {
        HF_LOGE("out of memory resizing to %dx%d", dst_width, dst_height);
        return HF_ERR_NO_MEMORY;
    }
    xs = scratch;
    xw = xs + dst_width;
    ys = xw + dst_width;
    yw = ys + dst_height;
    top = yw + dst_height;
    bottom = top + row_values;
    axis_table(src->width, dst_width, xs, xw);
    axis_table(src->height, dst_height, ys, yw);

    for (int y = 0; y < dst_height; y++) {
        int y1 = ys[y] + 1 < src->height ? ys[y] + 1 : ys[y];
        int w1 = yw[y];
        int w0 = WEIGHT_ONE - w1;
        uint8_t *out = dst->data + (size_t)y * dst->stride;

        resize_row(src->data + (size_t)ys[y] * src->stride, channels, src->width, xs, xw,
                   dst_width, top);
        resize_row(src->data + (size_t)y1 * src->stride, channels, src->width, xs, xw,
                   dst_width, bottom);
        for (size_t i = 0; i < row_values; i++) {
            int value = (top[i] * w0 + bottom[i] * w1 + (1 << (2 * WEIGHT_BITS - 1)))
                        >> (2 * WEIGHT_BITS);

            out[i] = (uint8_t)(value > 255 ? 255 : value);
        }
    }
    hf_free(scratch);
    return HF_OK;
}

/* Returns the channel value at (x, y), or 0 outside the image. */
static double sample(const hf_image *src, int x, int y, int c)
{
    if (x < 0 || y < 0 || x >= src->width || y >= src->height)
        return 0.0;
    return src->data[(size_t)y * src->stride + (size_t)x * src->channels + c];
}

static void warp_pixel(const hf_image *src, double sx, double sy, uint8_t *out)
{
    double fx0 = floor(sx);
    double fy0 = floor(sy);
    double ax, ay;
    int x0, y0;

    if (!(fx0 >= -1.0 && fy0 >= -1.0 && fx0 < src->width && fy0 < src->height)) {
        memset(out, 0, (size_t)src->channels);
        return;
    }
    x0 = (int)fx0;
    y0 = (int)fy0;
    ax = sx - fx0;
    ay = sy - fy0;
    for (int c = 0; c < src->channels; c++) {
        double upper = sample(src, x0, y0, c) * (1.0 - ax) + sample(src, x0 + 1, y0, c) * ax;
        double lower = sample(src, x0, y0 + 1, c) * (1.0 - ax)
                       + sample(src, x0 + 1, y0 + 1, c) * ax;
        double value = upper * (1.0 - ay) + lower * ay + 0.5;

        out[c] = (uint8_t)(value >= 255.0 ? 255 : (int)value);
    }
}

hf_status hf_image_warp_affine(const hf_image *src, const float dst_to_src[6], hf_image *dst)
{
    const float *m = dst_to_src;

    if (src->channels != dst->channels || src->width <= 0 || src->height <= 0
        || dst->width <= 0 || dst->height <= 0) {
        HF_LOGE("cannot warp %dx%dx%d into %dx%dx%d", src->width, src->height, src->channels,
                dst->width, dst->height, dst->channels);
        return HF_ERR_INVALID_ARG;
    }
    for (int y = 0; y < dst->height; y++) {
        uint8_t *out = dst->data + (size_t)y * dst->stride;

        for (int x = 0; x < dst->width; x++, out += dst->channels) {
            double sx = (double)m[0] * x + (double)m[1] * y + m[2];
            double sy = (double)m[3] * x + (double)m[4] * y + m[5];

            warp_pixel(src, sx, sy, out);
        }
    }
    return HF_OK;
}

hf_status hf_image_affine_invert(const float matrix[6], float inverse[6])
{
    double a = matrix[0], b = matrix[1], c = matrix[2];
    double d = matrix[3], e = matrix[4], f = matrix[5];
    double determinant = a * e - b * d;

    if (fabs(determinant) < 1e-12 || !isfinite(determinant)) {
        HF_LOGE("affine matrix [%g %g %g; %g %g %g] is singular", a, b, c, d, e, f);
        return HF_ERR_RANGE;
    }
    inverse[0] = (float)(e / determinant);
    inverse[1] = (float)(-b / determinant);
    inverse[2] = (float)((b * f - c * e) / determinant);
    inverse[3] = (float)(-d / determinant);
    inverse[4] = (float)(a / determinant);
    inverse[5] = (float)((c * d - a * f) / determinant);
    return HF_OK;
}
