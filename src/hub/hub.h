/* FeatureHub: an in-memory store of unit-length 512-d face features with
 * exact cosine search and optional SQLite persistence.
 *
 * Vectors are normalised on insert and on query, so a similarity is the dot
 * product of two unit vectors. Every function is safe to call from any
 * thread: searches and reads share a read-write lock, writes hold it
 * exclusively. A write to a persistent hub returns HF_OK only after its
 * SQLite transaction committed, so the data survives a crash of the process. */
#ifndef HF_HUB_H
#define HF_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* Length of every stored feature. */
#define HF_HUB_DIM 512

typedef struct hf_hub hf_hub;

typedef struct hf_hub_config {
    int manual_ids;      /* nonzero: callers choose ids; zero: ids 1, 2, 3, ... */
    const char *db_path; /* NULL: memory only; a folder: .feature_hub_db_v0 inside it */
    int threads;         /* threads one large search may use; <= 0 picks the CPU count */
} hf_hub_config;

typedef struct hf_hub_match {
    int64_t id;
    float score; /* cosine similarity */
} hf_hub_match;

/* Opens a hub; with a database path the stored features are loaded. A path
 * that cannot be opened, is read-only or is not a hub database gives
 * HF_ERR_IO or HF_ERR_FORMAT and leaves the file untouched. */
HF_MUST_CHECK hf_status hf_hub_open(const hf_hub_config *config, hf_hub **out);

/* Closes the database and frees the hub; NULL is allowed. */
void hf_hub_close(hf_hub *hub);

/* Stores a copy of `vector` (HF_HUB_DIM finite floats). With manual ids `id`
 * is the key (>= 0, else HF_ERR_INVALID_ARG; present already:
 * HF_ERR_EXISTS); otherwise `id` is ignored and the next id is used. The id
 * stored is written to *out_id. */
HF_MUST_CHECK hf_status hf_hub_insert(hf_hub *hub, int64_t id, const float *vector,
                                      int64_t *out_id);

/* Stores `count` vectors (count * HF_HUB_DIM floats) in one transaction with
 * new automatic ids written to out_ids; HF_ERR_STATE in manual-id mode. All
 * or nothing. */
HF_MUST_CHECK hf_status hf_hub_insert_batch(hf_hub *hub, const float *vectors, size_t count,
                                            int64_t *out_ids);

/* Replaces the vector stored under `id`; HF_ERR_NOT_FOUND when absent. */
HF_MUST_CHECK hf_status hf_hub_update(hf_hub *hub, int64_t id, const float *vector);

/* Deletes `id`. A missing id is not an error. *out_removed (may be NULL) is
 * set to 1 when a row was deleted, else 0. */
HF_MUST_CHECK hf_status hf_hub_remove(hf_hub *hub, int64_t id, int *out_removed);

/* Copies the stored (normalised) vector of `id`; HF_ERR_NOT_FOUND when absent. */
HF_MUST_CHECK hf_status hf_hub_get(hf_hub *hub, int64_t id, float *out_vector);

size_t hf_hub_count(hf_hub *hub);

/* Copies every id in storage order (insertion order until a removal moves the
 * last row into the hole) into a new hf_malloc array; *out_ids is NULL when
 * the hub is empty. */
HF_MUST_CHECK hf_status hf_hub_ids(hf_hub *hub, int64_t **out_ids, size_t *out_count);

/* Finds the k most similar stored vectors whose similarity is >= threshold,
 * best first, into matches (room for k). *out_count receives how many. */
HF_MUST_CHECK hf_status hf_hub_search(hf_hub *hub, const float *query, int k, float threshold,
                                      hf_hub_match *matches, int *out_count);

/* Finds the best match at or above threshold and copies its stored vector
 * to out_vector under the same lock, so the two always belong together.
 * *out_found is 0 when nothing passes the threshold. */
HF_MUST_CHECK hf_status hf_hub_search_best(hf_hub *hub, const float *query, float threshold,
                                           hf_hub_match *out_match, float *out_vector,
                                           int *out_found);

/* Sets how many threads one large search may use (<= 0: the CPU count). */
HF_MUST_CHECK hf_status hf_hub_set_threads(hf_hub *hub, int threads);

/* Calls visit(id, vector, user) for every entry in storage order under the
 * read lock. */
void hf_hub_for_each(hf_hub *hub, void (*visit)(int64_t id, const float *vector, void *user),
                     void *user);

/* Returns HF_ERR_INVALID_ARG when a value of the HF_HUB_DIM floats is NaN or
 * infinite. */
HF_MUST_CHECK hf_status hf_hub_vector_check(const float *vector);

#endif
