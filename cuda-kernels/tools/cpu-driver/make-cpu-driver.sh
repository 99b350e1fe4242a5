#!/usr/bin/env bash
# Builds the CPU driver (cpu-driver.cpp: a libcuda.so.1 that runs Lethe's kernels on the CPU)
# into DIR:
#   cuda-kernels/tools/cpu-driver/make-cpu-driver.sh DIR
# then run a JVM with LD_LIBRARY_PATH=DIR, and CudaProbe finds a "GPU" whose kernels are the
# CUDA C sources of src/main/cuda compiled by g++ (see cuda-on-cpu.h), e.g.
#   LD_LIBRARY_PATH=DIR java ... -cp bench/target/benchmarks.jar dev.lethe.cuda.check.GpuCheck --checks-only
# The module's GpuChecksOnCpuDriverTest does that for every GPU check, in the tests.
# Needs g++ (C++20), and what ../jcuda-driver-imports.sh needs (JCuda's natives jar, nm, unzip
# or a JDK's jar). Never put DIR on a machine's library path for anything else: with it,
# CudaProbe reports a GPU.
set -euo pipefail
out=${1:?usage: make-cpu-driver.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
cuda=$(cd "$here/../../src/main/cuda" && pwd)
imports=$("$here/../jcuda-driver-imports.sh")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(-std=c++20 -O2 -fPIC -ffp-contract=off -fno-strict-aliasing -Wno-unknown-pragmas -I "$here" -I "$cuda")

# One translation unit per .cu file: the header, the source, and a registration per kernel.
objects=()
pids=()
for cu in "$cuda"/*.cu; do
    name=$(basename "$cu" .cu)
    {
        echo "#include \"cuda-on-cpu.h\""
        echo "#include \"$cu\""
        grep -oE 'extern "C" __global__ void (__launch_bounds__\([^)]*\) )?[A-Za-z0-9_]+\(' "$cu" \
            | sed -E 's/.* ([A-Za-z0-9_]+)\($/CUDA_ON_CPU_KERNEL(\1)/'
    } > "$work/$name.cpp"
    g++ "${flags[@]}" -c "$work/$name.cpp" -o "$work/$name.o" &
    pids+=($!)
    objects+=("$work/$name.o")
done
g++ "${flags[@]}" -c "$here/cpu-driver.cpp" -o "$work/cpu-driver.o" &
pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done

# Every cu* entry the binding imports that cpu-driver.cpp does not define fails as unsupported
# (CUDA_ERROR_NOT_SUPPORTED), so a call Lethe starts to make shows up instead of passing.
defined=$(nm -g --defined-only "$work/cpu-driver.o" | awk '$3 ~ /^cu/ {print $3}' | sort -u)
comm -23 <(echo "$imports") <(echo "$defined") | sed 's/.*/int &(void) { return 801; }/' > "$work/unsupported.c"
gcc -c -fPIC -O2 "$work/unsupported.c" -o "$work/unsupported.o"
g++ -shared -o "$out/libcuda.so.1" "${objects[@]}" "$work/cpu-driver.o" "$work/unsupported.o" -pthread
echo "cpu driver: $out/libcuda.so.1"
