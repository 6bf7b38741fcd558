/* The JSON parser: values, escapes, accessors and malformed input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pack/pack.h"

static hf_json *parse_ok(const char *text)
{
    hf_json *value = NULL;

    assert_int_equal(hf_json_parse(text, strlen(text), &value), HF_OK);
    assert_non_null(value);
    return value;
}

static void json_scalars(void **state)
{
    hf_json *value;

    (void)state;
    value = parse_ok(" true ");
    assert_int_equal(hf_json_kind(value), HF_JSON_TRUE);
    hf_json_free(value);
    value = parse_ok("null");
    assert_int_equal(hf_json_kind(value), HF_JSON_NULL);
    hf_json_free(value);
    value = parse_ok("-12.5e-1");
    assert_int_equal(hf_json_kind(value), HF_JSON_NUMBER);
    assert_true(hf_json_number(value, 0) == -1.25);
    hf_json_free(value);
    value = parse_ok("0");
    assert_true(hf_json_number(value, 7) == 0.0);
    hf_json_free(value);
}

static void json_string_escapes(void **state)
{
    /* "\u00e9" is U+00E9 (C3 A9 in UTF-8); the pair D83D DE00 is U+1F600
     * (F0 9F 98 80). */
    hf_json *value = parse_ok("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"");

    (void)state;
    assert_string_equal(hf_json_string(value), "a\"b\\c/d\n\t\xc3\xa9\xf0\x9f\x98\x80");
    hf_json_free(value);
}

static void json_object_accessors(void **state)
{
    hf_json *root = parse_ok("{\"name\": \"pack\", \"n\": 3, \"f\": 2.5, "
                             "\"list\": [1, 2.5, -3], \"nested\": {\"deep\": [[]]}, "
                             "\"empty\": {}}");
    const char *text = NULL;
    double number = 0;
    int integer = 0;
    float floats[3] = {0};

    (void)state;
    assert_int_equal(hf_json_kind(root), HF_JSON_OBJECT);
    assert_int_equal(hf_json_count(root), 6);
    assert_string_equal(hf_json_key_at(root, 4), "nested");
    assert_int_equal(hf_json_get_string(root, "name", &text), HF_OK);
    assert_string_equal(text, "pack");
    assert_int_equal(hf_json_get_int(root, "n", &integer), HF_OK);
    assert_int_equal(integer, 3);
    assert_int_equal(hf_json_get_int(root, "f", &integer), HF_ERR_FORMAT);
    assert_int_equal(hf_json_get_number(root, "f", &number), HF_OK);
    assert_true(number == 2.5);
    assert_int_equal(hf_json_get_floats(root, "list", floats, 3), HF_OK);
    assert_true(floats[0] == 1.0f && floats[1] == 2.5f && floats[2] == -3.0f);
    assert_int_equal(hf_json_get_floats(root, "list", floats, 2), HF_ERR_FORMAT);
    assert_int_equal(hf_json_get_string(root, "n", &text), HF_ERR_FORMAT);
    assert_int_equal(hf_json_get_number(root, "missing", &number), HF_ERR_NOT_FOUND);
    assert_int_equal(hf_json_count(hf_json_get(root, "empty")), 0);
    assert_int_equal(hf_json_count(hf_json_at(hf_json_get(hf_json_get(root, "nested"), "deep"),
                                              0)),
                     0);
    assert_null(hf_json_get(root, "nope"));
    assert_null(hf_json_at(root, 99));
    assert_null(hf_json_string(NULL));
    hf_json_free(root);
}

/* Parsing stops at `length`: bytes after it are never read. */
static void json_respects_length(void **state)
{
    hf_json *value = NULL;

    (void)state;
    assert_int_equal(hf_json_parse("[1, 2]garbage", 6, &value), HF_OK);
    assert_int_equal(hf_json_count(value), 2);
    hf_json_free(value);
    assert_int_equal(hf_json_parse("\"abc\"", 4, &value), HF_ERR_FORMAT);
}

static void json_rejects_malformed(void **state)
{
    static const char *const cases[] = {
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5",
        "-", "1e", "+1", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\u0000\"", "\"tab\there\"", "[] []", "1e999", "{\"a\":}",
        "\"\\", "[\"\\u00e9\" 1]",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hf_json *value = NULL;
        hf_status status = hf_json_parse(cases[i], strlen(cases[i]), &value);

        if (status != HF_ERR_FORMAT) {
            fail_msg("case %zu (%s) gave %d, expected HF_ERR_FORMAT", i, cases[i], status);
        }
        assert_null(value);
    }
}

static void json_depth_limit(void **state)
{
    char text[2 * (HF_JSON_MAX_DEPTH + 1) + 1];
    hf_json *value = NULL;

    (void)state;
    memset(text, '[', HF_JSON_MAX_DEPTH);
    memset(text + HF_JSON_MAX_DEPTH, ']', HF_JSON_MAX_DEPTH);
    assert_int_equal(hf_json_parse(text, 2 * HF_JSON_MAX_DEPTH, &value), HF_OK);
    hf_json_free(value);
    memset(text, '[', HF_JSON_MAX_DEPTH + 1);
    memset(text + HF_JSON_MAX_DEPTH + 1, ']', HF_JSON_MAX_DEPTH + 1);
    value = NULL;
    assert_int_equal(hf_json_parse(text, 2 * (HF_JSON_MAX_DEPTH + 1), &value), HF_ERR_FORMAT);
    assert_null(value);
}

/* Every prefix of a valid document is either valid or rejected cleanly. */
static void json_truncated_everywhere(void **state)
{
    static const char text[] =
        "{\"models\": [{\"role\": \"detect\", \"mean\": [127, 1.5e2], \"x\": \"\\u00e9\"}], "
        "\"ok\": true}";

    (void)state;
    for (size_t cut = 0; cut < strlen(text); cut++) {
        hf_json *value = NULL;
        char *copy = malloc(cut + 1);

        memcpy(copy, text, cut);
        if (hf_json_parse(copy, cut, &value) == HF_OK) {
            hf_json_free(value);
        }
        free(copy);
    }
}

/* Float arrays reject numbers beyond FLT_MAX (about 3.40282e38) and leave the
 * output untouched. */
static void json_floats_out_of_range(void **state)
{
    hf_json *root = parse_ok("{\"fits\": [3.4e38, -3.4e38], \"big\": [1, 3.5e38], "
                             "\"small\": [-1e39, 1]}");
    float floats[2] = {7.0f, 7.0f};

    (void)state;
    assert_int_equal(hf_json_get_floats(root, "big", floats, 2), HF_ERR_FORMAT);
    assert_int_equal(hf_json_get_floats(root, "small", floats, 2), HF_ERR_FORMAT);
    assert_true(floats[0] == 7.0f);
    assert_true(floats[1] == 7.0f);
    assert_int_equal(hf_json_get_floats(root, "fits", floats, 2), HF_OK);
    assert_true(floats[0] == 3.4e38f);
    assert_true(floats[1] == -3.4e38f);
    hf_json_free(root);
}

/* Expected texts were computed in Python: '%.15g' % x, then 16 and 17 digits,
 * until float() reads x back. */
static void json_format_numbers(void **state)
{
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {0.336, "0.336"}, {1.0 / 3.0, "0.3333333333333333"}, {2.0 / 3.0, "0.6666666666666666"},
        {1e300, "1e+300"}, {5e-324, "4.94065645841247e-324"}, {-12.0, "-12"}, {-0.0, "-0"},
        {0.1 + 0.2, "0.30000000000000004"},
    };
    char text[HF_JSON_NUMBER_SIZE];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(hf_json_format_number(cases[i].value, text, sizeof(text)), HF_OK);
        assert_string_equal(text, cases[i].text);
    }
    assert_int_equal(hf_json_format_number(NAN, text, sizeof(text)), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_json_format_number(INFINITY, text, sizeof(text)), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_json_format_number(1.0, text, 8), HF_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_scalars),
        cmocka_unit_test(json_string_escapes),
        cmocka_unit_test(json_object_accessors),
        cmocka_unit_test(json_respects_length),
        cmocka_unit_test(json_rejects_malformed),
        cmocka_unit_test(json_depth_limit),
        cmocka_unit_test(json_truncated_everywhere),
        cmocka_unit_test(json_floats_out_of_range),
        cmocka_unit_test(json_format_numbers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
