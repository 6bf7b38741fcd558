/* LFW pairs files and feature caching for the evaluation commands. */
#ifndef HF_CLI_CLI_PAIRS_H
#define HF_CLI_CLI_PAIRS_H

#include "cli.h"

/* One pair: two image paths relative to the root, the truth and the score. */
typedef struct cli_pair {
    char first[256];
    char second[256];
    int same;
    int fold;
    float similarity; /* -1 when either image has no face */
} cli_pair;

typedef struct cli_pair_set {
    cli_pair *pairs;
    int count;
    int folds;
} cli_pair_set;

/* Reads an LFW pairs file: a "FOLDS PAIRS_PER_CLASS" header, then per fold
 * that many same-person lines "NAME N1 N2" and different-person lines
 * "NAME1 N1 NAME2 N2". */
int cli_pairs_read(const char *path, cli_pair_set *set);
void cli_pairs_free(cli_pair_set *set);

/* Extracts each distinct image once and scores every pair; counts the
 * images in which no face was found. */
int cli_pairs_score(HFSession session, const char *root, cli_pair_set *set, int *missing);

/* Returns the cosine of two 512-float features (-1 on failure). */
float cli_cosine(const float *a, const float *b);

#endif
