#include "face/preprocess.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

static inline uint8_t round_pixel(float value)
{
    value = value < 0.0f ? 0.0f : value;
    value = value > 255.0f ? 255.0f : value;
    return (uint8_t)(value + 0.5f);
}

#if defined(__SSE2__)
/* Widens the three bytes at `bytes` (and the one after them) to floats. */
static inline __m128 load_pixel(const uint8_t *bytes)
{
    int32_t packed;
    __m128i zero = _mm_setzero_si128();
    __m128i wide;

    memcpy(&packed, bytes, sizeof(packed));
    wide = _mm_unpacklo_epi8(_mm_cvtsi32_si128(packed), zero);
    return _mm_cvtepi32_ps(_mm_unpacklo_epi16(wide, zero));
}
#endif

/* Interpolates one source row horizontally into `out` (dst_width * channels
 * floats). Each of the first `wide` pixels of a 3-channel row reads one byte
 * past its right neighbour and writes one float past its own, so the caller
 * must keep both inside the row. */
static void resize_row(const uint8_t *row, int channels, const int *xs, const float *wx,
                       int last, int dst_width, int wide, float *out)
{
    if (channels == 3) {
        int x = 0;

#if defined(__SSE2__)
        /* The same float operations as below, one pixel per vector; the
         * fourth lane is overwritten by the next pixel. */
        for (; x < wide; x++) {
            const uint8_t *left = row + (size_t)xs[x] * 3;
            __m128 low = load_pixel(left);
            __m128 high = load_pixel(xs[x] < last ? left + 3 : left);

            high = _mm_mul_ps(_mm_set1_ps(wx[x]), _mm_sub_ps(high, low));
            _mm_storeu_ps(out + 3 * x, _mm_add_ps(low, high));
        }
#else
        (void)wide;
#endif
        for (; x < dst_width; x++) {
            const uint8_t *left = row + (size_t)xs[x] * 3;
            const uint8_t *right = xs[x] < last ? left + 3 : left;
            float weight = wx[x];

            out[3 * x] = left[0] + weight * (float)(right[0] - left[0]);
            out[3 * x + 1] = left[1] + weight * (float)(right[1] - left[1]);
            out[3 * x + 2] = left[2] + weight * (float)(right[2] - left[2]);
        }
        return;
    }
    for (int x = 0; x < dst_width; x++) {
        const uint8_t *left = row + (size_t)xs[x] * channels;
        const uint8_t *right = xs[x] < last ? left + channels : left;

        for (int c = 0; c < channels; c++) {
            out[x * channels + c] = left[c] + wx[x] * (float)(right[c] - left[c]);
        }
    }
}

/* Counts the leading destination pixels whose 4-byte loads stay inside the
 * source row (the right neighbour's byte after it is at most the row's last
 * byte) and whose 4-float store stays inside the output row. */
static int wide_pixels(const int *xs, int dst_width, int region_x, int src_width)
{
    int wide = 0;

    while (wide < dst_width - 1 && region_x + xs[wide] + 2 < src_width) {
        wide++;
    }
    return wide;
}

/* Blends two interpolated rows and rounds to uint8; written branch-free so
 * that the compiler vectorises it. */
static void blend_rows(const float *restrict top, const float *restrict bottom, float weight,
                       size_t count, uint8_t *restrict out)
{
    for (size_t i = 0; i < count; i++) {
        float value = top[i] + weight * (bottom[i] - top[i]) + 0.5f;

        value = value < 0.0f ? 0.0f : value;
        value = value > 255.0f ? 255.0f : value;
        out[i] = (uint8_t)(int)value;
    }
}

/* Averages horizontal pairs of vertical pair sums into one output row.
 * Each call passes `channels` as a constant so that the loop unrolls. */
static inline void halve_pairs(const uint16_t *restrict sums, int channels, int dst_width,
                               uint8_t *restrict out)
{
    for (int x = 0; x < dst_width; x++) {
        const uint16_t *pair = sums + (size_t)2 * x * channels;

        for (int c = 0; c < channels; c++) {
            out[x * channels + c] = (uint8_t)((pair[c] + pair[c + channels] + 2) >> 2);
        }
    }
}

/* Halves a region in both directions. INTER_LINEAR then samples at
 * 2d + 0.5, the centre of each 2x2 block, so every output is the block's
 * mean rounded half up; integer sums give exactly what the general path
 * computes, several times faster (a 640x480 frame into the 320x240
 * detector is the common case). */
static void halve_region(const uint8_t *origin, int stride, int channels, uint8_t *dst,
                         int dst_width, int dst_height, uint16_t *sums)
{
    size_t row_size = (size_t)dst_width * channels;

    for (int y = 0; y < dst_height; y++) {
        const uint8_t *restrict top = origin + (size_t)(2 * y) * stride;
        const uint8_t *restrict bottom = top + stride;
        uint8_t *out = dst + (size_t)y * row_size;

        /* Vertical pair sums first (a vectorised loop), then the pairs of
         * neighbouring pixels. */
        for (size_t k = 0; k < 2 * row_size; k++) {
            sums[k] = (uint16_t)(top[k] + bottom[k]);
        }
        if (channels == 3) {
            halve_pairs(sums, 3, dst_width, out);
        } else {
            halve_pairs(sums, channels, dst_width, out);
        }
    }
}

hf_status hf_face_resize_region(const hf_face_pixels *src, hf_face_rect region, uint8_t *dst,
                                int dst_width, int dst_height)
{
    int channels = src->channels;
    size_t row_size = (size_t)dst_width * channels;
    int *xs;
    int *ys;
    float *wx;
    float *wy;
    float *rows[2];
    int cached[2] = {-1, -1};
    int wide;

    if (region.width <= 0 || region.height <= 0 || region.x < 0 || region.y < 0 ||
        region.x + region.width > src->width || region.y + region.height > src->height ||
        dst_width <= 0 || dst_height <= 0) {
        HF_LOGE("cannot resize region %d,%d %dx%d of a %dx%d image to %dx%d", region.x,
                region.y, region.width, region.height, src->width, src->height, dst_width,
                dst_height);
        return HF_ERR_INVALID_ARG;
    }
    if (region.width == 2 * dst_width && region.height == 2 * dst_height) {
        uint16_t *sums = hf_malloc(2 * row_size * sizeof(uint16_t));

        if (sums == NULL) {
            return HF_ERR_NO_MEMORY;
        }
        halve_region(src->data + (size_t)region.y * src->stride + (size_t)region.x * channels,
                     src->stride, channels, dst, dst_width, dst_height, sums);
        hf_free(sums);
        return HF_OK;
    }
    xs = hf_malloc((size_t)(dst_width + dst_height) * (sizeof(int) + sizeof(float)) +
                   2 * row_size * sizeof(float));
    if (xs == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    ys = xs + dst_width;
    wx = (float *)(ys + dst_height);
    wy = wx + dst_width;
    rows[0] = wy + dst_height;
    rows[1] = rows[0] + row_size;
    linear_axis(region.width, dst_width, xs, wx);
    linear_axis(region.height, dst_height, ys, wy);
    wide = wide_pixels(xs, dst_width, region.x, src->width);

    const uint8_t *origin = src->data + (size_t)region.y * src->stride +
                            (size_t)region.x * channels;

    for (int y = 0; y < dst_height; y++) {
        int needed[2] = {ys[y], ys[y] + 1 < region.height ? ys[y] + 1 : ys[y]};
        uint8_t *out = dst + (size_t)y * row_size;

        /* Source rows are interpolated once and reused by the next output
         * rows that need them: moving down one row swaps the buffers. */
        if (cached[0] != needed[0] && cached[1] == needed[0]) {
            float *swap = rows[0];

            rows[0] = rows[1];
            rows[1] = swap;
            cached[1] = cached[0];
            cached[0] = needed[0];
        }
        for (int k = 0; k < 2; k++) {
            if (cached[k] != needed[k]) {
                resize_row(origin + (size_t)needed[k] * src->stride, channels, xs, wx,
                           region.width - 1, dst_width, wide, rows[k]);
                cached[k] = needed[k];
            }
        }
        blend_rows(rows[0], rows[1], wy[y], row_size, out);
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

#if defined(__SSE2__)
/* The interior 3-channel case of warp_pixel with the same float operations,
 * the channels in one vector. Reads one byte past each right-hand pixel, so
 * x0 + 2 must be inside the row. */
static void warp_pixel_wide(const uint8_t *top, int stride, float fx, float fy, uint8_t *out)
{
    __m128 weight_x = _mm_set1_ps(fx);
    __m128 upper = load_pixel(top);
    __m128 lower = load_pixel(top + stride);
    __m128 value;
    __m128i rounded;
    int32_t packed;

    upper = _mm_add_ps(upper, _mm_mul_ps(weight_x, _mm_sub_ps(load_pixel(top + 3), upper)));
    lower = _mm_add_ps(lower,
                       _mm_mul_ps(weight_x, _mm_sub_ps(load_pixel(top + stride + 3), lower)));
    value = _mm_add_ps(upper, _mm_mul_ps(_mm_set1_ps(fy), _mm_sub_ps(lower, upper)));
    value = _mm_min_ps(_mm_max_ps(value, _mm_setzero_ps()), _mm_set1_ps(255.0f));
    rounded = _mm_cvttps_epi32(_mm_add_ps(value, _mm_set1_ps(0.5f)));
    rounded = _mm_packs_epi32(rounded, rounded);
    packed = _mm_cvtsi128_si32(_mm_packus_epi16(rounded, rounded));
    memcpy(out, &packed, 3);
}
#endif

static void warp_pixel(const hf_face_pixels *src, float sx, float sy, uint8_t *out)
{
    int x0 = (int)floorf(sx);
    int y0 = (int)floorf(sy);
    float fx = sx - (float)x0;
    float fy = sy - (float)y0;
    int grey = src->channels == 1;

#if defined(__SSE2__)
    if (src->channels == 3 && x0 >= 0 && y0 >= 0 && x0 + 2 < src->width &&
        y0 + 1 < src->height) {
        warp_pixel_wide(src->data + (size_t)y0 * src->stride + (size_t)x0 * 3, src->stride, fx,
                        fy, out);
        return;
    }
#endif

    if (x0 >= 0 && y0 >= 0 && x0 + 1 < src->width && y0 + 1 < src->height) {
        const uint8_t *top = src->data + (size_t)y0 * src->stride + (size_t)x0 * src->channels;
        const uint8_t *bottom = top + src->stride;
        int step = src->channels;

        for (int c = 0; c < 3; c++) {
            int k = grey ? 0 : c;
            float upper = top[k] + fx * (float)(top[k + step] - top[k]);
            float lower = bottom[k] + fx * (float)(bottom[k + step] - bottom[k]);

            out[c] = round_pixel(upper + fy * (lower - upper));
        }
        return;
    }
    for (int c = 0; c < 3; c++) {
        int k = grey ? 0 : c;
        float upper = sample_at(src, x0, y0, k) * (1.0f - fx) + sample_at(src, x0 + 1, y0, k) * fx;
        float lower = sample_at(src, x0, y0 + 1, k) * (1.0f - fx) +
                      sample_at(src, x0 + 1, y0 + 1, k) * fx;

        out[c] = round_pixel(upper * (1.0f - fy) + lower * fy);
    }
}

void hf_face_warp_affine(const hf_face_pixels *src, const float inverse[6], uint8_t *dst,
                         int dst_width, int dst_height)
{
    for (int y = 0; y < dst_height; y++) {
        for (int x = 0; x < dst_width; x++) {
            float sx = inverse[0] * x + inverse[1] * y + inverse[2];
            float sy = inverse[3] * x + inverse[4] * y + inverse[5];
            uint8_t *out = dst + ((size_t)y * dst_width + x) * 3;

            if (!(sx > -1.0f && sy > -1.0f && sx < src->width && sy < src->height)) {
                out[0] = out[1] = out[2] = 0;
                continue;
            }
            warp_pixel(src, sx, sy, out);
        }
    }
}

void hf_face_normalize_table(const hf_face_normalize *normalize, int planes, float *table)
{
    for (int k = 0; k < planes; k++) {
        float mean = normalize->mean[k];
        float scale = normalize->scale[k];

        for (int v = 0; v < 256; v++) {
            table[k * 256 + v] = ((float)v - mean) * scale;
        }
    }
}

void hf_face_to_planes(const uint8_t *pixels, int width, int height,
                       const hf_face_normalize *normalize, int planes, float *out)
{
    size_t count = (size_t)width * height;
    float table[3 * 256];

    /* An 8-bit channel has only 256 values, so a table lookup gives the same
     * floats as the formula without the per-pixel arithmetic. */
    hf_face_normalize_table(normalize, planes, table);
    for (int k = 0; k < planes; k++) {
        const uint8_t *in = pixels + normalize->order[k];
        const float *values = table + k * 256;
        float *plane = out + (size_t)k * count;

        for (size_t i = 0; i < count; i++) {
            plane[i] = values[in[3 * i]];
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
