/* Helpers shared by the model-level face tests: the faceplugin models from
 * models/ and frames built from the raw NV21 test images. */
#ifndef HF_TESTS_FACE_FIXTURE_H
#define HF_TESTS_FACE_FIXTURE_H

#include <stdint.h>

#include "face/face.h"

/* Reads a whole file; returns NULL (after printing why) on failure. */
void *face_fixture_read(const char *path, size_t *size);

/* Fills `spec` with the defaults and the model bytes from models/; returns
 * 0 on success. Free with face_fixture_spec_free. */
int face_fixture_spec(hf_face_pack_spec *spec);
void face_fixture_spec_free(hf_face_pack_spec *spec);

/* Loads the luma plane of an NV21 file under data/images as a grey BGR
 * buffer (w x h x 3) and describes it, turned upright, as a frame with
 * `quarter_turns`. Returns the buffers to free (both in *owned). */
int face_fixture_nv21_frame(const char *name, int width, int height, int quarter_turns,
                            hf_face_frame *frame, uint8_t **owned);

#endif
