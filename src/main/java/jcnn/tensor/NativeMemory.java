package jcnn.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * jcnn's native memory on the CPU path: every arena the library allocates activations, weights or
 * owned tensors in comes from {@link #ofShared()}, which counts the bytes it hands out and gives
 * them back on close. {@link #liveBytes()} is therefore an exact count of the native memory jcnn
 * holds at a moment (the leak tests compare it before and after), and {@link #requireFits} is the
 * one place that refuses an allocation larger than the machine before it is attempted.
 *
 * <p>The JDK does not count {@code Arena} allocations anywhere (the "direct" buffer pool covers
 * ByteBuffers only), which is why the count is ours. Counting costs two atomic adds per
 * allocation; nothing on the hot path allocates.
 */
public final class NativeMemory {
    private NativeMemory() {}

    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_ARENAS = new AtomicLong();
    private static final long PHYSICAL = physical();

    private static long physical() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long total = os.getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        } catch (RuntimeException | LinkageError e) {
            return Long.MAX_VALUE; // no way to ask: allocation failures then come from the allocator
        }
    }

    /** A shared arena whose allocations are counted in {@link #liveBytes()} until it is closed. */
    public static Arena ofShared() {
        Counting a = new Counting(Arena.ofShared());
        LIVE_ARENAS.incrementAndGet();
        return a;
    }

    /** Bytes allocated through {@link #ofShared()} arenas that are still open. */
    public static long liveBytes() { return LIVE_BYTES.get(); }

    /** {@link #ofShared()} arenas still open. */
    public static long liveArenas() { return LIVE_ARENAS.get(); }

    /** The most one allocation may take: the machine's physical memory. */
    public static long limitBytes() { return PHYSICAL; }

    /**
     * Throws IllegalArgumentException naming {@code what} when {@code bytes} exceed the machine's
     * physical memory: an absurd batch or image size fails here, before an allocation that could
     * only end in an OutOfMemoryError or the kernel's OOM killer.
     */
    public static void requireFits(long bytes, String what) {
        if (bytes < 0 || bytes > PHYSICAL) {
            throw new IllegalArgumentException(what + " needs " + human(bytes) + " of memory, more than this machine's "
                + human(PHYSICAL));
        }
    }

    /** Bytes with a binary unit, e.g. "1.5 GiB". */
    public static String human(long bytes) {
        if (bytes < 0) return "more than " + human(Long.MAX_VALUE);
        if (bytes < 1024) return bytes + " B";
        String[] unit = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < unit.length - 1) { v /= 1024; u++; }
        return String.format("%.1f %s", v, unit[u]);
    }

    /** Delegates to a shared arena and keeps the running total of what it allocated. */
    private static final class Counting implements Arena {
        private final Arena inner;
        private final AtomicLong mine = new AtomicLong();

        Counting(Arena inner) { this.inner = inner; }

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            MemorySegment s = inner.allocate(byteSize, byteAlignment);
            mine.addAndGet(byteSize);
            LIVE_BYTES.addAndGet(byteSize);
            return s;
        }

        @Override public MemorySegment.Scope scope() { return inner.scope(); }

        @Override
        public void close() {
            inner.close(); // throws IllegalStateException when already closed: then nothing is given back twice
            LIVE_BYTES.addAndGet(-mine.getAndSet(0));
            LIVE_ARENAS.decrementAndGet();
        }
    }
}
