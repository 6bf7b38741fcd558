/* RGB liveness, eye state and emotion of tracked faces, and the pipeline
 * result arrays. */
#include "face/analysis.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "face/models.h"
#include "face/session_internal.h"

#define LIVENESS_CROP_SCALE 2.7f
#define EYE_CROP_SCALE 1.6f
#define EXPRESSION_CROP_EXTEND 1.2f

void hf_face_analysis_spec_default(hf_face_analysis_spec *spec)
{
    /* fr_liveness takes raw B,G,R values: with the package's R,G,B order
     * genuine faces such as LFW's Rob_Lowe_0001 score as spoofs. */
    static const hf_face_normalize raw_bgr = {{0, 1, 2}, {0, 0, 0}, {1.0f, 1.0f, 1.0f}};
    static const hf_face_normalize grey = {{0, 0, 0}, {0, 0, 0}, {1.0f / 255, 0, 0}};
    static const hf_face_normalize unit_rgb = {
        {2, 1, 0}, {0, 0, 0}, {1.0f / 255, 1.0f / 255, 1.0f / 255}};

    memset(spec, 0, sizeof(*spec));
    spec->liveness = (hf_face_model_spec){NULL, 0, NULL, "fr_liveness", 128, 128, raw_bgr};
    spec->eye = (hf_face_model_spec){NULL, 0, NULL, "fr_eye", 24, 24, grey};
    spec->expression =
        (hf_face_model_spec){NULL, 0, NULL, "fr_expression", 224, 224, unit_rgb};
}

static hf_status stage_load(hf_face_stage *stage, const hf_face_model_spec *model)
{
    if (stage->instance != NULL) {
        return HF_OK;
    }
    stage->input_width = model->input_width;
    stage->input_height = model->input_height;
    stage->normalize = model->normalize;
    return hf_face_model_instance(model, 0, 0, NULL, 0, &stage->instance);
}

hf_status hf_face_analysis_enable(hf_face_session *session, const hf_face_analysis_spec *spec,
                                  int flags)
{
    hf_status status = HF_OK;

    if (flags & HF_FACE_ANALYSIS_LIVENESS) {
        status = stage_load(&session->liveness, &spec->liveness);
    }
    if (status == HF_OK && (flags & HF_FACE_ANALYSIS_EYES)) {
        status = stage_load(&session->eye, &spec->eye);
    }
    if (status == HF_OK && (flags & HF_FACE_ANALYSIS_EMOTION)) {
        status = stage_load(&session->expression, &spec->expression);
    }
    return status;
}

int hf_face_analysis_flags(const hf_face_session *session)
{
    return (session->liveness.instance ? HF_FACE_ANALYSIS_LIVENESS : 0) |
           (session->eye.instance ? HF_FACE_ANALYSIS_EYES : 0) |
           (session->expression.instance ? HF_FACE_ANALYSIS_EMOTION : 0);
}

/* Resizes `crop` of the upright view to the stage's input, fills the input
 * (grey or three planes) and writes the soft-maxed output. */
static hf_status classify(hf_face_stage *stage, const hf_face_pixels *upright, hf_face_rect crop,
                          int grey, float *probs, int classes)
{
    float *input = hf_rt_instance_input(stage->instance, 0);
    const float *output;
    hf_rt_shape shape;
    hf_status status;
    float total = 0.0f;
    float top;

    if (crop.width < 2 || crop.height < 2 || input == NULL) {
        return HF_ERR_RANGE;
    }
    status = hf_face_crop_to_input(upright, crop, stage, grey, input);
    if (status == HF_OK) {
        status = hf_face_stage_run(stage);
    }
    if (status != HF_OK) {
        return status;
    }
    output = hf_rt_instance_output(stage->instance, 0, &shape);
    if (output == NULL || hf_rt_shape_elements(&shape) != classes) {
        HF_LOGE("classifier output has %lld values, expected %d",
                output ? (long long)hf_rt_shape_elements(&shape) : 0LL, classes);
        return HF_ERR_FORMAT;
    }
    top = output[0];
    for (int i = 1; i < classes; i++) {
        top = fmaxf(top, output[i]);
    }
    for (int i = 0; i < classes; i++) {
        probs[i] = expf(output[i] - top);
        total += probs[i];
    }
    if (!isfinite(total) || total <= 0.0f) {
        return HF_ERR_RANGE;
    }
    for (int i = 0; i < classes; i++) {
        probs[i] /= total;
    }
    return HF_OK;
}

/* Returns the face's rectangle (the square box of the detection) in upright
 * integer coordinates. */
static hf_face_rect upright_box(const hf_face_frame *frame, const hf_face_info *face)
{
    const hf_face_rect *rect = &face->rect;
    float ax;
    float ay;
    float bx;
    float by;
    hf_face_rect box;

    hf_face_frame_to_upright(frame, (float)rect->x + 0.5f, (float)rect->y + 0.5f, &ax, &ay);
    hf_face_frame_to_upright(frame, (float)(rect->x + rect->width) - 0.5f,
                             (float)(rect->y + rect->height) - 0.5f, &bx, &by);
    float x1 = fmaxf(0.0f, fminf(ax, bx) - 0.5f);
    float y1 = fmaxf(0.0f, fminf(ay, by) - 0.5f);
    float x2 = fminf((float)(frame->upright.width - 1), fmaxf(ax, bx) + 0.5f);
    float y2 = fminf((float)(frame->upright.height - 1), fmaxf(ay, by) + 0.5f);

    box.x = (int)x1;
    box.y = (int)y1;
    box.width = x2 > x1 ? (int)x2 - box.x : 0;
    box.height = y2 > y1 ? (int)y2 - box.y : 0;
    return box;
}

hf_status hf_face_liveness_run(hf_face_session *session, const hf_face_frame *frame,
                               const hf_face_info *face, float *live)
{
    const hf_face_pixels *upright = &frame->upright;
    hf_face_rect box = upright_box(frame, face);
    hf_face_rect crop;
    float probs[3];
    hf_status status;

    if (session->liveness.instance == NULL) {
        return HF_ERR_STATE;
    }
    if (box.width < 2 || box.height < 2) {
        return HF_ERR_RANGE;
    }
    crop = hf_face_scaled_crop(box, LIVENESS_CROP_SCALE, upright->width, upright->height);
    status = classify(&session->liveness, upright, crop, 0, probs, 3);
    if (status == HF_OK) {
        *live = probs[0];
    }
    return status;
}

/* Returns the crop of one eye: centred on the mean of its four lid points,
 * with a side 1.6 times the distance between its corners, cut at the far
 * image edges. */
static hf_face_rect eye_crop(const float *points, const int lids[4], int inner, int outer,
                             int width, int height)
{
    float sx = 0.0f;
    float sy = 0.0f;
    hf_face_rect crop;
    int side;

    for (int k = 0; k < 4; k++) {
        sx += points[2 * lids[k]];
        sy += points[2 * lids[k] + 1];
    }
    side = (int)(EYE_CROP_SCALE * (points[2 * inner] - points[2 * outer]));
    crop.x = (int)(sx / 4.0f) - side / 2;
    crop.y = (int)(sy / 4.0f) - side / 2;
    crop.x = crop.x < 0 ? 0 : crop.x;
    crop.y = crop.y < 0 ? 0 : crop.y;
    crop.width = crop.x + side > width - 1 ? width - crop.x - 1 : side;
    crop.height = crop.y + side > height - 1 ? height - crop.y - 1 : side;
    return crop;
}

hf_status hf_face_eyes_run(hf_face_session *session, const hf_face_frame *frame,
                           const hf_face_info *face, float open[2])
{
    static const int lids[2][4] = {{37, 38, 40, 41}, {43, 44, 46, 47}};
    static const int corners[2][2] = {{39, 36}, {45, 42}};
    const hf_face_pixels *upright = &frame->upright;
    float points[2 * HF_FACE_LANDMARK_COUNT];
    float result[2];

    if (session->eye.instance == NULL) {
        return HF_ERR_STATE;
    }
    if (face->landmark_count != HF_FACE_LANDMARK_COUNT) {
        HF_LOGE("eye state needs 68 landmarks, the token has %d", face->landmark_count);
        return HF_ERR_INVALID_ARG;
    }
    for (int i = 0; i < HF_FACE_LANDMARK_COUNT; i++) {
        hf_face_frame_to_upright(frame, face->landmarks[2 * i], face->landmarks[2 * i + 1],
                                 &points[2 * i], &points[2 * i + 1]);
    }
    /* The landmarks are mapped to the upright view first, so "left" is the
     * image-left eye of the upright face whatever the stream's rotation. */
    for (int e = 0; e < 2; e++) {
        hf_face_rect crop = eye_crop(points, lids[e], corners[e][0], corners[e][1],
                                     upright->width, upright->height);
        float probs[2];
        hf_status status = classify(&session->eye, upright, crop, 1, probs, 2);

        if (status != HF_OK) {
            return status;
        }
        result[e] = probs[1];
    }
    open[0] = result[0];
    open[1] = result[1];
    return HF_OK;
}

hf_status hf_face_emotion_run(hf_face_session *session, const hf_face_frame *frame,
                              const hf_face_info *face, int *emotion)
{
    /* Maps the model's classes, in FER-2013 order (angry, disgust, fear,
     * happy, sad, surprise, neutral), to InspireFace's codes. */
    static const int codes[7] = {6, 5, 4, 1, 2, 3, 0};
    const hf_face_pixels *upright = &frame->upright;
    hf_face_rect box = upright_box(frame, face);
    hf_face_rect crop = box;
    float probs[7];
    int best = 0;
    hf_status status;

    if (session->expression.instance == NULL) {
        return HF_ERR_STATE;
    }
    /* The crop reaches 20 % beyond the box to the right and downwards only,
     * which is how the model's own package crops, and then stays inside the
     * image. */
    crop.width = (int)(EXPRESSION_CROP_EXTEND * (float)box.width);
    crop.height = (int)(EXPRESSION_CROP_EXTEND * (float)box.height);
    if (crop.width > upright->width - crop.x) {
        crop.width = upright->width - crop.x;
    }
    if (crop.height > upright->height - crop.y) {
        crop.height = upright->height - crop.y;
    }
    status = classify(&session->expression, upright, crop, 0, probs, 7);
    if (status != HF_OK) {
        return status;
    }
    for (int i = 1; i < 7; i++) {
        if (probs[i] > probs[best]) {
            best = i;
        }
    }
    *emotion = codes[best];
    return HF_OK;
}

hf_face_pipeline_results *hf_face_session_pipeline(hf_face_session *session)
{
    return &session->pipeline;
}

unsigned long hf_face_session_detect_calls(const hf_face_session *session)
{
    return session->detect_calls;
}

int hf_face_session_face_count(const hf_face_session *session)
{
    return session->results.count;
}

void hf_face_pipeline_free(hf_face_pipeline_results *results)
{
    hf_free(results->liveness);
    hf_free(results->mask);
    hf_free(results->quality);
    hf_free(results->left_eye);
    hf_free(results->right_eye);
    for (int k = 0; k < 5; k++) {
        hf_free(results->actions[k]);
    }
    for (int k = 0; k < 3; k++) {
        hf_free(results->attributes[k]);
    }
    hf_free(results->emotion);
    memset(results, 0, sizeof(*results));
}

static hf_status pipeline_grow(hf_face_pipeline_results *results, int count)
{
    size_t n = (size_t)(count > 0 ? count : 1);
    int ok;

    hf_face_pipeline_free(results);
    results->liveness = hf_calloc(n, sizeof(float));
    results->mask = hf_calloc(n, sizeof(float));
    results->quality = hf_calloc(n, sizeof(float));
    results->left_eye = hf_calloc(n, sizeof(float));
    results->right_eye = hf_calloc(n, sizeof(float));
    results->emotion = hf_calloc(n, sizeof(int32_t));
    ok = results->liveness && results->mask && results->quality && results->left_eye &&
         results->right_eye && results->emotion;
    for (int k = 0; k < 5; k++) {
        results->actions[k] = hf_calloc(n, sizeof(int32_t));
        ok = ok && results->actions[k] != NULL;
    }
    for (int k = 0; k < 3; k++) {
        results->attributes[k] = hf_calloc(n, sizeof(int32_t));
        ok = ok && results->attributes[k] != NULL;
    }
    if (!ok) {
        hf_face_pipeline_free(results);
        return HF_ERR_NO_MEMORY;
    }
    results->capacity = (int)n;
    return HF_OK;
}

hf_status hf_face_pipeline_reset(hf_face_pipeline_results *results, int count)
{
    if (count > results->capacity || results->emotion == NULL) {
        hf_status status = pipeline_grow(results, count);

        if (status != HF_OK) {
            return status;
        }
    }
    for (int i = 0; i < count; i++) {
        results->liveness[i] = -1.0f;
        results->mask[i] = -1.0f;
        results->quality[i] = -1.0f;
        results->left_eye[i] = -1.0f;
        results->right_eye[i] = -1.0f;
        results->emotion[i] = -1;
        for (int k = 0; k < 5; k++) {
            results->actions[k][i] = -1;
        }
        for (int k = 0; k < 3; k++) {
            results->attributes[k][i] = -1;
        }
    }
    results->count = count;
    results->after_track = 0;
    return HF_OK;
}
