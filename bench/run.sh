#!/usr/bin/env bash
# Builds jcnn and the benchmarks, runs JMH. Usage: bench/run.sh [JMH args], e.g. bench/run.sh Pointwise -prof gc
# Writes JSON to bench/results/<date>-<commit>.json (machine, JDK and commit go in the file name and a .txt beside it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"; export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q -f "$root/pom.xml" -DskipTests install
mvn -B -q -f "$here/pom.xml" package
stamp="$(date -u +%Y%m%dT%H%M%SZ)-$(git -C "$root" rev-parse --short HEAD)"
{ echo "date $stamp"; uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; java -version 2>&1; uptime; } > "$here/results/$stamp.txt"
java --add-modules jdk.incubator.vector -cp "$here/target/classes:$here/target/lib/*" \
  org.openjdk.jmh.Main -rf json -rff "$here/results/$stamp.json" "$@" 2>&1 | grep -v 'incubator modules' | tee -a "$here/results/$stamp.txt"
