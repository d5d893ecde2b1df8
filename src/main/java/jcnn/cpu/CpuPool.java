package jcnn.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one reusable thread pool of the CPU backend: {@code size()-1} fixed daemon workers plus the
 * calling thread (worker 0). {@link #run(Task, int)} hands out item indices 0..n-1 through one atomic
 * counter and returns when all are done. Nothing is allocated per call: a kernel is a {@link Task}
 * object with fields, not a capturing lambda.
 *
 * <p>Dispatch state is one AtomicLong {@code (epoch << 32) | nextItem}. After a run the caller parks
 * it at {@code (epoch, CLOSED)} before writing the next task, so a late worker from an old epoch can
 * never claim an item of the new one with a stale task (its CAS fails).
 *
 * <p>Thread-safety: {@code run} is synchronized, so several user threads may call kernels at once;
 * their parallel regions run one after another (correct, no speed-up). A task must not call
 * {@code run} on the same pool from inside (IllegalStateException). Idle workers spin ~1 ms (low
 * latency between back-to-back layers), then park.
 */
public final class CpuPool implements AutoCloseable {
    /** One parallel loop body: item in [0, n), worker in [0, size()) indexes per-worker scratch. */
    public interface Task { void run(int item, int worker); }

    private static final int CLOSED = Integer.MAX_VALUE;
    /**
     * How long an idle worker spins before it parks: {@code -Djcnn.cpu.spinMicros}, default 1000. A
     * parked worker costs the next parallel step a wake-up (a futex and, on a VM, an interrupt to
     * another vCPU), during which the caller claims most of the items alone. With 50 us, the gaps
     * around single-threaded steps were enough to park it: mobilenet_v2, 2 threads, 4 rounds
     * alternated, p50 10.21-10.57 -> 9.57-10.27 ms with 1 ms.
     */
    private static final long SPIN_NS = 1000L * Long.getLong("jcnn.cpu.spinMicros", 1000);
    private static volatile CpuPool common;

    private final Thread[] workers;
    private final AtomicLong state = new AtomicLong(((long) 0 << 32) | CLOSED);
    private final AtomicInteger done = new AtomicInteger();
    private volatile Task task;
    private volatile int items;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile Thread owner; // the thread inside run(), to refuse nested calls from the caller's share of the work

    /** A pool of {@code threads} threads in all (the caller counts as one). */
    public CpuPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("CpuPool: threads must be >= 1, got " + threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            Thread t = new Worker(() -> loop(id), "jcnn-cpu-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** The shared pool: {@code -Djcnn.cpu.threads=N}, default availableProcessors. */
    public static CpuPool common() {
        CpuPool p = common;
        if (p == null) {
            synchronized (CpuPool.class) {
                if (common == null) common = new CpuPool(Integer.getInteger("jcnn.cpu.threads", Runtime.getRuntime().availableProcessors()));
                p = common;
            }
        }
        return p;
    }

    /** Threads in all, the caller included: the number of per-worker scratch slots a task needs. */
    public int size() { return workers.length + 1; }

    /** Runs {@code t.run(i, worker)} for every i in [0, n) and waits; rethrows the first failure. */
    public void run(Task t, int n) {
        // checked before taking the lock: a worker blocking on it would deadlock the run it belongs to
        if (Thread.currentThread() instanceof Worker || owner == Thread.currentThread()) throw new IllegalStateException("CpuPool: nested run from a pool task");
        synchronized (this) { runLocked(t, n); }
    }

    private void runLocked(Task t, int n) {
        if (n <= 0) return;
        if (closed) throw new IllegalStateException("CpuPool is closed");
        if (workers.length == 0 || n == 1) {
            for (int i = 0; i < n; i++) t.run(i, 0);
            return;
        }
        owner = Thread.currentThread();
        try {
            runParallel(t, n);
        } finally {
            owner = null;
        }
    }

    private void runParallel(Task t, int n) {
        long ep = (state.get() >>> 32) + 1;
        task = t;
        items = n;
        failure = null;
        done.set(0);
        state.set(ep << 32);
        for (Thread w : workers) LockSupport.unpark(w);
        work(0, ep);
        while (done.get() < n) Thread.onSpinWait();
        state.set((ep << 32) | CLOSED);
        task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            throw new IllegalStateException(f);
        }
    }

    /** Claims and runs items of epoch {@code ep}; a stale worker's CAS fails once the epoch moved. */
    private void work(int id, long ep) {
        Task t = task;
        int n = items, ran = 0;
        while (true) {
            long v = state.get();
            int idx = (int) v;
            if ((v >>> 32) != ep || idx >= n || t == null) break;
            if (!state.compareAndSet(v, v + 1)) continue;
            try {
                t.run(idx, id);
            } catch (Throwable x) {
                if (failure == null) failure = x;
            }
            ran++;
        }
        if (ran > 0) done.addAndGet(ran); // once per worker and run: a second contended line per item cost as much as small items
    }

    private void loop(int id) {
        long seen = 0;
        while (!closed) {
            long start = System.nanoTime();
            long ep;
            while ((ep = state.get() >>> 32) == seen || (int) state.get() == CLOSED) {
                if (closed) return;
                if (System.nanoTime() - start < SPIN_NS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            seen = ep;
            work(id, ep);
        }
    }

    /** Stops the workers (the common pool is never closed). */
    @Override
    public void close() {
        if (this == common) return;
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) { super(r, name); }
    }
}
