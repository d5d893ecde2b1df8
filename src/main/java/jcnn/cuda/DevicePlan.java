package jcnn.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import jcnn.compile.MemoryPlan;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/**
 * The device twin of {@link jcnn.compile.Plan}: the same compiled graph and the same
 * {@link MemoryPlan} (liveness offsets, concat in place, slices as views), with the arena in ONE
 * device allocation and every value a {@link DeviceTensor} view at its planned offset. Each node is
 * one launch through the launchers (fused epilogues and prologues are the ops' flags); a concat
 * launches copies only for inputs that could not be written in place.
 *
 * <p>{@link #run}: the caller's input goes into a pinned staging buffer, then one host-to-device
 * copy, the launches (on a GPU: one launch of the CUDA graph captured on first use), one
 * device-to-host copy and one synchronisation; the output is copied out of its pinned buffer.
 * Nothing is allocated per run. Not thread-safe by itself: {@link DeviceModel} serialises runs.
 */
public final class DevicePlan implements AutoCloseable {
    private final Graph graph;
    private final MemoryPlan mem;
    private final Device dev;
    private final long arena;
    private final Arena host = Arena.ofShared();
    private final Runnable[] steps;
    private final List<String> stepNames;
    private final Tensor stageIn, stageOut;
    private final Runnable[] copyIn, copyOut;
    private final boolean useGraph;
    private Device.DeviceGraph cudaGraph;
    private boolean captured, closed;

    DevicePlan(Graph g, Device dev, DeviceModel.Launchers l, DeviceModel.DeviceWeights w, boolean useGraph) {
        this.graph = g;
        this.dev = dev;
        this.useGraph = useGraph;
        this.mem = new MemoryPlan(g);
        this.arena = dev.malloc(Math.max(256, mem.peakBytes()));
        try {
            int n = g.nodes().size();
            DeviceTensor[] val = new DeviceTensor[n];
            for (int i = 0; i < n; i++) val[i] = view(i);
            DeviceTensor in = view(Graph.INPUT);
            List<Runnable> st = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Node node : g.nodes()) {
                if (mem.isView(node.id())) continue;
                DeviceTensor[] ins = new DeviceTensor[node.arity()];
                for (int k = 0; k < ins.length; k++) ins[k] = node.input(k) == Graph.INPUT ? in : val[node.input(k)];
                st.add(step(node, ins, val[node.id()], l, w));
                names.add(node.name() + " " + node.op().kind());
            }
            steps = st.toArray(Runnable[]::new);
            stepNames = List.copyOf(names);
            stageIn = Tensor.wrap(dev.hostAlloc(host, in.shape().size() * Float.BYTES), in.shape());
            DeviceTensor out = val[g.outputId()];
            stageOut = Tensor.wrap(dev.hostAlloc(host, out.shape().size() * Float.BYTES), out.shape());
            copyIn = copies(in, stageIn, true);
            copyOut = copies(out, stageOut, false);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private DeviceTensor view(int id) {
        MemoryPlan.Place p = mem.place(id);
        return DeviceTensor.wrap(dev, arena + p.byteOffset(), p.shape(), p.batchStride());
    }

    /** One bound copy when the device tensor is contiguous, else one per image. */
    private Runnable[] copies(DeviceTensor d, Tensor h, boolean toDevice) {
        long per = d.perImage() * Float.BYTES;
        boolean contiguous = d.n() == 1 || d.batchStride() == d.perImage();
        int count = contiguous ? 1 : d.n();
        long bytes = contiguous ? d.shape().size() * Float.BYTES : per;
        Runnable[] r = new Runnable[count];
        for (int b = 0; b < count; b++) {
            MemorySegment hs = h.segment().asSlice(b * per, bytes);
            long dp = d.ptr() + b * d.batchStride() * Float.BYTES;
            r[b] = toDevice ? dev.boundCopyToDevice(dp, hs, bytes) : dev.boundCopyToHost(hs, dp, bytes);
        }
        return r;
    }

    private static Runnable step(Node n, DeviceTensor[] in, DeviceTensor out, DeviceModel.Launchers l, DeviceModel.DeviceWeights w) {
        DeviceTensor x = in[0];
        return switch (n.op()) {
            case Conv2d c -> {
                DeviceTensor wt = w.get(n.weightKey("weight"));
                DeviceTensor b = c.bias() ? w.get(n.weightKey("bias")) : null;
                DeviceTensor res = c.residual() ? in[1] : null;
                DeviceTensor sc = c.inputBnRelu() ? w.get(n.weightKey("in_scale")) : null;
                DeviceTensor sh = c.inputBnRelu() ? w.get(n.weightKey("in_shift")) : null;
                yield () -> l.conv.conv2d(c, x, wt, b, res, sc, sh, out);
            }
            case ChannelAffine a -> {
                DeviceTensor sc = w.get(n.weightKey("scale")), sh = w.get(n.weightKey("shift"));
                yield () -> l.bnRelu.channelAffine(a, x, sc, sh, out);
            }
            case Act a -> () -> l.eltwise.act(a, x, out);
            case Add a -> () -> l.eltwise.add(a, x, in[1], out);
            case ChannelShuffle s -> () -> l.shuffle.shuffle(s, x, out);
            case MaxPool p -> () -> l.pool.maxPool(p, x, out);
            case AvgPool p -> () -> l.pool.avgPool(p, x, out);
            case GlobalAvgPool p -> () -> l.pool.globalAvgPool(p, x, out);
            case Linear lin -> {
                DeviceTensor wt = w.get(n.weightKey("weight"));
                DeviceTensor b = lin.bias() ? w.get(n.weightKey("bias")) : null;
                yield () -> l.linear.linear(lin, x, wt, b, out);
            }
            case Softmax s -> () -> l.softmax.softmax(s, x, out);
            case SqueezeExcite e -> {
                DeviceTensor w1 = w.get(n.weightKey("fc1.weight")), b1 = w.get(n.weightKey("fc1.bias"));
                DeviceTensor w2 = w.get(n.weightKey("fc2.weight")), b2 = w.get(n.weightKey("fc2.bias"));
                yield () -> l.se.squeezeExcite(e, x, w1, b1, w2, b2, out);
            }
            case Slice s -> () -> l.concat.slice(s, x, out);
            case Concat c -> concatCopies(n, in, out, l);
            case BatchNorm b -> throw new IllegalStateException("batchnorm " + n.name() + " survived the compile passes");
        };
    }

    /** The concat inputs whose producers could not write in place (MemoryPlan), copied into their slots. */
    private static Runnable concatCopies(Node node, DeviceTensor[] ins, DeviceTensor out, DeviceModel.Launchers l) {
        List<DeviceTensor> src = new ArrayList<>(), dst = new ArrayList<>();
        int o = 0;
        for (DeviceTensor t : ins) {
            DeviceTensor slot = out.channelSlice(o, t.c());
            if (slot.ptr() != t.ptr() || slot.batchStride() != t.batchStride()) {
                src.add(t);
                dst.add(slot);
            }
            o += t.c();
        }
        DeviceTensor[] s = src.toArray(DeviceTensor[]::new), d = dst.toArray(DeviceTensor[]::new);
        return () -> {
            for (int i = 0; i < s.length; i++) l.concat.copy(s[i], d[i]);
        };
    }

    /** One inference: {@code in} (the planned input shape) to {@code out} (the output shape). */
    public void run(Tensor in, Tensor out) {
        stageIn.copyFrom(in);
        for (Runnable c : copyIn) c.run();
        if (useGraph && !captured) {
            captured = true;
            cudaGraph = dev.capture(this::launchAll);
        }
        if (cudaGraph != null) cudaGraph.launch();
        else launchAll();
        for (Runnable c : copyOut) c.run();
        dev.synchronize();
        out.copyFrom(stageOut);
    }

    private void launchAll() { for (Runnable s : steps) s.run(); }

    /** True once the forward runs as one captured CUDA graph (never on the emulator). */
    public boolean usesGraph() { return cudaGraph != null; }

    public Graph graph() { return graph; }
    public MemoryPlan memory() { return mem; }
    /** Bytes of the device activation arena (one allocation). */
    public long arenaBytes() { return mem.peakBytes(); }
    /** Launch sites (nodes that are not views). */
    public int steps() { return steps.length; }
    public List<String> stepNames() { return stepNames; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (cudaGraph != null) cudaGraph.close();
        cudaGraph = null;
        if (host.scope().isAlive()) host.close();
        dev.free(arena);
    }
}
