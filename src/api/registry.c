#include "api/registry.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"

/* One open-addressing hash set of live addresses per handle kind. Removed
 * slots become tombstones so probe chains stay intact. */
#define TOMBSTONE ((void *)(uintptr_t)1)

typedef struct handle_set {
    void **slots;
    int capacity; /* power of two, or 0 */
    int live;
    int used; /* live + tombstones */
    long created;
    long released;
} handle_set;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static handle_set sets[HF_HANDLE_KIND_COUNT];

static size_t hash_pointer(const void *object)
{
    uint64_t x = (uint64_t)(uintptr_t)object;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static int find_slot(const handle_set *set, const void *object)
{
    if (set->capacity == 0)
        return -1;
    size_t mask = (size_t)set->capacity - 1;
    for (size_t i = hash_pointer(object) & mask, n = 0; n < (size_t)set->capacity;
         i = (i + 1) & mask, n++) {
        if (set->slots[i] == NULL)
            return -1;
        if (set->slots[i] == object)
            return (int)i;
    }
    return -1;
}

static void insert_unchecked(handle_set *set, void *object)
{
    size_t mask = (size_t)set->capacity - 1;
    size_t i = hash_pointer(object) & mask;
    while (set->slots[i] != NULL && set->slots[i] != TOMBSTONE)
        i = (i + 1) & mask;
    if (set->slots[i] == NULL)
        set->used++;
    set->slots[i] = object;
    set->live++;
}

static hf_status grow(handle_set *set)
{
    int capacity = set->capacity ? set->capacity : 16;
    while ((set->live + 1) * 2 > capacity)
        capacity *= 2;
    void **old = set->slots;
    int old_capacity = set->capacity;

    set->slots = hf_calloc((size_t)capacity, sizeof *set->slots);
    if (set->slots == NULL) {
        set->slots = old;
        return HF_ERR_NO_MEMORY;
    }
    set->capacity = capacity;
    set->live = 0;
    set->used = 0;
    for (int i = 0; i < old_capacity; i++)
        if (old[i] != NULL && old[i] != TOMBSTONE)
            insert_unchecked(set, old[i]);
    hf_free(old);
    return HF_OK;
}

hf_status hf_registry_add(hf_handle_kind kind, void *object)
{
    if ((unsigned)kind >= HF_HANDLE_KIND_COUNT || object == NULL || object == TOMBSTONE)
        return HF_ERR_INVALID_ARG;

    hf_status status = HF_OK;
    pthread_mutex_lock(&registry_lock);
    handle_set *set = &sets[kind];
    if (find_slot(set, object) >= 0) {
        status = HF_ERR_EXISTS;
        goto out;
    }
    if ((set->used + 1) * 4 > set->capacity * 3) {
        status = grow(set);
        if (status != HF_OK)
            goto out;
    }
    insert_unchecked(set, object);
    set->created++;
out:
    pthread_mutex_unlock(&registry_lock);
    return status;
}

int hf_registry_contains(hf_handle_kind kind, const void *object)
{
    if ((unsigned)kind >= HF_HANDLE_KIND_COUNT || object == NULL || object == TOMBSTONE)
        return 0;
    pthread_mutex_lock(&registry_lock);
    int found = find_slot(&sets[kind], object) >= 0;
    pthread_mutex_unlock(&registry_lock);
    return found;
}

int hf_registry_remove(hf_handle_kind kind, void *object)
{
    if ((unsigned)kind >= HF_HANDLE_KIND_COUNT || object == NULL || object == TOMBSTONE)
        return 0;
    pthread_mutex_lock(&registry_lock);
    handle_set *set = &sets[kind];
    int slot = find_slot(set, object);
    if (slot >= 0) {
        set->slots[slot] = TOMBSTONE;
        set->live--;
        set->released++;
    }
    pthread_mutex_unlock(&registry_lock);
    return slot >= 0;
}

int hf_registry_count(hf_handle_kind kind)
{
    if ((unsigned)kind >= HF_HANDLE_KIND_COUNT)
        return 0;
    pthread_mutex_lock(&registry_lock);
    int live = sets[kind].live;
    pthread_mutex_unlock(&registry_lock);
    return live;
}

int hf_registry_list(hf_handle_kind kind, void **out, int max)
{
    int written = 0;
    if ((unsigned)kind >= HF_HANDLE_KIND_COUNT || out == NULL || max <= 0)
        return 0;
    pthread_mutex_lock(&registry_lock);
    const handle_set *set = &sets[kind];
    for (int i = 0; i < set->capacity && written < max; i++)
        if (set->slots[i] != NULL && set->slots[i] != TOMBSTONE)
            out[written++] = set->slots[i];
    pthread_mutex_unlock(&registry_lock);
    for (int i = written; i < max; i++)
        out[i] = NULL;
    return written;
}

void hf_registry_totals(hf_handle_kind kind, long *created, long *released)
{
    long c = 0, r = 0;
    if ((unsigned)kind < HF_HANDLE_KIND_COUNT) {
        pthread_mutex_lock(&registry_lock);
        c = sets[kind].created;
        r = sets[kind].released;
        pthread_mutex_unlock(&registry_lock);
    }
    if (created)
        *created = c;
    if (released)
        *released = r;
}
