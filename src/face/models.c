#include "face/models.h"

#include <pthread.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"

typedef struct cache_entry {
    char *identity;
    int width;
    int height;
    int cut;
    hf_rt_model *model;
    struct cache_entry *next;
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *cache_head;

static cache_entry *cache_find(const char *identity, int width, int height, int cut)
{
    for (cache_entry *entry = cache_head; entry != NULL; entry = entry->next) {
        if (entry->width == width && entry->height == height && entry->cut == cut &&
            strcmp(entry->identity, identity) == 0) {
            return entry;
        }
    }
    return NULL;
}

static hf_status cache_load(const hf_face_model_spec *spec, int width, int height,
                            const char *const *outputs, int output_count, cache_entry **out)
{
    hf_rt_load_options options = {0};
    cache_entry *entry = hf_calloc(1, sizeof(*entry));
    hf_status status;

    if (entry == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    entry->identity = hf_strdup(spec->identity);
    if (entry->identity == NULL) {
        hf_free(entry);
        return HF_ERR_NO_MEMORY;
    }
    options.input_width = width;
    options.input_height = height;
    options.output_names = outputs;
    options.output_count = output_count;
    options.label = spec->label;
    status = hf_rt_model_load(spec->bytes, spec->size, &options, &entry->model);
    if (status != HF_OK) {
        HF_LOGE("loading model %s at %dx%d failed: %s", spec->label ? spec->label : "?", width,
                height, hf_status_message(status));
        hf_free(entry->identity);
        hf_free(entry);
        return status;
    }
    entry->width = width;
    entry->height = height;
    entry->cut = output_count > 0;
    entry->next = cache_head;
    cache_head = entry;
    *out = entry;
    return HF_OK;
}

hf_status hf_face_model_instance(const hf_face_model_spec *spec, int width, int height,
                                 const char *const *outputs, int output_count,
                                 hf_rt_instance **out)
{
    hf_rt_instance_options options = {1};
    cache_entry *entry;
    hf_status status = HF_OK;

    if (spec->bytes == NULL || spec->identity == NULL) {
        HF_LOGE("model %s is missing from the pack", spec->label ? spec->label : "?");
        return HF_ERR_NOT_FOUND;
    }
    pthread_mutex_lock(&cache_lock);
    entry = cache_find(spec->identity, width, height, output_count > 0);
    if (entry == NULL) {
        status = cache_load(spec, width, height, outputs, output_count, &entry);
    }
    if (status == HF_OK) {
        status = hf_rt_instance_create(entry->model, &options, out);
    }
    pthread_mutex_unlock(&cache_lock);
    return status;
}

void hf_face_model_cache_clear(void)
{
    cache_entry *entry;

    pthread_mutex_lock(&cache_lock);
    entry = cache_head;
    cache_head = NULL;
    pthread_mutex_unlock(&cache_lock);
    while (entry != NULL) {
        cache_entry *next = entry->next;

        hf_rt_model_release(entry->model);
        hf_free(entry->identity);
        hf_free(entry);
        entry = next;
    }
}
