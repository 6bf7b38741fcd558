/* The thread pool: every part of every job runs exactly once, including when
 * a worker wakes late and meets the next job being set up, and when workers
 * or the caller went to sleep between or during jobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/threadpool.h"

#define MAX_PARTS 64

typedef struct job_record {
    atomic_int runs[MAX_PARTS];
    atomic_int wrong_nth;
    int nth;
} job_record;

static void count_part(void *ctx, int ith, int nth)
{
    job_record *record = ctx;
    if (nth != record->nth)
        atomic_fetch_add(&record->wrong_nth, 1);
    atomic_fetch_add(&record->runs[ith], 1);
    /* Uneven part lengths let workers finish at different times. */
    volatile unsigned sink = 0;
    for (int i = 0; i < (ith % 7) * 200; i++)
        sink += (unsigned)i;
    (void)sink;
}

static void run_jobs(hf_threadpool *pool, int jobs)
{
    unsigned seed = 12345;
    for (int job = 0; job < jobs; job++) {
        job_record record;
        memset(&record, 0, sizeof record);
        seed = seed * 1103515245u + 12345u;
        record.nth = 1 + (int)((seed >> 16) % MAX_PARTS);

        hf_threadpool_run(pool, count_part, &record, record.nth);

        assert_int_equal(atomic_load(&record.wrong_nth), 0);
        for (int i = 0; i < record.nth; i++) {
            if (atomic_load(&record.runs[i]) != 1)
                fail_msg("job %d: part %d of %d ran %d times", job, i, record.nth,
                         atomic_load(&record.runs[i]));
        }
    }
}

static void threadpool_runs_each_part_once(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 4; threads++) {
        hf_threadpool *pool = NULL;
        assert_int_equal(hf_threadpool_create(threads, &pool), HF_OK);
        assert_int_equal(hf_threadpool_size(pool), threads);
        run_jobs(pool, 20000);
        hf_threadpool_destroy(pool);
    }
}

static void pause_microseconds(long microseconds)
{
    struct timespec pause = {.tv_sec = 0, .tv_nsec = microseconds * 1000};
    nanosleep(&pause, NULL);
}

/* Part 0 sleeps past the pool's 50 us spin, so the thread that waits for it
 * goes to sleep too. */
static void count_part_slowly(void *ctx, int ith, int nth)
{
    if (ith == 0)
        pause_microseconds(120);
    count_part(ctx, ith, nth);
}

static void threadpool_wakes_sleeping_threads(void **state)
{
    (void)state;
    for (int threads = 2; threads <= 3; threads++) {
        hf_threadpool *pool = NULL;
        assert_int_equal(hf_threadpool_create(threads, &pool), HF_OK);
        for (int job = 0; job < 200; job++) {
            job_record record;
            memset(&record, 0, sizeof record);
            record.nth = 1 + job % 5;
            /* Every third job starts after the workers fell asleep. */
            if (job % 3 == 0)
                pause_microseconds(150);
            hf_threadpool_run(pool, job % 2 ? count_part_slowly : count_part, &record,
                              record.nth);
            assert_int_equal(atomic_load(&record.wrong_nth), 0);
            for (int i = 0; i < record.nth; i++)
                if (atomic_load(&record.runs[i]) != 1)
                    fail_msg("job %d: part %d of %d ran %d times", job, i, record.nth,
                             atomic_load(&record.runs[i]));
        }
        hf_threadpool_destroy(pool);
    }
}

static void threadpool_null_runs_serially(void **state)
{
    (void)state;
    job_record record;
    memset(&record, 0, sizeof record);
    record.nth = 5;
    hf_threadpool_run(NULL, count_part, &record, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(atomic_load(&record.runs[i]), 1);
    assert_int_equal(hf_threadpool_size(NULL), 1);
    hf_threadpool_destroy(NULL);
}

static void threadpool_rejects_bad_arguments(void **state)
{
    (void)state;
    hf_threadpool *pool = (hf_threadpool *)&pool;
    assert_int_equal(hf_threadpool_create(0, &pool), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_threadpool_create(2, NULL), HF_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threadpool_runs_each_part_once),
        cmocka_unit_test(threadpool_wakes_sleeping_threads),
        cmocka_unit_test(threadpool_null_runs_serially),
        cmocka_unit_test(threadpool_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
