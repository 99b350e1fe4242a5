#!/usr/bin/env bash
# Compiles every CUDA C source in src/main/cuda to PTX, one .ptx per .cu, into
# src/main/resources/dev/lethe/cuda/ptx/ (committed: building Lethe needs no nvcc), or into
# the folder given as the first argument (PtxUpToDateTest regenerates into a temporary one
# and compares).
#
#   cuda-kernels/generate-ptx.sh [OUT_DIR]        NVCC=/path/to/nvcc to pick a compiler
#
# Flags, fixed so the output is a pure function of the sources and the nvcc version:
#   -ptx -arch=compute_80   PTX for the virtual architecture 8.0. The kernels use nothing
#                           newer (warp shuffles, float atomics); the driver compiles the PTX
#                           for the GPU it runs on (sm_90 on an H100 or H200) when
#                           cuModuleLoadData loads it, so one file serves A100, H100 and H200.
#   -std=c++17 -O3          no -G, no -lineinfo: the PTX then holds no file paths.
# PTX written by nvcc 13 declares ISA 9.0, which needs a driver of the CUDA 13 line (580+).
# nvcc runs inside src/main/cuda on relative names, so no path of this machine gets in.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/src/main/resources/dev/lethe/cuda/ptx}
nvcc=${NVCC:-nvcc}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here/src/main/cuda"
for cu in *.cu; do
  "$nvcc" -ptx -arch=compute_80 -std=c++17 -O3 -o "$out/${cu%.cu}.ptx" "$cu"
done
