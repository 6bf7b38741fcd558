/* Image streams: a caller's buffer with a pixel format and a rotation,
 * rendered as an upright BGR image, and the coordinate mapping between the
 * upright view and the buffer. */
#include "image/image.h"

#include <math.h>

#include "base/log.h"

hf_status hf_image_stream_init(hf_image_stream *stream, const uint8_t *data, int width,
                               int height, int format, int rotation)
{
    size_t bytes;
    hf_status status;

    if (data == NULL) {
        HF_LOGE("image stream data is NULL (%dx%d %s)", width, height,
                hf_pixel_format_name(format));
        return HF_ERR_INVALID_ARG;
    }
    status = hf_pixel_format_size(format, width, height, &bytes);
    if (status != HF_OK)
        return status;
    stream->data = data;
    stream->width = width;
    stream->height = height;
    stream->format = format;
    stream->rotation = rotation >= 1 && rotation <= 3 ? rotation : 0;
    return HF_OK;
}

void hf_image_stream_upright_size(const hf_image_stream *stream, int *width, int *height)
{
    int swap = stream->rotation == 1 || stream->rotation == 3;

    *width = swap ? stream->height : stream->width;
    *height = swap ? stream->width : stream->height;
}

/* Converts the buffer to BGR, turned upright when `upright` is nonzero. A
 * BGR buffer that needs no turn is viewed in place. */
static hf_status render_bgr(const hf_image_stream *stream, int upright, hf_image *out)
{
    int rotation = upright ? stream->rotation : 0;
    int turned = rotation == 1 || rotation == 3;
    hf_image bgr;
    hf_status status;

    if (stream->data == NULL) {
        HF_LOGE("image stream has no buffer; set one before use");
        return HF_ERR_STATE;
    }
    if (stream->format == HF_PIXEL_BGR && rotation == 0) {
        /* The view never writes: the cast only fits hf_image's field type. */
        return hf_image_view((uint8_t *)stream->data, stream->width, stream->height, 3,
                             stream->width * 3, out);
    }
    status = hf_image_create(turned ? stream->height : stream->width,
                             turned ? stream->width : stream->height, 3, &bgr);
    if (status != HF_OK)
        return status;
    status = hf_image_convert_upright(stream->data, stream->format, stream->width,
                                      stream->height, rotation, &bgr);
    if (status != HF_OK) {
        hf_image_release(&bgr);
        return status;
    }
    *out = bgr;
    return HF_OK;
}

hf_status hf_image_stream_upright(const hf_image_stream *stream, hf_image *out)
{
    return render_bgr(stream, 1, out);
}

hf_status hf_image_stream_render(const hf_image_stream *stream, int upright, float scale,
                                 hf_image *out)
{
    hf_image source;
    hf_image scaled;
    hf_status status;
    int width, height;

    if (!(scale > 0.0f) || !isfinite(scale)) {
        HF_LOGE("invalid render scale %g", (double)scale);
        return HF_ERR_INVALID_ARG;
    }
    status = render_bgr(stream, upright, &source);
    if (status != HF_OK)
        return status;

    /* Checked before the casts, which would be undefined past INT_MAX. */
    if ((double)source.width * scale > HF_IMAGE_MAX_SIDE
        || (double)source.height * scale > HF_IMAGE_MAX_SIDE) {
        HF_LOGE("scale %g turns %dx%d into more than %d pixels per side", (double)scale,
                source.width, source.height, HF_IMAGE_MAX_SIDE);
        status = HF_ERR_RANGE;
        goto cleanup;
    }
    width = (int)((double)source.width * scale);
    height = (int)((double)source.height * scale);
    if (width == source.width && height == source.height) {
        if (source.owned != NULL) {
            *out = source;
            return HF_OK;
        }
        return hf_image_copy(&source, out);
    }
    if (width < 1 || height < 1) {
        HF_LOGE("scale %g turns %dx%d into an empty image", (double)scale, source.width,
                source.height);
        status = HF_ERR_INVALID_ARG;
        goto cleanup;
    }
    status = hf_image_create(width, height, 3, &scaled);
    if (status != HF_OK)
        goto cleanup;
    status = hf_image_resize(&source, &scaled);
    if (status != HF_OK) {
        hf_image_release(&scaled);
        goto cleanup;
    }
    *out = scaled;

cleanup:
    hf_image_release(&source);
    return status;
}

void hf_image_stream_to_buffer(const hf_image_stream *stream, float u, float v, float *x,
                               float *y)
{
    float last_x = (float)(stream->width - 1);
    float last_y = (float)(stream->height - 1);

    switch (stream->rotation) {
    case 1: *x = last_x - v; *y = u; break;
    case 2: *x = last_x - u; *y = last_y - v; break;
    case 3: *x = v; *y = last_y - u; break;
    default: *x = u; *y = v; break;
    }
}

void hf_image_stream_to_upright(const hf_image_stream *stream, float x, float y, float *u,
                                float *v)
{
    float last_x = (float)(stream->width - 1);
    float last_y = (float)(stream->height - 1);

    switch (stream->rotation) {
    case 1: *u = y; *v = last_x - x; break;
    case 2: *u = last_x - x; *v = last_y - y; break;
    case 3: *u = last_y - y; *v = x; break;
    default: *u = x; *v = y; break;
    }
}

/* Maps the first and last pixel of the rectangle and spans them again. */
static hf_image_rect map_rect(const hf_image_stream *stream, hf_image_rect rect, int to_buffer)
{
    float x0, y0, x1, y1;
    hf_image_rect mapped;
    float right = rect.x + rect.width - 1.0f;
    float bottom = rect.y + rect.height - 1.0f;

    if (to_buffer) {
        hf_image_stream_to_buffer(stream, rect.x, rect.y, &x0, &y0);
        hf_image_stream_to_buffer(stream, right, bottom, &x1, &y1);
    } else {
        hf_image_stream_to_upright(stream, rect.x, rect.y, &x0, &y0);
        hf_image_stream_to_upright(stream, right, bottom, &x1, &y1);
    }
    mapped.x = fminf(x0, x1);
    mapped.y = fminf(y0, y1);
    mapped.width = fabsf(x1 - x0) + 1.0f;
    mapped.height = fabsf(y1 - y0) + 1.0f;
    return mapped;
}

hf_image_rect hf_image_stream_rect_to_buffer(const hf_image_stream *stream, hf_image_rect rect)
{
    return map_rect(stream, rect, 1);
}

hf_image_rect hf_image_stream_rect_to_upright(const hf_image_stream *stream, hf_image_rect rect)
{
    return map_rect(stream, rect, 0);
}
