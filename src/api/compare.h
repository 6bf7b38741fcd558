/* Process-wide similarity converter shared by the comparison API and the
 * launch code. */
#ifndef HF_API_COMPARE_H
#define HF_API_COMPARE_H

/* Installs a pack's similarity_converter block, {threshold, middle_score,
 * steepness, output_min, output_max}, as the converter and sets the
 * recommended cosine threshold to its threshold. */
void hf_compare_apply_pack_converter(const float config[5]);

#endif
