/* Adapters from the image stream and the launched pack to the face module. */
#include "api/api_internal.h"
#include "api/face_session.h"
#include "api/launch.h"
#include "api/stream.h"
#include "base/alloc.h"
#include "image/image.h"

hf_status hf_api_stream_frame(HFImageStream handle, hf_face_frame *frame, void **storage)
{
    hf_image_stream *stream = hf_api_stream_get(handle);
    hf_image *upright;
    hf_status status;

    *storage = NULL;
    if (stream == NULL || stream->data == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    upright = hf_calloc(1, sizeof(*upright));
    if (upright == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = hf_image_stream_upright(stream, upright);
    if (status != HF_OK) {
        hf_free(upright);
        return status;
    }
    frame->upright = (hf_face_pixels){upright->data, upright->width, upright->height,
                                      upright->stride, 3};
    frame->buffer_width = stream->width;
    frame->buffer_height = stream->height;
    frame->quarter_turns = stream->rotation;
    *storage = upright;
    return HF_OK;
}

hf_status hf_api_stream_buffer(HFImageStream handle, hf_face_pixels *pixels, void **storage)
{
    hf_image_stream *stream = hf_api_stream_get(handle);
    hf_image *image;
    hf_status status;

    *storage = NULL;
    if (stream == NULL || stream->data == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    image = hf_calloc(1, sizeof(*image));
    if (image == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    status = hf_image_stream_render(stream, 0, 1.0f, image);
    if (status != HF_OK) {
        hf_free(image);
        return status;
    }
    *pixels = (hf_face_pixels){image->data, image->width, image->height, image->stride, 3};
    *storage = image;
    return HF_OK;
}

void hf_api_frame_release(void *storage)
{
    hf_image_release(storage);
    hf_free(storage);
}

hf_status hf_api_pack_acquire(hf_face_pack_spec *spec, void **handle)
{
    hf_pack *pack = NULL;
    hf_status status;

    *handle = NULL;
    hf_face_pack_spec_default(spec);
    if (hf_launch_acquire(&pack) != HF_OK) {
        return HF_ERR_STATE;
    }
    status = hf_launch_face_spec(pack, spec);
    if (status != HF_OK) {
        hf_face_pack_spec_default(spec);
        hf_pack_release(pack);
        return status;
    }
    *handle = pack;
    return HF_OK;
}

void hf_api_pack_release(void *pack)
{
    hf_pack_release(pack);
}
