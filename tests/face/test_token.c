/* Face token encoding: round trip, InspireFace's field offsets, short
 * buffers and tokens written by InspireFace (106 landmarks, no count). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "face/token.h"

static void fill_info(hf_face_info *info)
{
    memset(info, 0, sizeof(*info));
    info->track_state = 1;
    info->index = 2;
    info->track_id = -1;
    info->track_count = 1;
    info->rect = (hf_face_rect){79, 104, 168, 167};
    for (int k = 0; k < 6; k++) {
        info->transform[k] = 0.5 * k;
    }
    for (int k = 0; k < 10; k++) {
        info->key_points[k] = 100.0f + (float)k;
    }
    info->roll = -3.5f;
    info->yaw = 12.25f;
    info->pitch = 0.75f;
    for (int k = 0; k < 5; k++) {
        info->quality[k] = 2.0f;
    }
    info->landmark_count = HF_FACE_LANDMARK_COUNT;
    for (int k = 0; k < 2 * HF_FACE_LANDMARK_COUNT; k++) {
        info->landmarks[k] = 0.25f * (float)k;
    }
}

static void token_roundtrip(void **state)
{
    unsigned char bytes[HF_FACE_TOKEN_SIZE];
    hf_face_info info;
    hf_face_info back;

    (void)state;
    fill_info(&info);
    hf_face_token_encode(&info, bytes);
    assert_int_equal(hf_face_token_decode(bytes, sizeof(bytes), &back), HF_OK);
    assert_memory_equal(&info, &back, sizeof(info));
}

static void token_offsets(void **state)
{
    unsigned char bytes[HF_FACE_TOKEN_SIZE];
    hf_face_info info;
    int32_t value;
    float number;

    (void)state;
    fill_info(&info);
    hf_face_token_encode(&info, bytes);
    memcpy(&value, bytes + 8, 4);
    assert_int_equal(value, -1);
    memcpy(&value, bytes + 16, 4);
    assert_int_equal(value, 79);
    memcpy(&value, bytes + 28, 4);
    assert_int_equal(value, 167);
    memcpy(&number, bytes + 80, 4);
    assert_true(number == 100.0f);
    memcpy(&number, bytes + 124, 4);
    assert_true(number == 12.25f);
    memcpy(&number, bytes + 152 + 8, 4);
    assert_true(number == 0.5f);
    memcpy(&value, bytes + 1000, 4);
    assert_int_equal(value, 1);
    memcpy(&value, bytes + 1004, 4);
    assert_int_equal(value, HF_FACE_LANDMARK_COUNT);
}

static void token_short_buffer(void **state)
{
    unsigned char bytes[HF_FACE_TOKEN_SIZE + 8];
    hf_face_info info;

    (void)state;
    fill_info(&info);
    hf_face_token_encode(&info, bytes);
    assert_int_equal(hf_face_token_decode(bytes, HF_FACE_TOKEN_SIZE - 1, &info), HF_ERR_FORMAT);
    assert_int_equal(hf_face_token_decode(bytes, 10, &info), HF_ERR_FORMAT);
    assert_int_equal(hf_face_token_decode(NULL, HF_FACE_TOKEN_SIZE, &info), HF_ERR_INVALID_ARG);
    assert_int_equal(hf_face_token_decode(bytes, sizeof(bytes), &info), HF_OK);
}

static void token_inspireface_layout(void **state)
{
    unsigned char bytes[HF_FACE_TOKEN_SIZE];
    hf_face_info info;
    int32_t flag = 1;
    int32_t padding = 0x7f7f7f7f;
    float last = 9.5f;

    (void)state;
    memset(bytes, 0, sizeof(bytes));
    memcpy(bytes + 1000, &flag, 4);
    memcpy(bytes + 1004, &padding, 4);
    memcpy(bytes + 152 + 105 * 8, &last, 4);
    assert_int_equal(hf_face_token_decode(bytes, sizeof(bytes), &info), HF_OK);
    assert_int_equal(info.landmark_count, HF_FACE_TOKEN_MAX_LANDMARKS);
    assert_true(info.landmarks[2 * 105] == 9.5f);
}

static void token_without_landmarks(void **state)
{
    unsigned char bytes[HF_FACE_TOKEN_SIZE];
    hf_face_info info;

    (void)state;
    fill_info(&info);
    info.landmark_count = 0;
    hf_face_token_encode(&info, bytes);
    assert_int_equal(hf_face_token_decode(bytes, sizeof(bytes), &info), HF_OK);
    assert_int_equal(info.landmark_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_roundtrip),
        cmocka_unit_test(token_offsets),
        cmocka_unit_test(token_short_buffer),
        cmocka_unit_test(token_inspireface_layout),
        cmocka_unit_test(token_without_landmarks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
