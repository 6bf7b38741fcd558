/* Helpers shared by the FeatureHub tests: reproducible random unit vectors
 * and their perturbations. */
#ifndef HF_TESTS_HUB_FIXTURE_H
#define HF_TESTS_HUB_FIXTURE_H

#include <math.h>
#include <stdint.h>

#define FIXTURE_DIM 512

/* xorshift64*: a fixed stream for a given seed, independent of libc. */
static inline uint64_t fixture_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 2685821657736338717ULL;
}

/* Standard normal sample by the Box-Muller transform. */
static inline double fixture_gaussian(uint64_t *state)
{
    double u1 = ((fixture_next(state) >> 11) + 1.0) / 9007199254740993.0;
    double u2 = (fixture_next(state) >> 11) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static inline void fixture_normalize(float *v)
{
    double sum = 0.0;
    for (int i = 0; i < FIXTURE_DIM; i++)
        sum += (double)v[i] * v[i];
    double scale = 1.0 / sqrt(sum);
    for (int i = 0; i < FIXTURE_DIM; i++)
        v[i] = (float)(v[i] * scale);
}

/* A uniformly distributed unit vector. */
static inline void fixture_unit(uint64_t *state, float *out)
{
    for (int i = 0; i < FIXTURE_DIM; i++)
        out[i] = (float)fixture_gaussian(state);
    fixture_normalize(out);
}

/* `base` plus Gaussian noise of standard deviation sigma per element,
 * renormalised. */
static inline void fixture_perturb(uint64_t *state, const float *base, double sigma, float *out)
{
    for (int i = 0; i < FIXTURE_DIM; i++)
        out[i] = (float)(base[i] + sigma * fixture_gaussian(state));
    fixture_normalize(out);
}

/* Cosine similarity in double precision, the reference for every score. */
static inline double fixture_cosine(const float *a, const float *b)
{
    double dot = 0.0, na = 0.0, nb = 0.0;
    for (int i = 0; i < FIXTURE_DIM; i++) {
        dot += (double)a[i] * b[i];
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    return dot / sqrt(na * nb);
}

#endif
