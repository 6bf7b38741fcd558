/* Uncompressed Windows BMP files. Decoding accepts BITMAPINFOHEADER (or
 * a later, longer header) with 8-bit paletted, 24-bit or 32-bit pixels and
 * no compression (BI_RGB), stored bottom-up or top-down (negative height).
 * Encoding writes 24-bit BGR or 8-bit grey with a grey palette. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "image/codec.h"

#define BMP_FILE_HEADER_BYTES 14
#define BMP_INFO_HEADER_BYTES 40
#define BMP_COMPRESSION_NONE 0

static unsigned read16(const uint8_t *at)
{
    return (unsigned)(at[0] | at[1] << 8);
}

static uint32_t read32(const uint8_t *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16
           | (uint32_t)at[3] << 24;
}

/* The fields of the headers that decoding needs. */
typedef struct bmp_layout {
    int width;
    int height;
    int top_down;
    int bits;
    size_t pixel_offset;
    size_t row_bytes;
    const uint8_t *palette;
    int palette_entries;
} bmp_layout;

static hf_status read_layout(const uint8_t *bytes, size_t size, bmp_layout *layout)
{
    uint32_t info_bytes, palette_used;
    int32_t width, height;
    size_t palette_offset, rows;

    if (size < BMP_FILE_HEADER_BYTES + BMP_INFO_HEADER_BYTES) {
        HF_LOGE("BMP of %zu bytes is too short for its headers", size);
        return HF_ERR_FORMAT;
    }
    info_bytes = read32(bytes + 14);
    width = (int32_t)read32(bytes + 18);
    height = (int32_t)read32(bytes + 22);
    layout->bits = (int)read16(bytes + 28);
    if (info_bytes < BMP_INFO_HEADER_BYTES || read32(bytes + 30) != BMP_COMPRESSION_NONE
        || (layout->bits != 8 && layout->bits != 24 && layout->bits != 32)) {
        HF_LOGE("BMP with a %u-byte header, compression %u and %d bits per pixel is not "
                "supported; only uncompressed 8, 24 and 32-bit files are",
                (unsigned)info_bytes, (unsigned)read32(bytes + 30), layout->bits);
        return HF_ERR_UNSUPPORTED;
    }
    if (width <= 0 || height == 0 || height == INT32_MIN || width > HF_IMAGE_MAX_SIDE
        || height > HF_IMAGE_MAX_SIDE || height < -HF_IMAGE_MAX_SIDE) {
        HF_LOGE("BMP size %ldx%ld is invalid", (long)width, (long)height);
        return HF_ERR_FORMAT;
    }
    layout->width = (int)width;
    layout->height = height < 0 ? (int)-height : (int)height;
    layout->top_down = height < 0;
    layout->pixel_offset = read32(bytes + 10);
    layout->row_bytes = ((size_t)layout->bits * (size_t)layout->width + 31) / 32 * 4;
    rows = layout->row_bytes * (size_t)layout->height;
    if (layout->pixel_offset > size || rows > size - layout->pixel_offset) {
        HF_LOGE("BMP pixel data (%zu bytes at offset %zu) runs past the end of %zu bytes",
                rows, layout->pixel_offset, size);
        return HF_ERR_FORMAT;
    }

    layout->palette = NULL;
    layout->palette_entries = 0;
    if (layout->bits == 8) {
        palette_used = read32(bytes + 46);
        layout->palette_entries = palette_used == 0 || palette_used > 256 ? 256
                                                                           : (int)palette_used;
        palette_offset = BMP_FILE_HEADER_BYTES + (size_t)info_bytes;
        if (palette_offset > size || (size_t)layout->palette_entries * 4 > size - palette_offset) {
            HF_LOGE("BMP palette of %d entries runs past the end of %zu bytes",
                    layout->palette_entries, size);
            return HF_ERR_FORMAT;
        }
        layout->palette = bytes + palette_offset;
    }
    return HF_OK;
}

static void decode_row(const uint8_t *in, const bmp_layout *layout, uint8_t *out)
{
    for (int x = 0; x < layout->width; x++, out += 3) {
        const uint8_t *pixel;

        if (layout->bits == 8) {
            int index = in[x] < layout->palette_entries ? in[x] : 0;

            pixel = layout->palette + 4 * index;
        } else {
            pixel = in + (size_t)x * (size_t)(layout->bits / 8);
        }
        out[0] = pixel[0];
        out[1] = pixel[1];
        out[2] = pixel[2];
    }
}

hf_status hf_image_bmp_decode(const uint8_t *bytes, size_t size, hf_image *out)
{
    bmp_layout layout;
    hf_image image;
    hf_status status = read_layout(bytes, size, &layout);

    if (status != HF_OK)
        return status;
    status = hf_image_create(layout.width, layout.height, 3, &image);
    if (status != HF_OK)
        return status;
    for (int y = 0; y < layout.height; y++) {
        int stored = layout.top_down ? y : layout.height - 1 - y;
        const uint8_t *row = bytes + layout.pixel_offset + (size_t)stored * layout.row_bytes;

        decode_row(row, &layout, image.data + (size_t)y * image.stride);
    }
    *out = image;
    return HF_OK;
}

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

