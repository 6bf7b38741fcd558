/* FeatureHub internals: the id index under random inserts and removals, the
 * top-k heap, and the dot-product kernel against double-precision sums.
 * CTest runs this program again with HF_CPU=generic and HF_CPU=avx2 so the
 * narrower kernels are checked too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "hub/hub_internal.h"
#include "hub_fixture.h"

static void store_random_operations(void **unused)
{
    (void)unused;
    enum { ID_RANGE = 3000, STEPS = 20000 };
    static int present[ID_RANGE];
    memset(present, 0, sizeof(present));
    hf_hub_store store;
    hf_hub_store_init(&store);
    uint64_t state = 5;
    float vector[FIXTURE_DIM] = {0};
    for (int step = 0; step < STEPS; step++) {
        /* Multiples of 4096 have equal low bits, which an unmixed hash would
         * pile into one probe chain. */
        int64_t id = (int64_t)(fixture_next(&state) % ID_RANGE) * 4096;
        int index = (int)(id / 4096);
        long row = hf_hub_store_find(&store, id);
        assert_int_equal(row >= 0, present[index]);
        if (row >= 0) {
            assert_int_equal(store.ids[row], id);
            assert_float_equal(store.vectors[row * HF_HUB_DIM], (float)index, 0.0f);
            hf_hub_store_delete_row(&store, (size_t)row);
            present[index] = 0;
        } else {
            assert_int_equal(hf_hub_store_reserve(&store, 1), HF_OK);
            vector[0] = (float)index;
            hf_hub_store_append(&store, id, vector);
            present[index] = 1;
        }
    }
    size_t expected = 0;
    for (int i = 0; i < ID_RANGE; i++) {
        expected += (size_t)present[i];
        long row = hf_hub_store_find(&store, (int64_t)i * 4096);
        assert_int_equal(row >= 0, present[i]);
    }
    assert_int_equal(store.count, expected);
    assert_int_equal((uintptr_t)store.vectors % 64, 0);
    hf_hub_store_free(&store);
}

static int compare_scores_descending(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

static void heap_keeps_best(void **unused)
{
    (void)unused;
    enum { COUNT = 5000, K = 37 };
    static float scores[COUNT];
    uint64_t state = 6;
    hf_hub_match items[K];
    hf_hub_heap heap = {items, 0, K};
    for (int i = 0; i < COUNT; i++) {
        scores[i] = (float)fixture_gaussian(&state);
        hf_hub_heap_push(&heap, scores[i], i);
    }
    hf_hub_heap_sort(&heap);
    qsort(scores, COUNT, sizeof(float), compare_scores_descending);
    assert_int_equal(heap.size, K);
    for (int i = 0; i < K; i++)
        assert_float_equal(items[i].score, scores[i], 0.0f);
}

static void dot_kernel_matches_double(void **unused)
{
    (void)unused;
    enum { ROWS = 131 };
    float *rows = hf_aligned_alloc(ROWS * HF_HUB_DIM * sizeof(float));
    assert_non_null(rows);
    float query[FIXTURE_DIM], scores[ROWS];
    uint64_t state = 7;
    fixture_unit(&state, query);
    for (int r = 0; r < ROWS; r++)
        fixture_unit(&state, rows + r * HF_HUB_DIM);
    hf_hub_dot_select()(rows, ROWS, query, scores);
    print_message("kernel level %s\n", hf_cpu_level_name(hf_cpu_level_get()));
    for (int r = 0; r < ROWS; r++) {
        double expected = 0.0;
        for (int i = 0; i < HF_HUB_DIM; i++)
            expected += (double)rows[r * HF_HUB_DIM + i] * query[i];
        assert_float_equal(scores[r], expected, 1e-6);
    }
    hf_aligned_free(rows);
}

static void scan_threshold_inclusive(void **unused)
{
    (void)unused;
    hf_hub_store store;
    hf_hub_store_init(&store);
    float unit[FIXTURE_DIM] = {0};
    unit[0] = 1.0f;
    assert_int_equal(hf_hub_store_reserve(&store, 2), HF_OK);
    hf_hub_store_append(&store, 10, unit);
    unit[0] = 0.0f;
    unit[1] = 1.0f;
    hf_hub_store_append(&store, 11, unit);
    float query[FIXTURE_DIM] = {0};
    query[0] = 0.5f;
    query[1] = 0.25f;
    hf_hub_match items[4];
    hf_hub_heap heap = {items, 0, 4};
    hf_hub_scan(&store, 0, store.count, query, 0.5f, &heap);
    assert_int_equal(heap.size, 1);
    assert_int_equal(items[0].id, 10);
    assert_float_equal(items[0].score, 0.5f, 0.0f);
    hf_hub_store_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_random_operations),
        cmocka_unit_test(heap_keeps_best),
        cmocka_unit_test(dot_kernel_matches_double),
        cmocka_unit_test(scan_threshold_inclusive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
