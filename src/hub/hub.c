/* The FeatureHub object: locking, id allocation and the order of a write
 * (memory reserved, then the database committed, then the store changed), so
 * a failed write leaves both sides as they were. */
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/threadpool.h"
#include "hub/hub_internal.h"

/* Hubs smaller than this are scanned on the calling thread. The cut-off is
 * an estimate: below it the scan takes well under a millisecond (about
 * 0.2 ms for 10k rows with AVX-512), comparable to waking the pool. */
#define HF_HUB_PARALLEL_ROWS 32768
#define HF_HUB_DB_FILE_NAME ".feature_hub_db_v0"

struct hf_hub {
    pthread_rwlock_t lock;
    hf_hub_store store;
    hf_hub_db *db;
    int manual_ids;
    int64_t next_id;
    hf_threadpool *pool;
    /* One search at a time may use the pool; others scan on their own thread. */
    pthread_mutex_t pool_lock;
};

static char *db_file_path(const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISDIR(info.st_mode))
        return hf_strdup(path);
    size_t length = strlen(path);
    char *joined = hf_malloc(length + sizeof(HF_HUB_DB_FILE_NAME) + 1);
    if (joined) {
        memcpy(joined, path, length);
        joined[length] = '/';
        memcpy(joined + length + 1, HF_HUB_DB_FILE_NAME, sizeof(HF_HUB_DB_FILE_NAME));
    }
    return joined;
}

static hf_status hub_open_db(hf_hub *hub, const char *path)
{
    char *file = db_file_path(path);
    if (!file)
        return HF_ERR_NO_MEMORY;
    hf_status status = hf_hub_db_open(file, &hub->db);
    if (status == HF_OK)
        status = hf_hub_db_load(hub->db, &hub->store, &hub->next_id);
    if (status == HF_OK)
        HF_LOGI("hub: opened %s with %zu features", file, hub->store.count);
    hf_free(file);
    return status;
}

hf_status hf_hub_open(const hf_hub_config *config, hf_hub **out)
{
    hf_hub *hub = hf_calloc(1, sizeof(*hub));
    if (!hub)
        return HF_ERR_NO_MEMORY;
    hf_hub_store_init(&hub->store);
    hub->manual_ids = config->manual_ids;
    hub->next_id = 1;
    /* glibc's default read-write lock favours readers, so steady searching
     * would starve inserts; prefer writers instead. */
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&hub->lock, &attributes);
    pthread_rwlockattr_destroy(&attributes);
    pthread_mutex_init(&hub->pool_lock, NULL);
    hf_status status = hf_hub_set_threads(hub, config->threads);
    if (status == HF_OK && config->db_path)
        status = hub_open_db(hub, config->db_path);
    if (status != HF_OK) {
        hf_hub_close(hub);
        return status;
    }
    *out = hub;
    return HF_OK;
}

hf_status hf_hub_set_threads(hf_hub *hub, int threads)
{
    if (threads <= 0)
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    hf_threadpool *pool = NULL;
    if (threads > 1) {
        hf_status status = hf_threadpool_create(threads, &pool);
        if (status != HF_OK)
            return status;
    }
    pthread_rwlock_wrlock(&hub->lock);
    pthread_mutex_lock(&hub->pool_lock);
    hf_threadpool *old = hub->pool;
    hub->pool = pool;
    pthread_mutex_unlock(&hub->pool_lock);
    pthread_rwlock_unlock(&hub->lock);
    hf_threadpool_destroy(old);
    return HF_OK;
}

void hf_hub_close(hf_hub *hub)
{
    if (!hub)
        return;
    hf_hub_db_close(hub->db);
    hf_threadpool_destroy(hub->pool);
    hf_hub_store_free(&hub->store);
    pthread_rwlock_destroy(&hub->lock);
    pthread_mutex_destroy(&hub->pool_lock);
    hf_free(hub);
}

static hf_status insert_locked(hf_hub *hub, const int64_t *ids, const float *units, size_t count,
                               int64_t next_id)
{
    hf_status status = hf_hub_store_reserve(&hub->store, count);
    if (status == HF_OK && hub->db)
        status = hf_hub_db_insert(hub->db, ids, units, count, next_id);
    if (status != HF_OK)
        return status;
    for (size_t i = 0; i < count; i++)
        hf_hub_store_append(&hub->store, ids[i], units + i * HF_HUB_DIM);
    hub->next_id = next_id;
    return HF_OK;
}

hf_status hf_hub_insert(hf_hub *hub, int64_t id, const float *vector, int64_t *out_id)
{
    if (hf_hub_vector_check(vector) != HF_OK)
        return HF_ERR_INVALID_ARG;
    if (hub->manual_ids && id < 0) {
        HF_LOGE("hub: manual id %lld is negative; ids must be >= 0", (long long)id);
        return HF_ERR_INVALID_ARG;
    }
    float unit[HF_HUB_DIM];
    hf_hub_normalize(vector, unit);
    pthread_rwlock_wrlock(&hub->lock);
    hf_status status = HF_OK;
    int64_t next_id = hub->next_id;
    if (!hub->manual_ids) {
        id = next_id++;
    } else if (hf_hub_store_find(&hub->store, id) >= 0) {
        HF_LOGE("hub: id %lld is already stored", (long long)id);
        status = HF_ERR_EXISTS;
    } else if (id >= next_id) {
        /* Automatic ids chosen later must not collide with manual ones. */
        next_id = id == INT64_MAX ? id : id + 1;
    }
    if (status == HF_OK)
        status = insert_locked(hub, &id, unit, 1, next_id);
    pthread_rwlock_unlock(&hub->lock);
    if (status == HF_OK)
        *out_id = id;
    return status;
}

hf_status hf_hub_insert_batch(hf_hub *hub, const float *vectors, size_t count, int64_t *out_ids)
{
    if (hub->manual_ids) {
        HF_LOGE("hub: batch insert needs automatic ids");
        return HF_ERR_STATE;
    }
    float *units = hf_aligned_alloc(count * HF_HUB_DIM * sizeof(float) + 1);
    int64_t *ids = hf_malloc(count * sizeof(*ids) + 1);
    hf_status status = units && ids ? HF_OK : HF_ERR_NO_MEMORY;
    for (size_t i = 0; status == HF_OK && i < count; i++) {
        status = hf_hub_vector_check(vectors + i * HF_HUB_DIM);
        hf_hub_normalize(vectors + i * HF_HUB_DIM, units + i * HF_HUB_DIM);
    }
    if (status == HF_OK) {
        pthread_rwlock_wrlock(&hub->lock);
        for (size_t i = 0; i < count; i++)
            ids[i] = hub->next_id + (int64_t)i;
        status = insert_locked(hub, ids, units, count, hub->next_id + (int64_t)count);
        pthread_rwlock_unlock(&hub->lock);
    }
    if (status == HF_OK)
        memcpy(out_ids, ids, count * sizeof(*ids));
    hf_aligned_free(units);
    hf_free(ids);
    return status;
}

hf_status hf_hub_update(hf_hub *hub, int64_t id, const float *vector)
{
    if (hf_hub_vector_check(vector) != HF_OK)
        return HF_ERR_INVALID_ARG;
    float unit[HF_HUB_DIM];
    hf_hub_normalize(vector, unit);
    pthread_rwlock_wrlock(&hub->lock);
    long row = hf_hub_store_find(&hub->store, id);
    hf_status status = row < 0 ? HF_ERR_NOT_FOUND : HF_OK;
    if (status == HF_OK && hub->db)
        status = hf_hub_db_update(hub->db, id, unit);
    if (status == HF_OK)
        memcpy(hub->store.vectors + (size_t)row * HF_HUB_DIM, unit, sizeof(unit));
    pthread_rwlock_unlock(&hub->lock);
    if (row < 0)
        HF_LOGE("hub: cannot update id %lld: not found", (long long)id);
    return status;
}

hf_status hf_hub_remove(hf_hub *hub, int64_t id, int *out_removed)
{
    pthread_rwlock_wrlock(&hub->lock);
    long row = hf_hub_store_find(&hub->store, id);
    hf_status status = HF_OK;
    if (row >= 0 && hub->db)
        status = hf_hub_db_remove(hub->db, id);
    if (row >= 0 && status == HF_OK)
        hf_hub_store_delete_row(&hub->store, (size_t)row);
    pthread_rwlock_unlock(&hub->lock);
    if (status == HF_OK && out_removed)
        *out_removed = row >= 0;
    return status;
}

hf_status hf_hub_get(hf_hub *hub, int64_t id, float *out_vector)
{
    pthread_rwlock_rdlock(&hub->lock);
    long row = hf_hub_store_find(&hub->store, id);
    if (row >= 0)
        memcpy(out_vector, hub->store.vectors + (size_t)row * HF_HUB_DIM,
               HF_HUB_DIM * sizeof(float));
    pthread_rwlock_unlock(&hub->lock);
    return row >= 0 ? HF_OK : HF_ERR_NOT_FOUND;
}

size_t hf_hub_count(hf_hub *hub)
{
    pthread_rwlock_rdlock(&hub->lock);
    size_t count = hub->store.count;
    pthread_rwlock_unlock(&hub->lock);
    return count;
}

hf_status hf_hub_ids(hf_hub *hub, int64_t **out_ids, size_t *out_count)
{
    pthread_rwlock_rdlock(&hub->lock);
    size_t count = hub->store.count;
    int64_t *ids = NULL;
    if (count) {
        ids = hf_malloc(count * sizeof(*ids));
        if (ids)
            memcpy(ids, hub->store.ids, count * sizeof(*ids));
    }
    pthread_rwlock_unlock(&hub->lock);
    if (count && !ids)
        return HF_ERR_NO_MEMORY;
    *out_ids = ids;
    *out_count = count;
    return HF_OK;
}

void hf_hub_for_each(hf_hub *hub, void (*visit)(int64_t id, const float *vector, void *user),
                     void *user)
{
    pthread_rwlock_rdlock(&hub->lock);
    for (size_t row = 0; row < hub->store.count; row++)
        visit(hub->store.ids[row], hub->store.vectors + row * HF_HUB_DIM, user);
    pthread_rwlock_unlock(&hub->lock);
}

typedef struct search_job {
    const hf_hub_store *store;
    const float *query;
    float threshold;
    hf_hub_heap *heaps; /* one per part */
} search_job;

static void search_part(void *ctx, int ith, int nth)
{
    search_job *job = ctx;
    size_t count = job->store->count;
    size_t begin = count * (size_t)ith / (size_t)nth;
    size_t end = count * (size_t)(ith + 1) / (size_t)nth;
    hf_hub_scan(job->store, begin, end, job->query, job->threshold, &job->heaps[ith]);
}

/* Scans on the pool when the hub is large and the pool is free, else on
 * the calling thread; merges the parts' heaps into `heap`. */
static hf_status search_locked(hf_hub *hub, const float *unit, float threshold, hf_hub_heap *heap)
{
    const hf_hub_store *store = &hub->store;
    int parts = 1;
    if (hub->pool && store->count >= HF_HUB_PARALLEL_ROWS &&
        pthread_mutex_trylock(&hub->pool_lock) == 0)
        parts = hf_threadpool_size(hub->pool);
    if (parts == 1) {
        hf_hub_scan(store, 0, store->count, unit, threshold, heap);
        return HF_OK;
    }
    hf_hub_heap *heaps = hf_calloc((size_t)parts, sizeof(*heaps));
    hf_hub_match *items = hf_malloc((size_t)parts * (size_t)heap->capacity * sizeof(*items));
    hf_status status = heaps && items ? HF_OK : HF_ERR_NO_MEMORY;
    if (status == HF_OK) {
        for (int i = 0; i < parts; i++)
            heaps[i] = (hf_hub_heap){items + (size_t)i * (size_t)heap->capacity, 0,
                                     heap->capacity};
        search_job job = {store, unit, threshold, heaps};
        hf_threadpool_run(hub->pool, search_part, &job, parts);
        for (int i = 0; i < parts; i++)
            for (int j = 0; j < heaps[i].size; j++)
                hf_hub_heap_push(heap, heaps[i].items[j].score, heaps[i].items[j].id);
    }
    pthread_mutex_unlock(&hub->pool_lock);
    hf_free(heaps);
    hf_free(items);
    return status;
}

/* Runs the search and, when out_vector is not NULL, copies the best row
 * before the lock is released. */
static hf_status search_copy(hf_hub *hub, const float *query, int k, float threshold,
                             hf_hub_match *matches, int *out_count, float *out_vector)
{
    if (hf_hub_vector_check(query) != HF_OK)
        return HF_ERR_INVALID_ARG;
    if (k <= 0) {
        *out_count = 0;
        return HF_OK;
    }
    float unit[HF_HUB_DIM] __attribute__((aligned(64)));
    hf_hub_normalize(query, unit);
    hf_hub_heap heap = {matches, 0, k};
    pthread_rwlock_rdlock(&hub->lock);
    hf_status status = search_locked(hub, unit, threshold, &heap);
    if (status == HF_OK) {
        hf_hub_heap_sort(&heap);
        if (out_vector && heap.size > 0) {
            long row = hf_hub_store_find(&hub->store, matches[0].id);
            memcpy(out_vector, hub->store.vectors + (size_t)row * HF_HUB_DIM,
                   HF_HUB_DIM * sizeof(float));
        }
    }
    pthread_rwlock_unlock(&hub->lock);
    if (status == HF_OK)
        *out_count = heap.size;
    return status;
}

hf_status hf_hub_search(hf_hub *hub, const float *query, int k, float threshold,
                        hf_hub_match *matches, int *out_count)
{
    return search_copy(hub, query, k, threshold, matches, out_count, NULL);
}

hf_status hf_hub_search_best(hf_hub *hub, const float *query, float threshold,
                             hf_hub_match *out_match, float *out_vector, int *out_found)
{
    hf_hub_match match;
    int found = 0;
    hf_status status = search_copy(hub, query, 1, threshold, &match, &found, out_vector);
    if (status == HF_OK) {
        *out_found = found;
        if (found)
            *out_match = match;
    }
    return status;
}
