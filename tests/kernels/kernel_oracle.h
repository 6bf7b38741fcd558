/* Test-side helpers for the kernel tests: a seeded random source, a
 * double-precision convolution written independently of the library, and a
 * comparison whose tolerance scales with sum |w * x| of each output. */
#ifndef HF_TESTS_KERNEL_ORACLE_H
#define HF_TESTS_KERNEL_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/kernels/kernels.h"

typedef struct oracle_rng {
    uint64_t state;
} oracle_rng;

/* Returns a uniform integer in [0, bound). */
uint32_t oracle_rng_below(oracle_rng *rng, uint32_t bound);

/* Returns a uniform float in [-1, 1). */
float oracle_rng_float(oracle_rng *rng);

void oracle_fill(oracle_rng *rng, float *dst, size_t count);

/* Computes the convolution of `desc` in double precision into expected[],
 * and into magnitude[] the sum of |w * x| + |bias| + |residual| per output,
 * the scale of the rounding error a float kernel may make. */
void oracle_conv(const hf_conv_desc *desc, const float *input, const float *weights,
                 const float *bias, const float *residual, double *expected,
                 double *magnitude);

/* Returns the index of the first output outside tolerance, or -1. The
 * tolerance is rel * magnitude + 1e-6. */
long oracle_first_mismatch(const float *got, const double *expected, const double *magnitude,
                           size_t count, double rel);

/* Formats the descriptor as one line for failure messages. */
const char *oracle_conv_text(const hf_conv_desc *desc);

#endif
