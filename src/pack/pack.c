/* Opening and verifying a model pack, and looking models up by role. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "pack/pack.h"

/* Packs larger than this are rejected before reading; the default pack is
 * about 43 MB. */
#define PACK_SIZE_LIMIT ((size_t)1 << 31)

#define PACK_MAX_MODELS 64

struct hf_pack {
    atomic_int references;
    uint8_t *data;
    size_t size;
    hf_tar_member *members;
    int member_count;
    hf_json *manifest;
    const char *name;
    const char *version;
    hf_pack_model *models;
    int model_count;
};

static const char *const known_roles[] = {
    "detect", "landmark", "feature", "liveness", "eye", "pose", "expression",
};

int hf_pack_role_known(const char *role)
{
    if (role == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(known_roles) / sizeof(known_roles[0]); i++) {
        if (strcmp(role, known_roles[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void pack_free(hf_pack *pack)
{
    hf_json_free(pack->manifest);
    hf_free(pack->members);
    hf_free(pack->models);
    hf_free(pack->data);
    hf_free(pack);
}

hf_pack *hf_pack_retain(hf_pack *pack)
{
    if (pack != NULL) {
        atomic_fetch_add(&pack->references, 1);
    }
    return pack;
}

void hf_pack_release(hf_pack *pack)
{
    if (pack != NULL && atomic_fetch_sub(&pack->references, 1) == 1) {
        pack_free(pack);
    }
}

static const hf_tar_member *find_member(const hf_pack *pack, const char *name)
{
    for (int i = 0; i < pack->member_count; i++) {
        if (strcmp(pack->members[i].name, name) == 0) {
            return &pack->members[i];
        }
    }
    return NULL;
}

static int is_sha256_hex(const char *text)
{
    size_t i = 0;

    for (; text[i] != '\0'; i++) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))) {
            return 0;
        }
    }
    return i == 2 * HF_SHA256_SIZE;
}

/* Checks the "input" object: positive size, 1 or 3 channels, a colour order
 * that matches the channel count and one mean and scale per channel. */
static hf_status check_input(const hf_json *input, const char *file)
{
    int width = 0, height = 0, channels = 0;
    const char *color = NULL;
    float values[3];

    if (hf_json_kind(input) != HF_JSON_OBJECT || hf_json_get_int(input, "width", &width) ||
        hf_json_get_int(input, "height", &height) ||
        hf_json_get_int(input, "channels", &channels) ||
        hf_json_get_string(input, "color", &color)) {
        HF_LOGE("manifest: model %s needs an input object with width, height, channels, color",
                file);
        return HF_ERR_FORMAT;
    }
    if (width <= 0 || height <= 0 || width > 8192 || height > 8192 ||
        (channels != 1 && channels != 3)) {
        HF_LOGE("manifest: model %s has input %dx%d with %d channels", file, width, height,
                channels);
        return HF_ERR_FORMAT;
    }
    if (channels == 1 ? strcmp(color, "grey") != 0
                      : strcmp(color, "rgb") != 0 && strcmp(color, "bgr") != 0) {
        HF_LOGE("manifest: model %s has color \"%s\" for %d channels", file, color, channels);
        return HF_ERR_FORMAT;
    }
    if (hf_json_get_floats(input, "mean", values, (size_t)channels) ||
        hf_json_get_floats(input, "scale", values, (size_t)channels)) {
        HF_LOGE("manifest: model %s needs %d mean and %d scale values", file, channels,
                channels);
        return HF_ERR_FORMAT;
    }
    return HF_OK;
}

static hf_status check_digest(const hf_tar_member *member, const char *expected)
{
    uint8_t digest[HF_SHA256_SIZE];
    char hex[HF_SHA256_HEX_SIZE];

    hf_sha256_digest(member->data, member->size, digest);
    hf_sha256_hex(digest, hex);
    if (strcmp(hex, expected) != 0) {
        HF_LOGE("pack member %s has sha256 %s, the manifest expects %s", member->name, hex,
                expected);
        return HF_ERR_CHECKSUM;
    }
    return HF_OK;
}

static hf_status read_model(hf_pack *pack, const hf_json *entry, hf_pack_model *model)
{
    const hf_tar_member *member;
    const char *text;
    double bytes;
    hf_status status;

    memset(model, 0, sizeof(*model));
    model->entry = entry;
    if (hf_json_kind(entry) != HF_JSON_OBJECT || hf_json_get_string(entry, "role", &model->role) ||
        hf_json_get_string(entry, "file", &model->file) ||
        hf_json_get_string(entry, "sha256", &model->sha256) ||
        hf_json_get_number(entry, "bytes", &bytes) ||
        hf_json_get_string(entry, "license", &text) ||
        hf_json_get_string(entry, "source", &text)) {
        HF_LOGE("manifest: every model needs role, file, sha256, bytes, license and source");
        return HF_ERR_FORMAT;
    }
    if (!hf_pack_role_known(model->role)) {
        HF_LOGE("manifest: model %s has unknown role \"%s\"", model->file, model->role);
        return HF_ERR_FORMAT;
    }
    if (!is_sha256_hex(model->sha256)) {
        HF_LOGE("manifest: model %s has a malformed sha256 \"%s\"", model->file, model->sha256);
        return HF_ERR_FORMAT;
    }
    model->input = hf_json_get(entry, "input");
    status = check_input(model->input, model->file);
    if (status != HF_OK) {
        return status;
    }
    model->params = hf_json_get(entry, "params");
    if (model->params != NULL && hf_json_kind(model->params) != HF_JSON_OBJECT) {
        HF_LOGE("manifest: params of model %s is not an object", model->file);
        return HF_ERR_FORMAT;
    }
    member = find_member(pack, model->file);
    if (member == NULL || strcmp(model->file, HF_PACK_MANIFEST_NAME) == 0) {
        HF_LOGE("manifest: model file %s is not in the pack", model->file);
        return HF_ERR_FORMAT;
    }
    if (bytes != (double)member->size) {
        HF_LOGE("pack member %s has %zu bytes, the manifest expects %.0f", model->file,
                member->size, bytes);
        return HF_ERR_CHECKSUM;
    }
    model->bytes = member->data;
    model->size = member->size;
    return check_digest(member, model->sha256);
}

static hf_status check_models(hf_pack *pack)
{
    const hf_json *list = hf_json_get(pack->manifest, "models");
    size_t count = hf_json_count(list);
    hf_status status;

    if (hf_json_kind(list) != HF_JSON_ARRAY || count == 0 || count > PACK_MAX_MODELS) {
        HF_LOGE("manifest: \"models\" must be an array of 1 to %d models", PACK_MAX_MODELS);
        return HF_ERR_FORMAT;
    }
    pack->models = hf_calloc(count, sizeof(*pack->models));
    if (pack->models == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        status = read_model(pack, hf_json_at(list, i), &pack->models[i]);
        if (status != HF_OK) {
            return status;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(pack->models[j].role, pack->models[i].role) == 0) {
                HF_LOGE("manifest: role \"%s\" is listed twice", pack->models[i].role);
                return HF_ERR_FORMAT;
            }
        }
        pack->model_count = (int)i + 1;
    }
    return HF_OK;
}

static hf_status check_converter(const hf_pack *pack)
{
    float config[5];
    hf_status status = hf_pack_similarity_converter(pack, config);

    if (status == HF_ERR_NOT_FOUND) {
        return HF_OK;
    }
    if (status != HF_OK) {
        return status;
    }
    /* The converter divides by (middle - min) and takes the log of the ratio. */
    if (!(config[3] < config[1] && config[1] < config[4]) || !(config[2] > 0)) {
        HF_LOGE("manifest: similarity_converter needs output_min < middle_score < output_max "
                "and steepness > 0");
        return HF_ERR_FORMAT;
    }
    return HF_OK;
}

static hf_status check_pixel_levels(const hf_pack *pack)
{
    const hf_json *list = hf_json_get(pack->manifest, "face_detect_pixel_list");

    if (list == NULL) {
        return HF_OK;
    }
    if (hf_json_kind(list) != HF_JSON_ARRAY || hf_json_count(list) == 0 ||
        hf_json_count(list) > 20) {
        HF_LOGE("manifest: face_detect_pixel_list must be an array of 1 to 20 sizes");
        return HF_ERR_FORMAT;
    }
    for (size_t i = 0; i < hf_json_count(list); i++) {
        double level = hf_json_number(hf_json_at(list, i), -1);

        if (level < 16 || level > 8192 || level != floor(level)) {
            HF_LOGE("manifest: face_detect_pixel_list entry %zu is not a size in 16..8192", i);
            return HF_ERR_FORMAT;
        }
    }
    return HF_OK;
}

static hf_status check_manifest(hf_pack *pack)
{
    const hf_tar_member *first = &pack->members[0];
    const char *format = NULL;
    int version = 0;
    hf_status status;

    if (strcmp(first->name, HF_PACK_MANIFEST_NAME) != 0) {
        HF_LOGE("pack: first member is %s, expected %s", first->name, HF_PACK_MANIFEST_NAME);
        return HF_ERR_FORMAT;
    }
    status = hf_json_parse((const char *)first->data, first->size, &pack->manifest);
    if (status != HF_OK) {
        return status;
    }
    if (hf_json_get_string(pack->manifest, "format", &format) ||
        strcmp(format, HF_PACK_FORMAT) != 0 ||
        hf_json_get_int(pack->manifest, "format_version", &version) ||
        version != HF_PACK_FORMAT_VERSION) {
        HF_LOGE("manifest: expected format \"%s\" version %d", HF_PACK_FORMAT,
                HF_PACK_FORMAT_VERSION);
        return HF_ERR_FORMAT;
    }
    if (hf_json_get_string(pack->manifest, "name", &pack->name) ||
        hf_json_get_string(pack->manifest, "version", &pack->version)) {
        HF_LOGE("manifest: \"name\" and \"version\" strings are required");
        return HF_ERR_FORMAT;
    }
    status = check_converter(pack);
    if (status == HF_OK) {
        status = check_pixel_levels(pack);
    }
    if (status == HF_OK) {
        status = check_models(pack);
    }
    return status;
}

/* Takes ownership of `data` (freed on failure too). */
static hf_status pack_from_buffer(uint8_t *data, size_t size, hf_pack **out)
{
    hf_pack *pack = hf_calloc(1, sizeof(*pack));
    hf_status status;

    if (pack == NULL) {
        hf_free(data);
        return HF_ERR_NO_MEMORY;
    }
    atomic_init(&pack->references, 1);
    pack->data = data;
    pack->size = size;
    status = hf_tar_list(data, size, &pack->members, &pack->member_count);
    if (status == HF_OK && pack->member_count == 0) {
        HF_LOGE("pack: the tar has no files");
        status = HF_ERR_FORMAT;
    }
    if (status == HF_OK) {
        status = check_manifest(pack);
    }
    if (status != HF_OK) {
        pack_free(pack);
        return status == HF_ERR_UNSUPPORTED ? HF_ERR_FORMAT : status;
    }
    *out = pack;
    return HF_OK;
}

hf_status hf_pack_open_memory(const void *data, size_t size, hf_pack **out)
{
    uint8_t *copy;

    if ((data == NULL && size > 0) || out == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    copy = hf_malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    if (size > 0) {
        memcpy(copy, data, size);
    }
    return pack_from_buffer(copy, size, out);
}

/* Opens `path` for reading only when it is a regular file. O_NONBLOCK keeps
 * the open of a FIFO from waiting forever for a writer and does not change
 * reads of a regular file. */
static hf_status open_regular(const char *path, FILE **out, struct stat *info)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    FILE *file;

    if (fd < 0) {
        int error = errno;

        HF_LOGE("cannot open pack %s: %s", path, strerror(error));
        return error == ENOENT || error == ENOTDIR ? HF_ERR_NOT_FOUND : HF_ERR_IO;
    }
    if (fstat(fd, info) != 0 || !S_ISREG(info->st_mode)) {
        HF_LOGE("pack %s is not a regular file", path);
        close(fd);
        return HF_ERR_FORMAT;
    }
    file = fdopen(fd, "rb");
    if (file == NULL) {
        HF_LOGE("cannot open pack %s: %s", path, strerror(errno));
        close(fd);
        return HF_ERR_IO;
    }
    *out = file;
    return HF_OK;
}

static hf_status read_file(const char *path, uint8_t **data, size_t *size)
{
    struct stat info;
    FILE *file = NULL;
    uint8_t *buffer;
    size_t length;
    hf_status status = open_regular(path, &file, &info);

    if (status != HF_OK) {
        return status;
    }
    if ((unsigned long long)info.st_size > PACK_SIZE_LIMIT) {
        HF_LOGE("pack %s has %lld bytes, more than the 2 GiB limit", path,
                (long long)info.st_size);
        fclose(file);
        return HF_ERR_FORMAT;
    }
    length = (size_t)info.st_size;
    buffer = hf_malloc(length > 0 ? length : 1);
    if (buffer == NULL) {
        fclose(file);
        return HF_ERR_NO_MEMORY;
    }
    if (fread(buffer, 1, length, file) != length) {
        HF_LOGE("reading pack %s (%zu bytes) failed", path, length);
        hf_free(buffer);
        fclose(file);
        return HF_ERR_IO;
    }
    fclose(file);
    *data = buffer;
    *size = length;
    return HF_OK;
}

hf_status hf_pack_open(const char *path, hf_pack **out)
{
    uint8_t *data;
    size_t size;
    hf_status status;

    if (path == NULL || out == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    status = read_file(path, &data, &size);
    if (status != HF_OK) {
        return status;
    }
    return pack_from_buffer(data, size, out);
}

const hf_json *hf_pack_manifest(const hf_pack *pack)
{
    return pack->manifest;
}

const char *hf_pack_name(const hf_pack *pack)
{
    return pack->name;
}

const char *hf_pack_version(const hf_pack *pack)
{
    return pack->version;
}

int hf_pack_model_count(const hf_pack *pack)
{
    return pack->model_count;
}

hf_status hf_pack_model_at(const hf_pack *pack, int index, hf_pack_model *out)
{
    if (index < 0 || index >= pack->model_count) {
        return HF_ERR_RANGE;
    }
    *out = pack->models[index];
    return HF_OK;
}

hf_status hf_pack_find(const hf_pack *pack, const char *role, hf_pack_model *out)
{
    for (int i = 0; role != NULL && i < pack->model_count; i++) {
        if (strcmp(pack->models[i].role, role) == 0) {
            *out = pack->models[i];
            return HF_OK;
        }
    }
    return HF_ERR_NOT_FOUND;
}

hf_status hf_pack_similarity_converter(const hf_pack *pack, float config[5])
{
    static const char *const keys[5] = {"threshold", "middle_score", "steepness", "output_min",
                                        "output_max"};
    const hf_json *block = hf_json_get(pack->manifest, "similarity_converter");
    float values[5];

    if (block == NULL) {
        return HF_ERR_NOT_FOUND;
    }
    for (int i = 0; i < 5; i++) {
        double value;

        if (hf_json_get_number(block, keys[i], &value) != HF_OK || fabs(value) > FLT_MAX) {
            HF_LOGE("manifest: similarity_converter needs a number \"%s\" within the float range",
                    keys[i]);
            return HF_ERR_FORMAT;
        }
        values[i] = (float)value;
    }
    memcpy(config, values, sizeof(values));
    return HF_OK;
}

int hf_pack_pixel_levels(const hf_pack *pack, int *levels, int capacity)
{
    const hf_json *list = hf_json_get(pack->manifest, "face_detect_pixel_list");
    int count = (int)hf_json_count(list);

    for (int i = 0; i < count && i < capacity; i++) {
        levels[i] = (int)hf_json_number(hf_json_at(list, (size_t)i), 0);
    }
    return count;
}
