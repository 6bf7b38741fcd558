/* Adapters from the image stream and the launched pack to the face module.
 * NOTE: the image stream accessor and the pack reader are not in this tree
 * yet, so every stream reports no usable image and no pack is ever
 * launched; sessions cannot be created until both adapters are filled in. */
#include "api/api_internal.h"
#include "api/face_session.h"

hf_status hf_api_stream_frame(HFImageStream stream, hf_face_frame *frame, void **storage)
{
    (void)stream;
    (void)frame;
    *storage = NULL;
    return HF_ERR_UNSUPPORTED;
}

void hf_api_frame_release(void *storage)
{
    (void)storage;
}

hf_status hf_api_pack_acquire(hf_face_pack_spec *spec, void **pack)
{
    hf_face_pack_spec_default(spec);
    *pack = NULL;
    return HF_ERR_STATE;
}

void hf_api_pack_release(void *pack)
{
    (void)pack;
}
