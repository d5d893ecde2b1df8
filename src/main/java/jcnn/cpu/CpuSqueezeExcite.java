package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jcnn.ops.SqueezeExcite;
import jcnn.tensor.Tensor;

/**
 * Squeeze-and-excitation, prepared once (weights copied to arrays, gate buffers allocated) and then
 * run without allocation. Layout: NCHW; for each image the per-channel means are one vector
 * reduction over the contiguous H*W plane, the two small fully connected layers are dot products
 * along contiguous weight rows, and the scaling is a vector multiply over each plane. Single-threaded:
 * the op is tiny next to the convs around it (2*C*C/16 MACs against C*H*W loads).
 *
 * <p>Not thread-safe: an instance owns its gate buffers; use one per executor step.
 */
public final class CpuSqueezeExcite {
    private final SqueezeExcite op;
    private final float[] w1, b1, w2, b2;
    private final float[] mean, hidden, gate, lanes = new float[Vec.L];

    private CpuSqueezeExcite(SqueezeExcite op, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        this.op = op;
        this.w1 = w1.toArray();
        this.b1 = b1.toArray();
        this.w2 = w2.toArray();
        this.b2 = b2.toArray();
        this.mean = new float[op.channels()];
        this.hidden = new float[op.reduced()];
        this.gate = new float[op.channels()];
    }

    /** Copies the weights ({@code fc1.weight [r,C,1,1]}, {@code fc1.bias [r]}, {@code fc2.weight [C,r,1,1]}, {@code fc2.bias [C]}). */
    public static CpuSqueezeExcite prepare(SqueezeExcite op, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        jcnn.ops.Check.notNull(op.kind(), "fc1.weight", w1);
        if (w1.shape().size() != (long) op.reduced() * op.channels() || b1.shape().size() != op.reduced()
            || w2.shape().size() != (long) op.channels() * op.reduced() || b2.shape().size() != op.channels()) {
            throw new IllegalArgumentException(op.kind() + ": weights " + w1.shape() + ", " + b1.shape() + ", " + w2.shape() + ", "
                + b2.shape() + " do not fit " + op.channels() + " -> " + op.reduced() + " channels");
        }
        return new CpuSqueezeExcite(op, w1, b1, w2, b2);
    }

    /** {@code y = x * gate(x)}; y may be x itself (same view). Shapes are checked by the caller (the plan or {@link CpuOps}). */
    public void run(Tensor x, Tensor y) {
        MemorySegment src = x.segment(), dst = y.segment();
        int c = op.channels(), r = op.reduced(), hw = x.h() * x.w();
        for (int n = 0; n < x.n(); n++) {
            long xb = n * x.batchStride(), yb = n * y.batchStride();
            for (int ch = 0; ch < c; ch++) mean[ch] = sum(src, xb + (long) ch * hw, hw) / hw;
            for (int i = 0; i < r; i++) hidden[i] = Math.max(b1[i] + dot(w1, i * c, mean, c), 0f);
            for (int ch = 0; ch < c; ch++) gate[ch] = (float) (1 / (1 + Math.exp(-(b2[ch] + dot(w2, ch * r, hidden, r)))));
            for (int ch = 0; ch < c; ch++) scale(src, xb + (long) ch * hw, dst, yb + (long) ch * hw, hw, gate[ch]);
        }
    }

    private float sum(MemorySegment m, long at, int len) {
        FloatVector acc = FloatVector.zero(Vec.S);
        int i = 0;
        for (; i <= len - Vec.L; i += Vec.L) acc = acc.add(Vec.load(m, at + i));
        acc.intoArray(lanes, 0);
        float s = Vec.sum(lanes);
        for (; i < len; i++) s += m.getAtIndex(Vec.F, at + i);
        return s;
    }

    private float dot(float[] w, int at, float[] x, int len) {
        FloatVector acc = FloatVector.zero(Vec.S);
        int i = 0;
        for (; i <= len - Vec.L; i += Vec.L) acc = FloatVector.fromArray(Vec.S, w, at + i).fma(FloatVector.fromArray(Vec.S, x, i), acc);
        acc.intoArray(lanes, 0);
        float s = Vec.sum(lanes);
        for (; i < len; i++) s += w[at + i] * x[i];
        return s;
    }

    private static void scale(MemorySegment src, long from, MemorySegment dst, long to, int len, float g) {
        int i = 0;
        for (; i <= len - Vec.L; i += Vec.L) Vec.store(Vec.load(src, from + i).mul(g), dst, to + i);
        for (; i < len; i++) dst.setAtIndex(Vec.F, to + i, src.getAtIndex(Vec.F, from + i) * g);
    }
}
