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

    /**
     * The sum of the lanes in one fixed order (pairs, then pairs of pairs), the same in the
     * interpreter and in compiled code. {@code reduceLanes(ADD)} leaves the order open, and HotSpot's
     * interpreter adds the lanes in sequence while C2 adds them as a tree, so results changed in the
     * last bit between a cold and a warm run; with this every run of a model gives bit-identical
     * outputs. Lane extracts with constant indices (a rearrange-based tree made C2 box the vectors).
     */
    static float sum(FloatVector v) {
        if (L == 16) {
            float a = (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3)), b = (v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7));
            float c = (v.lane(8) + v.lane(9)) + (v.lane(10) + v.lane(11)), d = (v.lane(12) + v.lane(13)) + (v.lane(14) + v.lane(15));
            return (a + b) + (c + d);
        }
        if (L == 8) return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
        float s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
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
