#include "face/geometry.h"

#include <math.h>
#include <stddef.h>

/* The ArcFace 112x112 alignment template, in key-point order. */
static const float align_template[2 * HF_FACE_KEY_POINT_COUNT] = {
    38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f,
    71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f,
};

static float clampf(float value, float low, float high)
{
    if (value < low) {
        return low;
    }
    return value > high ? high : value;
}

hf_face_rect hf_face_square_box(const hf_face_box *box, int image_width, int image_height)
{
    float side = box->y2 - box->y1;
    float cx = 0.5f * (box->x1 + box->x2);
    float cy = 0.5f * (box->y1 + box->y2);
    float max_x = (float)(image_width - 1);
    float max_y = (float)(image_height - 1);
    int x1 = (int)clampf(cx - 0.5f * side, 0.0f, max_x);
    int y1 = (int)clampf(cy - 0.5f * side, 0.0f, max_y);
    int x2 = (int)clampf(cx + 0.5f * side, 0.0f, max_x);
    int y2 = (int)clampf(cy + 0.5f * side, 0.0f, max_y);
    hf_face_rect rect = {x1, y1, x2 > x1 ? x2 - x1 : 0, y2 > y1 ? y2 - y1 : 0};

    return rect;
}

/* Places a span of `length` centred at `centre` inside [0, limit]: a span
 * that leaves on the low side moves up, then one that leaves on the high
 * side moves down so that it ends at `limit`. */
static void place_span(float centre, float length, float limit, int *start, int *size)
{
    float low = centre - 0.5f * length;

    if (low < 0.0f) {
        low = 0.0f;
    }
    if (low + length > limit) {
        low = limit - length;
    }
    *start = low > 0.0f ? (int)low : 0;
    *size = (int)(length < limit ? length : limit);
}

hf_face_rect hf_face_scaled_crop(hf_face_rect box, float factor, int image_width,
                                 int image_height)
{
    hf_face_rect crop = {0, 0, 0, 0};
    float limit_x = (float)(image_width - 1);
    float limit_y = (float)(image_height - 1);
    float scale = factor;

    if (box.width <= 0 || box.height <= 0 || image_width < 2 || image_height < 2) {
        return crop;
    }
    if (limit_y / (float)box.height < scale) {
        scale = limit_y / (float)box.height;
    }
    if (limit_x / (float)box.width < scale) {
        scale = limit_x / (float)box.width;
    }
    place_span((float)box.x + 0.5f * (float)box.width, (float)box.width * scale, limit_x,
               &crop.x, &crop.width);
    place_span((float)box.y + 0.5f * (float)box.height, (float)box.height * scale, limit_y,
               &crop.y, &crop.height);
    return crop;
}

hf_face_rect hf_face_pose_crop(hf_face_rect box, int image_width, int image_height)
{
    int x1 = box.x - box.width / 4;
    int y1 = box.y - box.height / 4;
    int x2 = box.x + box.width + box.width / 4;
    int y2 = box.y + box.height + box.height / 4;
    hf_face_rect crop;

    x1 = x1 < 0 ? 0 : x1;
    y1 = y1 < 0 ? 0 : y1;
    x2 = x2 > image_width ? image_width : x2;
    y2 = y2 > image_height ? image_height : y2;
    crop.x = x1;
    crop.y = y1;
    crop.width = x2 > x1 ? x2 - x1 : 0;
    crop.height = y2 > y1 ? y2 - y1 : 0;
    return crop;
}

static void mean_of(const float *landmarks, const int *indices, int count, float *point)
{
    float sum_x = 0.0f;
    float sum_y = 0.0f;

    for (int i = 0; i < count; i++) {
        sum_x += landmarks[2 * indices[i]];
        sum_y += landmarks[2 * indices[i] + 1];
    }
    point[0] = sum_x / (float)count;
    point[1] = sum_y / (float)count;
}

void hf_face_five_points(const float *landmarks68, float points[2 * HF_FACE_KEY_POINT_COUNT])
{
    static const int left_eye[4] = {37, 38, 40, 41};
    static const int right_eye[4] = {43, 44, 46, 47};
    static const int nose[1] = {30};
    static const int left_mouth[2] = {48, 60};
    static const int right_mouth[2] = {54, 64};

    mean_of(landmarks68, left_eye, 4, points);
    mean_of(landmarks68, right_eye, 4, points + 2);
    mean_of(landmarks68, nose, 1, points + 4);
    mean_of(landmarks68, left_mouth, 2, points + 6);
    mean_of(landmarks68, right_mouth, 2, points + 8);
}

/* For a similarity x' = a x - b y + tx, y' = b x + a y + ty, the least-squares
 * a and b have a closed form on centred points; this is Umeyama's solution,
 * which is a proper rotation by construction. */
hf_status hf_face_similarity_fit(const float *src, const float *dst, int count, float matrix[6])
{
    double src_mean[2] = {0.0, 0.0};
    double dst_mean[2] = {0.0, 0.0};
    double dot = 0.0;
    double cross = 0.0;
    double norm = 0.0;

    if (count < 2) {
        return HF_ERR_INVALID_ARG;
    }
    for (int i = 0; i < count; i++) {
        src_mean[0] += src[2 * i];
        src_mean[1] += src[2 * i + 1];
        dst_mean[0] += dst[2 * i];
        dst_mean[1] += dst[2 * i + 1];
    }
    for (int k = 0; k < 2; k++) {
        src_mean[k] /= count;
        dst_mean[k] /= count;
    }
    for (int i = 0; i < count; i++) {
        double sx = src[2 * i] - src_mean[0];
        double sy = src[2 * i + 1] - src_mean[1];
        double dx = dst[2 * i] - dst_mean[0];
        double dy = dst[2 * i + 1] - dst_mean[1];

        dot += sx * dx + sy * dy;
        cross += sx * dy - sy * dx;
        norm += sx * sx + sy * sy;
    }
    if (!(norm > 1e-12) || !isfinite(dot) || !isfinite(cross)) {
        return HF_ERR_INVALID_ARG;
    }

    double a = dot / norm;
    double b = cross / norm;

    matrix[0] = (float)a;
    matrix[1] = (float)-b;
    matrix[2] = (float)(dst_mean[0] - a * src_mean[0] + b * src_mean[1]);
    matrix[3] = (float)b;
    matrix[4] = (float)a;
    matrix[5] = (float)(dst_mean[1] - b * src_mean[0] - a * src_mean[1]);
    return HF_OK;
}

hf_status hf_face_align_matrix(const float points[2 * HF_FACE_KEY_POINT_COUNT], float matrix[6])
{
    return hf_face_similarity_fit(points, align_template, HF_FACE_KEY_POINT_COUNT, matrix);
}

hf_status hf_face_affine_invert(const float matrix[6], float inverse[6])
{
    double det = (double)matrix[0] * matrix[4] - (double)matrix[1] * matrix[3];

    if (!isfinite(det) || fabs(det) < 1e-12) {
        return HF_ERR_INVALID_ARG;
    }

    double a = matrix[4] / det;
    double b = -matrix[1] / det;
    double c = -matrix[3] / det;
    double d = matrix[0] / det;

    inverse[0] = (float)a;
    inverse[1] = (float)b;
    inverse[2] = (float)(-a * matrix[2] - b * matrix[5]);
    inverse[3] = (float)c;
    inverse[4] = (float)d;
    inverse[5] = (float)(-c * matrix[2] - d * matrix[5]);
    return HF_OK;
}

float hf_face_pose_decode(const float *logits)
{
    float max_logit = logits[0];
    double sum = 0.0;
    double weighted = 0.0;

    for (int i = 1; i < HF_FACE_POSE_BINS; i++) {
        max_logit = logits[i] > max_logit ? logits[i] : max_logit;
    }
    for (int i = 0; i < HF_FACE_POSE_BINS; i++) {
        double p = exp((double)(logits[i] - max_logit));

        sum += p;
        weighted += p * i;
    }
    return (float)(3.0 * weighted / sum - 99.0);
}

float hf_face_box_iou(const hf_face_box *a, const hf_face_box *b)
{
    float ix1 = a->x1 > b->x1 ? a->x1 : b->x1;
    float iy1 = a->y1 > b->y1 ? a->y1 : b->y1;
    float ix2 = a->x2 < b->x2 ? a->x2 : b->x2;
    float iy2 = a->y2 < b->y2 ? a->y2 : b->y2;
    float area_a = (a->x2 - a->x1) * (a->y2 - a->y1);
    float area_b = (b->x2 - b->x1) * (b->y2 - b->y1);
    float inter;

    if (ix2 <= ix1 || iy2 <= iy1 || area_a <= 0.0f || area_b <= 0.0f) {
        return 0.0f;
    }
    inter = (ix2 - ix1) * (iy2 - iy1);
    return inter / (area_a + area_b - inter);
}
