package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * Direct conv for depthwise and small-group convs (MobileNet/ShuffleNet depthwise 3x3, ResNeXt's
 * grouped 3x3 with 4..16 channels per group), NCHW.
 *
 * <p>Work: one item per (image, group). The item copies its group's input planes into per-worker
 * scratch, zero-padded and split by stride phase: sub-plane r holds padded columns s*j + r, so the
 * input of output column ox at tap kx is sub-plane kx%s at column ox + kx/s, a contiguous vector load
 * for any stride (stride 2 becomes even/odd planes). The prologue is applied during that copy (padding
 * stays zero). Then each output row is computed in vectors of 16 columns into a per-worker heap copy
 * of the output plane (rows at stride OW; a vector's lanes past the row end are overwritten by the next
 * row), and one {@link #emitRow} pass over the plane applies the epilogue. Depthwise 3x3 hoists its nine
 * broadcast weights out of the pixel loops and runs three independent FMA chains (one per kernel row)
 * to hide the FMA latency. Stride 2 deinterleaves with two-vector shuffles. The
 * padding of the scratch planes is zeroed once per shape ({@link #resize}); each run writes only the
 * interior. No vector crosses a method boundary, so nothing is boxed.
 *
 * <p>Threads: items are claimed from the {@link CpuPool}; a worker owns its scratch planes and row.
 */
final class DirectConv extends CpuConv {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;

    private final float[] w; // original [outC][cig][k][k]
    private final int k, s, pd;
    private int Hp, Wj, plane;
    private float[][] bufs, rows;
    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN = Vec.EVEN, ODD = Vec.ODD;

    DirectConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        super(op, weight, bias, inScale, inShift, pool);
        w = weight.toArray();
        k = op.kernel();
        s = op.stride();
        pd = op.pad();
    }

    @Override
    void resize() {
        Hp = (OH - 1) * s + k;
        Wj = Vec.roundUp(OW, L) + (k - 1) / s + 1;
        plane = Hp * Wj;
        int size = cig * s * plane;
        if (bufs == null || bufs.length != pool.size() || bufs[0].length < size) bufs = new float[pool.size()][size];
        else for (float[] b : bufs) Arrays.fill(b, 0f); // the padding must be zero; runs write only the interior
        rows = new float[pool.size()][OHW + L]; // a whole output plane, rows at stride OW
    }

    @Override int items() { return N * op.groups(); }

    @Override
    public void run(int item, int worker) {
        int n = item / op.groups(), g = item % op.groups();
        float[] buf = bufs[worker];
        fill(n, g, buf);
        if (k == 3 && cig == 1) depthwise3(n, g, buf, rows[worker]);
        else general(n, g, buf, rows[worker]);
    }

    /** Zero-padded, stride-deinterleaved copy of the group's input planes, prologue applied. */
    private void fill(int n, int g, float[] buf) {
        for (int ic = 0; ic < cig; ic++) {
            int c = g * cig + ic;
            long src = n * inBS + (long) c * HW;
            float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
            int base = ic * s * plane;
            for (int y = 0; y < Hp; y++) {
                int iy = y - pd;
                if (iy < 0 || iy >= H) continue;
                long row = src + (long) iy * W;
                if (s == 1) row1(row, buf, base + y * Wj + pd, a, b);
                else if (s == 2) row2(row, buf, base, y, a, b);
                else rowS(0, row, buf, base, y, a, b);
            }
        }
    }

    /** Stride 1: one input row into its padded scratch row. */
    private void row1(long row, float[] buf, int dst, float a, float b) {
        final MemorySegment inM = this.inM;
        int x = 0;
        if (sc == null) {
            for (; x <= W - L; x += L) FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO).intoArray(buf, dst + x);
            if (x < W) {
                var m = S.indexInRange(x, W);
                FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO, m).intoArray(buf, dst + x, m);
            }
        } else {
            for (; x <= W - L; x += L) FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO).fma(a, b).max(0f).intoArray(buf, dst + x);
            if (x < W) {
                var m = S.indexInRange(x, W);
                FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO, m).fma(a, b).max(0f).intoArray(buf, dst + x, m);
            }
        }
    }

    /** Stride 2: even and odd input columns to their sub-planes, 2L at a time (two-vector shuffles). */
    private void row2(long row, float[] buf, int base, int y, float a, float b) {
        final MemorySegment inM = this.inM;
        int se = base + (pd % 2) * plane + y * Wj + pd / 2, so = base + ((pd + 1) % 2) * plane + y * Wj + (pd + 1) / 2;
        int lim = Math.min(W - 2 * L, 2 * (Wj - L - (pd + 1) / 2)), x = 0;
        if (sc == null) {
            for (; x <= lim; x += 2 * L) {
                FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO), v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO);
                v0.rearrange(EVEN, v1).intoArray(buf, se + x / 2);
                v0.rearrange(ODD, v1).intoArray(buf, so + x / 2);
            }
        } else {
            for (; x <= lim; x += 2 * L) {
                FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO).fma(a, b).max(0f);
                FloatVector v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO).fma(a, b).max(0f);
                v0.rearrange(EVEN, v1).intoArray(buf, se + x / 2);
                v0.rearrange(ODD, v1).intoArray(buf, so + x / 2);
            }
        }
        if (x < W) { // the tail (< 2L columns): the same with masks, stores clipped to the sub-plane rows
            var m0 = S.indexInRange(x, W);
            var m1 = S.indexInRange(x + L, W);
            int rem = W - x, ne = Math.min((rem + 1) / 2, Wj - pd / 2 - x / 2), no = Math.min(rem / 2, Wj - (pd + 1) / 2 - x / 2);
            FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO, m0);
            FloatVector v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO, m1);
            if (sc == null) {
                v0.rearrange(EVEN, v1).intoArray(buf, se + x / 2, S.indexInRange(0, ne));
                v0.rearrange(ODD, v1).intoArray(buf, so + x / 2, S.indexInRange(0, no));
            } else { // the prologue must not touch the padding: masked lanes stay out of the stores
                FloatVector p0 = v0.fma(a, b).max(0f), p1 = v1.fma(a, b).max(0f);
                p0.rearrange(EVEN, p1).intoArray(buf, se + x / 2, S.indexInRange(0, ne));
                p0.rearrange(ODD, p1).intoArray(buf, so + x / 2, S.indexInRange(0, no));
            }
        }
    }

    /** Any stride, scalar, from input column x0 on. */
    private void rowS(int x0, long row, float[] buf, int base, int y, float a, float b) {
        for (int x = x0; x < W; x++) {
            int X = x + pd, j = X / s;
            if (j >= Wj) break;
            float v = inM.getAtIndex(Vec.F, row + x);
            if (sc != null) v = Math.max(0f, Math.fma(v, a, b));
            buf[base + (X % s) * plane + y * Wj + j] = v;
        }
    }

    private void depthwise3(int n, int c, float[] buf, float[] rb) {
        int wb = c * 9;
        FloatVector w0 = FloatVector.broadcast(S, w[wb]), w1 = FloatVector.broadcast(S, w[wb + 1]), w2 = FloatVector.broadcast(S, w[wb + 2]),
            w3 = FloatVector.broadcast(S, w[wb + 3]), w4 = FloatVector.broadcast(S, w[wb + 4]), w5 = FloatVector.broadcast(S, w[wb + 5]),
            w6 = FloatVector.broadcast(S, w[wb + 6]), w7 = FloatVector.broadcast(S, w[wb + 7]), w8 = FloatVector.broadcast(S, w[wb + 8]);
        // tap kx reads sub-plane kx%s at column offset kx/s
        int o0 = 0, o1 = (1 % s) * plane + 1 / s, o2 = (2 % s) * plane + 2 / s;
        for (int oy = 0; oy < OH; oy++) {
            int r0 = oy * s * Wj, r1 = r0 + Wj, r2 = r1 + Wj;
            for (int x0 = 0; x0 < OW; x0 += L) { // three independent chains (one per kernel row): FMA latency
                FloatVector a0 = FloatVector.fromArray(S, buf, r0 + x0 + o0).mul(w0);
                FloatVector a1 = FloatVector.fromArray(S, buf, r1 + x0 + o0).mul(w3);
                FloatVector a2 = FloatVector.fromArray(S, buf, r2 + x0 + o0).mul(w6);
                a0 = FloatVector.fromArray(S, buf, r0 + x0 + o1).fma(w1, a0);
                a1 = FloatVector.fromArray(S, buf, r1 + x0 + o1).fma(w4, a1);
                a2 = FloatVector.fromArray(S, buf, r2 + x0 + o1).fma(w7, a2);
                a0 = FloatVector.fromArray(S, buf, r0 + x0 + o2).fma(w2, a0);
                a1 = FloatVector.fromArray(S, buf, r1 + x0 + o2).fma(w5, a1);
                a2 = FloatVector.fromArray(S, buf, r2 + x0 + o2).fma(w8, a2);
                a0.add(a1).add(a2).intoArray(rb, oy * OW + x0); // lanes past OW are overwritten by the next row
            }
        }
        emitRow(rb, 0, n, c, 0, OHW);
    }

    private void general(int n, int g, float[] buf, float[] rb) {
        int kk = k * k;
        for (int r = 0; r < cog; r++) {
            int oc = g * cog + r, wb = oc * cig * kk;
            for (int oy = 0; oy < OH; oy++) {
                for (int x0 = 0; x0 < OW; x0 += L) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int ic = 0; ic < cig; ic++) {
                        int pb = ic * s * plane + oy * s * Wj + x0, wi = wb + ic * kk;
                        for (int ky = 0; ky < k; ky++, pb += Wj)
                            for (int kx = 0; kx < k; kx++)
                                acc = FloatVector.fromArray(S, buf, pb + (kx % s) * plane + kx / s).fma(FloatVector.broadcast(S, w[wi + ky * k + kx]), acc);
                    }
                    acc.intoArray(rb, oy * OW + x0);
                }
            }
            emitRow(rb, 0, n, oc, 0, OHW);
        }
    }
}
