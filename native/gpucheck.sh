#!/usr/bin/env bash
# native/gpucheck.sh: check the fatbin's kernels on a real GPU against the references the Java
# tests computed here.
#   here (JDK, no GPU):   native/gpucheck.sh trace   -> target/gpucheck/{trace.bin,kernels.fatbin,gpucheck.cu,gpucheck.sh}
#   here, after trace:    native/gpucheck.sh emu     -> the harness replayed on the emulator (tests the harness)
#   GPU machine (nvcc, driver, no JDK; carry target/gpucheck):  bash target/gpucheck/gpucheck.sh run
# `run` compiles the harness against libcuda and replays every launch of the kernel tests; it
# prints one FAIL line per mismatching check and a pass/fail table per kernel; exit 1 on any failure.
set -euo pipefail
mode=${1:-}
case $mode in
  trace)
    cd "$(dirname "$0")/.."
    out=$PWD/target/gpucheck
    mkdir -p "$out"
    rm -f "$out/trace.bin"
    # surefire hands -D user properties to the test JVM as system properties
    mvn -B -q test -P'!asan' -Dtest='*KernelsTest' -Djcnn.gputrace="$out/trace.bin"
    cp target/classes/jcnn/cuda/kernels.fatbin native/gpucheck.cu native/gpucheck.sh "$out/"
    ls -la "$out"
    ;;
  emu)
    # the harness itself, tested here: same replay, driver calls mapped onto the emulator
    cd "$(dirname "$0")/.."
    g++ -std=c++17 -O1 -Inative/emu/driver_shim -Inative/emu -x c++ native/gpucheck.cu -Ltarget/classes/jcnn/cuda \
      -ljcnn_emu -Wl,-rpath,"$PWD/target/classes/jcnn/cuda" -o target/native/gpucheck_emu
    target/native/gpucheck_emu target/gpucheck/kernels.fatbin target/gpucheck/trace.bin
    ;;
  run)
    cd "$(dirname "$0")"
    nvcc -O2 -o gpucheck gpucheck.cu -lcuda
    ./gpucheck kernels.fatbin trace.bin
    ;;
  *) echo "usage: $0 trace|emu|run" >&2; exit 2 ;;
esac
