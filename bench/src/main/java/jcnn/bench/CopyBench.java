package jcnn.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Memory bandwidth estimate: copy 64 MB (far beyond the caches) with MemorySegment.copy, one thread
 * and two (halves). Bytes moved = read + write = 128 MB per op; GB/s printed at tear-down. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CopyBench {
    static final long BYTES = 64L << 20;
    Arena arena;
    MemorySegment a, b;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        a = arena.allocate(BYTES, 64);
        b = arena.allocate(BYTES, 64);
        a.fill((byte) 1);
        b.fill((byte) 2);
    }

    @Benchmark
    public void copy1() { MemorySegment.copy(a, 0, b, 0, BYTES); }

    @Benchmark
    @Threads(2)
    public void copy2halves(ThreadIdx id) { MemorySegment.copy(a, id.half * BYTES / 2, b, id.half * BYTES / 2, BYTES / 2); }

    @State(Scope.Thread)
    public static class ThreadIdx {
        static final java.util.concurrent.atomic.AtomicInteger N = new java.util.concurrent.atomic.AtomicInteger();
        int half;
        @Setup public void s() { half = N.getAndIncrement() % 2; }
    }

    @TearDown
    public void close() { arena.close(); }
}
