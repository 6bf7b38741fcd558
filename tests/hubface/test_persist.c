/* FeatureHub persistence with real faces, through the public API. Run with
 * no argument, the program enrolls the 1,000 lfw-dev gallery images and
 * RD/d1-d4 into a database file and writes every stored vector to a side
 * file. Run with "reload" (a second CTest test, so a fresh process), it
 * reopens the database and checks it against the side file, then searches
 * with RD/d5. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "inspireface.h"

#define DIM 512
#define RD_COUNT 4
#define GALLERY_COUNT 1000
#define DB_PATH HF_BINARY_DIR "/tests/hubface/hubface_persist.db"
#define SIDE_PATH HF_BINARY_DIR "/tests/hubface/hubface_persist.vectors"
#define RD_DIR HF_SHARED_DIR "/data/images/RD"
#define LFW_DIR HF_SHARED_DIR "/data/lfw-dev"

/* One stored hub entry as the writing process inserted it. */
typedef struct stored_entry {
    HFaceId id;
    float vector[DIM];
} stored_entry;

/* Everything the writing process hands to the reloading one. */
typedef struct side_data {
    int count;
    HFaceId rd_ids[RD_COUNT];
    stored_entry *entries;
} side_data;

static const char *pack_path(void)
{
    const char *path = getenv("HF_PACK_PATH");

    return path != NULL ? path : HF_BINARY_DIR "/default.pack";
}

/* Returns the index of the face whose box centre is nearest the image
 * centre, the face the inspireface tool uses. */
static int nearest_centre(const HFMultipleFaceData *faces, int width, int height)
{
    int best = 0;
    double best_distance = INFINITY;

    for (int i = 0; i < faces->detectedNum; i++) {
        const HFaceRect *rect = &faces->rects[i];
        double dx = rect->x + 0.5 * rect->width - 0.5 * width;
        double dy = rect->y + 0.5 * rect->height - 0.5 * height;

        if (dx * dx + dy * dy < best_distance) {
            best_distance = dx * dx + dy * dy;
            best = i;
        }
    }
    return best;
}

/* Extracts the central face of `path`. Returns 0, or -1 without a face. */
static int extract(HFSession session, const char *path, float *vector)
{
    HFImageBitmap bitmap = NULL;
    HFImageStream stream = NULL;
    HFImageBitmapData data;
    HFMultipleFaceData faces;
    int result = -1;

    assert_int_equal(HFCreateImageBitmapFromFilePath(path, 3, &bitmap), HSUCCEED);
    assert_int_equal(HFCreateImageStreamFromImageBitmap(bitmap, HF_CAMERA_ROTATION_0, &stream),
                     HSUCCEED);
    assert_int_equal(HFImageBitmapGetData(bitmap, &data), HSUCCEED);
    assert_int_equal(HFExecuteFaceTrack(session, stream, &faces), HSUCCEED);
    if (faces.detectedNum > 0) {
        int index = nearest_centre(&faces, data.width, data.height);

        assert_int_equal(HFFaceFeatureExtractCpy(session, stream, faces.tokens[index], vector),
                         HSUCCEED);
        result = 0;
    }
    HFReleaseImageStream(stream);
    HFReleaseImageBitmap(bitmap);
    return result;
}

static void hub_enable(void)
{
    HFFeatureHubConfiguration config;

    memset(&config, 0, sizeof(config));
    config.primaryKeyMode = HF_PK_AUTO_INCREMENT;
    config.enablePersistence = 1;
    config.persistenceDbPath = (HString)DB_PATH;
    /* -1 lets top-k search rank every entry, imposters included. */
    config.searchThreshold = -1.0f;
    config.searchMode = HF_SEARCH_MODE_EXHAUSTIVE;
    assert_int_equal(HFFeatureHubDataEnable(config), HSUCCEED);
}

static HFSession session_open(void)
{
    HFSession session = NULL;

    assert_int_equal(HFLaunchInspireFace(pack_path()), HSUCCEED);
    assert_int_equal(HFCreateInspireFaceSessionOptional(HF_ENABLE_FACE_RECOGNITION,
                                                        HF_DETECT_MODE_ALWAYS_DETECT, 16, -1, -1,
                                                        &session),
                     HSUCCEED);
    return session;
}

static void session_close(HFSession session)
{
    assert_int_equal(HFReleaseInspireFaceSession(session), HSUCCEED);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
}

/* Extracts and inserts one image and records the entry. Returns its id, or
 * -1 when the image has no face. */
static HFaceId insert_image(HFSession session, const char *path, side_data *side)
{
    stored_entry *entry = &side->entries[side->count];
    HFFaceFeature feature = {DIM, entry->vector};
    HFFaceFeatureIdentity identity = {0, &feature};

    if (extract(session, path, entry->vector) != 0) {
        print_message("no face in %s\n", path);
        return -1;
    }
    assert_int_equal(HFFeatureHubInsertFeature(identity, &entry->id), HSUCCEED);
    side->count++;
    return entry->id;
}

static void insert_gallery(HFSession session, side_data *side)
{
    FILE *list = fopen(LFW_DIR "/gallery.txt", "r");
    char line[1024];
    char path[2048];
    int lines = 0;

    assert_non_null(list);
    while (fgets(line, sizeof(line), list) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", LFW_DIR, line);
        insert_image(session, path, side);
        lines++;
    }
    fclose(list);
    assert_int_equal(lines, GALLERY_COUNT);
}

static void side_write(const side_data *side)
{
    FILE *file = fopen(SIDE_PATH, "wb");

    assert_non_null(file);
    assert_int_equal(fwrite(&side->count, sizeof(side->count), 1, file), 1);
    assert_int_equal(fwrite(side->rd_ids, sizeof(side->rd_ids), 1, file), 1);
    assert_int_equal(fwrite(side->entries, sizeof(*side->entries), (size_t)side->count, file),
                     (size_t)side->count);
    assert_int_equal(fclose(file), 0);
}

static void side_read(side_data *side)
{
    FILE *file = fopen(SIDE_PATH, "rb");

    assert_non_null(file);
    assert_int_equal(fread(&side->count, sizeof(side->count), 1, file), 1);
    assert_in_range(side->count, RD_COUNT, GALLERY_COUNT + RD_COUNT);
    assert_int_equal(fread(side->rd_ids, sizeof(side->rd_ids), 1, file), 1);
    side->entries = malloc((size_t)side->count * sizeof(*side->entries));
    assert_non_null(side->entries);
    assert_int_equal(fread(side->entries, sizeof(*side->entries), (size_t)side->count, file),
                     (size_t)side->count);
    fclose(file);
}

static void test_persist_write(void **state)
{
    side_data side = {0, {0}, NULL};
    HFSession session;
    HInt32 count = 0;
    char path[512];

    (void)state;
    unlink(DB_PATH);
    unlink(DB_PATH "-wal");
    unlink(DB_PATH "-shm");
    unlink(SIDE_PATH);
    side.entries = malloc((GALLERY_COUNT + RD_COUNT) * sizeof(*side.entries));
    assert_non_null(side.entries);
    session = session_open();
    hub_enable();
    insert_gallery(session, &side);
    for (int i = 0; i < RD_COUNT; i++) {
        snprintf(path, sizeof(path), RD_DIR "/d%d.jpeg", i + 1);
        side.rd_ids[i] = insert_image(session, path, &side);
        assert_true(side.rd_ids[i] > 0);
    }
    print_message("stored %d entries\n", side.count);
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, side.count);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    session_close(session);
    side_write(&side);
    free(side.entries);
}

/* Checks that every vector comes back bit for bit under its stored id. */
static void check_vectors(const side_data *side)
{
    HFFeatureHubExistingIds ids;
    HInt32 count = 0;

    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, side->count);
    assert_int_equal(HFFeatureHubGetExistingIds(&ids), HSUCCEED);
    assert_int_equal(ids.size, side->count);
    for (int i = 0; i < side->count; i++) {
        const stored_entry *entry = &side->entries[i];
        HFFaceFeatureIdentity identity;

        assert_int_equal(HFFeatureHubGetFaceIdentity(entry->id, &identity), HSUCCEED);
        assert_int_equal(identity.id, entry->id);
        assert_int_equal(identity.feature->size, DIM);
        for (int k = 0; k < DIM; k++) {
            if (memcmp(&identity.feature->data[k], &entry->vector[k], sizeof(float)) != 0) {
                fail_msg("id %lld element %d: stored %.9g, reloaded %.9g", (long long)entry->id,
                         k, (double)entry->vector[k], (double)identity.feature->data[k]);
            }
        }
    }
}

static double dot(const float *a, const float *b)
{
    double sum = 0.0;

    for (int k = 0; k < DIM; k++) {
        sum += (double)a[k] * b[k];
    }
    return sum;
}

static const float *side_vector(const side_data *side, HFaceId id)
{
    for (int i = 0; i < side->count; i++) {
        if (side->entries[i].id == id) {
            return side->entries[i].vector;
        }
    }
    fail_msg("search returned id %lld, which was never stored", (long long)id);
    return NULL;
}

static int is_rd_id(const side_data *side, HFaceId id)
{
    for (int i = 0; i < RD_COUNT; i++) {
        if (side->rd_ids[i] == id) {
            return 1;
        }
    }
    return 0;
}

/* Checks that the four other RD photos, the same person as d5, rank first.
 * Each score must also be the cosine of d5 with the stored vector. */
static void check_search(const side_data *side, const float *query)
{
    HFFaceFeature feature = {DIM, (HPFloat)query};
    HFSearchTopKResults results;

    assert_int_equal(HFFeatureHubFaceSearchTopK(feature, 10, &results), HSUCCEED);
    assert_int_equal(results.size, 10);
    for (int i = 0; i < results.size; i++) {
        double expected = dot(query, side_vector(side, results.ids[i]));

        print_message("rank %d: id %lld cosine %.4f%s\n", i + 1, (long long)results.ids[i],
                      (double)results.confidence[i],
                      is_rd_id(side, results.ids[i]) ? " (RD)" : "");
        if (fabs(results.confidence[i] - expected) > 1e-4) {
            fail_msg("rank %d: score %.6f, dot product %.6f", i + 1,
                     (double)results.confidence[i], expected);
        }
        if (i > 0 && results.confidence[i] > results.confidence[i - 1]) {
            fail_msg("rank %d scores %.6f above rank %d's %.6f", i + 1,
                     (double)results.confidence[i], i, (double)results.confidence[i - 1]);
        }
        if (i < RD_COUNT && !is_rd_id(side, results.ids[i])) {
            fail_msg("rank %d is id %lld, not one of the RD ids %lld %lld %lld %lld", i + 1,
                     (long long)results.ids[i], (long long)side->rd_ids[0],
                     (long long)side->rd_ids[1], (long long)side->rd_ids[2],
                     (long long)side->rd_ids[3]);
        }
    }
}

static void test_persist_reload(void **state)
{
    side_data side = {0, {0}, NULL};
    float query[DIM];
    HFSession session;

    (void)state;
    side_read(&side);
    session = session_open();
    assert_int_equal(extract(session, RD_DIR "/d5.jpeg", query), 0);
    hub_enable();
    check_vectors(&side);
    check_search(&side, query);
    assert_int_equal(HFFeatureHubDataDisable(), HSUCCEED);
    session_close(session);
    free(side.entries);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest write[] = {cmocka_unit_test(test_persist_write)};
    const struct CMUnitTest reload[] = {cmocka_unit_test(test_persist_reload)};

    HFSetLogLevel(HF_LOG_WARN);
    if (argc > 1 && strcmp(argv[1], "reload") == 0) {
        return cmocka_run_group_tests_name("hubface_reload", reload, NULL, NULL);
    }
    return cmocka_run_group_tests_name("hubface_write", write, NULL, NULL);
}
