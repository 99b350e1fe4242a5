#!/usr/bin/env python3
"""Lethe's SalUn mask and magnitude pruning on the MLP against PyTorch, side by side in one run.

    /usr/bin/python3 bench/compare/torch_surgery.py [--threads 1,2] [--json out.json]

The two workloads of ../shared/tools/torch_speed.py section (d), on the MLP 784-256-128-10
(235,146 parameters):
  mask-only  |g| over every parameter, the global top 50 % (torch.topk of 117,573), scattered
             into fresh 0/1 masks, one per parameter;
  prune      the 234,752 entries of the three weight matrices: the 117,376 smallest |w|
             (torch.topk largest=False) zeroed in place, on a fresh copy each repetition.
PyTorch runs first and last (the better median counts: the conservative ratio), Lethe's JMH
SaliencyMaskBench.maskOnly and PruneBench.prune at size=235146 in between, with the same
thread count (torch.set_num_threads / -Dlethe.threads). Needs Debian's python3-torch,
bench/target/benchmarks.jar (mvn -B -q package -DskipTests) and a JDK 25 (found as ./lethe does).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPES = [(256, 784), (256,), (128, 256), (128,), (10, 128), (10,)]


def mask_only(grads, keep=0.5):
    flat = torch.cat([g.abs().flatten() for g in grads])
    m = torch.zeros_like(flat)
    m[torch.topk(flat, int(keep * flat.numel()), sorted=False).indices] = 1.0
    return [mm.view_as(g) for mm, g in zip(torch.split(m, [g.numel() for g in grads]), grads)]


def prune(ws, sparsity=0.5):
    flat = torch.cat([w.abs().flatten() for w in ws])
    keep = torch.ones_like(flat)
    keep[torch.topk(flat, int(sparsity * flat.numel()), largest=False, sorted=False).indices] = 0.0
    for w, m in zip(ws, torch.split(keep, [w.numel() for w in ws])):
        w.mul_(m.view_as(w))
    return ws


def median_ms(fn, setup, reps=41, warmup=5):
    times = []
    for i in range(warmup + reps):
        arg = setup()
        t0 = time.perf_counter()
        fn(arg)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def torch_run(threads):
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(0)
    grads = [torch.randn(s, generator=gen) for s in SHAPES]
    weights = [g.clone() for g in grads if g.dim() == 2]
    return {"mask-only": median_ms(mask_only, lambda: grads),
            "prune": median_ms(prune, lambda: [w.clone() for w in weights])}


def jmh_run(threads):
    jdk = subprocess.run([os.path.join(ROOT, "lethe"), "jdk"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    subprocess.run([os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-jar",
                    os.path.join(ROOT, "bench", "target", "benchmarks.jar"),
                    r"(SaliencyMaskBench\.maskOnly|PruneBench\.prune)$", "-p", "size=235146",
                    "-jvmArgsAppend", "-Dlethe.threads=%d" % threads, "-f", "1", "-wi", "5", "-i", "10",
                    "-tu", "us", "-bm", "avgt", "-rf", "json", "-rff", out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        rows = json.load(f)
    os.unlink(out)
    name = {"maskOnly": "mask-only", "prune": "prune"}
    return {name[r["benchmark"].rsplit(".", 1)[1]]: r["primaryMetric"]["score"] / 1e3 for r in rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--json")
    args = ap.parse_args()
    results = []
    print("machine: %s, %d cores; torch %s" % (platform.processor() or platform.machine(), os.cpu_count(), torch.__version__))
    print("%-10s %8s %12s %12s %12s %8s" % ("workload", "threads", "torch ms", "lethe ms", "torch ms", "speed-up"))
    for t in [int(x) for x in args.threads.split(",")]:
        before = torch_run(t)
        lethe = jmh_run(t)
        after = torch_run(t)
        for w in ("mask-only", "prune"):
            best = min(before[w], after[w])
            results.append({"workload": w, "threads": t, "torch_ms": [before[w], after[w]], "lethe_ms": lethe[w],
                            "speedup_vs_torch": best / lethe[w]})
            print("%-10s %8d %12.3f %12.3f %12.3f %7.2fx" % (w, t, before[w], lethe[w], after[w], best / lethe[w]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
