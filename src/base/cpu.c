#include "base/cpu.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HF_X86 1
#endif

#ifdef HF_X86
static unsigned long long read_xcr0(void)
{
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static hf_cpu_level detect_level(void)
{
    unsigned int eax, ebx, ecx, edx;

    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return HF_CPU_GENERIC;
    int has_fma = (ecx >> 12) & 1;
    int has_osxsave = (ecx >> 27) & 1;
    int has_avx = (ecx >> 28) & 1;
    if (!has_osxsave || !has_avx || !has_fma)
        return HF_CPU_GENERIC;

    unsigned long long xcr0 = read_xcr0();
    if ((xcr0 & 0x6) != 0x6) /* XMM and YMM state enabled by the OS */
        return HF_CPU_GENERIC;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return HF_CPU_GENERIC;
    int has_avx2 = (ebx >> 5) & 1;
    if (!has_avx2)
        return HF_CPU_GENERIC;

    int has_avx512 = ((ebx >> 16) & 1) && ((ebx >> 17) & 1) && ((ebx >> 30) & 1) &&
                     ((ebx >> 31) & 1); /* F, DQ, BW, VL */
    if (has_avx512 && (xcr0 & 0xe6) == 0xe6) /* opmask and ZMM state too */
        return HF_CPU_AVX512;
    return HF_CPU_AVX2;
}
#else
static hf_cpu_level detect_level(void)
{
    return HF_CPU_GENERIC;
}
#endif

static atomic_int cached_level = -1;

hf_cpu_level hf_cpu_level_get(void)
{
    int level = atomic_load(&cached_level);
    if (level >= 0)
        return (hf_cpu_level)level;

    level = detect_level();
    const char *cap = getenv("HF_CPU");
    if (cap != NULL) {
        if (strcmp(cap, "generic") == 0)
            level = HF_CPU_GENERIC;
        else if (strcmp(cap, "avx2") == 0 && level > HF_CPU_AVX2)
            level = HF_CPU_AVX2;
    }
    atomic_store(&cached_level, level);
    return (hf_cpu_level)level;
}

const char *hf_cpu_level_name(hf_cpu_level level)
{
    switch (level) {
    case HF_CPU_AVX512: return "avx512";
    case HF_CPU_AVX2: return "avx2";
    default: return "generic";
    }
}

void hf_cpu_set_flush_denormals(void)
{
#ifdef HF_X86
    /* FTZ is bit 15, DAZ bit 6 of MXCSR. */
    _mm_setcsr(_mm_getcsr() | 0x8040);
#endif
}
