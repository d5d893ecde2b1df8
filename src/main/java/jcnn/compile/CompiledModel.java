package jcnn.compile;

import java.lang.foreign.Arena;
import java.util.concurrent.locks.ReentrantLock;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A network compiled for fast inference: the compile passes ({@link Passes}) run once, then one
 * {@link Plan} per batch size is built on that batch's first use and cached (its own activation
 * arena). Weights live in one native arena owned by the model.
 *
 * <pre>{@code
 * Graph g = Zoo.build("mobilenet_v2", Shape.nchw(1, 3, 224, 224));
 * try (CompiledModel m = CompiledModel.compile(g, weights);
 *      Tensor x = Tensor.allocate(Shape.nchw(1, 3, 224, 224))) {
 *     Tensor logits = m.run(x);          // a new tensor the caller owns (and closes)
 *     m.run(x, out);                     // or zero-copy into a tensor of the output shape
 * }
 * }</pre>
 *
 * <p><b>Input and output.</b> The input may be any batch N >= 1 with the compiled C, H and W; it is
 * copied into the arena, so the caller may reuse it at once. {@link #run(Tensor)} returns a fresh
 * copy of the output that the caller owns; {@link #run(Tensor, Tensor)} writes into the caller's
 * tensor and allocates nothing once the plan for that batch exists.
 *
 * <p><b>Thread-safety.</b> A model may be shared by threads: runs are serialised by a lock (one
 * arena per batch size, so two runs never overlap on the same activations). For parallel
 * throughput compile one model per thread. {@link #close()} waits for a run in progress; any call
 * after close throws IllegalStateException.
 */
public final class CompiledModel implements Model {
    private final Graph compiled;
    private final Backend backend;
    private final Arena weightArena = Arena.ofShared();
    private final NativeWeights weights;
    private final ReentrantLock lock = new ReentrantLock();
    private Plan[] plans = new Plan[4]; // by batch size
    private boolean closed;

    private CompiledModel(Compiled c, Backend backend) {
        this.compiled = c.graph();
        this.backend = backend;
        this.weights = new NativeWeights(c.weights(), weightArena);
    }

    /** Compiles {@code g} (any batch; plans are per batch) with the CPU backend. */
    public static CompiledModel compile(Graph g, Weights w) { return compile(g, w, Backends.cpu()); }

    public static CompiledModel compile(Graph g, Weights w, Backend backend) {
        return new CompiledModel(Passes.all(g, w), backend);
    }

    /** The graph after the passes (at the original graph's input shape). */
    public Graph graph() { return compiled; }
    public Backend backend() { return backend; }
    @Override public String backendName() { return backend.name(); }
    @Override public long arenaBytes(int batch) { return plan(batch).arenaBytes(); }

    /** The output shape for a batch of {@code n}. */
    public Shape outputShape(int n) { return compiled.outputShape().withN(n); }

    /** Runs one batch; returns a new output tensor the caller owns. */
    public Tensor run(Tensor in) {
        Tensor out = Tensor.allocate(outputShape(in.n()));
        try {
            run(in, out);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Runs one batch into {@code out} (shape {@link #outputShape}); no allocation once warmed up. */
    public void run(Tensor in, Tensor out) {
        lock.lock();
        try {
            plan(in.shape()).run(in, out);
        } finally {
            lock.unlock();
        }
    }

    /** The plan for a batch size (built on first use); for inspection (arena size, steps). */
    public Plan plan(int batch) {
        lock.lock();
        try {
            return plan(compiled.inputShape().withN(batch));
        } finally {
            lock.unlock();
        }
    }

    private Plan plan(Shape in) {
        if (closed) throw new IllegalStateException("model " + compiled.name() + " is closed");
        int n = in.n();
        Shape c = compiled.inputShape();
        if (in.rank() != 4 || in.c() != c.c() || in.h() != c.h() || in.w() != c.w()) { // field checks: no allocation
            throw new IllegalArgumentException(compiled.name() + ": input shape " + in + " does not match the compiled " + c.withN(n));
        }
        if (n < plans.length && plans[n] != null) return plans[n];
        if (n >= plans.length) plans = java.util.Arrays.copyOf(plans, Math.max(n + 1, 2 * plans.length));
        Graph g = n == compiled.inputShape().n() ? compiled : compiled.withInput(in);
        return plans[n] = Plan.build(g, backend, weights);
    }

    /** Frees the activation arenas and the weights; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (Plan p : plans) if (p != null) p.close();
            weightArena.close();
        } finally {
            lock.unlock();
        }
    }
}
