/* Exact cosine scan over the store: SIMD dot products in blocks of rows,
 * feeding a bounded top-k heap. */
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HF_HUB_X86 1
#endif

#include "base/cpu.h"
#include "hub/hub_internal.h"

/* Rows scored per kernel call; their scores stay in a small stack buffer. */
#define HF_HUB_BLOCK_ROWS 128

static void dot_generic(const float *rows, size_t count, const float *query, float *scores)
{
    for (size_t r = 0; r < count; r++) {
        const float *row = rows + r * HF_HUB_DIM;
        float acc[8] = {0};
        for (int i = 0; i < HF_HUB_DIM; i += 8)
            for (int j = 0; j < 8; j++)
                acc[j] += row[i + j] * query[i + j];
        scores[r] = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    }
}

#ifdef HF_HUB_X86
__attribute__((target("avx2,fma"))) static void dot_avx2(const float *rows, size_t count,
                                                          const float *query, float *scores)
{
    for (size_t r = 0; r < count; r++) {
        const float *row = rows + r * HF_HUB_DIM;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int i = 0; i < HF_HUB_DIM; i += 32) {
            a0 = _mm256_fmadd_ps(_mm256_load_ps(row + i), _mm256_loadu_ps(query + i), a0);
            a1 = _mm256_fmadd_ps(_mm256_load_ps(row + i + 8), _mm256_loadu_ps(query + i + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_load_ps(row + i + 16), _mm256_loadu_ps(query + i + 16),
                                 a2);
            a3 = _mm256_fmadd_ps(_mm256_load_ps(row + i + 24), _mm256_loadu_ps(query + i + 24),
                                 a3);
        }
        __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        half = _mm_add_ps(half, _mm_movehl_ps(half, half));
        half = _mm_add_ss(half, _mm_movehdup_ps(half));
        scores[r] = _mm_cvtss_f32(half);
    }
}

/* Two rows per pass give eight independent FMA chains, enough to keep the
 * loads streaming at memory speed. */
__attribute__((target("avx512f"))) static void dot_avx512(const float *rows, size_t count,
                                                          const float *query, float *scores)
{
    size_t r = 0;
    for (; r + 2 <= count; r += 2) {
        const float *x = rows + r * HF_HUB_DIM;
        const float *y = x + HF_HUB_DIM;
        __m512 x0 = _mm512_setzero_ps(), x1 = _mm512_setzero_ps();
        __m512 x2 = _mm512_setzero_ps(), x3 = _mm512_setzero_ps();
        __m512 y0 = _mm512_setzero_ps(), y1 = _mm512_setzero_ps();
        __m512 y2 = _mm512_setzero_ps(), y3 = _mm512_setzero_ps();
        for (int i = 0; i < HF_HUB_DIM; i += 64) {
            __m512 q0 = _mm512_loadu_ps(query + i), q1 = _mm512_loadu_ps(query + i + 16);
            __m512 q2 = _mm512_loadu_ps(query + i + 32), q3 = _mm512_loadu_ps(query + i + 48);
            x0 = _mm512_fmadd_ps(_mm512_load_ps(x + i), q0, x0);
            x1 = _mm512_fmadd_ps(_mm512_load_ps(x + i + 16), q1, x1);
            x2 = _mm512_fmadd_ps(_mm512_load_ps(x + i + 32), q2, x2);
            x3 = _mm512_fmadd_ps(_mm512_load_ps(x + i + 48), q3, x3);
            y0 = _mm512_fmadd_ps(_mm512_load_ps(y + i), q0, y0);
            y1 = _mm512_fmadd_ps(_mm512_load_ps(y + i + 16), q1, y1);
            y2 = _mm512_fmadd_ps(_mm512_load_ps(y + i + 32), q2, y2);
            y3 = _mm512_fmadd_ps(_mm512_load_ps(y + i + 48), q3, y3);
        }
        scores[r] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(x0, x1),
                                                       _mm512_add_ps(x2, x3)));
        scores[r + 1] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(y0, y1),
                                                           _mm512_add_ps(y2, y3)));
    }
    if (r < count)
        dot_avx2(rows + r * HF_HUB_DIM, count - r, query, scores + r);
}
#endif

hf_hub_dot_fn hf_hub_dot_select(void)
{
#ifdef HF_HUB_X86
    hf_cpu_level level = hf_cpu_level_get();
    if (level >= HF_CPU_AVX512)
        return dot_avx512;
    if (level >= HF_CPU_AVX2)
        return dot_avx2;
#endif
    return dot_generic;
}

static void heap_swap(hf_hub_match *a, hf_hub_match *b)
{
    hf_hub_match t = *a;
    *a = *b;
    *b = t;
}

static void heap_sift_down(hf_hub_match *items, int size, int i)
{
    for (;;) {
        int smallest = i, left = 2 * i + 1, right = left + 1;
        if (left < size && items[left].score < items[smallest].score)
            smallest = left;
        if (right < size && items[right].score < items[smallest].score)
            smallest = right;
        if (smallest == i)
            return;
        heap_swap(&items[i], &items[smallest]);
        i = smallest;
    }
}

void hf_hub_heap_push(hf_hub_heap *heap, float score, int64_t id)
{
    if (heap->size < heap->capacity) {
        int i = heap->size++;
        heap->items[i].score = score;
        heap->items[i].id = id;
        while (i > 0 && heap->items[(i - 1) / 2].score > heap->items[i].score) {
            heap_swap(&heap->items[(i - 1) / 2], &heap->items[i]);
            i = (i - 1) / 2;
        }
        return;
    }
    if (heap->capacity == 0 || score <= heap->items[0].score)
        return;
    heap->items[0].score = score;
    heap->items[0].id = id;
    heap_sift_down(heap->items, heap->size, 0);
}

void hf_hub_heap_sort(hf_hub_heap *heap)
{
    /* Popping the minimum to the back leaves the items best first. */
    for (int end = heap->size - 1; end > 0; end--) {
        heap_swap(&heap->items[0], &heap->items[end]);
        heap_sift_down(heap->items, end, 0);
    }
}

void hf_hub_scan(const hf_hub_store *store, size_t begin, size_t end, const float *query,
                 float threshold, hf_hub_heap *heap)
{
    hf_hub_dot_fn dot = hf_hub_dot_select();
    float scores[HF_HUB_BLOCK_ROWS];
    for (size_t base = begin; base < end; base += HF_HUB_BLOCK_ROWS) {
        size_t count = end - base < HF_HUB_BLOCK_ROWS ? end - base : HF_HUB_BLOCK_ROWS;
        dot(store->vectors + base * HF_HUB_DIM, count, query, scores);
        /* Once the heap is full only scores above its minimum can enter. */
        float floor = threshold;
        if (heap->size == heap->capacity && heap->capacity > 0 && heap->items[0].score > floor)
            floor = heap->items[0].score;
        for (size_t i = 0; i < count; i++) {
            if (scores[i] >= floor) {
                hf_hub_heap_push(heap, scores[i], store->ids[base + i]);
                if (heap->size == heap->capacity && heap->items[0].score > floor)
                    floor = heap->items[0].score;
            }
        }
    }
}
