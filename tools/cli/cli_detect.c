/* inspireface detect: faces, scores, key points and pose per image, as text
 * or JSON, optionally drawn onto a copy of the image. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_face_text(const HFMultipleFaceData *faces, int index, const HPoint2f *points)
{
    const HFaceRect *rect = &faces->rects[index];

    printf("  face %d: box x=%d y=%d w=%d h=%d score=%.3f\n", index, rect->x, rect->y,
           rect->width, rect->height, faces->detConfidence[index]);
    printf("    key points:");
    for (int k = 0; k < 5; k++) {
        printf(" (%.1f, %.1f)", points[k].x, points[k].y);
    }
    printf("\n    pose: yaw=%.1f pitch=%.1f roll=%.1f\n", faces->angles.yaw[index],
           faces->angles.pitch[index], faces->angles.roll[index]);
}

/* Returns the length of the UTF-8 sequence at `text`, or 0 for an invalid
 * lead byte, a stray continuation byte or a truncated sequence. */
static int utf8_length(const unsigned char *text)
{
    int length;

    if (text[0] < 0xC2 || text[0] > 0xF4) {
        return 0;
    }
    if (text[0] >= 0xF0) {
        length = 4;
    } else if (text[0] >= 0xE0) {
        length = 3;
    } else {
        length = 2;
    }
    for (int i = 1; i < length; i++) {
        if ((text[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

/* Prints `text` as a JSON string. File names may contain quotes, control
 * characters and bytes that are not UTF-8, which become U+FFFD. */
static void print_json_string(const char *text)
{
    const unsigned char *c = (const unsigned char *)text;

    putchar('"');
    while (*c != '\0') {
        int length = *c < 0x80 ? 1 : utf8_length(c);

        if (*c == '"' || *c == '\\') {
            printf("\\%c", *c);
        } else if (*c < 0x20) {
            printf("\\u%04x", *c);
        } else if (length == 0) {
            printf("\\ufffd");
            length = 1;
        } else {
            fwrite(c, 1, (size_t)length, stdout);
        }
        c += length;
    }
    putchar('"');
}

static void print_face_json(const HFMultipleFaceData *faces, int index, const HPoint2f *points)
{
    const HFaceRect *rect = &faces->rects[index];

    printf("%s{\"box\": {\"x\": %d, \"y\": %d, \"width\": %d, \"height\": %d}, "
           "\"score\": %.4f, \"key_points\": [",
           index ? ", " : "", rect->x, rect->y, rect->width, rect->height,
           faces->detConfidence[index]);
    for (int k = 0; k < 5; k++) {
        printf("%s[%.2f, %.2f]", k ? ", " : "", points[k].x, points[k].y);
    }
    printf("], \"pose\": {\"yaw\": %.2f, \"pitch\": %.2f, \"roll\": %.2f}}",
           faces->angles.yaw[index], faces->angles.pitch[index], faces->angles.roll[index]);
}

static void draw_face(HFImageBitmap bitmap, const HFMultipleFaceData *faces, int index,
                      const HPoint2f *points)
{
    /* Colours go to channels 0, 1, 2 of the BGR bitmap: green box, red points. */
    HColor green = {0.0f, 255.0f, 0.0f};
    HColor red = {0.0f, 0.0f, 255.0f};

    HFImageBitmapDrawRect(bitmap, faces->rects[index], green, 2);
    for (int k = 0; k < 5; k++) {
        HFImageBitmapDrawCircleF(bitmap, points[k], 0, red, 3);
    }
}

/* Detects the faces of one image. `printed` counts the JSON records written
 * so far, because an image that fails prints none and needs no separator. */
static int detect_one(const cli_options *options, HFSession session, const char *path,
                      int *printed)
{
    HFMultipleFaceData faces;
    cli_image image;
    HResult code;

    if (cli_image_open(path, &image) != CLI_EXIT_OK) {
        return CLI_EXIT_FAILED;
    }
    code = HFExecuteFaceTrack(session, image.stream, &faces);
    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface: detection failed on %s (error %ld)\n", path, (long)code);
        cli_image_close(&image);
        return CLI_EXIT_FAILED;
    }
    if (options->json) {
        printf("%s{\"image\": ", *printed > 0 ? ",\n" : "");
        print_json_string(path);
        printf(", \"width\": %d, \"height\": %d, \"faces\": [", image.width, image.height);
        (*printed)++;
    } else {
        printf("%s: %d face%s (%dx%d)\n", path, faces.detectedNum,
               faces.detectedNum == 1 ? "" : "s", image.width, image.height);
    }
    for (int i = 0; i < faces.detectedNum; i++) {
        HPoint2f points[5];

        if (HFGetFaceFiveKeyPointsFromFaceToken(faces.tokens[i], points, 5) != HSUCCEED) {
            memset(points, 0, sizeof(points));
        }
        if (options->json) {
            print_face_json(&faces, i, points);
        } else {
            print_face_text(&faces, i, points);
        }
        if (options->draw != NULL) {
            draw_face(image.bitmap, &faces, i, points);
        }
    }
    if (options->json) {
        printf("]}");
    }
    if (options->draw != NULL && HFImageBitmapWriteToFile(image.bitmap, options->draw) !=
                                     HSUCCEED) {
        fprintf(stderr, "inspireface: cannot write %s\n", options->draw);
        cli_image_close(&image);
        return CLI_EXIT_FAILED;
    }
    cli_image_close(&image);
    return CLI_EXIT_OK;
}

int cli_detect(const cli_options *options, int count, char **paths)
{
    HFSession session = NULL;
    int status = cli_launch(options);
    int failures = 0;
    int printed = 0;

    if (status != CLI_EXIT_OK) {
        return status;
    }
    if (options->draw != NULL && count > 1) {
        fprintf(stderr, "inspireface detect: --draw takes a single image\n");
        return CLI_EXIT_USAGE;
    }
    status = cli_session(HF_ENABLE_FACE_POSE, 64, &session);
    if (status != CLI_EXIT_OK) {
        return status;
    }
    if (options->min_score >= 0.0) {
        HFSessionSetFaceDetectThreshold(session, (HFloat)options->min_score);
    }
    if (options->json) {
        printf("[");
    }
    for (int i = 0; i < count; i++) {
        failures += detect_one(options, session, paths[i], &printed) != CLI_EXIT_OK;
    }
    if (options->json) {
        printf("]\n");
    }
    HFReleaseInspireFaceSession(session);
    HFTerminateInspireFace();
    return failures ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
