/* SQLite persistence of a FeatureHub.
 *
 * Schema version 1:
 *   hub_meta(key TEXT PRIMARY KEY, value INTEGER)  -- schema_version, next_id
 *   hub_faces(seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER UNIQUE NOT NULL,
 *             vector BLOB NOT NULL)                -- HF_HUB_DIM native floats
 * `seq` keeps insertion order across reopening; `next_id` keeps automatic ids
 * from being handed out twice, even after the row with the largest id was
 * removed. The database runs in WAL mode with synchronous=NORMAL: a committed
 * transaction survives a crash of the process (not necessarily a power
 * loss), and every write call is one transaction. */
#include <sqlite3.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "hub/hub_internal.h"

#define HF_HUB_SCHEMA_VERSION 1

struct hf_hub_db {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *insert;
    sqlite3_stmt *update;
    sqlite3_stmt *remove;
    sqlite3_stmt *set_next;
};

static hf_status db_fail(hf_hub_db *db, const char *what, int rc)
{
    HF_LOGE("hub database %s: %s failed: %s (SQLite code %d)", db->path, what,
            sqlite3_errmsg(db->db), rc);
    return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ? HF_ERR_FORMAT : HF_ERR_IO;
}

static hf_status db_exec(hf_hub_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? HF_OK : db_fail(db, sql, rc);
}

static hf_status db_prepare(hf_hub_db *db, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    return rc == SQLITE_OK ? HF_OK : db_fail(db, sql, rc);
}

/* Reads the schema version; 0 means a database without hub tables. */
static hf_status db_schema_version(hf_hub_db *db, int *out_version)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db->db,
                                "SELECT count(*) FROM sqlite_master WHERE name = 'hub_meta'", -1,
                                &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        hf_status status = db_fail(db, "reading the schema", rc);
        sqlite3_finalize(stmt);
        return status;
    }
    int has_meta = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    if (!has_meta) {
        *out_version = 0;
        return HF_OK;
    }
    rc = sqlite3_prepare_v2(db->db, "SELECT value FROM hub_meta WHERE key = 'schema_version'", -1,
                            &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    int version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    if (version != HF_HUB_SCHEMA_VERSION) {
        HF_LOGE("hub database %s has schema version %d; this build reads version %d", db->path,
                version, HF_HUB_SCHEMA_VERSION);
        return HF_ERR_FORMAT;
    }
    *out_version = version;
    return HF_OK;
}

static hf_status db_create_schema(hf_hub_db *db)
{
    return db_exec(db, "BEGIN IMMEDIATE;"
                       "CREATE TABLE hub_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
                       "CREATE TABLE hub_faces(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " id INTEGER UNIQUE NOT NULL, vector BLOB NOT NULL);"
                       "INSERT INTO hub_meta VALUES('schema_version', 1);"
                       "INSERT INTO hub_meta VALUES('next_id', 1);"
                       "COMMIT;");
}

static hf_status db_setup(hf_hub_db *db)
{
    /* Reading the schema first rejects a file that is not a database before
     * any pragma could write to it. */
    int version = 0;
    hf_status status = db_schema_version(db, &version);
    if (status != HF_OK)
        return status;
    if (sqlite3_db_readonly(db->db, "main") == 1) {
        HF_LOGE("hub database %s is read-only; the hub needs write access", db->path);
        return HF_ERR_IO;
    }
    /* 16 KiB pages hold seven 2 KiB vectors each, so a bulk insert writes
     * fewer pages to the WAL; the page size only applies to a new file. */
    status = db_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;"
                         " PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384;");
    if (status == HF_OK && version == 0)
        status = db_create_schema(db);
    if (status == HF_OK)
        status = db_prepare(db, "INSERT INTO hub_faces(id, vector) VALUES(?, ?)", &db->insert);
    if (status == HF_OK)
        status = db_prepare(db, "UPDATE hub_faces SET vector = ? WHERE id = ?", &db->update);
    if (status == HF_OK)
        status = db_prepare(db, "DELETE FROM hub_faces WHERE id = ?", &db->remove);
    if (status == HF_OK)
        status = db_prepare(db, "UPDATE hub_meta SET value = max(value, ?) WHERE key = 'next_id'",
                            &db->set_next);
    return status;
}

hf_status hf_hub_db_open(const char *path, hf_hub_db **out)
{
    hf_hub_db *db = hf_calloc(1, sizeof(*db));
    if (!db)
        return HF_ERR_NO_MEMORY;
    db->path = hf_strdup(path);
    if (!db->path) {
        hf_free(db);
        return HF_ERR_NO_MEMORY;
    }
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                SQLITE_OPEN_NOMUTEX, NULL);
    hf_status status = rc == SQLITE_OK ? HF_OK : db_fail(db, "opening", rc);
    if (status == HF_OK) {
        sqlite3_busy_timeout(db->db, 5000);
        status = db_setup(db);
    }
    if (status != HF_OK) {
        hf_hub_db_close(db);
        return status;
    }
    *out = db;
    return HF_OK;
}

void hf_hub_db_close(hf_hub_db *db)
{
    if (!db)
        return;
    sqlite3_finalize(db->insert);
    sqlite3_finalize(db->update);
    sqlite3_finalize(db->remove);
    sqlite3_finalize(db->set_next);
    if (db->db)
        sqlite3_close(db->db);
    hf_free(db->path);
    hf_free(db);
}

static hf_status db_read_next_id(hf_hub_db *db, int64_t *next_id)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db->db,
                                "SELECT max((SELECT value FROM hub_meta WHERE key = 'next_id'),"
                                " coalesce((SELECT max(id) FROM hub_faces), 0) + 1)",
                                -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    hf_status status = rc == SQLITE_ROW ? HF_OK : db_fail(db, "reading next_id", rc);
    if (status == HF_OK)
        *next_id = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return status;
}

static hf_status db_load_row(hf_hub_db *db, sqlite3_stmt *stmt, hf_hub_store *store)
{
    int64_t id = sqlite3_column_int64(stmt, 0);
    const void *blob = sqlite3_column_blob(stmt, 1);
    int bytes = sqlite3_column_bytes(stmt, 1);
    if (!blob || bytes != (int)(HF_HUB_DIM * sizeof(float)) || id < 0 ||
        hf_hub_store_find(store, id) >= 0) {
        HF_LOGE("hub database %s: row with id %lld holds %d bytes, expected %zu", db->path,
                (long long)id, bytes, HF_HUB_DIM * sizeof(float));
        return HF_ERR_FORMAT;
    }
    hf_status status = hf_hub_store_reserve(store, 1);
    if (status == HF_OK)
        hf_hub_store_append(store, id, blob);
    return status;
}

hf_status hf_hub_db_load(hf_hub_db *db, hf_hub_store *store, int64_t *next_id)
{
    int64_t next = 1;
    hf_status status = db_read_next_id(db, &next);
    if (status != HF_OK)
        return status;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db->db, "SELECT id, vector FROM hub_faces ORDER BY seq", -1,
                                &stmt, NULL);
    if (rc != SQLITE_OK)
        return db_fail(db, "reading features", rc);
    while (status == HF_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        status = db_load_row(db, stmt, store);
    if (status == HF_OK && rc != SQLITE_DONE)
        status = db_fail(db, "reading features", rc);
    sqlite3_finalize(stmt);
    if (status == HF_OK)
        *next_id = next;
    return status;
}

static hf_status db_step(hf_hub_db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_DONE ? HF_OK : db_fail(db, what, rc);
}

static hf_status db_finish(hf_hub_db *db, hf_status status)
{
    if (status == HF_OK)
        return db_exec(db, "COMMIT");
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return status;
}

hf_status hf_hub_db_insert(hf_hub_db *db, const int64_t *ids, const float *vectors, size_t count,
                           int64_t next_id)
{
    hf_status status = db_exec(db, "BEGIN IMMEDIATE");
    if (status != HF_OK)
        return status;
    for (size_t i = 0; status == HF_OK && i < count; i++) {
        sqlite3_bind_int64(db->insert, 1, ids[i]);
        sqlite3_bind_blob(db->insert, 2, vectors + i * HF_HUB_DIM, HF_HUB_DIM * sizeof(float),
                          SQLITE_STATIC);
        status = db_step(db, db->insert, "inserting a feature");
    }
    if (status == HF_OK) {
        sqlite3_bind_int64(db->set_next, 1, next_id);
        status = db_step(db, db->set_next, "recording next_id");
    }
    return db_finish(db, status);
}

hf_status hf_hub_db_update(hf_hub_db *db, int64_t id, const float *vector)
{
    sqlite3_bind_blob(db->update, 1, vector, HF_HUB_DIM * sizeof(float), SQLITE_STATIC);
    sqlite3_bind_int64(db->update, 2, id);
    /* A single statement outside BEGIN is its own transaction. */
    return db_step(db, db->update, "updating a feature");
}

hf_status hf_hub_db_remove(hf_hub_db *db, int64_t id)
{
    sqlite3_bind_int64(db->remove, 1, id);
    return db_step(db, db->remove, "removing a feature");
}
