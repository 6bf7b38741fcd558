/* Shared pieces of the inspireface command-line tool. */
#ifndef HF_CLI_CLI_H
#define HF_CLI_CLI_H

#include "inspireface.h"

/* Exit codes: 0 success, 1 the work failed (no face, unreadable image),
 * 2 wrong usage, 3 the pack could not be launched. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_PACK = 3,
};

typedef struct cli_options {
    const char *pack;
    const char *draw;
    int json;
    double far;
    double min_score; /* detect: detector score threshold; < 0 keeps the library's 0.5 */
} cli_options;

/* One decoded image and its stream. */
typedef struct cli_image {
    HFImageBitmap bitmap;
    HFImageStream stream;
    int width;
    int height;
} cli_image;

/* Returns the pack path: --pack, else $INSPIREFACE_PACK, else the build's
 * default. */
const char *cli_pack_path(const cli_options *options);

/* Launches the pack named by the options (or the default); prints the
 * reason and returns CLI_EXIT_PACK on failure. */
int cli_launch(const cli_options *options);

/* Creates an always-detect session with `features` (HF_ENABLE_* bits). */
int cli_session(HOption features, int max_faces, HFSession *session);

/* Decodes `path`; prints the reason and returns nonzero on failure. */
int cli_image_open(const char *path, cli_image *image);
void cli_image_close(cli_image *image);

/* Extracts the feature of the face nearest the image centre into
 * `feature` (512 floats). Returns 0, or 1 when the image has no face or
 * cannot be read (printed unless quiet). */
int cli_central_feature(HFSession session, const char *path, float *feature, int quiet);

int cli_detect(const cli_options *options, int count, char **paths);
int cli_compare(const cli_options *options, const char *first, const char *second);
int cli_eval_pairs(const cli_options *options, const char *pairs, const char *root);
int cli_threshold(const cli_options *options, const char *root);
int cli_info(const cli_options *options);

#endif
