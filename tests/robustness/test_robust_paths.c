/* Paths that name something other than a regular file: a FIFO with no
 * writer used to block the calling thread forever inside fopen, and a
 * directory was read as a file of LONG_MAX bytes. Each call must fail at
 * once with its documented code and create nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "inspireface.h"

typedef struct paths {
    char folder[64];
    char fifo[96];
} paths;

static int paths_setup(void **state)
{
    paths *p = calloc(1, sizeof(*p));

    if (p == NULL) {
        return -1;
    }
    strcpy(p->folder, "/tmp/hf-robust-XXXXXX");
    if (mkdtemp(p->folder) == NULL) {
        free(p);
        return -1;
    }
    snprintf(p->fifo, sizeof(p->fifo), "%s/pipe", p->folder);
    if (mkfifo(p->fifo, 0600) != 0) {
        rmdir(p->folder);
        free(p);
        return -1;
    }
    HFSetLogLevel(HF_LOG_NONE);
    *state = p;
    return 0;
}

static int paths_teardown(void **state)
{
    paths *p = *state;

    unlink(p->fifo);
    rmdir(p->folder);
    free(p);
    return 0;
}

static void bitmap_rejects_fifo(void **state)
{
    paths *p = *state;
    HFImageBitmap bitmap = NULL;

    assert_int_equal(HFCreateImageBitmapFromFilePath(p->fifo, 3, &bitmap),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_null(bitmap);
}

static void bitmap_rejects_folder(void **state)
{
    paths *p = *state;
    HFImageBitmap bitmap = NULL;

    assert_int_equal(HFCreateImageBitmapFromFilePath(p->folder, 1, &bitmap),
                     HERR_INVALID_IMAGE_BITMAP_HANDLE);
    assert_null(bitmap);
}

static void launch_rejects_fifo(void **state)
{
    paths *p = *state;
    HInt32 launched = -1;

    /* The path exists, so the code is the one for an unreadable pack. */
    assert_int_equal(HFLaunchInspireFace(p->fifo), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(HFQueryInspireFaceLaunchStatus(&launched), HSUCCEED);
    assert_int_equal(launched, 0);
}

static void launch_rejects_folder(void **state)
{
    paths *p = *state;

    assert_int_equal(HFLaunchInspireFace(p->folder), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
    assert_int_equal(HFReloadInspireFace(p->fifo), HERR_ARCHIVE_LOAD_MODEL_FAILURE);
}

static void hub_rejects_fifo(void **state)
{
    paths *p = *state;
    HFFeatureHubConfiguration config = {HF_PK_AUTO_INCREMENT, 1, p->fifo, 0.48f,
                                        HF_SEARCH_MODE_EAGER};
    HInt32 count = -1;

    assert_int_equal(HFFeatureHubDataEnable(config), HERR_INVALID_PARAM);
    assert_int_equal(HFFeatureHubGetFaceCount(&count), HSUCCEED);
    assert_int_equal(count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bitmap_rejects_fifo),
        cmocka_unit_test(bitmap_rejects_folder),
        cmocka_unit_test(launch_rejects_fifo),
        cmocka_unit_test(launch_rejects_folder),
        cmocka_unit_test(hub_rejects_fifo),
    };
    return cmocka_run_group_tests(tests, paths_setup, paths_teardown);
}
