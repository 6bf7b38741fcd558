/* FeatureHub benchmark. It times top-10 search over N random unit vectors
 * (512-d) at 1 and 2 threads next to faiss IndexFlatIP from Debian's
 * python3-faiss on the same vectors and queries. It also measures the
 * memory read bandwidth of the machine and bulk insert throughput into a
 * persistent hub.
 *
 * Usage: bench_hub [N...]   (default 10000 100000 1000000)
 * Environment: HF_PYTHON (default /usr/bin/python3, the interpreter that has
 * Debian's faiss), HF_BENCH_QUERIES (default 100). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "base/alloc.h"
#include "base/cpu.h"
#include "hub/hub.h"

#define TOP_K 10
#define CHUNK_ROWS 65536
#define BANDWIDTH_BYTES (1UL << 30)

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 2685821657736338717ULL;
}

/* Uniform in [-1, 1) per element, then normalised: not a uniform direction,
 * which does not matter for timing a scan. */
static void random_unit(uint64_t *state, float *out)
{
    double sum = 0.0;
    for (int i = 0; i < HF_HUB_DIM; i++) {
        out[i] = (float)((double)(next_random(state) >> 11) / 4503599627370496.0 - 1.0);
        sum += (double)out[i] * out[i];
    }
    float scale = (float)(1.0 / sqrt(sum));
    for (int i = 0; i < HF_HUB_DIM; i++)
        out[i] *= scale;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof(*values), compare_doubles);
    return count % 2 ? values[count / 2] : 0.5 * (values[count / 2 - 1] + values[count / 2]);
}

/* ---- memory read bandwidth: a sum over a 1 GiB float array ---- */

typedef struct sum_part {
    pthread_t thread;
    const float *data;
    size_t count;
    float result;
} sum_part;

#if defined(__x86_64__)
__attribute__((target("avx2"))) static float sum_avx2(const float *data, size_t count)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (size_t i = 0; i + 32 <= count; i += 32) {
        a0 = _mm256_add_ps(a0, _mm256_load_ps(data + i));
        a1 = _mm256_add_ps(a1, _mm256_load_ps(data + i + 8));
        a2 = _mm256_add_ps(a2, _mm256_load_ps(data + i + 16));
        a3 = _mm256_add_ps(a3, _mm256_load_ps(data + i + 24));
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
}
#endif

static float sum_floats(const float *data, size_t count)
{
#if defined(__x86_64__)
    if (hf_cpu_level_get() >= HF_CPU_AVX2)
        return sum_avx2(data, count);
#endif
    float partial[16] = {0};
    for (size_t i = 0; i + 16 <= count; i += 16)
        for (int j = 0; j < 16; j++)
            partial[j] += data[i + j];
    float total = 0.0f;
    for (int j = 0; j < 16; j++)
        total += partial[j];
    return total;
}

static void *sum_thread(void *arg)
{
    sum_part *part = arg;
    part->result = sum_floats(part->data, part->count);
    return NULL;
}

static volatile float g_sum_sink;

/* Returns the best of 5 passes in GB/s (1e9 bytes per second). */
static double read_bandwidth(const float *data, size_t count, int threads)
{
    double best = 0.0;
    for (int pass = 0; pass < 5; pass++) {
        sum_part parts[2];
        double start = now_seconds();
        for (int t = 0; t < threads; t++) {
            parts[t].data = data + count / (size_t)threads * (size_t)t;
            parts[t].count = count / (size_t)threads;
            pthread_create(&parts[t].thread, NULL, sum_thread, &parts[t]);
        }
        float total = 0.0f;
        for (int t = 0; t < threads; t++) {
            pthread_join(parts[t].thread, NULL);
            total += parts[t].result;
        }
        double seconds = now_seconds() - start;
        /* Stored so the compiler cannot drop the sums. */
        g_sum_sink = total;
        double rate = (double)count * sizeof(float) / seconds / 1e9;
        if (rate > best)
            best = rate;
    }
    return best;
}

/* ---- search timing ---- */

typedef struct size_result {
    long count;
    double ours_ms[2];
    double faiss_ms[2];
    int agreement[2];
} size_result;

static int fill_hub(hf_hub *hub, long count, FILE *vectors_file, uint64_t *state)
{
    float *chunk = hf_aligned_alloc((size_t)CHUNK_ROWS * HF_HUB_DIM * sizeof(float));
    int64_t *ids = hf_malloc(CHUNK_ROWS * sizeof(*ids));
    int ok = chunk && ids;
    for (long done = 0; ok && done < count; done += CHUNK_ROWS) {
        size_t rows = (size_t)(count - done < CHUNK_ROWS ? count - done : CHUNK_ROWS);
        for (size_t r = 0; r < rows; r++)
            random_unit(state, chunk + r * HF_HUB_DIM);
        ok = fwrite(chunk, sizeof(float) * HF_HUB_DIM, rows, vectors_file) == rows &&
             hf_hub_insert_batch(hub, chunk, rows, ids) == HF_OK;
    }
    hf_aligned_free(chunk);
    hf_free(ids);
    return ok;
}

/* Queries are noisy copies of stored rows, so the true best match is known
 * to be unique and both engines must agree on it. */
static int make_queries(hf_hub *hub, long count, int query_count, uint64_t *state, float *queries)
{
    float stored[HF_HUB_DIM];
    for (int q = 0; q < query_count; q++) {
        int64_t id = 1 + (int64_t)(next_random(state) % (uint64_t)count);
        if (hf_hub_get(hub, id, stored) != HF_OK)
            return 0;
        float *query = queries + (size_t)q * HF_HUB_DIM;
        random_unit(state, query);
        for (int i = 0; i < HF_HUB_DIM; i++)
            query[i] = stored[i] + 0.5f * query[i];
    }
    return 1;
}

static double time_ours(hf_hub *hub, const float *queries, int query_count, int64_t *top1)
{
    double *times = malloc(sizeof(double) * (size_t)query_count);
    hf_hub_match matches[TOP_K];
    int found = 0;
    for (int warm = 0; warm < 3; warm++)
        if (hf_hub_search(hub, queries, TOP_K, -1.0f, matches, &found) != HF_OK)
            break;
    for (int q = 0; q < query_count; q++) {
        double start = now_seconds();
        hf_status status = hf_hub_search(hub, queries + (size_t)q * HF_HUB_DIM, TOP_K, -1.0f,
                                         matches, &found);
        times[q] = now_seconds() - start;
        top1[q] = status == HF_OK && found > 0 ? matches[0].id : -1;
    }
    double result = median(times, query_count) * 1e3;
    free(times);
    return result;
}

/* Reads faiss's JSON lines: median_ms and top-1 row indices per thread count. */
static int run_faiss(const char *folder, long count, int query_count, size_result *result,
                     const int64_t (*ours_top1)[2])
{
    const char *python = getenv("HF_PYTHON") ? getenv("HF_PYTHON") : "/usr/bin/python3";
    char command[1024];
    snprintf(command, sizeof(command), "%s %s/faiss_flat.py %s/vectors.f32 %s/queries.f32 %ld %d %d 1 2",
             python, HF_BENCH_HUB_DIR, folder, folder, count, query_count, TOP_K);
    FILE *pipe = popen(command, "r");
    if (!pipe)
        return 0;
    static char line[1 << 16];
    int parsed = 0;
    while (parsed < 2 && fgets(line, sizeof(line), pipe)) {
        int threads = 0;
        double ms = 0.0;
        char *top = strstr(line, "\"top1\": [");
        if (sscanf(line, "{\"threads\": %d, \"median_ms\": %lf", &threads, &ms) != 2 || !top ||
            threads < 1 || threads > 2)
            continue;
        result->faiss_ms[threads - 1] = ms;
        char *cursor = top + strlen("\"top1\": [");
        int agree = 0;
        for (int q = 0; q < query_count; q++) {
            long row = strtol(cursor, &cursor, 10);
            agree += row + 1 == ours_top1[q][threads - 1];
            cursor += strspn(cursor, ", ");
        }
        result->agreement[threads - 1] = agree;
        parsed++;
    }
    return pclose(pipe) == 0 && parsed == 2;
}

static int bench_size(long count, int query_count, const char *folder, size_result *result)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/vectors.f32", folder);
    FILE *vectors_file = fopen(path, "wb");
    hf_hub_config config = {0, NULL, 1};
    hf_hub *hub = NULL;
    float *queries = hf_malloc((size_t)query_count * HF_HUB_DIM * sizeof(float));
    int64_t (*top1)[2] = hf_malloc((size_t)query_count * sizeof(*top1));
    int64_t *column = hf_malloc((size_t)query_count * sizeof(*column));
    uint64_t state = 0x5eed0000ULL + (uint64_t)count;
    int ok = vectors_file && queries && top1 && column && hf_hub_open(&config, &hub) == HF_OK;
    ok = ok && fill_hub(hub, count, vectors_file, &state);
    if (vectors_file)
        ok = fclose(vectors_file) == 0 && ok;
    ok = ok && make_queries(hub, count, query_count, &state, queries);
    snprintf(path, sizeof(path), "%s/queries.f32", folder);
    FILE *queries_file = ok ? fopen(path, "wb") : NULL;
    ok = queries_file && fwrite(queries, sizeof(float) * HF_HUB_DIM, (size_t)query_count,
                                queries_file) == (size_t)query_count;
    if (queries_file)
        ok = fclose(queries_file) == 0 && ok;
    for (int threads = 1; ok && threads <= 2; threads++) {
        ok = hf_hub_set_threads(hub, threads) == HF_OK;
        result->ours_ms[threads - 1] = time_ours(hub, queries, query_count, column);
        for (int q = 0; q < query_count; q++)
            top1[q][threads - 1] = column[q];
    }
    /* The hub is freed first so ours and faiss never hold the vectors at once. */
    hf_hub_close(hub);
    result->count = count;
    ok = ok && run_faiss(folder, count, query_count, result, (const int64_t (*)[2])top1);
    hf_free(queries);
    hf_free(top1);
    hf_free(column);
    return ok;
}

/* ---- persistent bulk insert ---- */

static void bench_insert(const char *folder)
{
    enum { BATCH = 1000, BATCHES = 100, SINGLES = 2000 };
    char path[512];
    snprintf(path, sizeof(path), "%s/insert.db", folder);
    hf_hub_config config = {0, path, 1};
    hf_hub *hub = NULL;
    float *batch = hf_aligned_alloc(BATCH * HF_HUB_DIM * sizeof(float));
    int64_t ids[BATCH];
    uint64_t state = 77;
    if (!batch || hf_hub_open(&config, &hub) != HF_OK) {
        fprintf(stderr, "bench_hub: cannot open a persistent hub at %s\n", path);
        hf_aligned_free(batch);
        return;
    }
    double batch_seconds = 0.0;
    int ok = 1;
    for (int b = 0; ok && b < BATCHES; b++) {
        for (int r = 0; r < BATCH; r++)
            random_unit(&state, batch + (size_t)r * HF_HUB_DIM);
        double start = now_seconds();
        ok = hf_hub_insert_batch(hub, batch, BATCH, ids) == HF_OK;
        batch_seconds += now_seconds() - start;
    }
    double single_seconds = 0.0;
    for (int s = 0; ok && s < SINGLES; s++) {
        double start = now_seconds();
        ok = hf_hub_insert(hub, 0, batch + (size_t)(s % BATCH) * HF_HUB_DIM, ids) == HF_OK;
        single_seconds += now_seconds() - start;
    }
    hf_hub_close(hub);
    hf_aligned_free(batch);
    if (!ok) {
        fprintf(stderr, "bench_hub: an insert into %s failed\n", path);
        return;
    }
    printf("bulk insert with persistence: %.0f faces/s in batches of %d (target >= 20000); "
           "%.0f faces/s one transaction per insert\n",
           BATCH * BATCHES / batch_seconds, BATCH, SINGLES / single_seconds);
}

static const char *size_label(long count, char *buffer, size_t size)
{
    if (count >= 1000000 && count % 1000000 == 0)
        snprintf(buffer, size, "%ldM", count / 1000000);
    else if (count >= 1000 && count % 1000 == 0)
        snprintf(buffer, size, "%ldk", count / 1000);
    else
        snprintf(buffer, size, "%ld", count);
    return buffer;
}

int main(int argc, char **argv)
{
    long sizes[8] = {10000, 100000, 1000000};
    int size_count = 3;
    if (argc > 1) {
        size_count = 0;
        for (int i = 1; i < argc && size_count < 8; i++)
            sizes[size_count++] = atol(argv[i]);
    }
    int query_count = getenv("HF_BENCH_QUERIES") ? atoi(getenv("HF_BENCH_QUERIES")) : 100;
    char folder[] = "/tmp/hf-bench-hub-XXXXXX";
    if (!mkdtemp(folder)) {
        perror("bench_hub: mkdtemp");
        return 1;
    }
    printf("cpu level %s, %d queries per size, top-%d\n", hf_cpu_level_name(hf_cpu_level_get()),
           query_count, TOP_K);

    size_t float_count = BANDWIDTH_BYTES / sizeof(float);
    float *array = hf_aligned_alloc(BANDWIDTH_BYTES);
    double bandwidth[2] = {0.0, 0.0};
    if (array) {
        for (size_t i = 0; i < float_count; i++)
            array[i] = 1.0f;
        bandwidth[0] = read_bandwidth(array, float_count, 1);
        bandwidth[1] = read_bandwidth(array, float_count, 2);
        hf_aligned_free(array);
    }
    printf("memory read bandwidth (sum over 1 GiB): 1 thread %.1f GB/s, 2 threads %.1f GB/s\n",
           bandwidth[0], bandwidth[1]);

    bench_insert(folder);

    size_result results[8];
    int status = 0;
    char label[32];
    for (int s = 0; s < size_count; s++) {
        memset(&results[s], 0, sizeof(results[s]));
        if (!bench_size(sizes[s], query_count, folder, &results[s])) {
            fprintf(stderr, "bench_hub: the run at N=%ld failed\n", sizes[s]);
            status = 1;
            break;
        }
        const size_result *r = &results[s];
        printf("N=%-8s ours 1T %8.3f ms 2T %8.3f ms | faiss 1T %8.3f ms 2T %8.3f ms | "
               "ratio 1T %.2f 2T %.2f | top-1 agreement %d/%d, %d/%d\n",
               size_label(r->count, label, sizeof(label)), r->ours_ms[0], r->ours_ms[1],
               r->faiss_ms[0], r->faiss_ms[1], r->ours_ms[0] / r->faiss_ms[0],
               r->ours_ms[1] / r->faiss_ms[1], r->agreement[0], query_count, r->agreement[1],
               query_count);
        double bytes = (double)r->count * HF_HUB_DIM * sizeof(float);
        printf("N=%-8s ours reads 1T %.1f GB/s (%.0f%% of 1-thread bandwidth), "
               "2T %.1f GB/s (%.0f%% of 2-thread bandwidth)\n",
               label, bytes / r->ours_ms[0] / 1e6, 100.0 * bytes / r->ours_ms[0] / 1e6 / bandwidth[0],
               bytes / r->ours_ms[1] / 1e6, 100.0 * bytes / r->ours_ms[1] / 1e6 / bandwidth[1]);
    }
    char command[600];
    snprintf(command, sizeof(command), "rm -rf '%s'", folder);
    if (system(command) != 0)
        fprintf(stderr, "bench_hub: cannot remove %s\n", folder);
    if (status != 0 || size_count == 0)
        return status;
    /* The summary uses the largest size; bandwidth used compares our
     * 2-thread scan with the 2-thread sum. */
    const size_result *last = &results[size_count - 1];
    double bytes = (double)last->count * HF_HUB_DIM * sizeof(float);
    printf("%s top-10 ratio ours/faiss: 1 thread %.2f, 2 threads %.2f; bandwidth used %.0f%%\n",
           size_label(last->count, label, sizeof(label)), last->ours_ms[0] / last->faiss_ms[0],
           last->ours_ms[1] / last->faiss_ms[1], 100.0 * bytes / last->ours_ms[1] / 1e6 / bandwidth[1]);
    return 0;
}
