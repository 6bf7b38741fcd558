/* Private parts of the FeatureHub: the vector store, the search kernels and
 * the SQLite layer. */
#ifndef HF_HUB_INTERNAL_H
#define HF_HUB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "hub/hub.h"

/* Rows of HF_HUB_DIM floats in one 64-byte aligned matrix, ids in a parallel
 * array, and an open-addressing hash table from id to row. Removal moves the
 * last row into the hole, so rows stay dense. */
typedef struct hf_hub_store {
    float *vectors;
    int64_t *ids;
    size_t count;
    size_t capacity;
    int64_t *slot_ids;   /* HF_HUB_EMPTY_SLOT marks a free slot */
    uint32_t *slot_rows;
    size_t slot_count;   /* a power of two, at least twice capacity */
} hf_hub_store;

#define HF_HUB_EMPTY_SLOT INT64_MIN

void hf_hub_store_init(hf_hub_store *store);
void hf_hub_store_free(hf_hub_store *store);
/* Makes room for `count` more rows so the next appends cannot fail. */
HF_MUST_CHECK hf_status hf_hub_store_reserve(hf_hub_store *store, size_t count);
/* Returns the row of `id` or -1. */
long hf_hub_store_find(const hf_hub_store *store, int64_t id);
/* Appends a row; room must have been reserved. */
void hf_hub_store_append(hf_hub_store *store, int64_t id, const float *unit_vector);
void hf_hub_store_delete_row(hf_hub_store *store, size_t row);

/* Writes vector / |vector| to out (zeros stay zeros). */
void hf_hub_normalize(const float *vector, float *out);

/* A bounded min-heap that keeps the k best (score, id) pairs. */
typedef struct hf_hub_heap {
    hf_hub_match *items;
    int size;
    int capacity;
} hf_hub_heap;

void hf_hub_heap_push(hf_hub_heap *heap, float score, int64_t id);
/* Sorts the heap's items best first (destroys the heap order). */
void hf_hub_heap_sort(hf_hub_heap *heap);

/* Scores rows [begin, end) against the query and offers each score >=
 * threshold to the heap. Picks the widest SIMD kernel the CPU has. */
void hf_hub_scan(const hf_hub_store *store, size_t begin, size_t end, const float *query,
                 float threshold, hf_hub_heap *heap);

/* Writes dot(rows[i], query) for `count` consecutive rows to scores. */
typedef void (*hf_hub_dot_fn)(const float *rows, size_t count, const float *query, float *scores);
hf_hub_dot_fn hf_hub_dot_select(void);

/* SQLite persistence of one hub. */
typedef struct hf_hub_db hf_hub_db;

/* Opens or creates the database and checks its schema. */
HF_MUST_CHECK hf_status hf_hub_db_open(const char *path, hf_hub_db **out);
void hf_hub_db_close(hf_hub_db *db);
/* Appends every stored row to the store, in insertion order, and reports the
 * next automatic id (one past the largest id ever handed out). */
HF_MUST_CHECK hf_status hf_hub_db_load(hf_hub_db *db, hf_hub_store *store, int64_t *next_id);
/* Inserts `count` rows and records next_id, all in one transaction. */
HF_MUST_CHECK hf_status hf_hub_db_insert(hf_hub_db *db, const int64_t *ids, const float *vectors,
                                         size_t count, int64_t next_id);
HF_MUST_CHECK hf_status hf_hub_db_update(hf_hub_db *db, int64_t id, const float *vector);
HF_MUST_CHECK hf_status hf_hub_db_remove(hf_hub_db *db, int64_t id);

#endif
