/* Session creation and release, pixel levels and the landmark engine. */
#include <string.h>

#include "api/api_internal.h"
#include "api/face_session.h"
#include "base/alloc.h"
#include "face/analysis.h"
#include "pack/pack.h"

hf_api_session *hf_api_session_get(HFSession handle)
{
    if (!hf_registry_contains(HF_HANDLE_SESSION, handle)) {
        return NULL;
    }
    return handle;
}

HResult HFSwitchLandmarkEngine(HFSessionLandmarkEngine engine)
{
    hf_face_pack_spec spec;
    void *pack = NULL;

    if (engine < HF_LANDMARK_HYPLMV2_0_25 || engine > HF_LANDMARK_INSIGHTFACE_2D106_TRACK) {
        HF_LOGE("HFSwitchLandmarkEngine: unknown engine %d", (int)engine);
        return HERR_INVALID_PARAM;
    }
    if (hf_api_pack_acquire(&spec, &pack) != HF_OK) {
        HF_LOGE("HFSwitchLandmarkEngine: no pack is launched");
        return HERR_ARCHIVE_NOT_LOAD;
    }
    hf_api_pack_release(pack);
    /* The pack has one landmark model (68 points). It replaces the default
     * engine, and every session uses it. */
    if (engine != HF_LANDMARK_HYPLMV2_0_25) {
        HF_LOGE("HFSwitchLandmarkEngine: engine %d is not in the pack; keeping the 68-point "
                "landmark model", (int)engine);
        return HERR_ARCHIVE_LOAD_MODEL_FAILURE;
    }
    return HSUCCEED;
}

HResult HFQuerySupportedPixelLevelsForFaceDetection(PHFFaceDetectPixelList pixel_levels)
{
    hf_face_pack_spec spec;
    void *pack = NULL;
    int count;

    if (pixel_levels == NULL) {
        HF_LOGE("HFQuerySupportedPixelLevelsForFaceDetection: pixel_levels is NULL");
        return HERR_INVALID_PARAM;
    }
    if (hf_api_pack_acquire(&spec, &pack) != HF_OK) {
        hf_face_pack_spec_default(&spec);
    }
    hf_api_pack_release(pack);
    count = spec.pixel_level_count < 20 ? spec.pixel_level_count : 20;
    memset(pixel_levels, 0, sizeof(*pixel_levels));
    for (int i = 0; i < count; i++) {
        pixel_levels->pixel_level[i] = spec.pixel_levels[i];
    }
    pixel_levels->size = count;
    return HSUCCEED;
}

static HResult create_code(hf_status status)
{
    switch (status) {
    case HF_ERR_INVALID_ARG: return HERR_INVALID_PARAM;
    case HF_ERR_NO_MEMORY: return HERR_UNKNOWN;
    default: return HERR_ARCHIVE_LOAD_MODEL_FAILURE;
    }
}

static void session_free(hf_api_session *session)
{
    if (session == NULL) {
        return;
    }
    hf_face_session_destroy(session->face);
    hf_api_pack_release(session->pack);
    hf_free(session->tokens);
    hf_free(session);
}

/* Copies an analysis model's bytes from the pack into `spec`. A model the
 * pack lacks keeps NULL bytes, which fail only when a session requests it. */
static void analysis_model(const hf_pack *pack, const char *role, hf_face_model_spec *spec)
{
    hf_pack_model model;

    if (hf_pack_find(pack, role, &model) == HF_OK) {
        spec->bytes = model.bytes;
        spec->size = model.size;
        spec->identity = model.sha256;
    }
}

/* Loads the liveness, eye and expression models the parameter requests.
 * The pack has no mask or attribute model, so sessions requesting them are
 * still created and those results stay at their not-computed values. */
static hf_status enable_analysis(hf_api_session *session, HFSessionCustomParameter parameter)
{
    hf_face_analysis_spec spec;
    int flags = 0;

    hf_face_analysis_spec_default(&spec);
    analysis_model(session->pack, "liveness", &spec.liveness);
    analysis_model(session->pack, "eye", &spec.eye);
    analysis_model(session->pack, "expression", &spec.expression);
    flags |= parameter.enable_liveness ? HF_FACE_ANALYSIS_LIVENESS : 0;
    flags |= parameter.enable_interaction_liveness ? HF_FACE_ANALYSIS_EYES : 0;
    flags |= parameter.enable_face_emotion ? HF_FACE_ANALYSIS_EMOTION : 0;
    if (parameter.enable_mask_detect || parameter.enable_face_attribute) {
        HF_LOGW("HFCreateInspireFaceSession: the pack has no mask or attribute model, so "
                "those results stay at -1 (not computed)");
    }
    return hf_face_analysis_enable(session->face, &spec, flags);
}

static HResult create_session(HFSessionCustomParameter parameter, HFDetectMode mode,
                              HInt32 max_faces, HInt32 pixel_level, PHFSession handle)
{
    hf_face_session_options options = {0};
    hf_face_pack_spec spec;
    hf_api_session *session;
    hf_status status;

    if (handle == NULL) {
        HF_LOGE("HFCreateInspireFaceSession: handle is NULL");
        return HERR_INVALID_PARAM;
    }
    *handle = NULL;
    if (max_faces <= 0) {
        HF_LOGE("HFCreateInspireFaceSession: maxDetectFaceNum %d must be positive", max_faces);
        return HERR_INVALID_PARAM;
    }
    if (mode == HF_DETECT_MODE_LIGHT_TRACK || mode == HF_DETECT_MODE_TRACK_BY_DETECTION) {
        HF_LOGE("HFCreateInspireFaceSession: detect mode %d (tracking) is not implemented; "
                "use HF_DETECT_MODE_ALWAYS_DETECT", (int)mode);
        return HERR_SESS_FUNCTION_UNUSABLE;
    }
    session = hf_calloc(1, sizeof(*session));
    if (session == NULL) {
        return HERR_UNKNOWN;
    }
    status = hf_api_pack_acquire(&spec, &session->pack);
    if (status != HF_OK) {
        hf_free(session);
        if (status == HF_ERR_STATE) {
            HF_LOGE("HFCreateInspireFaceSession: no pack is launched; call HFLaunchInspireFace");
            return HERR_ARCHIVE_NOT_LOAD;
        }
        HF_LOGE("HFCreateInspireFaceSession: the pack's face models are unusable: %s",
                hf_status_message(status));
        return HERR_ARCHIVE_LOAD_MODEL_FAILURE;
    }
    session->parameter = parameter;
    session->detect_mode = HF_DETECT_MODE_ALWAYS_DETECT;
    options.enable_recognition = parameter.enable_recognition != 0;
    options.enable_pose = parameter.enable_face_pose != 0 || parameter.enable_face_quality != 0;
    options.max_faces = max_faces;
    options.pixel_level = hf_face_pixel_level_pick(&spec, pixel_level);
    status = hf_face_session_create(&spec, &options, &session->face);
    if (status == HF_OK) {
        status = enable_analysis(session, parameter);
    }
    if (status == HF_OK) {
        status = hf_registry_add(HF_HANDLE_SESSION, session);
    }
    if (status != HF_OK) {
        HF_LOGE("HFCreateInspireFaceSession: creating the session failed: %s",
                hf_status_message(status));
        session_free(session);
        return create_code(status);
    }
    *handle = session;
    return HSUCCEED;
}

HResult HFCreateInspireFaceSession(HFSessionCustomParameter parameter, HFDetectMode detectMode,
                                   HInt32 maxDetectFaceNum, HInt32 detectPixelLevel,
                                   HInt32 trackByDetectModeFPS, PHFSession handle)
{
    /* The frame rate only matters to the track-by-detection mode. */
    (void)trackByDetectModeFPS;
    return create_session(parameter, detectMode, maxDetectFaceNum, detectPixelLevel, handle);
}

HResult HFCreateInspireFaceSessionOptional(HOption customOption, HFDetectMode detectMode,
                                           HInt32 maxDetectFaceNum, HInt32 detectPixelLevel,
                                           HInt32 trackByDetectModeFPS, PHFSession handle)
{
    HFSessionCustomParameter parameter;

    (void)trackByDetectModeFPS;
    memset(&parameter, 0, sizeof(parameter));
    parameter.enable_recognition = (customOption & HF_ENABLE_FACE_RECOGNITION) != 0;
    parameter.enable_liveness = (customOption & HF_ENABLE_LIVENESS) != 0;
    parameter.enable_ir_liveness = (customOption & HF_ENABLE_IR_LIVENESS) != 0;
    parameter.enable_mask_detect = (customOption & HF_ENABLE_MASK_DETECT) != 0;
    parameter.enable_face_attribute = (customOption & HF_ENABLE_FACE_ATTRIBUTE) != 0;
    parameter.enable_face_quality = (customOption & HF_ENABLE_QUALITY) != 0;
    parameter.enable_interaction_liveness = (customOption & HF_ENABLE_INTERACTION) != 0;
    parameter.enable_face_pose = (customOption & HF_ENABLE_FACE_POSE) != 0;
    parameter.enable_face_emotion = (customOption & HF_ENABLE_FACE_EMOTION) != 0;
    return create_session(parameter, detectMode, maxDetectFaceNum, detectPixelLevel, handle);
}

HResult HFReleaseInspireFaceSession(HFSession handle)
{
    if (!hf_registry_remove(HF_HANDLE_SESSION, handle)) {
        HF_LOGE("HFReleaseInspireFaceSession: %p is not a live session", handle);
        return HERR_INVALID_CONTEXT_HANDLE;
    }
    session_free(handle);
    return HSUCCEED;
}
