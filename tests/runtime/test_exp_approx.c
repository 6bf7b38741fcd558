/* hf_exp_approx against libm's expf: within 2 ulp over the range where it
 * computes, and the documented values at the edges. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "runtime/exp_approx.h"

static double ulp_distance(float value, float expected)
{
    float ulp = nextafterf(expected, INFINITY) - expected;
    return fabs((double)value - (double)expected) / (double)ulp;
}

static void exp_approx_matches_libm(void **state)
{
    (void)state;
    double worst = 0.0;
    float worst_x = 0.0f;
    for (float x = -87.3f; x < 88.37f; x += 0.000731f) {
        double distance = ulp_distance(hf_exp_approx(x), expf(x));
        if (distance > worst) {
            worst = distance;
            worst_x = x;
        }
    }
    if (worst > 2.0)
        fail_msg("exp(%.9g): %.2f ulp from expf", (double)worst_x, worst);
}

static void exp_approx_edges(void **state)
{
    (void)state;
    assert_true(hf_exp_approx(0.0f) == 1.0f);
    assert_true(isinf(hf_exp_approx(89.0f)));
    assert_true(isinf(hf_exp_approx(INFINITY)));
    assert_true(hf_exp_approx(-88.0f) == 0.0f);
    assert_true(hf_exp_approx(-INFINITY) == 0.0f);
    assert_true(isnan(hf_exp_approx(NAN)));
    /* Between the clamp and expf's overflow the result stays finite. */
    float near_overflow = hf_exp_approx(88.5f);
    assert_true(isfinite(near_overflow));
    assert_true(near_overflow > 2.0e38f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp_approx_matches_libm),
        cmocka_unit_test(exp_approx_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
