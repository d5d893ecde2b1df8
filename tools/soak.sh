#!/usr/bin/env bash
# 100,000 runs of mobilenet_v2 at 32x32 on the CPU (issue 8, point 2): jcnn's counted native bytes,
# heap after GC and RSS at every 10%, and the JVM's native memory tracking (NMT) diff between the end
# and a baseline taken after warm-up. Too long for CI (~8 min on 2 cores); LifetimeTest runs 2,000.
# usage: tools/soak.sh [NET] [RUNS]     (after mvn test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/soak.cp >/dev/null
exec "$JAVA_HOME/bin/java" -XX:NativeMemoryTracking=summary --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/soak.cp)" jcnn.compile.Soak "${1:-mobilenet_v2}" "${2:-100000}"
