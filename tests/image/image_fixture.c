#include "image_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void image_fixture_path(const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/data/images/%s", HF_SHARED_DIR, name);
}

uint8_t *image_fixture_read(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    uint8_t *bytes;
    long length;

    if (file == NULL) {
        printf("cannot open %s\n", path);
        return NULL;
    }
    fseek(file, 0, SEEK_END);
    length = ftell(file);
    fseek(file, 0, SEEK_SET);
    bytes = malloc(length > 0 ? (size_t)length : 1);
    if (bytes == NULL || fread(bytes, 1, (size_t)length, file) != (size_t)length) {
        printf("cannot read %ld bytes from %s\n", length, path);
        free(bytes);
        fclose(file);
        return NULL;
    }
    fclose(file);
    *size = (size_t)length;
    return bytes;
}

double image_fixture_mad(const hf_image *a, const hf_image *b, int channel)
{
    double total = 0.0;

    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return -1.0;
    for (int y = 0; y < a->height; y++) {
        const uint8_t *pa = a->data + (size_t)y * a->stride + channel;
        const uint8_t *pb = b->data + (size_t)y * b->stride + channel;

        for (int x = 0; x < a->width; x++)
            total += fabs((double)pa[x * a->channels] - pb[x * b->channels]);
    }
    return total / ((double)a->width * a->height);
}

void image_fixture_corners(hf_image *bgr)
{
    static const uint8_t colours[4][3] = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    int w = bgr->width;
    int h = bgr->height;
    int corner_x[4] = {0, w - 1, 0, w - 1};
    int corner_y[4] = {0, 0, h - 1, h - 1};

    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t *pixel = bgr->data + (size_t)y * bgr->stride + (size_t)x * 3;

            pixel[0] = pixel[1] = pixel[2] = 128;
        }
    }
    for (int i = 0; i < 4; i++) {
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int x = corner_x[i] == 0 ? dx : corner_x[i] - dx;
                int y = corner_y[i] == 0 ? dy : corner_y[i] - dy;
                uint8_t *pixel = bgr->data + (size_t)y * bgr->stride + (size_t)x * 3;

                pixel[0] = colours[i][0];
                pixel[1] = colours[i][1];
                pixel[2] = colours[i][2];
            }
        }
    }
}
