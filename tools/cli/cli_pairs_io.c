/* Reading LFW pairs files and scoring their pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_pairs.h"

static void image_name(char *out, size_t size, const char *person, int number)
{
    snprintf(out, size, "%s/%s_%04d.jpg", person, person, number);
}

/* Parses one pair line; returns 1 on success. */
static int parse_pair(const char *line, cli_pair *pair)
{
    char first[100];
    char second[100];
    int a;
    int b;

    if (sscanf(line, "%99s %d %99s %d", first, &a, second, &b) == 4) {
        image_name(pair->first, sizeof(pair->first), first, a);
        image_name(pair->second, sizeof(pair->second), second, b);
        pair->same = 0;
        return 1;
    }
    if (sscanf(line, "%99s %d %d", first, &a, &b) == 3) {
        image_name(pair->first, sizeof(pair->first), first, a);
        image_name(pair->second, sizeof(pair->second), first, b);
        pair->same = 1;
        return 1;
    }
    return 0;
}

int cli_pairs_read(const char *path, cli_pair_set *set)
{
    FILE *file = fopen(path, "r");
    char line[512];
    int folds = 0;
    int per_class = 0;
    int line_number = 1;

    memset(set, 0, sizeof(*set));
    if (file == NULL) {
        fprintf(stderr, "inspireface: cannot open pairs file %s\n", path);
        return CLI_EXIT_FAILED;
    }
    if (fgets(line, sizeof(line), file) == NULL ||
        sscanf(line, "%d %d", &folds, &per_class) != 2 || folds < 2 || per_class < 1 ||
        folds > 1000 || per_class > 100000) {
        fprintf(stderr, "inspireface: %s does not start with a 'FOLDS PAIRS' line\n", path);
        fclose(file);
        return CLI_EXIT_FAILED;
    }
    set->folds = folds;
    set->pairs = calloc((size_t)folds * per_class * 2, sizeof(cli_pair));
    while (set->pairs != NULL && set->count < folds * per_class * 2 &&
           fgets(line, sizeof(line), file) != NULL) {
        cli_pair *pair = &set->pairs[set->count];

        line_number++;
        if (!parse_pair(line, pair)) {
            fprintf(stderr, "inspireface: %s line %d is not a pair: %s", path, line_number,
                    line);
            continue;
        }
        pair->fold = set->count / (2 * per_class);
        set->count++;
    }
    fclose(file);
    if (set->pairs == NULL || set->count != folds * per_class * 2) {
        fprintf(stderr, "inspireface: %s holds %d pairs, its header promises %d\n", path,
                set->count, folds * per_class * 2);
        cli_pairs_free(set);
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

void cli_pairs_free(cli_pair_set *set)
{
    free(set->pairs);
    memset(set, 0, sizeof(*set));
}

/* Distinct image names with their features. */
typedef struct feature_cache {
    char (*names)[256];
    float (*features)[512];
    int *found;
    int count;
} feature_cache;

static int cache_index(feature_cache *cache, HFSession session, const char *root,
                       const char *name, int *missing)
{
    char path[1024];

    for (int i = 0; i < cache->count; i++) {
        if (strcmp(cache->names[i], name) == 0) {
            return i;
        }
    }
    int index = cache->count++;

    snprintf(cache->names[index], sizeof(cache->names[index]), "%s", name);
    snprintf(path, sizeof(path), "%s/%s", root, name);
    cache->found[index] = cli_central_feature(session, path, cache->features[index], 0) ==
                          CLI_EXIT_OK;
    *missing += !cache->found[index];
    return index;
}

int cli_pairs_score(HFSession session, const char *root, cli_pair_set *set, int *missing)
{
    feature_cache cache = {0};
    size_t slots = (size_t)set->count * 2;

    cache.names = malloc(slots * sizeof(*cache.names));
    cache.features = malloc(slots * sizeof(*cache.features));
    cache.found = malloc(slots * sizeof(int));
    if (cache.names == NULL || cache.features == NULL || cache.found == NULL) {
        fprintf(stderr, "inspireface: out of memory for %d pairs\n", set->count);
        free(cache.names);
        free(cache.features);
        free(cache.found);
        return CLI_EXIT_FAILED;
    }
    *missing = 0;
    for (int i = 0; i < set->count; i++) {
        cli_pair *pair = &set->pairs[i];
        int a = cache_index(&cache, session, root, pair->first, missing);
        int b = cache_index(&cache, session, root, pair->second, missing);

        pair->similarity = cache.found[a] && cache.found[b]
                               ? cli_cosine(cache.features[a], cache.features[b])
                               : -1.0f;
    }
    free(cache.names);
    free(cache.features);
    free(cache.found);
    return CLI_EXIT_OK;
}
