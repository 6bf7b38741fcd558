/* The object behind an HFImageStream handle, for the API files that take
 * streams (track, feature, pipeline). Render it with
 * hf_image_stream_upright and map results back with
 * hf_image_stream_to_buffer (src/image/image.h). */
#ifndef HF_API_STREAM_H
#define HF_API_STREAM_H

#include "inspireface.h"

#include "image/image.h"

/* Returns the stream of a live handle, or NULL for NULL, released or
 * foreign handles. The stream has data NULL until it has a buffer. */
hf_image_stream *hf_api_stream_get(HFImageStream handle);

#endif
