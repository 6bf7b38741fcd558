/* SHA-256 against the FIPS 180-2 appendix B vectors and sha256sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pack/pack.h"
#include "pack_fixture.h"

static void hex_digest(const void *data, size_t size, char hex[HF_SHA256_HEX_SIZE])
{
    uint8_t digest[HF_SHA256_SIZE];

    hf_sha256_digest(data, size, digest);
    hf_sha256_hex(digest, hex);
}

static void sha256_fips_vectors(void **state)
{
    static const struct {
        const char *text;
        const char *digest;
    } cases[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    };
    char hex[HF_SHA256_HEX_SIZE];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hex_digest(cases[i].text, strlen(cases[i].text), hex);
        assert_string_equal(hex, cases[i].digest);
    }
}

static void sha256_million_a(void **state)
{
    static const char expected[] =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    char *text = malloc(1000000);
    char hex[HF_SHA256_HEX_SIZE];

    (void)state;
    assert_non_null(text);
    memset(text, 'a', 1000000);
    hex_digest(text, 1000000, hex);
    assert_string_equal(hex, expected);
    free(text);
}

/* Feeding the data in uneven pieces must give the one-shot digest, including
 * pieces that end exactly on and just around the 55/56/64-byte padding
 * boundaries. */
static void sha256_chunked_updates(void **state)
{
    uint8_t data[1000];
    uint8_t whole[HF_SHA256_SIZE];

    (void)state;
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 131 + 7);
    }
    for (size_t length = 0; length <= 200; length++) {
        hf_sha256_digest(data, length, whole);
        for (size_t piece = 1; piece <= 65; piece += 8) {
            hf_sha256 context;
            uint8_t chunked[HF_SHA256_SIZE];

            hf_sha256_init(&context);
            for (size_t at = 0; at < length; at += piece) {
                hf_sha256_update(&context, data + at, length - at < piece ? length - at : piece);
            }
            hf_sha256_final(&context, chunked);
            assert_memory_equal(chunked, whole, HF_SHA256_SIZE);
        }
    }
}

/* Digest of a file compared with coreutils' sha256sum. */
static void sha256_matches_sha256sum(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char path[FIXTURE_PATH_MAX];
    char command[FIXTURE_PATH_MAX + 32];
    char expected[HF_SHA256_HEX_SIZE] = {0};
    char hex[HF_SHA256_HEX_SIZE];
    uint8_t data[4099];
    FILE *pipe;

    (void)state;
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * i + 3 * i);
    }
    assert_int_equal(fixture_dir_create(dir), 0);
    fixture_path(path, dir, "data.bin");
    assert_int_equal(fixture_write(path, data, sizeof(data)), 0);
    snprintf(command, sizeof(command), "sha256sum '%s'", path);
    pipe = popen(command, "r");
    assert_non_null(pipe);
    assert_int_equal(fscanf(pipe, "%64s", expected), 1);
    pclose(pipe);
    hex_digest(data, sizeof(data), hex);
    assert_string_equal(hex, expected);
    fixture_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_fips_vectors),
        cmocka_unit_test(sha256_million_a),
        cmocka_unit_test(sha256_chunked_updates),
        cmocka_unit_test(sha256_matches_sha256sum),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
