/* Launching the pack, opening images and extracting the central face. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_pack_path(const cli_options *options)
{
    const char *path = options->pack;

    if (path == NULL) {
        path = getenv("INSPIREFACE_PACK");
    }
    if (path == NULL || path[0] == '\0') {
        path = HF_CLI_DEFAULT_PACK;
    }
    return path;
}

int cli_launch(const cli_options *options)
{
    const char *path = cli_pack_path(options);
    HResult code;

    HFSetLogLevel(HF_LOG_ERROR);
    code = HFLaunchInspireFace(path);
    if (code != HSUCCEED) {
        fprintf(stderr,
                "inspireface: cannot load the model pack %s (error %ld); build it with "
                "tools/pack/build-pack.sh or name one with --pack or INSPIREFACE_PACK\n",
                path, (long)code);
        return CLI_EXIT_PACK;
    }
    return CLI_EXIT_OK;
}

int cli_session(HOption features, int max_faces, HFSession *session)
{
    HResult code = HFCreateInspireFaceSessionOptional(features, HF_DETECT_MODE_ALWAYS_DETECT,
                                                      max_faces, -1, -1, session);

    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: cannot create a session (error %ld)\n", (long)code);
        return CLI_EXIT_PACK;
    }
    return CLI_EXIT_OK;
}

int cli_image_open(const char *path, cli_image *image)
{
    HFImageBitmapData data;
    HResult code;

    memset(image, 0, sizeof(*image));
    code = HFCreateImageBitmapFromFilePath(path, 3, &image->bitmap);
    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: cannot read image %s (error %ld)\n", path, (long)code);
        return CLI_EXIT_FAILED;
    }
    code = HFCreateImageStreamFromImageBitmap(image->bitmap, HF_CAMERA_ROTATION_0,
                                              &image->stream);
    if (code == HSUCCEED) {
        code = HFImageBitmapGetData(image->bitmap, &data);
    }
    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: cannot use image %s (error %ld)\n", path, (long)code);
        cli_image_close(image);
        return CLI_EXIT_FAILED;
    }
    image->width = data.width;
    image->height = data.height;
    return CLI_EXIT_OK;
}

void cli_image_close(cli_image *image)
{
    if (image->stream != NULL) {
        HFReleaseImageStream(image->stream);
    }
    if (image->bitmap != NULL) {
        HFReleaseImageBitmap(image->bitmap);
    }
    memset(image, 0, sizeof(*image));
}

/* Index of the face whose rectangle centre is nearest the image centre. */
static int central_face(const HFMultipleFaceData *faces, int width, int height)
{
    int best = 0;
    double best_distance = INFINITY;

    for (int i = 0; i < faces->detectedNum; i++) {
        const HFaceRect *rect = &faces->rects[i];
        double dx = rect->x + 0.5 * rect->width - 0.5 * width;
        double dy = rect->y + 0.5 * rect->height - 0.5 * height;
        double distance = dx * dx + dy * dy;

        if (distance < best_distance) {
            best_distance = distance;
            best = i;
        }
    }
    return best;
}

int cli_central_feature(HFSession session, const char *path, float *feature, int quiet)
{
    HFMultipleFaceData faces;
    cli_image image;
    HResult code;
    int status = CLI_EXIT_FAILED;

    if (cli_image_open(path, &image) != CLI_EXIT_OK) {
        return CLI_EXIT_FAILED;
    }
    code = HFExecuteFaceTrack(session, image.stream, &faces);
    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: detection failed on %s (error %ld)\n", path, (long)code);
    } else if (faces.detectedNum == 0) {
        if (!quiet) {
            fprintf(stderr, "inspireface: no face found in %s\n", path);
        }
    } else {
        int index = central_face(&faces, image.width, image.height);

        code = HFFaceFeatureExtractCpy(session, image.stream, faces.tokens[index], feature);
        if (code == HSUCCEED) {
            status = CLI_EXIT_OK;
        } else {
            fprintf(stderr, "inspireface: feature extraction failed on %s (error %ld)\n", path,
                    (long)code);
        }
    }
    cli_image_close(&image);
    return status;
}
