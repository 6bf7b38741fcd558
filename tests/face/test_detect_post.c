/* Prior layout, box decoding, NMS and area order of the detector
 * post-processing, against the prior table of fr_detect and hand-worked
 * boxes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "face/detect_post.h"

static void expect_near(double actual, double expected, double tolerance, const char *what)
{
    if (fabs(actual - expected) > tolerance || isnan(actual)) {
        print_error("%s: got %.7g, expected %.7g (tolerance %g)\n", what, actual, expected,
                    tolerance);
        fail();
    }
}

static void expect_prior(const float *prior, double cx, double cy, double w, double h)
{
    expect_near(prior[0], cx, 1e-7, "prior centre x");
    expect_near(prior[1], cy, 1e-7, "prior centre y");
    expect_near(prior[2], w, 1e-7, "prior width");
    expect_near(prior[3], h, 1e-7, "prior height");
}

static void priors_count_sizes(void **state)
{
    hf_face_prior_config config;

    (void)state;
    hf_face_prior_config_default(&config);
    /* 40x30x3 + 20x15x2 + 10x8x2 + 5x4x3: the 4420 rows of fr_detect. */
    assert_int_equal(hf_face_prior_count(&config, 320, 240), 4420);
    assert_int_equal(hf_face_prior_count(&config, 640, 480), 80 * 60 * 3 + 40 * 30 * 2 +
                                                                 20 * 15 * 2 + 10 * 8 * 3);
    assert_int_equal(hf_face_prior_count(&config, 160, 120), 20 * 15 * 3 + 10 * 8 * 2 +
                                                                 5 * 4 * 2 + 3 * 2 * 3);
}

static void priors_table_320(void **state)
{
    hf_face_prior_config config;
    float *priors = NULL;
    int count = 0;

    (void)state;
    hf_face_prior_config_default(&config);
    assert_int_equal(hf_face_priors_build(&config, 320, 240, &priors, &count), HF_OK);
    assert_int_equal(count, 4420);
    expect_prior(priors, 0.5 / 40, 0.5 / 30, 10.0 / 320, 10.0 / 240);
    expect_prior(priors + 4 * 2, 0.5 / 40, 0.5 / 30, 24.0 / 320, 24.0 / 240);
    /* Second column of row 0 at level 0. */
    expect_prior(priors + 4 * 3, 1.5 / 40, 0.5 / 30, 10.0 / 320, 10.0 / 240);
    /* Level 2 has 8 rows: its row 1 is centred at 1.5 / 8, not at 48 / 240. */
    int level2 = 3600 + 600;
    expect_prior(priors + 4 * (level2 + 10 * 2), 0.5 / 10, 1.5 / 8, 64.0 / 320, 64.0 / 240);
    /* The 256-px prior's height is clamped to 1. */
    expect_prior(priors + 4 * 4419, 4.5 / 5, 3.5 / 4, 256.0 / 320, 1.0);
    hf_free(priors);
}

static void priors_config_rejected(void **state)
{
    hf_face_prior_config config;
    float *priors = NULL;
    int count = 0;

    (void)state;
    hf_face_prior_config_default(&config);
    config.strides[1] = 0;
    assert_int_equal(hf_face_priors_build(&config, 320, 240, &priors, &count),
                     HF_ERR_INVALID_ARG);
    hf_face_prior_config_default(&config);
    config.level_count = HF_FACE_PRIOR_MAX_LEVELS + 1;
    assert_int_equal(hf_face_prior_config_check(&config), HF_ERR_INVALID_ARG);
    hf_face_prior_config_default(&config);
    assert_int_equal(hf_face_priors_build(&config, 0, 240, &priors, &count),
                     HF_ERR_INVALID_ARG);
    assert_null(priors);
}

static void decode_known_box(void **state)
{
    hf_face_prior_config config;
    const float prior[4] = {0.5f, 0.4f, 0.2f, 0.1f};
    const float zero[4] = {0, 0, 0, 0};
    /* Centre moves by 0.1 * 1 * 0.2 = 0.02 in x and 0.1 * -2 * 0.1 = -0.02 in
     * y; width doubles (exp(0.2 * ln 2 / 0.2)), height halves. */
    const float regression[4] = {1.0f, -2.0f, (float)(log(2.0) / 0.2), (float)(-log(2.0) / 0.2)};
    float corners[4];

    (void)state;
    hf_face_prior_config_default(&config);
    hf_face_prior_decode(&config, prior, zero, corners);
    expect_near(corners[0], 0.4, 1e-6, "x1");
    expect_near(corners[1], 0.35, 1e-6, "y1");
    expect_near(corners[2], 0.6, 1e-6, "x2");
    expect_near(corners[3], 0.45, 1e-6, "y2");
    hf_face_prior_decode(&config, prior, regression, corners);
    expect_near(corners[0], 0.52 - 0.2, 1e-6, "x1");
    expect_near(corners[1], 0.38 - 0.025, 1e-6, "y1");
    expect_near(corners[2], 0.52 + 0.2, 1e-6, "x2");
    expect_near(corners[3], 0.38 + 0.025, 1e-6, "y2");
}

static void nms_suppresses_overlap(void **state)
{
    hf_face_box boxes[4] = {
        {0, 0, 10, 10, 0.7f},  /* IoU 0.82 with the best box: dropped */
        {50, 50, 60, 60, 0.8f},
        {0, 0, 11, 10, 0.9f},
        {6, 0, 16, 10, 0.6f},  /* IoU 0.31 with the best box: kept */
    };
    int kept;

    (void)state;
    kept = hf_face_nms(boxes, 4, 0.4f);
    assert_int_equal(kept, 3);
    expect_near(boxes[0].score, 0.9, 1e-7, "first score");
    expect_near(boxes[1].score, 0.8, 1e-7, "second score");
    expect_near(boxes[2].score, 0.6, 1e-7, "third score");
}

static void decode_threshold_scale(void **state)
{
    hf_face_prior_config config;
    const float priors[12] = {0.5f, 0.5f, 0.2f, 0.2f, 0.5f, 0.5f, 0.21f, 0.21f,
                              0.1f, 0.1f, 0.1f, 0.1f};
    const float regressions[12] = {0};
    /* Scores exactly at the threshold are rejected (strictly above). */
    const float scores[6] = {0.1f, 0.9f, 0.2f, 0.8f, 0.5f, 0.5f};
    hf_face_detect_raw raw = {scores, regressions, priors, 3, 0};
    hf_face_box boxes[4];
    int found = -1;

    (void)state;
    hf_face_prior_config_default(&config);
    assert_int_equal(hf_face_detect_decode(&raw, &config, 0.5f, 0.4f, 200.0f, 100.0f, boxes, 4,
                                           &found),
                     HF_OK);
    assert_int_equal(found, 1);
    expect_near(boxes[0].score, 0.9, 1e-6, "score");
    expect_near(boxes[0].x1, 80.0, 1e-4, "x1");
    expect_near(boxes[0].y1, 40.0, 1e-4, "y1");
    expect_near(boxes[0].x2, 120.0, 1e-4, "x2");
    expect_near(boxes[0].y2, 60.0, 1e-4, "y2");
}

static void decode_logits_capacity(void **state)
{
    hf_face_prior_config config;
    const float priors[8] = {0.2f, 0.2f, 0.1f, 0.1f, 0.8f, 0.8f, 0.1f, 0.1f};
    const float regressions[8] = {0};
    /* Logit difference 2 gives 1 / (1 + e^-2) = 0.8808; 1 gives 0.7311. */
    const float scores[4] = {0.0f, 2.0f, 0.0f, 1.0f};
    hf_face_detect_raw raw = {scores, regressions, priors, 2, 1};
    hf_face_box boxes[1];
    int found = -1;

    (void)state;
    hf_face_prior_config_default(&config);
    assert_int_equal(hf_face_detect_decode(&raw, &config, 0.5f, 0.4f, 1.0f, 1.0f, boxes, 1,
                                           &found),
                     HF_OK);
    assert_int_equal(found, 1);
    expect_near(boxes[0].score, 1.0 / (1.0 + exp(-2.0)), 1e-6, "score");
}

static void sort_by_area_stable(void **state)
{
    hf_face_box boxes[4] = {
        {0, 0, 10, 10, 0.9f}, {0, 0, 30, 30, 0.6f}, {5, 5, 15, 15, 0.8f}, {0, 0, 20, 20, 0.7f},
    };

    (void)state;
    hf_face_boxes_sort_by_area(boxes, 4);
    expect_near(boxes[0].score, 0.6, 1e-7, "largest");
    expect_near(boxes[1].score, 0.7, 1e-7, "second");
    expect_near(boxes[2].score, 0.9, 1e-7, "equal area, first in input");
    expect_near(boxes[3].score, 0.8, 1e-7, "equal area, second in input");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(priors_count_sizes),
        cmocka_unit_test(priors_table_320),
        cmocka_unit_test(priors_config_rejected),
        cmocka_unit_test(decode_known_box),
        cmocka_unit_test(nms_suppresses_overlap),
        cmocka_unit_test(decode_threshold_scale),
        cmocka_unit_test(decode_logits_capacity),
        cmocka_unit_test(sort_by_area_stable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
