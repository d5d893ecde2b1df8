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
 * run() is a GEMV per image: each output is a vector dot product of its weight row with the input
 * (16 lanes, 4 independent accumulators to hide FMA latency); work items are chunks of output rows,
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
        for (int o = o0; o < o1; o++) {
            int wr = o * in;
            for (int n = 0; n < N; n++) {
                long xb = n * xBS;
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                int i = 0;
                for (; i <= in - 4 * L; i += 4 * L) {
                    a0 = FloatVector.fromArray(S, w, wr + i).fma(Vec.load(x, xb + i), a0);
                    a1 = FloatVector.fromArray(S, w, wr + i + L).fma(Vec.load(x, xb + i + L), a1);
                    a2 = FloatVector.fromArray(S, w, wr + i + 2 * L).fma(Vec.load(x, xb + i + 2 * L), a2);
                    a3 = FloatVector.fromArray(S, w, wr + i + 3 * L).fma(Vec.load(x, xb + i + 3 * L), a3);
                }
                for (; i <= in - L; i += L) a0 = FloatVector.fromArray(S, w, wr + i).fma(Vec.load(x, xb + i), a0);
                a0.add(a1).add(a2.add(a3)).intoArray(lanes[worker], 0);
                float acc = Vec.sum(lanes[worker]) + b[o];
                for (; i < in; i++) acc = Math.fma(w[wr + i], x.getAtIndex(Vec.F, xb + i), acc);
                y.setAtIndex(Vec.F, n * yBS + o, acc);
            }
        }
    }
}
