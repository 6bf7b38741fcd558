#include "pack_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pack/pack.h"

const char fixture_model_a[] = "first tiny model, not a real ONNX file";
const char fixture_model_b[] = "second tiny model";

static const char tiny_template[] =
    "{\"format\": \"inspireface-c-pack\", \"format_version\": 1, \"name\": \"tiny\",\n"
    " \"version\": \"0.1\",\n"
    " \"similarity_converter\": {\"threshold\": 0.42, \"middle_score\": 0.6,\n"
    "   \"steepness\": 8, \"output_min\": 0.01, \"output_max\": 1},\n"
    " \"face_detect_pixel_list\": [160, 320],\n"
    " \"models\": [\n"
    "  {\"role\": \"detect\", \"file\": \"fr_a.onnx\", \"license\": \"MIT\",\n"
    "   \"source\": \"npm:tiny@1.0.0:package/fr_a.onnx\",\n"
    "   \"input\": {\"width\": 320, \"height\": 240, \"channels\": 3, \"color\": \"rgb\",\n"
    "     \"mean\": [127, 127, 127], \"scale\": [0.0078125, 0.0078125, 0.0078125]},\n"
    "   \"params\": {\"nms_iou\": 0.3, \"outputs\": [\"s\", \"b\"]}},\n"
    "  {\"role\": \"landmark\", \"file\": \"fr_b.onnx\", \"license\": \"Apache-2.0\",\n"
    "   \"source\": \"npm:tiny@1.0.0:package/fr_b.onnx\",\n"
    "   \"input\": {\"width\": 64, \"height\": 64, \"channels\": 1, \"color\": \"grey\",\n"
    "     \"mean\": [0], \"scale\": [0.00390625]}}\n"
    " ]}\n";

int fixture_dir_create(char dir[FIXTURE_PATH_MAX])
{
    snprintf(dir, FIXTURE_PATH_MAX, "%s/pack-test-XXXXXX", HF_BINARY_DIR);
    return mkdtemp(dir) == NULL;
}

void fixture_dir_remove(const char *dir)
{
    char command[FIXTURE_PATH_MAX + 16];

    snprintf(command, sizeof(command), "rm -rf '%s'", dir);
    if (system(command) != 0) {
        fprintf(stderr, "cannot remove %s\n", dir);
    }
}

void fixture_path(char out[FIXTURE_PATH_MAX], const char *dir, const char *name)
{
    snprintf(out, FIXTURE_PATH_MAX, "%s/%s", dir, name);
}

int fixture_write(const char *path, const void *data, size_t size)
{
    FILE *file = fopen(path, "wb");
    int failed;

    if (file == NULL) {
        return 1;
    }
    failed = fwrite(data, 1, size, file) != size;
    return fclose(file) != 0 || failed;
}

uint8_t *fixture_read(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    uint8_t *data = NULL;
    long length;

    if (file == NULL) {
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0) {
        data = malloc((size_t)length + 1);
        if (data != NULL && fread(data, 1, (size_t)length, file) != (size_t)length) {
            free(data);
            data = NULL;
        }
        if (data != NULL) {
            data[length] = 0;
            *size = (size_t)length;
        }
    }
    fclose(file);
    return data;
}

static void hex_of(const char *text, char hex[HF_SHA256_HEX_SIZE])
{
    uint8_t digest[HF_SHA256_SIZE];

    hf_sha256_digest(text, strlen(text), digest);
    hf_sha256_hex(digest, hex);
}

int fixture_tiny_pack(const char *dir, char pack_path[FIXTURE_PATH_MAX])
{
    char path[FIXTURE_PATH_MAX];
    char template_path[FIXTURE_PATH_MAX];
    char pinned_path[FIXTURE_PATH_MAX];
    char hex_a[HF_SHA256_HEX_SIZE];
    char hex_b[HF_SHA256_HEX_SIZE];
    char pinned[512];

    fixture_path(path, dir, "fr_a.onnx");
    if (fixture_write(path, fixture_model_a, strlen(fixture_model_a))) {
        return HF_ERR_IO;
    }
    fixture_path(path, dir, "fr_b.onnx");
    if (fixture_write(path, fixture_model_b, strlen(fixture_model_b))) {
        return HF_ERR_IO;
    }
    hex_of(fixture_model_a, hex_a);
    hex_of(fixture_model_b, hex_b);
    snprintf(pinned, sizeof(pinned), "%s  tiny/fr_a.onnx\n%s  tiny/fr_b.onnx\n", hex_a, hex_b);
    fixture_path(pinned_path, dir, "pinned.sha256");
    fixture_path(template_path, dir, "template.json");
    if (fixture_write(pinned_path, pinned, strlen(pinned)) ||
        fixture_write(template_path, tiny_template, strlen(tiny_template))) {
        return HF_ERR_IO;
    }
    fixture_path(pack_path, dir, "tiny.pack");
    return hf_pack_build(template_path, dir, pinned_path, pack_path);
}
