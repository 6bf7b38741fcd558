/* The model pack: one uncompressed POSIX (ustar) tar file whose first member
 * is manifest.json, followed by the model files it lists. The layout and every
 * manifest field are described in docs/PACK.md.
 *
 * The module has four parts: SHA-256, a bounds-checked tar reader and writer,
 * a small JSON DOM parser, and the pack object built on them. A pack is kept
 * in memory, verified when opened (the manifest's required fields, known
 * roles, the size and SHA-256 of every listed model) and reference counted so
 * that sessions created from it keep their model bytes after the launched pack
 * is replaced. A pack is read-only after hf_pack_open and may be used by any
 * number of threads. */
#ifndef HF_PACK_PACK_H
#define HF_PACK_PACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/status.h"

/* ---- SHA-256 (FIPS 180-4) ---- */

#define HF_SHA256_SIZE 32
#define HF_SHA256_HEX_SIZE 65 /* 64 lower-case hex digits and a NUL */

typedef struct hf_sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes waiting in `block` */
} hf_sha256;

void hf_sha256_init(hf_sha256 *context);
void hf_sha256_update(hf_sha256 *context, const void *data, size_t size);
void hf_sha256_final(hf_sha256 *context, uint8_t digest[HF_SHA256_SIZE]);

/* Hashes `size` bytes in one call. */
void hf_sha256_digest(const void *data, size_t size, uint8_t digest[HF_SHA256_SIZE]);

/* Writes the digest as 64 lower-case hex digits and a NUL. */
void hf_sha256_hex(const uint8_t digest[HF_SHA256_SIZE], char hex[HF_SHA256_HEX_SIZE]);

/* ---- tar (ustar) ---- */

/* Longest member name the reader and the writer accept (ustar prefix + name). */
#define HF_TAR_NAME_MAX 255

/* One regular-file member of a tar held in memory. */
typedef struct hf_tar_member {
    char name[HF_TAR_NAME_MAX + 1];
    const uint8_t *data; /* points into the tar buffer */
    size_t size;
} hf_tar_member;

/* Lists the regular-file members of the tar in `data`. Every header's
 * checksum, octal fields and name are checked, each member must lie inside
 * the buffer, and the archive must end with a zero block or at the end of
 * the buffer on a block boundary; directories are skipped, any other entry
 * type (links, devices, GNU long names, pax headers) gives
 * HF_ERR_UNSUPPORTED. Malformed or truncated data gives HF_ERR_FORMAT.
 * `*members` is allocated with hf_malloc (free with hf_free) and points into
 * `data`, which must outlive it. */
HF_MUST_CHECK hf_status hf_tar_list(const uint8_t *data, size_t size, hf_tar_member **members,
                                    int *count);

/* Appends one regular-file member (mode 0644, mtime 0, owner 0) to `file`.
 * Names longer than 100 bytes are split into the ustar prefix field. */
HF_MUST_CHECK hf_status hf_tar_write_member(FILE *file, const char *name, const void *data,
                                            size_t size);

/* Writes the two zero blocks that end an archive. */
HF_MUST_CHECK hf_status hf_tar_write_end(FILE *file);

/* ---- JSON (RFC 8259) ---- */

#define HF_JSON_MAX_DEPTH 64

typedef enum hf_json_type {
    HF_JSON_NULL,
    HF_JSON_FALSE,
    HF_JSON_TRUE,
    HF_JSON_NUMBER,
    HF_JSON_STRING,
    HF_JSON_ARRAY,
    HF_JSON_OBJECT,
} hf_json_type;

typedef struct hf_json hf_json;

/* Parses one JSON text of `length` bytes (no NUL needed) into a tree; free it
 * with hf_json_free. Nesting deeper than HF_JSON_MAX_DEPTH, invalid UTF-8
 * escapes, trailing data and NUL inside strings give HF_ERR_FORMAT. */
HF_MUST_CHECK hf_status hf_json_parse(const char *text, size_t length, hf_json **out);
void hf_json_free(hf_json *value);

/* The accessors accept NULL and then report a missing value. */
hf_json_type hf_json_kind(const hf_json *value);

/* Number of elements of an array or members of an object; 0 otherwise. */
size_t hf_json_count(const hf_json *value);

/* Element `index` of an array or the value of member `index` of an object. */
const hf_json *hf_json_at(const hf_json *value, size_t index);

/* Key of member `index` of an object, or NULL. */
const char *hf_json_key_at(const hf_json *value, size_t index);

/* Value of the first member named `key` of an object, or NULL. */
const hf_json *hf_json_get(const hf_json *object, const char *key);

/* The text of a string value (NUL-terminated, UTF-8), or NULL. */
const char *hf_json_string(const hf_json *value);

/* A number value, or `fallback` for anything else. */
double hf_json_number(const hf_json *value, double fallback);

/* Bytes hf_json_format_number needs, the NUL included. */
#define HF_JSON_NUMBER_SIZE 32

/* Writes a finite `value` as JSON number text with the fewest significant
 * digits (15 to 17) that read back as the same double. The decimal point is
 * '.' whatever LC_NUMERIC the host program set. HF_ERR_INVALID_ARG for a NaN,
 * an infinity or a buffer under HF_JSON_NUMBER_SIZE bytes. */
HF_MUST_CHECK hf_status hf_json_format_number(double value, char *text, size_t size);

/* Reads member `key` of `object`: a number, an integer (a number with no
 * fraction that fits an int), a string or an array of exactly `count`
 * numbers that fit a float. HF_ERR_NOT_FOUND when the member is missing,
 * HF_ERR_FORMAT when it has another type or a number out of range. */
HF_MUST_CHECK hf_status hf_json_get_number(const hf_json *object, const char *key, double *out);
HF_MUST_CHECK hf_status hf_json_get_int(const hf_json *object, const char *key, int *out);
HF_MUST_CHECK hf_status hf_json_get_string(const hf_json *object, const char *key,
                                           const char **out);
HF_MUST_CHECK hf_status hf_json_get_floats(const hf_json *object, const char *key, float *out,
                                           size_t count);

/* ---- the pack ---- */

#define HF_PACK_FORMAT "inspireface-c-pack"
#define HF_PACK_FORMAT_VERSION 1
#define HF_PACK_MANIFEST_NAME "manifest.json"

typedef struct hf_pack hf_pack;

/* A model of the pack and its manifest entry, valid while the pack is. */
typedef struct hf_pack_model {
    const char *role;   /* "detect", "landmark", "feature", ... */
    const char *file;   /* tar member name */
    const char *sha256; /* 64 lower-case hex digits, verified at open */
    const void *bytes;
    size_t size;
    const hf_json *entry; /* the model's object in the manifest */
    const hf_json *input; /* entry's "input" object */
    const hf_json *params; /* entry's "params" object, or NULL */
} hf_pack_model;

/* Reads the pack at `path` into memory and verifies it. HF_ERR_NOT_FOUND
 * when the file does not exist, HF_ERR_IO when it cannot be read,
 * HF_ERR_FORMAT for a broken tar or manifest, HF_ERR_CHECKSUM when a model's
 * size or SHA-256 differs from the manifest. The new pack has one
 * reference. */
HF_MUST_CHECK hf_status hf_pack_open(const char *path, hf_pack **out);

/* Same as hf_pack_open on a copy of `size` bytes at `data`. */
HF_MUST_CHECK hf_status hf_pack_open_memory(const void *data, size_t size, hf_pack **out);

/* Adds a reference; returns `pack`. */
hf_pack *hf_pack_retain(hf_pack *pack);

/* Drops a reference and frees the pack with the last one. NULL is allowed. */
void hf_pack_release(hf_pack *pack);

/* The whole manifest (a JSON object). */
const hf_json *hf_pack_manifest(const hf_pack *pack);

/* The manifest's "name" and "version". */
const char *hf_pack_name(const hf_pack *pack);
const char *hf_pack_version(const hf_pack *pack);

int hf_pack_model_count(const hf_pack *pack);

/* Model `index` in manifest order. HF_ERR_RANGE for a bad index. */
HF_MUST_CHECK hf_status hf_pack_model_at(const hf_pack *pack, int index, hf_pack_model *out);

/* The model with `role`; HF_ERR_NOT_FOUND when the pack has none. */
HF_MUST_CHECK hf_status hf_pack_find(const hf_pack *pack, const char *role, hf_pack_model *out);

/* Reads the manifest's similarity_converter block as {threshold,
 * middle_score, steepness, output_min, output_max}. HF_ERR_NOT_FOUND when
 * the pack has none. */
HF_MUST_CHECK hf_status hf_pack_similarity_converter(const hf_pack *pack, float config[5]);

/* Copies up to `capacity` detector input sizes of face_detect_pixel_list into
 * `levels` and returns how many the list has (0 when absent). */
int hf_pack_pixel_levels(const hf_pack *pack, int *levels, int capacity);

/* Returns a human-readable listing of the pack (name, version, and per model
 * role, file, bytes, input size, licence, source and SHA-256), allocated with
 * hf_malloc, or NULL when out of memory. */
char *hf_pack_describe(const hf_pack *pack);

/* Roles a manifest may use. */
int hf_pack_role_known(const char *role);

/* ---- building ---- */

/* Writes a pack to `out_path`: the manifest is the JSON template at
 * `template_path` with "sha256" and "bytes" filled into every model entry,
 * and each model file is read from `model_dir`/<file>. When `pinned_path` is
 * not NULL it names a sha256sum-style list ("<hex>  <path>" lines); a model
 * whose file name is listed there with another digest, or is not listed,
 * gives HF_ERR_CHECKSUM and nothing is written. The finished pack is opened
 * again to check it before the function returns. */
HF_MUST_CHECK hf_status hf_pack_build(const char *template_path, const char *model_dir,
                                      const char *pinned_path, const char *out_path);

#endif
