/* inspireface threshold: the cosine threshold at a false-accept rate, from
 * every different-person pair of one image per person (the first in name
 * order) and every same-person pair, over a folder of PERSON/IMAGE files. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_pairs.h"

typedef struct person {
    int first; /* index of the person's first image */
    int count;
} person;

typedef struct gallery {
    char (*paths)[1024];
    float (*features)[512];
    int *found;
    int images;
    person *people;
    int person_count;
} gallery;

static int compare_names(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

/* Sorted entry names of a folder, skipping names starting with '.'. */
static char **list_folder(const char *path, int *count)
{
    DIR *folder = opendir(path);
    char **names = NULL;
    int used = 0;
    int capacity = 0;
    struct dirent *entry;

    *count = 0;
    if (folder == NULL) {
        return NULL;
    }
    while ((entry = readdir(folder)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        if (used == capacity) {
            char **grown = realloc(names, (size_t)(capacity ? 2 * capacity : 64) * sizeof(char *));

            if (grown == NULL) {
                break;
            }
            names = grown;
            capacity = capacity ? 2 * capacity : 64;
        }
        names[used] = strdup(entry->d_name);
        used += names[used] != NULL;
    }
    closedir(folder);
    if (used > 0) {
        qsort(names, (size_t)used, sizeof(char *), compare_names);
    }
    *count = used;
    return names;
}

static void free_names(char **names, int count)
{
    for (int i = 0; i < count; i++) {
        free(names[i]);
    }
    free(names);
}

static int gallery_add(gallery *set, const char *path)
{
    int capacity = set->images + 1;
    void *paths = realloc(set->paths, (size_t)capacity * sizeof(*set->paths));

    if (paths == NULL) {
        return 0;
    }
    set->paths = paths;
    snprintf(set->paths[set->images], sizeof(set->paths[0]), "%s", path);
    set->images++;
    return 1;
}

static int gallery_list(const char *root, gallery *set)
{
    int people = 0;
    char **folders = list_folder(root, &people);

    set->people = calloc((size_t)(people ? people : 1), sizeof(person));
    for (int p = 0; set->people != NULL && p < people; p++) {
        char folder[512];
        int files = 0;
        char **names;

        snprintf(folder, sizeof(folder), "%s/%s", root, folders[p]);
        names = list_folder(folder, &files);
        set->people[set->person_count].first = set->images;
        for (int f = 0; f < files; f++) {
            char path[1024];
            size_t length = strlen(names[f]);

            if (length < 5 || strcmp(names[f] + length - 4, ".jpg") != 0) {
                continue;
            }
            snprintf(path, sizeof(path), "%s/%s", folder, names[f]);
            set->people[set->person_count].count += gallery_add(set, path);
        }
        set->person_count += set->people[set->person_count].count > 0;
        free_names(names, files);
    }
    free_names(folders, people);
    return set->images > 0;
}

static int compare_descending(const void *left, const void *right)
{
    float a = *(const float *)left;
    float b = *(const float *)right;

    return (a < b) - (a > b);
}

/* Prints the threshold at rate `far`; fails when there are no two people
 * to make a different-person pair of. */
static int report(const gallery *set, double far)
{
    size_t people = (size_t)set->person_count;
    float *impostor = malloc(people * (people - 1) / 2 * sizeof(float) + sizeof(float));
    size_t impostors = 0;
    long genuine = 0;
    long accepted = 0;
    int missing = 0;
    float threshold;

    for (int i = 0; i < set->images; i++) {
        missing += !set->found[i];
    }
    for (int p = 0; impostor != NULL && p < set->person_count; p++) {
        for (int q = p + 1; q < set->person_count; q++) {
            int a = set->people[p].first;
            int b = set->people[q].first;

            impostor[impostors++] = set->found[a] && set->found[b]
                                        ? cli_cosine(set->features[a], set->features[b])
                                        : -1.0f;
        }
    }
    if (impostor == NULL || impostors == 0) {
        fprintf(stderr, "inspireface: need at least two people with images\n");
        free(impostor);
        return CLI_EXIT_FAILED;
    }
    qsort(impostor, impostors, sizeof(float), compare_descending);
    /* The smallest threshold that accepts at most far * impostors pairs. */
    size_t allowed = (size_t)floor(far * (double)impostors);
    threshold = allowed < impostors ? impostor[allowed] + 1e-6f : impostor[impostors - 1];
    for (int p = 0; p < set->person_count; p++) {
        for (int i = 0; i < set->people[p].count; i++) {
            for (int j = i + 1; j < set->people[p].count; j++) {
                int a = set->people[p].first + i;
                int b = set->people[p].first + j;
                float similarity = set->found[a] && set->found[b]
                                       ? cli_cosine(set->features[a], set->features[b])
                                       : -1.0f;

                genuine++;
                accepted += similarity >= threshold;
            }
        }
    }
    printf("images: %d (people: %d, without a face: %d)\n", set->images, set->person_count,
           missing);
    printf("same-person pairs: %ld, different-person pairs: %zu\n", genuine, impostors);
    printf("threshold at false-accept rate %g: %.3f (true-accept rate %.1f%%)\n", far,
           threshold, genuine ? 100.0 * accepted / genuine : 0.0);
    free(impostor);
    return CLI_EXIT_OK;
}

int cli_threshold(const cli_options *options, const char *root)
{
    gallery set = {0};
    HFSession session = NULL;
    int status;

    if (!gallery_list(root, &set)) {
        fprintf(stderr, "inspireface: no PERSON/*.jpg images under %s\n", root);
        free(set.paths);
        free(set.people);
        return CLI_EXIT_FAILED;
    }
    set.features = malloc((size_t)set.images * sizeof(*set.features));
    set.found = calloc((size_t)set.images, sizeof(int));
    status = set.features && set.found ? cli_launch(options) : CLI_EXIT_FAILED;
    if (status == CLI_EXIT_OK) {
        status = cli_session(HF_ENABLE_FACE_RECOGNITION, 16, &session);
    }
    for (int i = 0; status == CLI_EXIT_OK && i < set.images; i++) {
        set.found[i] = cli_central_feature(session, set.paths[i], set.features[i], 0) ==
                       CLI_EXIT_OK;
    }
    if (status == CLI_EXIT_OK) {
        status = report(&set, options->far);
        HFReleaseInspireFaceSession(session);
        HFTerminateInspireFace();
    }
    free(set.paths);
    free(set.features);
    free(set.found);
    free(set.people);
    return status;
}
