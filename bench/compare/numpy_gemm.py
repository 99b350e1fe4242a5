"""Time float32 GEMMs in numpy (OpenBLAS) for the same workloads as Lethe's JMH benches.

Usage: python3 numpy_gemm.py SHAPE [SHAPE ...]   with SHAPE = "m x k x n VARIANT", e.g. "1024x1024x1024 NN".
Prints one JSON object per shape: {"shape", "gflops_median", "gflops_best", "reps"}.
Thread count comes from OPENBLAS_NUM_THREADS (set by the caller, compare.py).
"""
import json
import sys
import time

import numpy as np


def operands(m, k, n, variant, rng):
    a = rng.random((k, m) if variant[0] == "T" else (m, k), dtype=np.float32)
    b = rng.random((n, k) if variant[1] == "T" else (k, n), dtype=np.float32)
    return (a.T if variant[0] == "T" else a), (b.T if variant[1] == "T" else b)


def measure(shape, seconds=1.5):
    dims, variant = shape.split()
    m, k, n = (int(x) for x in dims.split("x"))
    a, b = operands(m, k, n, variant, np.random.default_rng(7))
    out = np.empty((m, n), dtype=np.float32)
    for _ in range(3):
        np.matmul(a, b, out=out)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        t = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - t)
    times.sort()
    flop = 2.0 * m * k * n
    return {"shape": shape, "gflops_median": flop / times[len(times) // 2] / 1e9,
            "gflops_best": flop / times[0] / 1e9, "reps": len(times)}


if __name__ == "__main__":
    for s in sys.argv[1:]:
        print(json.dumps(measure(s)), flush=True)
