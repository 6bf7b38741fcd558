/* Landmarks and head pose of one detected face, both cropped from the
 * square box around the detection. */
#include <math.h>

#include "base/alloc.h"
#include "base/log.h"
#include "face/session_internal.h"

hf_status hf_face_crop_to_input(const hf_face_pixels *upright, hf_face_rect crop,
                                const hf_face_stage *stage, int grey, float *input)
{
    int width = stage->input_width;
    int height = stage->input_height;
    size_t count = (size_t)width * height;
    uint8_t *pixels = hf_malloc(count * 4);
    hf_status status;

    if (pixels == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = hf_face_resize_region(upright, crop, pixels, width, height);
    if (status == HF_OK && grey) {
        uint8_t *values = pixels + count * 3;

        float table[256];

        /* fr_landmark takes grey values divided by 256 (not 255). */
        hf_face_normalize_table(&stage->normalize, 1, table);
        hf_face_bgr_to_grey(pixels, (int)count, values);
        for (size_t i = 0; i < count; i++) {
            input[i] = table[values[i]];
        }
    } else if (status == HF_OK) {
        hf_face_to_planes(pixels, width, height, &stage->normalize, 3, input);
    }
    hf_free(pixels);
    return status;
}

static int all_finite(const float *values, int count)
{
    for (int i = 0; i < count; i++) {
        if (!isfinite(values[i])) {
            return 0;
        }
    }
    return 1;
}

hf_status hf_face_landmarks_run(hf_face_session *session, const hf_face_pixels *upright,
                                const hf_face_box *box, float *landmarks)
{
    hf_face_stage *stage = &session->landmark;
    hf_face_rect square = hf_face_square_box(box, upright->width, upright->height);
    hf_face_rect crop = hf_face_scaled_crop(square, 1.0f, upright->width, upright->height);
    hf_rt_shape shape;
    const float *output;
    hf_status status;

    if (crop.width < 2 || crop.height < 2) {
        return HF_ERR_RANGE;
    }
    status = hf_face_crop_to_input(upright, crop, stage, 1, hf_rt_instance_input(stage->instance, 0));
    if (status == HF_OK) {
        status = hf_face_stage_run(stage);
    }
    if (status != HF_OK) {
        return status;
    }
    output = hf_rt_instance_output(stage->instance, 0, &shape);
    if (output == NULL || hf_rt_shape_elements(&shape) != 2 * HF_FACE_LANDMARK_COUNT) {
        HF_LOGE("landmark model output has %lld values, expected %d",
                output ? (long long)hf_rt_shape_elements(&shape) : 0LL,
                2 * HF_FACE_LANDMARK_COUNT);
        return HF_ERR_FORMAT;
    }
    if (!all_finite(output, 2 * HF_FACE_LANDMARK_COUNT)) {
        return HF_ERR_RANGE;
    }
    for (int i = 0; i < HF_FACE_LANDMARK_COUNT; i++) {
        landmarks[2 * i] = output[2 * i] * (float)crop.width + (float)crop.x;
        landmarks[2 * i + 1] = output[2 * i + 1] * (float)crop.height + (float)crop.y;
    }
    return HF_OK;
}

hf_status hf_face_pose_run(hf_face_session *session, const hf_face_pixels *upright,
                           const hf_face_box *box, float angles[3])
{
    hf_face_stage *stage = &session->pose;
    hf_face_rect square = hf_face_square_box(box, upright->width, upright->height);
    hf_face_rect crop = hf_face_pose_crop(square, upright->width, upright->height);
    const float *outputs[3];
    hf_status status;

    if (crop.width < 2 || crop.height < 2) {
        return HF_ERR_RANGE;
    }
    status = hf_face_crop_to_input(upright, crop, stage, 0, hf_rt_instance_input(stage->instance, 0));
    if (status == HF_OK) {
        status = hf_face_stage_run(stage);
    }
    if (status != HF_OK) {
        return status;
    }
    /* Outputs in graph order: yaw, pitch, roll, 66 bin logits each. */
    for (int k = 0; k < 3; k++) {
        hf_rt_shape shape;

        outputs[k] = hf_rt_instance_output(stage->instance, k, &shape);
        if (outputs[k] == NULL || hf_rt_shape_elements(&shape) != HF_FACE_POSE_BINS ||
            !all_finite(outputs[k], HF_FACE_POSE_BINS)) {
            HF_LOGE("pose model output %d is missing or not %d finite values", k,
                    HF_FACE_POSE_BINS);
            return HF_ERR_FORMAT;
        }
    }
    /* The model's yaw is positive for faces turned to the image left, the
     * opposite of InspireFace's convention. */
    angles[0] = hf_face_pose_decode(outputs[2]);
    angles[1] = -hf_face_pose_decode(outputs[0]);
    angles[2] = hf_face_pose_decode(outputs[1]);
    return HF_OK;
}
