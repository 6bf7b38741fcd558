/* The real default pack launches, lists the seven pinned faceplugin models
 * and drives the face pipeline. The CTest fixture pack_build_default writes
 * it with tools/pack/build-pack.sh, and HF_PACK_PATH names it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "api/launch.h"
#include "image/image.h"
#include "inspireface.h"
#include "pack_fixture.h"

static const char *pack_path(void)
{
    const char *path = getenv("HF_PACK_PATH");

    return path != NULL ? path : HF_BINARY_DIR "/default.pack";
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

/* Each model's digest must be the one pinned in tools/pack/models.sha256
 * (written from sha256sum of the npm package's files) and its size that of
 * the fetched file. */
static void default_pack_models(void **state)
{
    static const char *const roles[] = {"detect", "liveness", "landmark", "feature",
                                        "eye", "pose", "expression"};
    char *pinned;
    size_t pinned_size = 0;
    hf_pack *pack = NULL;
    hf_pack_model model;

    (void)state;
    pinned = (char *)fixture_read(HF_SOURCE_DIR "/tools/pack/models.sha256", &pinned_size);
    assert_non_null(pinned);
    assert_int_equal(hf_launch_acquire(&pack), HF_OK);
    assert_string_equal(hf_pack_name(pack), "default");
    assert_int_equal(hf_pack_model_count(pack), 7);
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        char line[256];
        char path[FIXTURE_PATH_MAX];
        struct stat info;

        assert_int_equal(hf_pack_find(pack, roles[i], &model), HF_OK);
        snprintf(line, sizeof(line), "%s  faceplugin/model/%s\n", model.sha256, model.file);
        if (strstr(pinned, line) == NULL) {
            fail_msg("%s: sha256 %s of %s is not the pinned one", roles[i], model.sha256,
                     model.file);
        }
        snprintf(path, sizeof(path), "%s/models/faceplugin/model/%s", HF_SOURCE_DIR, model.file);
        assert_int_equal(stat(path, &info), 0);
        assert_int_equal(model.size, (size_t)info.st_size);
    }
    for (int i = 0; i < hf_pack_model_count(pack); i++) {
        assert_int_equal(hf_pack_model_at(pack, i, &model), HF_OK);
        assert_null(strstr(model.file, "fr_age"));
        assert_null(strstr(model.file, "fr_gender"));
    }
    hf_pack_release(pack);
    free(pinned);
}

static void default_pack_settings(void **state)
{
    hf_pack *pack = NULL;
    float converter[5];
    int levels[4] = {0};

    (void)state;
    assert_int_equal(hf_launch_acquire(&pack), HF_OK);
    assert_int_equal(hf_pack_similarity_converter(pack, converter), HF_OK);
    assert_true(converter[0] == 0.336f);
    assert_true(converter[1] == 0.6f);
    assert_int_equal(hf_pack_pixel_levels(pack, levels, 4), 3);
    assert_int_equal(levels[0], 160);
    assert_int_equal(levels[2], 640);
    hf_pack_release(pack);
}

static int count_faces(hf_face_session *session, const char *name)
{
    char path[FIXTURE_PATH_MAX];
    hf_image image;
    hf_face_frame frame;
    const hf_face_results *results = NULL;
    int count;

    snprintf(path, sizeof(path), "%s/data/images/%s", HF_SHARED_DIR, name);
    assert_int_equal(hf_image_decode_file(path, 3, &image), HF_OK);
    frame.upright = (hf_face_pixels){image.data, image.width, image.height, image.stride, 3};
    frame.buffer_width = image.width;
    frame.buffer_height = image.height;
    frame.quarter_turns = 0;
    assert_int_equal(hf_face_session_detect(session, &frame, &results), HF_OK);
    count = results->count;
    hf_image_release(&image);
    return count;
}

/* A session built from the pack's spec finds the two faces of 7242.jpg and
 * none in view.jpg, the counts InspireFace's own tests expect. */
static void default_pack_face_session(void **state)
{
    hf_pack *pack = NULL;
    hf_face_pack_spec spec;
    hf_face_session_options options = {1, 1, 10, 320};
    hf_face_session *session = NULL;

    (void)state;
    assert_int_equal(hf_launch_acquire(&pack), HF_OK);
    assert_int_equal(hf_launch_face_spec(pack, &spec), HF_OK);
    assert_int_equal(spec.detect.input_width, 320);
    assert_int_equal(spec.detect.input_height, 240);
    assert_int_equal(spec.pose.normalize.order[0], 2);
    assert_int_equal(spec.pixel_level_count, 3);
    options.pixel_level = hf_face_pixel_level_pick(&spec, -1);
    assert_int_equal(hf_face_session_create(&spec, &options, &session), HF_OK);
    /* The session keeps working after the launched pack is dropped. */
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(count_faces(session, "attribute/7242.jpg"), 2);
    assert_int_equal(count_faces(session, "bulk/view.jpg"), 0);
    hf_face_session_destroy(session);
    hf_pack_release(pack);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(default_pack_models, setup, teardown),
        cmocka_unit_test_setup_teardown(default_pack_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(default_pack_face_session, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
