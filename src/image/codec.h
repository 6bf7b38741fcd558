/* Private to src/image: the per-format decoders and encoders behind
 * hf_image_decode and hf_image_write_file. Decoders produce a packed
 * 3-channel BGR image. */
#ifndef HF_IMAGE_CODEC_H
#define HF_IMAGE_CODEC_H

#include <stdio.h>

#include "image/image.h"

HF_MUST_CHECK hf_status hf_image_jpeg_decode(const uint8_t *bytes, size_t size, hf_image *out);
HF_MUST_CHECK hf_status hf_image_png_decode(const uint8_t *bytes, size_t size, hf_image *out);
HF_MUST_CHECK hf_status hf_image_webp_decode(const uint8_t *bytes, size_t size, hf_image *out);
HF_MUST_CHECK hf_status hf_image_bmp_decode(const uint8_t *bytes, size_t size, hf_image *out);

/* Encoders write a 1- or 3-channel (BGR) image to an open file. */
HF_MUST_CHECK hf_status hf_image_jpeg_encode(const hf_image *image, FILE *file, int quality);
HF_MUST_CHECK hf_status hf_image_png_encode(const hf_image *image, FILE *file);
HF_MUST_CHECK hf_status hf_image_bmp_encode(const hf_image *image, FILE *file);

#endif
