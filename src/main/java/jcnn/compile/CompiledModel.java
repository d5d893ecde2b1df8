package jcnn.compile;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.tensor.NativeMemory;
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
 * <p><b>Thread-safety (the contract).</b> A model may be shared by any number of threads; its runs
 * are <em>serialised</em> by one lock, because each batch size has one activation arena and the
 * steps write into it. Every run therefore gives bit for bit what the same input gives on one
 * thread (tested: 8 threads, 10,000 runs, each output compared bitwise with its single-thread
 * result). A shared model gives no parallel speed-up: for throughput, compile one model per thread
 * (weights are then held once per model). {@link #close()} waits for a run in progress.
 *
 * <p><b>Lifetime.</b> Native memory (weights, one arena per batch size used, counted by
 * {@link NativeMemory}) is allocated on compile and on a batch size's first run, never by later
 * runs; {@link #close()} frees all of it (tested: {@link NativeMemory#liveBytes()} returns to its
 * value before compile). After close every method but {@code close()} (idempotent) throws
 * IllegalStateException, and so does running a {@link Plan} obtained before close. Each distinct batch size
 * keeps its arena until close, so a caller cycling through many batch sizes should bound them.
 *
 * <p><b>Bad input.</b> A null argument throws NullPointerException naming it; an input whose rank,
 * C, H or W differ from the compiled ones, an output tensor of the wrong shape, a batch below 1 or
 * a closed tensor throw IllegalArgumentException / IllegalStateException with a one-line message
 * naming the model and both shapes. A batch whose activation arena would exceed the machine's
 * memory is refused with IllegalArgumentException before anything is allocated.
 *
 * <p><b>NaN and Inf.</b> Inputs are not checked (no pass over the data on the hot path). Non-finite
 * values go through the arithmetic as IEEE 754 defines, but the compiled graph reorders it (folded
 * BatchNorm, fused epilogues) and ReLU/ReLU6 map NaN to 0 ({@code x > 0 ? x : 0}), so a non-finite
 * input may give NaN, Inf or finite but meaningless outputs, not necessarily where the uncompiled
 * reference has them. Nothing is left behind: the next finite input gives its normal output.
 * Callers whose inputs may be non-finite must check them.
 */
public final class CompiledModel implements Model {
    private final Graph compiled;
    private final Backend backend;
    private final Arena weightArena = NativeMemory.ofShared();
    private final NativeWeights weights;
    private final ReentrantLock lock = new ReentrantLock();
    private int[] batches = new int[0]; // the batch sizes planned so far (a handful: searched linearly)
    private Plan[] plans = new Plan[0];   // plans[i] is the plan for batches[i]
    private volatile boolean closed; // read without the lock by the accessors' checks

    private CompiledModel(Compiled c, Backend backend) {
        this.compiled = c.graph();
        this.backend = backend;
        this.weights = new NativeWeights(c.weights(), weightArena);
    }

    /** Compiles {@code g} (any batch; plans are per batch) with the CPU backend. */
    public static CompiledModel compile(Graph g, Weights w) { return compile(g, w, Backends.cpu()); }

    public static CompiledModel compile(Graph g, Weights w, Backend backend) {
        Objects.requireNonNull(g, "graph is null");
        Objects.requireNonNull(w, "weights are null");
        Objects.requireNonNull(backend, "backend is null");
        return new CompiledModel(Passes.all(g, w), backend);
    }

    /** The graph after the passes (at the original graph's input shape). */
    public Graph graph() { requireOpen(); return compiled; }
    public Backend backend() { requireOpen(); return backend; }
    @Override public String backendName() { return backend.name(); }
    @Override public long arenaBytes(int batch) { return plan(batch).arenaBytes(); }

    /** The output shape for a batch of {@code n} (n >= 1). */
    public Shape outputShape(int n) {
        requireOpen();
        if (n < 1) throw new IllegalArgumentException(compiled.name() + ": batch size must be >= 1, got " + n);
        return compiled.outputShape().withN(n);
    }


    /** Runs one batch into {@code out} (shape {@link #outputShape}); no allocation once warmed up. */
    public void run(Tensor in, Tensor out) {
        Objects.requireNonNull(in, "input tensor is null");
        Objects.requireNonNull(out, "output tensor is null");
        lock.lock();
        try {
            Plan p = plan(in.shape());
            Shape want = p.graph().outputShape();
            if (!out.shape().equals(want)) {
                throw new IllegalArgumentException(compiled.name() + ": output tensor has shape " + out.shape() + ", the output at batch "
                    + in.n() + " is " + want);
            }
            in.requireOpen();
            out.requireOpen();
            p.run(in, out);
        } finally {
            lock.unlock();
        }
    }

    /** The plan for a batch size (built on first use); for inspection (arena size, steps). */
    public Plan plan(int batch) {
        requireOpen();
        if (batch < 1) throw new IllegalArgumentException(compiled.name() + ": batch size must be >= 1, got " + batch);
        lock.lock();
        try {
            return plan(compiled.inputShape().withN(batch));
        } finally {
            lock.unlock();
        }
    }

    private Plan plan(Shape in) {
        requireOpen();
        int n = in.n();
        Shape c = compiled.inputShape();
        if (in.rank() != 4 || in.c() != c.c() || in.h() != c.h() || in.w() != c.w()) { // field checks: no allocation
            throw new IllegalArgumentException(compiled.name() + ": input shape " + in + " does not match the compiled " + c.withN(n));
        }
        for (int i = 0; i < batches.length; i++) if (batches[i] == n) return plans[i];
        Graph g = n == compiled.inputShape().n() ? compiled : compiled.withInput(in);
        Plan p = Plan.build(g, backend, weights); // refuses an arena larger than the machine before allocating it
        batches = Arrays.copyOf(batches, batches.length + 1);
        plans = Arrays.copyOf(plans, plans.length + 1);
        batches[batches.length - 1] = n;
        return plans[plans.length - 1] = p;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("model " + compiled.name() + " is closed");
    }

    /** Frees the activation arenas and the weights; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (Plan p : plans) p.close();
            weightArena.close();
        } finally {
            lock.unlock();
        }
    }
}
