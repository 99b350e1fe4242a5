"""Time float32 GEMMs in numpy (OpenBLAS) for the same workloads as Lethe's JMH benches.

Usage: python3 numpy_gemm.py SHAPE [SHAPE ...]   with SHAPE = "MxKxN VARIANT", e.g. "1024x1024x1024 NN".
Prints one JSON object per shape: {"shape", "gflops_median", "gflops_best", "reps"}.

       python3 numpy_gemm.py --serve
Answers requests "MxKxN VARIANT SECONDS", one per line, with the median seconds of one product
over SECONDS (the same protocol as Lethe's dev.lethe.bench.GemmTimer), so compare.py can
alternate the two round by round.
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


class Problem:
    """One workload's operands, made once."""

    def __init__(self, shape):
        dims, variant = shape.split()
        self.m, self.k, self.n = (int(x) for x in dims.split("x"))
        self.a, self.b = operands(self.m, self.k, self.n, variant, np.random.default_rng(7))
        self.out = np.empty((self.m, self.n), dtype=np.float32)
        for _ in range(3):
            np.matmul(self.a, self.b, out=self.out)

    def times(self, seconds):
        """Sorted seconds of single products, at least five, over about `seconds`."""
        times = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(times) < 5:
            t = time.perf_counter()
            np.matmul(self.a, self.b, out=self.out)
            times.append(time.perf_counter() - t)
        return sorted(times)


def measure(shape, seconds=1.5):
    p = Problem(shape)
    times = p.times(seconds)
    flop = 2.0 * p.m * p.k * p.n
    return {"shape": shape, "gflops_median": flop / times[len(times) // 2] / 1e9,
            "gflops_best": flop / times[0] / 1e9, "reps": len(times)}


def serve():
    problems = {}
    for line in sys.stdin:
        if not line.strip():
            break
        dims, variant, seconds = line.split()
        key = f"{dims} {variant}"
        if key not in problems:
            problems[key] = Problem(key)
            problems[key].times(2.0)
        times = problems[key].times(float(seconds))
        print(times[len(times) // 2], flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        for s in sys.argv[1:]:
            print(json.dumps(measure(s)), flush=True)
