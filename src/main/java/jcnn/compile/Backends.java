package jcnn.compile;

/** The backends a model can be compiled for. */
public final class Backends {
    private Backends() {}

    /** The CPU backend (the Vector API twin); the reference until that lands. */
    public static Backend cpu() { return ReferenceBackend.INSTANCE; }

    /** The CPU backend with a number of worker threads. */
    public static Backend cpu(int threads) { return ReferenceBackend.INSTANCE; }

    /** Threads the CPU backend uses by default: the cores available. */
    public static int defaultThreads() { return Runtime.getRuntime().availableProcessors(); }

    public static Backend reference() { return ReferenceBackend.INSTANCE; }
}
