/* inspireface: detect faces, compare two photos, evaluate LFW-style pairs
 * and list the model pack, from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_hub.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: inspireface [--pack PATH] COMMAND ...\n"
            "\n"
            "commands:\n"
            "  detect IMAGE... [--json] [--draw OUT.png] [--min-score S]\n"
            "      boxes, scores, five key points and head pose of every face scoring\n"
            "      above S (default 0.5, InspireFace's default)\n"
            "  compare A B\n"
            "      cosine similarity of the central faces of two images and the verdict\n"
            "      at the pack's recommended threshold\n"
            "  eval-pairs PAIRS.txt ROOT\n"
            "      LFW pairs file evaluation (images at ROOT/NAME/NAME_NNNN.jpg)\n"
            "  threshold ROOT [--far RATE]\n"
            "      cosine threshold at a false-accept rate (default 1e-3) over every\n"
            "      different-person pair of one image per person under ROOT\n"
            "  info\n"
            "      models, roles, checksums and licences of the pack\n"
            "  enroll DIR|LIST --db FILE\n"
            "      adds the central face of each image to the gallery FILE (created when\n"
            "      missing): DIR holds images, each named by its file stem, or one folder\n"
            "      per person; LIST is a text file of image paths, one a line, relative to\n"
            "      its folder, named by their folder (else stem). FILE is a SQLite database\n"
            "      holding the hub's vectors and a cli_identities(id, name) table\n"
            "  search IMAGE --db FILE [--top K] [--json]\n"
            "      the K (default 5) gallery entries most similar to the central face\n"
            "\n"
            "--pack PATH  model pack (default: $INSPIREFACE_PACK, then %s)\n",
            HF_CLI_DEFAULT_PACK);
}

/* Removes the options from argv, keeping the positional arguments in order;
 * returns the new count or -1 after printing an error. */
static int parse_options(int argc, char **argv, cli_options *options)
{
    int kept = 0;

    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int takes_value = strcmp(arg, "--pack") == 0 || strcmp(arg, "--draw") == 0 ||
                          strcmp(arg, "--far") == 0 || strcmp(arg, "--min-score") == 0;

        if (takes_value && i + 1 >= argc) {
            fprintf(stderr, "inspireface: option %s needs a value\n", arg);
            return -1;
        }
        if (strcmp(arg, "--pack") == 0) {
            options->pack = argv[++i];
        } else if (strcmp(arg, "--draw") == 0) {
            options->draw = argv[++i];
        } else if (strcmp(arg, "--far") == 0) {
            char *end = NULL;

            options->far = strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' || !(options->far > 0.0 && options->far < 1.0)) {
                fprintf(stderr, "inspireface: --far needs a rate between 0 and 1, got '%s'\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(arg, "--min-score") == 0) {
            char *end = NULL;

            options->min_score = strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' ||
                !(options->min_score >= 0.0 && options->min_score < 1.0)) {
                fprintf(stderr, "inspireface: --min-score needs a score from 0 to 1, got '%s'\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(arg, "--json") == 0) {
            options->json = 1;
        } else if (strncmp(arg, "--", 2) == 0 && strcmp(arg, "--help") != 0) {
            fprintf(stderr, "inspireface: unknown option %s (see inspireface --help)\n", arg);
            return -1;
        } else {
            argv[kept++] = argv[i];
        }
    }
    return kept;
}

/* Takes --db FILE and --top K out of argv, which parse_options does not
 * know; returns the new count or -1 after printing an error. */
static int take_hub_options(int argc, char **argv, const char **db, int *top)
{
    int kept = 0;

    for (int i = 0; i < argc; i++) {
        int is_db = strcmp(argv[i], "--db") == 0;

        if (!is_db && strcmp(argv[i], "--top") != 0) {
            argv[kept++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "inspireface: option %s needs a value\n", argv[i]);
            return -1;
        }
        if (is_db) {
            *db = argv[++i];
        } else {
            char *end = NULL;
            long value = strtol(argv[++i], &end, 10);

            if (end == argv[i] || *end != '\0' || value < 1 || value > 10000) {
                fprintf(stderr, "inspireface: --top needs a count from 1 to 10000, got '%s'\n",
                        argv[i]);
                return -1;
            }
            *top = (int)value;
        }
    }
    return kept;
}

static int expect_args(const char *command, int count, int expected)
{
    if (count != expected) {
        fprintf(stderr, "inspireface %s: expected %d argument%s, got %d (see inspireface "
                        "--help)\n",
                command, expected, expected == 1 ? "" : "s", count);
        return 0;
    }
    return 1;
}

static int run_hub_command(const cli_options *options, const char *command, const char *db,
                           int top, int count, char **args)
{
    if (!expect_args(command, count, 1)) {
        return CLI_EXIT_USAGE;
    }
    if (db == NULL) {
        fprintf(stderr, "inspireface %s: give the gallery database with --db FILE\n", command);
        return CLI_EXIT_USAGE;
    }
    return strcmp(command, "enroll") == 0 ? cli_enroll(options, db, args[0])
                                          : cli_search(options, db, args[0], top);
}

/* Rejects --json, --draw and --db on commands that would ignore them, so a
 * caller asking for JSON never gets text instead. */
static int options_apply(const char *command, const cli_options *options, const char *db)
{
    int detect = strcmp(command, "detect") == 0;
    int search = strcmp(command, "search") == 0;
    int hub = search || strcmp(command, "enroll") == 0;
    int known = detect || hub || strcmp(command, "compare") == 0
                || strcmp(command, "eval-pairs") == 0 || strcmp(command, "threshold") == 0
                || strcmp(command, "info") == 0;
    const char *unused = NULL;

    if (!known) {
        return 1; /* main reports the unknown command */
    }
    if (options->json && !detect && !search) {
        unused = "--json";
    } else if (options->draw != NULL && !detect) {
        unused = "--draw";
    } else if (options->min_score >= 0.0 && !detect) {
        unused = "--min-score";
    } else if (db != NULL && !hub) {
        unused = "--db";
    }
    if (unused != NULL) {
        fprintf(stderr, "inspireface %s: option %s does not apply to this command (see "
                        "inspireface --help)\n",
                command, unused);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    cli_options options = {NULL, NULL, 0, 1e-3, -1.0};
    const char *db = NULL;
    int top = 5;
    int count = take_hub_options(argc - 1, argv + 1, &db, &top);

    count = count < 0 ? -1 : parse_options(count, argv + 1, &options);
    char **args = argv + 2;
    const char *command;

    if (count < 0) {
        return CLI_EXIT_USAGE;
    }
    if (count == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(count == 0 ? stderr : stdout);
        return count == 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    command = argv[1];
    count--;
    if (!options_apply(command, &options, db)) {
        return CLI_EXIT_USAGE;
    }
    if (strcmp(command, "detect") == 0) {
        if (count < 1) {
            fprintf(stderr, "inspireface detect: give at least one image\n");
            return CLI_EXIT_USAGE;
        }
        return cli_detect(&options, count, args);
    }
    if (strcmp(command, "compare") == 0) {
        return expect_args(command, count, 2) ? cli_compare(&options, args[0], args[1])
                                               : CLI_EXIT_USAGE;
    }
    if (strcmp(command, "eval-pairs") == 0) {
        return expect_args(command, count, 2) ? cli_eval_pairs(&options, args[0], args[1])
                                               : CLI_EXIT_USAGE;
    }
    if (strcmp(command, "threshold") == 0) {
        return expect_args(command, count, 1) ? cli_threshold(&options, args[0])
                                               : CLI_EXIT_USAGE;
    }
    if (strcmp(command, "enroll") == 0 || strcmp(command, "search") == 0) {
        return run_hub_command(&options, command, db, top, count, args);
    }
    if (strcmp(command, "info") == 0) {
        return expect_args(command, count, 0) ? cli_info(&options) : CLI_EXIT_USAGE;
    }
    fprintf(stderr, "inspireface: unknown command '%s' (see inspireface --help)\n", command);
    return CLI_EXIT_USAGE;
}
