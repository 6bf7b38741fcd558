/* FeatureHub API: the process-wide hub, its search threshold and the
 * hub-owned result buffers.
 *
 * g_state_lock guards which hub is open: enable and disable hold it for
 * writing, every other call for reading, so a hub is never closed under a
 * running call. The hub itself serialises its writes. g_cache_lock guards
 * the threshold and the hub-owned result buffers; a buffer is rewritten
 * under that lock, but the pointers handed out are shared caches, so a
 * caller that needs the data while other threads search must copy it. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "base/alloc.h"
#include "hub/hub.h"

#define HF_HUB_DEFAULT_THRESHOLD 0.48f

/* Writer-preferring, so enable and disable are not starved by steady searching. */
static pthread_rwlock_t g_state_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static hf_hub *g_hub;

static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static float g_threshold = HF_HUB_DEFAULT_THRESHOLD;
static float g_feature_data[HF_HUB_DIM];
static HFFaceFeature g_feature = {0, g_feature_data};
static float *g_topk_scores;
static HFaceId *g_topk_ids;
static int g_topk_capacity;
static HFaceId *g_existing_ids;

static void caches_free(void)
{
    pthread_mutex_lock(&g_cache_lock);
    hf_free(g_topk_scores);
    hf_free(g_topk_ids);
    hf_free(g_existing_ids);
    g_topk_scores = NULL;
    g_topk_ids = NULL;
    g_existing_ids = NULL;
    g_topk_capacity = 0;
    g_feature.size = 0;
    pthread_mutex_unlock(&g_cache_lock);
}

static float threshold_get(void)
{
    pthread_mutex_lock(&g_cache_lock);
    float threshold = g_threshold;
    pthread_mutex_unlock(&g_cache_lock);
    return threshold;
}

/* Returns HSUCCEED when `feature` contains HF_HUB_DIM finite values. */
static HResult feature_check(const HFFaceFeature *feature, const char *function)
{
    if (!feature || !feature->data) {
        HF_LOGE("%s: the feature or its data is NULL", function);
        return HERR_INVALID_FACE_FEATURE;
    }
    if (feature->size != HF_HUB_DIM) {
        HF_LOGE("%s: feature size is %d, expected %d", function, (int)feature->size, HF_HUB_DIM);
        return HERR_INVALID_FACE_FEATURE;
    }
    if (hf_hub_vector_check(feature->data) != HF_OK)
        return HERR_INVALID_FACE_FEATURE;
    return HSUCCEED;
}

/* Takes the state lock for reading; returns the open hub or NULL (then the
 * lock is already released). */
static hf_hub *hub_acquire(const char *function)
{
    pthread_rwlock_rdlock(&g_state_lock);
    if (g_hub)
        return g_hub;
    pthread_rwlock_unlock(&g_state_lock);
    HF_LOGE("%s: the FeatureHub is not enabled; call HFFeatureHubDataEnable first", function);
    return NULL;
}

static void hub_release(void)
{
    pthread_rwlock_unlock(&g_state_lock);
}

static HResult hub_open(const HFFeatureHubConfiguration *configuration)
{
    hf_hub_config config = {configuration->primaryKeyMode == HF_PK_MANUAL_INPUT, NULL, 0};
    if (configuration->enablePersistence) {
        if (!configuration->persistenceDbPath || !configuration->persistenceDbPath[0]) {
            HF_LOGE("HFFeatureHubDataEnable: persistence is on but persistenceDbPath is NULL or empty");
            return HERR_INVALID_PARAM;
        }
        config.db_path = configuration->persistenceDbPath;
    }
    float threshold = configuration->searchThreshold;
    if (!(threshold >= -1.0f && threshold <= 1.0f)) {
        HF_LOGW("HFFeatureHubDataEnable: searchThreshold %f is outside [-1, 1]; using 0.5",
                (double)threshold);
        threshold = 0.5f;
    }
    hf_status status = hf_hub_open(&config, &g_hub);
    if (status != HF_OK) {
        HF_LOGE("HFFeatureHubDataEnable: cannot open the hub at %s: %s",
                config.db_path ? config.db_path : "(memory)", hf_status_message(status));
        return status == HF_ERR_NO_MEMORY ? HERR_UNKNOWN : HERR_INVALID_PARAM;
    }
    pthread_mutex_lock(&g_cache_lock);
    g_threshold = threshold;
    pthread_mutex_unlock(&g_cache_lock);
    return HSUCCEED;
}

HResult HFFeatureHubDataEnable(HFFeatureHubConfiguration configuration)
{
    pthread_rwlock_wrlock(&g_state_lock);
    HResult result = g_hub ? HSUCCEED : hub_open(&configuration);
    pthread_rwlock_unlock(&g_state_lock);
    return result;
}

HResult HFFeatureHubDataDisable(void)
{
    pthread_rwlock_wrlock(&g_state_lock);
    if (!g_hub)
        HF_LOGW("HFFeatureHubDataDisable: the FeatureHub is not enabled");
    hf_hub_close(g_hub);
    g_hub = NULL;
    caches_free();
    pthread_rwlock_unlock(&g_state_lock);
    return HSUCCEED;
}

HResult HFFeatureHubFaceSearchThresholdSetting(HFloat threshold)
{
    pthread_mutex_lock(&g_cache_lock);
    g_threshold = threshold;
    pthread_mutex_unlock(&g_cache_lock);
    return HSUCCEED;
}

HResult HFFeatureHubInsertFeature(HFFaceFeatureIdentity featureIdentity, HPFaceId allocId)
{
    HResult result = feature_check(featureIdentity.feature, __func__);
    if (result != HSUCCEED)
        return result;
    if (!allocId) {
        HF_LOGE("%s: allocId is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    int64_t id = -1;
    hf_status status = hf_hub_insert(hub, featureIdentity.id, featureIdentity.feature->data, &id);
    hub_release();
    if (status == HF_ERR_INVALID_ARG)
        return HERR_INVALID_PARAM;
    *allocId = status == HF_OK ? id : -1;
    return status == HF_OK ? HSUCCEED : HERR_FT_HUB_INSERT_FAILURE;
}

/* Points `identity` at the shared hub-owned feature holding `vector`, or an
 * empty one when vector is NULL. */
static void shared_feature_set(PHFFaceFeatureIdentity identity, HFaceId id, const float *vector)
{
    pthread_mutex_lock(&g_cache_lock);
    if (vector)
        memcpy(g_feature_data, vector, sizeof(g_feature_data));
    g_feature.size = vector ? HF_HUB_DIM : 0;
    pthread_mutex_unlock(&g_cache_lock);
    identity->id = id;
    identity->feature = &g_feature;
}

HResult HFFeatureHubFaceSearch(HFFaceFeature searchFeature, HPFloat confidence,
                               PHFFaceFeatureIdentity mostSimilar)
{
    HResult result = feature_check(&searchFeature, __func__);
    if (result != HSUCCEED)
        return result;
    if (!confidence || !mostSimilar) {
        HF_LOGE("%s: confidence or mostSimilar is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *confidence = -1.0f;
    mostSimilar->id = -1;
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    hf_hub_match match = {-1, -1.0f};
    int found = 0;
    float vector[HF_HUB_DIM];
    hf_status status = hf_hub_search_best(hub, searchFeature.data, threshold_get(), &match,
                                          vector, &found);
    hub_release();
    if (status != HF_OK)
        return hf_api_status_code(status, HERR_UNKNOWN);
    shared_feature_set(mostSimilar, found ? match.id : -1, found ? vector : NULL);
    *confidence = found ? match.score : -1.0f;
    return HSUCCEED;
}

/* Makes the top-k buffers hold `count` entries; g_cache_lock is held. */
static hf_status topk_reserve(int count)
{
    if (count <= g_topk_capacity)
        return HF_OK;
    float *scores = hf_realloc(g_topk_scores, (size_t)count * sizeof(*scores));
    if (scores)
        g_topk_scores = scores;
    HFaceId *ids = hf_realloc(g_topk_ids, (size_t)count * sizeof(*ids));
    if (ids)
        g_topk_ids = ids;
    if (!scores || !ids)
        return HF_ERR_NO_MEMORY;
    g_topk_capacity = count;
    return HF_OK;
}

static HResult topk_publish(const hf_hub_match *matches, int count, PHFSearchTopKResults results)
{
    pthread_mutex_lock(&g_cache_lock);
    hf_status status = topk_reserve(count);
    if (status == HF_OK) {
        for (int i = 0; i < count; i++) {
            g_topk_scores[i] = matches[i].score;
            g_topk_ids[i] = matches[i].id;
        }
        results->size = count;
        results->confidence = g_topk_scores;
        results->ids = g_topk_ids;
    }
    pthread_mutex_unlock(&g_cache_lock);
    return status == HF_OK ? HSUCCEED : HERR_UNKNOWN;
}

HResult HFFeatureHubFaceSearchTopK(HFFaceFeature searchFeature, HInt32 topK,
                                   PHFSearchTopKResults results)
{
    HResult result = feature_check(&searchFeature, __func__);
    if (result != HSUCCEED)
        return result;
    if (!results) {
        HF_LOGE("%s: results is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    /* More results than stored rows cannot exist. */
    size_t stored = hf_hub_count(hub);
    int k = topK <= 0 ? 0 : ((size_t)topK > stored ? (int)stored : topK);
    hf_hub_match *matches = hf_malloc(((size_t)k + 1) * sizeof(*matches));
    int found = 0;
    hf_status status = matches ? hf_hub_search(hub, searchFeature.data, k, threshold_get(),
                                               matches, &found)
                               : HF_ERR_NO_MEMORY;
    hub_release();
    result = status == HF_OK ? topk_publish(matches, found, results)
                             : hf_api_status_code(status, HERR_UNKNOWN);
    hf_free(matches);
    return result;
}

HResult HFFeatureHubFaceRemove(HFaceId id)
{
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    hf_status status = hf_hub_remove(hub, id, NULL);
    hub_release();
    return hf_api_status_code(status, HERR_UNKNOWN);
}

HResult HFFeatureHubFaceUpdate(HFFaceFeatureIdentity featureIdentity)
{
    HResult result = feature_check(featureIdentity.feature, __func__);
    if (result != HSUCCEED)
        return result;
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    hf_status status = hf_hub_update(hub, featureIdentity.id, featureIdentity.feature->data);
    hub_release();
    if (status == HF_ERR_NOT_FOUND)
        return HERR_FT_HUB_NOT_FOUND_FEATURE;
    return hf_api_status_code(status, HERR_UNKNOWN);
}

HResult HFFeatureHubGetFaceIdentity(HFaceId customId, PHFFaceFeatureIdentity identity)
{
    if (!identity) {
        HF_LOGE("%s: identity is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    identity->id = -1;
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    float vector[HF_HUB_DIM];
    hf_status status = hf_hub_get(hub, customId, vector);
    hub_release();
    if (status != HF_OK) {
        HF_LOGE("%s: id %lld not found", __func__, (long long)customId);
        return HERR_FT_HUB_NOT_FOUND_FEATURE;
    }
    shared_feature_set(identity, customId, vector);
    return HSUCCEED;
}

HResult HFFeatureHubGetFaceCount(HPInt32 count)
{
    if (!count) {
        HF_LOGE("%s: count is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    pthread_rwlock_rdlock(&g_state_lock);
    size_t stored = g_hub ? hf_hub_count(g_hub) : 0;
    if (!g_hub)
        HF_LOGW("%s: the FeatureHub is not enabled; the count is 0", __func__);
    pthread_rwlock_unlock(&g_state_lock);
    *count = stored > INT32_MAX ? INT32_MAX : (HInt32)stored;
    return HSUCCEED;
}

static void table_print_row(int64_t id, const float *vector, void *user)
{
    (void)user;
    printf("%-20lld %9.5f %9.5f %9.5f %9.5f %9.5f ...\n", (long long)id, (double)vector[0],
           (double)vector[1], (double)vector[2], (double)vector[3], (double)vector[4]);
}

HResult HFFeatureHubViewDBTable(void)
{
    pthread_rwlock_rdlock(&g_state_lock);
    if (g_hub) {
        printf("%-20s %s\n", "id", "feature (first 5 of 512 values)");
        hf_hub_for_each(g_hub, table_print_row, NULL);
        fflush(stdout);
    }
    pthread_rwlock_unlock(&g_state_lock);
    return HSUCCEED;
}

HResult HFFeatureHubGetExistingIds(PHFFeatureHubExistingIds ids)
{
    if (!ids) {
        HF_LOGE("%s: ids is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    hf_hub *hub = hub_acquire(__func__);
    if (!hub)
        return HERR_FT_HUB_DISABLE;
    int64_t *list = NULL;
    size_t count = 0;
    hf_status status = hf_hub_ids(hub, &list, &count);
    hub_release();
    if (status != HF_OK)
        return hf_api_status_code(status, HERR_UNKNOWN);
    pthread_mutex_lock(&g_cache_lock);
    hf_free(g_existing_ids);
    g_existing_ids = list;
    ids->size = (HInt32)count;
    ids->ids = list;
    pthread_mutex_unlock(&g_cache_lock);
    return HSUCCEED;
}
