/* Per-instance choice of the smallest layer that is split over the thread
 * pool. Whether splitting a small layer pays depends on the machine more
 * than on the layer. With bench_runtime at 2 threads, fr_landmark (layers
 * of 0.1 to 2 million multiply-adds) ran 20 % faster split from 3e5 than
 * from 1e6 on a 2-vCPU AMD EPYC machine. On a 2-vCPU Intel Xeon machine
 * with AMX it ran about 15 % slower split from 3e5 than not split at all.
 * Each vCPU there has its own L2 cache, so the half of a map that the other
 * thread wrote has to cross between the caches.
 *
 * So an instance with several threads times its first runs with each
 * candidate threshold in turn and keeps the fastest. The outputs do not
 * depend on the choice: every kernel computes each output element the same
 * way whatever the split. */
#include <math.h>

#include "runtime/graph.h"

/* Candidates from splitting every layer the kernels split to splitting
 * none, about a factor of 3 apart. The smallest, 3e5 (3 to 6 us at 100 to
 * 190 GFLOP/s on one AVX-512 core), is also the convolution plans' own
 * threshold, so Gemm and MatMul steps below it always run on one thread. */
static const double split_candidates[HF_RT_SPLIT_CANDIDATES] = {3e5, 1e6, 3e6, HUGE_VAL};

/* Runs timed per candidate; the fastest of them counts, so a run slowed by
 * another process does not decide. */
#define HF_RT_SPLIT_ROUNDS 3

/* Untimed runs first: the first runs of an instance fault in its arena and
 * wake the pool's threads. */
#define HF_RT_SPLIT_WARMUP 2

void hf_rt_split_tuning_init(hf_rt_split_tuning *tuning, int threads)
{
    tuning->runs = 0;
    tuning->done = threads <= 1;
    tuning->min_macs = threads <= 1 ? 0.0 : split_candidates[0];
    for (int i = 0; i < HF_RT_SPLIT_CANDIDATES; i++)
        tuning->fastest[i] = HUGE_VAL;
}

/* Returns the candidate of timed run `timed`. Rounds go up and down the
 * list in turn, so no candidate always follows the serial one: after a run
 * without splits the pool's threads have gone to sleep, and waking them
 * slows the next run. */
static int candidate_of(int timed)
{
    int round = timed / HF_RT_SPLIT_CANDIDATES, index = timed % HF_RT_SPLIT_CANDIDATES;
    return round % 2 == 0 ? index : HF_RT_SPLIT_CANDIDATES - 1 - index;
}

double hf_rt_split_tuning_next(hf_rt_split_tuning *tuning)
{
    if (!tuning->done && tuning->runs >= HF_RT_SPLIT_WARMUP)
        tuning->min_macs = split_candidates[candidate_of(tuning->runs - HF_RT_SPLIT_WARMUP)];
    return tuning->min_macs;
}

void hf_rt_split_tuning_record(hf_rt_split_tuning *tuning, double seconds)
{
    if (tuning->done)
        return;
    if (tuning->runs >= HF_RT_SPLIT_WARMUP) {
        int candidate = candidate_of(tuning->runs - HF_RT_SPLIT_WARMUP);
        if (seconds < tuning->fastest[candidate])
            tuning->fastest[candidate] = seconds;
    }
    tuning->runs++;
    if (tuning->runs < HF_RT_SPLIT_WARMUP + HF_RT_SPLIT_CANDIDATES * HF_RT_SPLIT_ROUNDS)
        return;

    int best = 0;
    for (int i = 1; i < HF_RT_SPLIT_CANDIDATES; i++)
        if (tuning->fastest[i] < tuning->fastest[best])
            best = i;
    tuning->min_macs = split_candidates[best];
    tuning->done = 1;
}
