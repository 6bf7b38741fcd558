/* HFUpdateCosineSimilarityConverter with NaN or infinite values: accepting
 * them made every later HFCosineSimilarityConvertToPercentage return NaN.
 * Each one must be rejected with HERR_INVALID_PARAM and leave the current
 * configuration in place. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inspireface.h"

static const HFSimilarityConverterConfig base = {0.42f, 0.6f, 8.0f, 0.01f, 1.0f};

static void assert_rejected(HFSimilarityConverterConfig config)
{
    HFSimilarityConverterConfig now;

    assert_int_equal(HFUpdateCosineSimilarityConverter(config), HERR_INVALID_PARAM);
    assert_int_equal(HFGetCosineSimilarityConverter(&now), HSUCCEED);
    assert_true(now.threshold == base.threshold);
    assert_true(now.middleScore == base.middleScore);
    assert_true(now.steepness == base.steepness);
    assert_true(now.outputMin == base.outputMin);
    assert_true(now.outputMax == base.outputMax);
}

static void converter_rejects_nonfinite(void **state)
{
    (void)state;
    float bad[] = {NAN, INFINITY, -INFINITY};

    HFSetLogLevel(HF_LOG_NONE);
    assert_int_equal(HFUpdateCosineSimilarityConverter(base), HSUCCEED);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        HFSimilarityConverterConfig config = base;

        config.threshold = bad[i];
        assert_rejected(config);
        config = base;
        config.steepness = bad[i];
        assert_rejected(config);
        config = base;
        config.middleScore = bad[i];
        assert_rejected(config);
        config = base;
        config.outputMin = bad[i];
        assert_rejected(config);
        config = base;
        config.outputMax = bad[i];
        assert_rejected(config);
    }
}

static void converter_still_converts(void **state)
{
    (void)state;
    HFloat result = 0.0f;

    /* 0.01 + 0.99 / (1 + exp(-8 * (0.48 - 0.42) + ln(0.4 / 0.59))) = 0.7074 */
    assert_int_equal(HFUpdateCosineSimilarityConverter(base), HSUCCEED);
    assert_int_equal(HFCosineSimilarityConvertToPercentage(0.48f, &result), HSUCCEED);
    assert_float_equal(result, 0.7074f, 0.0075f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(converter_rejects_nonfinite),
        cmocka_unit_test(converter_still_converts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
