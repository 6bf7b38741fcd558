/* Image streams and bitmaps: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFCreateImageStream(PHFImageData data, PHFImageStream handle)
{
    (void)data;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFCreateImageStreamEmpty(PHFImageStream handle)
{
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFImageStreamSetBuffer(HFImageStream handle, HPUInt8 buffer, HInt32 width, HInt32 height)
{
    (void)handle;
    (void)buffer;
    (void)width;
    (void)height;
    return hf_api_unusable(__func__);
}

HResult HFImageStreamSetRotation(HFImageStream handle, HFRotation rotation)
{
    (void)handle;
    (void)rotation;
    return hf_api_unusable(__func__);
}

HResult HFImageStreamSetFormat(HFImageStream handle, HFImageFormat format)
{
    (void)handle;
    (void)format;
    return hf_api_unusable(__func__);
}

HResult HFReleaseImageStream(HFImageStream streamHandle)
{
    (void)streamHandle;
    return hf_api_unusable(__func__);
}

HResult HFCreateImageBitmap(PHFImageBitmapData data, PHFImageBitmap handle)
{
    (void)data;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFCreateImageBitmapFromFilePath(HPath filePath, HInt32 channels, PHFImageBitmap handle)
{
    (void)filePath;
    (void)channels;
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapCopy(HFImageBitmap handle, PHFImageBitmap copyHandle)
{
    (void)handle;
    (void)copyHandle;
    return hf_api_unusable(__func__);
}

HResult HFReleaseImageBitmap(HFImageBitmap handle)
{
    (void)handle;
    return hf_api_unusable(__func__);
}

HResult HFCreateImageStreamFromImageBitmap(HFImageBitmap handle, HFRotation rotation, PHFImageStream streamHandle)
{
    (void)handle;
    (void)rotation;
    (void)streamHandle;
    return hf_api_unusable(__func__);
}

HResult HFCreateImageBitmapFromImageStreamProcess(HFImageStream streamHandle, PHFImageBitmap handle, HInt32 is_rotate, HFloat scale)
{
    (void)streamHandle;
    (void)handle;
    (void)is_rotate;
    (void)scale;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapWriteToFile(HFImageBitmap handle, HPath filePath)
{
    (void)handle;
    (void)filePath;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapDrawRect(HFImageBitmap handle, HFaceRect rect, HColor color, HInt32 thickness)
{
    (void)handle;
    (void)rect;
    (void)color;
    (void)thickness;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapDrawCircleF(HFImageBitmap handle, HPoint2f point, HInt32 radius, HColor color, HInt32 thickness)
{
    (void)handle;
    (void)point;
    (void)radius;
    (void)color;
    (void)thickness;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapDrawCircle(HFImageBitmap handle, HPoint2i point, HInt32 radius, HColor color, HInt32 thickness)
{
    (void)handle;
    (void)point;
    (void)radius;
    (void)color;
    (void)thickness;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapGetData(HFImageBitmap handle, PHFImageBitmapData data)
{
    (void)handle;
    (void)data;
    return hf_api_unusable(__func__);
}

HResult HFImageBitmapShow(HFImageBitmap handle, HString title, HInt32 delay)
{
    (void)handle;
    (void)title;
    (void)delay;
    return hf_api_unusable(__func__);
}

void HFDeBugImageStreamImShow(HFImageStream streamHandle)
{
    (void)streamHandle;
    hf_api_unusable(__func__);
}

HResult HFDeBugImageStreamDecodeSave(HFImageStream streamHandle, HPath savePath)
{
    (void)streamHandle;
    (void)savePath;
    return hf_api_unusable(__func__);
}
