/* Face geometry that needs no model: crop rectangles derived from a
 * detector box, the five key points derived from 68 landmarks, the
 * least-squares similarity transform used for alignment, and the decoding
 * of the pose model's binned outputs.
 *
 * Coordinates are pixels, x right, y down, pixel centres at integers.
 * A 2x3 affine matrix m maps (x, y) to (m[0]x + m[1]y + m[2], m[3]x + m[4]y + m[5]). */
#ifndef HF_FACE_GEOMETRY_H
#define HF_FACE_GEOMETRY_H

#include "base/status.h"

#define HF_FACE_LANDMARK_COUNT 68
#define HF_FACE_KEY_POINT_COUNT 5
#define HF_FACE_POSE_BINS 66
#define HF_FACE_ALIGN_SIZE 112

/* A detector box in image pixels: corners and score. */
typedef struct hf_face_box {
    float x1;
    float y1;
    float x2;
    float y2;
    float score;
} hf_face_box;

/* An integer rectangle: top-left corner and size. */
typedef struct hf_face_rect {
    int x;
    int y;
    int width;
    int height;
} hf_face_rect;

/* Returns the square box every face model crops from: side = the box
 * height, centred on the box, each corner clipped to the image and
 * truncated to an integer (near an edge the square becomes a rectangle).
 * The width or height may be 0 for a degenerate box. */
hf_face_rect hf_face_square_box(const hf_face_box *box, int image_width, int image_height);

/* Returns `box` scaled by `factor` about its centre, shrunk so that it fits
 * in the image, then shifted inside the image; used for the landmark crop
 * (factor 1.0). */
hf_face_rect hf_face_scaled_crop(hf_face_rect box, float factor, int image_width,
                                 int image_height);

/* Returns the pose crop: the box grown by a quarter of its size on every
 * side (1.5x), clipped to the image on all four sides. */
hf_face_rect hf_face_pose_crop(hf_face_rect box, int image_width, int image_height);

/* Writes the five alignment points (x, y pairs) from 68 iBUG landmarks:
 * image-left eye, image-right eye, nose tip, image-left and image-right
 * mouth corner. Eyes are the means of the four lid points, mouth corners
 * the means of the outer and inner lip corners. */
void hf_face_five_points(const float *landmarks68, float points[2 * HF_FACE_KEY_POINT_COUNT]);

/* Fits the similarity transform (rotation, uniform scale, translation, no
 * reflection) that maps `src` onto `dst` with least squared error, as in
 * Umeyama (1991). Both arrays hold `count` (x, y) pairs. Fails with
 * HF_ERR_INVALID_ARG when count < 2 or the source points coincide. */
HF_MUST_CHECK hf_status hf_face_similarity_fit(const float *src, const float *dst, int count,
                                               float matrix[6]);

/* Fits the transform from five key points to the 112x112 ArcFace template. */
HF_MUST_CHECK hf_status hf_face_align_matrix(const float points[2 * HF_FACE_KEY_POINT_COUNT],
                                             float matrix[6]);

/* Inverts a 2x3 affine matrix; fails with HF_ERR_INVALID_ARG when it is
 * singular or not finite. */
HF_MUST_CHECK hf_status hf_face_affine_invert(const float matrix[6], float inverse[6]);

/* Returns the angle in degrees encoded by 66 bin logits: the softmax
 * expectation of the bin index times 3, minus 99 (range -99 to +96). */
float hf_face_pose_decode(const float *logits);

/* Returns the intersection over union of two boxes (0 when either is empty). */
float hf_face_box_iou(const hf_face_box *a, const hf_face_box *b);

#endif
