/* A small JSON (RFC 8259) parser that builds a read-only tree. It is used for
 * pack manifests, so it favours strictness and bounds checks over speed: the
 * input need not be NUL-terminated, nesting is limited to HF_JSON_MAX_DEPTH
 * and every malformed input gives HF_ERR_FORMAT with the byte offset logged. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "pack/pack.h"

struct hf_json {
    hf_json_type type;
    double number;
    char *string;   /* HF_JSON_STRING */
    size_t count;   /* elements of an array or members of an object */
    hf_json *items; /* `count` values */
    char **keys;    /* `count` keys of an object */
};

typedef struct parser {
    const char *text;
    size_t length;
    size_t at;
} parser;

static hf_status parse_value(parser *p, hf_json *out, int depth);

/* JSON numbers use a '.' whatever LC_NUMERIC the host program set, so they are
 * read in the "C" locale. strtod would stop at the '.' under a decimal comma. */
static pthread_once_t numeric_locale_once = PTHREAD_ONCE_INIT;
static locale_t numeric_locale;

static void numeric_locale_create(void)
{
    numeric_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static void release_contents(hf_json *value)
{
    for (size_t i = 0; i < value->count; i++) {
        release_contents(&value->items[i]);
        if (value->keys != NULL) {
            hf_free(value->keys[i]);
        }
    }
    hf_free(value->items);
    hf_free(value->keys);
    hf_free(value->string);
}

void hf_json_free(hf_json *value)
{
    if (value != NULL) {
        release_contents(value);
        hf_free(value);
    }
}

static hf_status fail(const parser *p, const char *what)
{
    HF_LOGE("invalid JSON at byte %zu of %zu: %s", p->at, p->length, what);
    return HF_ERR_FORMAT;
}

static void skip_space(parser *p)
{
    while (p->at < p->length) {
        char c = p->text[p->at];

        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return;
        }
        p->at++;
    }
}

static int peek(const parser *p)
{
    return p->at < p->length ? (unsigned char)p->text[p->at] : -1;
}

static int match_word(parser *p, const char *word)
{
    size_t length = strlen(word);

    if (p->length - p->at < length || memcmp(p->text + p->at, word, length) != 0) {
        return 0;
    }
    p->at += length;
    return 1;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static hf_status parse_number(parser *p, hf_json *out)
{
    size_t start = p->at;
    char buffer[64];
    char *end;

    if (peek(p) == '-') {
        p->at++;
    }
    if (peek(p) == '0') {
        p->at++;
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p))) {
            p->at++;
        }
    } else {
        return fail(p, "expected a digit");
    }
    if (peek(p) == '.') {
        p->at++;
        if (!is_digit(peek(p))) {
            return fail(p, "expected a digit after the decimal point");
        }
        while (is_digit(peek(p))) {
            p->at++;
        }
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->at++;
        if (peek(p) == '+' || peek(p) == '-') {
            p->at++;
        }
        if (!is_digit(peek(p))) {
            return fail(p, "expected a digit in the exponent");
        }
        while (is_digit(peek(p))) {
            p->at++;
        }
    }
    if (p->at - start >= sizeof(buffer)) {
        return fail(p, "number longer than 63 characters");
    }
    memcpy(buffer, p->text + start, p->at - start);
    buffer[p->at - start] = '\0';
    pthread_once(&numeric_locale_once, numeric_locale_create);
    if (numeric_locale == (locale_t)0) {
        HF_LOGE("cannot create the C locale to read JSON numbers");
        return HF_ERR_NO_MEMORY;
    }
    out->type = HF_JSON_NUMBER;
    out->number = strtod_l(buffer, &end, numeric_locale);
    if (end != buffer + (p->at - start)) {
        return fail(p, "number not read in full");
    }
    if (!isfinite(out->number)) {
        return fail(p, "number out of range");
    }
    return HF_OK;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int read_hex4(parser *p, unsigned *out)
{
    unsigned value = 0;

    if (p->length - p->at < 4) {
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        int digit = hex_value((unsigned char)p->text[p->at + (size_t)i]);

        if (digit < 0) {
            return 0;
        }
        value = value * 16 + (unsigned)digit;
    }
    p->at += 4;
    *out = value;
    return 1;
}

static size_t put_utf8(char *out, unsigned code)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* Decodes the \u escape whose 'u' was just consumed, joining a surrogate
 * pair into one code point. */
static hf_status parse_unicode_escape(parser *p, unsigned *code)
{
    unsigned high;
    unsigned low;

    if (!read_hex4(p, &high)) {
        return fail(p, "expected four hex digits after \\u");
    }
    if (high >= 0xDC00 && high <= 0xDFFF) {
        return fail(p, "unpaired low surrogate");
    }
    if (high >= 0xD800 && high <= 0xDBFF) {
        if (!match_word(p, "\\u") || !read_hex4(p, &low) || low < 0xDC00 || low > 0xDFFF) {
            return fail(p, "unpaired high surrogate");
        }
        high = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    }
    if (high == 0) {
        return fail(p, "NUL character in a string");
    }
    *code = high;
    return HF_OK;
}

static hf_status parse_escape(parser *p, char *out, size_t *written)
{
    static const char plain[] = "\"\\/bfnrt";
    static const char meaning[] = "\"\\/\b\f\n\r\t";
    int c = peek(p);
    const char *found;
    unsigned code;
    hf_status status;

    if (c < 0) {
        return fail(p, "unterminated escape");
    }
    p->at++;
    if (c == 'u') {
        status = parse_unicode_escape(p, &code);
        if (status != HF_OK) {
            return status;
        }
        *written = put_utf8(out, code);
        return HF_OK;
    }
    found = c != 0 ? strchr(plain, c) : NULL;
    if (found == NULL) {
        return fail(p, "unknown escape");
    }
    out[0] = meaning[found - plain];
    *written = 1;
    return HF_OK;
}

/* Parses a string whose opening quote is at p->at into a new allocation.
 * Escapes never produce more bytes than they take, so the raw length bounds
 * the decoded one. */
static hf_status parse_string(parser *p, char **out)
{
    size_t start = ++p->at;
    size_t end = start;
    size_t length = 0;
    char *text;
    hf_status status;

    while (end < p->length && p->text[end] != '"') {
        end += p->text[end] == '\\' ? 2 : 1;
    }
    if (end >= p->length) {
        return fail(p, "unterminated string");
    }
    text = hf_malloc(end - start + 1);
    if (text == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    while (p->text[p->at] != '"') {
        unsigned char c = (unsigned char)p->text[p->at];
        size_t written;

        if (c < 0x20) {
            hf_free(text);
            return fail(p, "control character in a string");
        }
        if (c != '\\') {
            text[length++] = (char)c;
            p->at++;
            continue;
        }
        p->at++;
        status = parse_escape(p, text + length, &written);
        if (status != HF_OK) {
            hf_free(text);
            return status;
        }
        length += written;
    }
    p->at++;
    text[length] = '\0';
    *out = text;
    return HF_OK;
}

/* Appends a zeroed slot to a container and returns it, or NULL. */
static hf_json *grow(hf_json *container, size_t *capacity, int with_keys)
{
    if (container->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 4;
        hf_json *items = hf_realloc(container->items, grown * sizeof(*items));

        if (items == NULL) {
            return NULL;
        }
        container->items = items;
        if (with_keys) {
            char **keys = hf_realloc(container->keys, grown * sizeof(*keys));

            if (keys == NULL) {
                return NULL;
            }
            container->keys = keys;
        }
        *capacity = grown;
    }
    memset(&container->items[container->count], 0, sizeof(hf_json));
    if (with_keys) {
        container->keys[container->count] = NULL;
    }
    return &container->items[container->count++];
}

static hf_status parse_container(parser *p, hf_json *out, int depth, int is_object)
{
    char close = is_object ? '}' : ']';
    size_t capacity = 0;
    hf_status status;

    out->type = is_object ? HF_JSON_OBJECT : HF_JSON_ARRAY;
    p->at++;
    skip_space(p);
    if (peek(p) == close) {
        p->at++;
        return HF_OK;
    }
    for (;;) {
        hf_json *slot = grow(out, &capacity, is_object);

        if (slot == NULL) {
            return HF_ERR_NO_MEMORY;
        }
        skip_space(p);
        if (is_object) {
            if (peek(p) != '"') {
                return fail(p, "expected a member name");
            }
            status = parse_string(p, &out->keys[out->count - 1]);
            if (status != HF_OK) {
                return status;
            }
            skip_space(p);
            if (peek(p) != ':') {
                return fail(p, "expected ':'");
            }
            p->at++;
        }
        status = parse_value(p, slot, depth + 1);
        if (status != HF_OK) {
            return status;
        }
        skip_space(p);
        if (peek(p) == ',') {
            p->at++;
            continue;
        }
        if (peek(p) != close) {
            return fail(p, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        p->at++;
        return HF_OK;
    }
}

static hf_status parse_value(parser *p, hf_json *out, int depth)
{
    int c;

    if (depth > HF_JSON_MAX_DEPTH) {
        return fail(p, "nesting deeper than 64 levels");
    }
    skip_space(p);
    c = peek(p);
    if (c == '{' || c == '[') {
        return parse_container(p, out, depth, c == '{');
    }
    if (c == '"') {
        out->type = HF_JSON_STRING;
        return parse_string(p, &out->string);
    }
    if (c == '-' || is_digit(c)) {
        return parse_number(p, out);
    }
    if (match_word(p, "true")) {
        out->type = HF_JSON_TRUE;
    } else if (match_word(p, "false")) {
        out->type = HF_JSON_FALSE;
    } else if (match_word(p, "null")) {
        out->type = HF_JSON_NULL;
    } else {
        return fail(p, c < 0 ? "unexpected end of input" : "unexpected character");
    }
    return HF_OK;
}

hf_status hf_json_parse(const char *text, size_t length, hf_json **out)
{
    parser p = {text, length, 0};
    hf_json *root;
    hf_status status;

    if (text == NULL || out == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    root = hf_calloc(1, sizeof(*root));
    if (root == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = parse_value(&p, root, 1);
    if (status == HF_OK) {
        skip_space(&p);
        if (p.at != p.length) {
            status = fail(&p, "data after the JSON value");
        }
    }
    if (status != HF_OK) {
        hf_json_free(root);
        return status;
    }
    *out = root;
    return HF_OK;
}

hf_json_type hf_json_kind(const hf_json *value)
{
    return value != NULL ? value->type : HF_JSON_NULL;
}

size_t hf_json_count(const hf_json *value)
{
    if (value == NULL || (value->type != HF_JSON_ARRAY && value->type != HF_JSON_OBJECT)) {
        return 0;
    }
    return value->count;
}

const hf_json *hf_json_at(const hf_json *value, size_t index)
{
    return index < hf_json_count(value) ? &value->items[index] : NULL;
}

const char *hf_json_key_at(const hf_json *value, size_t index)
{
    if (hf_json_kind(value) != HF_JSON_OBJECT || index >= value->count) {
        return NULL;
    }
    return value->keys[index];
}

const hf_json *hf_json_get(const hf_json *object, const char *key)
{
    if (hf_json_kind(object) != HF_JSON_OBJECT || key == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < object->count; i++) {
        if (strcmp(object->keys[i], key) == 0) {
            return &object->items[i];
        }
    }
    return NULL;
}

const char *hf_json_string(const hf_json *value)
{
    return hf_json_kind(value) == HF_JSON_STRING ? value->string : NULL;
}

double hf_json_number(const hf_json *value, double fallback)
{
    return hf_json_kind(value) == HF_JSON_NUMBER ? value->number : fallback;
}

hf_status hf_json_format_number(double value, char *text, size_t size)
{
    locale_t previous;

    if (text == NULL || size < HF_JSON_NUMBER_SIZE || !isfinite(value)) {
        return HF_ERR_INVALID_ARG;
    }
    pthread_once(&numeric_locale_once, numeric_locale_create);
    if (numeric_locale == (locale_t)0) {
        HF_LOGE("cannot create the C locale to write JSON numbers");
        return HF_ERR_NO_MEMORY;
    }
    /* uselocale switches only the calling thread, so other threads keep theirs. */
    previous = uselocale(numeric_locale);
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, size, "%.*g", digits, value);
        if (strtod_l(text, NULL, numeric_locale) == value) {
            break;
        }
    }
    uselocale(previous);
    return HF_OK;
}

/* Looks up member `key` and checks its type. */
static hf_status get_typed(const hf_json *object, const char *key, hf_json_type type,
                           const hf_json **out)
{
    const hf_json *value = hf_json_get(object, key);

    if (value == NULL) {
        return HF_ERR_NOT_FOUND;
    }
    if (value->type != type) {
        HF_LOGE("JSON member \"%s\" has the wrong type", key);
        return HF_ERR_FORMAT;
    }
    *out = value;
    return HF_OK;
}

hf_status hf_json_get_number(const hf_json *object, const char *key, double *out)
{
    const hf_json *value;
    hf_status status = get_typed(object, key, HF_JSON_NUMBER, &value);

    if (status == HF_OK) {
        *out = value->number;
    }
    return status;
}

hf_status hf_json_get_int(const hf_json *object, const char *key, int *out)
{
    const hf_json *value;
    hf_status status = get_typed(object, key, HF_JSON_NUMBER, &value);

    if (status != HF_OK) {
        return status;
    }
    if (value->number != floor(value->number) || value->number < -2147483648.0 ||
        value->number > 2147483647.0) {
        HF_LOGE("JSON member \"%s\" is %g, not an integer", key, value->number);
        return HF_ERR_FORMAT;
    }
    *out = (int)value->number;
    return HF_OK;
}

hf_status hf_json_get_string(const hf_json *object, const char *key, const char **out)
{
    const hf_json *value;
    hf_status status = get_typed(object, key, HF_JSON_STRING, &value);

    if (status == HF_OK) {
        *out = value->string;
    }
    return status;
}

hf_status hf_json_get_floats(const hf_json *object, const char *key, float *out, size_t count)
{
    const hf_json *value;
    hf_status status = get_typed(object, key, HF_JSON_ARRAY, &value);

    if (status != HF_OK) {
        return status;
    }
    if (value->count != count) {
        HF_LOGE("JSON member \"%s\" has %zu elements, expected %zu", key, value->count, count);
        return HF_ERR_FORMAT;
    }
    for (size_t i = 0; i < count; i++) {
        if (value->items[i].type != HF_JSON_NUMBER) {
            HF_LOGE("element %zu of JSON member \"%s\" is not a number", i, key);
            return HF_ERR_FORMAT;
        }
        if (fabs(value->items[i].number) > FLT_MAX) {
            HF_LOGE("element %zu of JSON member \"%s\" is %g, outside the float range", i, key,
                    value->items[i].number);
            return HF_ERR_FORMAT;
        }
    }
    for (size_t i = 0; i < count; i++) {
        out[i] = (float)value->items[i].number;
    }
    return HF_OK;
}
