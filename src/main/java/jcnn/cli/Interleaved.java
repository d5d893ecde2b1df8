package jcnn.cli;

import java.util.Arrays;

/**
 * Times one or more engines on the same work, fairly: the same warm-up and the same number of
 * timed runs for each, taken in alternating blocks (engine 0 runs a block, then engine 1, ..., round
 * after round) so that a drift in machine load or clock speed hits every engine alike. A block is at
 * least {@link #BLOCK} runs and {@link #BLOCK_NS} of the slowest engine, and starts once the
 * process is idle ({@link #settle}).
 * Warm-up alternates single runs until each engine has had at least 3 runs and 1 s and the JIT has
 * compiled nothing for {@link #QUIET_NS} (at most {@link #MAX_WARMUP_NS} in all): on 2 cores the C2
 * threads compiling the vector kernels compete with a 2-thread run, and timing them inflated
 * squeezenet1_1's p50 from 8 to 17-40 ms with a 1 s warm-up. Timed rounds
 * go on until each engine has {@code fixedIters} runs, or else at least 10 and the budget (seconds
 * per engine) is spent. Each run is timed with System.nanoTime around it.
 */
final class Interleaved {
    private Interleaved() {}

    static final int BLOCK = 5;
    static final long SETTLE_MS = 20, SETTLE_STEP_MS = 50, SETTLE_MAX_MS = 1000, BLOCK_NS = 250_000_000L;
    static final int WARMUP_RUNS = 3;
    static final long WARMUP_NS = 1_000_000_000L;
    static final long QUIET_NS = 1_000_000_000L, MAX_WARMUP_NS = 30_000_000_000L;
    private static final int MAX_RUNS = 1 << 16;

    /** Per engine, the nanoseconds of each timed run, in the order taken (all arrays the same length). */
    static long[][] time(Runnable[] engines, int fixedIters, double budgetS) { return time(engines, fixedIters, budgetS, WARMUP_NS, QUIET_NS); }

    /** The same with another minimum warm-up time per engine and JIT quiet time (tests: 0). */
    static long[][] time(Runnable[] engines, int fixedIters, double budgetS, long warmupNs, long quietNs) {
        int e = engines.length;
        long[] warm = new long[e];
        JitWatch jit = new JitWatch(quietNs);
        int warmRuns = 0;
        for (; ; warmRuns++) {
            boolean settled = jit.settled();
            boolean done = warmRuns >= WARMUP_RUNS && settled;
            for (long w : warm) done &= w >= warmupNs;
            if (done) break;
            for (int k = 0; k < e; k++) {
                long s = System.nanoTime();
                engines[k].run();
                warm[k] += System.nanoTime() - s;
            }
        }
        int cap = fixedIters > 0 ? fixedIters : MAX_RUNS, blockRuns = blockRuns(warm, warmRuns);
        long[][] ns = new long[e][cap];
        int n = 0;
        long t0 = System.nanoTime();
        while (n < cap) {
            if (fixedIters <= 0 && n >= 10 && System.nanoTime() - t0 >= budgetS * 1e9 * e) break;
            int block = Math.min(blockRuns, cap - n);
            for (int k = 0; k < e; k++) {
                Runnable r = engines[k];
                long[] out = ns[k];
                if (e > 1) settle();
                for (int i = 0; i < block; i++) {
                    long s = System.nanoTime();
                    r.run();
                    out[n + i] = System.nanoTime() - s;
                }
            }
            n += block;
        }
        for (int k = 0; k < e; k++) ns[k] = Arrays.copyOf(ns[k], n);
        return ns;
    }

    /**
     * Between engines: wait until the process is idle, so that the previous engine's idle threads have
     * stopped spinning (ONNX Runtime's intra-op threads spin after a run; ours for 1 ms) and the JIT is
     * quiet before the next engine's block is timed. Sleeps {@link #SETTLE_MS}, then in steps of
     * {@link #SETTLE_STEP_MS} until the process used less than a quarter of one core's time over a
     * step, at most {@link #SETTLE_MAX_MS} (process CPU time, which Linux reports in 10 ms ticks: an
     * idle step reads 0 or 10 ms, a spinning thread >= 40). A fixed 20 ms was not enough on an
     * AMD EPYC VM: ORT's threads were still spinning, and our first run of each block took 2-3x
     * its p50 (mobilenet_v2 14-21 ms against 6.4-11.7 for the next runs; 100 ms idle: no difference).
     */
    static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
            long cpu = processCpuNs(), t = System.nanoTime(), end = t + SETTLE_MAX_MS * 1_000_000L;
            if (cpu < 0) return;
            while (t < end) {
                Thread.sleep(SETTLE_STEP_MS);
                long c = processCpuNs(), now = System.nanoTime();
                if ((c - cpu) * 4 < now - t) return;
                cpu = c;
                t = now;
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time of the whole process (all its threads, native ones included) in ns, or -1 where the JVM does not report it. */
    static long processCpuNs() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : -1;
    }

    /** Runs per block: at least {@link #BLOCK}, and enough for {@link #BLOCK_NS} of the slowest engine's warm-up mean (at most 100). */
    static int blockRuns(long[] warmNs, int warmRuns) {
        long slowest = 1;
        for (long w : warmNs) slowest = Math.max(slowest, w / Math.max(1, warmRuns));
        return (int) Math.max(BLOCK, Math.min(100, BLOCK_NS / slowest));
    }

    /**
     * Watches the JIT during a warm-up: {@link #settled} once it has compiled nothing for
     * {@code quietNs}, or {@link #MAX_WARMUP_NS} after the watch started. Call it once per warm-up
     * step, so that every change is seen when it happens.
     */
    static final class JitWatch {
        private final long start = System.nanoTime(), quietNs;
        private long jit = jitMillis(), changed = start;

        JitWatch(long quietNs) { this.quietNs = quietNs; }

        boolean settled() {
            long now = System.nanoTime(), j = jitMillis();
            if (j != jit) { jit = j; changed = now; }
            return now - changed >= quietNs || now - start >= MAX_WARMUP_NS;
        }

        /** Nanoseconds since the watch started. */
        long elapsedNs() { return System.nanoTime() - start; }
    }

    /** Total JIT compilation time so far (ms), or -1 where the JVM does not report it (then only the run and time minimums apply). */
    static long jitMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }
}
