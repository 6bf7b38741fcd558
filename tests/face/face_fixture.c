#include "face_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *face_fixture_read(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    void *bytes = NULL;
    long length;

    if (file == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) > 0 &&
        fseek(file, 0, SEEK_SET) == 0) {
        bytes = malloc((size_t)length);
        if (bytes != NULL && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
            free(bytes);
            bytes = NULL;
        }
        *size = (size_t)length;
    }
    fclose(file);
    return bytes;
}

static int load_model(hf_face_model_spec *model, const char *name)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/models/faceplugin/model/%s.onnx", HF_SOURCE_DIR, name);
    model->bytes = face_fixture_read(path, &model->size);
    model->identity = name;
    return model->bytes == NULL;
}

int face_fixture_spec(hf_face_pack_spec *spec)
{
    hf_face_pack_spec_default(spec);
    return load_model(&spec->detect, "fr_detect") | load_model(&spec->landmark, "fr_landmark") |
           load_model(&spec->pose, "fr_pose") | load_model(&spec->feature, "fr_feature");
}

void face_fixture_spec_free(hf_face_pack_spec *spec)
{
    free((void *)spec->detect.bytes);
    free((void *)spec->landmark.bytes);
    free((void *)spec->pose.bytes);
    free((void *)spec->feature.bytes);
}

int face_fixture_nv21_frame(const char *name, int width, int height, int quarter_turns,
                            hf_face_frame *frame, uint8_t **owned)
{
    char path[1024];
    size_t size = 0;
    uint8_t *raw;
    uint8_t *upright;
    int upright_width = quarter_turns & 1 ? height : width;
    int upright_height = quarter_turns & 1 ? width : height;

    snprintf(path, sizeof(path), "%s/data/images/%s", HF_SHARED_DIR, name);
    raw = face_fixture_read(path, &size);
    if (raw == NULL || size < (size_t)width * height) {
        free(raw);
        return 1;
    }
    upright = malloc((size_t)width * height * 3);
    frame->upright = (hf_face_pixels){upright, upright_width, upright_height,
                                      upright_width * 3, 3};
    frame->buffer_width = width;
    frame->buffer_height = height;
    frame->quarter_turns = quarter_turns;
    for (int v = 0; upright != NULL && v < upright_height; v++) {
        for (int u = 0; u < upright_width; u++) {
            float x;
            float y;

            hf_face_frame_to_buffer(frame, (float)u, (float)v, &x, &y);
            memset(upright + ((size_t)v * upright_width + u) * 3,
                   raw[(size_t)y * width + (size_t)x], 3);
        }
    }
    free(raw);
    *owned = upright;
    return upright == NULL;
}
