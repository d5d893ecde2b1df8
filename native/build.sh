#!/usr/bin/env bash
# native/build.sh: builds the native side; Maven runs it in generate-resources, make keeps it
# incremental (a no-op build takes well under a second).
#   target/classes/jcnn/cuda/libjcnn_emu.so   the kernels compiled by g++ against native/emu
#   target/native/emu_selftest_asan           the emulator's own test, built with ASan and run
#   target/classes/jcnn/cuda/kernels.fatbin   nvcc: SASS sm_80/86/89/90 + PTX compute_90 (if nvcc exists)
#   target/ptxas-report.txt                   registers/spills per kernel, from ptxas -v
set -euo pipefail
cd "$(dirname "$0")"
jobs=$(nproc 2>/dev/null || echo 2)
command -v g++ >/dev/null || { echo "native/build.sh: g++ not found: cannot build the CUDA emulator" >&2; exit 1; }
# the ASan self-test (and the ASan library the asan test profile uses) need g++'s libasan
if echo 'int main(){return 0;}' | g++ -fsanitize=address -x c++ - -o /tmp/jcnn-asan-probe.$$ 2>/dev/null; then
  rm -f /tmp/jcnn-asan-probe.$$
  make -s -j"$jobs" emu check
else
  echo "native/build.sh: g++ cannot link -fsanitize=address: emulator built without the ASan self-test" >&2
  make -s -j"$jobs" emu
fi
if command -v "${NVCC:-nvcc}" >/dev/null; then
  make -s fatbin
  if grep -q "bytes spill stores" ../target/ptxas-report.txt && grep -E "[1-9][0-9]* bytes spill (stores|loads)" ../target/ptxas-report.txt >/dev/null; then
    echo "native/build.sh: WARNING: ptxas reports register spills (see target/ptxas-report.txt)" >&2
  fi
else
  mkdir -p ../target/classes/jcnn/cuda
  echo "kernels not built: nvcc not found" > ../target/classes/jcnn/cuda/kernels.fatbin.missing
  echo "native/build.sh: nvcc not found: kernels.fatbin not built (the emulator library was)" >&2
fi
