#include "face/preprocess.h"

#include <math.h>
#include <stddef.h>

#include "base/alloc.h"
#include "base/log.h"

/* One axis of an INTER_LINEAR resize: the first source index and the weight
 * of the second, per destination index. */
static void linear_axis(int src_size, int dst_size, int *index, float *weight)
{
    double scale = (double)src_size / dst_size;

    for (int d = 0; d < dst_size; d++) {
        double position = (d + 0.5) * scale - 0.5;
        int low = (int)floor(position);
        float fraction = (float)(position - low);

        if (low < 0) {
            low = 0;
            fraction = 0.0f;
        }
        if (low >= src_size - 1) {
            low = src_size - 1;
            fraction = 0.0f;
        }
        index[d] = low;
        weight[d] = fraction;
    }
}

static uint8_t round_pixel(float value)
{
    if (value <= 0.0f) {
        return 0;
    }
    return value >= 255.0f ? 255 : (uint8_t)(value + 0.5f);
}

hf_status hf_face_resize_region(const hf_face_pixels *src, hf_face_rect region, uint8_t *dst,
                                int dst_width, int dst_height)
{
    int channels = src->channels;
    int *xs;
    int *ys;
    float *wx;
    float *wy;

    if (region.width <= 0 || region.height <= 0 || region.x < 0 || region.y < 0 ||
        region.x + region.width > src->width || region.y + region.height > src->height ||
        dst_width <= 0 || dst_height <= 0) {
        HF_LOGE("cannot resize region %d,%d %dx%d of a %dx%d image to %dx%d", region.x,
                region.y, region.width, region.height, src->width, src->height, dst_width,
                dst_height);
        return HF_ERR_INVALID_ARG;
    }
    xs = hf_malloc((size_t)(dst_width + dst_height) * (sizeof(int) + sizeof(float)));
    if (xs == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    ys = xs + dst_width;
    wx = (float *)(ys + dst_height);
    wy = wx + dst_width;
    linear_axis(region.width, dst_width, xs, wx);
    linear_axis(region.height, dst_height, ys, wy);

    for (int y = 0; y < dst_height; y++) {
        int y0 = region.y + ys[y];
        int y1 = ys[y] + 1 < region.height ? y0 + 1 : y0;
        const uint8_t *row0 = src->data + (size_t)y0 * src->stride;
        const uint8_t *row1 = src->data + (size_t)y1 * src->stride;
        uint8_t *out = dst + (size_t)y * dst_width * channels;

        for (int x = 0; x < dst_width; x++) {
            int x0 = region.x + xs[x];
            int x1 = xs[x] + 1 < region.width ? x0 + 1 : x0;

            for (int c = 0; c < channels; c++) {
                float top = row0[x0 * channels + c] +
                            wx[x] * (row0[x1 * channels + c] - row0[x0 * channels + c]);
                float bottom = row1[x0 * channels + c] +
                               wx[x] * (row1[x1 * channels + c] - row1[x0 * channels + c]);

                out[x * channels + c] = round_pixel(top + wy[y] * (bottom - top));
            }
        }
    }
    hf_free(xs);
    return HF_OK;
}

/* Reads one channel at integer (x, y), 0 outside the image. */
static float sample_at(const hf_face_pixels *src, int x, int y, int c)
{
    if (x < 0 || y < 0 || x >= src->width || y >= src->height) {
        return 0.0f;
    }
    return src->data[(size_t)y * src->stride + (size_t)x * src->channels + c];
}

void hf_face_warp_affine(const hf_face_pixels *src, const float inverse[6], uint8_t *dst,
                         int dst_width, int dst_height)
{
    for (int y = 0; y < dst_height; y++) {
        for (int x = 0; x < dst_width; x++) {
            float sx = inverse[0] * x + inverse[1] * y + inverse[2];
            float sy = inverse[3] * x + inverse[4] * y + inverse[5];
            uint8_t *out = dst + ((size_t)y * dst_width + x) * 3;
            int x0;
            int y0;
            float fx;
            float fy;

            if (!(sx > -1.0f && sy > -1.0f && sx < src->width && sy < src->height)) {
                out[0] = out[1] = out[2] = 0;
                continue;
            }
            x0 = (int)floorf(sx);
            y0 = (int)floorf(sy);
            fx = sx - (float)x0;
            fy = sy - (float)y0;
            for (int c = 0; c < 3; c++) {
                int channel = src->channels == 1 ? 0 : c;
                float top = sample_at(src, x0, y0, channel) * (1.0f - fx) +
                            sample_at(src, x0 + 1, y0, channel) * fx;
                float bottom = sample_at(src, x0, y0 + 1, channel) * (1.0f - fx) +
                               sample_at(src, x0 + 1, y0 + 1, channel) * fx;

                out[c] = round_pixel(top * (1.0f - fy) + bottom * fy);
            }
        }
    }
}

void hf_face_to_planes(const uint8_t *pixels, int width, int height,
                       const hf_face_normalize *normalize, int planes, float *out)
{
    size_t count = (size_t)width * height;

    for (int k = 0; k < planes; k++) {
        const uint8_t *in = pixels + normalize->order[k];
        float mean = normalize->mean[k];
        float scale = normalize->scale[k];
        float *plane = out + (size_t)k * count;

        for (size_t i = 0; i < count; i++) {
            plane[i] = ((float)in[3 * i] - mean) * scale;
        }
    }
}

void hf_face_bgr_to_grey(const uint8_t *bgr, int count, uint8_t *grey)
{
    for (int i = 0; i < count; i++) {
        float value = 0.114f * bgr[3 * i] + 0.587f * bgr[3 * i + 1] + 0.299f * bgr[3 * i + 2];

        grey[i] = round_pixel(value);
    }
}
