#include "base/threadpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/log.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HF_CPU_RELAX() _mm_pause()
#else
#define HF_CPU_RELAX() ((void)0)
#endif

/* How long a thread spins before sleeping on a condition variable. Models
 * run many layers of tens of microseconds each and waking a sleeping thread
 * costs about as much, so a short spin after each job keeps the pool useful
 * for small layers, while an idle pool still sleeps. */
#define SPIN_NANOSECONDS 50000

struct hf_threadpool {
    int size;
    pthread_t *workers;
    int started;

    pthread_mutex_t lock;
    pthread_cond_t wake;     /* a new job or shutdown */
    pthread_cond_t finished; /* the last part of a job is done, or a worker left a job */
    atomic_ulong generation; /* job counter; changed under lock, read by spinning workers */
    int shutting_down;       /* guarded by lock */
    int active;              /* workers inside run_parts, guarded by lock */

    /* The current job. Written under lock only while no worker is active, so
     * a worker that joined late never mixes two jobs' fields. */
    hf_threadpool_task fn;
    void *ctx;
    int nth;
    atomic_int next_part;
    atomic_int parts_left;
};

static long long monotonic_nanoseconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* Spins until the job counter differs from `seen` or the spin time is over;
 * returns nonzero when it changed. */
static int spin_for_new_job(hf_threadpool *pool, unsigned long seen)
{
    long long deadline = monotonic_nanoseconds() + SPIN_NANOSECONDS;
    for (unsigned iteration = 1;; iteration++) {
        if (atomic_load_explicit(&pool->generation, memory_order_acquire) != seen)
            return 1;
        HF_CPU_RELAX();
        if (iteration % 64 == 0 && monotonic_nanoseconds() > deadline)
            return 0;
    }
}

static int spin_for_job_end(hf_threadpool *pool)
{
    long long deadline = monotonic_nanoseconds() + SPIN_NANOSECONDS;
    for (unsigned iteration = 1;; iteration++) {
        if (atomic_load_explicit(&pool->parts_left, memory_order_acquire) <= 0)
            return 1;
        HF_CPU_RELAX();
        if (iteration % 64 == 0 && monotonic_nanoseconds() > deadline)
            return 0;
    }
}

/* Takes parts of the current job until none are left. */
static void run_parts(hf_threadpool *pool)
{
    int done = 0;
    for (;;) {
        int ith = atomic_fetch_add(&pool->next_part, 1);
        if (ith >= pool->nth)
            break;
        pool->fn(pool->ctx, ith, pool->nth);
        done++;
    }
    if (done == 0)
        return;
    /* The broadcast happens under the lock, so a caller that saw parts left
     * while holding the lock is already waiting when it arrives. */
    if (atomic_fetch_sub(&pool->parts_left, done) == done) {
        pthread_mutex_lock(&pool->lock);
        pthread_cond_broadcast(&pool->finished);
        pthread_mutex_unlock(&pool->lock);
    }
}

static void *worker_main(void *arg)
{
    hf_threadpool *pool = arg;
    unsigned long seen = 0;

    hf_cpu_set_flush_denormals();
    for (;;) {
        spin_for_new_job(pool, seen);

        pthread_mutex_lock(&pool->lock);
        while (!pool->shutting_down && atomic_load(&pool->generation) == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->shutting_down) {
            pthread_mutex_unlock(&pool->lock);
            break;
        }
        seen = atomic_load(&pool->generation);
        pool->active++;
        pthread_mutex_unlock(&pool->lock);

        run_parts(pool);

        pthread_mutex_lock(&pool->lock);
        if (--pool->active == 0)
            pthread_cond_broadcast(&pool->finished);
        pthread_mutex_unlock(&pool->lock);
    }
    return NULL;
}

hf_status hf_threadpool_create(int threads, hf_threadpool **out)
{
    if (out == NULL || threads < 1)
        return HF_ERR_INVALID_ARG;
    *out = NULL;

    hf_threadpool *pool = hf_calloc(1, sizeof *pool);
    if (pool == NULL)
        return HF_ERR_NO_MEMORY;
    pool->size = threads;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->finished, NULL);
    atomic_init(&pool->generation, 0);
    atomic_init(&pool->next_part, 0);
    atomic_init(&pool->parts_left, 0);

    if (threads > 1) {
        pool->workers = hf_calloc((size_t)threads - 1, sizeof *pool->workers);
        if (pool->workers == NULL) {
            hf_threadpool_destroy(pool);
            return HF_ERR_NO_MEMORY;
        }
        for (int i = 0; i < threads - 1; i++) {
            if (pthread_create(&pool->workers[i], NULL, worker_main, pool) != 0) {
                HF_LOGE("thread pool: could not start worker %d of %d", i + 1, threads - 1);
                hf_threadpool_destroy(pool);
                return HF_ERR_NO_MEMORY;
            }
            pool->started++;
        }
    }
    *out = pool;
    return HF_OK;
}

void hf_threadpool_destroy(hf_threadpool *pool)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->shutting_down = 1;
    atomic_fetch_add(&pool->generation, 1); /* ends the spin of idle workers */
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->started; i++)
        pthread_join(pool->workers[i], NULL);
    pthread_cond_destroy(&pool->finished);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    hf_free(pool->workers);
    hf_free(pool);
}

int hf_threadpool_size(const hf_threadpool *pool)
{
    return pool ? pool->size : 1;
}

void hf_threadpool_run(hf_threadpool *pool, hf_threadpool_task fn, void *ctx, int nth)
{
    if (nth <= 0 || fn == NULL)
        return;
    if (pool == NULL || pool->size == 1 || nth == 1) {
        for (int ith = 0; ith < nth; ith++)
            fn(ctx, ith, nth);
        return;
    }

    pthread_mutex_lock(&pool->lock);
    /* A worker that joined the previous job late may still be reading its
     * fields; wait until it has left before replacing them. */
    while (pool->active > 0)
        pthread_cond_wait(&pool->finished, &pool->lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->nth = nth;
    atomic_store(&pool->parts_left, nth);
    atomic_store(&pool->next_part, 0);
    atomic_fetch_add(&pool->generation, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_parts(pool);

    if (!spin_for_job_end(pool)) {
        pthread_mutex_lock(&pool->lock);
        while (atomic_load(&pool->parts_left) > 0)
            pthread_cond_wait(&pool->finished, &pool->lock);
        pthread_mutex_unlock(&pool->lock);
    }
}
