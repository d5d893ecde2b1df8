package jcnn.cpu;

import static jcnn.cpu.Vec.F;
import static jcnn.cpu.Vec.BO;
import static jcnn.cpu.Vec.S;
import static jcnn.cpu.Vec.L;

import java.lang.foreign.MemorySegment;
import jcnn.ops.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Vectorised elementwise loops over float runs of native memory (offsets in floats). */
final class Elementwise {
    private Elementwise() {}

    /** dst[i] = act(src[i]*s + t) for i < len. */
    static void affine(MemorySegment src, long so, MemorySegment dst, long d0, long len, float s, float t, Activation act) {
        boolean relu = act != Activation.NONE, six = act == Activation.RELU6;
        long i = 0;
        for (; i + L <= len; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, src, (so + i) * 4, BO).fma(s, t);
            if (relu) x = x.lanewise(VectorOperators.MAX, 0f);
            if (six) x = x.lanewise(VectorOperators.MIN, 6f);
            x.intoMemorySegment(dst, (d0 + i) * 4, BO);
        }
        for (; i < len; i++) dst.setAtIndex(F, d0 + i, act.apply(src.getAtIndex(F, so + i) * s + t));
    }

    /** dst[i] = act(a[i] + b[i]). */
    static void add(MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment dst, long d0, long len, Activation act) {
        boolean relu = act != Activation.NONE, six = act == Activation.RELU6;
        long i = 0;
        for (; i + L <= len; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, BO).add(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, BO));
            if (relu) x = x.lanewise(VectorOperators.MAX, 0f);
            if (six) x = x.lanewise(VectorOperators.MIN, 6f);
            x.intoMemorySegment(dst, (d0 + i) * 4, BO);
        }
        for (; i < len; i++) dst.setAtIndex(F, d0 + i, act.apply(a.getAtIndex(F, ao + i) + b.getAtIndex(F, bo + i)));
    }

    /** Dot product of two float runs. */
    static float dot(MemorySegment a, long ao, MemorySegment b, long bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= len; i += L) {
            acc = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, BO).fma(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, BO), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += a.getAtIndex(F, ao + i) * b.getAtIndex(F, bo + i);
        return s;
    }
}
