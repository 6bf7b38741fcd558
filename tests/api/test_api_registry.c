/* The handle registry and the debug calls that read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "api/registry.h"
#include "inspireface.h"

static void registry_tracks_membership(void **state)
{
    (void)state;
    int a, b;
    assert_int_equal(hf_registry_add(HF_HANDLE_BITMAP, &a), HF_OK);
    assert_true(hf_registry_contains(HF_HANDLE_BITMAP, &a));
    assert_false(hf_registry_contains(HF_HANDLE_BITMAP, &b));
    /* The same address under another kind is a different handle. */
    assert_false(hf_registry_contains(HF_HANDLE_SESSION, &a));
    assert_int_equal(hf_registry_add(HF_HANDLE_BITMAP, &a), HF_ERR_EXISTS);
    assert_int_equal(hf_registry_remove(HF_HANDLE_BITMAP, &a), 1);
    assert_int_equal(hf_registry_remove(HF_HANDLE_BITMAP, &a), 0);
    assert_false(hf_registry_contains(HF_HANDLE_BITMAP, &a));
    assert_false(hf_registry_contains(HF_HANDLE_BITMAP, NULL));
    assert_int_equal(hf_registry_add(HF_HANDLE_BITMAP, NULL), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_registry_add(HF_HANDLE_KIND_COUNT, &a), HF_ERR_INVALID_ARG);
}

static void registry_survives_growth_and_removal(void **state)
{
    (void)state;
    enum { COUNT = 5000 };
    char *objects = malloc(COUNT);
    assert_non_null(objects);
    int before = hf_registry_count(HF_HANDLE_FEATURE);

    for (int i = 0; i < COUNT; i++)
        assert_int_equal(hf_registry_add(HF_HANDLE_FEATURE, objects + i), HF_OK);
    assert_int_equal(hf_registry_count(HF_HANDLE_FEATURE), before + COUNT);
    for (int i = 0; i < COUNT; i += 2)
        assert_int_equal(hf_registry_remove(HF_HANDLE_FEATURE, objects + i), 1);
    for (int i = 0; i < COUNT; i++)
        assert_int_equal(hf_registry_contains(HF_HANDLE_FEATURE, objects + i), i % 2);
    /* Re-adding after removal reuses tombstones without losing entries. */
    for (int i = 0; i < COUNT; i += 2)
        assert_int_equal(hf_registry_add(HF_HANDLE_FEATURE, objects + i), HF_OK);
    assert_int_equal(hf_registry_count(HF_HANDLE_FEATURE), before + COUNT);
    for (int i = 0; i < COUNT; i++)
        assert_int_equal(hf_registry_remove(HF_HANDLE_FEATURE, objects + i), 1);
    assert_int_equal(hf_registry_count(HF_HANDLE_FEATURE), before);
    free(objects);
}

static void registry_list_fills_with_null(void **state)
{
    (void)state;
    int objects[3];
    void *listed[6];
    for (int i = 0; i < 3; i++)
        assert_int_equal(hf_registry_add(HF_HANDLE_SESSION, &objects[i]), HF_OK);

    HInt32 count = -1;
    assert_int_equal(HFDeBugGetUnreleasedSessionsCount(&count), HSUCCEED);
    assert_int_equal(count, 3);
    assert_int_equal(HFDeBugGetUnreleasedSessions(listed, 6), HSUCCEED);
    int found = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            found += listed[i] == &objects[j];
    assert_int_equal(found, 3);
    for (int i = 3; i < 6; i++)
        assert_null(listed[i]);

    /* A short list gets as many handles as fit. */
    assert_int_equal(HFDeBugGetUnreleasedSessions(listed, 2), HSUCCEED);
    assert_non_null(listed[0]);
    assert_non_null(listed[1]);

    for (int i = 0; i < 3; i++)
        assert_int_equal(hf_registry_remove(HF_HANDLE_SESSION, &objects[i]), 1);
    assert_int_equal(HFDeBugGetUnreleasedSessionsCount(&count), HSUCCEED);
    assert_int_equal(count, 0);
}

static void debug_calls_reject_null(void **state)
{
    (void)state;
    assert_int_equal(HFDeBugGetUnreleasedSessionsCount(NULL), HERR_INVALID_PARAM);
    assert_int_equal(HFDeBugGetUnreleasedStreamsCount(NULL), HERR_INVALID_PARAM);
    assert_int_equal(HFDeBugGetUnreleasedSessions(NULL, 3), HERR_INVALID_PARAM);
    assert_int_equal(HFDeBugGetUnreleasedStreams(NULL, 3), HERR_INVALID_PARAM);
    assert_int_equal(HFDeBugShowResourceStatistics(), HSUCCEED);
}

static void registry_totals_count_created_and_released(void **state)
{
    (void)state;
    long created_before, released_before, created, released;
    int object;
    hf_registry_totals(HF_HANDLE_STREAM, &created_before, &released_before);
    assert_int_equal(hf_registry_add(HF_HANDLE_STREAM, &object), HF_OK);
    assert_int_equal(hf_registry_remove(HF_HANDLE_STREAM, &object), 1);
    hf_registry_totals(HF_HANDLE_STREAM, &created, &released);
    assert_int_equal(created, created_before + 1);
    assert_int_equal(released, released_before + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registry_tracks_membership),
        cmocka_unit_test(registry_survives_growth_and_removal),
        cmocka_unit_test(registry_list_fills_with_null),
        cmocka_unit_test(debug_calls_reject_null),
        cmocka_unit_test(registry_totals_count_created_and_released),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
