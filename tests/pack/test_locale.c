/* Manifests read the same after the host program switched LC_NUMERIC to a
 * locale with a decimal comma (de_DE), for example with setlocale(LC_ALL, "").
 * The tests compile that locale with localedef into the build tree, because a
 * minimal system may have none installed. Without localedef they are skipped. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "inspireface.h"
#include "pack/pack.h"
#include "pack_fixture.h"

#define LOCALE_DIR HF_BINARY_DIR "/tests/pack/locale"
#define COMMA_LOCALE "de_DE.UTF-8"

/* Compiles de_DE into LOCALE_DIR once and switches the whole process to it.
 * Returns 0 when the locale is active and uses a decimal comma. */
static int comma_locale_enter(void)
{
    struct stat info;

    if (stat(LOCALE_DIR "/" COMMA_LOCALE, &info) != 0) {
        char command[FIXTURE_PATH_MAX + 128];

        snprintf(command, sizeof(command),
                 "mkdir -p '%s' && localedef -i de_DE -f UTF-8 '%s/%s' >/dev/null 2>&1",
                 LOCALE_DIR, LOCALE_DIR, COMMA_LOCALE);
        if (system(command) != 0) {
            return -1;
        }
    }
    if (setenv("LOCPATH", LOCALE_DIR, 1) != 0 || setlocale(LC_ALL, COMMA_LOCALE) == NULL) {
        return -1;
    }
    if (strcmp(localeconv()->decimal_point, ",") != 0) {
        setlocale(LC_ALL, "C");
        return -1;
    }
    return 0;
}

static void comma_locale_leave(void)
{
    setlocale(LC_ALL, "C");
}

static void comma_locale_json_numbers(void **state)
{
    static const char text[] = "[0.5, -1.25e-1, 1E3, 0.336, 12]";
    static const double expected[] = {0.5, -0.125, 1000.0, 0.336, 12.0};
    hf_json *value = NULL;

    (void)state;
    if (comma_locale_enter() != 0) {
        skip();
    }
    assert_int_equal(hf_json_parse(text, strlen(text), &value), HF_OK);
    comma_locale_leave();
    assert_int_equal(hf_json_count(value), 5);
    for (size_t i = 0; i < 5; i++) {
        double parsed = hf_json_number(hf_json_at(value, i), -99);

        if (parsed != expected[i]) {
            fail_msg("element %zu: got %.17g, expected %.17g", i, parsed, expected[i]);
        }
    }
    hf_json_free(value);
}

/* The tiny pack's converter block gives threshold 0.42. Read with strtod in
 * the comma locale it would be 0, and the manifest check would reject it. */
static void comma_locale_launch_converter(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char pack[FIXTURE_PATH_MAX];
    HFloat threshold = 0;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    assert_int_equal(fixture_tiny_pack(dir, pack), HF_OK);
    if (comma_locale_enter() != 0) {
        fixture_dir_remove(dir);
        skip();
    }
    assert_int_equal(HFLaunchInspireFace(pack), HSUCCEED);
    comma_locale_leave();
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_true(threshold == 0.42f);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    fixture_dir_remove(dir);
}

/* The builder writes the template's numbers back with a '.', so a pack built
 * in the comma locale still opens and keeps threshold 0.42. */
static void comma_locale_build_pack(void **state)
{
    char dir[FIXTURE_PATH_MAX];
    char pack[FIXTURE_PATH_MAX];
    int status;
    HFloat threshold = 0;

    (void)state;
    assert_int_equal(fixture_dir_create(dir), 0);
    if (comma_locale_enter() != 0) {
        fixture_dir_remove(dir);
        skip();
    }
    status = fixture_tiny_pack(dir, pack);
    comma_locale_leave();
    assert_int_equal(status, HF_OK);
    assert_int_equal(HFLaunchInspireFace(pack), HSUCCEED);
    assert_int_equal(HFGetRecommendedCosineThreshold(&threshold), HSUCCEED);
    assert_true(threshold == 0.42f);
    assert_int_equal(HFTerminateInspireFace(), HSUCCEED);
    fixture_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comma_locale_json_numbers),
        cmocka_unit_test(comma_locale_launch_converter),
        cmocka_unit_test(comma_locale_build_pack),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
