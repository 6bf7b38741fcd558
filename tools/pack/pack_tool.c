/* hf-pack: writes a model pack from a manifest template, or lists one.
 *
 *   hf-pack build TEMPLATE MODEL_DIR PINNED_SHA256_LIST OUT
 *   hf-pack info PACK
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/status.h"
#include "pack/pack.h"

static int usage(void)
{
    fprintf(stderr, "usage: hf-pack build TEMPLATE MODEL_DIR PINNED_SHA256_LIST OUT\n"
                    "       hf-pack info PACK\n");
    return 2;
}

static int run_build(char **argv)
{
    hf_status status = hf_pack_build(argv[0], argv[1], argv[2], argv[3]);

    if (status != HF_OK) {
        fprintf(stderr, "hf-pack: building %s failed: %s\n", argv[3], hf_status_message(status));
        return 1;
    }
    printf("hf-pack: wrote %s\n", argv[3]);
    return 0;
}

static int run_info(const char *path)
{
    hf_pack *pack;
    char *text;
    hf_status status = hf_pack_open(path, &pack);

    if (status != HF_OK) {
        fprintf(stderr, "hf-pack: cannot open %s: %s\n", path, hf_status_message(status));
        return 1;
    }
    text = hf_pack_describe(pack);
    hf_pack_release(pack);
    if (text == NULL) {
        fprintf(stderr, "hf-pack: out of memory\n");
        return 1;
    }
    fputs(text, stdout);
    hf_free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "build") == 0) {
        return run_build(argv + 2);
    }
    if (argc == 3 && strcmp(argv[1], "info") == 0) {
        return run_info(argv[2]);
    }
    return usage();
}
