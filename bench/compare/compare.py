"""Lethe's SGEMM against OpenBLAS (through numpy), side by side in one run.

    python3 bench/compare/compare.py [--threads 1,2] [--rounds 9] [--seconds 0.5] [--quick] [--json out.json]

For each thread count it starts two timing servers: numpy (OPENBLAS_NUM_THREADS=t, with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed so OpenBLAS picks its best kernel for this CPU)
and Lethe's dev.lethe.bench.GemmTimer (-Dlethe.threads=t). Round after round, for every shape,
it asks one and then the other (which goes first alternates) for the median time of one product
over --seconds. Each round thus gives a ratio whose two sides ran seconds apart under the same
load: on a shared machine either side's speed can halve for a while, and timing all of Lethe,
then all of numpy, turns that into the ratio. The table shows, per shape, the median over the
rounds of each side's GFLOPS and of the per-round ratio, and the range of those ratios.
Needs bench/target/benchmarks.jar (mvn -B -q package -DskipTests) and a JDK 25 (found like
./lethe does). --quick: 5 rounds of 0.25 s.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SQUARE = [f"1024x1024x1024 {v}" for v in ("NN", "TN", "NT")]
TRAINING = ["128x784x256 NT", "128x256x128 NT", "128x128x10 NT",
            "256x128x784 TN", "128x128x256 TN", "10x128x128 TN",
            "128x256x784 NN", "128x128x256 NN", "128x10x128 NN"]


def java():
    jdk = subprocess.run([os.path.join(ROOT, "lethe"), "jdk"], capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(jdk, "bin", "java")


class Server:
    """A child process answering "MxKxN VARIANT SECONDS" with the median seconds of one product."""

    def __init__(self, cmd, env=None):
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)

    def seconds(self, shape, seconds):
        self.proc.stdin.write(f"{shape} {seconds}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"timing server {self.proc.args[0]} stopped on '{shape}' (exit {self.proc.poll()})")
        return float(answer)

    def close(self):
        try:
            self.proc.stdin.write("\n")
            self.proc.stdin.close()
        except OSError:
            pass  # it has already stopped; seconds() said why
        self.proc.wait()


def servers(threads):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    numpy = Server([sys.executable, os.path.join(os.path.dirname(__file__), "numpy_gemm.py"), "--serve"], env)
    lethe = Server([java(), "--add-modules", "jdk.incubator.vector", f"-Dlethe.threads={threads}",
                    "-cp", os.path.join(ROOT, "bench/target/benchmarks.jar"), "dev.lethe.bench.GemmTimer"])
    return numpy, lethe


def gflops(shape, seconds):
    m, k, n = (int(x) for x in shape.split()[0].split("x"))
    return 2.0 * m * k * n / seconds / 1e9


def compare(threads, shapes, rounds, seconds):
    numpy, lethe = servers(threads)
    runs = {s: [] for s in shapes}
    try:
        for r in range(rounds):
            for s in shapes:
                first, second = (numpy, lethe) if r % 2 == 0 else (lethe, numpy)
                t1, t2 = first.seconds(s, seconds), second.seconds(s, seconds)
                blas, ours = (t1, t2) if first is numpy else (t2, t1)
                runs[s].append((gflops(s, ours), gflops(s, blas)))
    finally:
        numpy.close()
        lethe.close()
    rows = []
    for s in shapes:
        ratios = [ours / blas for ours, blas in runs[s]]
        rows.append({"shape": s, "threads": threads, "rounds": rounds,
                     "lethe_gflops": statistics.median(o for o, _ in runs[s]),
                     "openblas_gflops": statistics.median(b for _, b in runs[s]),
                     "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios)})
    return rows


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
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--seconds", type=float, default=0.5, help="timing per side, shape and round")
    ap.add_argument("--quick", action="store_true", help="5 rounds of 0.25 s")
    ap.add_argument("--json", help="also write the rows as JSON here")
    args = ap.parse_args()
    rounds, seconds = (5, 0.25) if args.quick else (args.rounds, args.seconds)
    rows = []
    for t in (int(x) for x in args.threads.split(",")):
        rows += compare(t, SQUARE + TRAINING, rounds, seconds)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; {rounds} alternating rounds of {seconds} s per side;"
          " medians over the rounds")
    print("| workload (m×k×n, variant) | threads | Lethe GFLOPS | OpenBLAS GFLOPS | ratio (range over rounds) |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['shape']} | {r['threads']} | {r['lethe_gflops']:.1f} | {r['openblas_gflops']:.1f} "
              f"| {r['ratio']:.2f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f}) |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
