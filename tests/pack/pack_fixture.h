/* Helpers shared by the pack tests: a scratch folder, whole-file reads and
 * writes, and a tiny pack built from short made-up model files. */
#ifndef HF_TESTS_PACK_FIXTURE_H
#define HF_TESTS_PACK_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#define FIXTURE_PATH_MAX 1024

/* Creates a fresh folder under the build tree; returns 0 on success. */
int fixture_dir_create(char dir[FIXTURE_PATH_MAX]);

/* Removes the folder and everything in it. */
void fixture_dir_remove(const char *dir);

/* Joins dir and name into `out`. */
void fixture_path(char out[FIXTURE_PATH_MAX], const char *dir, const char *name);

int fixture_write(const char *path, const void *data, size_t size);

/* Returns a malloc'ed copy of the file (plus a NUL) or NULL. */
uint8_t *fixture_read(const char *path, size_t *size);

/* Writes the two tiny models (fr_a.onnx, fr_b.onnx), their pinned list and a
 * manifest template into `dir`, then builds `dir`/tiny.pack with
 * hf_pack_build. Returns the build status (an hf_status). */
int fixture_tiny_pack(const char *dir, char pack_path[FIXTURE_PATH_MAX]);

/* Contents of the tiny models. */
extern const char fixture_model_a[];
extern const char fixture_model_b[];

#endif
