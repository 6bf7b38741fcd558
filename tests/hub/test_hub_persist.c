/* FeatureHub persistence: reopening, folder paths, bad paths and files,
 * and features read back bit for bit by a second process. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub_fixture.h"
#include "inspireface.h"

#define SCRATCH HF_BINARY_DIR "/tests/hub/scratch_persist"

static HFFeatureHubConfiguration persistent_config(const char *path)
{
    HFFeatureHubConfiguration config = {HF_PK_AUTO_INCREMENT, 1, (HString)path, 0.48f,
                                        HF_SEARCH_MODE_EXHAUSTIVE};
    return config;
}

static void scratch_reset(void)
{
    assert_int_equal(system("rm -rf '" SCRATCH "' && mkdir -p '" SCRATCH "'"), 0);
}

static HFaceId insert(float *data)
{
    HFFaceFeature feature = {FIXTURE_DIM, data};
    HFFaceFeatureIdentity identity = {0, &feature};
    HFaceId alloc = -2;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HSUCCEED);
    return alloc;
}

static int count_get(void)
{
    HInt32 count = -1;
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    return count;
}

static void assert_disabled(void)
{
    float v[FIXTURE_DIM] = {1.0f};
    HFFaceFeature feature = {FIXTURE_DIM, v};
    HFFaceFeatureIdentity identity = {0, &feature};
    HFaceId alloc = 0;
    assert_int_equal(HFFeatureHubInsertFeature(identity, &alloc), HERR_FT_HUB_DISABLE);
}

static void reopen_file(void **unused)
{
    (void)unused;
    scratch_reset();
    const char *path = SCRATCH "/hub.db";
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HSUCCEED);
    uint64_t state = 3;
    float vectors[3][FIXTURE_DIM];
    for (int i = 0; i < 3; i++) {
        fixture_unit(&state, vectors[i]);
        assert_int_equal(insert(vectors[i]), i + 1);
    }
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HSUCCEED);
    assert_int_equal(count_get(), 3);
    for (int i = 0; i < 3; i++) {
        HFFaceFeatureIdentity identity;
        assert_int_equal(HFFeatureHubGetFaceIdentity(i + 1, &identity), HSUCCEED);
        assert_float_equal(fixture_cosine(identity.feature->data, vectors[i]), 1.0, 1e-6);
    }
    /* Ids stay unique across reopening, also after the largest is removed. */
    assert_int_equal(HFFeatureHubFaceRemove(3), HSUCCEED);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HSUCCEED);
    assert_int_equal(count_get(), 2);
    float confidence = 0.0f;
    HFFaceFeatureIdentity best;
    HFFaceFeature query = {FIXTURE_DIM, vectors[2]};
    assert_int_equal(HFFeatureHubFaceSearch(query, &confidence, &best), HSUCCEED);
    assert_int_equal(best.id, -1);
    assert_int_equal(insert(vectors[2]), 4);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
}

static void folder_path(void **unused)
{
    (void)unused;
    scratch_reset();
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(SCRATCH)), HSUCCEED);
    float v[FIXTURE_DIM] = {0.25f, 0.5f};
    assert_int_equal(insert(v), 1);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    struct stat info;
    assert_int_equal(stat(SCRATCH "/.feature_hub_db_v0", &info), 0);
    assert_true(S_ISREG(info.st_mode));
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(SCRATCH "/")), HSUCCEED);
    assert_int_equal(count_get(), 1);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
}

static void memory_only(void **unused)
{
    (void)unused;
    HFFeatureHubConfiguration config = persistent_config(SCRATCH "/unused.db");
    config.enablePersistence = 0;
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
    float v[FIXTURE_DIM] = {1.0f};
    assert_int_equal(insert(v), 1);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
    assert_int_equal(count_get(), 0);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(access(SCRATCH "/unused.db", F_OK), -1);
}

static void bad_paths(void **unused)
{
    (void)unused;
    scratch_reset();
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(NULL)), HERR_INVALID_PARAM);
    assert_disabled();
    assert_int_equal(HFFeatureHubDataEnable(persistent_config("")), HERR_INVALID_PARAM);
    assert_disabled();
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(SCRATCH "/missing/folder/hub.db")),
                     HERR_INVALID_PARAM);
    assert_disabled();
    assert_int_equal(access(SCRATCH "/missing", F_OK), -1);
}

static void random_bytes_file(void **unused)
{
    (void)unused;
    scratch_reset();
    const char *path = SCRATCH "/noise.db";
    unsigned char noise[8192];
    uint64_t state = 17;
    for (size_t i = 0; i < sizeof(noise); i++)
        noise[i] = (unsigned char)fixture_next(&state);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(noise, 1, sizeof(noise), file), sizeof(noise));
    fclose(file);
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HERR_INVALID_PARAM);
    assert_disabled();
    unsigned char after[sizeof(noise) + 1];
    file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fread(after, 1, sizeof(after), file), sizeof(noise));
    fclose(file);
    assert_memory_equal(after, noise, sizeof(noise));
}

/* Runs the enable attempt in a child that cannot write the file: as root,
 * the child drops to user nobody, for whom a mode 0444 file is read-only. */
static void read_only_file(void **unused)
{
    (void)unused;
    scratch_reset();
    const char *path = SCRATCH "/readonly.db";
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HSUCCEED);
    float v[FIXTURE_DIM] = {1.0f};
    assert_int_equal(insert(v), 1);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(chmod(SCRATCH, 0777), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        if (geteuid() == 0 && setuid(65534) != 0)
            _exit(3);
        HResult result = HFFeatureHubDataEnable(persistent_config(path));
        _exit(result == HERR_INVALID_PARAM ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* Second-process side: opens the database and writes every id and vector
 * to stdout. */
static int dump_hub(const char *path)
{
    if (HFFeatureHubDataEnable(persistent_config(path)) != HSUCCEED)
        return 2;
    HFFeatureHubExistingIds ids;
    if (HFFeatureHubGetExistingIds(&ids) != HSUCCEED)
        return 3;
    for (int i = 0; i < ids.size; i++) {
        HFFaceFeatureIdentity identity;
        if (HFFeatureHubGetFaceIdentity(ids.ids[i], &identity) != HSUCCEED)
            return 4;
        if (fwrite(&identity.id, sizeof(identity.id), 1, stdout) != 1 ||
            fwrite(identity.feature->data, sizeof(float), FIXTURE_DIM, stdout) != FIXTURE_DIM)
            return 5;
    }
    HFFeatureHubDataDisable();
    return fflush(stdout) == 0 ? 0 : 6;
}

static void fresh_process_bit_identical(void **unused)
{
    (void)unused;
    scratch_reset();
    const char *path = SCRATCH "/big.db";
    enum { COUNT = 1200 };
    static float stored[COUNT][FIXTURE_DIM];
    static float input[FIXTURE_DIM];
    assert_int_equal(HFFeatureHubDataEnable(persistent_config(path)), HSUCCEED);
    uint64_t state = 21;
    for (int i = 0; i < COUNT; i++) {
        fixture_unit(&state, input);
        for (int j = 0; j < FIXTURE_DIM; j++)
            input[j] *= 3.0f;
        assert_int_equal(insert(input), i + 1);
    }
    for (int i = 0; i < COUNT; i++) {
        HFFaceFeatureIdentity identity;
        assert_int_equal(HFFeatureHubGetFaceIdentity(i + 1, &identity), HSUCCEED);
        memcpy(stored[i], identity.feature->data, sizeof(stored[i]));
    }
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);

    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execl("/proc/self/exe", "test_hub_persist", "--dump", path, (char *)NULL);
        _exit(127);
    }
    close(pipe_fds[1]);
    FILE *reader = fdopen(pipe_fds[0], "rb");
    assert_non_null(reader);
    int rows = 0;
    HFaceId id = 0;
    static float vector[FIXTURE_DIM];
    while (fread(&id, sizeof(id), 1, reader) == 1) {
        assert_int_equal(fread(vector, sizeof(float), FIXTURE_DIM, reader), FIXTURE_DIM);
        assert_int_equal(id, rows + 1);
        assert_memory_equal(vector, stored[rows], sizeof(vector));
        rows++;
    }
    fclose(reader);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(rows, COUNT);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--dump") == 0)
        return dump_hub(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reopen_file),
        cmocka_unit_test(folder_path),
        cmocka_unit_test(memory_only),
        cmocka_unit_test(bad_paths),
        cmocka_unit_test(random_bytes_file),
        cmocka_unit_test(read_only_file),
        cmocka_unit_test(fresh_process_bit_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
