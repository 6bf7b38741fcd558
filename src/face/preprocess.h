/* Pixel preparation for the face models: resizing a region of an 8-bit
 * image with OpenCV's INTER_LINEAR rule, the similarity warp used for
 * alignment, and conversion of 8-bit pixels into normalised float planes.
 *
 * Images are interleaved 8-bit with `channels` bytes per pixel and rows
 * `stride` bytes apart. The models were validated on pipelines that round
 * to 8 bits between steps, so every resize and warp here writes uint8. */
#ifndef HF_FACE_PREPROCESS_H
#define HF_FACE_PREPROCESS_H

#include <stdint.h>

#include "base/status.h"
#include "face/geometry.h"

/* An 8-bit interleaved image view. */
typedef struct hf_face_pixels {
    const uint8_t *data;
    int width;
    int height;
    int stride;   /* bytes between rows */
    int channels; /* 1 or 3 */
} hf_face_pixels;

/* Resizes `region` of `src` (which must lie inside it and be non-empty) to
 * dst_width x dst_height, reading only pixels inside the region: source
 * coordinate (d + 0.5) * region / dst - 0.5, clamped to the region, then
 * rounded to uint8. `dst` holds dst_width * dst_height * src->channels bytes.
 * Fails with HF_ERR_INVALID_ARG for an empty or outside region. */
HF_MUST_CHECK hf_status hf_face_resize_region(const hf_face_pixels *src, hf_face_rect region,
                                              uint8_t *dst, int dst_width, int dst_height);

/* Fills a dst_width x dst_height 3-channel image whose pixel (x, y) samples
 * `src` bilinearly at inverse * (x, y); samples outside the source are 0.
 * `inverse` maps destination to source. */
void hf_face_warp_affine(const hf_face_pixels *src, const float inverse[6], uint8_t *dst,
                         int dst_width, int dst_height);

/* Normalisation of one model input: plane k receives source channel
 * order[k] as (v - mean[k]) * scale[k]. */
typedef struct hf_face_normalize {
    int order[3];
    float mean[3];
    float scale[3];
} hf_face_normalize;

/* Fills table[k * 256 + v] with plane k's value for the 8-bit value v,
 * (v - mean[k]) * scale[k], for the first `planes` planes (at most 3). */
void hf_face_normalize_table(const hf_face_normalize *normalize, int planes, float *table);

/* Writes width * height values per plane into `planes` (planar, channel
 * count planes) from packed 3-channel pixels. */
void hf_face_to_planes(const uint8_t *pixels, int width, int height,
                       const hf_face_normalize *normalize, int planes, float *out);

/* Converts packed BGR pixels to grey, 0.299 R + 0.587 G + 0.114 B rounded
 * to the nearest integer. */
void hf_face_bgr_to_grey(const uint8_t *bgr, int count, uint8_t *grey);

#endif
