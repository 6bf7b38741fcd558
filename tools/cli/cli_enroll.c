/* inspireface enroll: adds the central face of every image of a folder or
 * list to a persistent gallery, recording whose face each entry is. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_hub.h"

/* One image to enroll and the identity it belongs to. */
typedef struct enroll_item {
    char *path;
    char *name;
    HFaceId id;
    cli_face_result result;
} enroll_item;

typedef struct enroll_list {
    enroll_item *items;
    int count;
    int capacity;
} enroll_list;

/* What happened to the images, counted by outcome. */
typedef struct enroll_tally {
    int enrolled;
    int identities;
    int faceless;
    int unreadable;
    int failed;
} enroll_tally;

static char *text_join(const char *folder, const char *name)
{
    size_t length = strlen(folder) + strlen(name) + 2;
    char *path = malloc(length);

    if (path != NULL) {
        snprintf(path, length, "%s%s%s", folder,
                 folder[0] != '\0' && folder[strlen(folder) - 1] != '/' ? "/" : "", name);
    }
    return path;
}

static char *text_copy(const char *text, size_t length)
{
    char *copy = malloc(length + 1);

    if (copy != NULL) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

/* Returns the file name without its folder and its last extension. */
static char *path_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    const char *dot = strrchr(base, '.');

    return text_copy(base, dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* Returns the name of the folder containing `path`, or NULL when the path
 * has no folder part. */
static char *path_parent_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *start = slash;

    if (slash == NULL || slash == path) {
        return NULL;
    }
    while (start > path && start[-1] != '/') {
        start--;
    }
    return text_copy(start, (size_t)(slash - start));
}

static int has_image_extension(const char *name)
{
    static const char *const extensions[] = {"jpg", "jpeg", "png", "webp", "bmp"};
    const char *dot = strrchr(name, '.');

    if (dot == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
        const char *want = extensions[i];
        const char *have = dot + 1;

        while (*want != '\0' && tolower((unsigned char)*have) == *want) {
            want++;
            have++;
        }
        if (*want == '\0' && *have == '\0') {
            return 1;
        }
    }
    return 0;
}

/* Takes ownership of path and name, freeing both on failure. */
static int list_add(enroll_list *list, char *path, char *name)
{
    if (path == NULL || name == NULL) {
        goto fail;
    }
    if (list->count == list->capacity) {
        int capacity = list->capacity > 0 ? 2 * list->capacity : 64;
        enroll_item *items = realloc(list->items, (size_t)capacity * sizeof(*items));

        if (items == NULL) {
            goto fail;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count].path = path;
    list->items[list->count].name = name;
    list->items[list->count].id = -1;
    list->items[list->count].result = CLI_FACE_ERROR;
    list->count++;
    return CLI_EXIT_OK;
fail:
    free(path);
    free(name);
    fprintf(stderr, "inspireface enroll: out of memory\n");
    return CLI_EXIT_FAILED;
}

static void list_free(enroll_list *list)
{
    for (int i = 0; i < list->count; i++) {
        free(list->items[i].path);
        free(list->items[i].name);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the entry names of `folder` in sorted order, without hidden ones. */
static int folder_entries(const char *folder, char ***entries, int *count)
{
    DIR *dir = opendir(folder);
    struct dirent *entry;
    char **names = NULL;
    int used = 0;
    int capacity = 0;

    if (dir == NULL) {
        fprintf(stderr, "inspireface enroll: opening folder %s failed\n", folder);
        return CLI_EXIT_FAILED;
    }
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        if (used == capacity) {
            capacity = capacity > 0 ? 2 * capacity : 64;
            char **grown = realloc(names, (size_t)capacity * sizeof(*grown));

            if (grown == NULL) {
                break;
            }
            names = grown;
        }
        names[used] = text_copy(entry->d_name, strlen(entry->d_name));
        if (names[used] == NULL) {
            break;
        }
        used++;
    }
    closedir(dir);
    if (entry != NULL) {
        cli_hub_names_free(names, used);
        fprintf(stderr, "inspireface enroll: out of memory listing %s\n", folder);
        return CLI_EXIT_FAILED;
    }
    if (used > 0) {
        qsort(names, (size_t)used, sizeof(*names), compare_names);
    }
    *entries = names;
    *count = used;
    return CLI_EXIT_OK;
}

static int is_folder(const char *path)
{
    struct stat info;

    return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* Adds the images directly in `folder`, named `name` when given, else by
 * file stem. At the top level each subfolder is one identity. */
static int collect_folder(const char *folder, const char *name, enroll_list *list)
{
    char **entries = NULL;
    int count = 0;
    int status = folder_entries(folder, &entries, &count);

    for (int i = 0; status == CLI_EXIT_OK && i < count; i++) {
        char *path = text_join(folder, entries[i]);

        if (path != NULL && name == NULL && is_folder(path)) {
            status = collect_folder(path, entries[i], list);
            free(path);
        } else if (path != NULL && has_image_extension(entries[i])) {
            status = list_add(list, path,
                              name != NULL ? text_copy(name, strlen(name)) : path_stem(path));
        } else {
            free(path);
        }
    }
    cli_hub_names_free(entries, count);
    return status;
}

/* Adds the images of a list file with one path a line. Blank lines and lines
 * starting with '#' are skipped, and relative paths resolve against the
 * list's folder. */
static int collect_list(const char *list_path, enroll_list *list)
{
    const char *slash = strrchr(list_path, '/');
    FILE *file = fopen(list_path, "r");
    char *folder = slash == NULL ? text_copy(".", 1)
                                 : text_copy(list_path, slash == list_path
                                                            ? 1
                                                            : (size_t)(slash - list_path));
    char line[4096];
    int status = CLI_EXIT_OK;

    if (file == NULL || folder == NULL) {
        fprintf(stderr, "inspireface enroll: reading the list %s failed\n", list_path);
        free(folder);
        if (file != NULL) {
            fclose(file);
        }
        return CLI_EXIT_FAILED;
    }
    while (status == CLI_EXIT_OK && fgets(line, sizeof(line), file) != NULL) {
        size_t length = strcspn(line, "\r\n");
        char *start = line;

        line[length] = '\0';
        while (isspace((unsigned char)*start)) {
            start++;
        }
        if (*start == '\0' || *start == '#') {
            continue;
        }
        char *path = start[0] == '/' ? text_copy(start, strlen(start)) : text_join(folder, start);
        char *name = path_parent_name(start);

        status = list_add(list, path, name != NULL ? name : path_stem(start));
    }
    fclose(file);
    free(folder);
    return status;
}

static void progress(int done, int total, const enroll_tally *tally)
{
    fprintf(stderr, "\renrolling %d/%d: %d enrolled, %d without a face, %d unreadable", done,
            total, tally->enrolled, tally->faceless, tally->unreadable);
    fflush(stderr);
}

/* Extracts and inserts one image, then counts the outcome. */
static void enroll_one(HFSession session, enroll_item *item, enroll_tally *tally)
{
    float data[512];
    HFFaceFeature feature = {512, data};
    HFFaceFeatureIdentity identity = {0, &feature};
    cli_face_result result = cli_hub_extract(session, item->path, data);

    item->result = result;
    if (result == CLI_FACE_NONE) {
        tally->faceless++;
    } else if (result == CLI_FACE_UNREADABLE) {
        tally->unreadable++;
    } else if (result != CLI_FACE_FOUND || HFFeatureHubInsertFeature(identity, &item->id) !=
                                                    HSUCCEED) {
        item->id = -1;
        item->result = CLI_FACE_ERROR;
        tally->failed++;
    } else {
        tally->enrolled++;
    }
}

static int enroll_all(HFSession session, enroll_list *list, enroll_tally *tally)
{
    int terminal = isatty(fileno(stderr));

    /* The summary reports every image that failed; the library's own lines
     * would only break up the progress line. */
    HFSetLogLevel(HF_LOG_FATAL);
    for (int i = 0; i < list->count; i++) {
        enroll_one(session, &list->items[i], tally);
        if (terminal) {
            progress(i + 1, list->count, tally);
        }
    }
    HFSetLogLevel(HF_LOG_ERROR);
    if (terminal && list->count > 0) {
        fputc('\n', stderr);
    }
    return tally->failed == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* Stores the names of the enrolled items and counts distinct identities. */
static int store_names(const char *db, const enroll_list *list, enroll_tally *tally)
{
    HFaceId *ids = malloc((size_t)(list->count > 0 ? list->count : 1) * sizeof(*ids));
    char **names = malloc((size_t)(list->count > 0 ? list->count : 1) * sizeof(*names));
    int used = 0;
    int status = CLI_EXIT_FAILED;

    if (ids != NULL && names != NULL) {
        for (int i = 0; i < list->count; i++) {
            if (list->items[i].id >= 0) {
                ids[used] = list->items[i].id;
                names[used++] = list->items[i].name;
            }
        }
        status = cli_hub_names_store(db, ids, names, used);
        if (used > 0) {
            qsort(names, (size_t)used, sizeof(*names), compare_names);
        }
        for (int i = 0; i < used; i++) {
            tally->identities += i == 0 || strcmp(names[i], names[i - 1]) != 0;
        }
    } else {
        fprintf(stderr, "inspireface enroll: out of memory\n");
    }
    free(ids);
    free(names);
    return status;
}

static void print_paths(const enroll_list *list, cli_face_result result)
{
    for (int i = 0; i < list->count; i++) {
        if (list->items[i].result == result) {
            printf("  %s\n", list->items[i].path);
        }
    }
}

static void print_summary(const char *db, const enroll_list *list, const enroll_tally *tally)
{
    printf("enrolled %d image%s of %d identit%s into %s\n", tally->enrolled,
           tally->enrolled == 1 ? "" : "s", tally->identities,
           tally->identities == 1 ? "y" : "ies", db);
    printf("images without a face: %d\n", tally->faceless);
    print_paths(list, CLI_FACE_NONE);
    printf("unreadable images: %d\n", tally->unreadable);
    print_paths(list, CLI_FACE_UNREADABLE);
    if (tally->failed > 0) {
        printf("images that failed to enroll: %d\n", tally->failed);
        print_paths(list, CLI_FACE_ERROR);
    }
}

int cli_enroll(const cli_options *options, const char *db, const char *input)
{
    enroll_list list = {NULL, 0, 0};
    enroll_tally tally = {0, 0, 0, 0, 0};
    HFSession session = NULL;
    int status = is_folder(input) ? collect_folder(input, NULL, &list)
                                  : collect_list(input, &list);

    if (status == CLI_EXIT_OK && list.count == 0) {
        fprintf(stderr, "inspireface enroll: no images in %s\n", input);
        status = CLI_EXIT_FAILED;
    }
    if (status == CLI_EXIT_OK) {
        status = cli_launch(options);
    }
    if (status == CLI_EXIT_OK) {
        status = cli_session(HF_ENABLE_FACE_RECOGNITION, 16, &session);
    }
    if (status == CLI_EXIT_OK) {
        status = cli_hub_enable(db);
    }
    if (status == CLI_EXIT_OK) {
        status = enroll_all(session, &list, &tally);
        HFFeatureHubDataDisable();
        int stored = store_names(db, &list, &tally);

        status = status != CLI_EXIT_OK ? status : stored;
        print_summary(db, &list, &tally);
        if (status == CLI_EXIT_OK && tally.enrolled < list.count) {
            status = CLI_EXIT_FAILED;
        }
    }
    if (session != NULL) {
        HFReleaseInspireFaceSession(session);
    }
    HFTerminateInspireFace();
    list_free(&list);
    return status;
}
