#!/usr/bin/env bash
# bench/gpu/run.sh: the one script for a lent H200, run from what bench/gpu/prepare.sh put in
# dist/gpu (carried by the device tool; that machine has no JDK, no Maven, no network):
#   1. doctor (driver, device, kernels) with the jlinked JDK 25 runtime
#   2. the CUDA tests (jcnn.cuda.CudaDeviceTest: every default net at 64x64, batch 1 and 2, CUDA
#      graph on and off, against the reference executor; device memory freed) via JUnit's console
#   3. jcnn.cuda.DeviceBench: every default net at batch 1 and 8, p50/p99 over RUNS runs after
#      WARMUP, node-by-node launches ("eager") and one CUDA graph launch ("graph")
#   4. torch_peer.py in the same run: PyTorch eager and CUDA graphs on the same architectures
#   5. one table (jcnn and torch side by side) on stdout and in $OUT/table.txt
# Each step that fails says so and the script goes on; the exit code is the number of failed steps.
# Knobs (environment): DEVICE=cuda|emu NETS=a,b BATCHES=1,8 RUNS=200 WARMUP=30 SIZE=224 SKIP_TESTS=1
# A dry run on a machine without a GPU: DEVICE=emu NETS=squeezenet1_1 BATCHES=1 RUNS=2 WARMUP=1 SIZE=32
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/out}"
mkdir -p "$out"
DEVICE=${DEVICE:-cuda}
NETS=${NETS:-densenet121,resnext50_32x4d,squeezenet1_1,mobilenet_v1,mobilenet_v2,shufflenet_v1,shufflenet_v2_x1_0}
BATCHES=${BATCHES:-1,8}; RUNS=${RUNS:-200}; WARMUP=${WARMUP:-30}; SIZE=${SIZE:-224}
java="$here/jdk/bin/java"
jopts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC)
cp="$here/classes:$here/lib/*"
failed=0
step() { echo "== $*" >&2; }
fail() { echo "run.sh: FAILED: $*" >&2; failed=$((failed + 1)); }

[[ -x $java ]] || { echo "run.sh: no jlinked runtime at $java (run bench/gpu/prepare.sh first)" >&2; exit 9; }
step "doctor"
"$java" "${jopts[@]}" -cp "$cp" jcnn.cli.Main doctor 2>&1 | grep -v 'incubator modules' | tee "$out/doctor.txt" || fail "doctor"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv,noheader \
  | tee -a "$out/doctor.txt"

if [[ -z ${SKIP_TESTS:-} ]]; then
  step "CUDA tests (jcnn.cuda.CudaDeviceTest)"
  console=$(ls "$here"/lib/junit-platform-console-standalone-*.jar 2>/dev/null | head -1)
  if [[ -z $console ]]; then
    fail "no JUnit console launcher in $here/lib"
  else
    "$java" "${jopts[@]}" -jar "$console" execute --disable-banner --details=tree \
      -cp "$here/classes:$here/test-classes:$(ls "$here"/lib/*.jar | grep -v console-standalone | paste -sd:)" \
      --select-class jcnn.cuda.CudaDeviceTest 2>&1 | grep -v 'incubator modules' | tee "$out/tests.txt"
    [[ ${PIPESTATUS[0]} == 0 ]] || fail "CUDA tests (see $out/tests.txt)"
  fi
fi

step "jcnn on $DEVICE: $NETS, batches $BATCHES, $RUNS runs after $WARMUP, ${SIZE}x$SIZE"
"$java" "${jopts[@]}" -cp "$cp" jcnn.cuda.DeviceBench --device "$DEVICE" --nets "$NETS" --batches "$BATCHES" \
  --runs "$RUNS" --warmup "$WARMUP" --size "$SIZE" 2> >(grep -v 'incubator modules' >&2) | tee "$out/jcnn.jsonl"
[[ ${PIPESTATUS[0]} == 0 ]] || fail "jcnn bench on $DEVICE"

step "PyTorch peer (eager and CUDA graphs)"
py=$(command -v python3 || true)
if [[ -z $py ]]; then
  fail "no python3"
elif ! "$py" -c 'import torch, torchvision, sys; sys.exit(0 if torch.cuda.is_available() else 3)' 2>"$out/torch_probe.txt"; then
  fail "PyTorch with CUDA is not available here: $(tail -1 "$out/torch_probe.txt")"
else
  PYTHONUNBUFFERED=1 "$py" "$here/torch_peer.py" --nets "$NETS" --batches "$BATCHES" --runs "$RUNS" --warmup "$WARMUP" \
    --size "$SIZE" | tee "$out/torch.jsonl"
  [[ ${PIPESTATUS[0]} == 0 ]] || fail "torch_peer.py"
fi

step "table"
if [[ -n $py ]]; then
  "$py" - "$out/jcnn.jsonl" "$out/torch.jsonl" <<'PY' | tee "$out/table.txt"
import json, os, sys
rows = {}
for f in sys.argv[1:]:
    if not os.path.exists(f):
        continue
    for line in open(f):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            rows[(r["net"], r["batch"], r["peer"], r["mode"])] = r
nets = sorted({(k[0], k[1]) for k in rows}, key=lambda x: (x[1], x[0]))
cols = [("jcnn", "eager"), ("jcnn", "graph"), ("torch", "eager"), ("torch", "graph")]
print("end-to-end latency, ms, p50 / p99 (copies in and out and one synchronisation included)")
print(f"{'net':<20} {'batch':>5} " + " ".join(f"{p + ' ' + m:>17}" for p, m in cols))
for net, b in nets:
    cells = []
    for p, m in cols:
        r = rows.get((net, b, p, m))
        cells.append(f"{r['p50_ms']:8.3f}/{r['p99_ms']:<8.3f}" if r else f"{'-':>17}")
    print(f"{net:<20} {b:>5} " + " ".join(cells))
PY
fi
echo "run.sh: $failed step(s) failed; results in $out" >&2
exit "$failed"
