/* A fixed-size thread pool for splitting one job into parts.
 *
 * hf_threadpool_run(pool, fn, ctx, nth) calls fn(ctx, ith, nth) once for each
 * ith in [0, nth) and returns when all calls have finished. The calling
 * thread takes part, so a pool of size n has n - 1 worker threads. Thread t
 * (the caller is 0) first runs its share, parts [t * nth / n, (t + 1) * nth
 * / n), then any part of another share that has not started yet. After a
 * job, workers spin for up to 50 microseconds waiting for the next one, then
 * sleep on a condition variable, so an idle pool uses no CPU. Every worker runs with
 * flush-to-zero and denormals-are-zero set. One pool runs one job at a time:
 * callers that share a pool between threads must serialise their runs. */
#ifndef HF_BASE_THREADPOOL_H
#define HF_BASE_THREADPOOL_H

#include "base/status.h"

typedef struct hf_threadpool hf_threadpool;
typedef void (*hf_threadpool_task)(void *ctx, int ith, int nth);

/* Creates a pool that runs jobs on `threads` threads in all (>= 1). */
HF_MUST_CHECK hf_status hf_threadpool_create(int threads, hf_threadpool **out);

/* Stops and joins the workers; NULL is allowed. */
void hf_threadpool_destroy(hf_threadpool *pool);

/* Returns the number of threads a job runs on (1 for a NULL pool). */
int hf_threadpool_size(const hf_threadpool *pool);

/* Runs fn(ctx, ith, nth) for every ith < nth; a NULL pool runs them in order
 * on the calling thread. */
void hf_threadpool_run(hf_threadpool *pool, hf_threadpool_task fn, void *ctx, int nth);

#endif
