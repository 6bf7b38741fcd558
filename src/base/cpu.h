/* CPU feature detection for run-time kernel dispatch, and the floating-point
 * mode every kernel thread runs with. */
#ifndef HF_BASE_CPU_H
#define HF_BASE_CPU_H

typedef enum hf_cpu_level {
    HF_CPU_GENERIC = 0, /* portable C only */
    HF_CPU_AVX2 = 1,    /* AVX2 + FMA */
    HF_CPU_AVX512 = 2,  /* AVX-512 F, BW, DQ, VL */
} hf_cpu_level;

/* Returns the best level this CPU and operating system support, capped by
 * the environment variable HF_CPU ("generic", "avx2" or "avx512") so tests
 * can force the portable path on any machine. Computed once. */
hf_cpu_level hf_cpu_level_get(void);

/* Returns "generic", "avx2" or "avx512". */
const char *hf_cpu_level_name(hf_cpu_level level);

/* Sets flush-to-zero and denormals-are-zero on the calling thread (x86 MXCSR;
 * a no-op elsewhere). Several face models hold denormal weights that would
 * otherwise make convolutions many times slower. */
void hf_cpu_set_flush_denormals(void);

#endif
