/* Writing images to files, with the codec chosen by the file extension. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "image/codec.h"

#define JPEG_QUALITY 95

static hf_image_codec codec_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return HF_IMAGE_CODEC_UNKNOWN;
    if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
        return HF_IMAGE_CODEC_JPEG;
    if (strcasecmp(dot, ".png") == 0)
        return HF_IMAGE_CODEC_PNG;
    if (strcasecmp(dot, ".bmp") == 0)
        return HF_IMAGE_CODEC_BMP;
    return HF_IMAGE_CODEC_UNKNOWN;
}

hf_status hf_image_write_file(const hf_image *image, const char *path)
{
    hf_image_codec codec;
    hf_status status;
    FILE *file;

    if (path == NULL || image == NULL || image->data == NULL
        || (image->channels != 1 && image->channels != 3)) {
        HF_LOGE("invalid image write request for path %s", path ? path : "(null)");
        return HF_ERR_INVALID_ARG;
    }
    codec = codec_from_path(path);
    if (codec == HF_IMAGE_CODEC_UNKNOWN) {
        HF_LOGE("cannot write %s: the extension must be .png, .jpg, .jpeg or .bmp", path);
        return HF_ERR_UNSUPPORTED;
    }
    file = fopen(path, "wb");
    if (file == NULL) {
        HF_LOGE("cannot open %s for writing: %s", path, strerror(errno));
        return HF_ERR_IO;
    }
    if (codec == HF_IMAGE_CODEC_JPEG)
        status = hf_image_jpeg_encode(image, file, JPEG_QUALITY);
    else if (codec == HF_IMAGE_CODEC_PNG)
        status = hf_image_png_encode(image, file);
    else
        status = hf_image_bmp_encode(image, file);
    if (fclose(file) != 0 && status == HF_OK)
        status = HF_ERR_IO;
    if (status != HF_OK) {
        HF_LOGE("writing %s failed", path);
        remove(path);
    }
    return status;
}
