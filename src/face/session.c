/* Session life cycle, settings, pixel levels and model stages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/log.h"
#include "face/models.h"
#include "face/session_internal.h"

#define DEFAULT_DETECT_THRESHOLD 0.5f

void hf_face_pack_spec_default(hf_face_pack_spec *spec)
{
    static const hf_face_normalize centred_rgb = {
        {2, 1, 0}, {127.0f, 127.0f, 127.0f}, {1.0f / 128, 1.0f / 128, 1.0f / 128}};
    static const hf_face_normalize imagenet_rgb = {
        {2, 1, 0}, {123.675f, 116.28f, 103.53f}, {1.0f / 58.395f, 1.0f / 57.12f, 1.0f / 57.375f}};
    static const hf_face_normalize grey = {{0, 0, 0}, {0, 0, 0}, {1.0f / 256, 0, 0}};

    memset(spec, 0, sizeof(*spec));
    spec->detect = (hf_face_model_spec){NULL, 0, NULL, "fr_detect", 320, 240, centred_rgb};
    spec->landmark = (hf_face_model_spec){NULL, 0, NULL, "fr_landmark", 64, 64, grey};
    spec->pose = (hf_face_model_spec){NULL, 0, NULL, "fr_pose", 224, 224, imagenet_rgb};
    spec->feature = (hf_face_model_spec){NULL, 0, NULL, "fr_feature", 112, 112, centred_rgb};
    hf_face_prior_config_default(&spec->priors);
    /* fr_detect's soft-maxed scores and its box regressions before the
     * built-in prior decoding (node "462" concatenates the four heads). */
    spec->detect_outputs[0] = "scores";
    spec->detect_outputs[1] = "462";
    spec->detect_scores_are_logits = 0;
    spec->nms_iou = 0.4f;
    spec->pixel_levels[0] = 160;
    spec->pixel_levels[1] = 320;
    spec->pixel_levels[2] = 640;
    spec->pixel_level_count = 3;
}

int hf_face_pixel_level_pick(const hf_face_pack_spec *spec, int requested)
{
    int count = spec->pixel_level_count;
    int best = 0;

    if (count <= 0) {
        return 320;
    }
    if (requested == -1) {
        for (int i = 0; i < count; i++) {
            if (spec->pixel_levels[i] == 320) {
                return 320;
            }
        }
        return spec->pixel_levels[count > 1 ? 1 : 0];
    }
    for (int i = 1; i < count; i++) {
        if (abs(spec->pixel_levels[i] - requested) < abs(spec->pixel_levels[best] - requested)) {
            best = i;
        }
    }
    if (spec->pixel_levels[best] != requested) {
        HF_LOGW("pixel level %d is not in the pack; using %d", requested,
                spec->pixel_levels[best]);
    }
    return spec->pixel_levels[best];
}

static double now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

hf_status hf_face_stage_run(hf_face_stage *stage)
{
    double started = now_ms();
    hf_status status = hf_rt_instance_run(stage->instance);

    stage->inference_ms += now_ms() - started;
    return status;
}

static hf_status stage_create(hf_face_stage *stage, const hf_face_model_spec *model, int width,
                              int height, const char *const *outputs, int output_count)
{
    stage->input_width = width;
    stage->input_height = height;
    stage->normalize = model->normalize;
    return hf_face_model_instance(model, width, height, outputs, output_count, &stage->instance);
}

static hf_status detector_create(hf_face_session *session, const hf_face_pack_spec *spec,
                                 int level)
{
    hf_face_detector *detector = &session->detectors[session->detector_count];
    int height = level * spec->detect.input_height / spec->detect.input_width;
    hf_status status = hf_face_priors_build(&spec->priors, level, height, &detector->priors,
                                            &detector->prior_count);

    if (status == HF_OK) {
        status = stage_create(&detector->stage, &spec->detect, level, height,
                              spec->detect_outputs, 2);
    }
    session->detector_count++;
    return status;
}

static hf_status create_stages(hf_face_session *session, const hf_face_pack_spec *spec,
                               const hf_face_session_options *options)
{
    /* Every level keeps the aspect ratio of the detector's own input. */
    hf_status status = detector_create(session, spec, options->pixel_level);

    if (status == HF_OK && options->pixel_level > spec->detect.input_width) {
        status = detector_create(session, spec, spec->detect.input_width);
    }
    if (status == HF_OK) {
        status = stage_create(&session->landmark, &spec->landmark, 0, 0, NULL, 0);
        session->landmark.input_width = spec->landmark.input_width;
        session->landmark.input_height = spec->landmark.input_height;
    }
    if (status == HF_OK && options->enable_pose) {
        status = stage_create(&session->pose, &spec->pose, 0, 0, NULL, 0);
        session->pose.input_width = spec->pose.input_width;
        session->pose.input_height = spec->pose.input_height;
    }
    if (status == HF_OK && options->enable_recognition) {
        status = stage_create(&session->feature, &spec->feature, 0, 0, NULL, 0);
        session->feature.input_width = spec->feature.input_width;
        session->feature.input_height = spec->feature.input_height;
    }
    return status;
}

hf_status hf_face_session_create(const hf_face_pack_spec *spec,
                                 const hf_face_session_options *options, hf_face_session **out)
{
    hf_face_session *session;
    hf_status status;

    if (options->max_faces <= 0 || options->pixel_level < 16 ||
        spec->detect.input_width <= 0 || spec->detect.input_height <= 0) {
        HF_LOGE("invalid session options: max faces %d, pixel level %d", options->max_faces,
                options->pixel_level);
        return HF_ERR_INVALID_ARG;
    }
    session = hf_calloc(1, sizeof(*session));
    if (session == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    session->settings.detect_threshold = DEFAULT_DETECT_THRESHOLD;
    session->settings.preview_size = options->pixel_level;
    session->settings.max_faces = options->max_faces;
    session->pixel_level = options->pixel_level;
    session->prior_config = spec->priors;
    session->scores_are_logits = spec->detect_scores_are_logits;
    session->nms_iou = spec->nms_iou;

    status = create_stages(session, spec, options);
    if (status != HF_OK) {
        hf_face_session_destroy(session);
        return status;
    }
    *out = session;
    return HF_OK;
}

static void results_free(hf_face_results *results)
{
    hf_free(results->rects);
    hf_free(results->track_ids);
    hf_free(results->track_counts);
    hf_free(results->scores);
    hf_free(results->roll);
    hf_free(results->yaw);
    hf_free(results->pitch);
    hf_free(results->tokens);
    memset(results, 0, sizeof(*results));
}

void hf_face_session_destroy(hf_face_session *session)
{
    if (session == NULL) {
        return;
    }
    for (int i = 0; i < session->detector_count; i++) {
        hf_rt_instance_destroy(session->detectors[i].stage.instance);
        hf_free(session->detectors[i].priors);
    }
    hf_rt_instance_destroy(session->landmark.instance);
    hf_rt_instance_destroy(session->pose.instance);
    hf_rt_instance_destroy(session->feature.instance);
    hf_rt_instance_destroy(session->liveness.instance);
    hf_rt_instance_destroy(session->eye.instance);
    hf_rt_instance_destroy(session->expression.instance);
    hf_face_pipeline_free(&session->pipeline);
    results_free(&session->results);
    hf_free(session);
}

hf_face_settings *hf_face_session_settings(hf_face_session *session)
{
    return &session->settings;
}

int hf_face_session_preview_width(const hf_face_session *session)
{
    return session->preview_width;
}

int hf_face_session_pixel_level(const hf_face_session *session)
{
    return session->pixel_level;
}

int hf_face_session_has_recognition(const hf_face_session *session)
{
    return session->feature.instance != NULL;
}

hf_status hf_face_results_reserve(hf_face_session *session, int count)
{
    hf_face_results *results = &session->results;
    size_t n = (size_t)(count > 0 ? count : 1);

    /* Each detection calls this once, so the pipeline getters can use the
     * count to tell whether a track call came after the last pipeline call. */
    session->detect_calls++;
    if (count <= session->result_capacity && results->tokens != NULL) {
        return HF_OK;
    }
    results_free(results);
    session->result_capacity = 0;
    results->rects = hf_calloc(n, sizeof(*results->rects));
    results->track_ids = hf_calloc(n, sizeof(int));
    results->track_counts = hf_calloc(n, sizeof(int));
    results->scores = hf_calloc(n, sizeof(float));
    results->roll = hf_calloc(n, sizeof(float));
    results->yaw = hf_calloc(n, sizeof(float));
    results->pitch = hf_calloc(n, sizeof(float));
    results->tokens = hf_calloc(n, HF_FACE_TOKEN_SIZE);
    if (!results->rects || !results->track_ids || !results->track_counts || !results->scores ||
        !results->roll || !results->yaw || !results->pitch || !results->tokens) {
        results_free(results);
        return HF_ERR_NO_MEMORY;
    }
    session->result_capacity = (int)n;
    return HF_OK;
}
