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

/* Upper bound on threads per pool, the same bound that runtime instances
 * check; a larger count is rejected as invalid. */
#define HF_THREADPOOL_MAX_THREADS 256

/* Next part of one thread's share of the current job, alone on its cache
 * line because its owner updates it for every part. */
typedef struct part_counter {
    _Alignas(64) atomic_int next;
} part_counter;

typedef struct worker_start {
    hf_threadpool *pool;
    int index; /* 1 .. size - 1; the calling thread is 0 */
} worker_start;

struct hf_threadpool {
    int size;
    pthread_t *workers;
    worker_start *starts;
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
    atomic_int parts_left;
    part_counter *next; /* one per thread: the next part of its share */
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

/* Returns the first part of thread `index`'s share of an nth-part job:
 * thread i owns parts [share_begin(i), share_begin(i + 1)). */
static int share_begin(const hf_threadpool *pool, int index)
{
    return (int)((long)pool->nth * index / pool->size);
}

/* Runs the parts of thread `index`'s share, then those still unclaimed in
 * the other shares, until none are left. Kernels split their output into
 * the same bands from layer to layer, so with fixed shares each thread
 * mostly reads rows that it wrote itself. Taking the unclaimed parts of
 * other shares keeps a late thread from holding up the job. */
static void run_parts(hf_threadpool *pool, int index)
{
    int done = 0;
    for (int k = 0; k < pool->size; k++) {
        int owner = (index + k) % pool->size;
        int end = share_begin(pool, owner + 1);
        for (;;) {
            int ith = atomic_fetch_add(&pool->next[owner].next, 1);
            if (ith >= end)
                break;
            pool->fn(pool->ctx, ith, pool->nth);
            done++;
        }
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
    const worker_start *start = arg;
    hf_threadpool *pool = start->pool;
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

        run_parts(pool, start->index);

        pthread_mutex_lock(&pool->lock);
        if (--pool->active == 0)
            pthread_cond_broadcast(&pool->finished);
        pthread_mutex_unlock(&pool->lock);
    }
    return NULL;
}

hf_status hf_threadpool_create(int threads, hf_threadpool **out)
{
    if (out == NULL || threads < 1 || threads > HF_THREADPOOL_MAX_THREADS)
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
    atomic_init(&pool->parts_left, 0);
    pool->next = hf_aligned_alloc((size_t)threads * sizeof *pool->next);
    if (pool->next == NULL) {
        hf_threadpool_destroy(pool);
        return HF_ERR_NO_MEMORY;
    }
    for (int i = 0; i < threads; i++)
        atomic_init(&pool->next[i].next, 0);

    if (threads > 1) {
        pool->workers = hf_calloc((size_t)threads - 1, sizeof *pool->workers);
        pool->starts = hf_calloc((size_t)threads - 1, sizeof *pool->starts);
        if (pool->workers == NULL || pool->starts == NULL) {
            hf_threadpool_destroy(pool);
            return HF_ERR_NO_MEMORY;
        }
        for (int i = 0; i < threads - 1; i++) {
            pool->starts[i] = (worker_start){.pool = pool, .index = i + 1};
            if (pthread_create(&pool->workers[i], NULL, worker_main, &pool->starts[i]) != 0) {
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
    hf_free(pool->starts);
    hf_aligned_free(pool->next);
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
    for (int i = 0; i < pool->size; i++)
        atomic_store(&pool->next[i].next, share_begin(pool, i));
    atomic_fetch_add(&pool->generation, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_parts(pool, 0);

    if (!spin_for_job_end(pool)) {
        pthread_mutex_lock(&pool->lock);
        while (atomic_load(&pool->parts_left) > 0)
            pthread_cond_wait(&pool->finished, &pool->lock);
        pthread_mutex_unlock(&pool->lock);
    }
}
