/* Helpers of the integration tests: the launched default pack, images
 * decoded through the public API, and faces found in them. */
#ifndef HF_TESTS_INTEGRATION_H
#define HF_TESTS_INTEGRATION_H

#include "inspireface.h"

/* Launches the default pack; 0 on success. */
int it_launch(void);

/* Decodes data/images/NAME into a BGR bitmap and a stream with `rotation`. */
typedef struct it_image {
    HFImageBitmap bitmap;
    HFImageStream stream;
    HFImageBitmapData data;
} it_image;

void it_image_open(const char *name, HFRotation rotation, it_image *image);
void it_image_close(it_image *image);

/* Creates an always-detect session with HF_ENABLE_* `features`. */
HFSession it_session(HOption features, int max_faces);

/* Runs detection and returns the face count; the results stay in `faces`. */
int it_detect(HFSession session, HFImageStream stream, HFMultipleFaceData *faces);

/* Extracts the feature of face `index` of the last detection. */
void it_feature(HFSession session, HFImageStream stream, const HFMultipleFaceData *faces,
                int index, float *feature);

/* Returns the cosine of two 512-float features. */
float it_cosine(const float *a, const float *b);

/* Checks that every value is finite, failing the test with its index. */
void it_expect_finite(const float *values, int count, const char *what);

/* Maps a buffer point of a w x h buffer turned by `rotation` to the upright
 * view (0, 90, 180, 270 as HF_CAMERA_ROTATION_*). */
void it_to_upright(int rotation, int width, int height, float x, float y, float *u, float *v);

#endif
