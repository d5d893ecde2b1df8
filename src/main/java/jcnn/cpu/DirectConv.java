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
 * <p>Work: one item per (image, run of groups): at most 4 items per thread and image (one item per
 * channel cost more in the pool's shared counter than the work on a 7x7 plane: 960 channels at 7x7
 * ran 2x slower on two threads than on one). For each group the item copies its input planes into per-worker
 * scratch, zero-padded and split by stride phase: sub-plane r holds padded columns s*j + r, so the
 * input of output column ox at tap kx is sub-plane kx%s at column ox + kx/s, a contiguous vector load
 * for any stride (stride 2 becomes even/odd planes). The prologue is applied during that copy (padding
 * stays zero). Then each output row is computed in vectors of 16 columns into a per-worker heap copy
 * of the output plane (rows at stride OW; a vector's lanes past the row end are overwritten by the next
 * row), and one {@link #emitRow} pass over the plane applies the epilogue; depthwise 3x3 instead
 * finishes most rows in registers and stores them straight to the output ({@link #depthwise3}: 32@112
 * 266 -> 206 us, 96 s2 @112 498 -> 442, 144@56 312 -> 272 in mobilenet_v2, three profiles averaged).
 * Depthwise 3x3 hoists its nine
 * broadcast weights out of the pixel loops and runs three independent FMA chains (one per kernel row)
 * to hide the FMA latency. Stride 2 deinterleaves with two-vector shuffles. The
 * padding of the scratch planes is zeroed once per shape ({@link #resize}); each run writes only the
 * interior. No vector crosses a method boundary, so nothing is boxed.
 *
 * <p>Small maps (depthwise 3x3 with output width <= {@link #CV_MAX_OW}): the per-channel work above is
 * mostly fixed cost per plane and row (a 14x14 plane: ~800 cycles a channel), so blocks of L channels
 * are computed with vectors along channels instead ({@link #depthwise3c}): the block's planes are
 * bulk-copied to the heap and gathered pixel by pixel into a zero-padded [y][x][L] buffer (prologue
 * applied), each output pixel is 9 FMAs of whole vectors (per-channel weights, transposed once in the
 * constructor), and the results are scattered back to planes for {@link #emitRow}. One layer, 2 threads,
 * old/new processes alternated: 576 channels 14x14 stride 2 99 -> 46 us, 960 at 7x7 78 -> 46 us, 576 at
 * 14x14 stride 1 96 -> 87 us; at 28x28 no gain (107 vs 111 us), hence the limit. Gathers and scatters
 * are most of what remains (JFR: 23% gather loop, 39% compute + scatter, 12% emitRow).
 *
 * <p>Threads: items are claimed from the {@link CpuPool}; a worker owns its scratch planes and row.
 */
final class DirectConv extends CpuConv {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;

    private final float[] w; // original [outC][cig][k][k]
    private final int k, s, pd;
    private int Hp, Wj, plane, chunks; // chunks: items per image
    private float[][] bufs, rows;
    private int[] taps; // per tap of the kernel window: its offset in the padded, stride-split input
    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN = Vec.EVEN, ODD = Vec.ODD;
    /** Depthwise 3x3 with output width up to this runs channel-vectorised (measured: see the class comment). */
    static final int CV_MAX_OW = 14;
    private final float[] wc;           // channel-vector weights [block][tap][L], depthwise 3x3 only
    private boolean cv;                 // this shape runs depthwise3c
    private int Wp;                     // depthwise3c: padded width of the [y][x][L] buffer
    private int[] gatherIn, scatterOut; // lane c reads plane c of the block: offsets c*HW and c*OHW
    private float[][] planes, pix;      // per worker: the block's input planes; the padded [y][x][L] input

    DirectConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        super(op, weight, bias, inScale, inShift, pool);
        w = weight.toArray();
        k = op.kernel();
        s = op.stride();
        pd = op.pad();
        boolean dw3 = k == 3 && cig == 1 && cog == 1;
        wc = dw3 ? new float[op.groups() / L * 9 * L] : null;
        if (dw3)
            for (int c = 0; c < op.groups() / L * L; c++)
                for (int t = 0; t < 9; t++) wc[(c / L * 9 + t) * L + c % L] = w[c * 9 + t];
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
        cv = wc != null && OW <= CV_MAX_OW && op.groups() >= L;
        // four output planes for general(), rows at stride OW; or a block's L planes for depthwise3c
        rows = new float[pool.size()][cv ? Math.max(4 * (OHW + L), L * OHW + L) : 4 * (OHW + L)];
        chunks = Math.min(op.groups(), 4 * pool.size());
        if (cv) {
            Wp = Math.max(W + 2 * pd, (OW - 1) * s + 3);
            int Hq = Math.max(H + 2 * pd, (OH - 1) * s + 3);
            gatherIn = new int[L];
            scatterOut = new int[L];
            for (int c = 0; c < L; c++) { gatherIn[c] = c * HW; scatterOut[c] = c * OHW; }
            planes = new float[pool.size()][L * HW];
            pix = new float[pool.size()][Hq * Wp * L]; // the border stays zero; runs write the interior
            chunks = Math.min((op.groups() + L - 1) / L, 4 * pool.size()); // items are runs of whole blocks
        }
    }

    @Override int items() { return N * chunks; }

    @Override
    public void run(int item, int worker) {
        int n = item / chunks, c = item % chunks, groups = op.groups();
        float[] buf = bufs[worker], rb = rows[worker];
        int g = c * groups / chunks, g1 = (c + 1) * groups / chunks;
        if (cv) { // whole blocks of L channels, then the last item's leftover channels one by one
            int blocks = (groups + L - 1) / L;
            g = c * blocks / chunks * L;
            g1 = Math.min(groups, (c + 1) * blocks / chunks * L);
            for (; g + L <= g1; g += L) depthwise3c(n, g, planes[worker], pix[worker], rb);
        }
        for (; g < g1; g++) {
            fill(n, g, buf);
            if (k == 3 && cig == 1 && cog == 1) depthwise3(n, g, buf, rb);
            else general(n, g, buf, rb);
        }
    }

    /**
     * Depthwise 3x3, channels c0 .. c0+L-1 at once, lanes = channels. in[c][y][x] is gathered into
     * pix[(y+pd)*Wp + x+pd][c] (prologue applied), out pixel (oy, ox) is the sum over taps of
     * pix[(oy*s+ky)*Wp + ox*s+kx] * wc[tap] (three chains, one per kernel row), scattered to rb[c*OHW + p].
     */
    private void depthwise3c(int n, int c0, float[] src, float[] px, float[] rb) {
        MemorySegment.copy(inM, Vec.F, (n * inBS + (long) c0 * HW) << 2, src, 0, L * HW);
        final int[] gi = gatherIn, so = scatterOut;
        final int Wp = this.Wp, pd = this.pd, s = this.s, W = this.W, H = this.H, OW = this.OW, OH = this.OH;
        if (sc == null) {
            for (int y = 0; y < H; y++)
                for (int x = 0, d = ((y + pd) * Wp + pd) * L; x < W; x++, d += L)
                    FloatVector.fromArray(S, src, y * W + x, gi, 0).intoArray(px, d);
        } else {
            FloatVector a = FloatVector.fromArray(S, sc, c0), b = FloatVector.fromArray(S, sh, c0);
            for (int y = 0; y < H; y++)
                for (int x = 0, d = ((y + pd) * Wp + pd) * L; x < W; x++, d += L)
                    FloatVector.fromArray(S, src, y * W + x, gi, 0).fma(a, b).max(0f).intoArray(px, d);
        }
        int wb = c0 / L * 9 * L;
        FloatVector w0 = FloatVector.fromArray(S, wc, wb), w1 = FloatVector.fromArray(S, wc, wb + L), w2 = FloatVector.fromArray(S, wc, wb + 2 * L),
            w3 = FloatVector.fromArray(S, wc, wb + 3 * L), w4 = FloatVector.fromArray(S, wc, wb + 4 * L), w5 = FloatVector.fromArray(S, wc, wb + 5 * L),
            w6 = FloatVector.fromArray(S, wc, wb + 6 * L), w7 = FloatVector.fromArray(S, wc, wb + 7 * L), w8 = FloatVector.fromArray(S, wc, wb + 8 * L);
        final int row = Wp * L, step = s * L;
        for (int oy = 0, p = 0; oy < OH; oy++) {
            for (int ox = 0, r0 = oy * s * row; ox < OW; ox++, p++, r0 += step) {
                int r1 = r0 + row, r2 = r1 + row;
                FloatVector a0 = FloatVector.fromArray(S, px, r0).mul(w0);
                FloatVector a1 = FloatVector.fromArray(S, px, r1).mul(w3);
                FloatVector a2 = FloatVector.fromArray(S, px, r2).mul(w6);
                a0 = FloatVector.fromArray(S, px, r0 + L).fma(w1, a0);
                a1 = FloatVector.fromArray(S, px, r1 + L).fma(w4, a1);
                a2 = FloatVector.fromArray(S, px, r2 + L).fma(w7, a2);
                a0 = FloatVector.fromArray(S, px, r0 + 2 * L).fma(w2, a0);
                a1 = FloatVector.fromArray(S, px, r1 + 2 * L).fma(w5, a1);
                a2 = FloatVector.fromArray(S, px, r2 + 2 * L).fma(w8, a2);
                a0.add(a1).add(a2).intoArray(rb, p, so, 0);
            }
        }
        for (int c = 0; c < L; c++) emitRow(rb, c * OHW, n, c0 + c, 0, OHW);
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
     * Rows whose vectors end inside the plane are finished in registers (bias, clamp) and stored straight
     * to the output: a vector's lanes past the row end land on the next row, which is written after
     * it. The rest (the last row or two, and every row when there is a residual) go through the row
     * buffer and {@link #emitRow}, which stays inside the plane.
     */
    private void depthwise3(int n, int c, float[] buf, float[] rb) {
        int wb = c * 9;
        FloatVector w0 = FloatVector.broadcast(S, w[wb]), w1 = FloatVector.broadcast(S, w[wb + 1]), w2 = FloatVector.broadcast(S, w[wb + 2]),
            w3 = FloatVector.broadcast(S, w[wb + 3]), w4 = FloatVector.broadcast(S, w[wb + 4]), w5 = FloatVector.broadcast(S, w[wb + 5]),
            w6 = FloatVector.broadcast(S, w[wb + 6]), w7 = FloatVector.broadcast(S, w[wb + 7]), w8 = FloatVector.broadcast(S, w[wb + 8]);
        final MemorySegment out = outM;
        final float lo = this.lo, hi = this.hi, b = bias[c];
        final long o = (n * outBS + (long) c * OHW) << 2;
        final int direct = resM != null ? 0 : Math.max(0, Math.min(OH, (OHW - Vec.roundUp(OW, L)) / OW + 1));
        // tap kx reads sub-plane kx%s at column offset kx/s
        int o0 = 0, o1 = (1 % s) * plane + 1 / s, o2 = (2 % s) * plane + 2 / s;
        for (int oy = 0; oy < OH; oy++) {
            int r0 = oy * s * Wj, r1 = r0 + Wj, r2 = r1 + Wj;
            boolean toOut = oy < direct;
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
                a0 = a0.add(a1).add(a2);
                if (toOut) a0.add(b).max(lo).min(hi).intoMemorySegment(out, o + 4L * (oy * OW + x0), Vec.BO);
                else a0.intoArray(rb, oy * OW + x0); // lanes past OW are overwritten by the next row
            }
        }
        if (direct < OH) emitRow(rb, direct * OW, n, c, direct * OW, OHW - direct * OW);
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
