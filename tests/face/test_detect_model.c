/* The detector decoded in C against fr_detect's own decoding: the same
 * input through the full graph and through the graph cut at its raw
 * outputs must give the same scores and boxes for every prior. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "face/detect_post.h"
#include "face_fixture.h"
#include "runtime/runtime.h"

static void fill_input(float *input, const hf_face_frame *frame)
{
    /* The luma picture stretched to 320x240 with nearest sampling: any real
     * image will do, as both graphs see the same values. */
    for (int y = 0; y < 240; y++) {
        for (int x = 0; x < 320; x++) {
            int sx = x * frame->upright.width / 320;
            int sy = y * frame->upright.height / 240;
            float value = frame->upright.data[(size_t)sy * frame->upright.stride + 3 * sx];

            for (int k = 0; k < 3; k++) {
                input[(size_t)k * 320 * 240 + (size_t)y * 320 + x] = (value - 127.0f) / 128.0f;
            }
        }
    }
}

static const float *run(hf_rt_model *model, const hf_face_frame *frame, hf_rt_instance **out,
                        const float **second)
{
    hf_rt_instance *instance = NULL;

    assert_int_equal(hf_rt_instance_create(model, NULL, &instance), HF_OK);
    fill_input(hf_rt_instance_input(instance, 0), frame);
    assert_int_equal(hf_rt_instance_run(instance), HF_OK);
    *out = instance;
    *second = hf_rt_instance_output(instance, 1, NULL);
    return hf_rt_instance_output(instance, 0, NULL);
}

static void detect_decode_matches_graph(void **state)
{
    static const char *const cut[2] = {"scores", "462"};
    hf_rt_load_options options = {0, 0, cut, 2, "fr_detect"};
    hf_face_pack_spec spec;
    hf_face_frame frame;
    uint8_t *pixels = NULL;
    hf_rt_model *full = NULL;
    hf_rt_model *raw = NULL;
    hf_rt_instance *full_run = NULL;
    hf_rt_instance *raw_run = NULL;
    const float *boxes;
    const float *regressions;
    float *priors = NULL;
    int count = 0;
    double worst = 0.0;

    (void)state;
    assert_int_equal(face_fixture_spec(&spec), 0);
    assert_int_equal(face_fixture_nv21_frame("bulk/r0_w330_h409_c3.nv21", 330, 409, 0, &frame,
                                             &pixels),
                     0);
    assert_int_equal(hf_rt_model_load(spec.detect.bytes, spec.detect.size, NULL, &full), HF_OK);
    assert_int_equal(hf_rt_model_load(spec.detect.bytes, spec.detect.size, &options, &raw),
                     HF_OK);
    const float *full_scores = run(full, &frame, &full_run, &boxes);
    const float *raw_scores = run(raw, &frame, &raw_run, &regressions);

    assert_int_equal(hf_face_priors_build(&spec.priors, 320, 240, &priors, &count), HF_OK);
    assert_int_equal(count, 4420);
    for (int i = 0; i < count; i++) {
        float corners[4];

        assert_true(full_scores[2 * i + 1] == raw_scores[2 * i + 1]);
        hf_face_prior_decode(&spec.priors, priors + 4 * i, regressions + 4 * i, corners);
        for (int k = 0; k < 4; k++) {
            double error = fabs(corners[k] - boxes[4 * i + k]);

            worst = error > worst ? error : worst;
        }
    }
    print_message("largest corner difference over %d priors: %.3g\n", count, worst);
    if (worst > 1e-5) {
        print_error("decoded corners differ from the graph's by %.3g (limit 1e-5)\n", worst);
        fail();
    }
    hf_free(priors);
    hf_rt_instance_destroy(full_run);
    hf_rt_instance_destroy(raw_run);
    hf_rt_model_release(full);
    hf_rt_model_release(raw);
    free(pixels);
    face_fixture_spec_free(&spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_decode_matches_graph),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
