/* Feature comparison and the similarity converter: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFFaceComparison(HFFaceFeature feature1, HFFaceFeature feature2, HPFloat result)
{
    (void)feature1;
    (void)feature2;
    (void)result;
    return hf_api_unusable(__func__);
}

HResult HFGetRecommendedCosineThreshold(HPFloat threshold)
{
    (void)threshold;
    return hf_api_unusable(__func__);
}

HResult HFCosineSimilarityConvertToPercentage(HFloat similarity, HPFloat result)
{
    (void)similarity;
    (void)result;
    return hf_api_unusable(__func__);
}

HResult HFUpdateCosineSimilarityConverter(HFSimilarityConverterConfig config)
{
    (void)config;
    return hf_api_unusable(__func__);
}

HResult HFGetCosineSimilarityConverter(PHFSimilarityConverterConfig config)
{
    (void)config;
    return hf_api_unusable(__func__);
}

HResult HFGetFeatureLength(HPInt32 num)
{
    (void)num;
    return hf_api_unusable(__func__);
}
