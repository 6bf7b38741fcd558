#include "face/detect_post.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"

void hf_face_prior_config_default(hf_face_prior_config *config)
{
    static const int strides[4] = {8, 16, 32, 64};
    static const int counts[4] = {3, 2, 2, 3};
    static const float sizes[4][3] = {
        {10.0f, 16.0f, 24.0f}, {32.0f, 48.0f, 0.0f}, {64.0f, 96.0f, 0.0f},
        {128.0f, 192.0f, 256.0f},
    };

    memset(config, 0, sizeof(*config));
    config->level_count = 4;
    for (int level = 0; level < 4; level++) {
        config->strides[level] = strides[level];
        config->size_counts[level] = counts[level];
        for (int k = 0; k < counts[level]; k++) {
            config->sizes[level][k] = sizes[level][k];
        }
    }
    config->center_variance = 0.1f;
    config->size_variance = 0.2f;
}

hf_status hf_face_prior_config_check(const hf_face_prior_config *config)
{
    if (config->level_count < 1 || config->level_count > HF_FACE_PRIOR_MAX_LEVELS) {
        HF_LOGE("prior layout has %d levels, expected 1 to %d", config->level_count,
                HF_FACE_PRIOR_MAX_LEVELS);
        return HF_ERR_INVALID_ARG;
    }
    for (int level = 0; level < config->level_count; level++) {
        int count = config->size_counts[level];

        if (config->strides[level] <= 0 || count < 1 || count > HF_FACE_PRIOR_MAX_SIZES) {
            HF_LOGE("prior level %d has stride %d and %d sizes", level, config->strides[level],
                    count);
            return HF_ERR_INVALID_ARG;
        }
        for (int k = 0; k < count; k++) {
            if (!(config->sizes[level][k] > 0.0f)) {
                HF_LOGE("prior level %d size %d is %g", level, k, config->sizes[level][k]);
                return HF_ERR_INVALID_ARG;
            }
        }
    }
    if (!(config->center_variance > 0.0f) || !(config->size_variance > 0.0f)) {
        HF_LOGE("prior variances %g, %g must be positive", config->center_variance,
                config->size_variance);
        return HF_ERR_INVALID_ARG;
    }
    return HF_OK;
}

static int ceil_div(int value, int divisor)
{
    return (value + divisor - 1) / divisor;
}

int hf_face_prior_count(const hf_face_prior_config *config, int input_width, int input_height)
{
    int count = 0;

    for (int level = 0; level < config->level_count; level++) {
        int columns = ceil_div(input_width, config->strides[level]);
        int rows = ceil_div(input_height, config->strides[level]);

        count += columns * rows * config->size_counts[level];
    }
    return count;
}

static float clamp_unit(float value)
{
    if (value < 0.0f) {
        return 0.0f;
    }
    return value > 1.0f ? 1.0f : value;
}

hf_status hf_face_priors_build(const hf_face_prior_config *config, int input_width,
                               int input_height, float **priors, int *count)
{
    float *values;
    float *next;
    int total;

    if (input_width <= 0 || input_height <= 0 || hf_face_prior_config_check(config) != HF_OK) {
        return HF_ERR_INVALID_ARG;
    }
    total = hf_face_prior_count(config, input_width, input_height);
    values = hf_malloc((size_t)total * 4 * sizeof(float));
    if (values == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    next = values;
    for (int level = 0; level < config->level_count; level++) {
        int columns = ceil_div(input_width, config->strides[level]);
        int rows = ceil_div(input_height, config->strides[level]);

        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                for (int k = 0; k < config->size_counts[level]; k++) {
                    next[0] = clamp_unit(((float)column + 0.5f) / (float)columns);
                    next[1] = clamp_unit(((float)row + 0.5f) / (float)rows);
                    next[2] = clamp_unit(config->sizes[level][k] / (float)input_width);
                    next[3] = clamp_unit(config->sizes[level][k] / (float)input_height);
                    next += 4;
                }
            }
        }
    }
    *priors = values;
    *count = total;
    return HF_OK;
}

void hf_face_prior_decode(const hf_face_prior_config *config, const float *prior,
                          const float *regression, float corners[4])
{
    float cx = prior[0] + regression[0] * config->center_variance * prior[2];
    float cy = prior[1] + regression[1] * config->center_variance * prior[3];
    float w = prior[2] * expf(regression[2] * config->size_variance);
    float h = prior[3] * expf(regression[3] * config->size_variance);

    corners[0] = cx - 0.5f * w;
    corners[1] = cy - 0.5f * h;
    corners[2] = cx + 0.5f * w;
    corners[3] = cy + 0.5f * h;
}

static float face_probability(const float *scores, int logits)
{
    if (!logits) {
        return scores[1];
    }
    return 1.0f / (1.0f + expf(scores[0] - scores[1]));
}

static int compare_score(const void *left, const void *right)
{
    const hf_face_box *a = left;
    const hf_face_box *b = right;

    if (a->score != b->score) {
        return a->score > b->score ? -1 : 1;
    }
    /* Equal scores keep a fixed order so results never depend on qsort. */
    if (a->y1 != b->y1) {
        return a->y1 < b->y1 ? -1 : 1;
    }
    return a->x1 < b->x1 ? -1 : (a->x1 > b->x1 ? 1 : 0);
}

int hf_face_nms(hf_face_box *boxes, int count, float iou_threshold)
{
    int kept = 0;

    if (count <= 0) {
        return 0;
    }
    qsort(boxes, (size_t)count, sizeof(*boxes), compare_score);
    for (int i = 0; i < count; i++) {
        int suppressed = 0;

        for (int j = 0; j < kept && !suppressed; j++) {
            suppressed = hf_face_box_iou(&boxes[j], &boxes[i]) > iou_threshold;
        }
        if (!suppressed) {
            boxes[kept++] = boxes[i];
        }
    }
    return kept;
}

/* Keeps the best `capacity` candidates: a full buffer is sorted once and
 * cut in half, which keeps the work linear in the prior count. */
static int add_candidate(hf_face_box *buffer, int used, int capacity, const hf_face_box *box)
{
    if (used == 2 * capacity) {
        qsort(buffer, (size_t)used, sizeof(*buffer), compare_score);
        used = capacity;
    }
    buffer[used] = *box;
    return used + 1;
}

hf_status hf_face_detect_decode(const hf_face_detect_raw *raw, const hf_face_prior_config *config,
                                float threshold, float iou_threshold, float scale_x,
                                float scale_y, hf_face_box *boxes, int capacity, int *found)
{
    enum { MAX_CANDIDATES = 750 };
    hf_face_box *candidates;
    int used = 0;
    int kept;

    if (raw->count < 0 || capacity < 0) {
        return HF_ERR_INVALID_ARG;
    }
    candidates = hf_malloc(2 * MAX_CANDIDATES * sizeof(*candidates));
    if (candidates == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    for (int i = 0; i < raw->count; i++) {
        float score = face_probability(raw->scores + 2 * i, raw->scores_are_logits);
        float corners[4];
        hf_face_box box;

        if (!(score > threshold)) {
            continue;
        }
        hf_face_prior_decode(config, raw->priors + 4 * i, raw->regressions + 4 * i, corners);
        box.x1 = corners[0] * scale_x;
        box.y1 = corners[1] * scale_y;
        box.x2 = corners[2] * scale_x;
        box.y2 = corners[3] * scale_y;
        box.score = score;
        if (isfinite(box.x1) && isfinite(box.y1) && isfinite(box.x2) && isfinite(box.y2)) {
            used = add_candidate(candidates, used, MAX_CANDIDATES, &box);
        }
    }
    qsort(candidates, (size_t)used, sizeof(*candidates), compare_score);
    kept = hf_face_nms(candidates, used < MAX_CANDIDATES ? used : MAX_CANDIDATES, iou_threshold);
    kept = kept < capacity ? kept : capacity;
    memcpy(boxes, candidates, (size_t)kept * sizeof(*boxes));
    hf_free(candidates);
    *found = kept;
    return HF_OK;
}

static float box_area(const hf_face_box *box)
{
    return (box->x2 - box->x1) * (box->y2 - box->y1);
}

void hf_face_boxes_sort_by_area(hf_face_box *boxes, int count)
{
    /* Insertion sort: stable and the lists are short (the face limit). */
    for (int i = 1; i < count; i++) {
        hf_face_box current = boxes[i];
        int j = i - 1;

        while (j >= 0 && box_area(&boxes[j]) < box_area(&current)) {
            boxes[j + 1] = boxes[j];
            j--;
        }
        boxes[j + 1] = current;
    }
}
