#!/usr/bin/env python3
"""Lethe's SGEMM against OpenBLAS (through numpy), side by side in one run.

    python3 bench/compare/compare.py [--threads 1,2] [--quick] [--json out.json]

For each thread count it times numpy (OPENBLAS_NUM_THREADS=t, with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE removed so OpenBLAS picks its best kernel for this CPU), then Lethe's JMH
GemmBench/TrainingGemmBench, then numpy again, and reports Lethe's median GFLOPS over the
better of the two numpy medians (the conservative ratio). Needs bench/target/benchmarks.jar
(mvn -B -q package -DskipTests) and a JDK 25 (found like ./lethe does).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SQUARE = [f"1024x1024x1024 {v}" for v in ("NN", "TN", "NT")]
TRAINING = ["128x784x256 NT", "128x256x128 NT", "128x128x10 NT",
            "256x128x784 TN", "128x128x256 TN", "10x128x128 TN",
            "128x256x784 NN", "128x128x256 NN", "128x10x128 NN"]


def java():
    jdk = subprocess.run([os.path.join(ROOT, "lethe"), "jdk"], capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(jdk, "bin", "java")


def numpy_run(shapes, threads):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    out = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "numpy_gemm.py"), *shapes],
                         env=env, capture_output=True, text=True, check=True).stdout
    return {r["shape"]: r for r in map(json.loads, out.splitlines())}


def jmh_run(threads, quick):
    iters = ["-wi", "2", "-i", "3", "-w", "1", "-r", "1"] if quick else ["-wi", "3", "-i", "5"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pattern, params in (("GemmBench.lethe", ["-p", "n=1024"]), ("TrainingGemmBench.lethe", [])):
            out = os.path.join(tmp, "r.json")
            cmd = [java(), "--add-modules", "jdk.incubator.vector", "-jar", os.path.join(ROOT, "bench/target/benchmarks.jar"),
                   pattern, *params, "-p", f"threads={threads}", "-f", "1", *iters, "-rf", "json", "-rff", out]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for r in json.load(open(out)):
                p = r["params"]
                if "n" in p:
                    shape = f"{p['n']}x{p['n']}x{p['n']} {p['variant']}"
                else:
                    shape = p["shape"]
                m, k, n = (int(x) for x in shape.split()[0].split("x"))
                unit = r["primaryMetric"]["scoreUnit"]
                seconds = r["primaryMetric"]["score"] * {"ms/op": 1e-3, "us/op": 1e-6}[unit]
                results[shape] = 2.0 * m * k * n / seconds / 1e9
    return results


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", action="store_true", help="shorter JMH iterations")
    ap.add_argument("--json", help="also write the rows as JSON here")
    args = ap.parse_args()
    rows = []
    for t in (int(x) for x in args.threads.split(",")):
        shapes = SQUARE + TRAINING
        before = numpy_run(shapes, t)
        lethe = jmh_run(t, args.quick)
        after = numpy_run(shapes, t)
        for s in shapes:
            blas = max(before[s]["gflops_median"], after[s]["gflops_median"])
            rows.append({"shape": s, "threads": t, "lethe_gflops": lethe[s], "openblas_gflops": blas,
                         "ratio": lethe[s] / blas})
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; Lethe JMH median vs numpy/OpenBLAS median (better of two runs)")
    print("| workload (m×k×n, variant) | threads | Lethe GFLOPS | OpenBLAS GFLOPS | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['shape']} | {r['threads']} | {r['lethe_gflops']:.1f} | {r['openblas_gflops']:.1f} | {r['ratio']:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
