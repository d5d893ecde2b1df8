package jcnn.exec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jcnn.ops.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The conv workhorse: {@code C[m][p] = act(bias[m] + sum_k A[m][k] * B[k][p] + R[m][p])}.
 * A is the packed weight [M][K]; B the input rows (one per input channel, or im2col rows); C and
 * R output and residual rows. All offsets and strides are in floats. Columns are tiled so a tile
 * of B stays in cache while every block of 4 rows of A sweeps it; 4 rows x 2 vectors of
 * accumulators per inner loop, one vector load of B per 8 FMAs. No allocation once C2 compiled it.
 */
final class Gemm {
    private Gemm() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final ByteOrder NO = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int TILE = 128;

    static void run(MemorySegment a, long aOff, int M, int K,
                    MemorySegment b, long bOff, long ldb, int N,
                    MemorySegment c, long cOff, long ldc,
                    MemorySegment bias, long biasOff,
                    MemorySegment r, long rOff, long ldr, Activation act) {
        for (int p0 = 0; p0 < N; p0 += TILE) {
            int p1 = Math.min(N, p0 + TILE);
            int m = 0;
            for (; m + 4 <= M; m += 4) block4(a, aOff + (long) m * K, K, b, bOff, ldb, p0, p1, c, cOff + m * ldc, ldc,
                bias, biasOff + m, r, rOff + m * ldr, ldr, act);
            for (; m < M; m++) block1(a, aOff + (long) m * K, K, b, bOff, ldb, p0, p1, c, cOff + m * ldc,
                bias, biasOff + m, r, rOff + m * ldr, act);
            for (m = 0; m < M; m++) {
                epilogue(c, cOff + m * ldc, bias.getAtIndex(F, biasOff + m), r, rOff + m * ldr, p0, p1, act);
            }
        }
    }

    private static void block4(MemorySegment a, long a0, int K, MemorySegment b, long bOff, long ldb, int p0, int p1,
                               MemorySegment c, long c0, long ldc, MemorySegment bias, long bi,
                               MemorySegment r, long r0, long ldr, Activation act) {
        long a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
        int p = p0;
        for (; p + 2 * V <= p1; p += 2 * V) {
            FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
            long bp = (bOff + p) * 4;
            for (int k = 0; k < K; k++, bp += ldb * 4) {
                FloatVector u = FloatVector.fromMemorySegment(S, b, bp, NO);
                FloatVector v = FloatVector.fromMemorySegment(S, b, bp + V * 4L, NO);
                FloatVector w0 = FloatVector.broadcast(S, a.getAtIndex(F, a0 + k)), w1 = FloatVector.broadcast(S, a.getAtIndex(F, a1 + k));
                FloatVector w2 = FloatVector.broadcast(S, a.getAtIndex(F, a2 + k)), w3 = FloatVector.broadcast(S, a.getAtIndex(F, a3 + k));
                x0 = u.fma(w0, x0); y0 = v.fma(w0, y0);
                x1 = u.fma(w1, x1); y1 = v.fma(w1, y1);
                x2 = u.fma(w2, x2); y2 = v.fma(w2, y2);
                x3 = u.fma(w3, x3); y3 = v.fma(w3, y3);
            }
            x0.intoMemorySegment(c, (c0 + p) * 4, NO);
            y0.intoMemorySegment(c, (c0 + p + V) * 4, NO);
            x1.intoMemorySegment(c, (c0 + ldc + p) * 4, NO);
            y1.intoMemorySegment(c, (c0 + ldc + p + V) * 4, NO);
            x2.intoMemorySegment(c, (c0 + 2 * ldc + p) * 4, NO);
            y2.intoMemorySegment(c, (c0 + 2 * ldc + p + V) * 4, NO);
            x3.intoMemorySegment(c, (c0 + 3 * ldc + p) * 4, NO);
            y3.intoMemorySegment(c, (c0 + 3 * ldc + p + V) * 4, NO);
        }
        for (; p + V <= p1; p += V) {
            FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
            long bp = (bOff + p) * 4;
            for (int k = 0; k < K; k++, bp += ldb * 4) {
                FloatVector u = FloatVector.fromMemorySegment(S, b, bp, NO);
                x0 = u.fma(FloatVector.broadcast(S, a.getAtIndex(F, a0 + k)), x0);
                x1 = u.fma(FloatVector.broadcast(S, a.getAtIndex(F, a1 + k)), x1);
                x2 = u.fma(FloatVector.broadcast(S, a.getAtIndex(F, a2 + k)), x2);
                x3 = u.fma(FloatVector.broadcast(S, a.getAtIndex(F, a3 + k)), x3);
            }
            x0.intoMemorySegment(c, (c0 + p) * 4, NO);
            x1.intoMemorySegment(c, (c0 + ldc + p) * 4, NO);
            x2.intoMemorySegment(c, (c0 + 2 * ldc + p) * 4, NO);
            x3.intoMemorySegment(c, (c0 + 3 * ldc + p) * 4, NO);
        }
        for (int i = 0; i < 4; i++) scalarTail(a, a0 + (long) i * K, K, b, bOff, ldb, p, p1, c, c0 + i * ldc, bias, bi + i, r, r0 + i * ldr, act);
    }

    private static void block1(MemorySegment a, long a0, int K, MemorySegment b, long bOff, long ldb, int p0, int p1,
                               MemorySegment c, long c0, MemorySegment bias, long bi, MemorySegment r, long r0, Activation act) {
        int p = p0;
        for (; p + V <= p1; p += V) {
            FloatVector x = FloatVector.zero(S);
            long bp = (bOff + p) * 4;
            for (int k = 0; k < K; k++, bp += ldb * 4) x = FloatVector.fromMemorySegment(S, b, bp, NO).fma(FloatVector.broadcast(S, a.getAtIndex(F, a0 + k)), x);
            x.intoMemorySegment(c, (c0 + p) * 4, NO);
        }
        scalarTail(a, a0, K, b, bOff, ldb, p, p1, c, c0, bias, bi, r, r0, act);
    }

    private static void scalarTail(MemorySegment a, long a0, int K, MemorySegment b, long bOff, long ldb, int p, int p1,
                                   MemorySegment c, long c0, MemorySegment bias, long bi, MemorySegment r, long r0, Activation act) {
        for (; p < p1; p++) {
            float s = 0;
            for (int k = 0; k < K; k++) s += a.getAtIndex(F, a0 + k) * b.getAtIndex(F, bOff + k * ldb + p);
            c.setAtIndex(F, c0 + p, s);
        }
    }

    /**
     * {@code c[p] = act(c[p] + bias + r[p])} over a row's tile, while it is still in cache. A separate
     * pass rather than a helper taking vectors: a vector passed to a method C2 does not inline gets
     * boxed (heap allocation on the hot path), so no method here takes or returns a vector.
     */
    static void epilogue(MemorySegment c, long c0, float bias, MemorySegment r, long r0, int p0, int p1, Activation act) {
        boolean relu = act != Activation.NONE, six = act == Activation.RELU6;
        int p = p0;
        for (; p + V <= p1; p += V) {
            FloatVector x = FloatVector.fromMemorySegment(S, c, (c0 + p) * 4, NO).add(bias);
            if (r != null) x = x.add(FloatVector.fromMemorySegment(S, r, (r0 + p) * 4, NO));
            if (relu) x = x.lanewise(VectorOperators.MAX, 0f);
            if (six) x = x.lanewise(VectorOperators.MIN, 6f);
            x.intoMemorySegment(c, (c0 + p) * 4, NO);
        }
        for (; p < p1; p++) {
            float v = c.getAtIndex(F, c0 + p) + bias;
            if (r != null) v += r.getAtIndex(F, r0 + p);
            c.setAtIndex(F, c0 + p, act.apply(v));
        }
    }
}
