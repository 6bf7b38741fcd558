/* The FeatureHub's dense vector matrix and its id -> row hash index. */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "hub/hub_internal.h"

void hf_hub_store_init(hf_hub_store *store)
{
    memset(store, 0, sizeof(*store));
}

void hf_hub_store_free(hf_hub_store *store)
{
    hf_aligned_free(store->vectors);
    hf_free(store->ids);
    hf_free(store->slot_ids);
    hf_free(store->slot_rows);
    hf_hub_store_init(store);
}

static size_t hash_slot(int64_t id, size_t slot_count)
{
    uint64_t x = (uint64_t)id;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (size_t)(x & (slot_count - 1));
}

static void slot_put(int64_t *slot_ids, uint32_t *slot_rows, size_t slot_count, int64_t id,
                     uint32_t row)
{
    size_t slot = hash_slot(id, slot_count);
    while (slot_ids[slot] != HF_HUB_EMPTY_SLOT && slot_ids[slot] != id)
        slot = (slot + 1) & (slot_count - 1);
    slot_ids[slot] = id;
    slot_rows[slot] = row;
}

static long slot_find(const hf_hub_store *store, int64_t id)
{
    if (store->slot_count == 0)
        return -1;
    size_t mask = store->slot_count - 1;
    for (size_t slot = hash_slot(id, store->slot_count);; slot = (slot + 1) & mask) {
        if (store->slot_ids[slot] == HF_HUB_EMPTY_SLOT)
            return -1;
        if (store->slot_ids[slot] == id)
            return (long)slot;
    }
}

static hf_status rehash(hf_hub_store *store, size_t slot_count)
{
    int64_t *slot_ids = hf_malloc(slot_count * sizeof(*slot_ids));
    uint32_t *slot_rows = hf_malloc(slot_count * sizeof(*slot_rows));
    if (!slot_ids || !slot_rows) {
        hf_free(slot_ids);
        hf_free(slot_rows);
        HF_LOGE("hub: cannot allocate a hash index of %zu slots", slot_count);
        return HF_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < slot_count; i++)
        slot_ids[i] = HF_HUB_EMPTY_SLOT;
    for (size_t row = 0; row < store->count; row++)
        slot_put(slot_ids, slot_rows, slot_count, store->ids[row], (uint32_t)row);
    hf_free(store->slot_ids);
    hf_free(store->slot_rows);
    store->slot_ids = slot_ids;
    store->slot_rows = slot_rows;
    store->slot_count = slot_count;
    return HF_OK;
}

hf_status hf_hub_store_reserve(hf_hub_store *store, size_t count)
{
    size_t needed = store->count + count;
    /* Rows are indexed by uint32_t in the hash table. */
    if (needed > UINT32_MAX) {
        HF_LOGE("hub: %zu rows exceed the limit of %u", needed, UINT32_MAX);
        return HF_ERR_RANGE;
    }
    if (needed <= store->capacity)
        return HF_OK;
    size_t capacity = store->capacity ? store->capacity : 64;
    while (capacity < needed)
        capacity = capacity + capacity / 2;
    float *vectors = hf_aligned_alloc(capacity * HF_HUB_DIM * sizeof(float));
    int64_t *ids = hf_realloc(store->ids, capacity * sizeof(*ids));
    if (ids)
        store->ids = ids;
    if (!vectors || !ids) {
        hf_aligned_free(vectors);
        HF_LOGE("hub: cannot grow the store to %zu rows", capacity);
        return HF_ERR_NO_MEMORY;
    }
    size_t slot_count = store->slot_count ? store->slot_count : 128;
    while (slot_count < 2 * capacity)
        slot_count *= 2;
    if (slot_count != store->slot_count) {
        hf_status status = rehash(store, slot_count);
        if (status != HF_OK) {
            hf_aligned_free(vectors);
            return status;
        }
    }
    if (store->count)
        memcpy(vectors, store->vectors, store->count * HF_HUB_DIM * sizeof(float));
    hf_aligned_free(store->vectors);
    store->vectors = vectors;
    store->capacity = capacity;
    return HF_OK;
}

long hf_hub_store_find(const hf_hub_store *store, int64_t id)
{
    long slot = slot_find(store, id);
    return slot < 0 ? -1 : (long)store->slot_rows[slot];
}

void hf_hub_store_append(hf_hub_store *store, int64_t id, const float *unit_vector)
{
    size_t row = store->count++;
    memcpy(store->vectors + row * HF_HUB_DIM, unit_vector, HF_HUB_DIM * sizeof(float));
    store->ids[row] = id;
    slot_put(store->slot_ids, store->slot_rows, store->slot_count, id, (uint32_t)row);
}

/* Backward-shift deletion keeps every probe chain unbroken without
 * tombstones. */
static void slot_erase(hf_hub_store *store, size_t hole)
{
    size_t mask = store->slot_count - 1;
    size_t next = (hole + 1) & mask;
    while (store->slot_ids[next] != HF_HUB_EMPTY_SLOT) {
        size_t home = hash_slot(store->slot_ids[next], store->slot_count);
        /* The entry may move into the hole when its home does not lie in
         * the cyclic range (hole, next]. */
        if (((next - home) & mask) >= ((next - hole) & mask)) {
            store->slot_ids[hole] = store->slot_ids[next];
            store->slot_rows[hole] = store->slot_rows[next];
            hole = next;
        }
        next = (next + 1) & mask;
    }
    store->slot_ids[hole] = HF_HUB_EMPTY_SLOT;
}

void hf_hub_store_delete_row(hf_hub_store *store, size_t row)
{
    slot_erase(store, (size_t)slot_find(store, store->ids[row]));
    size_t last = store->count - 1;
    if (row != last) {
        memcpy(store->vectors + row * HF_HUB_DIM, store->vectors + last * HF_HUB_DIM,
               HF_HUB_DIM * sizeof(float));
        store->ids[row] = store->ids[last];
        store->slot_rows[slot_find(store, store->ids[row])] = (uint32_t)row;
    }
    store->count = last;
}

void hf_hub_normalize(const float *vector, float *out)
{
    double sum = 0.0;
    for (int i = 0; i < HF_HUB_DIM; i++)
        sum += (double)vector[i] * vector[i];
    double scale = sum > 0.0 ? 1.0 / sqrt(sum) : 0.0;
    for (int i = 0; i < HF_HUB_DIM; i++)
        out[i] = (float)(vector[i] * scale);
}

hf_status hf_hub_vector_check(const float *vector)
{
    for (int i = 0; i < HF_HUB_DIM; i++) {
        if (!isfinite(vector[i])) {
            HF_LOGE("hub: feature value %d is %f; every value must be finite", i,
                    (double)vector[i]);
            return HF_ERR_INVALID_ARG;
        }
    }
    return HF_OK;
}
