#include "base/threadpool.h"

#include <pthread.h>
#include <stdatomic.h>

#include "base/alloc.h"
#include "base/cpu.h"
#include "base/log.h"

struct hf_threadpool {
    int size;
    pthread_t *workers;
    int started;

    pthread_mutex_t lock;
    pthread_cond_t wake;     /* a new job or shutdown */
    pthread_cond_t finished; /* the last part of a job is done */
    unsigned long generation;
    int shutting_down;

    /* The current job. */
    hf_threadpool_task fn;
    void *ctx;
    int nth;
    atomic_int next_part;
    int parts_left; /* guarded by lock */
};

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
    pthread_mutex_lock(&pool->lock);
    pool->parts_left -= done;
    if (pool->parts_left == 0)
        pthread_cond_broadcast(&pool->finished);
    pthread_mutex_unlock(&pool->lock);
}

static void *worker_main(void *arg)
{
    hf_threadpool *pool = arg;
    unsigned long seen = 0;

    hf_cpu_set_flush_denormals();
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->shutting_down && pool->generation == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->shutting_down)
            break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        run_parts(pool);
        pthread_mutex_lock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
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
    atomic_init(&pool->next_part, 0);

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
    pool->fn = fn;
    pool->ctx = ctx;
    pool->nth = nth;
    pool->parts_left = nth;
    atomic_store(&pool->next_part, 0);
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_parts(pool);

    pthread_mutex_lock(&pool->lock);
    while (pool->parts_left > 0)
        pthread_cond_wait(&pool->finished, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}
