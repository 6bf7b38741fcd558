/* Writing images to files, by extension, and the BMP encoder. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/log.h"
#include "image/codec.h"

#define JPEG_QUALITY 95
#define BMP_HEADER_BYTES 54
#define BMP_PALETTE_BYTES 1024

static void put16(uint8_t *at, unsigned value)
{
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *at, unsigned long value)
{
    put16(at, (unsigned)(value & 0xffff));
    put16(at + 2, (unsigned)(value >> 16));
}

/* Writes a bottom-up BMP: 24-bit BGR, or 8-bit with a grey palette. Rows
 * are padded to 4 bytes. */
hf_status hf_image_bmp_encode(const hf_image *image, FILE *file)
{
    uint8_t header[BMP_HEADER_BYTES] = {'B', 'M'};
    uint8_t palette[BMP_PALETTE_BYTES];
    size_t row_bytes = (size_t)image->width * (size_t)image->channels;
    size_t padded = (row_bytes + 3) & ~(size_t)3;
    size_t extra = image->channels == 1 ? BMP_PALETTE_BYTES : 0;
    size_t data_bytes = padded * (size_t)image->height;
    static const uint8_t zeros[3];
    int ok;

    put32(header + 2, (unsigned long)(BMP_HEADER_BYTES + extra + data_bytes));
    put32(header + 10, (unsigned long)(BMP_HEADER_BYTES + extra));
    put32(header + 14, 40);
    put32(header + 18, (unsigned long)image->width);
    put32(header + 22, (unsigned long)image->height);
    put16(header + 26, 1);
    put16(header + 28, (unsigned)(8 * image->channels));
    put32(header + 34, (unsigned long)data_bytes);
    ok = fwrite(header, 1, sizeof(header), file) == sizeof(header);
    if (ok && extra > 0) {
        for (int i = 0; i < 256; i++) {
            palette[4 * i] = palette[4 * i + 1] = palette[4 * i + 2] = (uint8_t)i;
            palette[4 * i + 3] = 0;
        }
        ok = fwrite(palette, 1, sizeof(palette), file) == sizeof(palette);
    }
    for (int y = image->height - 1; ok && y >= 0; y--) {
        ok = fwrite(image->data + (size_t)y * image->stride, 1, row_bytes, file) == row_bytes
             && fwrite(zeros, 1, padded - row_bytes, file) == padded - row_bytes;
    }
    return ok ? HF_OK : HF_ERR_IO;
}

static hf_image_codec codec_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return HF_IMAGE_CODEC_UNKNOWN;
    if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
        return HF_IMAGE_CODEC_JPEG;
    if (strcasecmp(dot, ".png") == 0)
        return HF_IMAGE_CODEC_PNG;
    if (strcasecmp(dot, ".bmp") == 0)
        return HF_IMAGE_CODEC_BMP;
    return HF_IMAGE_CODEC_UNKNOWN;
}

hf_status hf_image_write_file(const hf_image *image, const char *path)
{
    hf_image_codec codec;
    hf_status status;
    FILE *file;

    if (path == NULL || image == NULL || image->data == NULL
        || (image->channels != 1 && image->channels != 3)) {
        HF_LOGE("invalid image write request for path %s", path ? path : "(null)");
        return HF_ERR_INVALID_ARG;
    }
    codec = codec_from_path(path);
    if (codec == HF_IMAGE_CODEC_UNKNOWN) {
        HF_LOGE("cannot write %s: the extension must be .png, .jpg, .jpeg or .bmp", path);
        return HF_ERR_UNSUPPORTED;
    }
    file = fopen(path, "wb");
    if (file == NULL) {
        HF_LOGE("cannot open %s for writing: %s", path, strerror(errno));
        return HF_ERR_IO;
    }
    if (codec == HF_IMAGE_CODEC_JPEG)
        status = hf_image_jpeg_encode(image, file, JPEG_QUALITY);
    else if (codec == HF_IMAGE_CODEC_PNG)
        status = hf_image_png_encode(image, file);
    else
        status = hf_image_bmp_encode(image, file);
    if (fclose(file) != 0 && status == HF_OK)
        status = HF_ERR_IO;
    if (status != HF_OK) {
        HF_LOGE("writing %s failed", path);
        remove(path);
    }
    return status;
}
