package jcnn.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
 *
 * <p>Huge pages: on Linux an allocation of {@link #HUGE_PAGE} bytes or more (an activation slab, a
 * large tensor) is mapped straight from the kernel (anonymous mmap: zeroed, like {@code
 * Arena.allocate}) at a 2 MiB boundary and marked {@code madvise(MADV_HUGEPAGE)} before it is first
 * touched, so transparent huge pages back it where the system allows them ("madvise" or "always" in
 * /sys/kernel/mm/transparent_hugepage/enabled). A 1x1 conv writes each output channel in runs of a
 * few hundred bytes, one 4 KiB page apart per channel: with 4 KiB pages most of those runs cost a TLB
 * walk (256 -> 1024 channels at 56x56 on this project's 2-core VM: 104 -> 117-129 GFLOP/s on one
 * thread, 194 -> 218 on two). It is unmapped when the arena closes. {@code -Djcnn.hugepages=false}
 * turns it off; anywhere mmap is missing or fails, the arena's own allocation is used.
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

    /** Allocations from this size up are mapped and marked for transparent huge pages (class comment). */
    public static final long HUGE_PAGE = 2L << 20;
    private static final MethodHandle MMAP, MUNMAP, MADVISE; // null: not Linux, or switched off

    static {
        MethodHandle mm = null, mu = null, ma = null;
        if (System.getProperty("os.name", "").startsWith("Linux") && !"false".equals(System.getProperty("jcnn.hugepages"))) {
            try {
                Linker l = Linker.nativeLinker();
                var libc = l.defaultLookup();
                mm = l.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                mu = l.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                ma = l.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError e) { // no native access or no libc symbol: plain arena memory
                mm = mu = ma = null;
            }
        }
        MMAP = mm;
        MUNMAP = mu;
        MADVISE = ma;
    }

    /** Whether large allocations go through mmap + MADV_HUGEPAGE here (class comment). */
    public static boolean hugePagesAdvised() { return MMAP != null; }

    /**
     * {@code bytes} of zeroed memory at a {@link #HUGE_PAGE} boundary, advised for huge pages and unmapped
     * when {@code owner} closes; null when mmap is unavailable or fails (the caller then allocates from
     * the arena, which reports the failure its own way).
     */
    private static MemorySegment mapHuge(long bytes, Arena owner) {
        final int protRW = 3, mapPrivateAnon = 0x22, madvHugepage = 14; // Linux, x86-64 and aarch64 alike
        long len = bytes + HUGE_PAGE; // room to start at a 2 MiB boundary; the slack is never touched
        try {
            MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, len, protRW, mapPrivateAnon, -1, 0L);
            if (m.address() == -1L || m.address() == 0L) return null; // MAP_FAILED
            long base = m.address(), start = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(start), (bytes + HUGE_PAGE - 1) & -HUGE_PAGE, madvHugepage);
            // a refused advice (THP "never") leaves ordinary pages: still correct memory
            try {
                return MemorySegment.ofAddress(start).reinterpret(bytes, owner, s -> unmap(base, len));
            } catch (RuntimeException e) { // the arena is closed: give the mapping back, let the arena report it
                unmap(base, len);
                return null;
            }
        } catch (Throwable t) {
            return null;
        }
    }

    private static void unmap(long base, long len) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(base), len);
        } catch (Throwable t) {
            // nothing to do on a cleanup path: munmap only fails for a range that is not mapped
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
            MemorySegment s = byteSize >= HUGE_PAGE && byteAlignment <= HUGE_PAGE && MMAP != null ? mapHuge(byteSize, inner) : null;
            if (s == null) s = inner.allocate(byteSize, byteAlignment);
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
