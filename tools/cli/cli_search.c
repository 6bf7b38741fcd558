/* inspireface search: ranks the gallery entries most similar to the
 * central face of one photo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_hub.h"

/* One ranked gallery entry. */
typedef struct search_hit {
    HFaceId id;
    float cosine;
    float percentage;
} search_hit;

static void json_string(const char *text)
{
    if (text == NULL) {
        printf("null");
        return;
    }
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            printf("\\%c", *c);
        } else if (*c < 0x20) {
            printf("\\u%04x", *c);
        } else {
            putchar(*c);
        }
    }
    putchar('"');
}

static void print_json(const char *image, const search_hit *hits, char **names, int count,
                       float threshold)
{
    printf("{\"image\": ");
    json_string(image);
    printf(", \"threshold\": %.4f, \"match\": %s, \"results\": [", threshold,
           count > 0 && hits[0].cosine >= threshold ? "true" : "false");
    for (int i = 0; i < count; i++) {
        printf("%s{\"rank\": %d, \"name\": ", i ? ", " : "", i + 1);
        json_string(names[i]);
        printf(", \"id\": %lld, \"cosine\": %.4f, \"percentage\": %.2f}", (long long)hits[i].id,
               hits[i].cosine, 100.0 * hits[i].percentage);
    }
    printf("]}\n");
}

static void print_text(const search_hit *hits, char **names, int count, float threshold)
{
    if (count == 0) {
        printf("the gallery is empty\n");
        return;
    }
    printf("rank  %-32s %8s  %7s  %7s\n", "identity", "id", "cosine", "percent");
    for (int i = 0; i < count; i++) {
        printf("%4d  %-32s %8lld  %7.4f  %6.1f%%\n", i + 1, names[i] != NULL ? names[i] : "?",
               (long long)hits[i].id, hits[i].cosine, 100.0 * hits[i].percentage);
    }
    if (hits[0].cosine >= threshold) {
        printf("best match %s passes the recommended threshold %.4f\n",
               names[0] != NULL ? names[0] : "?", threshold);
    } else {
        printf("no match: the best cosine %.4f is below the recommended threshold %.4f\n",
               hits[0].cosine, threshold);
    }
}

/* Runs the top-k search on the open hub and copies the hub-owned results. */
static int search_hub(const float *feature, int top, search_hit *hits, int *count)
{
    HFFaceFeature query = {512, (HPFloat)feature};
    HFSearchTopKResults results;
    HResult code = HFFeatureHubFaceSearchTopK(query, top, &results);

    if (code != HSUCCEED) {
        fprintf(stderr, "inspireface search: the hub search failed (error %ld)\n", (long)code);
        return CLI_EXIT_FAILED;
    }
    for (int i = 0; i < results.size; i++) {
        hits[i].id = results.ids[i];
        hits[i].cosine = results.confidence[i];
        HFCosineSimilarityConvertToPercentage(hits[i].cosine, &hits[i].percentage);
    }
    *count = results.size;
    return CLI_EXIT_OK;
}

/* Extracts the query face and searches the gallery. */
static int search_run(const cli_options *options, const char *db, const char *image, int top,
                      search_hit *hits, int *count)
{
    float feature[512];
    HFSession session = NULL;
    int status = cli_launch(options);

    if (status == CLI_EXIT_OK) {
        status = cli_session(HF_ENABLE_FACE_RECOGNITION, 16, &session);
    }
    if (status == CLI_EXIT_OK) {
        status = cli_central_feature(session, image, feature, 0);
    }
    if (status == CLI_EXIT_OK) {
        status = cli_hub_enable(db);
    }
    if (status == CLI_EXIT_OK) {
        status = search_hub(feature, top, hits, count);
        HFFeatureHubDataDisable();
    }
    if (session != NULL) {
        HFReleaseInspireFaceSession(session);
    }
    return status;
}

int cli_search(const cli_options *options, const char *db, const char *image, int top)
{
    search_hit *hits = NULL;
    char **names = NULL;
    float threshold = 0.0f;
    int count = 0;
    int status = CLI_EXIT_OK;

    /* Opening a missing file would create an empty gallery. */
    if (access(db, R_OK | W_OK) != 0) {
        fprintf(stderr,
                "inspireface search: gallery database %s not found or not writable; create it "
                "with inspireface enroll\n",
                db);
        return CLI_EXIT_FAILED;
    }
    hits = malloc((size_t)top * sizeof(*hits));
    if (hits == NULL) {
        fprintf(stderr, "inspireface search: out of memory for %d results\n", top);
        return CLI_EXIT_FAILED;
    }
    status = search_run(options, db, image, top, hits, &count);
    if (status == CLI_EXIT_OK) {
        HFaceId *ids = malloc((size_t)(count > 0 ? count : 1) * sizeof(*ids));

        HFGetRecommendedCosineThreshold(&threshold);
        for (int i = 0; ids != NULL && i < count; i++) {
            ids[i] = hits[i].id;
        }
        status = ids != NULL ? cli_hub_names_load(db, ids, count, &names) : CLI_EXIT_FAILED;
        free(ids);
    }
    if (status == CLI_EXIT_OK) {
        if (options->json) {
            print_json(image, hits, names, count, threshold);
        } else {
            print_text(hits, names, count, threshold);
        }
    }
    cli_hub_names_free(names, count);
    free(hits);
    HFTerminateInspireFace();
    return status;
}
