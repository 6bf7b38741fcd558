/* Conv, Gemm and MatMul steps: plan creation at load time from the weights
 * the node owns, and the run-time calls into the kernels module. */
#include "base/alloc.h"
#include "base/log.h"
#include "runtime/graph.h"

static void free_node_weights(hf_rt_node *node)
{
    hf_free(node->weights);
    hf_free(node->bias);
    hf_free(node->slopes);
    node->weights = node->bias = node->slopes = NULL;
}

hf_status hf_rt_node_make_plan(hf_rt_model *model, hf_rt_node *node)
{
    hf_status status = HF_OK;

    if (node->kernel == hf_rt_kernel_conv) {
        node->conv.act.slopes = node->slopes;
        status = hf_conv_plan_create(&node->conv, node->weights, node->bias, HF_KERNEL_AUTO,
                                     &node->conv_plan);
    } else if (node->kernel == hf_rt_kernel_gemm) {
        node->gemm.act.slopes = node->slopes;
        status = hf_gemm_plan_create(&node->gemm, node->weights, node->bias, HF_KERNEL_AUTO,
                                     &node->gemm_plan);
    } else {
        return HF_OK;
    }
    if (status != HF_OK)
        HF_LOGE("%s: node '%s': kernel plan creation failed: %s", model->label, node->name,
                hf_status_message(status));
    free_node_weights(node);
    node->conv.act.slopes = NULL;
    node->conv.prologue.scale = node->conv.prologue.shift = NULL;
    node->gemm.act.slopes = NULL;
    return status;
}

size_t hf_rt_node_scratch_bytes(const hf_rt_node *node, int threads)
{
    if (node->conv_plan != NULL)
        return hf_conv_plan_scratch_bytes(node->conv_plan, threads);
    if (node->gemm_plan != NULL)
        return hf_gemm_plan_scratch_bytes(node->gemm_plan, threads);
    return 0;
}

/* exec->pool is NULL for the steps that the instance's split tuning keeps on
 * the calling thread (split_tuning.c), so these kernels take it as given. */
void hf_rt_kernel_conv(const hf_rt_node *node, hf_rt_exec *exec)
{
    const float *residual = node->has_residual ? hf_rt_exec_f32(exec, node->inputs[1]) : NULL;

    hf_conv_plan_run(node->conv_plan, hf_rt_exec_f32(exec, node->inputs[0]), residual,
                     hf_rt_exec_f32(exec, node->outputs[0]), exec->scratch,
                     exec->pool);
}

void hf_rt_kernel_gemm(const hf_rt_node *node, hf_rt_exec *exec)
{
    hf_gemm_plan_run(node->gemm_plan, hf_rt_exec_f32(exec, node->inputs[0]),
                     hf_rt_exec_f32(exec, node->outputs[0]), exec->scratch,
                     exec->pool);
}

void hf_rt_kernel_matmul(const hf_rt_node *node, hf_rt_exec *exec)
{
    hf_matmul(node->gemm.m, node->gemm.n, node->gemm.k, hf_rt_exec_f32(exec, node->inputs[0]),
              hf_rt_exec_f32(exec, node->inputs[1]), hf_rt_exec_f32(exec, node->outputs[0]),
              exec->pool);
}
