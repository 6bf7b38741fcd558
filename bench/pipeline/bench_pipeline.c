/* Time of each face pipeline stage for one face in a 640x480 photo (the top
 * 640x480 of RD/d5.jpeg), and the share of it spent outside model
 * inference (pre- and post-processing, crops, warps, decoding).
 *
 * usage: bench_pipeline [ROUNDS]   (default 50; medians are printed) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>

#include "face/face.h"
#include "face/session_internal.h"

enum { STAGE_DETECT, STAGE_LANDMARK, STAGE_POSE, STAGE_ALIGN, STAGE_EXTRACT, STAGE_COUNT };

static const char *const stage_names[STAGE_COUNT] = {"detect", "landmarks", "pose", "align",
                                                     "extract"};

static double now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static void *read_file(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    void *bytes = NULL;
    long length;

    if (file == NULL) {
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) > 0 &&
        fseek(file, 0, SEEK_SET) == 0 && (bytes = malloc((size_t)length)) != NULL &&
        fread(bytes, 1, (size_t)length, file) == (size_t)length) {
        *size = (size_t)length;
    } else {
        free(bytes);
        bytes = NULL;
    }
    fclose(file);
    return bytes;
}

/* Decodes the top 640x480 of a JPEG that is at least that large, as BGR. */
static uint8_t *load_photo(const char *path)
{
    struct jpeg_decompress_struct decoder;
    struct jpeg_error_mgr errors;
    FILE *file = fopen(path, "rb");
    uint8_t *pixels = NULL;
    uint8_t *row;

    if (file == NULL) {
        return NULL;
    }
    decoder.err = jpeg_std_error(&errors);
    jpeg_create_decompress(&decoder);
    jpeg_stdio_src(&decoder, file);
    jpeg_read_header(&decoder, TRUE);
    decoder.out_color_space = JCS_RGB;
    jpeg_start_decompress(&decoder);
    row = malloc((size_t)decoder.output_width * 3);
    if (decoder.output_width >= 640 && decoder.output_height >= 480 && row != NULL) {
        pixels = malloc(640 * 480 * 3);
    }
    while (pixels != NULL && decoder.output_scanline < 480) {
        uint8_t *out = pixels + (size_t)decoder.output_scanline * 640 * 3;

        jpeg_read_scanlines(&decoder, &row, 1);
        for (int x = 0; x < 640; x++) {
            out[3 * x] = row[3 * x + 2];
            out[3 * x + 1] = row[3 * x + 1];
            out[3 * x + 2] = row[3 * x];
        }
    }
    jpeg_abort_decompress(&decoder);
    jpeg_destroy_decompress(&decoder);
    free(row);
    fclose(file);
    return pixels;
}

static int load_models(hf_face_pack_spec *spec)
{
    hf_face_model_spec *models[4] = {&spec->detect, &spec->landmark, &spec->pose,
                                     &spec->feature};
    const char *names[4] = {"fr_detect", "fr_landmark", "fr_pose", "fr_feature"};
    char path[1024];

    hf_face_pack_spec_default(spec);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/models/faceplugin/model/%s.onnx", HF_SOURCE_DIR,
                 names[i]);
        models[i]->bytes = read_file(path, &models[i]->size);
        models[i]->identity = names[i];
        if (models[i]->bytes == NULL) {
            fprintf(stderr, "bench_pipeline: cannot read %s (run scripts/fetch-models.sh)\n",
                    path);
            return 1;
        }
    }
    return 0;
}

static int compare_double(const void *left, const void *right)
{
    double a = *(const double *)left;
    double b = *(const double *)right;

    return (a > b) - (a < b);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof(double), compare_double);
    return values[count / 2];
}

/* Time the stage's model took during the last call. */
static double inference_ms(hf_face_stage *stage, double before)
{
    return stage->inference_ms - before;
}

/* One round: each stage timed whole, and the time inside its model taken
 * from the session's own accounting of the same call. */
static int run_round(hf_face_session *session, const hf_face_frame *frame, double *stage_ms,
                     double *model_ms)
{
    hf_face_box box;
    float landmarks[2 * HF_FACE_LANDMARK_COUNT];
    float angles[3];
    uint8_t aligned[HF_FACE_ALIGN_SIZE * HF_FACE_ALIGN_SIZE * 3];
    hf_face_pixels view = {aligned, HF_FACE_ALIGN_SIZE, HF_FACE_ALIGN_SIZE,
                           3 * HF_FACE_ALIGN_SIZE, 3};
    hf_face_info info;
    float feature[HF_FACE_FEATURE_LENGTH];
    int found = 0;
    double started = now_ms();
    double before = session->detectors[0].stage.inference_ms;

    if (hf_face_detect_run(session, &frame->upright, &box, 1, &found) != HF_OK || found != 1) {
        return 1;
    }
    stage_ms[STAGE_DETECT] = now_ms() - started;
    model_ms[STAGE_DETECT] = inference_ms(&session->detectors[0].stage, before);

    before = session->landmark.inference_ms;
    started = now_ms();
    if (hf_face_landmarks_run(session, &frame->upright, &box, landmarks) != HF_OK) {
        return 1;
    }
    stage_ms[STAGE_LANDMARK] = now_ms() - started;
    model_ms[STAGE_LANDMARK] = inference_ms(&session->landmark, before);

    before = session->pose.inference_ms;
    started = now_ms();
    if (hf_face_pose_run(session, &frame->upright, &box, angles) != HF_OK) {
        return 1;
    }
    stage_ms[STAGE_POSE] = now_ms() - started;
    model_ms[STAGE_POSE] = inference_ms(&session->pose, before);

    memset(&info, 0, sizeof(info));
    hf_face_five_points(landmarks, info.key_points);
    started = now_ms();
    if (hf_face_session_align(session, frame, &info, aligned) != HF_OK) {
        return 1;
    }
    stage_ms[STAGE_ALIGN] = now_ms() - started;
    model_ms[STAGE_ALIGN] = 0.0;

    before = session->feature.inference_ms;
    started = now_ms();
    if (hf_face_session_extract_aligned(session, &view, feature) != HF_OK) {
        return 1;
    }
    stage_ms[STAGE_EXTRACT] = now_ms() - started;
    model_ms[STAGE_EXTRACT] = inference_ms(&session->feature, before);
    return 0;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 50;
    char path[1024];
    hf_face_pack_spec spec;
    hf_face_session_options options = {1, 1, 1, 320};
    hf_face_session *session = NULL;
    double *stage_ms;
    double *model_ms;
    double total_stage = 0.0;
    double total_model = 0.0;
    uint8_t *pixels;

    rounds = rounds < 1 ? 1 : rounds;
    snprintf(path, sizeof(path), "%s/data/images/RD/d5.jpeg", HF_SHARED_DIR);
    pixels = load_photo(path);
    if (pixels == NULL || load_models(&spec) != 0 ||
        hf_face_session_create(&spec, &options, &session) != HF_OK) {
        fprintf(stderr, "bench_pipeline: cannot set up (photo %s)\n", path);
        return 1;
    }
    hf_face_frame frame = {{pixels, 640, 480, 640 * 3, 3}, 640, 480, 0};

    stage_ms = calloc((size_t)rounds * STAGE_COUNT, sizeof(double));
    model_ms = calloc((size_t)rounds * STAGE_COUNT, sizeof(double));
    for (int round = 0; round < rounds; round++) {
        if (run_round(session, &frame, stage_ms + round * STAGE_COUNT,
                      model_ms + round * STAGE_COUNT) != 0) {
            fprintf(stderr, "bench_pipeline: the pipeline failed on the photo\n");
            return 1;
        }
    }
    printf("one face in a 640x480 photo, %d rounds, medians, 1 thread\n", rounds);
    printf("%-10s %10s %10s %10s\n", "stage", "total ms", "model ms", "outside");
    for (int s = 0; s < STAGE_COUNT; s++) {
        double stage_values[rounds];
        double model_values[rounds];

        for (int round = 0; round < rounds; round++) {
            stage_values[round] = stage_ms[round * STAGE_COUNT + s];
            model_values[round] = model_ms[round * STAGE_COUNT + s];
        }
        double stage = median(stage_values, rounds);
        double model = median(model_values, rounds);

        total_stage += stage;
        total_model += model;
        printf("%-10s %10.3f %10.3f %9.1f%%\n", stage_names[s], stage, model,
               stage > 0 ? 100.0 * (stage - model) / stage : 0.0);
    }
    printf("%-10s %10.3f %10.3f %9.1f%%\n", "all", total_stage, total_model,
           100.0 * (total_stage - total_model) / total_stage);
    hf_face_session_destroy(session);
    free(stage_ms);
    free(model_ms);
    free(pixels);
    for (int i = 0; i < 4; i++) {
        const hf_face_model_spec *models[4] = {&spec.detect, &spec.landmark, &spec.pose,
                                               &spec.feature};
        free((void *)models[i]->bytes);
    }
    hf_face_model_cache_clear();
    return 0;
}
