/* The hf_image type: allocation, views, regions, copies and the eight
 * orientations (EXIF and stream rotations share one remapping routine). */
#include "image/image.h"

#include <stddef.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"

static hf_status check_size(int width, int height, int channels)
{
    if (width <= 0 || height <= 0 || channels < 1 || channels > 4) {
        HF_LOGE("invalid image size %dx%d with %d channels", width, height, channels);
        return HF_ERR_INVALID_ARG;
    }
    if (width > HF_IMAGE_MAX_SIDE || height > HF_IMAGE_MAX_SIDE
        || (long)width * height > HF_IMAGE_MAX_PIXELS) {
        HF_LOGE("image size %dx%d exceeds the limit of %d per side and %ld pixels", width,
                height, HF_IMAGE_MAX_SIDE, HF_IMAGE_MAX_PIXELS);
        return HF_ERR_RANGE;
    }
    return HF_OK;
}

hf_status hf_image_create(int width, int height, int channels, hf_image *out)
{
    hf_status status = check_size(width, height, channels);
    uint8_t *pixels;

    if (status != HF_OK)
        return status;
    pixels = hf_malloc((size_t)width * (size_t)height * (size_t)channels);
    if (pixels == NULL) {
        HF_LOGE("out of memory for a %dx%dx%d image", width, height, channels);
        return HF_ERR_NO_MEMORY;
    }
    out->data = pixels;
    out->width = width;
    out->height = height;
    out->channels = channels;
    out->stride = width * channels;
    out->owned = pixels;
    return HF_OK;
}

void hf_image_release(hf_image *image)
{
    if (image == NULL)
        return;
    hf_free(image->owned);
    memset(image, 0, sizeof(*image));
}

hf_status hf_image_view(uint8_t *data, int width, int height, int channels, int stride,
                        hf_image *out)
{
    hf_status status = check_size(width, height, channels);

    if (status != HF_OK)
        return status;
    if (data == NULL || stride < width * channels) {
        HF_LOGE("invalid image view: data %p, stride %d for %dx%dx%d", (void *)data, stride,
                width, height, channels);
        return HF_ERR_INVALID_ARG;
    }
    out->data = data;
    out->width = width;
    out->height = height;
    out->channels = channels;
    out->stride = stride;
    out->owned = NULL;
    return HF_OK;
}

hf_status hf_image_region(const hf_image *image, int x, int y, int width, int height,
                          hf_image *out)
{
    if (width <= 0 || height <= 0 || x < 0 || y < 0 || x > image->width - width
        || y > image->height - height) {
        HF_LOGE("region (%d, %d, %d, %d) is empty or outside the %dx%d image", x, y, width,
                height, image->width, image->height);
        return HF_ERR_INVALID_ARG;
    }
    out->data = image->data + (size_t)y * (size_t)image->stride + (size_t)x * image->channels;
    out->width = width;
    out->height = height;
    out->channels = image->channels;
    out->stride = image->stride;
    out->owned = NULL;
    return HF_OK;
}

hf_status hf_image_copy(const hf_image *image, hf_image *out)
{
    hf_image copy;
    size_t row_bytes = (size_t)image->width * (size_t)image->channels;
    hf_status status = hf_image_create(image->width, image->height, image->channels, &copy);

    if (status != HF_OK)
        return status;
    for (int y = 0; y < image->height; y++) {
        memcpy(copy.data + (size_t)y * copy.stride, image->data + (size_t)y * image->stride,
               row_bytes);
    }
    *out = copy;
    return HF_OK;
}

hf_status hf_image_crop(const hf_image *image, int x, int y, int width, int height,
                        hf_image *out)
{
    hf_image region;
    hf_status status = hf_image_region(image, x, y, width, height, &region);

    if (status != HF_OK)
        return status;
    return hf_image_copy(&region, out);
}

/* Output pixel (u, v) reads source pixel (x, y) = (x0 + u*xu + v*xv,
 * y0 + u*yu + v*yv), with x0 and y0 given as multiples of the last column
 * and row (0 or 1) so one row of this table covers any size. */
typedef struct orientation_map {
    int swap; /* output is h x w */
    int x_last, y_last;
    int xu, xv, yu, yv;
} orientation_map;

static const orientation_map ORIENTATIONS[9] = {
    [1] = {0, 0, 0, 1, 0, 0, 1},
    [2] = {0, 1, 0, -1, 0, 0, 1},  /* mirror left-right */
    [3] = {0, 1, 1, -1, 0, 0, -1}, /* half turn */
    [4] = {0, 0, 1, 1, 0, 0, -1},  /* mirror top-bottom */
    [5] = {1, 0, 0, 0, 1, 1, 0},   /* transpose */
    [6] = {1, 0, 1, 0, 1, -1, 0},  /* turn clockwise */
    [7] = {1, 1, 1, 0, -1, -1, 0}, /* transverse */
    [8] = {1, 1, 0, 0, -1, 1, 0},  /* turn counter-clockwise */
};

hf_status hf_image_orient(const hf_image *src, int orientation, hf_image *out)
{
    const orientation_map *map;
    hf_image dst;
    hf_status status;
    ptrdiff_t step_u, step_v;
    const uint8_t *origin;
    int channels = src->channels;

    if (orientation < 1 || orientation > 8)
        orientation = 1;
    map = &ORIENTATIONS[orientation];
    status = hf_image_create(map->swap ? src->height : src->width,
                             map->swap ? src->width : src->height, channels, &dst);
    if (status != HF_OK)
        return status;

    origin = src->data + (ptrdiff_t)(map->y_last * (src->height - 1)) * src->stride
             + (ptrdiff_t)(map->x_last * (src->width - 1)) * channels;
    step_u = (ptrdiff_t)map->yu * src->stride + (ptrdiff_t)map->xu * channels;
    step_v = (ptrdiff_t)map->yv * src->stride + (ptrdiff_t)map->xv * channels;
    for (int v = 0; v < dst.height; v++) {
        const uint8_t *from = origin + step_v * v;
        uint8_t *to = dst.data + (size_t)v * dst.stride;

        if (channels == 3) {
            /* Fixed three-byte copies avoid a memcpy call per pixel. */
            for (int u = 0; u < dst.width; u++, from += step_u, to += 3) {
                to[0] = from[0];
                to[1] = from[1];
                to[2] = from[2];
            }
            continue;
        }
        for (int u = 0; u < dst.width; u++, from += step_u, to += channels)
            memcpy(to, from, (size_t)channels);
    }
    *out = dst;
    return HF_OK;
}
