/* The handle registry: every handle the public API hands out (sessions,
 * image streams, bitmaps, features from HFCreateFaceFeature) is the address
 * of an object registered here under its kind. Every API call that takes a
 * handle checks it first, so a released, foreign or mistyped handle gets the
 * matching HERR_INVALID_* code instead of a crash. The debug functions that
 * count and list unreleased handles read this registry.
 *
 * Thread-safe. A handle released by one thread while another thread uses it
 * is still a caller error that the registry cannot catch. */
#ifndef HF_API_REGISTRY_H
#define HF_API_REGISTRY_H

#include "base/status.h"

typedef enum hf_handle_kind {
    HF_HANDLE_SESSION = 0,
    HF_HANDLE_STREAM,
    HF_HANDLE_BITMAP,
    HF_HANDLE_FEATURE,
    HF_HANDLE_KIND_COUNT
} hf_handle_kind;

/* Registers `object` as a live handle of `kind`. */
HF_MUST_CHECK hf_status hf_registry_add(hf_handle_kind kind, void *object);

/* Returns 1 when `object` is a live handle of `kind`, else 0 (NULL gives 0). */
int hf_registry_contains(hf_handle_kind kind, const void *object);

/* Unregisters `object`; returns 1 when it was a live handle of `kind`, 0
 * otherwise (then the caller must not free it). */
int hf_registry_remove(hf_handle_kind kind, void *object);

/* Returns the number of live handles of `kind`. */
int hf_registry_count(hf_handle_kind kind);

/* Writes up to `max` live handles of `kind` into `out`, fills the rest of
 * the `max` slots with NULL, and returns how many handles were written. */
int hf_registry_list(hf_handle_kind kind, void **out, int max);

/* Totals since the process started, for HFDeBugShowResourceStatistics. */
void hf_registry_totals(hf_handle_kind kind, long *created, long *released);

#endif
