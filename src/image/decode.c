/* Decoding entry points: the codec is identified from the first bytes,
 * never from a file name, and the BGR result is turned into grey when the
 * caller asks for one channel. WebP is decoded here, and JPEG and PNG
 * have their own files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <webp/decode.h>

#include "base/alloc.h"
#include "base/log.h"
#include "image/codec.h"

/* Files larger than this are rejected before reading: no accepted image
 * needs more, because HF_IMAGE_MAX_PIXELS BGR pixels fill 768 MiB. */
#define MAX_FILE_BYTES (1L << 30)

hf_image_codec hf_image_codec_sniff(const uint8_t *bytes, size_t size)
{
    static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    if (bytes == NULL)
        return HF_IMAGE_CODEC_UNKNOWN;
    if (size >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff)
        return HF_IMAGE_CODEC_JPEG;
    if (size >= 8 && memcmp(bytes, png_magic, 8) == 0)
        return HF_IMAGE_CODEC_PNG;
    if (size >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WEBP", 4) == 0)
        return HF_IMAGE_CODEC_WEBP;
    if (size >= 2 && bytes[0] == 'B' && bytes[1] == 'M')
        return HF_IMAGE_CODEC_BMP;
    return HF_IMAGE_CODEC_UNKNOWN;
}

hf_status hf_image_webp_decode(const uint8_t *bytes, size_t size, hf_image *out)
{
    int width = 0;
    int height = 0;
    hf_image image;
    hf_status status;

    if (!WebPGetInfo(bytes, size, &width, &height)) {
        HF_LOGE("WebP header of %zu bytes is invalid", size);
        return HF_ERR_FORMAT;
    }
    status = hf_image_create(width, height, 3, &image);
    if (status != HF_OK)
        return status;
    if (WebPDecodeBGRInto(bytes, size, image.data, (size_t)image.stride * (size_t)height,
                          image.stride) == NULL) {
        HF_LOGE("WebP data of %dx%d is corrupt, truncated or animated", width, height);
        hf_image_release(&image);
        return HF_ERR_FORMAT;
    }
    *out = image;
    return HF_OK;
}

static hf_status decode_bgr(const uint8_t *bytes, size_t size, hf_image *out)
{
    switch (hf_image_codec_sniff(bytes, size)) {
    case HF_IMAGE_CODEC_JPEG: return hf_image_jpeg_decode(bytes, size, out);
    case HF_IMAGE_CODEC_PNG: return hf_image_png_decode(bytes, size, out);
    case HF_IMAGE_CODEC_WEBP: return hf_image_webp_decode(bytes, size, out);
    case HF_IMAGE_CODEC_BMP: return hf_image_bmp_decode(bytes, size, out);
    default:
        HF_LOGE("unknown image format (%zu bytes): expected JPEG, PNG, WebP or BMP", size);
        return HF_ERR_UNSUPPORTED;
    }
}

hf_status hf_image_decode(const uint8_t *bytes, size_t size, int channels, hf_image *out)
{
    hf_image bgr;
    hf_image grey;
    hf_status status;

    if (bytes == NULL || (channels != 1 && channels != 3)) {
        HF_LOGE("invalid decode request: bytes %p, channels %d", (const void *)bytes, channels);
        return HF_ERR_INVALID_ARG;
    }
    status = decode_bgr(bytes, size, &bgr);
    if (status != HF_OK || channels == 3) {
        if (status == HF_OK)
            *out = bgr;
        return status;
    }
    status = hf_image_create(bgr.width, bgr.height, 1, &grey);
    if (status == HF_OK) {
        hf_image_bgr_to_grey(&bgr, &grey);
        *out = grey;
    }
    hf_image_release(&bgr);
    return status;
}

/* Opens `path` only when it is a regular file, because a directory reports
 * a meaningless size. O_NONBLOCK keeps the open of a FIFO from waiting
 * forever for a writer and does not change reads of a regular file. */
static hf_status open_regular(const char *path, FILE **out, long *length)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat info;
    FILE *file;

    if (fd < 0) {
        HF_LOGE("cannot open image file %s: %s", path, strerror(errno));
        return HF_ERR_IO;
    }
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        HF_LOGE("image file %s is not a regular file", path);
        close(fd);
        return HF_ERR_IO;
    }
    file = fdopen(fd, "rb");
    if (file == NULL) {
        HF_LOGE("cannot open image file %s: %s", path, strerror(errno));
        close(fd);
        return HF_ERR_IO;
    }
    *out = file;
    *length = info.st_size > MAX_FILE_BYTES ? MAX_FILE_BYTES + 1 : (long)info.st_size;
    return HF_OK;
}

static hf_status read_file(const char *path, uint8_t **bytes, size_t *size)
{
    FILE *file = NULL;
    long length = 0;
    uint8_t *buffer = NULL;
    hf_status status = open_regular(path, &file, &length);

    if (status != HF_OK) {
        return status;
    }
    status = HF_ERR_IO;
    if (length == 0 || length > MAX_FILE_BYTES) {
        HF_LOGE("image file %s is empty or larger than %ld bytes", path, MAX_FILE_BYTES);
        status = length == 0 ? HF_ERR_FORMAT : HF_ERR_RANGE;
        goto cleanup;
    }
    buffer = hf_malloc((size_t)length);
    if (buffer == NULL) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    if (fread(buffer, 1, (size_t)length, file) != (size_t)length) {
        HF_LOGE("short read from image file %s", path);
        hf_free(buffer);
        goto cleanup;
    }
    *bytes = buffer;
    *size = (size_t)length;
    status = HF_OK;

cleanup:
    fclose(file);
    return status;
}

hf_status hf_image_decode_file(const char *path, int channels, hf_image *out)
{
    uint8_t *bytes;
    size_t size;
    hf_status status;

    if (path == NULL) {
        HF_LOGE("image file path is NULL");
        return HF_ERR_INVALID_ARG;
    }
    status = read_file(path, &bytes, &size);
    if (status != HF_OK)
        return status;
    status = hf_image_decode(bytes, size, channels, out);
    if (status != HF_OK)
        HF_LOGE("cannot decode image file %s: %s", path, hf_status_message(status));
    hf_free(bytes);
    return status;
}
