package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Check;
import jcnn.ops.Linear;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A linear layer prepared once: weights copied to a float[] [out][in] (row-major, as given).
 * run() is a GEMV per image: output rows four at a time, each a vector dot product of its weight row
 * with the input (two accumulators per row: eight FMA chains); work items are chunks of output rows,
 * and each row is applied to every image of the batch while it is in cache (GEMM-like reuse for N > 1).
 * No allocation per run once warmed up. Thread-safety: run is synchronized per instance.
 */
public final class CpuLinear implements CpuPool.Task {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;

    private final Linear op;
    private final Tensor weightT, biasT;
    private final float[] w, b;
    private final CpuPool pool;
    private final float[][] lanes;
    private MemorySegment x, y;
    private long xBS, yBS;
    private int N, chunks;
    private Shape vx, vy;

    private CpuLinear(Linear op, Tensor weight, Tensor bias, CpuPool pool) {
        this.op = op; this.weightT = weight; this.biasT = bias; this.pool = pool;
        lanes = Vec.laneBuffers(pool.size());
        w = weight.toArray();
        b = op.bias() ? bias.toArray() : new float[op.out()];
    }

    /** Packs the weights; bias may be null when the op has none. */
    public static CpuLinear prepare(Linear op, Tensor weight, Tensor bias) { return prepare(op, weight, bias, CpuPool.common()); }

    public static CpuLinear prepare(Linear op, Tensor weight, Tensor bias, CpuPool pool) {
        Check.notNull("linear", "op", op);
        Check.shape(op.kind(), "weight", weight, Shape.of(op.out(), op.in()));
        if (op.bias()) Check.shape(op.kind(), "bias", bias, Shape.of(op.out()));
        return new CpuLinear(op, weight, bias, pool);
    }

    /** y = x W^T + b; x is [N, in] or NCHW with C*H*W = in; y is [N, out]. */
    public synchronized void run(Tensor in, Tensor out) {
        if (in == null || out == null || in.shape() != vx || out.shape() != vy) {
            op.checkArgs(in, weightT, biasT, out);
            vx = in.shape(); vy = out.shape();
        }
        x = in.segment(); xBS = in.batchStride();
        y = out.segment(); yBS = out.batchStride();
        N = in.n();
        chunks = (long) op.in() * op.out() < 65536 ? 1 : Math.min(op.out(), 4 * pool.size());
        try {
            pool.run(this, chunks);
        } finally {
            x = y = null;
        }
    }

    @Override
    public void run(int item, int worker) {
        int in = op.in(), o0 = (int) ((long) item * op.out() / chunks), o1 = (int) ((long) (item + 1) * op.out() / chunks);
        int o = o0;
        for (; o + 4 <= o1; o += 4)
            for (int n = 0; n < N; n++) rows4(o, n, in, lanes[worker]);
        for (; o < o1; o++)
            for (int n = 0; n < N; n++) row1(o, n, in, lanes[worker]);
    }

    /**
     * Four output rows at once: each input vector is loaded once for four weight rows, and four weight
     * streams are read side by side (the weights come from L3 or memory in a network: 1280x1000 read
     * 12.5 GB/s with cold caches, one row at a time).
     */
    private void rows4(int o, int n, int in, float[] lane) {
        final float[] w = this.w;
        final MemorySegment x = this.x;
        long xb = n * xBS;
        int r0 = o * in, r1 = r0 + in, r2 = r1 + in, r3 = r2 + in;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int i = 0;
        for (; i <= in - 2 * L; i += 2 * L) {
            FloatVector x0 = Vec.load(x, xb + i), x1 = Vec.load(x, xb + i + L);
            a0 = FloatVector.fromArray(S, w, r0 + i).fma(x0, a0); b0 = FloatVector.fromArray(S, w, r0 + i + L).fma(x1, b0);
            a1 = FloatVector.fromArray(S, w, r1 + i).fma(x0, a1); b1 = FloatVector.fromArray(S, w, r1 + i + L).fma(x1, b1);
            a2 = FloatVector.fromArray(S, w, r2 + i).fma(x0, a2); b2 = FloatVector.fromArray(S, w, r2 + i + L).fma(x1, b2);
            a3 = FloatVector.fromArray(S, w, r3 + i).fma(x0, a3); b3 = FloatVector.fromArray(S, w, r3 + i + L).fma(x1, b3);
        }
        if (i <= in - L) {
            FloatVector x0 = Vec.load(x, xb + i);
            a0 = FloatVector.fromArray(S, w, r0 + i).fma(x0, a0);
            a1 = FloatVector.fromArray(S, w, r1 + i).fma(x0, a1);
            a2 = FloatVector.fromArray(S, w, r2 + i).fma(x0, a2);
            a3 = FloatVector.fromArray(S, w, r3 + i).fma(x0, a3);
            i += L;
        }
        a0.add(b0).intoArray(lane, 0);
        finish(o, n, r0, i, in, Vec.sum(lane));
        a1.add(b1).intoArray(lane, 0);
        finish(o + 1, n, r1, i, in, Vec.sum(lane));
        a2.add(b2).intoArray(lane, 0);
        finish(o + 2, n, r2, i, in, Vec.sum(lane));
        a3.add(b3).intoArray(lane, 0);
        finish(o + 3, n, r3, i, in, Vec.sum(lane));
    }

    /** One output row (the last out % 4 rows of an item). */
    private void row1(int o, int n, int in, float[] lane) {
        long xb = n * xBS;
        int r = o * in, i = 0;
        FloatVector a0 = FloatVector.zero(S), b0 = a0;
        for (; i <= in - 2 * L; i += 2 * L) {
            a0 = FloatVector.fromArray(S, w, r + i).fma(Vec.load(x, xb + i), a0);
            b0 = FloatVector.fromArray(S, w, r + i + L).fma(Vec.load(x, xb + i + L), b0);
        }
        if (i <= in - L) { a0 = FloatVector.fromArray(S, w, r + i).fma(Vec.load(x, xb + i), a0); i += L; }
        a0.add(b0).intoArray(lane, 0);
        finish(o, n, r, i, in, Vec.sum(lane));
    }

    /** y[n][o] = vector part + the scalar tail i..in + bias. */
    private void finish(int o, int n, int r, int i, int in, float acc) {
        acc += b[o];
        for (; i < in; i++) acc = Math.fma(w[r + i], x.getAtIndex(Vec.F, n * xBS + i), acc);
        y.setAtIndex(Vec.F, n * yBS + o, acc);
    }
}
