/* Feature comparison and the cosine -> percentage similarity converter. */
#include <math.h>
#include <pthread.h>

#include "api/api_internal.h"
#include "api/compare.h"
#include "api/launch.h"

#define HF_FEATURE_LENGTH 512

static pthread_mutex_t g_converter_lock = PTHREAD_MUTEX_INITIALIZER;
static HFSimilarityConverterConfig g_converter = {0.48f, 0.6f, 8.0f, 0.01f, 1.0f};
static float g_recommended_threshold = 0.48f;

void hf_compare_apply_pack_converter(const float config[5])
{
    pthread_mutex_lock(&g_converter_lock);
    g_converter = (HFSimilarityConverterConfig){config[0], config[1], config[2], config[3],
                                                config[4]};
    g_recommended_threshold = config[0];
    pthread_mutex_unlock(&g_converter_lock);
}

HResult HFFaceComparison(HFFaceFeature feature1, HFFaceFeature feature2, HPFloat result)
{
    if (!feature1.data || !feature2.data) {
        HF_LOGE("%s: a feature's data is NULL", __func__);
        return HERR_INVALID_FACE_FEATURE;
    }
    if (feature1.size <= 0 || feature1.size != feature2.size) {
        HF_LOGE("%s: feature sizes %d and %d must be equal and positive", __func__,
                (int)feature1.size, (int)feature2.size);
        return HERR_INVALID_FACE_FEATURE;
    }
    if (!result) {
        HF_LOGE("%s: result is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    double dot = 0.0, norm1 = 0.0, norm2 = 0.0;
    for (HInt32 i = 0; i < feature1.size; i++) {
        dot += (double)feature1.data[i] * feature2.data[i];
        norm1 += (double)feature1.data[i] * feature1.data[i];
        norm2 += (double)feature2.data[i] * feature2.data[i];
    }
    /* A zero vector has no direction; its similarity to anything is 0. */
    double cosine = norm1 > 0.0 && norm2 > 0.0 ? dot / sqrt(norm1 * norm2) : 0.0;
    if (cosine > 1.0)
        cosine = 1.0;
    if (cosine < -1.0)
        cosine = -1.0;
    *result = (HFloat)cosine;
    return HSUCCEED;
}

HResult HFGetRecommendedCosineThreshold(HPFloat threshold)
{
    if (!threshold) {
        HF_LOGE("%s: threshold is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    if (!hf_launch_is_launched())
        HF_LOGW("%s: no pack is launched; returning the current recommended threshold",
                __func__);
    pthread_mutex_lock(&g_converter_lock);
    *threshold = g_recommended_threshold;
    pthread_mutex_unlock(&g_converter_lock);
    return HSUCCEED;
}

/* Logistic curve that maps cos = threshold to middleScore and tends to
 * outputMin / outputMax at the ends; computed in double precision. */
static double converter_apply(const HFSimilarityConverterConfig *c, double cosine)
{
    double low = c->outputMin, high = c->outputMax, middle = c->middleScore;
    double bias = -log((high - middle) / (middle - low));
    double sigmoid = 1.0 / (1.0 + exp(-(c->steepness * (cosine - c->threshold)) - bias));
    return low + (high - low) * sigmoid;
}

HResult HFCosineSimilarityConvertToPercentage(HFloat similarity, HPFloat result)
{
    if (!result) {
        HF_LOGE("%s: result is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    if (!hf_launch_is_launched())
        HF_LOGW("%s: no pack is launched; converting with the current configuration",
                __func__);
    pthread_mutex_lock(&g_converter_lock);
    HFSimilarityConverterConfig config = g_converter;
    pthread_mutex_unlock(&g_converter_lock);
    *result = (HFloat)converter_apply(&config, similarity);
    return HSUCCEED;
}

HResult HFUpdateCosineSimilarityConverter(HFSimilarityConverterConfig config)
{
    /* A NaN or infinite value would make every later percentage NaN. */
    if (!isfinite(config.threshold) || !isfinite(config.steepness)
        || !isfinite(config.outputMin) || !isfinite(config.outputMax)) {
        HF_LOGE("%s: threshold %f, steepness %f, outputMin %f and outputMax %f must be finite",
                __func__, (double)config.threshold, (double)config.steepness,
                (double)config.outputMin, (double)config.outputMax);
        return HERR_INVALID_PARAM;
    }
    /* Outside (outputMin, outputMax) the bias's logarithm is undefined. */
    if (!(config.middleScore > config.outputMin && config.middleScore < config.outputMax)) {
        HF_LOGE("%s: middleScore %f must lie strictly between outputMin %f and outputMax %f",
                __func__, (double)config.middleScore, (double)config.outputMin,
                (double)config.outputMax);
        return HERR_INVALID_PARAM;
    }
    pthread_mutex_lock(&g_converter_lock);
    g_converter = config;
    pthread_mutex_unlock(&g_converter_lock);
    return HSUCCEED;
}

HResult HFGetCosineSimilarityConverter(PHFSimilarityConverterConfig config)
{
    if (!config) {
        HF_LOGE("%s: config is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    pthread_mutex_lock(&g_converter_lock);
    *config = g_converter;
    pthread_mutex_unlock(&g_converter_lock);
    return HSUCCEED;
}

HResult HFGetFeatureLength(HPInt32 num)
{
    if (!num) {
        HF_LOGE("%s: num is NULL", __func__);
        return HERR_INVALID_PARAM;
    }
    *num = HF_FEATURE_LENGTH;
    return HSUCCEED;
}
