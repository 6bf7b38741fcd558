"""Times faiss IndexFlatIP top-k search on the vectors and queries that
bench_hub wrote, one query per call, and prints one JSON line per thread
count with the median in milliseconds and the top-1 ids.

Usage: faiss_flat.py VECTORS QUERIES COUNT QUERY_COUNT K THREADS...
Files hold raw native float32 rows of 512 values."""
import json
import sys
import time

import faiss
import numpy as np

DIM = 512


def main():
    vectors_path, queries_path = sys.argv[1], sys.argv[2]
    count, query_count, k = (int(value) for value in sys.argv[3:6])
    thread_counts = [int(value) for value in sys.argv[6:]]
    vectors = np.memmap(vectors_path, dtype=np.float32, mode="r", shape=(count, DIM))
    queries = np.fromfile(queries_path, dtype=np.float32).reshape(query_count, DIM)
    index = faiss.IndexFlatIP(DIM)
    for start in range(0, count, 65536):
        index.add(np.ascontiguousarray(vectors[start:start + 65536]))
    del vectors
    for threads in thread_counts:
        faiss.omp_set_num_threads(threads)
        times, top_ids = [], []
        for row in range(query_count):
            query = queries[row:row + 1]
            begin = time.perf_counter()
            _, ids = index.search(query, k)
            times.append(time.perf_counter() - begin)
            top_ids.append(int(ids[0][0]))
        print(json.dumps({"threads": threads, "median_ms": float(np.median(times)) * 1e3,
                          "top1": top_ids}), flush=True)


if __name__ == "__main__":
    main()
