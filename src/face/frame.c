/* Mapping between the upright view of a frame and the buffer it came from.
 * A buffer turned k quarter turns clockwise is read back upright as: 90:
 * (x, y) = (w-1-v, u), 180: (w-1-u, h-1-v), 270: (v, h-1-u). */
#include "face/face.h"

void hf_face_frame_to_buffer(const hf_face_frame *frame, float u, float v, float *x, float *y)
{
    float last_x = (float)(frame->buffer_width - 1);
    float last_y = (float)(frame->buffer_height - 1);

    switch (frame->quarter_turns & 3) {
    case 1: *x = last_x - v; *y = u; break;
    case 2: *x = last_x - u; *y = last_y - v; break;
    case 3: *x = v; *y = last_y - u; break;
    default: *x = u; *y = v; break;
    }
}

void hf_face_frame_to_upright(const hf_face_frame *frame, float x, float y, float *u, float *v)
{
    float last_x = (float)(frame->buffer_width - 1);
    float last_y = (float)(frame->buffer_height - 1);

    switch (frame->quarter_turns & 3) {
    case 1: *u = y; *v = last_x - x; break;
    case 2: *u = last_x - x; *v = last_y - y; break;
    case 3: *u = last_y - y; *v = x; break;
    default: *u = x; *v = y; break;
    }
}
