/* FeatureHub and comparison API: behaviour of every call with an in-memory
 * hub, checked against double-precision cosines of the test's own vectors. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hub_fixture.h"
#include "inspireface.h"


static float (*g_vectors)[FIXTURE_DIM];

static HFFeatureHubConfiguration memory_config(HFPKMode mode, float threshold)
{
    HFFeatureHubConfiguration config = {mode, 0, NULL, threshold, HF_SEARCH_MODE_EXHAUSTIVE};
    return config;
}

static HFFaceFeature feature_of(float *data)
{
    HFFaceFeature feature = {FIXTURE_DIM, data};
    return feature;
}

static HFaceId insert(float *data, HFaceId id)
{
    HFFaceFeature feature = feature_of(data);
    HFFaceFeatureIdentity identity = {id, &feature};
    HFaceId alloc = -2;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HSUCCEED);
    return alloc;
}

/* Fills an auto-increment hub with `count` random unit vectors kept in
 * g_vectors[1..count]. */
static void fill_hub(int count, uint64_t seed, float threshold)
{
    assert_int_equal(HFFeatureHubDataEnable(memory_config(HF_PK_AUTO_INCREMENT, threshold)),
                     HSUCCEED);
    uint64_t state = seed;
    for (int i = 1; i <= count; i++) {
        fixture_unit(&state, g_vectors[i]);
        assert_int_equal(insert(g_vectors[i], 0), i);
    }
}

static int teardown_hub(void **unused)
{
    (void)unused;
    HFFeatureHubDataDisable();
    return 0;
}

static void feature_length_and_create(void **unused)
{
    (void)unused;
    HInt32 length = 0;
    assert_int_equal(HFGetFeatureLength(&length), HSUCCEED);
    assert_int_equal(length, 512);
    assert_int_equal(HFGetFeatureLength(NULL), HERR_INVALID_PARAM);
    HFFaceFeature created = {0, NULL};
    assert_int_equal(HFCreateFaceFeature(&created), HSUCCEED);
    assert_int_equal(created.size, 512);
    assert_non_null(created.data);
    assert_int_equal(HFReleaseFaceFeature(&created), HSUCCEED);
    assert_int_equal(HFReleaseFaceFeature(&created), HERR_INVALID_FACE_FEATURE);
}

static void comparison_values(void **unused)
{
    (void)unused;
    uint64_t state = 1;
    float a[FIXTURE_DIM], negated[FIXTURE_DIM], orthogonal[FIXTURE_DIM];
    fixture_unit(&state, a);
    fixture_unit(&state, orthogonal);
    /* Gram-Schmidt makes the second vector exactly orthogonal in double. */
    double dot = 0.0;
    for (int i = 0; i < FIXTURE_DIM; i++)
        dot += (double)a[i] * orthogonal[i];
    for (int i = 0; i < FIXTURE_DIM; i++) {
        orthogonal[i] = (float)(orthogonal[i] - dot * a[i]);
        negated[i] = -a[i] * 3.0f;
    }
    float result = 9.0f;
    assert_int_equal(HFFaceComparison(feature_of(a), feature_of(a), &result), HSUCCEED);
    assert_float_equal(result, 1.0f, 1e-5f);
    assert_int_equal(HFFaceComparison(feature_of(a), feature_of(negated), &result), HSUCCEED);
    assert_float_equal(result, -1.0f, 1e-5f);
    assert_int_equal(HFFaceComparison(feature_of(a), feature_of(orthogonal), &result), HSUCCEED);
    assert_float_equal(result, 0.0f, 1e-5f);
}

static void comparison_errors(void **unused)
{
    (void)unused;
    float a[FIXTURE_DIM] = {1.0f}, zero[FIXTURE_DIM] = {0};
    HFFaceFeature full = feature_of(a), half = {256, a}, null_data = {FIXTURE_DIM, NULL};
    float result = 5.0f;
    assert_int_equal(HFFaceComparison(full, half, &result), HERR_INVALID_FACE_FEATURE);
    assert_int_equal(HFFaceComparison(full, null_data, &result), HERR_INVALID_FACE_FEATURE);
    HFFaceFeature empty = {0, a};
    assert_int_equal(HFFaceComparison(empty, empty, &result), HERR_INVALID_FACE_FEATURE);
    assert_int_equal(HFFaceComparison(full, full, NULL), HERR_INVALID_PARAM);
    assert_float_equal(result, 5.0f, 0.0f);
    assert_int_equal(HFFaceComparison(full, feature_of(zero), &result), HSUCCEED);
    assert_float_equal(result, 0.0f, 0.0f);
}

static void converter_defaults(void **unused)
{
    (void)unused;
    float threshold = 0.0f;
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_float_equal(threshold, 0.48f, 1e-7f);
    HFSimilarityConverterConfig config;
    assert_int_equal(HFGetCosineSimilarityConverter(&config), HSUCCEED);
    assert_float_equal(config.threshold, 0.48f, 1e-7f);
    assert_float_equal(config.middleScore, 0.6f, 1e-7f);
    assert_float_equal(config.steepness, 8.0f, 1e-7f);
    assert_float_equal(config.outputMin, 0.01f, 1e-7f);
    assert_float_equal(config.outputMax, 1.0f, 1e-7f);
    /* Reference column "defaults" of InspireFace's converter table. */
    const float cosines[] = {-0.8f, -0.2f, 0.02f, 0.1f, 0.25f, 0.3f, 0.48f, 0.5f, 0.7f, 0.8f,
                             0.9f, 1.0f};
    const float expected[] = {0.0101f, 0.0163f, 0.0455f, 0.0752f, 0.1979f, 0.2664f, 0.6000f,
                              0.6375f, 0.8966f, 0.9507f, 0.9772f, 0.9896f};
    for (size_t i = 0; i < sizeof(cosines) / sizeof(cosines[0]); i++) {
        float percent = 0.0f;
        assert_int_equal(HFCosineSimilarityConvertToPercentage(cosines[i], &percent), HSUCCEED);
        assert_float_equal(percent, expected[i], expected[i] * 0.01f);
    }
}

static void converter_update(void **unused)
{
    (void)unused;
    HFSimilarityConverterConfig saved;
    assert_int_equal(HFGetCosineSimilarityConverter(&saved), HSUCCEED);
    HFSimilarityConverterConfig first = {0.42f, 0.6f, 8.0f, 0.01f, 1.0f};
    assert_int_equal(HFUpdateCosineSimilarityConverter(first), HSUCCEED);
    const float cosines[] = {-0.8f, 0.02f, 0.25f, 0.48f, 0.7f, 1.0f};
    const float expected[] = {0.0101f, 0.0661f, 0.2819f, 0.7074f, 0.9334f, 0.9936f};
    for (size_t i = 0; i < sizeof(cosines) / sizeof(cosines[0]); i++) {
        float percent = 0.0f;
        assert_int_equal(HFCosineSimilarityConvertToPercentage(cosines[i], &percent), HSUCCEED);
        assert_float_equal(percent, expected[i], expected[i] * 0.01f);
    }
    HFSimilarityConverterConfig second = {0.32f, 0.6f, 10.0f, 0.02f, 1.0f};
    assert_int_equal(HFUpdateCosineSimilarityConverter(second), HSUCCEED);
    float percent = 0.0f;
    assert_int_equal(HFCosineSimilarityConvertToPercentage(0.32f, &percent), HSUCCEED);
    assert_float_equal(percent, 0.6f, 1e-6f);
    assert_int_equal(HFCosineSimilarityConvertToPercentage(0.5f, &percent), HSUCCEED);
    assert_float_equal(percent, 0.8997f, 0.8997f * 0.01f);
    float threshold = 0.0f;
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_float_equal(threshold, 0.48f, 1e-7f);
    HFSimilarityConverterConfig bad = {0.4f, 1.5f, 8.0f, 0.01f, 1.0f};
    assert_int_equal(HFUpdateCosineSimilarityConverter(bad), HERR_INVALID_PARAM);
    HFSimilarityConverterConfig now;
    assert_int_equal(HFGetCosineSimilarityConverter(&now), HSUCCEED);
    assert_float_equal(now.middleScore, 0.6f, 0.0f);
    assert_float_equal(now.steepness, 10.0f, 0.0f);
    assert_int_equal(HFUpdateCosineSimilarityConverter(saved), HSUCCEED);
}

static void enable_disable_twice(void **unused)
{
    (void)unused;
    HFFeatureHubConfiguration config = memory_config(HF_PK_AUTO_INCREMENT, 0.48f);
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
    float v[FIXTURE_DIM] = {1.0f};
    assert_int_equal(insert(v, 0), 1);
    /* A second enable keeps the open hub and its contents. */
    config.primaryKeyMode = HF_PK_MANUAL_INPUT;
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
    HInt32 count = -1;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 1);
    assert_int_equal(insert(v, 77), 2);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
}

static void disabled_calls(void **unused)
{
    (void)unused;
    float v[FIXTURE_DIM] = {1.0f};
    HFFaceFeature feature = feature_of(v);
    HFFaceFeatureIdentity identity = {5, &feature};
    HFaceId alloc = 33;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_FT_HUB_DISABLE);
    assert_int_equal(alloc, 33);
    HFSearchTopKResults top = {7, NULL, NULL};
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature, 3, &top), HERR_FT_HUB_DISABLE);
    assert_int_equal(top.size, 7);
    assert_int_equal(HFFeatureHubFaceRemove(5), HERR_FT_HUB_DISABLE);
    assert_int_equal(HFFeatureHubFaceUpdate(identity), HERR_FT_HUB_DISABLE);
    HFFaceFeatureIdentity got = {9, NULL};
    assert_int_equal(HFFeatureHubGetFaceIdentity(5, &got), HERR_FT_HUB_DISABLE);
    assert_int_equal(got.id, -1);
    HFFeatureHubExistingIds ids = {4, NULL};
    assert_int_equal(HFFeatureHubGetExistingIds(&ids), HERR_FT_HUB_DISABLE);
    assert_int_equal(ids.size, 4);
    HInt32 count = 12;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 0);
    float confidence = 2.0f;
    HFFaceFeatureIdentity best = {9, NULL};
    assert_int_equal(HFFeatureHubFaceSearch(feature, &confidence, &best), HERR_FT_HUB_DISABLE);
    assert_int_equal(best.id, -1);
    assert_float_equal(confidence, -1.0f, 0.0f);
    assert_int_equal(HFFeatureHubViewDBTable(), HSUCCEED);
    assert_int_equal(HFFeatureHubFaceSearchThresholdSetting(0.3f), HSUCCEED);
}

static void empty_hub_search(void **unused)
{
    (void)unused;
    assert_int_equal(HFFeatureHubDataEnable(memory_config(HF_PK_AUTO_INCREMENT, 0.48f)),
                     HSUCCEED);
    float v[FIXTURE_DIM] = {0.5f, 0.5f};
    float confidence = 2.0f;
    HFFaceFeatureIdentity best = {9, NULL};
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(v), &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, -1);
    assert_float_equal(confidence, -1.0f, 0.0f);
    assert_non_null(best.feature);
    assert_int_equal(best.feature->size, 0);
    HFSearchTopKResults top = {7, NULL, NULL};
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(v), 10, &top), HSUCCEED);
    assert_int_equal(top.size, 0);
    HFFeatureHubExistingIds ids = {4, NULL};
    assert_int_equal(HFFeatureHubGetExistingIds(&ids), HSUCCEED);
    assert_int_equal(ids.size, 0);
}

static void bad_features(void **unused)
{
    (void)unused;
    fill_hub(3, 11, 0.48f);
    float v[FIXTURE_DIM];
    memcpy(v, g_vectors[2], sizeof(v));
    HFFaceFeature short_feature = {511, v}, null_data = {FIXTURE_DIM, NULL};
    HFFaceFeatureIdentity identity = {0, &short_feature};
    HFaceId alloc = 55;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_INVALID_FACE_FEATURE);
    identity.feature = &null_data;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_INVALID_FACE_FEATURE);
    identity.feature = NULL;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_INVALID_FACE_FEATURE);
    v[100] = NAN;
    HFFaceFeature nan_feature = feature_of(v);
    identity.feature = &nan_feature;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_INVALID_FACE_FEATURE);
    assert_int_equal(alloc, 55);
    identity.id = 2;
    assert_int_equal(HFFeatureHubFaceUpdate(identity), HERR_INVALID_FACE_FEATURE);
    float confidence = 0.0f;
    HFFaceFeatureIdentity best;
    assert_int_equal(HFFeatureHubFaceSearch(nan_feature, &confidence, &best),
                     HERR_INVALID_FACE_FEATURE);
    assert_int_equal(HFFeatureHubFaceSearch(short_feature, &confidence, &best),
                     HERR_INVALID_FACE_FEATURE);
    HFSearchTopKResults top;
    assert_int_equal(HFFeatureHubFaceSearchTopK(null_data, 3, &top), HERR_INVALID_FACE_FEATURE);
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(g_vectors[1]), NULL, &best),
                     HERR_INVALID_PARAM);
    HInt32 count = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 3);
}

static void auto_ids_in_order(void **unused)
{
    (void)unused;
    fill_hub(2000, 33, 0.48f);
    HInt32 count = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 2000);
    HFFeatureHubExistingIds ids;
    assert_int_equal(HFFeatureHubGetExistingIds(&ids), HSUCCEED);
    assert_int_equal(ids.size, 2000);
    for (int i = 0; i < 2000; i++)
        assert_int_equal(ids.ids[i], i + 1);
    /* Removed ids are never handed out again. */
    assert_int_equal(HFFeatureHubFaceRemove(2000), HSUCCEED);
    assert_int_equal(insert(g_vectors[1], 0), 2001);
}

static void topk_perturbed_group(void **unused)
{
    (void)unused;
    fill_hub(2000, 34, 0.48f);
    uint64_t state = 99;
    const HFaceId group[] = {2, 300, 524, 789, 1024, 1995};
    float base[FIXTURE_DIM];
    memcpy(base, g_vectors[524], sizeof(base));
    for (int i = 0; i < 6; i++) {
        fixture_perturb(&state, base, 0.02, g_vectors[group[i]]);
        HFFaceFeature feature = feature_of(g_vectors[group[i]]);
        HFFaceFeatureIdentity identity = {group[i], &feature};
        assert_int_equal(HFFeatureHubFaceUpdate(identity), HSUCCEED);
    }
    float query[FIXTURE_DIM];
    fixture_perturb(&state, base, 0.02, query);
    HFSearchTopKResults top;
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(query), 10, &top), HSUCCEED);
    assert_int_equal(top.size, 6);
    int seen[6] = {0};
    for (int i = 0; i < top.size; i++) {
        int member = -1;
        for (int j = 0; j < 6; j++)
            if (top.ids[i] == group[j])
                member = j;
        assert_true(member >= 0);
        seen[member]++;
        double expected = fixture_cosine(query, g_vectors[top.ids[i]]);
        assert_float_equal(top.confidence[i], expected, 1e-5);
        if (i > 0)
            assert_true(top.confidence[i] <= top.confidence[i - 1]);
    }
    for (int j = 0; j < 6; j++)
        assert_int_equal(seen[j], 1);
}

static void topk_sizes(void **unused)
{
    (void)unused;
    fill_hub(5, 35, -1.0f);
    HFSearchTopKResults top = {9, NULL, NULL};
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(g_vectors[3]), 0, &top), HSUCCEED);
    assert_int_equal(top.size, 0);
    top.size = 9;
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(g_vectors[3]), -4, &top), HSUCCEED);
    assert_int_equal(top.size, 0);
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(g_vectors[3]), 100, &top), HSUCCEED);
    assert_int_equal(top.size, 5);
    assert_int_equal(top.ids[0], 3);
    assert_float_equal(top.confidence[0], 1.0f, 1e-5f);
}

static void remove_range(void **unused)
{
    (void)unused;
    fill_hub(1000, 36, 0.48f);
    for (HFaceId id = 0; id < 800; id++)
        assert_int_equal(HFFeatureHubFaceRemove(id), HSUCCEED);
    HInt32 count = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 201);
    float confidence = 0.0f;
    HFFaceFeatureIdentity best;
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(g_vectors[500]), &confidence, &best),
                     HSUCCEED);
    assert_int_equal(best.id, -1);
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(g_vectors[900]), &confidence, &best),
                     HSUCCEED);
    assert_int_equal(best.id, 900);
    assert_int_equal(HFFeatureHubFaceRemove(12345), HSUCCEED);
}

typedef struct worker {
    pthread_t thread;
    int index;
    int failures;
    HFaceId ids[50];
} worker;

static void *remove_worker(void *arg)
{
    worker *w = arg;
    for (HFaceId id = w->index * 200; id < (w->index + 1) * 200; id++)
        if (HFFeatureHubFaceRemove(id) != HSUCCEED)
            w->failures++;
    return NULL;
}

static void remove_threads(void **unused)
{
    (void)unused;
    fill_hub(1000, 37, 0.48f);
    worker workers[4] = {{0}};
    for (int i = 0; i < 4; i++) {
        workers[i].index = i;
        assert_int_equal(pthread_create(&workers[i].thread, NULL, remove_worker, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(workers[i].thread, NULL);
        assert_int_equal(workers[i].failures, 0);
    }
    HInt32 count = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 201);
}

static void *insert_worker(void *arg)
{
    worker *w = arg;
    uint64_t state = 1000 + (uint64_t)w->index;
    float v[FIXTURE_DIM];
    for (int i = 0; i < 50; i++) {
        fixture_unit(&state, v);
        HFFaceFeature feature = feature_of(v);
        HFFaceFeatureIdentity identity = {0, &feature};
        if (HFFeatureHubInsertFeature(identity, &w->ids[i]) != HSUCCEED)
            w->failures++;
    }
    return NULL;
}

static void insert_threads(void **unused)
{
    (void)unused;
    fill_hub(10, 38, 0.48f);
    worker workers[4] = {{0}};
    for (int i = 0; i < 4; i++) {
        workers[i].index = i;
        assert_int_equal(pthread_create(&workers[i].thread, NULL, insert_worker, &workers[i]), 0);
    }
    char seen[211] = {0};
    for (int i = 0; i < 4; i++) {
        pthread_join(workers[i].thread, NULL);
        assert_int_equal(workers[i].failures, 0);
        for (int j = 0; j < 50; j++) {
            HFaceId id = workers[i].ids[j];
            assert_in_range(id, 11, 210);
            assert_int_equal(seen[id], 0);
            seen[id] = 1;
        }
    }
    HInt32 count = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 210);
}

typedef struct search_worker {
    pthread_t thread;
    int errors;
} search_worker;

static void *search_thread(void *arg)
{
    search_worker *w = arg;
    uint64_t state = (uint64_t)(uintptr_t)arg;
    float query[FIXTURE_DIM];
    for (int k = 1; k <= 1000; k += 37) {
        fixture_perturb(&state, g_vectors[k], 0.02, query);
        float confidence = 0.0f;
        HFFaceFeatureIdentity best;
        if (HFFeatureHubFaceSearch(feature_of(query), &confidence, &best) != HSUCCEED ||
            best.id != k)
            w->errors++;
    }
    return NULL;
}

static void search_random_and_perturbed(void **unused)
{
    (void)unused;
    fill_hub(1000, 39, 0.48f);
    uint64_t state = 4242;
    float query[FIXTURE_DIM];
    fixture_unit(&state, query);
    float confidence = 0.0f;
    HFFaceFeatureIdentity best;
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, -1);
    assert_true(confidence < 0.3f);
    fixture_perturb(&state, g_vectors[321], 0.02, query);
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, 321);
    assert_float_equal(confidence, fixture_cosine(query, g_vectors[321]), 1e-5);
    assert_int_equal(best.feature->size, FIXTURE_DIM);
    for (int i = 0; i < FIXTURE_DIM; i++)
        assert_float_equal(best.feature->data[i], g_vectors[321][i], 1e-6f);
    /* The hub-owned feature was not made by HFCreateFaceFeature, so release
     * rejects it and leaves it intact. */
    assert_int_equal(HFReleaseFaceFeature(best.feature), HERR_INVALID_FACE_FEATURE);
    assert_int_equal(best.feature->size, FIXTURE_DIM);
    assert_non_null(best.feature->data);
    search_worker workers[5] = {{0}};
    for (int i = 0; i < 5; i++)
        assert_int_equal(pthread_create(&workers[i].thread, NULL, search_thread, &workers[i]), 0);
    for (int i = 0; i < 5; i++) {
        pthread_join(workers[i].thread, NULL);
        assert_int_equal(workers[i].errors, 0);
    }
}

static void get_identity(void **unused)
{
    (void)unused;
    fill_hub(100, 40, 0.48f);
    uint64_t state = 5;
    for (int repeat = 0; repeat < 3; repeat++) {
        HFFaceFeatureIdentity identity = {0, NULL};
        assert_int_equal(HFFeatureHubGetFaceIdentity(42, &identity), HSUCCEED);
        assert_int_equal(identity.id, 42);
        assert_int_equal(identity.feature->size, FIXTURE_DIM);
        float perturbed[FIXTURE_DIM];
        fixture_perturb(&state, g_vectors[42], 0.02, perturbed);
        assert_true(fixture_cosine(identity.feature->data, perturbed) > 0.8);
    }
    /* Every get and search shares one hub-owned feature, so a later get
     * changes what an earlier identity shows. */
    HFFaceFeatureIdentity first, second;
    assert_int_equal(HFFeatureHubGetFaceIdentity(10, &first), HSUCCEED);
    assert_int_equal(HFFeatureHubGetFaceIdentity(20, &second), HSUCCEED);
    assert_ptr_equal(first.feature, second.feature);
    assert_int_equal(first.id, 10);
    assert_float_equal(fixture_cosine(first.feature->data, g_vectors[20]), 1.0, 1e-6);
    HFFaceFeatureIdentity missing = {7, NULL};
    assert_int_equal(HFFeatureHubGetFaceIdentity(4242, &missing), HERR_FT_HUB_NOT_FOUND_FEATURE);
    assert_int_equal(missing.id, -1);
    assert_int_equal(HFFeatureHubGetFaceIdentity(42, NULL), HERR_INVALID_PARAM);
}

static void manual_ids(void **unused)
{
    (void)unused;
    assert_int_equal(HFFeatureHubDataEnable(memory_config(HF_PK_MANUAL_INPUT, 0.48f)), HSUCCEED);
    const HFaceId chosen[] = {10086, 23541, 2124, 24, 204, 7, 3, 100, 0, 42,
                              (HFaceId)1 << 40};
    const int count = (int)(sizeof(chosen) / sizeof(chosen[0]));
    uint64_t state = 41;
    for (int i = 0; i < count; i++) {
        fixture_unit(&state, g_vectors[i]);
        assert_int_equal(insert(g_vectors[i], chosen[i]), chosen[i]);
    }
    HFFeatureHubExistingIds ids;
    assert_int_equal(HFFeatureHubGetExistingIds(&ids), HSUCCEED);
    assert_int_equal(ids.size, count);
    for (int i = 0; i < count; i++) {
        assert_int_equal(ids.ids[i], chosen[i]);
        HFFaceFeatureIdentity identity;
        assert_int_equal(HFFeatureHubGetFaceIdentity(chosen[i], &identity), HSUCCEED);
        assert_int_equal(identity.id, chosen[i]);
        assert_float_equal(fixture_cosine(identity.feature->data, g_vectors[i]), 1.0, 1e-6);
    }
    assert_int_equal(HFFeatureHubViewDBTable(), HSUCCEED);
    /* A duplicate id fails and leaves the stored vector unchanged. */
    float other[FIXTURE_DIM];
    fixture_unit(&state, other);
    HFFaceFeature feature = feature_of(other);
    HFFaceFeatureIdentity duplicate = {24, &feature};
    HFaceId alloc = 0;
    assert_int_equal(HFFeatureHubInsertFeature(duplicate, &alloc), HERR_FT_HUB_INSERT_FAILURE);
    assert_int_equal(alloc, -1);
    HFFaceFeatureIdentity stored;
    assert_int_equal(HFFeatureHubGetFaceIdentity(24, &stored), HSUCCEED);
    assert_float_equal(fixture_cosine(stored.feature->data, g_vectors[3]), 1.0, 1e-6);
    HFFaceFeatureIdentity negative = {-5, &feature};
    alloc = 0;
    assert_int_equal(HFFeatureHubInsertFeature(negative, &alloc), HERR_INVALID_PARAM);
    assert_int_equal(alloc, 0);
    HFSearchTopKResults top;
    assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(g_vectors[10]), 1, &top), HSUCCEED);
    assert_int_equal(top.size, 1);
    assert_int_equal(top.ids[0], (HFaceId)1 << 40);
}

static void update_then_search(void **unused)
{
    (void)unused;
    fill_hub(50, 42, 0.48f);
    uint64_t state = 77;
    float fresh[FIXTURE_DIM];
    fixture_unit(&state, fresh);
    float confidence = 0.0f;
    HFFaceFeatureIdentity best;
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(fresh), &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, -1);
    HFFaceFeature feature = feature_of(fresh);
    HFFaceFeatureIdentity identity = {17, &feature};
    assert_int_equal(HFFeatureHubFaceUpdate(identity), HSUCCEED);
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(fresh), &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, 17);
    assert_float_equal(confidence, 1.0f, 1e-5f);
    assert_int_equal(HFFeatureHubFaceSearch(feature_of(g_vectors[17]), &confidence, &best),
                     HSUCCEED);
    assert_int_equal(best.id, -1);
    identity.id = 5000;
    assert_int_equal(HFFeatureHubFaceUpdate(identity), HERR_FT_HUB_NOT_FOUND_FEATURE);
}

static void threshold_config_and_setting(void **unused)
{
    (void)unused;
    /* 1.5 acts as 0.5: a vector at cosine 0.45 must not match, 0.6 must. */
    fill_hub(1, 43, 1.5f);
    uint64_t state = 8;
    float noise[FIXTURE_DIM], query[FIXTURE_DIM];
    fixture_unit(&state, noise);
    double along = fixture_cosine(noise, g_vectors[1]);
    for (int i = 0; i < FIXTURE_DIM; i++)
        noise[i] = (float)(noise[i] - along * g_vectors[1][i]);
    fixture_normalize(noise);
    const double cosines[] = {0.45, 0.55, 0.9};
    for (int c = 0; c < 3; c++) {
        double s = sqrt(1.0 - cosines[c] * cosines[c]);
        for (int i = 0; i < FIXTURE_DIM; i++)
            query[i] = (float)(cosines[c] * g_vectors[1][i] + s * noise[i]);
        float confidence = 0.0f;
        HFFaceFeatureIdentity best;
        assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
        assert_int_equal(best.id, cosines[c] > 0.5 ? 1 : -1);
        if (cosines[c] < 0.8)
            continue;
        assert_int_equal(HFFeatureHubFaceSearchThresholdSetting(0.99f), HSUCCEED);
        assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
        assert_int_equal(best.id, -1);
        assert_int_equal(HFFeatureHubFaceSearchThresholdSetting(0.5f), HSUCCEED);
        assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
        assert_int_equal(best.id, 1);
        /* Equal to the threshold passes. */
        assert_int_equal(HFFeatureHubFaceSearchThresholdSetting(confidence), HSUCCEED);
        assert_int_equal(HFFeatureHubFaceSearch(feature_of(query), &confidence, &best), HSUCCEED);
        assert_int_equal(best.id, 1);
    }
}

static void search_matches_brute_force(void **unused)
{
    (void)unused;
    /* Above the parallel cut-off, so the split scan runs; every search mode
     * must return the exact best row. */
    const int count = 40000;
    fill_hub(count, 44, -1.0f);
    uint64_t state = 45;
    for (int q = 0; q < 5; q++) {
        float query[FIXTURE_DIM];
        fixture_perturb(&state, g_vectors[1 + (q * 7919) % count], 0.05, query);
        HFaceId best_id = -1;
        double best = -2.0;
        for (int i = 1; i <= count; i++) {
            double c = fixture_cosine(query, g_vectors[i]);
            if (c > best) {
                best = c;
                best_id = i;
            }
        }
        HFSearchTopKResults top;
        assert_int_equal(HFFeatureHubFaceSearchTopK(feature_of(query), 10, &top), HSUCCEED);
        assert_int_equal(top.size, 10);
        assert_int_equal(top.ids[0], best_id);
        assert_float_equal(top.confidence[0], best, 1e-5);
        for (int i = 0; i < 10; i++)
            assert_float_equal(top.confidence[i], fixture_cosine(query, g_vectors[top.ids[i]]),
                               1e-5);
    }
}

int main(void)
{
    g_vectors = calloc(40001, sizeof(*g_vectors));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(feature_length_and_create),
        cmocka_unit_test(comparison_values),
        cmocka_unit_test(comparison_errors),
        cmocka_unit_test(converter_defaults),
        cmocka_unit_test(converter_update),
        cmocka_unit_test_teardown(enable_disable_twice, teardown_hub),
        cmocka_unit_test(disabled_calls),
        cmocka_unit_test_teardown(empty_hub_search, teardown_hub),
        cmocka_unit_test_teardown(bad_features, teardown_hub),
        cmocka_unit_test_teardown(auto_ids_in_order, teardown_hub),
        cmocka_unit_test_teardown(topk_perturbed_group, teardown_hub),
        cmocka_unit_test_teardown(topk_sizes, teardown_hub),
        cmocka_unit_test_teardown(remove_range, teardown_hub),
        cmocka_unit_test_teardown(remove_threads, teardown_hub),
        cmocka_unit_test_teardown(insert_threads, teardown_hub),
        cmocka_unit_test_teardown(search_random_and_perturbed, teardown_hub),
        cmocka_unit_test_teardown(get_identity, teardown_hub),
        cmocka_unit_test_teardown(manual_ids, teardown_hub),
        cmocka_unit_test_teardown(update_then_search, teardown_hub),
        cmocka_unit_test_teardown(threshold_config_and_setting, teardown_hub),
        cmocka_unit_test_teardown(search_matches_brute_force, teardown_hub),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_vectors);
    return failed;
}
