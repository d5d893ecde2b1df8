package jcnn.compile;

/** The backends a model can be compiled for. */
public final class Backends {
    private Backends() {}

    /** The CPU backend. */
    public static Backend cpu() { return jcnn.exec.JavaBackend.INSTANCE; }

    /** The CPU backend with a number of worker threads. */
    public static Backend cpu(int threads) { return cpu(); }

    /** Threads the CPU backend uses by default: the cores available. */
    public static int defaultThreads() { return Runtime.getRuntime().availableProcessors(); }

    public static Backend reference() { return ReferenceBackend.INSTANCE; }
}
