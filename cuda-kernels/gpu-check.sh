#!/usr/bin/env bash
# Runs Lethe's GPU checks and measurements on a host with an NVIDIA GPU and driver but no
# Java build tools: nothing is built here. Pack it on the build machine first:
#
#   mvn -B -o -q package -DskipTests -pl bench -am
#   ../shared/tools/pack-gpu-run.sh bench/target/benchmarks.jar cuda-kernels/gpu-check.sh
#
# then on the GPU host, from the project root:   bash .gpu-run/gpu-check.sh [--jmh] [--checks-only]
#
#   (default)      every GPU check (kernels against the CPU on odd sizes, MLP/CNN autograd, leaks),
#                  then SGEMM GFLOPS per engine, elementwise and mask kernels in GB/s against a
#                  device-to-device copy, the host-side cost of a launch, a sync, an upload and an
#                  allocation, and MLP epochs on the GPU against the CPU (GpuCheck's --perf= and
#                  --only N options pick sections and single checks when it is run by hand)
#   --checks-only  the checks, no measurements
#   --jmh          also the JMH benchmarks GpuGemmBench, GpuElementwiseBench, GpuMaskBench
#                  (about 4 minutes; JSON results written beside the log)
#   --e2e          also the command line end to end, on the GPU and then on the CPU: `lethe
#                  train --epochs 4` and `lethe unlearn --scenario class:3 --methods
#                  retrain,ft,salun,ssd,surgery --epochs 5 --mia-samples 1000` on the bundled
#                  subset (needs examples/target/lethe.jar packed too; about 2 minutes)
#
# Output goes to stdout and, when $OUT is set (the device tool's result folder), to
# $OUT/gpu-check.txt (and $OUT/gpu-bench.json with --jmh). Exit status: GpuCheck's
# (0 all checks passed, 1 a check failed, 2 no GPU).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jmh=0
e2e=0
args=()
for a in "$@"; do
  case "$a" in
    --jmh) jmh=1 ;;
    --e2e) e2e=1 ;;
    --checks-only) args+=(--checks-only) ;;
    *) echo "gpu-check.sh: unknown option $a (--jmh, --e2e, --checks-only)" >&2; exit 2 ;;
  esac
done

# The packed bundle puts run.sh (a bundled JRE) and the jar beside this script; in a source
# tree, use the built jar and $JAVA_HOME's java (a JDK 25), else the java on PATH.
if [[ -x "$here/run.sh" || -f "$here/run.sh" ]]; then
  java=(bash "$here/run.sh")
  jar="$here/benchmarks.jar"
  lethe="$here/lethe.jar"
else
  java=("${JAVA_HOME:+$JAVA_HOME/bin/}java" --add-modules jdk.incubator.vector)
  jar="$here/../bench/target/benchmarks.jar"
  lethe="$here/../examples/target/lethe.jar"
fi
[[ -f "$jar" ]] || { echo "gpu-check.sh: no $jar (build bench, then pack it with pack-gpu-run.sh)" >&2; exit 2; }
(( e2e )) && [[ ! -f "$lethe" ]] && { echo "gpu-check.sh: --e2e needs $lethe (build examples and pack it too)" >&2; exit 2; }
log=${OUT:+$OUT/gpu-check.txt}
log=${log:-/dev/null}

{
  echo "== $(date -u +%FT%TZ) on $(hostname)"
  if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1; else echo "(no nvidia-smi)"; fi
  "${java[@]}" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.lethe.cuda.check.GpuCheck "${args[@]}"
} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

if (( jmh )) && (( status == 0 )); then
  json=${OUT:+$OUT/gpu-bench.json}
  "${java[@]}" -jar "$jar" 'Gpu(Gemm|Elementwise|Mask)Bench' -p engine=own -f 1 -wi 2 -i 3 -w 1 -r 1 \
      ${json:+-rf json -rff "$json"} 2>&1 | grep -v '^WARNING' | tee -a "$log"
fi
if (( e2e )) && (( status == 0 )); then
  for device in cuda cpu; do
    echo "== lethe train --device $device --epochs 4"
    "${java[@]}" --enable-native-access=ALL-UNNAMED -cp "$lethe" dev.lethe.cli.Lethe train --device "$device" --epochs 4 --quiet
    echo "== lethe unlearn --device $device --scenario class:3 --methods retrain,ft,salun,ssd,surgery --epochs 5 --mia-samples 1000"
    "${java[@]}" --enable-native-access=ALL-UNNAMED -cp "$lethe" dev.lethe.cli.Lethe unlearn --device "$device" --scenario class:3 \
        --methods retrain,ft,salun,ssd,surgery --epochs 5 --mia-samples 1000 --quiet
  done 2>&1 | grep -v '^WARNING' | tee -a "$log"
fi
exit "$status"
