/* FeatureHub crash safety: a child process inserts features in a loop and
 * is killed with SIGKILL at random moments. After every kill the database
 * must pass SQLite's integrity check and hold every feature whose insert
 * call had returned success (the child reports those through a pipe). */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "hub_fixture.h"
#include "inspireface.h"

#define SCRATCH HF_BINARY_DIR "/tests/hub/scratch_crash"
#define DB_PATH SCRATCH "/crash.db"
#define KILLS 60

typedef struct report {
    HFaceId id;
    uint64_t seed;
} report;

static HFFeatureHubConfiguration crash_config(void)
{
    HFFeatureHubConfiguration config = {HF_PK_AUTO_INCREMENT, 1, DB_PATH, 0.48f,
                                        HF_SEARCH_MODE_EXHAUSTIVE};
    return config;
}

/* Child side: inserts until killed and reports (id, seed) after each
 * successful call. */
static void child_insert_loop(int fd, int round)
{
    if (HFFeatureHubDataEnable(crash_config()) != HSUCCEED)
        _exit(2);
    float vector[FIXTURE_DIM];
    for (uint64_t n = 0;; n++) {
        uint64_t seed = ((uint64_t)round << 32) + n + 1;
        uint64_t state = seed;
        fixture_unit(&state, vector);
        HFFaceFeature feature = {FIXTURE_DIM, vector};
        HFFaceFeatureIdentity identity = {0, &feature};
        report entry = {-1, seed};
        if (HFFeatureHubInsertFeature(identity, &entry.id) != HSUCCEED)
            _exit(3);
        if (write(fd, &entry, sizeof(entry)) != (ssize_t)sizeof(entry))
            _exit(4);
    }
}

static void integrity_check(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(DB_PATH, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

/* Checks every reported insert against the reopened hub. */
static void verify_reports(const report *reports, size_t count)
{
    assert_int_equal(HFFeatureHubDataEnable(crash_config()), HSUCCEED);
    float expected[FIXTURE_DIM];
    for (size_t i = 0; i < count; i++) {
        HFFaceFeatureIdentity identity;
        HResult result = HFFeatureHubGetFaceIdentity(reports[i].id, &identity);
        if (result != HSUCCEED)
            fail_msg("id %lld (report %zu) is missing after the kill: code %ld",
                     (long long)reports[i].id, i, (long)result);
        uint64_t state = reports[i].seed;
        fixture_unit(&state, expected);
        assert_float_equal(fixture_cosine(identity.feature->data, expected), 1.0, 1e-6);
    }
    HInt32 stored = 0;
    assert_int_equal(HFFeatureHubGetFaceCount(&stored), HSUCCEED);
    assert_true((size_t)stored >= count);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
}

static size_t read_reports(int fd, report **reports, size_t count, size_t *capacity)
{
    report entry;
    while (read(fd, &entry, sizeof(entry)) == (ssize_t)sizeof(entry)) {
        if (count == *capacity) {
            *capacity = *capacity ? *capacity * 2 : 1024;
            *reports = realloc(*reports, *capacity * sizeof(**reports));
            assert_non_null(*reports);
        }
        (*reports)[count++] = entry;
    }
    return count;
}

static void kill_during_inserts(void **unused)
{
    (void)unused;
    assert_int_equal(system("rm -rf '" SCRATCH "' && mkdir -p '" SCRATCH "'"), 0);
    report *reports = NULL;
    size_t count = 0, capacity = 0;
    uint64_t state = (uint64_t)time(NULL);
    for (int round = 0; round < KILLS; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            close(fds[0]);
            child_insert_loop(fds[1], round);
        }
        close(fds[1]);
        /* Between 1 and 40 ms: some kills land while the child opens and
         * loads the database, most during inserts. */
        struct timespec delay = {0, (long)(1 + fixture_next(&state) % 40) * 1000000L};
        nanosleep(&delay, NULL);
        kill(child, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFSIGNALED(status));
        count = read_reports(fds[0], &reports, count, &capacity);
        close(fds[0]);
        integrity_check();
        verify_reports(reports, count);
    }
    print_message("%d kills, %zu reported inserts verified\n", KILLS, count);
    assert_true(count > 0);
    free(reports);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill_during_inserts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
