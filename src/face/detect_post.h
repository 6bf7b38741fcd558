/* Post-processing of the SSD-style face detector (Ultra-Light-Fast-Generic
 * face detector): prior boxes, box decoding, score filtering and
 * non-maximum suppression. The graph's own decoding only works at the
 * 320x240 input it was exported for, so the face code cuts the graph at the
 * raw head outputs and decodes here, at any input size.
 *
 * Priors are ordered by level, then row, then column, then size, and each
 * is (centre x, centre y, width, height) as fractions of the input. */
#ifndef HF_FACE_DETECT_POST_H
#define HF_FACE_DETECT_POST_H

#include "base/status.h"
#include "face/geometry.h"

#define HF_FACE_PRIOR_MAX_LEVELS 8
#define HF_FACE_PRIOR_MAX_SIZES 8

/* Prior layout: one level per feature map. A level of stride s covers an
 * input of width w with ceil(w / s) columns and ceil(h / s) rows; prior
 * centres sit at ((col + 0.5) / columns, (row + 0.5) / rows). */
typedef struct hf_face_prior_config {
    int level_count;
    int strides[HF_FACE_PRIOR_MAX_LEVELS];
    int size_counts[HF_FACE_PRIOR_MAX_LEVELS];
    float sizes[HF_FACE_PRIOR_MAX_LEVELS][HF_FACE_PRIOR_MAX_SIZES]; /* input pixels */
    float center_variance;
    float size_variance;
} hf_face_prior_config;

/* Fills the layout of fr_detect: strides 8/16/32/64, sizes {10,16,24},
 * {32,48}, {64,96}, {128,192,256}, variances 0.1 and 0.2. */
void hf_face_prior_config_default(hf_face_prior_config *config);

/* Checks that a layout is usable (counts in range, strides and sizes > 0). */
HF_MUST_CHECK hf_status hf_face_prior_config_check(const hf_face_prior_config *config);

/* Returns the number of priors for an input of the given size. */
int hf_face_prior_count(const hf_face_prior_config *config, int input_width, int input_height);

/* Allocates and fills 4 * count floats; free with hf_free. Each component
 * is clamped to [0, 1]. */
HF_MUST_CHECK hf_status hf_face_priors_build(const hf_face_prior_config *config,
                                             int input_width, int input_height,
                                             float **priors, int *count);

/* Decodes one box from its prior and four regression values into corners
 * (x1, y1, x2, y2) as fractions of the input. */
void hf_face_prior_decode(const hf_face_prior_config *config, const float *prior,
                          const float *regression, float corners[4]);

/* Scores and regressions of all priors, as the network writes them. */
typedef struct hf_face_detect_raw {
    const float *scores;      /* count x 2: background, face */
    const float *regressions; /* count x 4 */
    const float *priors;      /* count x 4 */
    int count;
    int scores_are_logits; /* nonzero: apply the two-class softmax first */
} hf_face_detect_raw;

/* Keeps the priors whose face score is strictly above `threshold` (the 750
 * best at most), decodes them, scales the corners by
 * (scale_x, scale_y), and runs greedy NMS at `iou_threshold`. Writes up to
 * `capacity` boxes sorted by score (best first) and their number. */
HF_MUST_CHECK hf_status hf_face_detect_decode(const hf_face_detect_raw *raw,
                                              const hf_face_prior_config *config,
                                              float threshold, float iou_threshold,
                                              float scale_x, float scale_y,
                                              hf_face_box *boxes, int capacity, int *found);

/* Sorts boxes by score, best first, and suppresses every box whose IoU with
 * a better kept box is above `iou_threshold`. Returns the kept count; the
 * kept boxes are moved to the front in score order. */
int hf_face_nms(hf_face_box *boxes, int count, float iou_threshold);

/* Sorts boxes by area, largest first (stable for equal areas). */
void hf_face_boxes_sort_by_area(hf_face_box *boxes, int count);

#endif
