/* The face token: a self-contained byte blob describing one face, readable
 * from any thread and by any session.
 *
 * The layout is InspireFace's (a raw copy of its face struct on 64-bit
 * platforms, 1008 bytes) so that tokens saved by InspireFace programs can be
 * read. Our landmarks fill the start of its 106-point array, and their count
 * is stored in the 4 bytes of padding at the end. A token whose count there
 * is out of range is read as an InspireFace token of 106 points.
 *
 *   0 track state, 4 index in the track output, 8 track id, 12 track count,
 *   16 rect (x, y, width, height; int32), 32 crop transform (6 doubles),
 *   80 five key points (float x, y), 120 roll, yaw, pitch (floats),
 *   132 five key-point quality values, 152 landmarks (106 x float x, y),
 *   1000 landmarks-present flag, 1004 landmark count. */
#ifndef HF_FACE_TOKEN_H
#define HF_FACE_TOKEN_H

#include <stddef.h>

#include "base/status.h"
#include "face/geometry.h"

#define HF_FACE_TOKEN_SIZE 1008
#define HF_FACE_TOKEN_MAX_LANDMARKS 106

/* Everything a token carries, unpacked. */
typedef struct hf_face_info {
    int track_state; /* -1 lost, 0 detected, 1 ready, 2 tracking */
    int index;
    int track_id;
    int track_count;
    hf_face_rect rect;
    double transform[6];
    float key_points[2 * HF_FACE_KEY_POINT_COUNT];
    float roll;
    float yaw;
    float pitch;
    float quality[HF_FACE_KEY_POINT_COUNT];
    int landmark_count; /* 0 when the token has no landmarks */
    float landmarks[2 * HF_FACE_TOKEN_MAX_LANDMARKS];
} hf_face_info;

/* Writes the HF_FACE_TOKEN_SIZE bytes of `info`; a landmark count above
 * HF_FACE_TOKEN_MAX_LANDMARKS is stored as that maximum. */
void hf_face_token_encode(const hf_face_info *info, unsigned char *bytes);

/* Reads a token. Fails with HF_ERR_FORMAT when `size` is below
 * HF_FACE_TOKEN_SIZE (extra bytes are ignored), HF_ERR_INVALID_ARG for NULL. */
HF_MUST_CHECK hf_status hf_face_token_decode(const void *bytes, size_t size, hf_face_info *info);

#endif
