/* The tar reader and writer, checked against GNU tar in both directions. */
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

static const char long_name[] =
    "a-folder-with-a-fairly-long-name/and-another-level-below-it/"
    "a-file-whose-full-path-is-longer-than-one-hundred-bytes.onnx";

static int run(const char *command)
{
    int code = system(command);

    if (code != 0) {
        fprintf(stderr, "command failed (%d): %s\n", code, command);
    }
    return code;
}

static uint8_t *write_sample(const char *path, size_t *size)
{
    FILE *file = fopen(path, "wb");
    uint8_t block[1500];

    for (size_t i = 0; i < sizeof(block); i++) {
        block[i] = (uint8_t)(i * 7);
    }
    assert_non_null(file);
    assert_int_equal(hf_tar_write_member(file, "empty.txt", NULL, 0), HF_OK);
    assert_int_equal(hf_tar_write_member(file, "hello.txt", "hello\n", 6), HF_OK);
    assert_int_equal(hf_tar_write_member(file, long_name, block, sizeof(block)), HF_OK);
    assert_int_equal(hf_tar_write_member(file, "block.bin", block, 512), HF_OK);
    assert_int_equal(hf_tar_write_end(file), HF_OK);
    assert_int_equal(fclose(file), 0);
    return fixture_read(path, size);
}

static void tar_round_trip(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    hf_tar_member *members = NULL;
    int count = 0;
    size_t size = 0;
    uint8_t *data;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "sample.tar");
    data = write_sample(path, &size);
    assert_non_null(data);
    assert_int_equal(size % 512, 0);
    assert_int_equal(hf_tar_list(data, size, &members, &count), HF_OK);
    assert_int_equal(count, 4);
    assert_string_equal(members[0].name, "empty.txt");
    assert_int_equal(members[0].size, 0);
    assert_string_equal(members[1].name, "hello.txt");
    assert_int_equal(members[1].size, 6);
    assert_memory_equal(members[1].data, "hello\n", 6);
    assert_string_equal(members[2].name, long_name);
    assert_int_equal(members[2].size, 1500);
    assert_int_equal(members[2].data[1499], (uint8_t)(1499 * 7));
    assert_string_equal(members[3].name, "block.bin");
    assert_int_equal(members[3].size, 512);
    hf_free(members);
    free(data);
    fixture_dir_remove(dir);
}

/* GNU tar must list and extract what the writer produced, byte for byte. */
static void tar_writer_read_by_gnu_tar(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    char command[6 * FIXTURE_PATH_MAX];
    char extracted[2 * FIXTURE_PATH_MAX];
    size_t size = 0;
    size_t hello_size = 0;
    uint8_t *data;
    uint8_t *hello;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "sample.tar");
    data = write_sample(path, &size);
    free(data);
    snprintf(command, sizeof(command), "mkdir '%s/out' && tar -xf '%s' -C '%s/out'", dir, path,
             dir);
    assert_int_equal(run(command), 0);
    snprintf(extracted, sizeof(extracted), "%s/out/hello.txt", dir);
    hello = fixture_read(extracted, &hello_size);
    assert_non_null(hello);
    assert_int_equal(hello_size, 6);
    assert_memory_equal(hello, "hello\n", 6);
    free(hello);
    snprintf(extracted, sizeof(extracted), "%s/out/%s", dir, long_name);
    hello = fixture_read(extracted, &hello_size);
    assert_non_null(hello);
    assert_int_equal(hello_size, 1500);
    free(hello);
    fixture_dir_remove(dir);
}

/* Archives written by GNU tar in both its default (GNU) and its ustar
 * format, with a directory entry, are read with the right names and bytes. */
static void tar_reads_gnu_tar_output(void **state)
{
    static const char *const formats[] = {"ustar", "gnu"};
    char dir[FIXTURE_PATH_MAX];
    char command[6 * FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    snprintf(command, sizeof(command),
             "mkdir -p '%s/in/models' && printf 'manifest' > '%s/in/manifest.json' && "
             "head -c 1025 /dev/zero | tr '\\0' 'x' > '%s/in/models/m.onnx'",
             dir, dir, dir);
    assert_int_equal(run(command), 0);
    for (size_t f = 0; f < 2; f++) {
        hf_tar_member *members = NULL;
        int count = 0;
        size_t size = 0;
        uint8_t *data;

        fixture_path(path, dir, "gnu.tar");
        snprintf(command, sizeof(command),
                 "tar --format=%s -cf '%s' -C '%s/in' manifest.json models", formats[f], path,
                 dir);
        assert_int_equal(run(command), 0);
        data = fixture_read(path, &size);
        assert_non_null(data);
        assert_int_equal(hf_tar_list(data, size, &members, &count), HF_OK);
        assert_int_equal(count, 2);
        assert_string_equal(members[0].name, "manifest.json");
        assert_int_equal(members[0].size, 8);
        assert_memory_equal(members[0].data, "manifest", 8);
        assert_string_equal(members[1].name, "models/m.onnx");
        assert_int_equal(members[1].size, 1025);
        assert_int_equal(members[1].data[1024], 'x');
        hf_free(members);
        free(data);
    }
    fixture_dir_remove(dir);
}

/* Every prefix of a valid tar that ends inside a block is rejected. A prefix
 * that ends on a block boundary is either rejected or read as a shorter
 * archive, never read past its end. */
static void tar_truncated_everywhere(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    size_t size = 0;
    uint8_t *data;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "sample.tar");
    data = write_sample(path, &size);
    for (size_t cut = 0; cut < size; cut += 7) {
        hf_tar_member *members = NULL;
        int count = -1;
        uint8_t *copy = malloc(cut + 1);
        hf_status status;

        memcpy(copy, data, cut);
        status = hf_tar_list(copy, cut, &members, &count);
        if (cut % 512 != 0 || cut == 0) {
            assert_int_equal(status, HF_ERR_FORMAT);
        } else if (status == HF_OK) {
            assert_true(count >= 0 && count <= 4);
            hf_free(members);
        } else {
            assert_int_equal(status, HF_ERR_FORMAT);
        }
        free(copy);
    }
    free(data);
    fixture_dir_remove(dir);
}

static uint8_t *sample_copy(size_t *size, char dir[FIXTURE_PATH_MAX])
{
    char path[FIXTURE_PATH_MAX];

    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "sample.tar");
    return write_sample(path, size);
}

static void tar_rejects_bad_checksum(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    hf_tar_member *members = NULL;
    int count = 0;
    size_t size = 0;
    uint8_t *data = sample_copy(&size, dir);

    (void)state;
    data[512 + 3] ^= 1; /* a name byte of the second header */
    assert_int_equal(hf_tar_list(data, size, &members, &count), HF_ERR_FORMAT);
    free(data);
    fixture_dir_remove(dir);
}

/* A size field larger than the rest of the buffer is rejected, not read. */
static void tar_rejects_oversized_member(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    hf_tar_member *members = NULL;
    int count = 0;
    size_t size = 0;
    uint8_t *data = sample_copy(&size, dir);
    unsigned sum = 0;

    (void)state;
    memcpy(data + 124, "77777777777", 11);
    memset(data + 148, ' ', 8);
    for (int i = 0; i < 512; i++) {
        sum += data[i];
    }
    snprintf((char *)data + 148, 8, "%06o", sum);
    assert_int_equal(hf_tar_list(data, size, &members, &count), HF_ERR_FORMAT);
    free(data);
    fixture_dir_remove(dir);
}

static void tar_rejects_not_a_tar(void **state)
{
    uint8_t text[1024];
    hf_tar_member *members = NULL;
    int count = 0;

    (void)state;
    memset(text, 'j', sizeof(text));
    assert_int_equal(hf_tar_list(text, sizeof(text), &members, &count), HF_ERR_FORMAT);
    assert_int_equal(hf_tar_list(text, 100, &members, &count), HF_ERR_FORMAT);
    assert_int_equal(hf_tar_list(text, 0, &members, &count), HF_ERR_FORMAT);
}

static void tar_rejects_symlink(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char command[6 * FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    hf_tar_member *members = NULL;
    int count = 0;
    size_t size = 0;
    uint8_t *data;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "link.tar");
    snprintf(command, sizeof(command),
             "mkdir '%s/in' && ln -s /etc/passwd '%s/in/link' && "
             "tar --format=ustar -cf '%s' -C '%s/in' link",
             dir, dir, path, dir);
    assert_int_equal(run(command), 0);
    data = fixture_read(path, &size);
    assert_non_null(data);
    assert_int_equal(hf_tar_list(data, size, &members, &count), HF_ERR_UNSUPPORTED);
    free(data);
    fixture_dir_remove(dir);
}

static void tar_writer_rejects_long_name(void **state)
{
    char name[300];
    FILE *file = tmpfile();

    (void)state;
    assert_non_null(file);
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(hf_tar_write_member(file, name, "x", 1), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_tar_write_member(file, "", "x", 1), HF_ERR_INVALID_ARG);
    fclose(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tar_round_trip),
        cmocka_unit_test(tar_writer_read_by_gnu_tar),
        cmocka_unit_test(tar_reads_gnu_tar_output),
        cmocka_unit_test(tar_truncated_everywhere),
        cmocka_unit_test(tar_rejects_bad_checksum),
        cmocka_unit_test(tar_rejects_oversized_member),
        cmocka_unit_test(tar_rejects_not_a_tar),
        cmocka_unit_test(tar_rejects_symlink),
        cmocka_unit_test(tar_writer_rejects_long_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
