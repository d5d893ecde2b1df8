package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * Direct conv for depthwise and small-group convs (MobileNet/ShuffleNet depthwise 3x3, ResNeXt's
 * grouped 3x3 with 4..16 channels per group), NCHW.
 *
 * <p>Work: one item per (image, run of groups): at most 4 items per thread and image (one item per
 * channel cost more in the pool's shared counter than the work on a 7x7 plane: 960 channels at 7x7
 * ran 2x slower on two threads than on one).
 *
 * <p>Depthwise 3x3 with pad 1 (every depthwise layer of the five families) is computed per channel
 * with the output plane flattened: output pixels p = oy*OW + ox are the vector dimension, across row
 * ends, so a vector of 16 pixels is nine vector loads at fixed offsets from p in a copy of the input
 * plane behind a zero border ({@link #depthwise3f}, stride 1), or in four row/column-parity planes of
 * pitch OW ({@link #depthwise3f2}, stride 2). Lanes whose left or right tap would wrap into the
 * neighbouring row are zeroed by a periodic AND mask (one chain per column of taps, so three
 * independent FMA chains). No per-row work, no padded lanes (a 14x14 plane is 13 vectors, not 14
 * rows), and the output is one contiguous run stored straight from registers with bias, residual and
 * clamp. One layer, 2 threads, old/new in one process each, AMD EPYC (Zen 4) VM: 576 @14 s1
 * 105-122 -> 39-41 us, 384 @14 57-80 -> 26-28, 192 @28 90-97 -> 41-44, 144 @56 205-227 -> 122, 32 @112
 * 117-133 -> 108; stride 2: 144 @56 156 -> 96, 192 @28 65 -> 36, 232 @28 73 -> 43, 64 @112 170 -> 116
 * (the per-row and channel-vector gather kernels they replace measured 3x ORT's time per layer).
 *
 * <p>Everything else ({@link #general}: any k, stride, pad and group width) copies each group's input
 * planes into per-worker scratch, zero-padded and split by stride phase: sub-plane r holds padded
 * columns s*j + r, so the input of output column ox at tap kx is sub-plane kx%s at column ox + kx/s,
 * a contiguous vector load for any stride. The prologue is applied during that copy (padding stays
 * zero; it is zeroed once per shape in {@link #resize}, each run writes only the interior). Output
 * rows are computed in vectors into a per-worker heap copy of four output planes, and
 * {@link #emitRow} applies the epilogue. No vector crosses a method boundary, so nothing is boxed.
 *
 * <p>Threads: items are claimed from the {@link CpuPool}; a worker owns its scratch planes and row.
 */
final class DirectConv extends CpuConv {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    private static final int L = Vec.L;

    private final float[] w; // original [outC][cig][k][k]
    private final int k, s, pd;
    private int Hp, Wj, plane, chunks; // chunks: items per image
    private float[][] bufs, rows;
    private int[] taps; // per tap of the kernel window: its offset in the padded, stride-split input
    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN = Vec.EVEN, ODD = Vec.ODD;
    private final boolean flat;                      // this shape runs depthwise3f (stride 1) or depthwise3f2 (stride 2)
    private int region;                 // depthwise3f2: floats per parity plane in the scratch buffer
    private int[] maskL, maskR;         // flat: per lane of P = OW/gcd(OW, L) vectors, 0 where the left / right tap leaves the row, else all ones

    DirectConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        super(op, weight, bias, inScale, inShift, pool);
        w = weight.toArray();
        k = op.kernel();
        s = op.stride();
        pd = op.pad();
        flat = k == 3 && cig == 1 && cog == 1 && pd == 1 && s <= 2;
    }

    @Override
    void resize() {
        Hp = (OH - 1) * s + k;
        Wj = Vec.roundUp(OW, L) + (k - 1) / s + 1;
        plane = Hp * Wj;
        taps = new int[k * k]; // tap (ky, kx) reads sub-plane kx % s, row ky, column kx / s
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) taps[ky * k + kx] = (kx % s) * plane + ky * Wj + kx / s;
        int size = cig * s * plane;
        if (bufs == null || bufs.length != pool.size() || bufs[0].length < size) bufs = new float[pool.size()][size];
        else for (float[] b : bufs) Arrays.fill(b, 0f); // the padding must be zero; runs write only the interior
        if (flat) { // lane masks over one period of P = OW/gcd(OW, L) vectors of output pixels
            int P = OW / gcd(OW, L);
            maskL = new int[P * L];
            maskR = new int[P * L];
            for (int i = 0; i < P * L; i++) {
                maskL[i] = i % OW == 0 ? 0 : -1;
                maskR[i] = i % OW == OW - 1 ? 0 : -1;
            }
            region = OW + 1 + Vec.roundUp(OHW, L) + L; // stride 2: one of the four parity planes with its leading zeros
            size = Math.max(size, s == 1 ? 2 * (W + 1) + Vec.roundUp(HW, L) + L : 4 * region); // every tap load stays inside
            if (bufs[0].length < size) bufs = new float[pool.size()][size];
        }
        rows = new float[pool.size()][4 * (OHW + L)]; // four output planes for general(), rows at stride OW
        chunks = Math.min(op.groups(), 4 * pool.size());
    }

    @Override int items() { return N * chunks; }

    @Override
    public void run(int item, int worker) {
        int n = item / chunks, c = item % chunks, groups = op.groups();
        float[] buf = bufs[worker], rb = rows[worker];
        int g0 = c * groups / chunks, g1 = (c + 1) * groups / chunks;
        for (int g = g0; g < g1; g++) {
            if (flat && s == 1) depthwise3f(n, g, buf, rb);
            else if (flat) depthwise3f2(n, g, buf, rb);
            else {
                fill(n, g, buf);
                general(n, g, buf, rb);
            }
        }
    }

    /**
     * Depthwise 3x3, stride 1, pad 1, one channel, with the plane flattened: output pixel p = y*W + x
     * reads input p + (ky-1)*W + (kx-1), so with the plane copied behind W+1 zeros (and zeros after it),
     * a vector of 16 consecutive output pixels, across row ends, is 9 vector loads at fixed offsets.
     * The left taps (kx = 0) of pixels with x = 0 and the right taps of x = W-1 read the neighbouring
     * row's edge: each column of taps is summed in its own chain and ANDed with a lane mask
     * ({@link #maskL}, {@link #maskR}; periodic, W/gcd(W, L) vectors; an AND, not a multiply by 0, so
     * that an infinite or NaN input at a row's edge cannot leak into the next row). No per-row work and no padded
     * lanes: a 14x14 plane is 13 vectors, not 14 rows, and the output is one contiguous run stored
     * straight from registers (the last partial vector with a masked store).
     */
    private void depthwise3f(int n, int c, float[] buf, float[] rb) {
        final int W = this.W, HW = this.HW, o0 = W + 1;
        MemorySegment.copy(inM, Vec.F, (n * inBS + (long) c * HW) << 2, buf, o0, HW);
        if (sc != null) Vec.prologue(buf, o0, HW, sc[c], sh[c]);
        int wb = c * 9;
        FloatVector w0 = FloatVector.broadcast(S, w[wb]), w1 = FloatVector.broadcast(S, w[wb + 1]), w2 = FloatVector.broadcast(S, w[wb + 2]),
            w3 = FloatVector.broadcast(S, w[wb + 3]), w4 = FloatVector.broadcast(S, w[wb + 4]), w5 = FloatVector.broadcast(S, w[wb + 5]),
            w6 = FloatVector.broadcast(S, w[wb + 6]), w7 = FloatVector.broadcast(S, w[wb + 7]), w8 = FloatVector.broadcast(S, w[wb + 8]);
        final int[] mL = maskL, mR = maskR;
        final int period = mL.length, W2 = 2 * W;
        final float lo = this.lo, hi = this.hi, b = bias[c];
        final MemorySegment out = outM, res = resM;
        final long o = n * outBS + (long) c * HW, r = res == null ? 0 : n * resBS + (long) c * HW;
        for (int p = 0, m = 0; p < HW; p += L, m = m + L == period ? 0 : m + L) {
            FloatVector aL = FloatVector.fromArray(S, buf, p).mul(w0);
            FloatVector aC = FloatVector.fromArray(S, buf, p + 1).mul(w1);
            FloatVector aR = FloatVector.fromArray(S, buf, p + 2).mul(w2);
            aL = FloatVector.fromArray(S, buf, p + W).fma(w3, aL);
            aC = FloatVector.fromArray(S, buf, p + W + 1).fma(w4, aC);
            aR = FloatVector.fromArray(S, buf, p + W + 2).fma(w5, aR);
            aL = FloatVector.fromArray(S, buf, p + W2).fma(w6, aL);
            aC = FloatVector.fromArray(S, buf, p + W2 + 1).fma(w7, aC);
            aR = FloatVector.fromArray(S, buf, p + W2 + 2).fma(w8, aR);
            FloatVector y = aC.add(aL.reinterpretAsInts().and(IntVector.fromArray(IS, mL, m)).reinterpretAsFloats())
                .add(aR.reinterpretAsInts().and(IntVector.fromArray(IS, mR, m)).reinterpretAsFloats()).add(b);
            if (p + L <= HW) {
                if (res != null) y = y.add(FloatVector.fromMemorySegment(S, res, (r + p) << 2, Vec.BO));
                y.max(lo).min(hi).intoMemorySegment(out, (o + p) << 2, Vec.BO);
            } else { // the plane's last, partial vector
                var k = S.indexInRange(p, HW);
                if (res != null) y = y.add(FloatVector.fromMemorySegment(S, res, (r + p) << 2, Vec.BO, k));
                y.max(lo).min(hi).intoMemorySegment(out, (o + p) << 2, Vec.BO, k);
            }
        }
    }

    /**
     * Depthwise 3x3, stride 2, pad 1, one channel, flattened over the output: the input is split by row
     * and column parity into four planes of pitch OW (EE, EO, OE, OO: even/odd row, even/odd column),
     * each behind OW+1 zeros. Output pixel q = oy*OW + ox reads input row 2oy-1+ky and column
     * 2ox-1+kx, which is plane (ky even? ...) at q, q-1, q-OW or q-OW-1: nine vector loads at fixed
     * offsets, as in {@link #depthwise3f}. Only the left taps (column 2ox-1, q-1) can leave the row
     * (ox = 0): masked by AND. Positions the copy never writes stay zero: the odd-column planes' last
     * column when W is odd (the right padding) and the odd-row planes' last row when H is odd.
     */
    private void depthwise3f2(int n, int c, float[] buf, float[] rb) {
        final int W = this.W, H = this.H, OW = this.OW, OHW = this.OHW, R = region, z = OW + 1;
        final int ee = z, eo = R + z, oe = 2 * R + z, oo = 3 * R + z;
        final MemorySegment inM = this.inM;
        final long src = n * inBS + (long) c * HW;
        final boolean pro = sc != null;
        final float pa = pro ? sc[c] : 1f, pb = pro ? sh[c] : 0f;
        final int tail = W % (2 * L); // the row's last columns: their masks are shared by every row
        final var m0 = S.indexInRange(0, tail);
        final var m1 = S.indexInRange(L, tail);
        final var mE = S.indexInRange(0, (tail + 1) / 2);
        final var mO = S.indexInRange(0, tail / 2);
        for (int r = 0; r < H; r++) {
            long row = src + (long) r * W;
            int d = (r >> 1) * OW, de = ((r & 1) == 0 ? ee : oe) + d, dO = ((r & 1) == 0 ? eo : oo) + d;
            int x = 0;
            if (!pro) {
                for (; x <= W - 2 * L; x += 2 * L) {
                    FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO), v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO);
                    v0.rearrange(EVEN, v1).intoArray(buf, de + x / 2);
                    v0.rearrange(ODD, v1).intoArray(buf, dO + x / 2);
                }
            } else {
                for (; x <= W - 2 * L; x += 2 * L) {
                    FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO).fma(pa, pb).max(0f);
                    FloatVector v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO).fma(pa, pb).max(0f);
                    v0.rearrange(EVEN, v1).intoArray(buf, de + x / 2);
                    v0.rearrange(ODD, v1).intoArray(buf, dO + x / 2);
                }
            }
            if (x < W) { // the last < 2L columns: masked loads, exact-length masked stores (the zero column must stay)
                FloatVector v0 = FloatVector.fromMemorySegment(S, inM, (row + x) << 2, Vec.BO, m0);
                FloatVector v1 = FloatVector.fromMemorySegment(S, inM, (row + x + L) << 2, Vec.BO, m1);
                if (pro) { v0 = v0.fma(pa, pb).max(0f); v1 = v1.fma(pa, pb).max(0f); }
                v0.rearrange(EVEN, v1).intoArray(buf, de + x / 2, mE);
                v0.rearrange(ODD, v1).intoArray(buf, dO + x / 2, mO);
            }
        }
        int wb = c * 9;
        FloatVector w0 = FloatVector.broadcast(S, w[wb]), w1 = FloatVector.broadcast(S, w[wb + 1]), w2 = FloatVector.broadcast(S, w[wb + 2]),
            w3 = FloatVector.broadcast(S, w[wb + 3]), w4 = FloatVector.broadcast(S, w[wb + 4]), w5 = FloatVector.broadcast(S, w[wb + 5]),
            w6 = FloatVector.broadcast(S, w[wb + 6]), w7 = FloatVector.broadcast(S, w[wb + 7]), w8 = FloatVector.broadcast(S, w[wb + 8]);
        final int[] mL = maskL;
        final int period = mL.length;
        final float lo = this.lo, hi = this.hi, b = bias[c];
        final MemorySegment out = outM, res = resM;
        final long o = n * outBS + (long) c * OHW, rr = res == null ? 0 : n * resBS + (long) c * OHW;
        int q = 0, m = 0;
        for (; q < OHW; q += L, m = m + L == period ? 0 : m + L) {
            // rows 2oy-1 (odd plane, row oy-1), 2oy (even plane, row oy), 2oy+1 (odd plane, row oy)
            FloatVector aL = FloatVector.fromArray(S, buf, oo + q - OW - 1).mul(w0);
            FloatVector aC = FloatVector.fromArray(S, buf, oe + q - OW).mul(w1);
            FloatVector aR = FloatVector.fromArray(S, buf, oo + q - OW).mul(w2);
            aL = FloatVector.fromArray(S, buf, eo + q - 1).fma(w3, aL);
            aC = FloatVector.fromArray(S, buf, ee + q).fma(w4, aC);
            aR = FloatVector.fromArray(S, buf, eo + q).fma(w5, aR);
            aL = FloatVector.fromArray(S, buf, oo + q - 1).fma(w6, aL);
            aC = FloatVector.fromArray(S, buf, oe + q).fma(w7, aC);
            aR = FloatVector.fromArray(S, buf, oo + q).fma(w8, aR);
            FloatVector y = aC.add(aR).add(aL.reinterpretAsInts().and(IntVector.fromArray(IS, mL, m)).reinterpretAsFloats());
            // the last partial vector: through the row buffer and emitRow (masked, residual included); a
            // masked store here, as in depthwise3f, sent this method into a 1-10 ms compile state
            if (q + L > OHW) {
                y.intoArray(rb, 0);
                emitRow(rb, 0, n, c, q, OHW - q);
                break;
            }
            y = y.add(b);
            if (res != null) y = y.add(FloatVector.fromMemorySegment(S, res, (rr + q) << 2, Vec.BO));
            y.max(lo).min(hi).intoMemorySegment(out, (o + q) << 2, Vec.BO);
        }
    }

    private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

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
        int x = Vec.splitEvenOdd(inM, row, W, buf, se, so, Wj - (pd + 1) / 2, sc != null, a, b);
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

    /**
     * Any k, stride and group width (ResNeXt's grouped 3x3): a block of four output channels times two
     * output rows shares each weight broadcast between the rows and each input load between the
     * channels: eight FMA chains in flight, 2 loads + 4 broadcasts per 8 FMAs (one chain per output
     * channel measured 19 GFLOP/s on ResNeXt's 128-channel, 32-group 3x3 at 56x56: FMA-latency bound).
     * Channels past cog repeat the last one and are not stored; an odd last row is computed twice.
     */
    private void general(int n, int g, float[] buf, float[] rb) {
        final int kk = k * k, P = OHW + L, cs = s * plane, wl = cig * kk, last = g * cog + cog - 1;
        final int[] taps = this.taps;
        for (int r0 = 0; r0 < cog; r0 += 4) {
            int c0 = g * cog + r0, w0 = c0 * wl;
            int w1 = Math.min(c0 + 1, last) * wl, w2 = Math.min(c0 + 2, last) * wl, w3 = Math.min(c0 + 3, last) * wl;
            for (int oy = 0; oy < OH; oy += 2) {
                int oy1 = Math.min(oy + 1, OH - 1), d = (oy1 - oy) * s * Wj; // the second row's offset in the input
                // right to left: the first row's overhang past OW lands on the second row's start, which
                // its x0 = 0 vector, stored last, then overwrites (the second row's overhang, the next pair's)
                for (int x0 = (OW - 1) / L * L; x0 >= 0; x0 -= L) {
                    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                    for (int ic = 0; ic < cig; ic++) {
                        int pb = ic * cs + oy * s * Wj + x0, tb = ic * kk;
                        for (int tap = 0; tap < kk; tap++) {
                            int at = pb + taps[tap], t = tb + tap;
                            FloatVector v = FloatVector.fromArray(S, buf, at), u = FloatVector.fromArray(S, buf, at + d);
                            FloatVector q0 = FloatVector.broadcast(S, w[w0 + t]), q1 = FloatVector.broadcast(S, w[w1 + t]);
                            FloatVector q2 = FloatVector.broadcast(S, w[w2 + t]), q3 = FloatVector.broadcast(S, w[w3 + t]);
                            a0 = v.fma(q0, a0); a1 = v.fma(q1, a1); a2 = v.fma(q2, a2); a3 = v.fma(q3, a3);
                            b0 = u.fma(q0, b0); b1 = u.fma(q1, b1); b2 = u.fma(q2, b2); b3 = u.fma(q3, b3);
                        }
                    }
                    int o = oy * OW + x0, o1 = oy1 * OW + x0;
                    a0.intoArray(rb, o); a1.intoArray(rb, P + o); a2.intoArray(rb, 2 * P + o); a3.intoArray(rb, 3 * P + o);
                    b0.intoArray(rb, o1); b1.intoArray(rb, P + o1); b2.intoArray(rb, 2 * P + o1); b3.intoArray(rb, 3 * P + o1);
                }
            }
            for (int j = 0; j < Math.min(4, cog - r0); j++) emitRow(rb, j * P, n, c0 + j, 0, OHW);
        }
    }
}
