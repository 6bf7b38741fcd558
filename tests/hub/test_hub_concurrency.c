/* FeatureHub under load: 8 threads search while 2 insert and remove, for
 * HF_HUB_STRESS_SECONDS seconds (default 10). Every vector is generated
 * from its id, so each result's id and score can be checked exactly. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "hub_fixture.h"
#include "inspireface.h"

#define STABLE_COUNT 2000
#define SEARCHERS 8
#define WRITERS 2
#define WRITER_ID_BASE 10000000
#define WRITER_ID_STRIDE 10000000

typedef struct thread_state {
    pthread_t thread;
    int index;
    long calls;
    long errors;
} thread_state;

static int g_stop;

static void vector_of_id(HFaceId id, float *out)
{
    uint64_t state = (uint64_t)id * 0x9e3779b97f4a7c15ULL + 1;
    fixture_unit(&state, out);
}

static int id_is_real(HFaceId id)
{
    if (id >= 1 && id <= STABLE_COUNT)
        return 1;
    return id >= WRITER_ID_BASE && id < WRITER_ID_BASE + WRITERS * WRITER_ID_STRIDE;
}

static HFaceId g_writer_next[WRITERS];

/* Picks a stable id (which must be found) or a writer's recent id (which
 * may have been removed meanwhile). */
static HFaceId pick_target(uint64_t *state, int *must_match)
{
    uint64_t draw = fixture_next(state);
    *must_match = (draw & 1) == 0;
    if (*must_match)
        return 1 + (HFaceId)((draw >> 1) % STABLE_COUNT);
    int writer = (int)((draw >> 1) % WRITERS);
    HFaceId next = __atomic_load_n(&g_writer_next[writer], __ATOMIC_RELAXED);
    HFaceId base = WRITER_ID_BASE + (HFaceId)writer * WRITER_ID_STRIDE;
    return next > base ? next - 1 - (HFaceId)((draw >> 8) % 60) : 1;
}

static void *search_loop(void *arg)
{
    thread_state *self = arg;
    uint64_t state = 1000 + (uint64_t)self->index;
    float base[FIXTURE_DIM], query[FIXTURE_DIM], stored[FIXTURE_DIM];
    while (!__atomic_load_n(&g_stop, __ATOMIC_RELAXED)) {
        int must_match = 0;
        HFaceId target = pick_target(&state, &must_match);
        vector_of_id(target, base);
        fixture_perturb(&state, base, 0.02, query);
        HFFaceFeature feature = {FIXTURE_DIM, query};
        float confidence = 0.0f;
        HFFaceFeatureIdentity best;
        self->calls++;
        /* Only the id and the confidence are read: they are returned by
         * value, while the feature data is a cache shared by all threads. */
        if (HFFeatureHubFaceSearch(feature, &confidence, &best) != HSUCCEED) {
            self->errors++;
            continue;
        }
        if (best.id == -1 && !must_match)
            continue;
        if ((must_match && best.id != target) || !id_is_real(best.id)) {
            print_error("search for id %lld returned id %lld\n", (long long)target,
                        (long long)best.id);
            self->errors++;
            continue;
        }
        vector_of_id(best.id, stored);
        double expected = fixture_cosine(query, stored);
        if (fabs(confidence - expected) > 1e-5) {
            print_error("id %lld scored %f, expected %f\n", (long long)best.id,
                        (double)confidence, expected);
            self->errors++;
        }
    }
    return NULL;
}

static void *write_loop(void *arg)
{
    thread_state *self = arg;
    HFaceId base = WRITER_ID_BASE + (HFaceId)self->index * WRITER_ID_STRIDE;
    HFaceId next = base;
    float vector[FIXTURE_DIM];
    while (!__atomic_load_n(&g_stop, __ATOMIC_RELAXED)) {
        vector_of_id(next, vector);
        HFFaceFeature feature = {FIXTURE_DIM, vector};
        HFFaceFeatureIdentity identity = {next, &feature};
        HFaceId alloc = -1;
        if (HFFeatureHubInsertFeature(identity, &alloc) != HSUCCEED || alloc != next)
            self->errors++;
        /* Keeps about 50 of this writer's rows alive while the hub churns. */
        if (next - base >= 50 && HFFeatureHubFaceRemove(next - 50) != HSUCCEED)
            self->errors++;
        next++;
        __atomic_store_n(&g_writer_next[self->index], next, __ATOMIC_RELAXED);
        self->calls++;
    }
    return NULL;
}

static void searches_during_writes(void **unused)
{
    (void)unused;
    HFFeatureHubConfiguration config = {HF_PK_MANUAL_INPUT, 0, NULL, 0.48f,
                                        HF_SEARCH_MODE_EXHAUSTIVE};
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
    float vector[FIXTURE_DIM];
    for (HFaceId id = 1; id <= STABLE_COUNT; id++) {
        vector_of_id(id, vector);
        HFFaceFeature feature = {FIXTURE_DIM, vector};
        HFFaceFeatureIdentity identity = {id, &feature};
        HFaceId alloc = -1;
        assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HSUCCEED);
    }
    const char *seconds_text = getenv("HF_HUB_STRESS_SECONDS");
    int seconds = seconds_text ? atoi(seconds_text) : 10;
    thread_state searchers[SEARCHERS] = {{0}}, writers[WRITERS] = {{0}};
    for (int i = 0; i < SEARCHERS; i++) {
        searchers[i].index = i;
        assert_int_equal(pthread_create(&searchers[i].thread, NULL, search_loop, &searchers[i]),
                         0);
    }
    for (int i = 0; i < WRITERS; i++) {
        writers[i].index = i;
        assert_int_equal(pthread_create(&writers[i].thread, NULL, write_loop, &writers[i]), 0);
    }
    struct timespec duration = {seconds, 0};
    nanosleep(&duration, NULL);
    __atomic_store_n(&g_stop, 1, __ATOMIC_SEQ_CST);
    long searches = 0, writes = 0;
    for (int i = 0; i < SEARCHERS; i++) {
        pthread_join(searchers[i].thread, NULL);
        assert_int_equal(searchers[i].errors, 0);
        searches += searchers[i].calls;
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(writers[i].thread, NULL);
        assert_int_equal(writers[i].errors, 0);
        writes += writers[i].calls;
    }
    print_message("%ld searches, %ld insert+remove pairs in %d s\n", searches, writes, seconds);
    assert_true(searches > 0);
    assert_true(writes > 0);
    HFFeatureHubDataDisable();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(searches_during_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
