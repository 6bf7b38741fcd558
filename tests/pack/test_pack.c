/* Building, opening and verifying packs made from tiny model files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "pack/pack.h"
#include "pack_fixture.h"

typedef struct pack_test {
    char dir[FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    uint8_t *data;
    size_t size;
} pack_test;

static int setup(void **state)
{
    pack_test *test = calloc(1, sizeof(*test));

    if (test == NULL || fixture_dir_create(test->dir) ||
        fixture_tiny_pack(test->dir, test->path) != HF_OK) {
        return -1;
    }
    test->data = fixture_read(test->path, &test->size);
    *state = test;
    return test->data == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    pack_test *test = *state;

    fixture_dir_remove(test->dir);
    free(test->data);
    free(test);
    return 0;
}

static void pack_round_trip(void **state)
{
    pack_test *test = *state;
    hf_pack *pack = NULL;
    hf_pack_model model;
    float converter[5];
    int levels[4] = {0};
    const char *text = NULL;
    double number = 0;

    assert_int_equal(hf_pack_open(test->path, &pack), HF_OK);
    assert_string_equal(hf_pack_name(pack), "tiny");
    assert_string_equal(hf_pack_version(pack), "0.1");
    assert_int_equal(hf_pack_model_count(pack), 2);

    assert_int_equal(hf_pack_find(pack, "detect", &model), HF_OK);
    assert_string_equal(model.file, "fr_a.onnx");
    assert_int_equal(model.size, strlen(fixture_model_a));
    assert_memory_equal(model.bytes, fixture_model_a, model.size);
    assert_int_equal(hf_json_get_string(model.entry, "license", &text), HF_OK);
    assert_string_equal(text, "MIT");
    assert_int_equal(hf_json_get_number(model.params, "nms_iou", &number), HF_OK);
    assert_true(number == 0.3);
    assert_int_equal(hf_json_get_string(model.input, "color", &text), HF_OK);
    assert_string_equal(text, "rgb");

    assert_int_equal(hf_pack_find(pack, "landmark", &model), HF_OK);
    assert_string_equal(model.file, "fr_b.onnx");
    assert_memory_equal(model.bytes, fixture_model_b, strlen(fixture_model_b));
    assert_null(model.params);
    /* sha256 of "second tiny model", from coreutils' sha256sum. */
    assert_string_equal(model.sha256,
                        "189ada5967f89f0f5e52f5583f9a9d113864e6f87562596aefd70c63db814cc4");
    assert_int_equal(hf_pack_find(pack, "feature", &model), HF_ERR_NOT_FOUND);
    assert_int_equal(hf_pack_model_at(pack, 2, &model), HF_ERR_RANGE);

    assert_int_equal(hf_pack_similarity_converter(pack, converter), HF_OK);
    assert_true(converter[0] == 0.42f && converter[1] == 0.6f && converter[2] == 8.0f);
    assert_true(converter[3] == 0.01f && converter[4] == 1.0f);
    assert_int_equal(hf_pack_pixel_levels(pack, levels, 4), 2);
    assert_int_equal(levels[0], 160);
    assert_int_equal(levels[1], 320);
    hf_pack_release(pack);
}

static void pack_describe_lists_models(void **state)
{
    pack_test *test = *state;
    hf_pack *pack = NULL;
    char *text;

    assert_int_equal(hf_pack_open_memory(test->data, test->size, &pack), HF_OK);
    text = hf_pack_describe(pack);
    assert_non_null(text);
    assert_non_null(strstr(text, "pack tiny, version 0.1, 2 models"));
    assert_non_null(strstr(text, "detect"));
    assert_non_null(strstr(text, "fr_b.onnx"));
    assert_non_null(strstr(text, "Apache-2.0"));
    assert_non_null(strstr(text, "npm:tiny@1.0.0:package/fr_a.onnx"));
    hf_free(text);
    hf_pack_release(pack);
}

/* The pack outlives its first owner while another reference is held. */
static void pack_reference_counting(void **state)
{
    pack_test *test = *state;
    hf_pack *pack = NULL;
    hf_pack *second;
    hf_pack_model model;

    assert_int_equal(hf_pack_open(test->path, &pack), HF_OK);
    second = hf_pack_retain(pack);
    hf_pack_release(pack);
    assert_int_equal(hf_pack_find(second, "detect", &model), HF_OK);
    assert_memory_equal(model.bytes, fixture_model_a, model.size);
    hf_pack_release(second);
    hf_pack_release(NULL);
}

static void pack_flipped_model_byte(void **state)
{
    pack_test *test = *state;
    const uint8_t *where = memmem(test->data, test->size, fixture_model_b,
                                  strlen(fixture_model_b));
    hf_pack *pack = NULL;

    assert_non_null(where);
    test->data[where - test->data + 3] ^= 0x20;
    assert_int_equal(hf_pack_open_memory(test->data, test->size, &pack), HF_ERR_CHECKSUM);
    assert_null(pack);
    test->data[where - test->data + 3] ^= 0x20;
    assert_int_equal(hf_pack_open_memory(test->data, test->size, &pack), HF_OK);
    hf_pack_release(pack);
}

static void pack_truncated_everywhere(void **state)
{
    pack_test *test = *state;

    for (size_t cut = 0; cut < test->size; cut += 97) {
        hf_pack *pack = NULL;
        hf_status status = hf_pack_open_memory(test->data, cut, &pack);

        if (status == HF_OK) {
            fail_msg("pack cut at %zu of %zu bytes was accepted", cut, test->size);
        }
        assert_null(pack);
    }
}

static void pack_missing_and_not_tar(void **state)
{
    pack_test *test = *state;
    char path[FIXTURE_PATH_MAX];
    hf_pack *pack = NULL;

    fixture_path(path, test->dir, "does-not-exist.pack");
    assert_int_equal(hf_pack_open(path, &pack), HF_ERR_NOT_FOUND);
    fixture_path(path, test->dir, "fr_a.onnx");
    assert_int_equal(hf_pack_open(path, &pack), HF_ERR_FORMAT);
    assert_int_equal(hf_pack_open(test->dir, &pack), HF_ERR_FORMAT);
    assert_int_equal(hf_pack_open(NULL, &pack), HF_ERR_INVALID_ARG);
    assert_null(pack);
}

/* Writes a tar of `manifest` plus fr_a.onnx and opens it. */
static hf_status open_with_manifest(const pack_test *test, const char *manifest)
{
    char path[FIXTURE_PATH_MAX];
    FILE *file;
    hf_pack *pack = NULL;
    hf_status status;

    fixture_path(path, test->dir, "custom.pack");
    file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(hf_tar_write_member(file, "manifest.json", manifest, strlen(manifest)),
                     HF_OK);
    assert_int_equal(hf_tar_write_member(file, "fr_a.onnx", fixture_model_a,
                                         strlen(fixture_model_a)),
                     HF_OK);
    assert_int_equal(hf_tar_write_end(file), HF_OK);
    assert_int_equal(fclose(file), 0);
    status = hf_pack_open(path, &pack);
    hf_pack_release(pack);
    return status;
}

/* Writes a "models" array with one valid entry for fr_a.onnx whose input
 * scale is `scale`. */
static void valid_model_list(char *out, size_t size, const char *scale)
{
    uint8_t digest[HF_SHA256_SIZE];
    char hex[HF_SHA256_HEX_SIZE];
    size_t bytes = strlen(fixture_model_a);

    hf_sha256_digest(fixture_model_a, bytes, digest);
    hf_sha256_hex(digest, hex);
    snprintf(out, size,
             "[{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", "
             "\"bytes\": %zu, \"license\": \"MIT\", \"source\": \"npm:x@1:a\", "
             "\"input\": {\"width\": 8, \"height\": 8, \"channels\": 3, \"color\": \"rgb\", "
             "\"mean\": [0, 0, 0], \"scale\": %s}}]",
             hex, bytes, scale);
}

/* Each case breaks one top-level field of a manifest whose model list (%s)
 * is valid, so the field's own check must reject it. */
static void pack_rejects_bad_manifests(void **state)
{
    static const char valid[] =
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"face_detect_pixel_list\": [160], \"models\": %s}";
    static const char *const bad[] = {
        "not json",
        "[]",
        "{\"format\": \"other\", \"format_version\": 1, \"name\": \"x\", \"version\": \"1\","
        " \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 2, \"name\": \"x\","
        " \"version\": \"1\", \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"version\": \"1\","
        " \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": 5,"
        " \"version\": \"1\", \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"models\": []}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"models\": [{\"role\": \"detect\"}]}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"face_detect_pixel_list\": [0], \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"face_detect_pixel_list\": [160.5], \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"face_detect_pixel_list\": [], \"models\": %s}",
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"similarity_converter\": {\"threshold\": 0.4},"
        " \"models\": %s}",
    };
    pack_test *test = *state;
    char models[2048];
    char manifest[4096];

    valid_model_list(models, sizeof(models), "[1, 1, 1]");
    snprintf(manifest, sizeof(manifest), valid, models);
    assert_int_equal(open_with_manifest(test, manifest), HF_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hf_status status;

        snprintf(manifest, sizeof(manifest), bad[i], models);
        status = open_with_manifest(test, manifest);
        if (status != HF_ERR_FORMAT) {
            fail_msg("manifest %zu gave %s, expected HF_ERR_FORMAT", i, hf_status_name(status));
        }
    }
}

/* A well-formed model entry with one field changed at a time. */
static void pack_rejects_bad_model_entries(void **state)
{
    static const char head[] =
        "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\","
        " \"version\": \"1\", \"models\": [";
    static const struct {
        const char *entry;
        hf_status expected;
    } cases[] = {
        {"{\"role\": \"wings\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", \"bytes\": %zu, %s}",
         HF_ERR_FORMAT},
        {"{\"role\": \"detect\", \"file\": \"fr_z.onnx\", \"sha256\": \"%s\", \"bytes\": %zu, %s}",
         HF_ERR_FORMAT},
        {"{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%.10s\", \"bytes\": %zu, %s}",
         HF_ERR_FORMAT},
        {"{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", \"bytes\": 1%zu, %s}",
         HF_ERR_CHECKSUM},
        {"{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", \"bytes\": %zu, %s,"
         " \"params\": 3}",
         HF_ERR_FORMAT},
        {"{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", \"bytes\": %zu, %s},"
         "{\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"sha256\": \"%s\", \"bytes\": %zu, %s}",
         HF_ERR_FORMAT},
    };
    static const char rest[] =
        "\"license\": \"MIT\", \"source\": \"npm:x@1:a\", \"input\": {\"width\": 8, "
        "\"height\": 8, \"channels\": 3, \"color\": \"rgb\", \"mean\": [0, 0, 0], "
        "\"scale\": [1, 1, 1]}";
    pack_test *test = *state;
    uint8_t digest[HF_SHA256_SIZE];
    char hex[HF_SHA256_HEX_SIZE];
    size_t size = strlen(fixture_model_a);
    char manifest[4096];

    hf_sha256_digest(fixture_model_a, size, digest);
    hf_sha256_hex(digest, hex);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char entry[2048];
        hf_status status;

        snprintf(entry, sizeof(entry), cases[i].entry, hex, size, rest, hex, size, rest);
        snprintf(manifest, sizeof(manifest), "%s%s]}", head, entry);
        status = open_with_manifest(test, manifest);
        if (status != cases[i].expected) {
            fail_msg("model entry %zu gave %s, expected %s", i, hf_status_name(status),
                     hf_status_name(cases[i].expected));
        }
    }
    snprintf(manifest, sizeof(manifest), "%s{\"role\": \"detect\", \"file\": \"fr_a.onnx\", "
             "\"sha256\": \"%s\", \"bytes\": %zu, %s}]}", head, hex, size, rest);
    assert_int_equal(open_with_manifest(test, manifest), HF_OK);
}

/* Opens a manifest with one valid model entry, `converter` as its
 * similarity_converter block and `scale` as the model's input scale. */
static hf_status open_with_converter(pack_test *test, const char *converter, const char *scale)
{
    char models[2048];
    char manifest[4096];

    valid_model_list(models, sizeof(models), scale);
    snprintf(manifest, sizeof(manifest),
             "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"x\", "
             "\"version\": \"1\", \"similarity_converter\": %s, \"models\": %s}",
             converter, models);
    return open_with_manifest(test, manifest);
}

/* Converter blocks that the cosine-to-percentage curve cannot use, and
 * numbers that overflow a float, are rejected with an otherwise valid
 * manifest. */
static void pack_rejects_bad_converters(void **state)
{
    static const char valid[] = "{\"threshold\": 0.48, \"middle_score\": 0.6, "
                                "\"steepness\": 8, \"output_min\": 0.01, \"output_max\": 1}";
    static const char *const bad[] = {
        "{\"threshold\": 0.48}",
        "{\"threshold\": 0.48, \"middle_score\": 0.6, \"steepness\": 8, "
        "\"output_min\": 0.01, \"output_max\": 1e39}",
        "{\"threshold\": -1e39, \"middle_score\": 0.6, \"steepness\": 8, "
        "\"output_min\": 0.01, \"output_max\": 1}",
        "{\"threshold\": 0.48, \"middle_score\": 0.01, \"steepness\": 8, "
        "\"output_min\": 0.01, \"output_max\": 1}",
        "{\"threshold\": 0.48, \"middle_score\": 0.6, \"steepness\": 0, "
        "\"output_min\": 0.01, \"output_max\": 1}",
        "{\"threshold\": 0.48, \"middle_score\": 0.6, \"steepness\": 8, "
        "\"output_min\": 0.01, \"output_max\": \"1\"}",
        "[0.48, 0.6, 8, 0.01, 1]",
    };
    pack_test *test = *state;

    assert_int_equal(open_with_converter(test, valid, "[1, 1, 1]"), HF_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hf_status status = open_with_converter(test, bad[i], "[1, 1, 1]");

        if (status != HF_ERR_FORMAT) {
            fail_msg("converter %zu gave %s, expected HF_ERR_FORMAT", i, hf_status_name(status));
        }
    }
    assert_int_equal(open_with_converter(test, valid, "[1, 1e39, 1]"), HF_ERR_FORMAT);
}

static void pack_manifest_must_come_first(void **state)
{
    pack_test *test = *state;
    char path[FIXTURE_PATH_MAX];
    hf_pack *pack = NULL;
    hf_tar_member *members = NULL;
    int count = 0;
    FILE *file;

    assert_int_equal(hf_tar_list(test->data, test->size, &members, &count), HF_OK);
    fixture_path(path, test->dir, "reordered.pack");
    file = fopen(path, "wb");
    assert_non_null(file);
    for (int i = count - 1; i >= 0; i--) {
        assert_int_equal(hf_tar_write_member(file, members[i].name, members[i].data,
                                             members[i].size),
                         HF_OK);
    }
    assert_int_equal(hf_tar_write_end(file), HF_OK);
    assert_int_equal(fclose(file), 0);
    assert_int_equal(hf_pack_open(path, &pack), HF_ERR_FORMAT);
    hf_free(members);
}

/* The builder refuses a model whose digest differs from the pinned list. */
static void pack_build_checks_pinned_digest(void **state)
{
    pack_test *test = *state;
    char model[FIXTURE_PATH_MAX];
    char template_path[FIXTURE_PATH_MAX];
    char pinned[FIXTURE_PATH_MAX];
    char out[FIXTURE_PATH_MAX];
    hf_pack *pack = NULL;
    FILE *probe;

    fixture_path(model, test->dir, "fr_b.onnx");
    fixture_path(template_path, test->dir, "template.json");
    fixture_path(pinned, test->dir, "pinned.sha256");
    fixture_path(out, test->dir, "refused.pack");
    assert_int_equal(fixture_write(model, "tampered", 8), 0);
    assert_int_equal(hf_pack_build(template_path, test->dir, pinned, out), HF_ERR_CHECKSUM);
    probe = fopen(out, "rb");
    assert_null(probe);
    /* Without a pinned list the same files build and verify. */
    assert_int_equal(hf_pack_build(template_path, test->dir, NULL, out), HF_OK);
    assert_int_equal(hf_pack_open(out, &pack), HF_OK);
    hf_pack_release(pack);
    assert_int_equal(fixture_write(model, fixture_model_b, strlen(fixture_model_b)), 0);
}

/* Every allocation failure inside hf_pack_open_memory is reported, never a
 * crash or a leak (the sanitizer build checks the leaks). */
static void pack_open_out_of_memory(void **state)
{
    pack_test *test = *state;
    hf_status status = HF_ERR_NO_MEMORY;
    long count = 0;

    for (; status == HF_ERR_NO_MEMORY && count < 10000; count++) {
        hf_pack *pack = NULL;

        hf_alloc_fail_after(count);
        status = hf_pack_open_memory(test->data, test->size, &pack);
        hf_alloc_fail_after(-1);
        if (status == HF_OK) {
            hf_pack_release(pack);
        } else {
            assert_int_equal(status, HF_ERR_NO_MEMORY);
            assert_null(pack);
        }
    }
    assert_int_equal(status, HF_OK);
    /* The copy, the pack, the member list, the JSON tree and the model table
     * each take at least one allocation. */
    assert_true(count > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pack_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_describe_lists_models, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_reference_counting, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_flipped_model_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_truncated_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_missing_and_not_tar, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_rejects_bad_manifests, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_rejects_bad_model_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_rejects_bad_converters, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_manifest_must_come_first, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_build_checks_pinned_digest, setup, teardown),
        cmocka_unit_test_setup_teardown(pack_open_out_of_memory, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
