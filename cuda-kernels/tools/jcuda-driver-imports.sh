#!/usr/bin/env bash
# Prints, one per line and sorted, the cu* driver entries that JCuda's driver binding
# (libJCudaDriver, in JCuda's natives jar) imports from libcuda.so.1: the entries a stand-in
# driver (null-driver, cpu-driver) must define so that the binding loads. The natives jar is
# $JCUDA_NATIVES_JAR, else the one for cuda-kernels/pom.xml's jcuda.version and this machine in
# the local Maven repository (any build of this project puts it there). Needs nm, and unzip or a
# JDK's jar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:.*<jcuda.version>\(.*\)</jcuda.version>.*:\1:p' "$here/../pom.xml")
[[ -n $version ]] || { echo "jcuda-driver-imports.sh: no jcuda.version in cuda-kernels/pom.xml" >&2; exit 2; }
natives=${JCUDA_NATIVES_JAR:-${M2_REPO:-$HOME/.m2/repository}/org/jcuda/jcuda-natives/$version/jcuda-natives-$version-linux-$(uname -m | sed 's/aarch64/arm64/').jar}
[[ -f $natives ]] || { echo "jcuda-driver-imports.sh: no $natives (build the project once first)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if command -v unzip >/dev/null; then
    unzip -q -o "$natives" 'lib/libJCudaDriver-*' -d "$work"
else
    (cd "$work" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$natives" lib)
fi
nm -D --undefined-only "$work"/lib/libJCudaDriver-*.so | awk '$2 ~ /^cu/ {print $2}' | sort -u
