#include "face/token.h"

#include <stdint.h>
#include <string.h>

enum {
    OFFSET_STATE = 0,
    OFFSET_INDEX = 4,
    OFFSET_TRACK_ID = 8,
    OFFSET_TRACK_COUNT = 12,
    OFFSET_RECT = 16,
    OFFSET_TRANSFORM = 32,
    OFFSET_KEY_POINTS = 80,
    OFFSET_ANGLES = 120,
    OFFSET_QUALITY = 132,
    OFFSET_LANDMARKS = 152,
    OFFSET_LANDMARK_FLAG = 1000,
    OFFSET_LANDMARK_COUNT = 1004,
};

static void put_int(unsigned char *bytes, size_t offset, int value)
{
    int32_t stored = value;

    memcpy(bytes + offset, &stored, sizeof(stored));
}

static int get_int(const unsigned char *bytes, size_t offset)
{
    int32_t stored;

    memcpy(&stored, bytes + offset, sizeof(stored));
    return stored;
}

void hf_face_token_encode(const hf_face_info *info, unsigned char *bytes)
{
    int rect[4] = {info->rect.x, info->rect.y, info->rect.width, info->rect.height};
    float angles[3] = {info->roll, info->yaw, info->pitch};
    int count = info->landmark_count;

    count = count < 0 ? 0 : count;
    count = count > HF_FACE_TOKEN_MAX_LANDMARKS ? HF_FACE_TOKEN_MAX_LANDMARKS : count;
    memset(bytes, 0, HF_FACE_TOKEN_SIZE);
    put_int(bytes, OFFSET_STATE, info->track_state);
    put_int(bytes, OFFSET_INDEX, info->index);
    put_int(bytes, OFFSET_TRACK_ID, info->track_id);
    put_int(bytes, OFFSET_TRACK_COUNT, info->track_count);
    for (int i = 0; i < 4; i++) {
        put_int(bytes, OFFSET_RECT + 4 * (size_t)i, rect[i]);
    }
    memcpy(bytes + OFFSET_TRANSFORM, info->transform, sizeof(info->transform));
    memcpy(bytes + OFFSET_KEY_POINTS, info->key_points, sizeof(info->key_points));
    memcpy(bytes + OFFSET_ANGLES, angles, sizeof(angles));
    memcpy(bytes + OFFSET_QUALITY, info->quality, sizeof(info->quality));
    memcpy(bytes + OFFSET_LANDMARKS, info->landmarks, (size_t)count * 2 * sizeof(float));
    put_int(bytes, OFFSET_LANDMARK_FLAG, count > 0);
    put_int(bytes, OFFSET_LANDMARK_COUNT, count);
}

hf_status hf_face_token_decode(const void *data, size_t size, hf_face_info *info)
{
    const unsigned char *bytes = data;
    float angles[3];
    int count;

    if (bytes == NULL || info == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    if (size < HF_FACE_TOKEN_SIZE) {
        return HF_ERR_FORMAT;
    }
    memset(info, 0, sizeof(*info));
    info->track_state = get_int(bytes, OFFSET_STATE);
    info->index = get_int(bytes, OFFSET_INDEX);
    info->track_id = get_int(bytes, OFFSET_TRACK_ID);
    info->track_count = get_int(bytes, OFFSET_TRACK_COUNT);
    info->rect.x = get_int(bytes, OFFSET_RECT);
    info->rect.y = get_int(bytes, OFFSET_RECT + 4);
    info->rect.width = get_int(bytes, OFFSET_RECT + 8);
    info->rect.height = get_int(bytes, OFFSET_RECT + 12);
    memcpy(info->transform, bytes + OFFSET_TRANSFORM, sizeof(info->transform));
    memcpy(info->key_points, bytes + OFFSET_KEY_POINTS, sizeof(info->key_points));
    memcpy(angles, bytes + OFFSET_ANGLES, sizeof(angles));
    info->roll = angles[0];
    info->yaw = angles[1];
    info->pitch = angles[2];
    memcpy(info->quality, bytes + OFFSET_QUALITY, sizeof(info->quality));

    count = get_int(bytes, OFFSET_LANDMARK_COUNT);
    if (count < 1 || count > HF_FACE_TOKEN_MAX_LANDMARKS) {
        count = HF_FACE_TOKEN_MAX_LANDMARKS;
    }
    if (get_int(bytes, OFFSET_LANDMARK_FLAG) == 0) {
        count = 0;
    }
    memcpy(info->landmarks, bytes + OFFSET_LANDMARKS, (size_t)count * 2 * sizeof(float));
    info->landmark_count = count;
    return HF_OK;
}
