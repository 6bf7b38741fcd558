/* Image streams, bitmaps and the image debug calls. A stream handle is a
 * registered hf_image_stream that points at the caller's pixels, and a
 * bitmap handle is a registered hf_image that owns packed BGR or grey pixels. */
#include <math.h>
#include <string.h>

#include "api/api_internal.h"
#include "api/stream.h"
#include "base/alloc.h"
#include "image/image.h"

hf_image_stream *hf_api_stream_get(HFImageStream handle)
{
    return hf_registry_contains(HF_HANDLE_STREAM, handle) ? (hf_image_stream *)handle : NULL;
}

static hf_image *bitmap_get(HFImageBitmap handle)
{
    return hf_registry_contains(HF_HANDLE_BITMAP, handle) ? (hf_image *)handle : NULL;
}

/* Copies `object` to the heap and registers it. `*handle` is written only
 * on success. `failure` is returned when memory runs out. */
static HResult register_copy(hf_handle_kind kind, const void *object, size_t size,
                             void **handle, HResult failure)
{
    void *copy = hf_malloc(size);

    if (copy == NULL) {
        HF_LOGE("out of memory for a new handle");
        return failure;
    }
    memcpy(copy, object, size);
    if (hf_registry_add(kind, copy) != HF_OK) {
        HF_LOGE("cannot register a new handle");
        hf_free(copy);
        return failure;
    }
    *handle = copy;
    return HSUCCEED;
}

/* Registers `image` as a bitmap. On failure the image is released. */
static HResult register_bitmap(hf_image *image, PHFImageBitmap handle)
{
    void *object;
    HResult code = register_copy(HF_HANDLE_BITMAP, image, sizeof(*image), &object,
                                 HERR_INVALID_IMAGE_BITMAP_HANDLE);

    if (code != HSUCCEED) {
        hf_image_release(image);
        return code;
    }
    *handle = (HFImageBitmap)object;
    return HSUCCEED;
}

/* ---- Image streams ---------------------------------------------------- */

HResult HFCreateImageStream(PHFImageData data, PHFImageStream handle)
{
    hf_image_stream stream;
    void *object;
    HResult code;

    if (data == NULL || handle == NULL) {
        HF_LOGE("%s: data %p or handle %p is NULL", __func__, (void *)data, (void *)handle);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    /* hf_image_stream_init logs the rejected value. */
    if (hf_image_stream_init(&stream, data->data, data->width, data->height, (int)data->format,
                             (int)data->rotation) != HF_OK)
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    code = register_copy(HF_HANDLE_STREAM, &stream, sizeof(stream), &object, HERR_UNKNOWN);
    if (code == HSUCCEED)
        *handle = (HFImageStream)object;
    return code;
}

HResult HFCreateImageStreamEmpty(PHFImageStream handle)
{
    hf_image_stream stream = {.data = NULL, .format = HF_PIXEL_NV21, .rotation = 0};
    void *object;
    HResult code;

    if (handle == NULL) {
        HF_LOGE("%s: handle is NULL", __func__);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    code = register_copy(HF_HANDLE_STREAM, &stream, sizeof(stream), &object, HERR_UNKNOWN);
    if (code == HSUCCEED)
        *handle = (HFImageStream)object;
    return code;
}

static hf_image_stream *stream_or_log(const char *function, HFImageStream handle)
{
    hf_image_stream *stream = hf_api_stream_get(handle);

    if (stream == NULL)
        HF_LOGE("%s: %p is not a live image stream", function, (void *)handle);
    return stream;
}

HResult HFImageStreamSetBuffer(HFImageStream handle, HPUInt8 buffer, HInt32 width, HInt32 height)
{
    hf_image_stream *stream = stream_or_log(__func__, handle);
    hf_image_stream updated;

    if (stream == NULL)
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    if (hf_image_stream_init(&updated, buffer, width, height, stream->format,
                             stream->rotation) != HF_OK)
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    *stream = updated;
    return HSUCCEED;
}

HResult HFImageStreamSetRotation(HFImageStream handle, HFRotation rotation)
{
    hf_image_stream *stream = stream_or_log(__func__, handle);
    int value = (int)rotation;

    if (stream == NULL)
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    stream->rotation = value >= 1 && value <= 3 ? value : 0;
    return HSUCCEED;
}

HResult HFImageStreamSetFormat(HFImageStream handle, HFImageFormat format)
{
    hf_image_stream *stream = stream_or_log(__func__, handle);

    if (stream == NULL)
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    if (!hf_pixel_format_valid((int)format)) {
        HF_LOGE("%s: unknown image format %d", __func__, (int)format);
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    }
    stream->format = (int)format;
    return HSUCCEED;
}

HResult HFReleaseImageStream(HFImageStream streamHandle)
{
    if (!hf_registry_remove(HF_HANDLE_STREAM, streamHandle)) {
        HF_LOGE("%s: %p is not a live image stream", __func__, (void *)streamHandle);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    hf_free(streamHandle);
    return HSUCCEED;
}

/* ---- Bitmaps ---------------------------------------------------------- */

HResult HFCreateImageBitmap(PHFImageBitmapData data, PHFImageBitmap handle)
{
    hf_image view;
    hf_image copy;

    if (data == NULL || handle == NULL) {
        HF_LOGE("%s: data %p or handle %p is NULL", __func__, (void *)data, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    if ((data->channels != 1 && data->channels != 3) || data->data == NULL
        || data->width <= 0 || data->height <= 0) {
        HF_LOGE("%s: invalid bitmap data %p, %dx%d, %d channels", __func__, (void *)data->data,
                data->width, data->height, data->channels);
        return HERR_INVALID_PARAM;
    }
    if (hf_image_view(data->data, data->width, data->height, data->channels,
                      data->width * data->channels, &view) != HF_OK)
        return HERR_INVALID_PARAM;
    if (hf_image_copy(&view, &copy) != HF_OK)
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    return register_bitmap(&copy, handle);
}

HResult HFCreateImageBitmapFromFilePath(HPath filePath, HInt32 channels, PHFImageBitmap handle)
{
    hf_image image;

    if (handle == NULL || filePath == NULL) {
        HF_LOGE("%s: path %p or handle %p is NULL", __func__, (const void *)filePath,
                (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    if (channels != 1 && channels != 3) {
        HF_LOGE("%s: channels must be 1 or 3, got %d", __func__, channels);
        return HERR_INVALID_PARAM;
    }
    if (hf_image_decode_file(filePath, channels, &image) != HF_OK)
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    return register_bitmap(&image, handle);
}

HResult HFImageBitmapCopy(HFImageBitmap handle, PHFImageBitmap copyHandle)
{
    hf_image *bitmap = bitmap_get(handle);
    hf_image copy;

    if (bitmap == NULL || copyHandle == NULL) {
        HF_LOGE("%s: bitmap %p is not live or copyHandle is NULL", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    if (hf_image_copy(bitmap, &copy) != HF_OK)
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    return register_bitmap(&copy, copyHandle);
}

HResult HFReleaseImageBitmap(HFImageBitmap handle)
{
    if (!hf_registry_remove(HF_HANDLE_BITMAP, handle)) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    hf_image_release((hf_image *)handle);
    hf_free(handle);
    return HSUCCEED;
}

HResult HFCreateImageStreamFromImageBitmap(HFImageBitmap handle, HFRotation rotation,
                                           PHFImageStream streamHandle)
{
    hf_image *bitmap;
    HFImageData data;

    if (handle == NULL || streamHandle == NULL) {
        HF_LOGE("%s: bitmap %p or streamHandle %p is NULL", __func__, (void *)handle,
                (void *)streamHandle);
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    }
    bitmap = bitmap_get(handle);
    if (bitmap == NULL) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    data.data = bitmap->data;
    data.width = bitmap->width;
    data.height = bitmap->height;
    data.format = bitmap->channels == 1 ? HF_STREAM_GRAY : HF_STREAM_BGR;
    data.rotation = rotation;
    return HFCreateImageStream(&data, streamHandle);
}

HResult HFCreateImageBitmapFromImageStreamProcess(HFImageStream streamHandle,
                                                  PHFImageBitmap handle, HInt32 is_rotate,
                                                  HFloat scale)
{
    hf_image_stream *stream;
    hf_image rendered;
    hf_status status;

    if (streamHandle == NULL || handle == NULL) {
        HF_LOGE("%s: stream %p or handle %p is NULL", __func__, (void *)streamHandle,
                (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    stream = stream_or_log(__func__, streamHandle);
    if (stream == NULL)
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    if (!(scale > 0.0f)) {
        HF_LOGE("%s: scale must be positive, got %g", __func__, (double)scale);
        return HERR_INVALID_PARAM;
    }
    status = hf_image_stream_render(stream, is_rotate != 0, scale, &rendered);
    if (status == HF_ERR_STATE)
        return HERR_INVALID_IMAGE_STREAM_PARAM;
    if (status != HF_OK)
        return hf_api_status_code(status, HERR_INVALID_IMAGE_BITMAP_HANDLE);
    return register_bitmap(&rendered, handle);
}

HResult HFImageBitmapWriteToFile(HFImageBitmap handle, HPath filePath)
{
    hf_image *bitmap = bitmap_get(handle);

    if (bitmap == NULL) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    if (hf_image_write_file(bitmap, filePath) != HF_OK)
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    return HSUCCEED;
}

/* Rounds HColor's 0..255 float components into channels 0, 1, 2. */
static hf_image_color color_convert(HColor color)
{
    float parts[3] = {color.r, color.g, color.b};
    hf_image_color converted;

    for (int i = 0; i < 3; i++) {
        float value = parts[i];

        if (!(value > 0.0f))
            value = 0.0f;
        converted.value[i] = (uint8_t)(value >= 255.0f ? 255 : (int)(value + 0.5f));
    }
    return converted;
}

HResult HFImageBitmapDrawRect(HFImageBitmap handle, HFaceRect rect, HColor color,
                              HInt32 thickness)
{
    hf_image *bitmap = bitmap_get(handle);

    if (bitmap == NULL) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    hf_image_draw_rect(bitmap, rect.x, rect.y, rect.width, rect.height, color_convert(color),
                       thickness);
    return HSUCCEED;
}

HResult HFImageBitmapDrawCircle(HFImageBitmap handle, HPoint2i point, HInt32 radius,
                                HColor color, HInt32 thickness)
{
    hf_image *bitmap = bitmap_get(handle);

    if (bitmap == NULL) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    hf_image_draw_circle(bitmap, point.x, point.y, radius, color_convert(color), thickness);
    return HSUCCEED;
}

/* Truncates toward zero like a C cast, bounded so the cast stays defined.
 * Anything that far away is outside every bitmap anyway. */
static int coordinate_truncate(float value)
{
    const float limit = 1e9f;

    if (value > limit)
        return (int)limit;
    if (value < -limit)
        return -(int)limit;
    return (int)value;
}

HResult HFImageBitmapDrawCircleF(HFImageBitmap handle, HPoint2f point, HInt32 radius,
                                 HColor color, HInt32 thickness)
{
    HPoint2i centre;

    if (isnan(point.x) || isnan(point.y)) {
        HF_LOGE("%s: the centre is not a number", __func__);
        return bitmap_get(handle) ? HERR_INVALID_PARAM : HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    centre.x = coordinate_truncate(point.x);
    centre.y = coordinate_truncate(point.y);
    return HFImageBitmapDrawCircle(handle, centre, radius, color, thickness);
}

HResult HFImageBitmapGetData(HFImageBitmap handle, PHFImageBitmapData data)
{
    hf_image *bitmap = bitmap_get(handle);

    if (bitmap == NULL || data == NULL) {
        HF_LOGE("%s: bitmap %p is not live or data is NULL", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    data->data = bitmap->data;
    data->width = bitmap->width;
    data->height = bitmap->height;
    data->channels = bitmap->channels;
    return HSUCCEED;
}

HResult HFImageBitmapShow(HFImageBitmap handle, HString title, HInt32 delay)
{
    (void)delay;
    if (bitmap_get(handle) == NULL) {
        HF_LOGE("%s: %p is not a live bitmap", __func__, (void *)handle);
        return HERR_INVALID_IMAGE_BITMAP_HANDLE;
    }
    HF_LOGW("%s: this library has no GUI, so bitmap \"%s\" is not shown; write it to a file "
            "with HFImageBitmapWriteToFile instead", __func__, title ? title : "");
    return HSUCCEED;
}

/* ---- Debug ------------------------------------------------------------ */

/* NOTE: InspireFace builds without a GUI write the image to tmp.jpg in the
 * working directory. This one only logs, so the call never touches files
 * the caller did not name. */
void HFDeBugImageStreamImShow(HFImageStream streamHandle)
{
    if (stream_or_log(__func__, streamHandle) == NULL)
        return;
    HF_LOGW("%s: this library has no GUI, so the stream is not shown; save it with "
            "HFDeBugImageStreamDecodeSave instead", __func__);
}

HResult HFDeBugImageStreamDecodeSave(HFImageStream streamHandle, HPath savePath)
{
    hf_image_stream *stream = stream_or_log(__func__, streamHandle);
    hf_image rendered;
    hf_status status;

    if (stream == NULL)
        return HERR_INVALID_IMAGE_STREAM_HANDLE;
    if (hf_image_stream_render(stream, 1, 1.0f, &rendered) != HF_OK)
        return HERR_IMAGE_STREAM_DECODE_FAILED;
    status = hf_image_write_file(&rendered, savePath);
    hf_image_release(&rendered);
    return status == HF_OK ? HSUCCEED : HERR_IMAGE_STREAM_DECODE_FAILED;
}
