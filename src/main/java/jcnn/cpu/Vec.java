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
