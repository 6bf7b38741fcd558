#include "base/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long allocations_left = -1;

static int should_fail(void)
{
    long left = atomic_load(&allocations_left);
    if (left < 0)
        return 0;
    if (left == 0)
        return 1;
    atomic_fetch_sub(&allocations_left, 1);
    return 0;
}

void hf_alloc_fail_after(long count)
{
    atomic_store(&allocations_left, count < 0 ? -1 : count);
}

void *hf_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *hf_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *hf_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void hf_free(void *ptr)
{
    free(ptr);
}

void *hf_aligned_alloc(size_t size)
{
    void *ptr = NULL;
    if (should_fail())
        return NULL;
    if (size > SIZE_MAX - HF_ALIGNMENT)
        return NULL;
    if (posix_memalign(&ptr, HF_ALIGNMENT, size ? size : 1) != 0)
        return NULL;
    return ptr;
}

void hf_aligned_free(void *ptr)
{
    free(ptr);
}

char *hf_strdup(const char *text)
{
    if (text == NULL)
        return NULL;
    size_t len = strlen(text);
    char *copy = hf_malloc(len + 1);
    if (copy)
        memcpy(copy, text, len + 1);
    return copy;
}
