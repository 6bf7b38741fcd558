/* The enroll and search commands end to end: the inspireface tool (named by
 * HF_CLI_PATH) enrolls a small gallery of LFW people into a temporary
 * database, and a second photo of one of them must find that person first. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define LFW_DIR HF_SHARED_DIR "/data/lfw-dev"
#define NO_FACE_IMAGE HF_SHARED_DIR "/data/images/crop/no_face.png"

/* The temporary folder of one test and the tool's last output. */
typedef struct cli_fixture {
    char root[512];
    char output[16384];
} cli_fixture;

static const char *tool_path(void)
{
    const char *path = getenv("HF_CLI_PATH");

    return path != NULL ? path : HF_BINARY_DIR "/tools/cli/inspireface";
}

static const char *pack_path(void)
{
    const char *path = getenv("HF_PACK_PATH");

    return path != NULL ? path : HF_BINARY_DIR "/default.pack";
}

/* Runs the tool with `arguments` and returns its exit code. Its stdout and
 * stderr go together into fixture->output. */
static int run_tool(cli_fixture *fixture, const char *arguments)
{
    char command[4096];
    size_t used = 0;
    size_t got;
    FILE *pipe;
    int status;

    snprintf(command, sizeof(command), "'%s' --pack '%s' %s 2>&1", tool_path(), pack_path(),
             arguments);
    pipe = popen(command, "r");
    assert_non_null(pipe);
    while ((got = fread(fixture->output + used, 1, sizeof(fixture->output) - 1 - used, pipe)) >
           0) {
        used += got;
    }
    fixture->output[used] = '\0';
    status = pclose(pipe);
    print_message("$ inspireface %s\n%s", arguments, fixture->output);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void expect_output(const cli_fixture *fixture, const char *text)
{
    if (strstr(fixture->output, text) == NULL) {
        fail_msg("expected \"%s\" in the output:\n%s", text, fixture->output);
    }
}

static void make_folder(const cli_fixture *fixture, const char *name)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", fixture->root, name);
    assert_int_equal(mkdir(path, 0755), 0);
}

/* Links `target` as `name` under the fixture folder, so no image is copied. */
static void link_file(const cli_fixture *fixture, const char *target, const char *name)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", fixture->root, name);
    assert_int_equal(symlink(target, path), 0);
}

static void write_file(const cli_fixture *fixture, const char *name, const char *text)
{
    char path[1024];
    FILE *file;

    snprintf(path, sizeof(path), "%s/%s", fixture->root, name);
    file = fopen(path, "w");
    assert_non_null(file);
    assert_int_equal(fputs(text, file) >= 0, 1);
    assert_int_equal(fclose(file), 0);
}

/* Links one LFW photo as people/PERSON/PERSON_NNNN.jpg. */
static void link_person(const cli_fixture *fixture, const char *person, int number)
{
    char target[1024];
    char name[512];

    snprintf(target, sizeof(target), "%s/%s/%s_%04d.jpg", LFW_DIR, person, person, number);
    snprintf(name, sizeof(name), "people/%s/%s_%04d.jpg", person, person, number);
    link_file(fixture, target, name);
}

/* Builds people/ with five identities (Ariel_Sharon twice), a photo without
 * a face, a file that is not an image and a text file to ignore. */
static int setup(void **state)
{
    static const char *const people[] = {"Aaron_Peirsol", "Antony_Leung", "Ariel_Sharon",
                                         "Azra_Akin", "Blythe_Danner"};
    cli_fixture *fixture = calloc(1, sizeof(*fixture));

    assert_non_null(fixture);
    snprintf(fixture->root, sizeof(fixture->root), "%s/tests/hubface/cliXXXXXX", HF_BINARY_DIR);
    assert_non_null(mkdtemp(fixture->root));
    make_folder(fixture, "people");
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
        char name[256];

        snprintf(name, sizeof(name), "people/%s", people[i]);
        make_folder(fixture, name);
        link_person(fixture, people[i], strcmp(people[i], "Ariel_Sharon") == 0 ? 3 : 1);
    }
    link_person(fixture, "Ariel_Sharon", 8);
    link_file(fixture, NO_FACE_IMAGE, "people/no_face.png");
    write_file(fixture, "people/broken.jpg", "not a JPEG\n");
    write_file(fixture, "people/notes.txt", "ignored: not an image name\n");
    *state = fixture;
    return 0;
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *walk)
{
    (void)info;
    (void)type;
    (void)walk;
    return remove(path);
}

static int teardown(void **state)
{
    cli_fixture *fixture = *state;
    int status = nftw(fixture->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

    free(fixture);
    return status;
}

static void test_cli_enroll_folders(void **state)
{
    cli_fixture *fixture = *state;
    char arguments[2048];

    /* The photo without a face and the broken file make the exit code 1, but
     * every other image is enrolled. */
    snprintf(arguments, sizeof(arguments), "enroll '%s/people' --db '%s/people.db'",
             fixture->root, fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 1);
    expect_output(fixture, "enrolled 6 images of 5 identities");
    expect_output(fixture, "images without a face: 1\n");
    expect_output(fixture, "people/no_face.png\n");
    expect_output(fixture, "unreadable images: 1\n");
    expect_output(fixture, "people/broken.jpg\n");

    snprintf(arguments, sizeof(arguments),
             "search '%s/Ariel_Sharon/Ariel_Sharon_0017.jpg' --db '%s/people.db' --top 3 --json",
             LFW_DIR, fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 0);
    expect_output(fixture, "\"match\": true");
    expect_output(fixture, "{\"rank\": 1, \"name\": \"Ariel_Sharon\"");
    expect_output(fixture, "{\"rank\": 3, ");

    snprintf(arguments, sizeof(arguments),
             "search '%s/Blythe_Danner/Blythe_Danner_0002.jpg' --db '%s/people.db'", LFW_DIR,
             fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 0);
    expect_output(fixture, "\n   1  Blythe_Danner ");
    expect_output(fixture, "best match Blythe_Danner passes the recommended threshold");
}

static void test_cli_enroll_list(void **state)
{
    cli_fixture *fixture = *state;
    char arguments[2048];

    /* Relative paths resolve against the list's folder. */
    write_file(fixture, "list.txt",
               "people/Azra_Akin/Azra_Akin_0001.jpg\n\n# a comment\n"
               "people/Antony_Leung/Antony_Leung_0001.jpg\n");
    snprintf(arguments, sizeof(arguments), "enroll '%s/list.txt' --db '%s/list.db'",
             fixture->root, fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 0);
    expect_output(fixture, "enrolled 2 images of 2 identities");
    expect_output(fixture, "images without a face: 0\n");

    snprintf(arguments, sizeof(arguments),
             "search '%s/Azra_Akin/Azra_Akin_0002.jpg' --db '%s/list.db' --json", LFW_DIR,
             fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 0);
    expect_output(fixture, "{\"rank\": 1, \"name\": \"Azra_Akin\"");
}

static void test_cli_usage_errors(void **state)
{
    cli_fixture *fixture = *state;
    char arguments[2048];

    assert_int_equal(run_tool(fixture, "enroll somewhere"), 2);
    expect_output(fixture, "--db FILE");
    assert_int_equal(run_tool(fixture, "search x.jpg --db x.db --top 0"), 2);
    snprintf(arguments, sizeof(arguments),
             "search '%s/Azra_Akin/Azra_Akin_0002.jpg' --db '%s/none.db'", LFW_DIR,
             fixture->root);
    assert_int_equal(run_tool(fixture, arguments), 1);
    expect_output(fixture, "not found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cli_enroll_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_enroll_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_usage_errors, setup, teardown),
    };

    return cmocka_run_group_tests_name("hubface_cli", tests, NULL, NULL);
}
