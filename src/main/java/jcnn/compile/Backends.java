package jcnn.compile;

/** The backends a model can be compiled for. */
public final class Backends {
    private Backends() {}

    /** The CPU backend (the Vector API twin); the reference until that lands. */
    public static Backend cpu() { return ReferenceBackend.INSTANCE; }

    public static Backend reference() { return ReferenceBackend.INSTANCE; }
}
