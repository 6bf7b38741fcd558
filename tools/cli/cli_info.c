/* inspireface info: the contents of the model pack. */
#include <stdio.h>

#include "cli.h"

int cli_info(const cli_options *options)
{
    (void)options;
    /* TODO: print the pack listing with the pack module's formatter. */
    fprintf(stderr, "inspireface info: the pack listing is not available in this build\n");
    return CLI_EXIT_FAILED;
}
