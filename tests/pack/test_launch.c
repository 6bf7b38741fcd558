/* HFLaunchInspireFace, HFReloadInspireFace, HFTerminateInspireFace and
 * HFQueryInspireFaceLaunchStatus on tiny packs, and the launch state under
 * them. Codes: 251 HERR_ARCHIVE_LOAD_FAILURE, 252
 * HERR_ARCHIVE_LOAD_MODEL_FAILURE. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/launch.h"
#include "inspireface.h"
#include "pack_fixture.h"

typedef struct launch_test {
    char dir[FIXTURE_PATH_MAX];
    char good[FIXTURE_PATH_MAX];
    char corrupt[FIXTURE_PATH_MAX];
    char not_tar[FIXTURE_PATH_MAX];
    char missing[FIXTURE_PATH_MAX];
} launch_test;

static int setup(void **state)
{
    launch_test *test = calloc(1, sizeof(*test));
    uint8_t *data;
    uint8_t *model;
    size_t size = 0;

    if (test == NULL || fixture_dir_create(test->dir) ||
        fixture_tiny_pack(test->dir, test->good) != HF_OK) {
        return -1;
    }
    data = fixture_read(test->good, &size);
    if (data == NULL) {
        return -1;
    }
    model = memmem(data, size, fixture_model_b, strlen(fixture_model_b));
    if (model == NULL) {
        return -1;
    }
    model[2] ^= 1;
    fixture_path(test->corrupt, test->dir, "corrupt.pack");
    fixture_path(test->not_tar, test->dir, "template.json");
    fixture_path(test->missing, test->dir, "missing.pack");
    if (fixture_write(test->corrupt, data, size)) {
        return -1;
    }
    free(data);
    *state = test;
    return 0;
}

static int teardown(void **state)
{
    launch_test *test = *state;

    HFTerminateInspireFace();
    fixture_dir_remove(test->dir);
    free(test);
    return 0;
}

static HInt32 launch_status(void)
{
    HInt32 status = -1;

    assert_int_equal(HFQueryInspireFaceLaunchStatus(&status), HSUCCEED);
    return status;
}

static void launch_status_cycle(void **state)
{
    launch_test *test = *state;

    assert_int_equal(launch_status(), 0);
    assert_int_equal(HFLaunchInspireFace(test->good), HSUCCEED);
    assert_int_equal(launch_status(), 1);
    assert_int_equal(HFLaunchInspireFace(test->good), HSUCCEED);
    assert_int_equal(HFLaunchInspireFace(test->corrupt), HSUCCEED); /* already launched */
    assert_int_equal(launch_status(), 1);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(launch_status(), 0);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(launch_status(), 0);
    assert_int_equal(HFQueryInspireFaceLaunchStatus(NULL), HERR_INVALID_PARAM);
}

static void launch_failure_codes(void **state)
{
    launch_test *test = *state;

    assert_int_equal(HFLaunchInspireFace(NULL), HERR_ARCHIVE_LOAD_FAILURE);
    assert_int_equal(HFLaunchInspireFace(test->missing), HERR_ARCHIVE_LOAD_FAILURE);
    assert_int_equal(HFLaunchInspireFace(test->not_tar), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(HFLaunchInspireFace(test->corrupt), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(HFLaunchInspireFace(test->dir), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(launch_status(), 0);
}

static void launch_reload(void **state)
{
    launch_test *test = *state;

    assert_int_equal(HFReloadInspireFace(test->good), HSUCCEED); /* nothing launched before */
    assert_int_equal(launch_status(), 1);
    assert_int_equal(HFReloadInspireFace(test->good), HSUCCEED);
    assert_int_equal(launch_status(), 1);
    assert_int_equal(HFReloadInspireFace(test->corrupt), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(launch_status(), 0);
    assert_int_equal(HFReloadInspireFace(test->good), HSUCCEED);
    assert_int_equal(HFReloadInspireFace(NULL), HERR_ARCHIVE_LOAD_FAILURE);
    assert_int_equal(launch_status(), 0);
}

/* A reference taken before terminate keeps the models readable. */
static void launch_acquire_outlives_terminate(void **state)
{
    launch_test *test = *state;
    hf_pack *pack = NULL;
    hf_pack *after = NULL;
    hf_pack_model model;

    assert_int_equal(hf_launch_acquire(&pack), HF_ERR_STATE);
    assert_null(pack);
    assert_int_equal(HFLaunchInspireFace(test->good), HSUCCEED);
    assert_int_equal(hf_launch_acquire(&pack), HF_OK);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(hf_launch_acquire(&after), HF_ERR_STATE);
    assert_int_equal(hf_pack_find(pack, "detect", &model), HF_OK);
    assert_memory_equal(model.bytes, fixture_model_a, strlen(fixture_model_a));
    hf_pack_release(pack);
}

/* The face spec takes the manifest's sizes, colour orders and detector
 * parameters; roles the pack lacks keep NULL bytes. */
static void launch_face_spec(void **state)
{
    launch_test *test = *state;
    hf_pack *pack = NULL;
    hf_face_pack_spec spec;

    assert_int_equal(hf_pack_open(test->good, &pack), HF_OK);
    assert_int_equal(hf_launch_face_spec(pack, &spec), HF_OK);
    assert_non_null(spec.detect.bytes);
    assert_int_equal(spec.detect.size, strlen(fixture_model_a));
    assert_int_equal(spec.detect.input_width, 320);
    assert_int_equal(spec.detect.input_height, 240);
    assert_int_equal(spec.detect.normalize.order[0], 2); /* R of a BGR frame */
    assert_true(spec.detect.normalize.mean[1] == 127.0f);
    assert_true(spec.detect.normalize.scale[2] == 0.0078125f);
    assert_string_equal(spec.detect_outputs[0], "s");
    assert_string_equal(spec.detect_outputs[1], "b");
    assert_true(spec.nms_iou == 0.3f);
    assert_int_equal(spec.landmark.input_width, 64);
    assert_true(spec.landmark.normalize.scale[0] == 0.00390625f);
    assert_null(spec.feature.bytes);
    assert_null(spec.pose.bytes);
    assert_int_equal(spec.pixel_level_count, 2);
    assert_int_equal(spec.pixel_levels[1], 320);
    assert_int_equal(spec.priors.level_count, 4); /* the default layout */
    hf_pack_release(pack);
}

/* Launch installs the pack's similarity converter and its threshold as the
 * recommended cosine threshold; terminate leaves both in place. */
static void launch_applies_converter(void **state)
{
    launch_test *test = *state;
    HFSimilarityConverterConfig config = {0};
    HFloat threshold = 0;

    assert_int_equal(HFLaunchInspireFace(test->good), HSUCCEED);
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_true(threshold == 0.42f);
    assert_int_equal(HFGetCosineSimilarityConverter(&config), HSUCCEED);
    assert_true(config.threshold == 0.42f);
    assert_true(config.middleScore == 0.6f);
    assert_true(config.steepness == 8.0f);
    assert_true(config.outputMin == 0.01f);
    assert_true(config.outputMax == 1.0f);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_true(threshold == 0.42f);
}

/* Sessions need a launched pack: before launch and after terminate the
 * call fails with HERR_ARCHIVE_NOT_LOAD and leaves no handle. */
static void launch_session_needs_pack(void **state)
{
    launch_test *test = *state;
    HFSession session = NULL;

    assert_int_equal(HFCreateInspireFaceSessionOptional(HF_ENABLE_NONE,
                                                        HF_DETECT_MODE_ALWAYS_DETECT, 5, -1, -1,
                                                        &session),
                     HERR_ARCHIVE_NOT_LOAD);
    assert_null(session);
    assert_int_equal(HFLaunchInspireFace(test->good), HSUCCEED);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    assert_int_equal(HFCreateInspireFaceSessionOptional(HF_ENABLE_NONE,
                                                        HF_DETECT_MODE_ALWAYS_DETECT, 5, -1, -1,
                                                        &session),
                     HERR_ARCHIVE_NOT_LOAD);
    assert_null(session);
}

typedef struct churn_args {
    const char *path;
    int failures;
} churn_args;

/* Reloads, acquires and terminates in a loop; another thread does the same
 * at the same time. */
static void *churn(void *data)
{
    churn_args *args = data;

    for (int i = 0; i < 50; i++) {
        hf_pack *pack = NULL;
        hf_pack_model model;
        HInt32 status = -1;

        if (i % 3 == 0 && HFReloadInspireFace(args->path) != HSUCCEED) {
            args->failures++;
        }
        if (hf_launch_acquire(&pack) == HF_OK) {
            if (hf_pack_find(pack, "detect", &model) != HF_OK ||
                memcmp(model.bytes, fixture_model_a, model.size) != 0) {
                args->failures++;
            }
            hf_pack_release(pack);
        }
        if (HFQueryInspireFaceLaunchStatus(&status) != HSUCCEED || (status != 0 && status != 1)) {
            args->failures++;
        }
        if (i % 5 == 0) {
            HFTerminateInspireFace();
        }
    }
    return NULL;
}

static void launch_concurrent_reload(void **state)
{
    launch_test *test = *state;
    pthread_t threads[4];
    churn_args args[4];

    for (int i = 0; i < 4; i++) {
        args[i] = (churn_args){test->good, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, churn, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(args[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(launch_status_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_failure_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_acquire_outlives_terminate, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_face_spec, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_applies_converter, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_session_needs_pack, setup, teardown),
        cmocka_unit_test_setup_teardown(launch_concurrent_reload, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
