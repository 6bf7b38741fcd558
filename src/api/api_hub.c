/* FeatureHub: every function returns HERR_SESS_FUNCTION_UNUSABLE until its module lands. */
#include "api/api_internal.h"

HResult HFFeatureHubDataEnable(HFFeatureHubConfiguration configuration)
{
    (void)configuration;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubDataDisable(void)
{
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubFaceSearchThresholdSetting(HFloat threshold)
{
    (void)threshold;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubInsertFeature(HFFaceFeatureIdentity featureIdentity, HPFaceId allocId)
{
    (void)featureIdentity;
    (void)allocId;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubFaceSearch(HFFaceFeature searchFeature, HPFloat confidence, PHFFaceFeatureIdentity mostSimilar)
{
    (void)searchFeature;
    (void)confidence;
    (void)mostSimilar;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubFaceSearchTopK(HFFaceFeature searchFeature, HInt32 topK, PHFSearchTopKResults results)
{
    (void)searchFeature;
    (void)topK;
    (void)results;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubFaceRemove(HFaceId id)
{
    (void)id;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubFaceUpdate(HFFaceFeatureIdentity featureIdentity)
{
    (void)featureIdentity;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubGetFaceIdentity(HFaceId customId, PHFFaceFeatureIdentity identity)
{
    (void)customId;
    (void)identity;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubGetFaceCount(HPInt32 count)
{
    (void)count;
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubViewDBTable(void)
{
    return hf_api_unusable(__func__);
}

HResult HFFeatureHubGetExistingIds(PHFFeatureHubExistingIds ids)
{
    (void)ids;
    return hf_api_unusable(__func__);
}
