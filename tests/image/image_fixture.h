/* Helpers shared by the image tests: test-data paths, whole-file reads and
 * per-channel image differences. */
#ifndef HF_TESTS_IMAGE_FIXTURE_H
#define HF_TESTS_IMAGE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* Writes HF_SHARED_DIR/data/images/<name> into `path` (`size` bytes). */
void image_fixture_path(const char *name, char *path, size_t size);

/* Reads a whole file into exactly `*size` bytes of heap memory (so ASan
 * reports any read past the end); returns NULL after printing why. Free
 * with free(). */
uint8_t *image_fixture_read(const char *path, size_t *size);

/* Returns the mean absolute difference of channel `channel` between two
 * images of the same size, or -1 when the sizes differ. */
double image_fixture_mad(const hf_image *a, const hf_image *b, int channel);

/* Fills a w x h BGR image (w, h even, at least 4) with mid grey and gives
 * its four corner 2x2 blocks distinct colours: top-left blue, top-right
 * green, bottom-left red, bottom-right white. The blocks match the 2x2
 * chroma blocks of YUV formats. */
void image_fixture_corners(hf_image *bgr);

#endif
