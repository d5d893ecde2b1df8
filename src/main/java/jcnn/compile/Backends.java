package jcnn.compile;

/** The backends a model can be compiled for. */
public final class Backends {
    private Backends() {}

    /** The CPU backend on {@link #defaultThreads()} threads. */
    public static Backend cpu() { return cpu(defaultThreads()); }

    /** The CPU backend on {@code threads} threads in all (the calling thread counts as one). */
    public static Backend cpu(int threads) { return jcnn.cpu.CpuBackend.of(threads); }

    /** Threads the CPU backend uses by default: {@code -Djcnn.cpu.threads=N}, else the cores available. */
    public static int defaultThreads() { return Integer.getInteger("jcnn.cpu.threads", Runtime.getRuntime().availableProcessors()); }

    public static Backend reference() { return ReferenceBackend.INSTANCE; }
}
