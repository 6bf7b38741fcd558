/* Shared pieces of enroll and search: quiet face extraction, the persistent
 * hub and the table of identity names kept in the hub's own SQLite file. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_hub.h"

/* Returns the index of the face whose rectangle centre is nearest the image
 * centre, which is the face compare and search use. */
static int nearest_centre(const HFMultipleFaceData *faces, int width, int height)
{
    int best = 0;
    double best_distance = INFINITY;

    for (int i = 0; i < faces->detectedNum; i++) {
        const HFaceRect *rect = &faces->rects[i];
        double dx = rect->x + 0.5 * rect->width - 0.5 * width;
        double dy = rect->y + 0.5 * rect->height - 0.5 * height;
        double distance = dx * dx + dy * dy;

        if (distance < best_distance) {
            best_distance = distance;
            best = i;
        }
    }
    return best;
}

cli_face_result cli_hub_extract(HFSession session, const char *path, float *feature)
{
    HFImageBitmap bitmap = NULL;
    HFImageStream stream = NULL;
    HFImageBitmapData data;
    HFMultipleFaceData faces;
    cli_face_result result = CLI_FACE_ERROR;

    if (HFCreateImageBitmapFromFilePath(path, 3, &bitmap) != HSUCCEED) {
        return CLI_FACE_UNREADABLE;
    }
    if (HFCreateImageStreamFromImageBitmap(bitmap, HF_CAMERA_ROTATION_0, &stream) != HSUCCEED ||
        HFImageBitmapGetData(bitmap, &data) != HSUCCEED ||
        HFExecuteFaceTrack(session, stream, &faces) != HSUCCEED) {
        goto cleanup;
    }
    if (faces.detectedNum == 0) {
        result = CLI_FACE_NONE;
        goto cleanup;
    }
    if (HFFaceFeatureExtractCpy(session, stream,
                                faces.tokens[nearest_centre(&faces, data.width, data.height)],
                                feature) == HSUCCEED) {
        result = CLI_FACE_FOUND;
    }
cleanup:
    if (stream != NULL) {
        HFReleaseImageStream(stream);
    }
    HFReleaseImageBitmap(bitmap);
    return result;
}

int cli_hub_enable(const char *db)
{
    HFFeatureHubConfiguration config;
    HResult code;

    memset(&config, 0, sizeof(config));
    config.primaryKeyMode = HF_PK_AUTO_INCREMENT;
    config.enablePersistence = 1;
    config.persistenceDbPath = (HString)db;
    config.searchThreshold = -1.0f;
    config.searchMode = HF_SEARCH_MODE_EXHAUSTIVE;
    code = HFFeatureHubDataEnable(config);
    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: opening the gallery database %s failed (error %ld)\n",
                db, (long)code);
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

static int names_fail(sqlite3 *sql, const char *db, const char *action)
{
    fprintf(stderr, "inspireface: %s in %s failed: %s\n", action, db,
            sql != NULL ? sqlite3_errmsg(sql) : "out of memory");
    return CLI_EXIT_FAILED;
}

static int names_open(const char *db, int flags, sqlite3 **sql)
{
    struct stat info;
    char path[4096];

    /* Given a folder, the hub keeps its database in this file inside it. */
    if (stat(db, &info) == 0 && S_ISDIR(info.st_mode)) {
        snprintf(path, sizeof(path), "%s/.feature_hub_db_v0", db);
    } else {
        snprintf(path, sizeof(path), "%s", db);
    }
    *sql = NULL;
    if (sqlite3_open_v2(path, sql, flags, NULL) != SQLITE_OK) {
        int status = names_fail(*sql, db, "opening the name table");

        sqlite3_close(*sql);
        *sql = NULL;
        return status;
    }
    sqlite3_busy_timeout(*sql, 5000);
    return CLI_EXIT_OK;
}

static int names_insert_all(sqlite3 *sql, const HFaceId *ids, char *const *names, int count)
{
    sqlite3_stmt *insert = NULL;
    int rc = sqlite3_prepare_v2(sql, "INSERT OR REPLACE INTO cli_identities(id, name) VALUES(?, ?)",
                                -1, &insert, NULL);

    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        sqlite3_bind_int64(insert, 1, (sqlite3_int64)ids[i]);
        sqlite3_bind_text(insert, 2, names[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(insert) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    return rc == SQLITE_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cli_hub_names_store(const char *db, const HFaceId *ids, char *const *names, int count)
{
    sqlite3 *sql = NULL;
    int status = names_open(db, SQLITE_OPEN_READWRITE, &sql);

    if (status != CLI_EXIT_OK) {
        return status;
    }
    if (sqlite3_exec(sql,
                     "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS cli_identities("
                     "id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        names_insert_all(sql, ids, names, count) != CLI_EXIT_OK ||
        sqlite3_exec(sql, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        status = names_fail(sql, db, "storing the identity names");
        sqlite3_exec(sql, "ROLLBACK;", NULL, NULL, NULL);
    }
    sqlite3_close(sql);
    return status;
}

static char *names_copy(const unsigned char *text)
{
    char *copy = text != NULL ? malloc(strlen((const char *)text) + 1) : NULL;

    if (copy != NULL) {
        strcpy(copy, (const char *)text);
    }
    return copy;
}

int cli_hub_names_load(const char *db, const HFaceId *ids, int count, char ***names)
{
    sqlite3 *sql = NULL;
    sqlite3_stmt *select = NULL;
    char **found = calloc(count > 0 ? (size_t)count : 1, sizeof(*found));
    /* Read-write because a read-only connection to a WAL database would
     * leave its -wal and -shm files behind. */
    int status = found != NULL ? names_open(db, SQLITE_OPEN_READWRITE, &sql) : CLI_EXIT_FAILED;

    /* A database enrolled through the API alone has no name table, so its
     * results are listed by id only. */
    if (status == CLI_EXIT_OK &&
        sqlite3_prepare_v2(sql, "SELECT name FROM cli_identities WHERE id = ?", -1, &select,
                           NULL) == SQLITE_OK) {
        for (int i = 0; i < count; i++) {
            sqlite3_bind_int64(select, 1, (sqlite3_int64)ids[i]);
            if (sqlite3_step(select) == SQLITE_ROW) {
                found[i] = names_copy(sqlite3_column_text(select, 0));
            }
            sqlite3_reset(select);
        }
    }
    sqlite3_finalize(select);
    sqlite3_close(sql);
    if (status != CLI_EXIT_OK) {
        free(found);
        return status;
    }
    *names = found;
    return CLI_EXIT_OK;
}

void cli_hub_names_free(char **names, int count)
{
    if (names == NULL) {
        return;
    }
    for (int i = 0; i < count; i++) {
        free(names[i]);
    }
    free(names);
}
