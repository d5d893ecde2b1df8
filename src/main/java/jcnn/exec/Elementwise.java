package jcnn.exec;

import static jcnn.exec.Gemm.F;
import static jcnn.exec.Gemm.NO;
import static jcnn.exec.Gemm.S;
import static jcnn.exec.Gemm.V;

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
        for (; i + V <= len; i += V) {
            FloatVector x = FloatVector.fromMemorySegment(S, src, (so + i) * 4, NO).fma(s, t);
            if (relu) x = x.lanewise(VectorOperators.MAX, 0f);
            if (six) x = x.lanewise(VectorOperators.MIN, 6f);
            x.intoMemorySegment(dst, (d0 + i) * 4, NO);
        }
        for (; i < len; i++) dst.setAtIndex(F, d0 + i, act.apply(src.getAtIndex(F, so + i) * s + t));
    }

    /** dst[i] = act(a[i] + b[i]). */
    static void add(MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment dst, long d0, long len, Activation act) {
        boolean relu = act != Activation.NONE, six = act == Activation.RELU6;
        long i = 0;
        for (; i + V <= len; i += V) {
            FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).add(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO));
            if (relu) x = x.lanewise(VectorOperators.MAX, 0f);
            if (six) x = x.lanewise(VectorOperators.MIN, 6f);
            x.intoMemorySegment(dst, (d0 + i) * 4, NO);
        }
        for (; i < len; i++) dst.setAtIndex(F, d0 + i, act.apply(a.getAtIndex(F, ao + i) + b.getAtIndex(F, bo + i)));
    }

    /** Dot product of two float runs. */
    static float dot(MemorySegment a, long ao, MemorySegment b, long bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + V <= len; i += V) {
            acc = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).fma(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += a.getAtIndex(F, ao + i) * b.getAtIndex(F, bo + i);
        return s;
    }
}
