/* The always-detect track call: detection, then landmarks, key points and
 * pose for each face, packed into the session's result arrays and tokens,
 * with every position mapped to the buffer's grid. */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "face/session_internal.h"

#define QUALITY_NOT_COMPUTED 2.0f

/* Reported face rectangle in upright coordinates: the square box the models
 * crop from (side = detector box height), clipped to the frame. InspireFace
 * reports its 106-point landmark box, which reaches the forehead; the
 * 68-point box stops at the brows. On kun.jpg the square box overlaps
 * InspireFace's expected box (79, 104, 168, 167) with IoU 0.87 where the
 * 68-point box reaches 0.64. */
static void face_rect(const hf_face_box *box, const hf_face_pixels *upright, float corners[4])
{
    float side = box->y2 - box->y1;
    float cx = 0.5f * (box->x1 + box->x2);
    float cy = 0.5f * (box->y1 + box->y2);

    corners[0] = fmaxf(0.0f, cx - 0.5f * side);
    corners[1] = fmaxf(0.0f, cy - 0.5f * side);
    corners[2] = fminf((float)upright->width, cx + 0.5f * side);
    corners[3] = fminf((float)upright->height, cy + 0.5f * side);
}

/* Maps an upright rectangle (edge coordinates) to the buffer, clipped to it:
 * the centres of its first and last pixels are mapped, then widened by half
 * a pixel again. */
static hf_face_rect rect_to_buffer(const hf_face_frame *frame, const float corners[4])
{
    float ax;
    float ay;
    float bx;
    float by;
    hf_face_rect rect;

    hf_face_frame_to_buffer(frame, corners[0] + 0.5f, corners[1] + 0.5f, &ax, &ay);
    hf_face_frame_to_buffer(frame, corners[2] - 0.5f, corners[3] - 0.5f, &bx, &by);

    float x1 = fmaxf(0.0f, fminf(ax, bx) - 0.5f);
    float y1 = fmaxf(0.0f, fminf(ay, by) - 0.5f);
    float x2 = fminf((float)frame->buffer_width, fmaxf(ax, bx) + 0.5f);
    float y2 = fminf((float)frame->buffer_height, fmaxf(ay, by) + 0.5f);

    rect.x = (int)lroundf(x1);
    rect.y = (int)lroundf(y1);
    rect.width = x2 > x1 ? (int)lroundf(x2 - x1) : 0;
    rect.height = y2 > y1 ? (int)lroundf(y2 - y1) : 0;
    return rect;
}

static hf_status analyse_face(hf_face_session *session, const hf_face_frame *frame,
                              const hf_face_box *box, hf_face_info *info)
{
    float landmarks[2 * HF_FACE_LANDMARK_COUNT];
    float points[2 * HF_FACE_KEY_POINT_COUNT];
    float corners[4];
    float angles[3] = {0.0f, 0.0f, 0.0f};
    hf_status status = hf_face_landmarks_run(session, &frame->upright, box, landmarks);

    if (status == HF_OK && session->pose.instance != NULL) {
        status = hf_face_pose_run(session, &frame->upright, box, angles);
    }
    if (status != HF_OK) {
        return status;
    }
    hf_face_five_points(landmarks, points);
    face_rect(box, &frame->upright, corners);

    memset(info, 0, sizeof(*info));
    info->track_state = 1;
    info->track_id = -1;
    info->track_count = 1;
    info->rect = rect_to_buffer(frame, corners);
    info->roll = angles[0];
    info->yaw = angles[1];
    info->pitch = angles[2];
    for (int i = 0; i < HF_FACE_KEY_POINT_COUNT; i++) {
        hf_face_frame_to_buffer(frame, points[2 * i], points[2 * i + 1], &info->key_points[2 * i],
                                &info->key_points[2 * i + 1]);
        info->quality[i] = QUALITY_NOT_COMPUTED;
    }
    info->landmark_count = HF_FACE_LANDMARK_COUNT;
    for (int i = 0; i < HF_FACE_LANDMARK_COUNT; i++) {
        hf_face_frame_to_buffer(frame, landmarks[2 * i], landmarks[2 * i + 1],
                                &info->landmarks[2 * i], &info->landmarks[2 * i + 1]);
    }
    return HF_OK;
}

static void store_face(hf_face_results *results, int index, const hf_face_info *info,
                       float score)
{
    hf_face_info indexed = *info;

    indexed.index = index;
    results->rects[index] = info->rect;
    results->track_ids[index] = info->track_id;
    results->track_counts[index] = info->track_count;
    results->scores[index] = score;
    results->roll[index] = info->roll;
    results->yaw[index] = info->yaw;
    results->pitch[index] = info->pitch;
    hf_face_token_encode(&indexed, results->tokens + (size_t)index * HF_FACE_TOKEN_SIZE);
}

hf_status hf_face_session_detect(hf_face_session *session, const hf_face_frame *frame,
                                 const hf_face_results **results)
{
    int capacity = session->settings.max_faces > 0 ? session->settings.max_faces : 1;
    hf_face_box *boxes = hf_malloc((size_t)capacity * sizeof(*boxes));
    hf_face_info *info = hf_malloc(sizeof(*info));
    int found = 0;
    int kept = 0;
    hf_status status = boxes && info ? HF_OK : HF_ERR_NO_MEMORY;

    session->results.count = 0;
    if (status == HF_OK) {
        status = hf_face_detect_run(session, &frame->upright, boxes, capacity, &found);
    }
    if (status == HF_OK) {
        status = hf_face_results_reserve(session, found);
    }
    for (int i = 0; status == HF_OK && i < found; i++) {
        hf_status face_status = analyse_face(session, frame, &boxes[i], info);

        /* A face too small or too close to the edge to crop is skipped. */
        if (face_status == HF_ERR_RANGE) {
            continue;
        }
        status = face_status;
        if (status == HF_OK) {
            store_face(&session->results, kept++, info, boxes[i].score);
        }
    }
    if (status == HF_OK) {
        session->results.count = kept;
        *results = &session->results;
    }
    hf_free(boxes);
    hf_free(info);
    return status;
}
