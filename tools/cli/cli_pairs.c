/* inspireface compare and eval-pairs: face verification of two images and
 * the LFW protocol (10 folds, threshold chosen on 9, tested on the 10th). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_pairs.h"

static float recommended_threshold(void)
{
    HFloat threshold = 0.0f;

    HFGetRecommendedCosineThreshold(&threshold);
    return threshold;
}

float cli_cosine(const float *a, const float *b)
{
    HFFaceFeature first = {512, (HPFloat)a};
    HFFaceFeature second = {512, (HPFloat)b};
    HFloat similarity = -1.0f;

    if (HFFaceComparison(first, second, &similarity) != HSUCCEED) {
        return -1.0f;
    }
    return similarity;
}

int cli_compare(const cli_options *options, const char *first, const char *second)
{
    static float features[2][512];
    HFSession session = NULL;
    HFloat percentage = 0.0f;
    float similarity;
    float threshold;
    int status = cli_launch(options);

    if (status == CLI_EXIT_OK) {
        status = cli_session(HF_ENABLE_FACE_RECOGNITION, 16, &session);
    }
    if (status != CLI_EXIT_OK) {
        return status;
    }
    status = cli_central_feature(session, first, features[0], 0);
    if (status == CLI_EXIT_OK) {
        status = cli_central_feature(session, second, features[1], 0);
    }
    if (status == CLI_EXIT_OK) {
        similarity = cli_cosine(features[0], features[1]);
        threshold = recommended_threshold();
        HFCosineSimilarityConvertToPercentage(similarity, &percentage);
        printf("cosine similarity: %.4f\n", similarity);
        printf("percentage: %.2f%%\n", 100.0 * percentage);
        printf("same person: %s (threshold %.3f)\n", similarity >= threshold ? "yes" : "no",
               threshold);
    }
    HFReleaseInspireFaceSession(session);
    HFTerminateInspireFace();
    return status;
}

/* Accuracy of `threshold` over the pairs whose fold is (or is not) `fold`. */
static double accuracy_at(const cli_pair *pairs, int count, float threshold, int fold,
                          int in_fold)
{
    int right = 0;
    int total = 0;

    for (int i = 0; i < count; i++) {
        if ((pairs[i].fold == fold) != in_fold) {
            continue;
        }
        right += (pairs[i].similarity >= threshold) == pairs[i].same;
        total++;
    }
    return total ? (double)right / total : 0.0;
}

static int compare_float(const void *left, const void *right)
{
    float a = *(const float *)left;
    float b = *(const float *)right;

    return (a > b) - (a < b);
}

/* Best threshold over the pairs outside `fold` (every pair when fold < 0):
 * candidates are midpoints between consecutive sorted similarities. */
static float best_threshold(const cli_pair *pairs, int count, int fold, double *accuracy)
{
    float *values = malloc((size_t)count * sizeof(float));
    float best = 0.0f;
    double best_accuracy = -1.0;
    int used = 0;

    if (values == NULL) {
        return 0.0f;
    }
    for (int i = 0; i < count; i++) {
        if (pairs[i].fold != fold) {
            values[used++] = pairs[i].similarity;
        }
    }
    qsort(values, (size_t)used, sizeof(float), compare_float);
    for (int i = 0; i + 1 < used; i++) {
        float candidate = 0.5f * (values[i] + values[i + 1]);
        double value = accuracy_at(pairs, count, candidate, fold, 0);

        if (value > best_accuracy) {
            best_accuracy = value;
            best = candidate;
        }
    }
    free(values);
    *accuracy = best_accuracy;
    return best;
}

static void report(const cli_pair *pairs, int count, int folds, int missing)
{
    float threshold = recommended_threshold();
    double fold_sum = 0.0;
    double best_accuracy;
    float best;

    for (int fold = 0; fold < folds; fold++) {
        double train;
        float chosen = best_threshold(pairs, count, fold, &train);

        fold_sum += accuracy_at(pairs, count, chosen, fold, 1);
    }
    best = best_threshold(pairs, count, -1, &best_accuracy);
    printf("pairs: %d\n", count);
    printf("images without a face: %d\n", missing);
    printf("accuracy at the recommended threshold %.3f: %.2f%%\n", threshold,
           100.0 * accuracy_at(pairs, count, threshold, -1, 0));
    printf("best single threshold: %.3f (%.2f%%)\n", best, 100.0 * best_accuracy);
    printf("10-fold accuracy: %.2f%%\n", 100.0 * fold_sum / folds);
}

int cli_eval_pairs(const cli_options *options, const char *pairs_path, const char *root)
{
    cli_pair_set set;
    HFSession session = NULL;
    int missing = 0;
    int status = cli_pairs_read(pairs_path, &set);

    if (status != CLI_EXIT_OK) {
        return status;
    }
    status = cli_launch(options);
    if (status == CLI_EXIT_OK) {
        status = cli_session(HF_ENABLE_FACE_RECOGNITION, 16, &session);
    }
    if (status == CLI_EXIT_OK) {
        status = cli_pairs_score(session, root, &set, &missing);
    }
    if (status == CLI_EXIT_OK) {
        report(set.pairs, set.count, set.folds, missing);
    }
    cli_pairs_free(&set);
    HFReleaseInspireFaceSession(session);
    HFTerminateInspireFace();
    return status;
}
