/* Hardware extensions. This library is a CPU build: it has no Rockchip RGA,
 * CoreML or CUDA support, so these calls store their settings (which nothing
 * reads) and answer as InspireFace does when built without that hardware. */
#include <pthread.h>
#include <string.h>

#include "api/api_internal.h"

#define DMA_HEAP_PATH_CAPACITY 256

static pthread_mutex_t hardware_lock = PTHREAD_MUTEX_INITIALIZER;
static char dma_heap_path[DMA_HEAP_PATH_CAPACITY];
static HInt32 aligned_width = 4;
static HFAppleCoreMLInferenceMode coreml_mode = HF_APPLE_COREML_INFERENCE_MODE_ANE;
static HInt32 cuda_device_id;

HResult HFQueryExpansiveHardwareRGACompileOption(HPInt32 enable)
{
    if (enable == NULL)
        return HERR_INVALID_PARAM;
    *enable = 0;
    HF_LOGW("HFQueryExpansiveHardwareRGACompileOption: built without Rockchip RGA support");
    return HSUCCEED;
}

HResult HFSetExpansiveHardwareRockchipDmaHeapPath(HPath path)
{
    if (path == NULL)
        return HERR_INVALID_PARAM;
    pthread_mutex_lock(&hardware_lock);
    strncpy(dma_heap_path, path, DMA_HEAP_PATH_CAPACITY - 1);
    dma_heap_path[DMA_HEAP_PATH_CAPACITY - 1] = '\0';
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFQueryExpansiveHardwareRockchipDmaHeapPath(HString path)
{
    if (path == NULL)
        return HERR_INVALID_PARAM;
    pthread_mutex_lock(&hardware_lock);
    memcpy(path, dma_heap_path, strlen(dma_heap_path) + 1);
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFSwitchImageProcessingBackend(HFImageProcessingBackend backend)
{
    if (backend == HF_IMAGE_PROCESSING_CPU)
        return HSUCCEED;
    if (backend == HF_IMAGE_PROCESSING_RGA) {
        HF_LOGE("HFSwitchImageProcessingBackend: built without Rockchip RGA support; "
                "keeping the CPU backend");
        return HSUCCEED;
    }
    HF_LOGE("HFSwitchImageProcessingBackend: unknown backend %d", (int)backend);
    return HERR_INVALID_PARAM;
}

HResult HFSetImageProcessAlignedWidth(HInt32 width)
{
    pthread_mutex_lock(&hardware_lock);
    aligned_width = width;
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFSetAppleCoreMLInferenceMode(HFAppleCoreMLInferenceMode mode)
{
    if (mode != HF_APPLE_COREML_INFERENCE_MODE_CPU && mode != HF_APPLE_COREML_INFERENCE_MODE_GPU &&
        mode != HF_APPLE_COREML_INFERENCE_MODE_ANE) {
        HF_LOGE("HFSetAppleCoreMLInferenceMode: unknown mode %d", (int)mode);
        return HERR_INVALID_PARAM;
    }
    pthread_mutex_lock(&hardware_lock);
    coreml_mode = mode;
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFSetCudaDeviceId(HInt32 device_id)
{
    pthread_mutex_lock(&hardware_lock);
    cuda_device_id = device_id;
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFGetCudaDeviceId(HPInt32 device_id)
{
    if (device_id == NULL)
        return HERR_INVALID_PARAM;
    pthread_mutex_lock(&hardware_lock);
    *device_id = cuda_device_id;
    pthread_mutex_unlock(&hardware_lock);
    return HSUCCEED;
}

HResult HFPrintCudaDeviceInfo(void)
{
    HF_LOGW("HFPrintCudaDeviceInfo: built without CUDA support");
    return HERR_DEVICE_CUDA_DISABLE;
}

HResult HFGetNumCudaDevices(HPInt32 num_devices)
{
    (void)num_devices;
    HF_LOGW("HFGetNumCudaDevices: built without CUDA support");
    return HERR_DEVICE_CUDA_DISABLE;
}

HResult HFCheckCudaDeviceSupport(HPInt32 is_support)
{
    (void)is_support;
    HF_LOGW("HFCheckCudaDeviceSupport: built without CUDA support");
    return HERR_DEVICE_CUDA_DISABLE;
}
