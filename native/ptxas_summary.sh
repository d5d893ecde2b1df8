#!/usr/bin/env bash
# native/ptxas_summary.sh [report]: one row per kernel from nvcc's -Xptxas -v report (python3):
# registers per target, spill bytes (stores+loads, summed over targets), static shared memory.
set -euo pipefail
report=${1:-"$(dirname "$0")/../target/ptxas-report.txt"}
python3 - "$report" <<'PY'
import re, sys
reg, spill, smem, k, arch = {}, {}, {}, None, None
for line in open(sys.argv[1]):
    m = re.search(r"Compiling entry function '(\w+)' for 'sm_(\d+)'", line)
    if m: k, arch = m.group(1), m.group(2); spill.setdefault(k, 0); continue
    m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
    if m and k: spill[k] += int(m.group(1)) + int(m.group(2)); continue
    m = re.search(r"Used (\d+) registers", line)
    if m and k:
        reg[(k, arch)] = m.group(1)
        s = re.search(r"(\d+) bytes smem", line); smem[k] = s.group(1) if s else "0"
print("| kernel | regs sm_80 | sm_86 | sm_89 | sm_90 | spill bytes | static smem |")
print("|---|---|---|---|---|---|---|")
for k in sorted(spill):
    print(f"| {k} | " + " | ".join(reg.get((k, a), "?") for a in ("80", "86", "89", "90")) + f" | {spill[k]} | {smem[k]} |")
PY
