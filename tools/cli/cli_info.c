/* inspireface info: the contents of the model pack. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "base/alloc.h"
#include "pack/pack.h"

int cli_info(const cli_options *options)
{
    const char *path = cli_pack_path(options);
    hf_pack *pack = NULL;
    hf_status status = hf_pack_open(path, &pack);
    char *listing;

    if (status != HF_OK) {
        fprintf(stderr, "inspireface: cannot open the model pack %s: %s; build it with "
                        "tools/pack/build-pack.sh or name one with --pack or INSPIREFACE_PACK\n",
                path, hf_status_message(status));
        return CLI_EXIT_PACK;
    }
    listing = hf_pack_describe(pack);
    if (listing == NULL) {
        fprintf(stderr, "inspireface: out of memory while listing %s\n", path);
        hf_pack_release(pack);
        return CLI_EXIT_FAILED;
    }
    printf("pack: %s\n%s", path, listing);
    hf_free(listing);
    hf_pack_release(pack);
    return CLI_EXIT_OK;
}
