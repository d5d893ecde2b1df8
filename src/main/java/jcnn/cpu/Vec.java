package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Activation;
import jcnn.tensor.Tensor;

/** Vector helpers shared by the kernels: the species, segment loads/stores by element index, activations. */
final class Vec {
    private Vec() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ByteOrder BO = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Two-vector deinterleave: {@code v0.rearrange(EVEN, v1)} holds lanes 0, 2, 4, ... of the pair (v0, v1), ODD lanes 1, 3, 5, .... */
    static final jdk.incubator.vector.VectorShuffle<Float> EVEN = pairs(0), ODD = pairs(1);

    private static jdk.incubator.vector.VectorShuffle<Float> pairs(int first) {
        int[] ix = new int[L];
        for (int i = 0; i < L; i++) ix[i] = 2 * i + first; // indexes >= L select from the second vector
        return jdk.incubator.vector.VectorShuffle.fromArray(S, ix, 0);
    }

    /**
     * The sum of a vector's lanes, stored by the caller into {@code lanes} (one {@code float[L]} per
     * worker), added in one fixed order: pairs, then pairs of pairs. {@code reduceLanes(ADD)} leaves
     * the order open, and HotSpot's interpreter adds the lanes in sequence while C2 adds them as a
     * tree, so results changed in the last bit between a cold and a warm run; with this every run of
     * a model gives bit-identical outputs. The vector stays in the caller (passing a vector to a
     * helper that C2 does not inline boxes it: one allocation per call).
     */
    static float sum(float[] lanes) {
        if (L == 16) {
            float a = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]), b = (lanes[4] + lanes[5]) + (lanes[6] + lanes[7]);
            float c = (lanes[8] + lanes[9]) + (lanes[10] + lanes[11]), d = (lanes[12] + lanes[13]) + (lanes[14] + lanes[15]);
            return (a + b) + (c + d);
        }
        if (L == 8) return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
        float s = 0;
        for (int i = 0; i < L; i++) s += lanes[i];
        return s;
    }

    /**
     * Stride-2 split of one row of {@code in} (W floats from element src), through relu(x*a + b) when
     * {@code prologue}: column 2i goes to dst[even + i], column 2i+1 to dst[odd + i], 2L columns per
     * step (two loads, two two-vector shuffles) while the loads stay in the row and the stores within
     * {@code room} floats of even and odd. Returns the first column left for the caller's tail.
     */
    static int splitEvenOdd(MemorySegment in, long src, int W, float[] dst, int even, int odd, int room, boolean prologue, float a, float b) {
        int lim = Math.min(W - 2 * L, 2 * (room - L)), x = 0;
        if (!prologue) {
            for (; x <= lim; x += 2 * L) {
                FloatVector v0 = FloatVector.fromMemorySegment(S, in, (src + x) << 2, BO), v1 = FloatVector.fromMemorySegment(S, in, (src + x + L) << 2, BO);
                v0.rearrange(EVEN, v1).intoArray(dst, even + x / 2);
                v0.rearrange(ODD, v1).intoArray(dst, odd + x / 2);
            }
        } else {
            for (; x <= lim; x += 2 * L) {
                FloatVector v0 = FloatVector.fromMemorySegment(S, in, (src + x) << 2, BO).fma(a, b).max(0f);
                FloatVector v1 = FloatVector.fromMemorySegment(S, in, (src + x + L) << 2, BO).fma(a, b).max(0f);
                v0.rearrange(EVEN, v1).intoArray(dst, even + x / 2);
                v0.rearrange(ODD, v1).intoArray(dst, odd + x / 2);
            }
        }
        return x;
    }

    /** The BN-ReLU input prologue in place: buf[i] = max(0, buf[i]*a + b) for i in [off, off+len). */
    static void prologue(float[] buf, int off, int len, float a, float b) {
        int i = 0;
        for (; i <= len - L; i += L) FloatVector.fromArray(S, buf, off + i).fma(a, b).max(0f).intoArray(buf, off + i);
        for (; i < len; i++) buf[off + i] = Math.max(0f, Math.fma(buf[off + i], a, b));
    }

    /** One lane buffer for {@link #sum} per worker. */
    static float[][] laneBuffers(int workers) { return new float[workers][L]; }

    static FloatVector load(MemorySegment m, long i) { return FloatVector.fromMemorySegment(S, m, i << 2, BO); }

    static FloatVector load(MemorySegment m, long i, VectorMask<Float> k) { return FloatVector.fromMemorySegment(S, m, i << 2, BO, k); }

    static void store(FloatVector v, MemorySegment m, long i) { v.intoMemorySegment(m, i << 2, BO); }

    static void store(FloatVector v, MemorySegment m, long i, VectorMask<Float> k) { v.intoMemorySegment(m, i << 2, BO, k); }

    static FloatVector act(FloatVector v, Activation a) {
        return switch (a) {
            case NONE -> v;
            case RELU -> v.max(0f);
            case RELU6 -> v.max(0f).min(6f);
        };
    }

    static float act(float x, Activation a) { return a.apply(x); }

    /** Copies a small weight tensor out (done once, at prepare time). */
    static float[] array(Tensor t) { return t == null ? null : t.toArray(); }

    static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
