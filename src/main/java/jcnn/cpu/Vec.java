package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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

    // sum(): lane i plus lane i + L/2, then i + L/4, ...: a fixed tree of exact permutations and adds
    private static final VectorShuffle<Float> HALF = VectorShuffle.iota(S, Math.max(L / 2, 1), 1, true);
    private static final VectorShuffle<Float> QUARTER = VectorShuffle.iota(S, Math.max(L / 4, 1), 1, true);
    private static final VectorShuffle<Float> EIGHTH = VectorShuffle.iota(S, Math.max(L / 8, 1), 1, true);
    private static final VectorShuffle<Float> SIXTEENTH = VectorShuffle.iota(S, Math.max(L / 16, 1), 1, true);

    /**
     * The sum of the lanes in one fixed order, the same in the interpreter and in compiled code.
     * {@code reduceLanes(ADD)} leaves the order open, and HotSpot's interpreter adds the lanes in
     * sequence while C2 adds them as a tree, so results changed in the last bit between a cold and a
     * warm run; with this every run of a model gives bit-identical outputs.
     */
    static float sum(FloatVector v) {
        if (L > 16) {
            float s = 0;
            for (int i = 0; i < L; i++) s += v.lane(i);
            return s;
        }
        if (L >= 2) v = v.add(v.rearrange(HALF));
        if (L >= 4) v = v.add(v.rearrange(QUARTER));
        if (L >= 8) v = v.add(v.rearrange(EIGHTH));
        if (L >= 16) v = v.add(v.rearrange(SIXTEENTH));
        return v.lane(0);
    }

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
