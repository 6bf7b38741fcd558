/* PNG decoding and encoding through libpng. libpng reports errors by
 * longjmp to png_jmpbuf. Each entry point sets it before any other call
 * and keeps every resource it must free in a context struct. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "image/codec.h"

typedef struct png_context {
    const uint8_t *bytes;
    size_t size;
    size_t offset;
    hf_image image;
    png_bytep *rows;
} png_context;

static void on_error(png_structp png, png_const_charp message)
{
    HF_LOGE("libpng: %s", message);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message)
{
    (void)png;
    HF_LOGD("libpng: %s", message);
}

/* Reads from memory. Running past the end means the file is truncated. */
static void read_bytes(png_structp png, png_bytep data, png_size_t length)
{
    png_context *context = png_get_io_ptr(png);

    if (length > context->size - context->offset)
        png_error(png, "file is truncated");
    memcpy(data, context->bytes + context->offset, length);
    context->offset += length;
}

/* Asks libpng for 8-bit BGR whatever the stored colour type and depth. */
static void request_bgr(png_structp png, png_infop info)
{
    int color_type = png_get_color_type(png, info);

    png_set_expand(png);
    png_set_scale_16(png);
    png_set_strip_alpha(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    png_set_bgr(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
}

static hf_status decode_body(png_structp png, png_infop info, png_context *context)
{
    int width, height;
    hf_status status;

    png_set_read_fn(png, context, read_bytes);
    png_read_info(png, info);
    width = (int)png_get_image_width(png, info);
    height = (int)png_get_image_height(png, info);
    request_bgr(png, info);
    if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8) {
        HF_LOGE("PNG of %dx%d did not convert to 8-bit BGR", width, height);
        return HF_ERR_UNSUPPORTED;
    }

    status = hf_image_create(width, height, 3, &context->image);
    if (status != HF_OK)
        return status;
    context->rows = hf_malloc(sizeof(png_bytep) * (size_t)height);
    if (context->rows == NULL)
        return HF_ERR_NO_MEMORY;
    for (int y = 0; y < height; y++)
        context->rows[y] = context->image.data + (size_t)y * context->image.stride;
    png_read_image(png, context->rows);
    png_read_end(png, NULL);
    return HF_OK;
}

hf_status hf_image_png_decode(const uint8_t *bytes, size_t size, hf_image *out)
{
    png_context context = {.bytes = bytes, .size = size};
    png_structp png;
    png_infop info;
    hf_status status = HF_ERR_NO_MEMORY;

    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL)
        goto cleanup;
    /* Keep a corrupt header from making libpng allocate gigabytes. */
    png_set_user_limits(png, HF_IMAGE_MAX_SIDE, HF_IMAGE_MAX_SIDE);
    if (setjmp(png_jmpbuf(png))) {
        status = HF_ERR_FORMAT;
        goto cleanup;
    }
    status = decode_body(png, info, &context);

cleanup:
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    hf_free(context.rows);
    if (status != HF_OK) {
        hf_image_release(&context.image);
        return status;
    }
    *out = context.image;
    return HF_OK;
}

static void encode_body(png_structp png, png_infop info, const hf_image *image, FILE *file)
{
    int color_type = image->channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB;

    png_init_io(png, file);
    png_set_IHDR(png, info, (png_uint_32)image->width, (png_uint_32)image->height, 8,
                 color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (image->channels == 3)
        png_set_bgr(png);
    for (int y = 0; y < image->height; y++)
        png_write_row(png, image->data + (size_t)y * image->stride);
    png_write_end(png, NULL);
}

hf_status hf_image_png_encode(const hf_image *image, FILE *file)
{
    png_structp png;
    png_infop info;
    hf_status status = HF_ERR_NO_MEMORY;

    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL)
        goto cleanup;
    if (setjmp(png_jmpbuf(png))) {
        status = HF_ERR_IO;
        goto cleanup;
    }
    encode_body(png, info, image, file);
    status = HF_OK;

cleanup:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    return status;
}
