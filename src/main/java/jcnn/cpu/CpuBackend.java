package jcnn.cpu;

import jcnn.compile.Backend;
import jcnn.compile.NativeWeights;
import jcnn.compile.Scratch;
import jcnn.compile.Step;
import jcnn.graph.Node;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/**
 * The CPU backend of {@link jcnn.compile.CompiledModel}: every step is one of this package's prepared
 * kernels bound at plan time, so a run allocates nothing. Convs (dense, grouped, depthwise, with the
 * bias + activation + residual epilogue and DenseNet's BN-ReLU input prologue) are {@link CpuConv}s,
 * per-channel affine, add and activation {@link CpuEltwise}, global average pool and linear their
 * {@link CpuPooling}/{@link CpuLinear} kernels, window pools {@link PoolStep} and channel shuffle
 * (plane copies, {@link SimpleSteps}): all split over the backend's {@link CpuPool}. Slice copies and
 * softmax (memory copies and one small vector) run on the calling thread.
 *
 * <p>One backend (and pool) per thread count, shared by every model compiled for it; models run
 * from several threads queue on the pool.
 */
public final class CpuBackend implements Backend {
    private static final java.util.Map<Integer, CpuBackend> BY_THREADS = new java.util.HashMap<>();

    private final CpuPool pool;

    private CpuBackend(CpuPool pool) { this.pool = pool; }

    /** The backend running on {@code threads} threads (the caller included); the common pool when it has that size. */
    public static synchronized CpuBackend of(int threads) {
        if (threads < 1) throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        return BY_THREADS.computeIfAbsent(threads, t -> new CpuBackend(CpuPool.common().size() == t ? CpuPool.common() : new CpuPool(t)));
    }

    public int threads() { return pool.size(); }

    @Override public String name() { return "cpu"; }

    @Override
    public Step step(Node n, Tensor[] in, Tensor out, NativeWeights w, Scratch scratch) {
        Tensor x = in[0];
        return switch (n.op()) {
            case Conv2d c -> conv(n, c, x, c.residual() ? in[1] : null, out, w);
            case ChannelAffine a -> {
                a.checkArgs(x, w.tensor(n.weightKey("scale")), w.tensor(n.weightKey("shift")), out);
                yield eltwise(CpuEltwise.Kind.AFFINE, a.act(), x, null, w.values(n.weightKey("scale")).clone(), w.values(n.weightKey("shift")).clone(), out);
            }
            case Act a -> eltwise(CpuEltwise.Kind.ACT, a.act(), x, null, null, null, out);
            case Add a -> {
                a.checkArgs(x, in[1], out);
                yield eltwise(CpuEltwise.Kind.ADD, a.act(), x, in[1], null, null, out);
            }
            case ChannelShuffle s -> SimpleSteps.shuffle(s, x, out, pool);
            case MaxPool p -> new PoolStep(p, null, x, out, pool);
            case AvgPool p when p.kernel() == 3 && p.stride() == 2 && p.pad() == 1 && p.countPad() && !p.ceil() -> averageAsDepthwise(x, out);
            case AvgPool p -> new PoolStep(null, p, x, out, pool);
            case GlobalAvgPool p -> {
                CpuPooling k = new CpuPooling();
                yield () -> k.run(x, out, pool);
            }
            case Linear l -> {
                CpuLinear k = CpuLinear.prepare(l, w.tensor(n.weightKey("weight")), l.bias() ? w.tensor(n.weightKey("bias")) : null, pool);
                k.run(x, out); // validates the shapes now, at plan time
                yield () -> k.run(x, out);
            }
            case Softmax s -> SimpleSteps.softmax(x, out);
            case SqueezeExcite e -> {
                Tensor w1 = w.tensor(n.weightKey("fc1.weight")), b1 = w.tensor(n.weightKey("fc1.bias"));
                Tensor w2 = w.tensor(n.weightKey("fc2.weight")), b2 = w.tensor(n.weightKey("fc2.bias"));
                e.checkArgs(x, w1, b1, w2, b2, out);
                CpuSqueezeExcite k = CpuSqueezeExcite.prepare(e, w1, b1, w2, b2);
                yield () -> k.run(x, out);
            }
            case Slice s -> SimpleSteps.copy(x.channelSlice(s.start(), s.count()), out);
            case Concat c -> throw new IllegalStateException("concat " + n.name() + " is planned by Plan, not a backend");
            case BatchNorm b -> throw new IllegalStateException("batchnorm " + n.name() + " survived the compile passes");
        };
    }

    private Step conv(Node n, Conv2d op, Tensor x, Tensor res, Tensor out, NativeWeights w) {
        Tensor weight = w.tensor(n.weightKey("weight")), bias = op.bias() ? w.tensor(n.weightKey("bias")) : null;
        Tensor sc = op.inputBnRelu() ? w.tensor(n.weightKey("in_scale")) : null, sh = op.inputBnRelu() ? w.tensor(n.weightKey("in_shift")) : null;
        op.checkArgs(x, weight, bias, res, sc, sh, out);
        CpuConv k = CpuConv.prepare(op, weight, bias, sc, sh, pool);
        return () -> k.run(x, res, out);
    }

    /**
     * A 3x3 stride-2 pad-1 average pool that counts the padding (ShuffleNet v1's shortcut) is a depthwise
     * conv with every weight 1/9: DirectConv's row/column-parity kernel, instead of PoolStep's separable
     * rows (measured in the README).
     */
    private Step averageAsDepthwise(Tensor x, Tensor out) {
        int c = x.c();
        Conv2d op = Conv2d.of(c, c, 3, 2, 1, c);
        float[] ninth = new float[c * 9];
        java.util.Arrays.fill(ninth, 1f / 9);
        CpuConv k = CpuConv.prepare(op, Tensor.wrap(ninth, op.weightShape()), null, null, null, pool);
        return () -> k.run(x, null, out);
    }

    private Step eltwise(CpuEltwise.Kind kind, Activation act, Tensor a, Tensor b, float[] scale, float[] shift, Tensor out) {
        CpuEltwise k = new CpuEltwise(kind, act);
        return () -> {
            k.set(a, b, scale, shift, out);
            k.run(pool);
        };
    }
}
