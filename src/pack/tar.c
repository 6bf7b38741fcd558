/* Reading and writing POSIX ustar archives (IEEE Std 1003.1, "pax"
 * interchange format, ustar header). Only regular files and directories are
 * accepted; the pack never needs links, long-name extensions or pax
 * records. */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "pack/pack.h"

#define BLOCK 512

/* Field offsets and widths of the ustar header. */
#define NAME_AT 0
#define NAME_LEN 100
#define MODE_AT 100
#define UID_AT 108
#define GID_AT 116
#define SIZE_AT 124
#define SIZE_LEN 12
#define MTIME_AT 136
#define CHECKSUM_AT 148
#define CHECKSUM_LEN 8
#define TYPE_AT 156
#define MAGIC_AT 257
#define VERSION_AT 263
#define PREFIX_AT 345
#define PREFIX_LEN 155

/* Sizes above this (8 GiB - 1, the most 11 octal digits hold) are rejected. */
#define SIZE_LIMIT 077777777777ULL

static int block_is_zero(const uint8_t *block)
{
    for (int i = 0; i < BLOCK; i++) {
        if (block[i] != 0) {
            return 0;
        }
    }
    return 1;
}

/* Parses an octal field: optional leading spaces, digits, then NUL or spaces
 * to the end of the field. Base-256 (GNU) values are rejected. */
static int parse_octal(const uint8_t *field, int width, unsigned long long *out)
{
    unsigned long long value = 0;
    int i = 0;
    int digits = 0;

    while (i < width && field[i] == ' ') {
        i++;
    }
    for (; i < width && field[i] >= '0' && field[i] <= '7'; i++) {
        if (value > (SIZE_LIMIT >> 3)) {
            return 0;
        }
        value = value * 8 + (unsigned long long)(field[i] - '0');
        digits++;
    }
    for (; i < width; i++) {
        if (field[i] != '\0' && field[i] != ' ') {
            return 0;
        }
    }
    if (digits == 0) {
        return 0;
    }
    *out = value;
    return 1;
}

static unsigned long long header_checksum(const uint8_t *header)
{
    unsigned long long sum = 0;

    for (int i = 0; i < BLOCK; i++) {
        int inside = i >= CHECKSUM_AT && i < CHECKSUM_AT + CHECKSUM_LEN;

        sum += inside ? (unsigned)' ' : header[i];
    }
    return sum;
}

static size_t field_length(const uint8_t *field, size_t width)
{
    size_t length = 0;

    while (length < width && field[length] != '\0') {
        length++;
    }
    return length;
}

/* Joins prefix and name and rejects empty, absolute and ".." names. */
static int header_name(const uint8_t *header, char name[HF_TAR_NAME_MAX + 1])
{
    size_t prefix_length = field_length(header + PREFIX_AT, PREFIX_LEN);
    size_t name_length = field_length(header + NAME_AT, NAME_LEN);
    size_t at = 0;

    if (name_length == 0) {
        return 0;
    }
    if (prefix_length > 0) {
        memcpy(name, header + PREFIX_AT, prefix_length);
        at = prefix_length;
        name[at++] = '/';
    }
    memcpy(name + at, header + NAME_AT, name_length);
    name[at + name_length] = '\0';
    if (name[0] == '/' || strcmp(name, "..") == 0 || strncmp(name, "../", 3) == 0 ||
        strstr(name, "/../") != NULL) {
        return 0;
    }
    return 1;
}

static hf_status check_header(const uint8_t *header, size_t offset, unsigned long long *size)
{
    unsigned long long stored;

    if (memcmp(header + MAGIC_AT, "ustar", 5) != 0) {
        HF_LOGE("tar header at byte %zu has no ustar magic", offset);
        return HF_ERR_FORMAT;
    }
    if (!parse_octal(header + CHECKSUM_AT, CHECKSUM_LEN, &stored) ||
        stored != header_checksum(header)) {
        HF_LOGE("tar header at byte %zu has a wrong checksum", offset);
        return HF_ERR_FORMAT;
    }
    if (!parse_octal(header + SIZE_AT, SIZE_LEN, size)) {
        HF_LOGE("tar header at byte %zu has an invalid size field", offset);
        return HF_ERR_FORMAT;
    }
    return HF_OK;
}

static hf_status add_member(hf_tar_member **members, int *count, int *capacity,
                            const hf_tar_member *member)
{
    if (*count == *capacity) {
        int grown = *capacity ? *capacity * 2 : 8;
        hf_tar_member *bigger = hf_realloc(*members, (size_t)grown * sizeof(**members));

        if (bigger == NULL) {
            return HF_ERR_NO_MEMORY;
        }
        *members = bigger;
        *capacity = grown;
    }
    (*members)[(*count)++] = *member;
    return HF_OK;
}

hf_status hf_tar_list(const uint8_t *data, size_t size, hf_tar_member **members, int *count)
{
    hf_tar_member *list = NULL;
    hf_tar_member member;
    int listed = 0;
    int capacity = 0;
    size_t offset = 0;
    hf_status status = HF_OK;

    if (data == NULL && size > 0) {
        return HF_ERR_INVALID_ARG;
    }
    if (size == 0 || size % BLOCK != 0) {
        HF_LOGE("tar of %zu bytes is not a whole number of 512-byte blocks", size);
        return HF_ERR_FORMAT;
    }
    while (offset < size) {
        const uint8_t *header = data + offset;
        unsigned long long member_size;
        size_t padded;
        char type;

        if (block_is_zero(header)) {
            break;
        }
        status = check_header(header, offset, &member_size);
        if (status != HF_OK) {
            goto cleanup;
        }
        offset += BLOCK;
        padded = (size_t)((member_size + BLOCK - 1) / BLOCK * BLOCK);
        if (member_size > size - offset || padded > size - offset) {
            HF_LOGE("tar member of %llu bytes at byte %zu runs past the end (%zu bytes)",
                    member_size, offset, size);
            status = HF_ERR_FORMAT;
            goto cleanup;
        }
        type = (char)header[TYPE_AT];
        if (!header_name(header, member.name)) {
            HF_LOGE("tar member at byte %zu has an empty or unsafe name", offset - BLOCK);
            status = HF_ERR_FORMAT;
            goto cleanup;
        }
        if (type == '0' || type == '\0') {
            member.data = data + offset;
            member.size = (size_t)member_size;
            status = add_member(&list, &listed, &capacity, &member);
            if (status != HF_OK) {
                goto cleanup;
            }
        } else if (type != '5') {
            HF_LOGE("tar member %s has unsupported type '%c'", member.name, type);
            status = HF_ERR_UNSUPPORTED;
            goto cleanup;
        }
        offset += padded;
    }
    *members = list;
    *count = listed;
    return HF_OK;

cleanup:
    hf_free(list);
    return status;
}

static void write_octal(uint8_t *field, int width, unsigned long long value)
{
    /* width - 1 digits, zero padded, then a NUL. */
    field[width - 1] = '\0';
    for (int i = width - 2; i >= 0; i--) {
        field[i] = (uint8_t)('0' + (value & 7));
        value >>= 3;
    }
}

/* Splits `name` into ustar prefix and name fields at a '/'. */
static int split_name(const char *name, uint8_t *header)
{
    size_t length = strlen(name);

    if (length == 0 || length > HF_TAR_NAME_MAX) {
        return 0;
    }
    if (length <= NAME_LEN) {
        memcpy(header + NAME_AT, name, length);
        return 1;
    }
    for (size_t cut = length - 1; cut > 0; cut--) {
        if (name[cut] == '/' && cut <= PREFIX_LEN && length - cut - 1 <= NAME_LEN &&
            length - cut - 1 > 0) {
            memcpy(header + PREFIX_AT, name, cut);
            memcpy(header + NAME_AT, name + cut + 1, length - cut - 1);
            return 1;
        }
    }
    return 0;
}

hf_status hf_tar_write_member(FILE *file, const char *name, const void *data, size_t size)
{
    static const uint8_t zeros[BLOCK];
    uint8_t header[BLOCK];
    size_t padding = (BLOCK - size % BLOCK) % BLOCK;

    if (file == NULL || name == NULL || (data == NULL && size > 0)) {
        return HF_ERR_INVALID_ARG;
    }
    if ((unsigned long long)size > SIZE_LIMIT) {
        HF_LOGE("tar member %s of %zu bytes is larger than ustar allows", name, size);
        return HF_ERR_RANGE;
    }
    memset(header, 0, sizeof(header));
    if (!split_name(name, header)) {
        HF_LOGE("tar member name '%s' does not fit a ustar header", name);
        return HF_ERR_INVALID_ARG;
    }
    write_octal(header + MODE_AT, 8, 0644);
    write_octal(header + UID_AT, 8, 0);
    write_octal(header + GID_AT, 8, 0);
    write_octal(header + SIZE_AT, SIZE_LEN, size);
    write_octal(header + MTIME_AT, 12, 0);
    header[TYPE_AT] = '0';
    memcpy(header + MAGIC_AT, "ustar", 6);
    memcpy(header + VERSION_AT, "00", 2);
    write_octal(header + CHECKSUM_AT, 7, header_checksum(header));
    header[CHECKSUM_AT + 7] = ' ';
    if (fwrite(header, 1, BLOCK, file) != BLOCK ||
        (size > 0 && fwrite(data, 1, size, file) != size) ||
        fwrite(zeros, 1, padding, file) != padding) {
        HF_LOGE("writing tar member %s (%zu bytes) failed", name, size);
        return HF_ERR_IO;
    }
    return HF_OK;
}

hf_status hf_tar_write_end(FILE *file)
{
    static const uint8_t zeros[2 * BLOCK];

    if (file == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    if (fwrite(zeros, 1, sizeof(zeros), file) != sizeof(zeros)) {
        HF_LOGE("writing the end of the tar failed");
        return HF_ERR_IO;
    }
    return HF_OK;
}
