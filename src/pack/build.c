/* Writing a pack from a manifest template and model files, and the text
 * listing of a pack that `inspireface info` prints. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "pack/pack.h"

/* A growing NUL-terminated text buffer; `failed` is set on out-of-memory. */
typedef struct text_buffer {
    char *text;
    size_t length;
    size_t capacity;
    int failed;
} text_buffer;

static void append(text_buffer *buffer, const char *format, ...) HF_PRINTF_LIKE(2, 3);

static void append(text_buffer *buffer, const char *format, ...)
{
    va_list args;
    int needed;

    if (buffer->failed) {
        return;
    }
    va_start(args, format);
    needed = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (needed < 0) {
        buffer->failed = 1;
        return;
    }
    if (buffer->length + (size_t)needed + 1 > buffer->capacity) {
        size_t grown = (buffer->length + (size_t)needed + 1) * 2;
        char *bigger = hf_realloc(buffer->text, grown);

        if (bigger == NULL) {
            buffer->failed = 1;
            return;
        }
        buffer->text = bigger;
        buffer->capacity = grown;
    }
    va_start(args, format);
    vsnprintf(buffer->text + buffer->length, buffer->capacity - buffer->length, format, args);
    va_end(args);
    buffer->length += (size_t)needed;
}

/* Writes a JSON string literal with the escapes RFC 8259 requires. */
static void append_string(text_buffer *buffer, const char *text)
{
    append(buffer, "\"");
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            append(buffer, "\\%c", *c);
        } else if (*c < 0x20) {
            append(buffer, "\\u%04x", *c);
        } else {
            append(buffer, "%c", *c);
        }
    }
    append(buffer, "\"");
}

char *hf_pack_describe(const hf_pack *pack)
{
    text_buffer buffer = {0};
    float converter[5];

    append(&buffer, "pack %s, version %s, %d models\n", hf_pack_name(pack),
           hf_pack_version(pack), hf_pack_model_count(pack));
    if (hf_pack_similarity_converter(pack, converter) == HF_OK) {
        append(&buffer, "recommended cosine threshold %g\n", converter[0]);
    }
    for (int i = 0; i < hf_pack_model_count(pack); i++) {
        hf_pack_model model;
        const char *license = NULL;
        const char *source = NULL;
        int width = 0, height = 0;

        if (hf_pack_model_at(pack, i, &model) != HF_OK ||
            hf_json_get_string(model.entry, "license", &license) ||
            hf_json_get_string(model.entry, "source", &source) ||
            hf_json_get_int(model.input, "width", &width) ||
            hf_json_get_int(model.input, "height", &height)) {
            continue; /* unreachable for a pack that passed hf_pack_open */
        }
        append(&buffer, "%-10s %-18s %9zu bytes  input %dx%d  %s\n", model.role, model.file,
               model.size, width, height, license);
        append(&buffer, "           source %s\n           sha256 %s\n", source, model.sha256);
    }
    if (buffer.failed) {
        hf_free(buffer.text);
        return NULL;
    }
    return buffer.text;
}

/* ---- building ---- */

static hf_status load_file(const char *path, char **data, size_t *size)
{
    FILE *file = fopen(path, "rb");
    char *buffer = NULL;
    size_t length = 0;
    size_t capacity = 0;

    if (file == NULL) {
        int error = errno;

        HF_LOGE("cannot open %s: %s", path, strerror(error));
        return error == ENOENT ? HF_ERR_NOT_FOUND : HF_ERR_IO;
    }
    for (;;) {
        size_t got;

        if (length == capacity) {
            size_t grown = capacity ? capacity * 2 : 65536;
            char *bigger = hf_realloc(buffer, grown + 1);

            if (bigger == NULL) {
                hf_free(buffer);
                fclose(file);
                return HF_ERR_NO_MEMORY;
            }
            buffer = bigger;
            capacity = grown;
        }
        got = fread(buffer + length, 1, capacity - length, file);
        length += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(file)) {
        HF_LOGE("reading %s failed", path);
        hf_free(buffer);
        fclose(file);
        return HF_ERR_IO;
    }
    fclose(file);
    buffer[length] = '\0';
    *data = buffer;
    *size = length;
    return HF_OK;
}

/* Finds the pinned digest of `file` in a sha256sum-style list: the line whose
 * path is `file` or ends in "/file". */
static int pinned_digest(const char *list, const char *file, char hex[HF_SHA256_HEX_SIZE])
{
    size_t file_length = strlen(file);

    for (const char *line = list; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        size_t skip = 2 * HF_SHA256_SIZE + 2; /* digest and two spaces */
        const char *path = length > skip ? line + skip : line;
        size_t path_length = length > skip ? length - skip : 0;

        if (path_length >= file_length && file_length > 0 &&
            memcmp(path + path_length - file_length, file, file_length) == 0 &&
            (path_length == file_length || path[path_length - file_length - 1] == '/')) {
            memcpy(hex, line, 2 * HF_SHA256_SIZE);
            hex[2 * HF_SHA256_SIZE] = '\0';
            return 1;
        }
        line += end ? length + 1 : length;
    }
    return 0;
}

typedef struct model_file {
    const char *file;
    char *data;
    size_t size;
    char sha256[HF_SHA256_HEX_SIZE];
} model_file;

static hf_status load_model(const char *model_dir, const char *pinned, model_file *model)
{
    char path[4096];
    uint8_t digest[HF_SHA256_SIZE];
    char expected[HF_SHA256_HEX_SIZE];
    hf_status status;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", model_dir, model->file) >= sizeof(path)) {
        return HF_ERR_INVALID_ARG;
    }
    status = load_file(path, &model->data, &model->size);
    if (status != HF_OK) {
        return status;
    }
    hf_sha256_digest(model->data, model->size, digest);
    hf_sha256_hex(digest, model->sha256);
    if (pinned == NULL) {
        return HF_OK;
    }
    if (!pinned_digest(pinned, model->file, expected)) {
        HF_LOGE("model %s has no pinned sha256", model->file);
        return HF_ERR_CHECKSUM;
    }
    if (strcmp(expected, model->sha256) != 0) {
        HF_LOGE("model %s has sha256 %s, pinned %s", path, model->sha256, expected);
        return HF_ERR_CHECKSUM;
    }
    return HF_OK;
}

static void append_json(text_buffer *buffer, const hf_json *value, int indent);

/* Returns nonzero for an array with no arrays or objects inside. */
static int is_flat_array(const hf_json *value)
{
    if (hf_json_kind(value) != HF_JSON_ARRAY) {
        return 0;
    }
    for (size_t i = 0; i < hf_json_count(value); i++) {
        hf_json_type kind = hf_json_kind(hf_json_at(value, i));

        if (kind == HF_JSON_ARRAY || kind == HF_JSON_OBJECT) {
            return 0;
        }
    }
    return 1;
}

static void append_members(text_buffer *buffer, const hf_json *value, int indent)
{
    int object = hf_json_kind(value) == HF_JSON_OBJECT;
    size_t count = hf_json_count(value);

    if (is_flat_array(value)) {
        append(buffer, "[");
        for (size_t i = 0; i < count; i++) {
            append(buffer, "%s", i > 0 ? ", " : "");
            append_json(buffer, hf_json_at(value, i), indent);
        }
        append(buffer, "]");
        return;
    }
    append(buffer, object ? "{" : "[");
    for (size_t i = 0; i < count; i++) {
        append(buffer, "%s\n%*s", i > 0 ? "," : "", indent + 2, "");
        if (object) {
            append_string(buffer, hf_json_key_at(value, i));
            append(buffer, ": ");
        }
        append_json(buffer, hf_json_at(value, i), indent + 2);
    }
    if (count > 0) {
        append(buffer, "\n%*s", indent, "");
    }
    append(buffer, object ? "}" : "]");
}

static void append_number(text_buffer *buffer, double number)
{
    char text[HF_JSON_NUMBER_SIZE];

    if (hf_json_format_number(number, text, sizeof(text)) != HF_OK) {
        buffer->failed = 1;
        return;
    }
    append(buffer, "%s", text);
}

/* Writes `value` back as JSON. */
static void append_json(text_buffer *buffer, const hf_json *value, int indent)
{
    switch (hf_json_kind(value)) {
    case HF_JSON_NULL: append(buffer, "null"); break;
    case HF_JSON_FALSE: append(buffer, "false"); break;
    case HF_JSON_TRUE: append(buffer, "true"); break;
    case HF_JSON_NUMBER: append_number(buffer, hf_json_number(value, 0)); break;
    case HF_JSON_STRING: append_string(buffer, hf_json_string(value)); break;
    default: append_members(buffer, value, indent); break;
    }
}

/* Writes the manifest: the template with "sha256" and "bytes" set in every
 * model entry. Members of the template with those names are replaced. */
static void append_manifest(text_buffer *buffer, const hf_json *template_root,
                            const model_file *models)
{
    const hf_json *list = hf_json_get(template_root, "models");

    append(buffer, "{");
    for (size_t i = 0; i < hf_json_count(template_root); i++) {
        const char *key = hf_json_key_at(template_root, i);

        append(buffer, "%s\n  ", i > 0 ? "," : "");
        append_string(buffer, key);
        append(buffer, ": ");
        if (strcmp(key, "models") != 0) {
            append_json(buffer, hf_json_at(template_root, i), 2);
            continue;
        }
        append(buffer, "[");
        for (size_t m = 0; m < hf_json_count(list); m++) {
            const hf_json *entry = hf_json_at(list, m);

            append(buffer, "%s\n    {", m > 0 ? "," : "");
            for (size_t k = 0; k < hf_json_count(entry); k++) {
                const char *name = hf_json_key_at(entry, k);

                if (strcmp(name, "sha256") == 0 || strcmp(name, "bytes") == 0) {
                    continue;
                }
                append(buffer, "\n      ");
                append_string(buffer, name);
                append(buffer, ": ");
                append_json(buffer, hf_json_at(entry, k), 6);
                append(buffer, ",");
            }
            append(buffer, "\n      \"sha256\": \"%s\",\n      \"bytes\": %zu\n    }",
                   models[m].sha256, models[m].size);
        }
        append(buffer, "\n  ]");
    }
    append(buffer, "\n}\n");
}

static hf_status write_pack(const char *out_path, const text_buffer *manifest,
                            const model_file *models, size_t count)
{
    FILE *file = fopen(out_path, "wb");
    hf_status status;

    if (file == NULL) {
        HF_LOGE("cannot create %s: %s", out_path, strerror(errno));
        return HF_ERR_IO;
    }
    status = hf_tar_write_member(file, HF_PACK_MANIFEST_NAME, manifest->text, manifest->length);
    for (size_t i = 0; i < count && status == HF_OK; i++) {
        status = hf_tar_write_member(file, models[i].file, models[i].data, models[i].size);
    }
    if (status == HF_OK) {
        status = hf_tar_write_end(file);
    }
    if (fclose(file) != 0 && status == HF_OK) {
        HF_LOGE("closing %s failed: %s", out_path, strerror(errno));
        status = HF_ERR_IO;
    }
    if (status != HF_OK) {
        remove(out_path);
    }
    return status;
}

static hf_status load_models(const hf_json *list, const char *model_dir, const char *pinned,
                             model_file *models)
{
    for (size_t i = 0; i < hf_json_count(list); i++) {
        hf_status status = hf_json_get_string(hf_json_at(list, i), "file", &models[i].file);

        if (status != HF_OK) {
            HF_LOGE("template: model %zu has no \"file\"", i);
            return HF_ERR_FORMAT;
        }
        status = load_model(model_dir, pinned, &models[i]);
        if (status != HF_OK) {
            return status;
        }
    }
    return HF_OK;
}

hf_status hf_pack_build(const char *template_path, const char *model_dir,
                        const char *pinned_path, const char *out_path)
{
    char *template_text = NULL;
    char *pinned = NULL;
    hf_json *template_root = NULL;
    model_file *models = NULL;
    text_buffer manifest = {0};
    hf_pack *check = NULL;
    const hf_json *list;
    size_t size;
    size_t count = 0;
    hf_status status;

    if (template_path == NULL || model_dir == NULL || out_path == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    status = load_file(template_path, &template_text, &size);
    if (status == HF_OK) {
        status = hf_json_parse(template_text, size, &template_root);
    }
    if (status == HF_OK && pinned_path != NULL) {
        status = load_file(pinned_path, &pinned, &size);
    }
    if (status != HF_OK) {
        goto cleanup;
    }
    list = hf_json_get(template_root, "models");
    count = hf_json_count(list);
    if (hf_json_kind(list) != HF_JSON_ARRAY || count == 0) {
        HF_LOGE("template %s has no \"models\" array", template_path);
        status = HF_ERR_FORMAT;
        goto cleanup;
    }
    models = hf_calloc(count, sizeof(*models));
    if (models == NULL) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    status = load_models(list, model_dir, pinned, models);
    if (status != HF_OK) {
        goto cleanup;
    }
    append_manifest(&manifest, template_root, models);
    if (manifest.failed) {
        status = HF_ERR_NO_MEMORY;
        goto cleanup;
    }
    status = write_pack(out_path, &manifest, models, count);
    if (status == HF_OK) {
        status = hf_pack_open(out_path, &check);
        if (status != HF_OK) {
            remove(out_path);
        }
    }

cleanup:
    hf_pack_release(check);
    for (size_t i = 0; i < count && models != NULL; i++) {
        hf_free(models[i].data);
    }
    hf_free(models);
    hf_free(manifest.text);
    hf_json_free(template_root);
    hf_free(pinned);
    hf_free(template_text);
    return status;
}
