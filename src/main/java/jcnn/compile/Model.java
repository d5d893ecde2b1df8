package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A compiled network on some device, as the CLI and applications use it: {@link CompiledModel} on
 * the CPU, {@link jcnn.cuda.DeviceModel} on the CUDA emulator or a GPU. Same contract on all: runs
 * are serialised by a lock (safe to share, one run at a time), one plan per batch size built on
 * first use, {@link #close()} frees everything and later calls throw IllegalStateException.
 */
public interface Model extends AutoCloseable {
    /** The graph after the compile passes. */
    Graph graph();

    /** The output shape for a batch of {@code n}. */
    Shape outputShape(int n);

    /** Runs one batch; returns a new output tensor the caller owns (freed again if the run fails). */
    default Tensor run(Tensor in) {
        java.util.Objects.requireNonNull(in, "input tensor is null");
        Tensor out = Tensor.allocate(outputShape(in.n()));
        try {
            run(in, out);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Runs one batch into {@code out}; no allocation once the plan for that batch exists. */
    void run(Tensor in, Tensor out);

    /** Where it runs ("cpu", "reference", "emu", "cuda"). */
    String backendName();

    /** Bytes of the activation arena for a batch size (builds that plan if needed). */
    long arenaBytes(int batch);

    @Override void close();
}
