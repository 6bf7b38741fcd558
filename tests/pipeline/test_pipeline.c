/* The face pipeline calls through the public API on the default pack:
 * argument checks, RGB liveness, eye state, emotion, actions and the
 * getters' face counts. Expected values are InspireFace's own test
 * expectations for the same images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspireface.h"

#define IMAGES HF_SHARED_DIR "/data/images/"

/* One image decoded, turned into a stream and tracked. */
typedef struct tracked {
    HFImageBitmap bitmap;
    HFImageStream stream;
    HFMultipleFaceData faces;
} tracked;

static const char *pack_path(void)
{
    const char *path = getenv("HF_PACK_PATH");

    return path != NULL ? path : HF_BINARY_DIR "/default.pack";
}

static HFSession open_session(HOption option)
{
    HFSession session = NULL;

    assert_int_equal(HFCreateInspireFaceSessionOptional(option, HF_DETECT_MODE_ALWAYS_DETECT, 4,
                                                        -1, -1, &session),
                     HSUCCEED);
    return session;
}

/* Tracks `path` rotated by `rotation` and checks that it has a face. */
static void track(HFSession session, const char *path, HFRotation rotation, tracked *out)
{
    memset(out, 0, sizeof(*out));
    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &out->bitmap), HSUCCEED);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(out->bitmap, rotation, &out->stream),
                     HSUCCEED);
    assert_int_equal(HFExecuteFaceTrack(session, out->stream, &out->faces), HSUCCEED);
    if (out->faces.detectedNum < 1) {
        print_message("no face in %s\n", path);
        fail();
    }
}

static void release(tracked *image)
{
    HFReleaseImageStream(image->stream);
    HFReleaseImageBitmap(image->bitmap);
}

static int setup(void **state)
{
    (void)state;
    return HFLaunchInspireFace(pack_path()) == HSUCCEED ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return HFTerminateInspireFace() == HSUCCEED ? 0 : -1;
}

static void pipeline_codes(void **state)
{
    HFSession session = open_session(HF_ENABLE_LIVENESS);
    HFFaceBasicToken short_token;
    HFMultipleFaceData list;
    unsigned char bytes[10] = {0};
    tracked kun;
    float quality = 0.0f;

    (void)state;
    track(session, IMAGES "bulk/kun.jpg", HF_CAMERA_ROTATION_0, &kun);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(NULL, kun.stream, &kun.faces,
                                                           HF_ENABLE_LIVENESS),
                     HERR_INVALID_CONTEXT_HANDLE);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, NULL, &kun.faces,
                                                           HF_ENABLE_LIVENESS),
                     HERR_INVALID_IMAGE_STREAM_HANDLE);
    memset(&list, 0, sizeof(list));
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, kun.stream, &list,
                                                           HF_ENABLE_LIVENESS),
                     HSUCCEED);
    list.detectedNum = 1;
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, kun.stream, &list,
                                                           HF_ENABLE_LIVENESS),
                     HERR_INVALID_FACE_LIST);
    short_token.size = (HInt32)sizeof(bytes);
    short_token.data = bytes;
    list.tokens = &short_token;
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, kun.stream, &list,
                                                           HF_ENABLE_LIVENESS),
                     HERR_INVALID_FACE_TOKEN);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, kun.stream, &kun.faces,
                                                           HF_ENABLE_FACE_EMOTION),
                     HERR_SESS_PIPELINE_FAILURE);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, kun.stream, &kun.faces,
                                                           HF_ENABLE_MASK_DETECT),
                     HERR_SESS_PIPELINE_FAILURE);
    assert_int_equal(HFFaceQualityDetect(session, kun.faces.tokens[0], &quality), HSUCCEED);
    assert_float_equal(quality, -1.0f, 0.0f);
    assert_int_equal(HFFaceQualityDetect(session, short_token, &quality),
                     HERR_SESS_FACE_DATA_ERROR);
    assert_int_equal(HFGetFaceEmotionResult(session, NULL), HERR_INVALID_PARAM);
    release(&kun);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

static float liveness_of(HFSession session, const char *path, HFRotation rotation)
{
    HFRGBLivenessConfidence confidence;
    tracked image;
    float value;

    track(session, path, rotation, &image);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, image.stream, &image.faces,
                                                           HF_ENABLE_LIVENESS),
                     HSUCCEED);
    assert_int_equal(HFGetRGBLivenessConfidence(session, &confidence), HSUCCEED);
    assert_int_equal(confidence.num, image.faces.detectedNum);
    value = confidence.confidence[0];
    release(&image);
    return value;
}

static void pipeline_liveness(void **state)
{
    HFSession session = open_session(HF_ENABLE_LIVENESS);
    float fake = liveness_of(session, IMAGES "bulk/rgb_fake.jpg", HF_CAMERA_ROTATION_0);
    float live = liveness_of(session, IMAGES "bulk/kun.jpg", HF_CAMERA_ROTATION_0);

    (void)state;
    print_message("liveness: rgb_fake %.4f, kun %.4f\n", fake, live);
    assert_true(fake < 0.9f);
    assert_true(live > 0.5f);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

static void eyes_of(HFSession session, const char *path, float open[2])
{
    HFFaceInteractionState eyes;
    HFFaceInteractionsActions actions;
    tracked image;

    track(session, path, HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, image.stream, &image.faces,
                                                           HF_ENABLE_INTERACTION),
                     HSUCCEED);
    assert_int_equal(HFGetFaceInteractionStateResult(session, &eyes), HSUCCEED);
    assert_int_equal(eyes.num, image.faces.detectedNum);
    open[0] = eyes.leftEyeStatusConfidence[0];
    open[1] = eyes.rightEyeStatusConfidence[0];
    print_message("eyes of %s: left %.4f, right %.4f\n", path, open[0], open[1]);
    /* Always-detect mode: every face is new, so only "normal" is set. */
    assert_int_equal(HFGetFaceInteractionActionsResult(session, &actions), HSUCCEED);
    assert_int_equal(actions.num, image.faces.detectedNum);
    assert_int_equal(actions.normal[0], 1);
    assert_int_equal(actions.shake[0], 0);
    assert_int_equal(actions.jawOpen[0], 0);
    assert_int_equal(actions.headRaise[0], 0);
    assert_int_equal(actions.blink[0], 0);
    release(&image);
}

static void pipeline_eyes(void **state)
{
    HFSession session = open_session(HF_ENABLE_INTERACTION);
    float open[2];

    (void)state;
    eyes_of(session, IMAGES "reaction/open_eyes.png", open);
    assert_true(open[0] > 0.5f);
    assert_true(open[1] > 0.5f);
    eyes_of(session, IMAGES "reaction/close_eyes.jpeg", open);
    assert_true(open[0] < 0.5f);
    assert_true(open[1] < 0.5f);
    eyes_of(session, IMAGES "reaction/close_open_eyes.jpeg", open);
    assert_true(open[0] < 0.5f);
    assert_true(open[1] > 0.5f);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

static int emotion_of(HFSession session, const char *path)
{
    HFFaceEmotionResult result;
    tracked image;
    int emotion;

    track(session, path, HF_CAMERA_ROTATION_0, &image);
    assert_int_equal(HFMultipleFacePipelineProcessOptional(session, image.stream, &image.faces,
                                                           HF_ENABLE_FACE_EMOTION),
                     HSUCCEED);
    assert_int_equal(HFGetFaceEmotionResult(session, &result), HSUCCEED);
    assert_int_equal(result.num, image.faces.detectedNum);
    emotion = result.emotion[0];
    release(&image);
    return emotion;
}

static void pipeline_emotion(void **state)
{
    HFSession session = open_session(HF_ENABLE_FACE_EMOTION);

    (void)state;
    assert_int_equal(emotion_of(session, IMAGES "emotion/anger.png"), 6);
    assert_int_equal(emotion_of(session, IMAGES "emotion/sad.png"), 2);
    assert_int_equal(emotion_of(session, IMAGES "emotion/happy.png"), 1);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

/* The face count each pipeline getter reports. */
typedef struct getter_counts {
    int liveness;
    int mask;
    int quality;
    int eyes;
    int actions;
    int attributes;
    int emotion;
} getter_counts;

static getter_counts counts_of(HFSession session)
{
    HFRGBLivenessConfidence liveness;
    HFFaceMaskConfidence mask;
    HFFaceQualityConfidence quality;
    HFFaceInteractionState eyes;
    HFFaceInteractionsActions actions;
    HFFaceAttributeResult attributes;
    HFFaceEmotionResult emotion;

    assert_int_equal(HFGetRGBLivenessConfidence(session, &liveness), HSUCCEED);
    assert_int_equal(HFGetFaceMaskConfidence(session, &mask), HSUCCEED);
    assert_int_equal(HFGetFaceQualityConfidence(session, &quality), HSUCCEED);
    assert_int_equal(HFGetFaceInteractionStateResult(session, &eyes), HSUCCEED);
    assert_int_equal(HFGetFaceInteractionActionsResult(session, &actions), HSUCCEED);
    assert_int_equal(HFGetFaceAttributeResult(session, &attributes), HSUCCEED);
    assert_int_equal(HFGetFaceEmotionResult(session, &emotion), HSUCCEED);
    for (int i = 0; i < mask.num; i++) {
        assert_float_equal(mask.confidence[i], -1.0f, 0.0f);
        assert_int_equal(attributes.race[i], -1);
        assert_int_equal(attributes.gender[i], -1);
        assert_int_equal(attributes.ageBracket[i], -1);
        assert_float_equal(quality.confidence[i], -1.0f, 0.0f);
    }
    return (getter_counts){liveness.num, mask.num, quality.num, eyes.num, actions.num,
                           attributes.num, emotion.num};
}

static void pipeline_counts(void **state)
{
    HFSession session = open_session(HF_ENABLE_LIVENESS | HF_ENABLE_INTERACTION |
                                      HF_ENABLE_MASK_DETECT | HF_ENABLE_FACE_ATTRIBUTE);
    HFFaceBasicToken tokens[2];
    HFMultipleFaceData pair;
    getter_counts counts;
    tracked image;

    (void)state;
    track(session, IMAGES "bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    /* A caller-built list of two faces (the same face twice). */
    tokens[0] = image.faces.tokens[0];
    tokens[1] = image.faces.tokens[0];
    memset(&pair, 0, sizeof(pair));
    pair.detectedNum = 2;
    pair.tokens = tokens;
    assert_int_equal(HFMultipleFacePipelineProcessOptional(
                         session, image.stream, &pair,
                         HF_ENABLE_LIVENESS | HF_ENABLE_INTERACTION | HF_ENABLE_MASK_DETECT |
                             HF_ENABLE_FACE_ATTRIBUTE),
                     HSUCCEED);
    counts = counts_of(session);
    assert_int_equal(counts.liveness, 2);
    assert_int_equal(counts.mask, 2);
    assert_int_equal(counts.quality, 2);
    assert_int_equal(counts.eyes, 2);
    assert_int_equal(counts.actions, 2);
    assert_int_equal(counts.attributes, 2);
    assert_int_equal(counts.emotion, 2);
    release(&image);

    track(session, IMAGES "bulk/kun.jpg", HF_CAMERA_ROTATION_0, &image);
    counts = counts_of(session);
    assert_int_equal(counts.eyes, 0);
    assert_int_equal(counts.actions, 0);
    assert_int_equal(counts.emotion, 0);
    assert_int_equal(counts.quality, image.faces.detectedNum);
    release(&image);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

/* The liveness crop follows the upright face, so a photo stored a quarter
 * turn off and streamed with that rotation still scores as live. */
static void pipeline_rotation(void **state)
{
    HFSession session = open_session(HF_ENABLE_LIVENESS);
    float upright = liveness_of(session, IMAGES "bulk/r0.jpg", HF_CAMERA_ROTATION_0);
    float turned = liveness_of(session, IMAGES "bulk/r90.jpg", HF_CAMERA_ROTATION_90);

    (void)state;
    print_message("liveness: r0 %.4f, r90 streamed at 90 degrees %.4f\n", upright, turned);
    assert_true(upright > 0.5f);
    assert_true(turned > 0.5f);
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipeline_codes),   cmocka_unit_test(pipeline_liveness),
        cmocka_unit_test(pipeline_eyes),    cmocka_unit_test(pipeline_emotion),
        cmocka_unit_test(pipeline_counts),  cmocka_unit_test(pipeline_rotation),
    };

    return cmocka_run_group_tests_name("pipeline", tests, setup, teardown);
}
