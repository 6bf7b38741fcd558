/* The launched pack and the translation of its manifest into what the face
 * pipeline takes. */
#include "api/launch.h"

#include <pthread.h>
#include <string.h>

#include "api/compare.h"
#include "base/log.h"

static pthread_mutex_t launch_lock = PTHREAD_MUTEX_INITIALIZER;
static hf_pack *launched;

/* Applies the pack-wide settings that live outside the pack object. */
static void apply_pack_settings(const hf_pack *pack)
{
    float converter[5];

    /* A pack without the block leaves the current converter in place. */
    if (hf_pack_similarity_converter(pack, converter) == HF_OK) {
        hf_compare_apply_pack_converter(converter);
    }
}

/* Replaces the launched pack; called with launch_lock held. */
static void replace_locked(hf_pack *pack)
{
    hf_pack *old = launched;

    launched = pack;
    if (old != NULL) {
        hf_pack_release(old);
        /* Cached models may point into the old pack's bytes; sessions keep
         * the instances they already have. */
        hf_face_model_cache_clear();
    }
}

static hf_status launch_locked(const char *path)
{
    hf_pack *pack;
    hf_status status = hf_pack_open(path, &pack);

    if (status != HF_OK) {
        return status;
    }
    apply_pack_settings(pack);
    replace_locked(pack);
    HF_LOGI("launched model pack %s (%s %s, %d models)", path, hf_pack_name(pack),
            hf_pack_version(pack), hf_pack_model_count(pack));
    return HF_OK;
}

hf_status hf_launch_open(const char *path)
{
    hf_status status = HF_OK;

    if (path == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&launch_lock);
    if (launched != NULL) {
        HF_LOGW("a model pack is already launched; %s is not loaded", path);
    } else {
        status = launch_locked(path);
    }
    pthread_mutex_unlock(&launch_lock);
    return status;
}

hf_status hf_launch_reload(const char *path)
{
    hf_status status;

    pthread_mutex_lock(&launch_lock);
    replace_locked(NULL);
    status = path != NULL ? launch_locked(path) : HF_ERR_INVALID_ARG;
    pthread_mutex_unlock(&launch_lock);
    return status;
}

void hf_launch_terminate(void)
{
    pthread_mutex_lock(&launch_lock);
    replace_locked(NULL);
    pthread_mutex_unlock(&launch_lock);
}

int hf_launch_is_launched(void)
{
    int result;

    pthread_mutex_lock(&launch_lock);
    result = launched != NULL;
    pthread_mutex_unlock(&launch_lock);
    return result;
}

hf_status hf_launch_acquire(hf_pack **out)
{
    hf_status status = HF_ERR_STATE;

    pthread_mutex_lock(&launch_lock);
    if (launched != NULL) {
        *out = hf_pack_retain(launched);
        status = HF_OK;
    }
    pthread_mutex_unlock(&launch_lock);
    return status;
}

/* ---- manifest -> face pipeline ---- */

/* Reads the model of `role` into `spec` when the pack has it; a role the
 * pack lacks leaves the spec's bytes NULL. */
static hf_status fill_model(const hf_pack *pack, const char *role, hf_face_model_spec *spec)
{
    static const int rgb_order[3] = {2, 1, 0}; /* frames are BGR */
    static const int bgr_order[3] = {0, 1, 2};
    hf_pack_model model;
    const char *color = NULL;
    int channels = 0;

    if (hf_pack_find(pack, role, &model) != HF_OK) {
        spec->bytes = NULL;
        spec->size = 0;
        spec->identity = NULL;
        return HF_OK;
    }
    /* hf_pack_open checked these fields, so they are present and valid. */
    if (hf_json_get_int(model.input, "width", &spec->input_width) ||
        hf_json_get_int(model.input, "height", &spec->input_height) ||
        hf_json_get_int(model.input, "channels", &channels) ||
        hf_json_get_string(model.input, "color", &color)) {
        return HF_ERR_FORMAT;
    }
    memset(&spec->normalize, 0, sizeof(spec->normalize));
    memcpy(spec->normalize.order, strcmp(color, "bgr") == 0 ? bgr_order : rgb_order,
           sizeof(rgb_order));
    if (channels == 1) {
        memset(spec->normalize.order, 0, sizeof(spec->normalize.order));
    }
    if (hf_json_get_floats(model.input, "mean", spec->normalize.mean, (size_t)channels) ||
        hf_json_get_floats(model.input, "scale", spec->normalize.scale, (size_t)channels)) {
        return HF_ERR_FORMAT;
    }
    spec->bytes = model.bytes;
    spec->size = model.size;
    spec->identity = model.sha256;
    spec->label = model.file;
    return HF_OK;
}

/* Reads one entry of the detector's "priors" list. */
static hf_status fill_prior_level(const hf_json *entry, hf_face_prior_config *priors, int level)
{
    const hf_json *sizes = hf_json_get(entry, "sizes");
    size_t count = hf_json_count(sizes);

    if (hf_json_get_int(entry, "stride", &priors->strides[level]) ||
        hf_json_kind(sizes) != HF_JSON_ARRAY || count == 0 || count > HF_FACE_PRIOR_MAX_SIZES) {
        HF_LOGE("manifest: detector prior level %d needs a stride and 1 to %d sizes", level,
                HF_FACE_PRIOR_MAX_SIZES);
        return HF_ERR_FORMAT;
    }
    priors->size_counts[level] = (int)count;
    for (size_t k = 0; k < count; k++) {
        priors->sizes[level][k] = (float)hf_json_number(hf_json_at(sizes, k), -1);
    }
    return HF_OK;
}

static hf_status fill_priors(const hf_json *params, hf_face_prior_config *priors)
{
    const hf_json *levels = hf_json_get(params, "priors");
    size_t count = hf_json_count(levels);
    double variance;
    hf_status status;

    if (levels != NULL) {
        if (hf_json_kind(levels) != HF_JSON_ARRAY || count == 0 ||
            count > HF_FACE_PRIOR_MAX_LEVELS) {
            HF_LOGE("manifest: detector priors must list 1 to %d levels",
                    HF_FACE_PRIOR_MAX_LEVELS);
            return HF_ERR_FORMAT;
        }
        memset(priors->sizes, 0, sizeof(priors->sizes));
        priors->level_count = (int)count;
        for (size_t level = 0; level < count; level++) {
            status = fill_prior_level(hf_json_at(levels, level), priors, (int)level);
            if (status != HF_OK) {
                return status;
            }
        }
    }
    if (hf_json_get_number(params, "center_variance", &variance) == HF_OK) {
        priors->center_variance = (float)variance;
    }
    if (hf_json_get_number(params, "size_variance", &variance) == HF_OK) {
        priors->size_variance = (float)variance;
    }
    return hf_face_prior_config_check(priors);
}

static hf_status fill_detector(const hf_pack *pack, hf_face_pack_spec *spec)
{
    hf_pack_model model;
    const hf_json *outputs;
    const hf_json *logits;
    double iou;

    if (hf_pack_find(pack, "detect", &model) != HF_OK || model.params == NULL) {
        return HF_OK;
    }
    outputs = hf_json_get(model.params, "outputs");
    if (outputs != NULL) {
        if (hf_json_count(outputs) != 2 || hf_json_string(hf_json_at(outputs, 0)) == NULL ||
            hf_json_string(hf_json_at(outputs, 1)) == NULL) {
            HF_LOGE("manifest: detector outputs must name the scores and the boxes");
            return HF_ERR_FORMAT;
        }
        spec->detect_outputs[0] = hf_json_string(hf_json_at(outputs, 0));
        spec->detect_outputs[1] = hf_json_string(hf_json_at(outputs, 1));
    }
    logits = hf_json_get(model.params, "scores_are_logits");
    if (logits != NULL) {
        spec->detect_scores_are_logits = hf_json_kind(logits) == HF_JSON_TRUE;
    }
    if (hf_json_get_number(model.params, "nms_iou", &iou) == HF_OK) {
        if (!(iou > 0 && iou <= 1)) {
            HF_LOGE("manifest: detector nms_iou %g is outside (0, 1]", iou);
            return HF_ERR_FORMAT;
        }
        spec->nms_iou = (float)iou;
    }
    return fill_priors(model.params, &spec->priors);
}

hf_status hf_launch_face_spec(const hf_pack *pack, hf_face_pack_spec *spec)
{
    hf_face_pack_spec filled;
    int levels[HF_FACE_MAX_PIXEL_LEVELS];
    int count;
    hf_status status;

    hf_face_pack_spec_default(&filled);
    status = fill_model(pack, "detect", &filled.detect);
    if (status == HF_OK) {
        status = fill_model(pack, "landmark", &filled.landmark);
    }
    if (status == HF_OK) {
        status = fill_model(pack, "pose", &filled.pose);
    }
    if (status == HF_OK) {
        status = fill_model(pack, "feature", &filled.feature);
    }
    if (status == HF_OK) {
        status = fill_detector(pack, &filled);
    }
    if (status != HF_OK) {
        return status;
    }
    count = hf_pack_pixel_levels(pack, levels, HF_FACE_MAX_PIXEL_LEVELS);
    if (count > 0) {
        filled.pixel_level_count = count < HF_FACE_MAX_PIXEL_LEVELS ? count
                                                                    : HF_FACE_MAX_PIXEL_LEVELS;
        memcpy(filled.pixel_levels, levels, (size_t)filled.pixel_level_count * sizeof(int));
    }
    *spec = filled;
    return HF_OK;
}
