/* The detection pass: the upright frame is scaled to the preview size,
 * letterboxed into the detector input (uniform scale, top-left, padding at
 * the normalisation mean so it reads as 0), decoded with priors generated
 * for that input size, then mapped back to upright pixels. Letterboxing
 * keeps faces at their true aspect ratio in portrait frames, which a
 * stretch to the 4:3 input would distort. */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "face/session_internal.h"

/* A frame that fills the input with one face can defeat the detector, whose
 * largest prior is 256 px; when the first pass finds nothing, a second pass
 * shrinks the frame by this factor inside a padded canvas. */
#define PADDED_PASS_SHRINK 0.6f

/* The largest prior of fr_detect is 256 px; boxes near that size come out
 * merged or misplaced, so above the native input a face taller than this
 * (in the level's input pixels) is taken from the native-size detector. */
#define LARGE_FACE_HEIGHT 192.0f

/* Candidate boxes kept per detection call, before the face limit. */
#define MAX_DETECTIONS 256

/* A small box this much inside a large one is a part of that face. */
#define PART_COVERED_SHARE 0.6f

/* Where the frame lands inside the detector input. */
typedef struct placement {
    int x;
    int y;
    int width;
    int height;
} placement;

static int at_least_one(float value)
{
    int rounded = (int)(value + 0.5f);

    return rounded < 1 ? 1 : rounded;
}

static void fill_input(const hf_face_stage *stage, const uint8_t *pixels, const placement *at,
                       float *input)
{
    size_t plane_size = (size_t)stage->input_width * stage->input_height;
    float table[3 * 256];

    if (at->width != stage->input_width || at->height != stage->input_height) {
        memset(input, 0, 3 * plane_size * sizeof(float));
    }
    hf_face_normalize_table(&stage->normalize, 3, table);
    for (int k = 0; k < 3; k++) {
        const uint8_t *in = pixels + stage->normalize.order[k];
        const float *values = table + k * 256;

        for (int y = 0; y < at->height; y++) {
            float *out = input + k * plane_size + (size_t)(at->y + y) * stage->input_width + at->x;
            const uint8_t *row = in + (size_t)y * at->width * 3;

            for (int x = 0; x < at->width; x++) {
                out[x] = values[row[3 * x]];
            }
        }
    }
}

/* Resizes the upright frame to at->width x at->height through the preview:
 * when the preview is smaller than the placed image, the detail lost at
 * preview size is lost here too. */
static hf_status render_placed(const hf_face_pixels *upright, int preview_width,
                               int preview_height, const placement *at, uint8_t *out)
{
    hf_face_rect whole = {0, 0, upright->width, upright->height};
    hf_face_pixels preview;
    uint8_t *buffer;
    hf_status status;

    if (preview_width >= at->width) {
        return hf_face_resize_region(upright, whole, out, at->width, at->height);
    }
    buffer = hf_malloc((size_t)preview_width * preview_height * 3);
    if (buffer == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = hf_face_resize_region(upright, whole, buffer, preview_width, preview_height);
    if (status == HF_OK) {
        preview = (hf_face_pixels){buffer, preview_width, preview_height, preview_width * 3, 3};
        whole = (hf_face_rect){0, 0, preview_width, preview_height};
        status = hf_face_resize_region(&preview, whole, out, at->width, at->height);
    }
    hf_free(buffer);
    return status;
}

/* Runs one detector on the frame (shrunk by `shrink` inside its input) and
 * writes boxes in upright pixels, plus the scale from upright pixels to the
 * detector's input. */
static hf_status run_pass(hf_face_session *session, hf_face_detector *detector,
                          const hf_face_pixels *upright, float shrink, hf_face_box *boxes,
                          int capacity, int *found, float *input_scale)
{
    hf_face_stage *stage = &detector->stage;
    int preview = session->settings.preview_size;
    int long_side = upright->width > upright->height ? upright->width : upright->height;
    float preview_scale;
    int preview_width;
    int preview_height;
    float fit;
    placement at;
    uint8_t *pixels;
    hf_status status;

    preview = preview <= 0 ? stage->input_width : preview;
    preview_scale = (float)preview / (float)long_side;
    preview_width = (int)(upright->width * preview_scale);
    preview_height = (int)(upright->height * preview_scale);
    preview_width = preview_width < 1 ? 1 : preview_width;
    preview_height = preview_height < 1 ? 1 : preview_height;
    if (detector == &session->detectors[0]) {
        session->preview_width = preview_width;
    }

    fit = fminf((float)stage->input_width / preview_width,
                (float)stage->input_height / preview_height) * shrink;
    at.width = at_least_one(preview_width * fit);
    at.height = at_least_one(preview_height * fit);
    at.width = at.width > stage->input_width ? stage->input_width : at.width;
    at.height = at.height > stage->input_height ? stage->input_height : at.height;
    at.x = shrink < 1.0f ? (stage->input_width - at.width) / 2 : 0;
    at.y = shrink < 1.0f ? (stage->input_height - at.height) / 2 : 0;

    pixels = hf_malloc((size_t)at.width * at.height * 3);
    if (pixels == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = render_placed(upright, preview_width, preview_height, &at, pixels);
    if (status == HF_OK) {
        fill_input(stage, pixels, &at, hf_rt_instance_input(stage->instance, 0));
        status = hf_face_stage_run(stage);
    }
    hf_free(pixels);
    if (status != HF_OK) {
        return status;
    }

    hf_rt_shape score_shape;
    hf_rt_shape box_shape;
    const float *scores = hf_rt_instance_output(stage->instance, 0, &score_shape);
    const float *regressions = hf_rt_instance_output(stage->instance, 1, &box_shape);
    int count = detector->prior_count;

    if (scores == NULL || regressions == NULL || hf_rt_shape_elements(&score_shape) != 2 * count ||
        hf_rt_shape_elements(&box_shape) != 4 * count) {
        HF_LOGE("detector outputs do not match %d priors", count);
        return HF_ERR_FORMAT;
    }

    hf_face_detect_raw raw = {scores, regressions, detector->priors, count,
                              session->scores_are_logits};
    float to_upright_x = (float)upright->width / at.width;
    float to_upright_y = (float)upright->height / at.height;

    *input_scale = 1.0f / to_upright_y;
    status = hf_face_detect_decode(&raw, &session->prior_config,
                                   session->settings.detect_threshold, session->nms_iou,
                                   (float)stage->input_width, (float)stage->input_height, boxes,
                                   capacity, found);
    for (int i = 0; status == HF_OK && i < *found; i++) {
        boxes[i].x1 = (boxes[i].x1 - at.x) * to_upright_x;
        boxes[i].x2 = (boxes[i].x2 - at.x) * to_upright_x;
        boxes[i].y1 = (boxes[i].y1 - at.y) * to_upright_y;
        boxes[i].y2 = (boxes[i].y2 - at.y) * to_upright_y;
    }
    return status;
}

static float clip(float value, float high)
{
    return value < 0.0f ? 0.0f : (value > high ? high : value);
}

/* Clips boxes to the frame and drops those whose shorter side is not above
 * the minimum face size; returns the kept count. */
static int filter_boxes(const hf_face_settings *settings, const hf_face_pixels *upright,
                        hf_face_box *boxes, int count)
{
    int kept = 0;

    for (int i = 0; i < count; i++) {
        hf_face_box box = boxes[i];
        float width = box.x2 - box.x1;
        float height = box.y2 - box.y1;
        float shorter = width < height ? width : height;

        if (!(shorter > (float)settings->min_face_size) || !(shorter >= 2.0f)) {
            continue;
        }
        box.x1 = clip(box.x1, (float)upright->width - 1);
        box.x2 = clip(box.x2, (float)upright->width - 1);
        box.y1 = clip(box.y1, (float)upright->height - 1);
        box.y2 = clip(box.y2, (float)upright->height - 1);
        if (box.x2 - box.x1 >= 2.0f && box.y2 - box.y1 >= 2.0f) {
            boxes[kept++] = box;
        }
    }
    return kept;
}

/* Keeps the first detector's boxes up to LARGE_FACE_HEIGHT pixels tall in
 * its input; the native detector's boxes are all kept, and NMS merges the
 * faces both found. */
static int keep_small(hf_face_box *boxes, int count, float first_scale)
{
    int kept = 0;

    for (int i = 0; i < count; i++) {
        if ((boxes[i].y2 - boxes[i].y1) * first_scale <= LARGE_FACE_HEIGHT) {
            boxes[kept++] = boxes[i];
        }
    }
    return kept;
}

static float covered_share(const hf_face_box *inner, const hf_face_box *outer)
{
    float width = fminf(inner->x2, outer->x2) - fmaxf(inner->x1, outer->x1);
    float height = fminf(inner->y2, outer->y2) - fmaxf(inner->y1, outer->y1);
    float area = (inner->x2 - inner->x1) * (inner->y2 - inner->y1);

    if (width <= 0.0f || height <= 0.0f || area <= 0.0f) {
        return 0.0f;
    }
    return width * height / area;
}

/* Runs every detector and merges their boxes; returns the count. */
static hf_status run_detectors(hf_face_session *session, const hf_face_pixels *upright,
                               float shrink, hf_face_box *boxes, int capacity, int *found)
{
    float first_scale = 1.0f;
    float scale = 1.0f;
    int count = 0;
    int more = 0;
    hf_status status = run_pass(session, &session->detectors[0], upright, shrink, boxes,
                                capacity, &count, &first_scale);

    if (status != HF_OK || session->detector_count < 2) {
        *found = count;
        return status;
    }
    count = keep_small(boxes, count, first_scale);
    status = run_pass(session, &session->detectors[1], upright, shrink, boxes + count,
                      capacity - count, &more, &scale);
    if (status != HF_OK) {
        return status;
    }
    *found = hf_face_nms(boxes, count + more, session->nms_iou);
    return HF_OK;
}

static float box_area(const hf_face_box *box)
{
    return (box->x2 - box->x1) * (box->y2 - box->y1);
}

/* Drops every box that lies mostly inside a larger one: the detector also
 * fires on part of a face (a masked lower half, a mouth) next to the whole
 * face, with too little IoU for NMS to merge them. */
static int drop_inner_boxes(hf_face_box *boxes, int count)
{
    unsigned char inside[MAX_DETECTIONS] = {0};
    int kept = 0;

    for (int i = 0; i < count; i++) {
        for (int j = 0; j < count && !inside[i]; j++) {
            inside[i] = j != i && box_area(&boxes[j]) > box_area(&boxes[i]) &&
                        covered_share(&boxes[i], &boxes[j]) > PART_COVERED_SHARE;
        }
    }
    for (int i = 0; i < count; i++) {
        if (!inside[i]) {
            boxes[kept++] = boxes[i];
        }
    }
    return kept;
}

hf_status hf_face_detect_run(hf_face_session *session, const hf_face_pixels *upright,
                             hf_face_box *boxes, int capacity, int *found)
{
    hf_face_box *candidates;
    int count = 0;
    hf_status status;

    if (upright->width < 2 || upright->height < 2) {
        *found = 0;
        return HF_OK;
    }
    candidates = hf_malloc(MAX_DETECTIONS * sizeof(*candidates));
    if (candidates == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = run_detectors(session, upright, 1.0f, candidates, MAX_DETECTIONS, &count);
    if (status == HF_OK) {
        count = filter_boxes(&session->settings, upright, candidates, count);
    }
    if (status == HF_OK && count == 0) {
        status = run_detectors(session, upright, PADDED_PASS_SHRINK, candidates,
                               MAX_DETECTIONS, &count);
        count = status == HF_OK ? filter_boxes(&session->settings, upright, candidates, count)
                                : 0;
    }
    if (status == HF_OK) {
        count = drop_inner_boxes(candidates, count);
        hf_face_boxes_sort_by_area(candidates, count);
        count = count < capacity ? count : capacity;
        memcpy(boxes, candidates, (size_t)count * sizeof(*boxes));
        *found = count;
    }
    hf_free(candidates);
    return status;
}
