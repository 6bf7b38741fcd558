/* JPEG decoding and encoding through libjpeg(-turbo). libjpeg reports
 * fatal errors through error_exit, which must not return: ours longjmps
 * back to the call that started the work, which then frees what it owns. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "base/log.h"
#include "image/codec.h"

#define EXIF_MARKER (JPEG_APP0 + 1)

typedef struct jpeg_context {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    hf_image image; /* the decoded image */
    int orientation;
} jpeg_context;

static void on_error(j_common_ptr info)
{
    jpeg_context *context = (jpeg_context *)info->err;
    char message[JMSG_LENGTH_MAX];

    info->err->format_message(info, message);
    HF_LOGE("libjpeg: %s", message);
    longjmp(context->jump, 1);
}

/* libjpeg only warns when the data ends early and decodes grey padding,
 * but a truncated file is an error here. Other warnings are ignored. */
static void on_message(j_common_ptr info, int level)
{
    if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF)
        on_error(info);
}

static void init_errors(jpeg_context *context)
{
    jpeg_std_error(&context->manager);
    context->manager.error_exit = on_error;
    context->manager.emit_message = on_message;
}

static int read_orientation(j_decompress_ptr info)
{
    for (jpeg_saved_marker_ptr marker = info->marker_list; marker; marker = marker->next) {
        if (marker->marker == EXIF_MARKER) {
            int orientation = hf_image_exif_orientation(marker->data, marker->data_length);

            if (orientation != 1)
                return orientation;
        }
    }
    return 1;
}

/* Adobe CMYK JPEGs store inverted ink values, so 255 means no ink. */
static void cmyk_row_to_bgr(const uint8_t *cmyk, int width, uint8_t *bgr)
{
    for (int x = 0; x < width; x++, cmyk += 4, bgr += 3) {
        int k = cmyk[3];

        bgr[0] = (uint8_t)((cmyk[2] * k + 127) / 255);
        bgr[1] = (uint8_t)((cmyk[1] * k + 127) / 255);
        bgr[2] = (uint8_t)((cmyk[0] * k + 127) / 255);
    }
}

/* Runs every step that may longjmp. The image lives in `context` so the
 * caller can free it after a jump. */
static hf_status decode_body(j_decompress_ptr info, jpeg_context *context, const uint8_t *bytes,
                             size_t size)
{
    int cmyk;
    uint8_t *cmyk_row = NULL;
    hf_status status;

    jpeg_mem_src(info, bytes, (unsigned long)size);
    jpeg_save_markers(info, EXIF_MARKER, 0xFFFF);
    jpeg_read_header(info, TRUE);
    context->orientation = read_orientation(info);
    cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
    info->out_color_space = cmyk ? JCS_CMYK : JCS_EXT_BGR;
    jpeg_start_decompress(info);

    status = hf_image_create((int)info->output_width, (int)info->output_height, 3,
                             &context->image);
    if (status != HF_OK)
        return status;
    if (cmyk) {
        /* Allocated from libjpeg's pool so a longjmp cannot leak it. */
        cmyk_row = (*info->mem->alloc_small)((j_common_ptr)info, JPOOL_IMAGE,
                                             (size_t)info->output_width * 4);
    }
    while (info->output_scanline < info->output_height) {
        uint8_t *row = context->image.data + (size_t)info->output_scanline * context->image.stride;
        JSAMPROW target = cmyk ? cmyk_row : row;

        jpeg_read_scanlines(info, &target, 1);
        if (cmyk)
            cmyk_row_to_bgr(cmyk_row, (int)info->output_width, row);
    }
    jpeg_finish_decompress(info);
    return HF_OK;
}

hf_status hf_image_jpeg_decode(const uint8_t *bytes, size_t size, hf_image *out)
{
    struct jpeg_decompress_struct info;
    jpeg_context context;
    hf_status status;

    memset(&context, 0, sizeof(context));
    memset(&info, 0, sizeof(info));
    info.err = &context.manager;
    init_errors(&context);
    if (setjmp(context.jump)) {
        jpeg_destroy_decompress(&info);
        hf_image_release(&context.image);
        return HF_ERR_FORMAT;
    }
    jpeg_create_decompress(&info);
    status = decode_body(&info, &context, bytes, size);
    jpeg_destroy_decompress(&info);
    if (status != HF_OK) {
        hf_image_release(&context.image);
        return status;
    }

    if (context.orientation != 1) {
        hf_image turned;

        status = hf_image_orient(&context.image, context.orientation, &turned);
        hf_image_release(&context.image);
        if (status != HF_OK)
            return status;
        context.image = turned;
    }
    *out = context.image;
    return HF_OK;
}

static void encode_body(j_compress_ptr info, const hf_image *image, FILE *file, int quality)
{
    jpeg_stdio_dest(info, file);
    info->image_width = (JDIMENSION)image->width;
    info->image_height = (JDIMENSION)image->height;
    info->input_components = image->channels;
    info->in_color_space = image->channels == 1 ? JCS_GRAYSCALE : JCS_EXT_BGR;
    jpeg_set_defaults(info);
    jpeg_set_quality(info, quality, TRUE);
    jpeg_start_compress(info, TRUE);
    while (info->next_scanline < info->image_height) {
        JSAMPROW row = image->data + (size_t)info->next_scanline * image->stride;

        jpeg_write_scanlines(info, &row, 1);
    }
    jpeg_finish_compress(info);
}

hf_status hf_image_jpeg_encode(const hf_image *image, FILE *file, int quality)
{
    struct jpeg_compress_struct info;
    jpeg_context context;

    memset(&context, 0, sizeof(context));
    memset(&info, 0, sizeof(info));
    info.err = &context.manager;
    init_errors(&context);
    if (setjmp(context.jump)) {
        jpeg_destroy_compress(&info);
        return HF_ERR_IO;
    }
    jpeg_create_compress(&info);
    encode_body(&info, image, file, quality);
    jpeg_destroy_compress(&info);
    return HF_OK;
}
