package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jcnn.ops.Check;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A conv prepared once for the executor: weights packed at {@link #prepare}, then
 * {@link #run(Tensor, Tensor, Tensor)} per inference allocates nothing once warmed up (the first run
 * at a new shape sizes per-worker scratch and validates the shapes; later runs with the same Shape
 * objects skip straight to the kernel).
 *
 * <p>Two kernels (chosen in {@link #prepare}, see {@link #useDirect}):
 * <ul>
 * <li>{@link GemmConv}: pointwise, grouped pointwise, stems and dense k x k convs as a register-blocked
 *     GEMM over an im2col panel packed per pixel tile (a plain vector copy for 1x1 stride 1);</li>
 * <li>{@link DirectConv}: depthwise and small-group (<= 16 channels per group) k x k convs, direct,
 *     vectorised along output x over zero-padded, stride-deinterleaved input planes.</li>
 * </ul>
 * Both apply the input prologue relu(x*inScale+inShift) once per input element while packing and the
 * epilogue act(acc + bias + residual) as they store. Inputs, outputs and residuals may be
 * channel-slice views (any batchStride).
 *
 * <p>Thread-safety: {@code run} is synchronized per prepared conv (its per-run fields are shared with
 * the pool workers); different prepared convs may be run from several threads (they queue on the pool).
 */
public abstract sealed class CpuConv implements CpuPool.Task permits GemmConv, DirectConv {
    enum Path { AUTO, GEMM, DIRECT }

    final Conv2d op;
    final CpuPool pool;
    final Tensor weight, biasT, inScaleT, inShiftT; // kept for checkArgs (shapes only)
    final float[] bias;          // zeros when the op has no bias
    final float[] sc, sh;        // input prologue, null when off
    final int cig, cog;
    final float lo, hi;          // the activation as a clamp: [-inf, inf], [0, inf] or [0, 6]

    // per-run state, read by the workers
    MemorySegment inM, outM, resM;
    long inBS, outBS, resBS;
    int N, H, W, OH, OW, HW, OHW;
    private Shape vIn, vOut, vRes;

    CpuConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        this.op = op;
        this.pool = pool;
        this.weight = weight;
        this.biasT = bias;
        this.inScaleT = inScale;
        this.inShiftT = inShift;
        this.bias = op.bias() ? Vec.array(bias) : new float[op.outC()];
        this.sc = op.inputBnRelu() ? Vec.array(inScale) : null;
        this.sh = op.inputBnRelu() ? Vec.array(inShift) : null;
        this.cig = op.inC() / op.groups();
        this.cog = op.outC() / op.groups();
        this.lo = op.act() == jcnn.ops.Activation.NONE ? Float.NEGATIVE_INFINITY : 0f;
        this.hi = op.act() == jcnn.ops.Activation.RELU6 ? 6f : Float.POSITIVE_INFINITY;
    }

    /** Prepares {@code op} on the common pool; bias/inScale/inShift may be null when the op does not use them. */
    public static CpuConv prepare(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift) {
        return prepare(op, weight, bias, inScale, inShift, CpuPool.common());
    }

    public static CpuConv prepare(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        return prepare(op, weight, bias, inScale, inShift, pool, Path.AUTO);
    }

    static CpuConv prepare(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool, Path path) {
        Check.notNull("conv2d", "op", op);
        Check.shape(op.kind(), "weight", weight, op.weightShape());
        if (op.bias()) Check.shape(op.kind(), "bias", bias, Shape.of(op.outC()));
        if (op.inputBnRelu()) {
            Check.shape(op.kind(), "input scale", inScale, Shape.of(op.inC()));
            Check.shape(op.kind(), "input shift", inShift, Shape.of(op.inC()));
        }
        boolean direct = path == Path.DIRECT || (path == Path.AUTO && useDirect(op));
        return direct ? new DirectConv(op, weight, bias, inScale, inShift, pool) : new GemmConv(op, weight, bias, inScale, inShift, pool);
    }

    /** Direct for depthwise and small groups (a GEMM of 1..16 rows wastes its register block). */
    static boolean useDirect(Conv2d op) {
        return op.kernel() > 1 && op.groups() > 1 && op.inC() / op.groups() <= 16;
    }

    public Conv2d op() { return op; }

    /**
     * out = act(conv(prologue(in)) + bias + residual). {@code residual} is ignored (may be null) unless
     * the op has a residual. Throws IllegalArgumentException (from {@link Conv2d#checkArgs}) on bad shapes.
     */
    public final synchronized void run(Tensor in, Tensor residual, Tensor out) {
        if (!op.residual()) residual = null;
        if (in == null || out == null || (op.residual() && residual == null)) {
            op.checkArgs(in, weight, biasT, residual, inScaleT, inShiftT, out);
        }
        Shape si = in.shape(), so = out.shape(), sr = residual == null ? null : residual.shape();
        if (si != vIn || so != vOut || sr != vRes) {
            op.checkArgs(in, weight, biasT, residual, inScaleT, inShiftT, out);
            N = si.n(); H = si.h(); W = si.w(); OH = so.h(); OW = so.w(); HW = H * W; OHW = OH * OW;
            resize();
            vIn = si; vOut = so; vRes = sr;
        }
        inM = in.segment(); inBS = in.batchStride();
        outM = out.segment(); outBS = out.batchStride();
        resM = residual == null ? null : residual.segment();
        resBS = residual == null ? 0 : residual.batchStride();
        try {
            beforeRun();
            pool.run(this, items());
        } finally {
            inM = outM = resM = null; // do not keep the caller's memory reachable
        }
    }

    /** Sizes scratch for the current N/H/W (called on a shape change only). */
    abstract void resize();

    abstract int items();

    /** Called on the calling thread before each run's items are handed out (inM/outM/resM are set). */
    void beforeRun() {}

    /**
     * Epilogue from a heap row: out[n][oc][p + i] = act(src[off + i] + bias[oc] + residual) for i < len.
     * The kernels store their accumulators into small per-worker heap tiles and call this: a vector
     * handed to a method C2 does not inline would be boxed on the heap, so no kernel method takes a vector.
     */
    final void emitRow(float[] src, int off, int n, int oc, int p, int len) {
        // fields into locals: C2 cannot hoist field loads (nor the segments' checks) across raw memory stores
        final MemorySegment outM = this.outM, resM = this.resM;
        final float lo = this.lo, hi = this.hi, b = bias[oc];
        long o = n * outBS + (long) oc * OHW + p;
        long r = resM == null ? -1 : n * resBS + (long) oc * OHW + p;
        int i = 0;
        // two loops, not one with "if residual" inside: a vector phi can defeat C2's scalar replacement
        if (r < 0) {
            for (; i <= len - Vec.L; i += Vec.L)
                FloatVector.fromArray(Vec.S, src, off + i).add(b).max(lo).min(hi).intoMemorySegment(outM, (o + i) << 2, Vec.BO);
        } else {
            for (; i <= len - Vec.L; i += Vec.L)
                FloatVector.fromArray(Vec.S, src, off + i).add(b).add(FloatVector.fromMemorySegment(Vec.S, resM, (r + i) << 2, Vec.BO))
                    .max(lo).min(hi).intoMemorySegment(outM, (o + i) << 2, Vec.BO);
        }
        if (i < len) { // the row's tail: one masked vector (scalar segment accesses cost more)
            var m = Vec.S.indexInRange(i, len);
            if (r < 0) {
                FloatVector.fromArray(Vec.S, src, off + i, m).add(b).max(lo).min(hi).intoMemorySegment(outM, (o + i) << 2, Vec.BO, m);
            } else {
                FloatVector.fromArray(Vec.S, src, off + i, m).add(b).add(FloatVector.fromMemorySegment(Vec.S, resM, (r + i) << 2, Vec.BO, m))
                    .max(lo).min(hi).intoMemorySegment(outM, (o + i) << 2, Vec.BO, m);
            }
        }
    }
}
