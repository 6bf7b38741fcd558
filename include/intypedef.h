/* Scalar and handle types of the InspireFace C API, and four small structs.
 * Names, underlying types and layouts are those of InspireFace 1.2.3. */
#ifndef INSPIREFACE_INTYPEDEF_H
#define INSPIREFACE_INTYPEDEF_H

#include <stdint.h>

typedef void *HFImageStream;
typedef void **PHFImageStream;
typedef void *HFSession;
typedef void **PHFSession;
typedef void *HFImageBitmap;
typedef void **PHFImageBitmap;
typedef void *HPVoid;
typedef long HLong;
typedef float HFloat;
typedef float *HPFloat;
typedef double HDouble;
typedef unsigned char HUInt8;
typedef unsigned char *HPUInt8;
typedef signed int HInt32;
typedef signed int HOption;
typedef signed int *HPInt32;
typedef int64_t HFaceId;
typedef int64_t *HPFaceId;
typedef long HResult;
typedef char *HString;
typedef const char *HPath;
typedef const char *HFormat;
typedef char HBuffer;
typedef char HChar;
typedef char *HPBuffer;
typedef long HSize;
typedef long *HPSize;

/* A rectangle: top-left corner and size, in pixels. */
typedef struct HFaceRect {
    HInt32 x;
    HInt32 y;
    HInt32 width;
    HInt32 height;
} HFaceRect, *PHFaceRect;

typedef struct HPoint2f {
    HFloat x;
    HFloat y;
} HPoint2f, *PHPoint2f;

typedef struct HPoint2i {
    HInt32 x;
    HInt32 y;
} HPoint2i, *PHPoint2i;

/* A drawing colour, components 0..255. r, g and b are written to channels
 * 0, 1 and 2 of a bitmap in memory order, so on a BGR bitmap {0, 0, 255}
 * draws red. */
typedef struct HColor {
    HFloat r;
    HFloat g;
    HFloat b;
} HColor, *PHColor;

#endif /* INSPIREFACE_INTYPEDEF_H */
