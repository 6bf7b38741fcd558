/* The enroll and search commands. A gallery database is one SQLite file
 * holding the FeatureHub's tables and a table of identity names,
 * cli_identities(id INTEGER PRIMARY KEY, name TEXT NOT NULL), that maps
 * each hub id to the person it was enrolled as. */
#ifndef HF_CLI_CLI_HUB_H
#define HF_CLI_CLI_HUB_H

#include <stdint.h>

#include "cli.h"

/* How extracting the central face of one image ended. */
typedef enum cli_face_result {
    CLI_FACE_FOUND = 0,
    CLI_FACE_NONE,
    CLI_FACE_UNREADABLE,
    CLI_FACE_ERROR,
} cli_face_result;

/* Extracts the feature of the face nearest the image centre into
 * `feature` (512 floats). It prints no message of its own. */
cli_face_result cli_hub_extract(HFSession session, const char *path, float *feature);

/* Enables the process-wide hub, persisted in `db`, with auto-increment ids
 * and a search threshold of -1 so that top-k search ranks every entry.
 * Prints the reason and returns CLI_EXIT_FAILED on failure. */
int cli_hub_enable(const char *db);

/* Adds `count` (id, name) rows to the name table of `db`, in one
 * transaction, creating the table when missing. The hub must be disabled. */
int cli_hub_names_store(const char *db, const HFaceId *ids, char *const *names, int count);

/* Looks up the names of `count` ids, with NULL for an id without a name.
 * The caller frees each name and the array with free(). */
int cli_hub_names_load(const char *db, const HFaceId *ids, int count, char ***names);

/* Frees an array from cli_hub_names_load. */
void cli_hub_names_free(char **names, int count);

int cli_enroll(const cli_options *options, const char *db, const char *input);
int cli_search(const cli_options *options, const char *db, const char *image, int top);

#endif
