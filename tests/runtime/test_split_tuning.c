/* The split tuning of an instance: the order in which it times the
 * candidate thresholds, and the choice of the fastest. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "runtime/graph.h"

/* Two untimed runs, then three rounds up and down the candidate list. */
static const double expected_order[] = {
    3e5, 3e5, 3e5, 1e6, 3e6, HUGE_VAL, HUGE_VAL, 3e6, 1e6, 3e5, 3e5, 1e6, 3e6, HUGE_VAL,
};

static void split_tuning_order_and_choice(void **state)
{
    (void)state;
    hf_rt_split_tuning tuning;
    int count = (int)(sizeof expected_order / sizeof expected_order[0]);

    hf_rt_split_tuning_init(&tuning, 2);
    for (int run = 0; run < count; run++) {
        double min_macs = hf_rt_split_tuning_next(&tuning);
        if (min_macs != expected_order[run])
            fail_msg("run %d: threshold %g, expected %g", run, min_macs, expected_order[run]);
        assert_false(tuning.done);
        /* 3e6 is fastest, except for one slow run of it; an untimed run
         * is faster still and must not count. */
        double seconds = min_macs == 3e6 ? 1.0 : 2.0;
        if (run == 4)
            seconds = 9.0;
        if (run == 0)
            seconds = 0.1;
        hf_rt_split_tuning_record(&tuning, seconds);
    }
    assert_true(tuning.done);
    assert_true(hf_rt_split_tuning_next(&tuning) == 3e6);
    hf_rt_split_tuning_record(&tuning, 0.01);
    assert_true(hf_rt_split_tuning_next(&tuning) == 3e6);
}

static void split_tuning_single_thread(void **state)
{
    (void)state;
    hf_rt_split_tuning tuning;

    hf_rt_split_tuning_init(&tuning, 1);
    assert_true(tuning.done);
    for (int run = 0; run < 20; run++) {
        assert_true(hf_rt_split_tuning_next(&tuning) == 0.0);
        hf_rt_split_tuning_record(&tuning, 1.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_tuning_order_and_choice),
        cmocka_unit_test(split_tuning_single_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
