/* Allocation wrappers. Every allocation in the SDK goes through these so
 * tests can inject failures (hf_alloc_fail_after) and check that each
 * out-of-memory path returns HF_ERR_NO_MEMORY instead of crashing. */
#ifndef HF_BASE_ALLOC_H
#define HF_BASE_ALLOC_H

#include <stddef.h>

/* Alignment of hf_aligned_alloc: one cache line, enough for AVX-512 loads. */
#define HF_ALIGNMENT 64

void *hf_malloc(size_t size);
void *hf_calloc(size_t count, size_t size);
void *hf_realloc(void *ptr, size_t size);
void hf_free(void *ptr);

/* Returns HF_ALIGNMENT-aligned memory; release it with hf_aligned_free. */
void *hf_aligned_alloc(size_t size);
void hf_aligned_free(void *ptr);

/* Duplicates a NUL-terminated string; NULL in, NULL out. */
char *hf_strdup(const char *text);

/* Test hook: the allocation after `count` more successful ones fails, and
 * every one after it too, until called again with -1 (never fail). */
void hf_alloc_fail_after(long count);

#endif
