#!/usr/bin/env bash
# Builds, on this (GPU-less) machine, everything the lent H200 needs into dist/gpu/ (git-ignored),
# which the device tool carries: a jlinked JDK 25 runtime, the jcnn jar and its runtime jars, the
# test classes with JUnit's console launcher (to run the CUDA tests there without Maven), the
# PyTorch peer and run.sh. The H200 machine has no JDK and no network: nothing is built there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/dist/gpu"
"$root/bin/jcnn" help >/dev/null 2>&1 || true         # builds target/classes + target/lib on first use
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q -Dstyle.color=never -f "$root/pom.xml" -DskipTests test-compile \
  dependency:copy-dependencies -DoutputDirectory="$root/target/test-lib" -DincludeScope=test -DexcludeArtifactIds=onnxruntime
mvn -B -q -Dstyle.color=never -f "$root/pom.xml" dependency:copy -DoutputDirectory="$root/target/test-lib" \
  -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1
rm -rf "$out"; mkdir -p "$out"
[[ -f "$root/target/classes/jcnn/cuda/kernels.fatbin" ]] || { echo "prepare: kernels.fatbin was not built (nvcc missing?)" >&2; exit 2; }
"$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.management,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$out/jdk"
cp -r "$root/target/classes" "$out/classes"
cp -r "$root/target/test-classes" "$out/test-classes"
mkdir -p "$out/lib"; cp "$root"/target/lib/*.jar "$out/lib/" 2>/dev/null || true
cp "$root"/target/test-lib/*.jar "$out/lib/"
# the device tool carries 64 MiB at most: no ONNX Runtime (75 MB; check is not run there), and of
# JCuda's natives (26 MB) only the driver library, the one jcnn.cuda.CudaDevice loads
rm -f "$out"/lib/onnxruntime-*.jar
nat=$(ls "$out"/lib/jcuda-natives-*.jar)
tmp=$(mktemp -d)
(cd "$tmp" && "$JAVA_HOME/bin/jar" xf "$nat" 'lib/' && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* lib/libJCudaRuntime-* \
  && "$JAVA_HOME/bin/jar" cf "$nat.slim" lib)
mv "$nat.slim" "$nat"; rm -rf "$tmp"
cp "$root/bench/gpu/run.sh" "$root/bench/gpu/torch_peer.py" "$out/"
du -sh "$out"
