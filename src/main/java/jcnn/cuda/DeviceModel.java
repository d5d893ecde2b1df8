package jcnn.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import jcnn.compile.Compiled;
import jcnn.compile.Model;
import jcnn.compile.Passes;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A network compiled for a {@link Device} (the CUDA emulator or a GPU): the same compile passes as
 * {@link jcnn.compile.CompiledModel}, then one {@link DevicePlan} per batch size (the same
 * {@link jcnn.compile.MemoryPlan}, arena in one device allocation), built on that batch's first use.
 * Weights are uploaded once, on first use, and shared by the plans.
 *
 * <pre>{@code
 * try (Device gpu = new CudaDevice();
 *      DeviceModel m = DeviceModel.compile(g, weights, gpu)) {
 *     m.run(x, logits);   // one input copy, one CUDA graph launch, one output copy, one sync
 * }
 * }</pre>
 *
 * <p><b>Thread-safety</b> (as CompiledModel): a model may be shared by threads; runs are
 * serialised by a lock. {@link #close()} waits for a run in progress and frees every device
 * allocation the model made (plans, weights, pinned buffers, graphs); later calls throw
 * IllegalStateException. The device is the caller's unless the model was made by
 * {@link #open}, which closes it with the model.
 */
public final class DeviceModel implements Model {
    private final Graph compiled;
    private final Weights heapWeights;
    private final Device dev;
    private final boolean ownsDevice, useGraphs;
    private final String backendName;
    private final ReentrantLock lock = new ReentrantLock();
    private Launchers launchers;
    private DeviceWeights weights;
    private DevicePlan[] plans = new DevicePlan[4];
    private boolean closed;

    private DeviceModel(Compiled c, Device dev, boolean ownsDevice, boolean useGraphs, String backendName) {
        this.compiled = c.graph();
        this.heapWeights = c.weights();
        this.dev = dev;
        this.ownsDevice = ownsDevice;
        this.useGraphs = useGraphs;
        this.backendName = backendName;
    }

    /** Compiles {@code g} for {@code dev} (the caller keeps and closes the device); CUDA graphs on. */
    public static DeviceModel compile(Graph g, Weights w, Device dev) { return compile(g, w, dev, true); }

    /** As {@link #compile(Graph, Weights, Device)}; {@code cudaGraphs} false launches node by node on a GPU too. */
    public static DeviceModel compile(Graph g, Weights w, Device dev, boolean cudaGraphs) {
        if (dev == null) throw new IllegalArgumentException("device is null");
        return new DeviceModel(Passes.all(g, w), dev, false, cudaGraphs, dev instanceof EmuDevice ? "emu" : "cuda");
    }

    /**
     * Opens device {@code "emu"} or {@code "cuda"} and compiles {@code g} for it; the model owns the
     * device. Throws {@link CudaException} with the one-line reason when the device is unavailable.
     */
    public static DeviceModel open(Graph g, Weights w, String device, boolean cudaGraphs) {
        Compiled c = Passes.all(g, w);
        Device d = switch (device) {
            case "emu" -> new EmuDevice();
            case "cuda" -> openCuda();
            default -> throw new IllegalArgumentException("unknown device '" + device + "' (emu, cuda)");
        };
        return new DeviceModel(c, d, true, cudaGraphs, device);
    }

    /** Device 0 through JCuda, after the driver probe (so no JCuda class loads on a machine without CUDA). */
    private static Device openCuda() {
        CudaDriverProbe.Result r = CudaDriverProbe.probe();
        if (!r.available()) throw new CudaException("CUDA unavailable: " + r.unavailable().get());
        try {
            return new CudaDevice();
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
            throw new CudaException("JCuda is not usable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "): put org.jcuda:jcuda and jcuda-natives on the classpath");
        }
    }

    public Device device() { return dev; }
    @Override public Graph graph() { return compiled; }
    @Override public String backendName() { return backendName; }
    @Override public Shape outputShape(int n) { return compiled.outputShape().withN(n); }


    @Override
    public void run(Tensor in, Tensor out) {
        lock.lock();
        try {
            plan(in.shape()).run(in, out);
        } finally {
            lock.unlock();
        }
    }

    /** The plan for a batch size (built on first use). */
    public DevicePlan plan(int batch) {
        lock.lock();
        try {
            return plan(compiled.inputShape().withN(batch));
        } finally {
            lock.unlock();
        }
    }

    @Override public long arenaBytes(int batch) { return plan(batch).arenaBytes(); }

    private DevicePlan plan(Shape in) {
        if (closed) throw new IllegalStateException("model " + compiled.name() + " is closed");
        int n = in.n();
        Shape c = compiled.inputShape();
        if (in.rank() != 4 || in.c() != c.c() || in.h() != c.h() || in.w() != c.w()) {
            throw new IllegalArgumentException(compiled.name() + ": input shape " + in + " does not match the compiled " + c.withN(n));
        }
        if (n < plans.length && plans[n] != null) return plans[n];
        if (n >= plans.length) plans = java.util.Arrays.copyOf(plans, Math.max(n + 1, 2 * plans.length));
        if (launchers == null) launchers = new Launchers(dev);
        if (weights == null) weights = new DeviceWeights(dev, heapWeights);
        Graph g = n == c.n() ? compiled : compiled.withInput(in);
        return plans[n] = new DevicePlan(g, dev, launchers, weights, useGraphs);
    }

    /** Frees the plans, the uploaded weights and the launchers (and the device, if owned); idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (DevicePlan p : plans) if (p != null) p.close();
            if (weights != null) weights.close();
            if (launchers != null) launchers.close();
            if (ownsDevice) dev.close();
        } finally {
            lock.unlock();
        }
    }

    /** One launcher per kernel family, shared by the plans of a model (runs are serialised). */
    static final class Launchers implements AutoCloseable {
        final ConvLauncher conv;
        final BnReluLauncher bnRelu;
        final EltwiseLauncher eltwise;
        final ConcatLauncher concat;
        final ChannelShuffleLauncher shuffle;
        final PoolLauncher pool;
        final LinearLauncher linear;
        final SoftmaxLauncher softmax;
        final SqueezeExciteLauncher se;

        Launchers(Device d) {
            conv = new ConvLauncher(d);
            bnRelu = new BnReluLauncher(d);
            eltwise = new EltwiseLauncher(d);
            concat = new ConcatLauncher(d);
            shuffle = new ChannelShuffleLauncher(d);
            pool = new PoolLauncher(d);
            linear = new LinearLauncher(d);
            softmax = new SoftmaxLauncher(d);
            se = new SqueezeExciteLauncher(d);
        }

        @Override
        public void close() {
            conv.close(); bnRelu.close(); eltwise.close(); concat.close();
            shuffle.close(); pool.close(); linear.close(); softmax.close(); se.close();
        }
    }

    /** The compiled weights on the device, each uploaded once on first use. */
    static final class DeviceWeights implements AutoCloseable {
        private final Device dev;
        private final Weights heap;
        private final Map<String, DeviceTensor> cache = new HashMap<>();

        DeviceWeights(Device dev, Weights heap) {
            this.dev = dev;
            this.heap = heap;
        }

        DeviceTensor get(String key) {
            return cache.computeIfAbsent(key, k -> {
                if (!heap.has(k)) throw new IllegalStateException("compiled weights lack " + k);
                return DeviceTensor.upload(dev, heap.tensor(k));
            });
        }

        long bytes() { return cache.values().stream().mapToLong(t -> t.shape().size() * Float.BYTES).sum(); }

        @Override public void close() { for (DeviceTensor t : cache.values()) t.close(); cache.clear(); }
    }
}
