/* The Orientation tag of a JPEG's Exif block. The APP1 payload is
 * "Exif\0\0" followed by a TIFF file: a byte-order mark ("II" little or
 * "MM" big endian), the number 42, and the offset of IFD0, all relative
 * to the start of the TIFF header. IFD0 is a 2-byte entry count followed
 * by 12-byte entries: tag, type, count, value. Orientation is tag 0x0112,
 * type SHORT (3), count 1, its value in the first 2 bytes of the value
 * field. */
#include <string.h>

#include "image/image.h"

#define TIFF_OFFSET 6
#define ORIENTATION_TAG 0x0112
#define TYPE_SHORT 3
#define ENTRY_BYTES 12

static unsigned read16(const uint8_t *at, int big_endian)
{
    return big_endian ? (unsigned)(at[0] << 8 | at[1]) : (unsigned)(at[1] << 8 | at[0]);
}

static unsigned long read32(const uint8_t *at, int big_endian)
{
    unsigned long high = read16(at, big_endian);
    unsigned long low = read16(at + 2, big_endian);

    return big_endian ? high << 16 | low : low << 16 | high;
}

int hf_image_exif_orientation(const uint8_t *payload, size_t size)
{
    const uint8_t *tiff;
    size_t tiff_size;
    unsigned long ifd;
    unsigned count;
    int big_endian;

    if (payload == NULL || size < TIFF_OFFSET + 8 || memcmp(payload, "Exif\0\0", 6) != 0)
        return 1;
    tiff = payload + TIFF_OFFSET;
    tiff_size = size - TIFF_OFFSET;
    if (memcmp(tiff, "II", 2) == 0)
        big_endian = 0;
    else if (memcmp(tiff, "MM", 2) == 0)
        big_endian = 1;
    else
        return 1;
    if (read16(tiff + 2, big_endian) != 42)
        return 1;

    ifd = read32(tiff + 4, big_endian);
    if (ifd > tiff_size - 2)
        return 1;
    count = read16(tiff + ifd, big_endian);
    for (unsigned i = 0; i < count; i++) {
        size_t entry = (size_t)ifd + 2 + (size_t)i * ENTRY_BYTES;
        unsigned value;

        if (entry > tiff_size - ENTRY_BYTES)
            return 1;
        if (read16(tiff + entry, big_endian) != ORIENTATION_TAG)
            continue;
        if (read16(tiff + entry + 2, big_endian) != TYPE_SHORT
            || read32(tiff + entry + 4, big_endian) != 1)
            return 1;
        value = read16(tiff + entry + 8, big_endian);
        return value >= 1 && value <= 8 ? (int)value : 1;
    }
    return 1;
}
