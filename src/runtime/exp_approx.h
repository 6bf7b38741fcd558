/* exp(x) for the element-wise kernels, written so that GCC vectorizes the
 * loops that call it (libm's expf is a call per element, which took 60 % of
 * fr_detect's box-decoding tail). */
#ifndef HF_RUNTIME_EXP_APPROX_H
#define HF_RUNTIME_EXP_APPROX_H

#include <stdint.h>
#include <string.h>

/* Returns exp(x) within 2 ulp of the exact value for x in [-87.3, 88.3]:
 * x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2, and exp(r) from
 * the degree-6 polynomial of Cephes' expf (S. L. Moshier, release 2.2). The bound on x
 * keeps 2^n a normal float. Above it the result is +inf when x > 88.72
 * (expf overflows there) and exp(88.38) between; below -87.3 it is 0
 * (expf gives subnormals there, and the runtime flushes those to zero).
 * NaN gives NaN. */
static inline float hf_exp_approx(float x)
{
    const float log2e = 1.44269504088896341f;
    const float ln2_high = 0.693359375f, ln2_low = -2.12194440e-4f;
    /* Adding and subtracting 1.5 * 2^23 rounds to the nearest integer. */
    const float round_magic = 12582912.0f;
    float clamped = x < 88.3762626647949f ? x : 88.3762626647949f;
    clamped = clamped > -87.3365478515625f ? clamped : -87.3365478515625f;

    float n = (clamped * log2e + round_magic) - round_magic;
    float r = clamped - n * ln2_high - n * ln2_low;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;

    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float result = p * scale;

    result = x > 88.72283935546875f ? __builtin_inff() : result;
    result = x < -87.3365478515625f ? 0.0f : result;
    return x == x ? result : x;
}

#endif
