/* libFuzzer target for the image decoders and raw pixel-format input. The
 * first byte selects what the rest is: an encoded file for hf_image_decode
 * (grey or BGR output), or a raw buffer rendered as a stream whose format,
 * rotation, width and height come from the next four bytes. */
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

static void fuzz_raw(const uint8_t *data, size_t size)
{
    hf_image_stream stream;
    hf_image out;
    size_t needed;
    int format, rotation, width, height;

    if (size < 4)
        return;
    format = data[0] % HF_PIXEL_FORMAT_COUNT;
    rotation = data[1] % 4;
    width = 1 + data[2] % 64;
    height = 1 + data[3] % 64;
    data += 4;
    size -= 4;
    if (hf_pixel_format_size(format, width, height, &needed) != HF_OK || needed > size)
        return;
    if (hf_image_stream_init(&stream, data, width, height, format, rotation) != HF_OK)
        return;
    if (hf_image_stream_render(&stream, 1, 0.75f, &out) == HF_OK)
        hf_image_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_image image;

    if (size < 1)
        return 0;
    if (data[0] & 1) {
        fuzz_raw(data + 1, size - 1);
        return 0;
    }
    if (hf_image_decode(data + 1, size - 1, data[0] & 2 ? 1 : 3, &image) == HF_OK)
        hf_image_release(&image);
    return 0;
}
