package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * Conv as GEMM, NCHW throughout: per (image, group) {@code out[cog][OHW] = W[cog][K] x B[K][OHW]} with
 * K = Cin/groups*k*k. Pixels are the contiguous, vectorised dimension, so NCHW needs no blocked layout.
 *
 * <p>Layout: weights are packed once (constructor) as [group][rowBlock][K][8] (the last block of a
 * group [K][4]; rows padded with zeros to a multiple of 4). Per item the B tile of {@code nc} pixels is
 * packed into per-worker scratch as strips of NR = 32 pixels, [strip][K + 1][32] (the spare row takes
 * the overhang of im2col's whole-vector stores), so the micro-kernel reads B contiguously: a vector copy
 * for 1x1 stride 1; for k x k stride 2, vector loads from a zero-padded, stride-deinterleaved copy
 * of the tile's input rows ({@link #im2colPadded}); an element gather otherwise. The input prologue is
 * applied here, once per element. k x k stride 1 has no panel: tiles are whole output rows, their
 * input rows are copied zero-padded once, and the micro-kernel reads each K row of B in place at a
 * shifted offset ({@link #runTaps}; DenseNet's 128->32 3x3, one layer, 2 threads: 28x28 547 -> 325 us,
 * 7x7 133 -> 38 us; densenet121 61 -> 44-51 ms).
 *
 * <p>Work and threads: items = images x groups x pixel tiles x output-row ranges, claimed from the
 * {@link CpuPool} (rows are split only when there are too few tiles to feed every thread; the tile
 * count is rounded to a multiple of the threads so they finish together). Within an item, for every
 * row block, every strip of the tile's panel (kept in L2) runs the 8x32 (or 4x32) micro-kernel: 16 accumulators in
 * registers over the whole K; a whole tile without a residual gets bias + activation on them and is
 * stored straight to the output ({@link #micro8}), otherwise they go into a 1 KB per-worker tile and
 * {@link #emit8} (a whole tile) or {@link #emitRow} (edges) applies bias + residual + activation into the output. No vector crosses a method boundary (no boxing).
 *
 * <p>1x1 convs on 7x7 and 14x14 maps, and k x k stride 1 convs, with K >= 256 and output channels a
 * multiple of 32 run with the output channels along the vectors instead ({@link #runCv}): pixels along the vectors waste a quarter
 * of a 7x7 map's lanes (49 pixels in 64) and an eighth of a 14x14 one's.
 */
final class GemmConv extends CpuConv {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L, NR = 2 * Vec.L;
    /** K chunk of the K-blocked path: 256 x 32 floats of a strip (32 KB) fit L1 (48 KB here). */
    static final int KC = 256;
    private final boolean kBlocked; // K > KC and cog <= 128: the K-blocked loop order in run()
    private final boolean taps;     // k x k stride 1: B read in place from the padded rows ({@link #runTaps}), no im2col
    private final int[] offs;       // taps only: per K row (ic, ky, kx), its offset in the padded rows at q = 0
    private int tr;                 // taps only: output rows per tile

    private final int K, SS, cogP, nBlocks; // SS: a strip's stride in the panel, K rows + one spare row
    private final float[] pw;       // [group][rowBlock][K][8 or 4]
    private float[][] panels;       // per worker [nc/NR][K][NR]
    private float[][] tiles;        // per worker [8][NR]
    private float[][] cbufs;        // per worker, K > KC only: a strip's partial sums, [block][8][NR]
    private float[][] rowBufs;      // per worker: the input rows a tile needs, zero-padded, stride-deinterleaved
    private int nc, nPC, coSplit, rowsIn, Wj;
    // channel-vector path (cv): 1x1 on small maps and k x k stride 1, output channels along the vectors (see runCv)
    private static final int CP = 7; // pixels per cv tile: 49 and 196 are whole tiles
    private boolean cv;
    private float[] wcv;            // [outC/32][K][32]
    private float[][] xin;          // per worker: the input images, copied once per run
    private long[] xEpoch;          // per worker: the run whose input xin holds
    private long epoch;
    private int cvGroups;           // items per block of 32 output channels, each a run of tiles (see resize)
    private int[] cvOff;            // per K row (ic, ky, kx): its offset in an image of xin at tile offset 0
    private int cvImg, cvWp, cvOw, cvTpr, cvTiles; // xin floats per image, its row pitch; output row width, tiles per row, tiles per image

    GemmConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        super(op, weight, bias, inScale, inShift, pool);
        K = cig * op.kernel() * op.kernel();
        SS = (K + 1) * NR;
        kBlocked = K > KC && cog <= 128;
        taps = op.kernel() > 1 && op.stride() == 1;
        offs = taps ? new int[K] : null;
        cogP = Vec.roundUp(cog, 4);
        nBlocks = (cogP + 7) / 8;
        float[] w = weight.toArray();
        pw = new float[op.groups() * cogP * K];
        for (int g = 0; g < op.groups(); g++)
            for (int r0 = 0; r0 < cogP; r0 += 8) {
                int m = Math.min(8, cogP - r0);
                int base = g * cogP * K + r0 * K;
                for (int kk = 0; kk < K; kk++)
                    for (int i = 0; i < m; i++)
                        if (r0 + i < cog) pw[base + kk * m + i] = w[(g * cog + r0 + i) * K + kk];
            }
    }

    @Override
    void resize() {
        int T = pool.size();
        int ncMax = kBlocked ? 256 : Math.max(NR, Math.min(1024, 65536 / K / NR * NR)); // B tile <= 256 KB (L2) unless K-blocked (the panel is used once, strip by strip; wider tiles read longer runs of each input row)
        nPC = (OHW + ncMax - 1) / ncMax;
        int base = N * op.groups();
        if (base * nPC < 4 * T) nPC = Math.min(Vec.roundUp(nPC, T), Math.max(1, OHW / NR)); // even shares
        nc = Vec.roundUp((OHW + nPC - 1) / nPC, NR);
        nPC = (OHW + nc - 1) / nc;
        if (taps) { // tiles of whole output rows, about as many as the pixel tiles above
            tr = (OH + nPC - 1) / nPC;
            nPC = (OH + tr - 1) / tr;
        }
        int items = base * nPC, want = 2 * T;
        coSplit = items >= want || items % T == 0 && items >= T ? 1 : Math.min(nBlocks, (want + items - 1) / items);
        if (panels == null || panels.length != T || panels[0].length < SS * (nc / NR)) panels = new float[T][SS * (nc / NR)];
        if (padded()) {
            int s = op.stride(), rowsOut = Math.min(OH, (nc + OW - 1) / OW + 1);
            rowsIn = (taps ? tr - 1 : rowsOut - 1) * s + op.kernel();
            Wj = (W + 2 * op.pad() + s - 1) / s;
            int size = cig * rowsIn * s * Wj + 2 * NR + op.kernel(); // taps: a strip's last loads run up to NR + k past the rows
            if (taps)
                for (int ic = 0, kk = 0; ic < cig; ic++)
                    for (int ky = 0; ky < op.kernel(); ky++)
                        for (int kx = 0; kx < op.kernel(); kx++) offs[kk++] = (ic * rowsIn + ky) * Wj + kx;
            if (rowBufs == null || rowBufs.length != T || rowBufs[0].length < size) rowBufs = new float[T][size];
            else for (float[] b : rowBufs) java.util.Arrays.fill(b, 0f); // the padding columns must be zero; runs write only the interior
        }
        if (tiles == null || tiles.length != T) tiles = new float[T][8 * NR];
        int k = op.kernel(), pd = op.pad();
        cv = L == 16 && op.stride() == 1 && op.groups() == 1 && op.outC() % 32 == 0 && K >= CV_MIN_K
            && (k > 1 ? (long) N * cig * (H + 2 * pd) * (W + 2 * pd) <= CV_MAX_COPY : pd == 0 && OHW % CP == 0 && OHW <= CV_MAX_HW);
        if (cv) {
            // xin holds each image zero-padded, [ic][H + 2p][W + 2p]; a 1x1 map is one row of OHW pixels (tiles
            // run across its rows), a k x k map's tiles stay within an output row (the last one may be short)
            int hp = H + 2 * pd;
            cvWp = k == 1 ? HW : W + 2 * pd;
            cvOw = k == 1 ? OHW : OW;
            cvTpr = (cvOw + CP - 1) / CP;
            cvTiles = k == 1 ? cvTpr : OH * cvTpr;
            cvImg = cig * (k == 1 ? 1 : hp) * cvWp;
            cvOff = new int[K];
            for (int ic = 0, kk = 0; ic < cig; ic++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++) cvOff[kk++] = ic * (k == 1 ? HW : hp * cvWp) + ky * cvWp + kx;
            if (wcv == null) { // from the packed [rowBlock][K][8] weights (outC % 32 == 0: whole blocks of 8)
                wcv = new float[op.outC() * K];
                for (int o = 0; o < op.outC(); o++)
                    for (int kk = 0; kk < K; kk++) wcv[(o / 32 * K + kk) * 32 + o % 32] = pw[(o / 8 * K + kk) * 8 + o % 8];
            }
            // items: about 16 per thread, each a run of tiles of one block of 32 channels (past CV_SHARED_MAX
            // weight bytes, which come from memory in a network, one item per block, so that each block's
            // weights are read by one worker). One tile per item had both workers writing neighbouring
            // tiles, the same output cache lines: 32->64 3x3 @55, 2 threads, 1281 -> 645 us; 1x1 neutral
            // to 4% faster in the fast state, 9-20% in the slow one (320->1280 @7 354 -> 282 us)
            cvGroups = 4L * K * op.outC() > CV_SHARED_MAX ? 1 : Math.min(cvTiles, 16 * T / (op.outC() / 32) + 1);
            // the per-worker copy, for k x k (zero-padded) or a prologue; 1x1 without one reads the input in place
            xin = k == 1 && sc == null ? null : new float[T][N * cvImg + CP]; // a row's short last tile reads up to CP - 1 past the last row
            xEpoch = new long[T];
            java.util.Arrays.fill(xEpoch, -1);
        }
        if (kBlocked && (cbufs == null || cbufs.length != T)) cbufs = new float[T][nBlocks * 8 * NR];
    }

    @Override int items() { return cv ? N * (op.outC() / 32) * cvGroups : N * op.groups() * nPC * coSplit; }

    @Override void beforeRun() { epoch++; }

    @Override
    public void run(int item, int worker) {
        if (cv) {
            runCv(item, worker);
            return;
        }
        int cs = item % coSplit, t = item / coSplit;
        int pc = t % nPC;
        t /= nPC;
        int g = t % op.groups(), n = t / op.groups();
        if (taps) {
            runTaps(n, g, pc, cs, worker);
            return;
        }
        int p0 = pc * nc, np = Math.min(nc, OHW - p0), strips = (np + NR - 1) / NR;
        float[] pan = panels[worker], ct = tiles[worker];
        pack(n, g, p0, np, strips * NR, pan, worker);
        int b0 = cs * nBlocks / coSplit, b1 = (cs + 1) * nBlocks / coSplit;
        // weight blocks outer, strips inner: each output row is written in runs of the tile's width (8
        // write streams, not one per output channel), each weight block is read once per tile, and the
        // tile's panel (<= 256 KB) stays in L2. Strips outer measured the same on 256->1024 @56 and
        // 15-40% slower on 16->96 @112 (one process per variant, alternated).
        if (!kBlocked) {
            for (int blk = b0; blk < b1; blk++)
                for (int st = 0; st < strips; st++) tile(pan, ct, n, g, p0, np, st, blk);
            return;
        }
        // K > KC, few output rows: a strip's K x 32 panel no longer fits L1 (1x1 layers of the same FLOPs
        // on one thread: K=256 106 GFLOP/s, K=512 79, K=1024 46). So strips outer, K in chunks of KC,
        // weight blocks inner: the chunk of the strip (32 KB) stays in L1 across all the blocks; each
        // block's partial sums collect in the per-worker C buffer, emitted once the strip's K is done.
        // 1024->32 at 28x28, 2 threads: 601 -> 447 us. With many rows the blocks' weight chunks stream
        // from L2 once per strip instead: squeezenet's 512->1000 classifier went 0.98 -> 1.07 ms, hence
        // the limit on rows (see kBlocked).
        float[] cb = cbufs[worker];
        for (int st = 0; st < strips; st++) {
            for (int k0 = 0; k0 < K; k0 += KC) {
                int kn = Math.min(KC, K - k0);
                for (int blk = b0; blk < b1; blk++) {
                    int r0 = blk * 8, m = Math.min(8, cogP - r0), co = (blk - b0) * 8 * NR;
                    int wo = (g * cogP + r0) * K + k0 * m, bo = st * SS + k0 * NR;
                    if (m == 8) micro8(pan, bo, wo, ct, kn, -1, 0);
                    else micro4(pan, bo, wo, ct, kn);
                    accumulate(ct, cb, co, m * NR, k0 == 0);
                }
            }
            int p = p0 + st * NR, len = Math.min(NR, np - st * NR);
            for (int blk = b0; blk < b1; blk++) epilogue(cb, (blk - b0) * 8 * NR, n, g, blk, p, len);
        }
    }

    /**
     * The channel-vector path: up to this many output pixels (7x7 and 14x14 maps), and K from CV_MIN_K
     * (its epilogue costs per output element what K steps amortise). One layer, 2 threads, AMD EPYC,
     * in-process old/new: 960->160 @7 115-121 -> 76-77 us, 960->320 @7 203-209 -> 145-148, 1024->1024 @7
     * 620-642 -> 483-486, 512->512 @14 601-644 -> 518-522, 576->96 @14 140-143 -> 119, 320->1280 @7
     * 248-268 -> 220-223; K = 160 neutral (160->960 @7 100-117 vs 98-104), K = 96 slower (96->576 @14
     * 142 -> 186-189).
     */
    static final int CV_MAX_HW = 196, CV_MIN_K = 256;
    /**
     * k x k stride 1 takes the channel-vector path on any map whose zero-padded input (each worker's
     * copy) is at most this many floats: per-tile lanes are whole (no padding columns, no rounding of a
     * plane to strips of 32). One layer, 2 threads, in-process old/new: 64->256 @13 373 -> 277 us,
     * 48->192 @13 213 -> 164, DenseNet's 128->32 @7 36 -> 24, @14 98 -> 77, @28 334 -> 292, @56
     * 1281-1410 -> 1137-1173; 32->128 @27 339 -> 321; 32->64 @55 656 -> 645.
     */
    static final long CV_MAX_COPY = 1L << 20;
    static final long CV_SHARED_MAX = 2L << 20;

    /**
     * Output channels along the vectors: a tile is CP = 7 pixels x 32 output channels, 14 accumulators;
     * per K step two weight vectors ({@link #wcv}, packed once) and seven broadcast input values. Pixels
     * are not padded to a vector (a 7x7 plane is 49 lanes of work, not 64); the price is a transposing
     * epilogue, element by element. A 1x1 without a prologue reads the input in place
     * ({@link #microCvSeg}); otherwise each worker copies the input once per run to the heap, prologue
     * applied, zero-padded for k x k ({@link #copyPadded}), so that K row (ic, ky, kx) of a tile is 7
     * consecutive floats at a fixed offset ({@link #microCv}). 1x1 tiles run across the rows of the map;
     * k x k tiles stay within an output row, the last one of a row short (13 = 7 + 6).
     */
    private void runCv(int item, int worker) {
        int nt = cvTiles, blocks = op.outC() / 32, tg = cvGroups;
        int gi = item % tg, cb = (item / tg) % blocks, n = item / tg / blocks;
        float[] ct = tiles[worker];
        if (xin == null) { // 1x1 without a prologue: in place
            for (int t = gi * nt / tg, t1 = (gi + 1) * nt / tg; t < t1; t++) {
                microCvSeg(inM, n * inBS + t * CP, cb * K * 32, ct);
                emitCv(ct, n, cb * 32, t * CP, CP);
            }
            return;
        }
        float[] x = xin[worker];
        if (xEpoch[worker] != epoch) {
            copyPadded(x);
            xEpoch[worker] = epoch;
        }
        for (int t = gi * nt / tg, t1 = (gi + 1) * nt / tg; t < t1; t++) {
            int oy = t / cvTpr, ox = (t - oy * cvTpr) * CP;
            microCv(x, n * cvImg + oy * cvWp + ox, cb * K * 32, ct);
            emitCv(ct, n, cb * 32, oy * OW + ox, Math.min(CP, cvOw - ox));
        }
    }

    /** The input images into x, [n][ic][H + 2p][W + 2p] (the border stays as resize zeroed it), prologue applied. */
    private void copyPadded(float[] x) {
        int pd = op.pad(), hp = H + 2 * pd, wp = W + 2 * pd;
        for (int i = 0; i < N; i++) {
            long src = i * inBS;
            int base = i * cvImg;
            if (pd == 0) { // the planes are contiguous: one copy (a 1x1 map is laid out this way)
                MemorySegment.copy(inM, Vec.F, src << 2, x, base, cig * HW);
                if (sc != null) for (int c = 0; c < cig; c++) Vec.prologue(x, base + c * HW, HW, sc[c], sh[c]); // DenseNet's BN-ReLU
                continue;
            }
            for (int c = 0; c < cig; c++)
                for (int y = 0; y < H; y++) { // row by row into the interior; the padding stays zero (after the activation too)
                    int d = base + (c * hp + y + pd) * wp + pd;
                    MemorySegment.copy(inM, Vec.F, (src + (long) c * HW + y * W) << 2, x, d, W);
                    if (sc != null) Vec.prologue(x, d, W, sc[c], sh[c]);
                }
        }
    }

    /** The transposing epilogue of a channel-vector tile: ct[j*32 + c] to out[c0 + c][p0 + j] for j < len, bias, residual, clamp. */
    private void emitCv(float[] ct, int n, int c0, int p0, int len) {
        final MemorySegment o = outM, res = resM;
        final float lo = this.lo, hi = this.hi;
        for (int c = 0; c < 32; c++) {
            float b = bias[c0 + c];
            long at = n * outBS + (long) (c0 + c) * OHW + p0, ra = res == null ? 0 : n * resBS + (long) (c0 + c) * OHW + p0;
            // the constant bound lets C2 unroll the whole tile (a bound of len measured 5% slower on 512->512 @14)
            if (len == CP) for (int j = 0; j < CP; j++) o.setAtIndex(Vec.F, at + j, cvOut(ct[j * 32 + c] + b, res, ra + j, lo, hi));
            else for (int j = 0; j < len; j++) o.setAtIndex(Vec.F, at + j, cvOut(ct[j * 32 + c] + b, res, ra + j, lo, hi));
        }
    }

    private static float cvOut(float v, MemorySegment res, long ri, float lo, float hi) {
        if (res != null) v += res.getAtIndex(Vec.F, ri);
        return Math.min(hi, Math.max(lo, v));
    }

    /**
     * CP = 7 pixels times 32 channels of wcv[wo..] into ct[j*32 + c]: K row kk of the tile reads
     * x[xo + cvOff[kk] + j] (the per-worker copy: [ic][row][col], zero-padded for k x k).
     * {@link #micro8}'s register pattern with the roles swapped (weights are the vector operand, input
     * pixels the broadcasts); its own kernel because the broadcast offsets and the row count (7) differ.
     */
    private void microCv(float[] x, int xo, int wo, float[] ct) {
        FloatVector a0 = FloatVector.zero(S), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0, a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0;
        final float[] w = wcv;
        final int[] off = cvOff;
        for (int k = 0, wb = wo; k < K; k++, wb += 32) {
            int xb = xo + off[k];
            FloatVector u = FloatVector.fromArray(S, w, wb), v = FloatVector.fromArray(S, w, wb + L);
            FloatVector q = FloatVector.broadcast(S, x[xb]);
            a0 = u.fma(q, a0); b0 = v.fma(q, b0);
            q = FloatVector.broadcast(S, x[xb + 1]);
            a1 = u.fma(q, a1); b1 = v.fma(q, b1);
            q = FloatVector.broadcast(S, x[xb + 2]);
            a2 = u.fma(q, a2); b2 = v.fma(q, b2);
            q = FloatVector.broadcast(S, x[xb + 3]);
            a3 = u.fma(q, a3); b3 = v.fma(q, b3);
            q = FloatVector.broadcast(S, x[xb + 4]);
            a4 = u.fma(q, a4); b4 = v.fma(q, b4);
            q = FloatVector.broadcast(S, x[xb + 5]);
            a5 = u.fma(q, a5); b5 = v.fma(q, b5);
            q = FloatVector.broadcast(S, x[xb + 6]);
            a6 = u.fma(q, a6); b6 = v.fma(q, b6);
        }
        a0.intoArray(ct, 0); b0.intoArray(ct, L);
        a1.intoArray(ct, 32); b1.intoArray(ct, 32 + L);
        a2.intoArray(ct, 64); b2.intoArray(ct, 64 + L);
        a3.intoArray(ct, 96); b3.intoArray(ct, 96 + L);
        a4.intoArray(ct, 128); b4.intoArray(ct, 128 + L);
        a5.intoArray(ct, 160); b5.intoArray(ct, 160 + L);
        a6.intoArray(ct, 192); b6.intoArray(ct, 192 + L);
    }

    /**
     * {@link #microCv} for 1x1 without a prologue: the broadcasts come straight from the input segment (K
     * row k of the tile at xo + k*HW; C2 hoists the checks of these linear indices), so nothing is copied.
     * One layer, 2 threads, in-process, against the per-worker copy: 384->64 @14 58 -> 52 us, 576->96 @14
     * 118 -> 108, 960->160 @7 77 -> 75, 960->320 @7 and 320->1280 @7 unchanged.
     */
    private void microCvSeg(MemorySegment x, long xo, int wo, float[] ct) {
        FloatVector a0 = FloatVector.zero(S), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0, a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0;
        final float[] w = wcv;
        final long HW = this.HW;
        long xb = xo;
        for (int k = 0, wb = wo; k < K; k++, xb += HW, wb += 32) {
            FloatVector u = FloatVector.fromArray(S, w, wb), v = FloatVector.fromArray(S, w, wb + L);
            FloatVector q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb));
            a0 = u.fma(q, a0); b0 = v.fma(q, b0);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 1));
            a1 = u.fma(q, a1); b1 = v.fma(q, b1);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 2));
            a2 = u.fma(q, a2); b2 = v.fma(q, b2);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 3));
            a3 = u.fma(q, a3); b3 = v.fma(q, b3);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 4));
            a4 = u.fma(q, a4); b4 = v.fma(q, b4);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 5));
            a5 = u.fma(q, a5); b5 = v.fma(q, b5);
            q = FloatVector.broadcast(S, x.getAtIndex(Vec.F, xb + 6));
            a6 = u.fma(q, a6); b6 = v.fma(q, b6);
        }
        a0.intoArray(ct, 0); b0.intoArray(ct, L);
        a1.intoArray(ct, 32); b1.intoArray(ct, 32 + L);
        a2.intoArray(ct, 64); b2.intoArray(ct, 64 + L);
        a3.intoArray(ct, 96); b3.intoArray(ct, 96 + L);
        a4.intoArray(ct, 128); b4.intoArray(ct, 128 + L);
        a5.intoArray(ct, 160); b5.intoArray(ct, 160 + L);
        a6.intoArray(ct, 192); b6.intoArray(ct, 192 + L);
    }

    /** The K-blocked partial sums: the first K chunk's tile (n floats of ct) is copied to cb at co, later chunks' are added. */
    private static void accumulate(float[] ct, float[] cb, int co, int n, boolean first) {
        if (first) System.arraycopy(ct, 0, cb, co, n);
        else for (int i = 0; i < n; i += L) FloatVector.fromArray(S, cb, co + i).add(FloatVector.fromArray(S, ct, i)).intoArray(cb, co + i);
    }

    /** Bias, residual and activation of block blk's rows x len pixels from p, read from ct at co: {@link #emit8} for a whole tile, else row by row. */
    private void epilogue(float[] ct, int co, int n, int g, int blk, int p, int len) {
        int r0 = blk * 8, rows = Math.min(Math.min(8, cogP - r0), cog - r0), oc0 = g * cog + r0;
        if (rows == 8 && len == NR) emit8(ct, co, n, oc0, p);
        else for (int r = 0; r < rows; r++) emitRow(ct, co + r * NR, n, oc0 + r, p, len);
    }

    /**
     * k x k stride 1 without im2col: the tile's input rows are copied once, zero-padded, into rowBufs
     * ([ic][row][Wj], {@link #fillRows}); in "padded-width" coordinates q = qy * Wj + qx (qy the tile's
     * output row, qx its column, up to Wj), K row (ic, ky, kx) of B is buf[offs[kk] + q]: contiguous in q,
     * so the micro-kernel reads strips of 32 q's in place ({@link #micro8t}). Columns qx >= OW are computed
     * and dropped ({@link #emitQ}): (k-1)/Wj of the work, where im2col wrote K x pixels floats per tile
     * (DenseNet's 128->32 3x3: K = 1152 rows of copies for 32 rows of output).
     */
    private void runTaps(int n, int g, int pc, int cs, int worker) {
        int oyA = pc * tr, ro = Math.min(tr, OH - oyA), qn = (ro - 1) * Wj + OW, strips = (qn + NR - 1) / NR;
        float[] buf = rowBufs[worker], ct = tiles[worker];
        fillRows(n * inBS, g, oyA * OW, ro * OW, buf);
        int b0 = cs * nBlocks / coSplit, b1 = (cs + 1) * nBlocks / coSplit;
        if (!kBlocked) {
            for (int blk = b0; blk < b1; blk++)
                for (int st = 0; st < strips; st++) {
                    microT(buf, st * NR, 0, g, blk, ct, K);
                    emitQ(ct, 0, n, g, blk, oyA, st * NR, qn);
                }
            return;
        }
        float[] cb = cbufs[worker]; // K-blocked as in run()
        for (int st = 0; st < strips; st++) {
            for (int k0 = 0; k0 < K; k0 += KC) {
                int kn = Math.min(KC, K - k0);
                for (int blk = b0; blk < b1; blk++) {
                    int m = Math.min(8, cogP - blk * 8), co = (blk - b0) * 8 * NR;
                    microT(buf, st * NR, k0, g, blk, ct, kn);
                    accumulate(ct, cb, co, m * NR, k0 == 0);
                }
            }
            for (int blk = b0; blk < b1; blk++) emitQ(cb, (blk - b0) * 8 * NR, n, g, blk, oyA, st * NR, qn);
        }
    }

    /** The tap micro-kernel for block blk, K rows k0 .. k0+kn, q's q0 .. q0+31. */
    private void microT(float[] buf, int q0, int k0, int g, int blk, float[] ct, int kn) {
        int r0 = blk * 8, m = Math.min(8, cogP - r0), wo = (g * cogP + r0) * K + k0 * m;
        if (m == 8) micro8t(buf, q0, k0, wo, ct, kn);
        else micro4t(buf, q0, k0, wo, ct, kn);
    }

    /**
     * The epilogue of a tap strip: q's q0 .. q0+31 (before qn) with qx < OW into the output. When rows
     * are at least a vector wide (Wj, OW >= L) a vector of q's holds at most two output runs: lanes
     * [0, a) end row qy, lanes [b, e) start row qy+1 (b = Wj - qx, past the k-1 padding columns); each
     * is one masked store of the whole vector, at the run's first pixel minus its first lane. Per row
     * run {@link #emitRow} (a call, a loop and a masked tail) had cost squeezenet's 16->64 3x3 at 55x55
     * about as much as its K = 144 micro-kernel.
     */
    private void emitQ(float[] ct, int co, int n, int g, int blk, int oyA, int q0, int qn) {
        int r0 = blk * 8, rows = Math.min(Math.min(8, cogP - r0), cog - r0), oc0 = g * cog + r0, qEnd = Math.min(q0 + NR, qn);
        if (Wj >= L && OW >= L && resM == null) {
            final MemorySegment o = outM;
            final float lo = this.lo, hi = this.hi;
            final float[] bs = bias;
            for (int qv = q0; qv < qEnd; qv += L) {
                int qy = qv / Wj, qx = qv - qy * Wj, lim = Math.min(L, qEnd - qv);
                int a = Math.max(0, Math.min(lim, OW - qx)), b = Wj - qx, e = Math.min(lim, b + OW);
                var mA = S.indexInRange(0, a);
                var mB = S.indexInRange(0, e).andNot(S.indexInRange(0, b));
                long at = n * outBS + (long) oc0 * OHW, pA = (long) (oyA + qy) * OW + qx, pB = (long) (oyA + qy + 1) * OW - b;
                for (int r = 0; r < rows; r++, at += OHW) {
                    FloatVector y = FloatVector.fromArray(S, ct, co + r * NR + (qv - q0)).add(bs[oc0 + r]).max(lo).min(hi);
                    if (a == L) y.intoMemorySegment(o, (at + pA) << 2, Vec.BO);
                    else if (a > 0) y.intoMemorySegment(o, (at + pA) << 2, Vec.BO, mA);
                    if (b < e) y.intoMemorySegment(o, (at + pB) << 2, Vec.BO, mB);
                }
            }
            return;
        }
        for (int q = q0; q < qEnd; ) {
            int qy = q / Wj, qx = q - qy * Wj;
            if (qx >= OW) { // the row's padding columns: computed, not stored
                q += Wj - qx;
                continue;
            }
            int len = Math.min(OW - qx, qEnd - q), p = (oyA + qy) * OW + qx;
            for (int r = 0; r < rows; r++) emitRow(ct, co + r * NR + (q - q0), n, oc0 + r, p, len);
            q += len;
        }
    }

    /** Output rows of block blk x pixels of strip st: the micro-kernel, then the epilogue per row. */
    private void tile(float[] pan, float[] ct, int n, int g, int p0, int np, int st, int blk) {
        int r0 = blk * 8, m = Math.min(8, cogP - r0), wo = (g * cogP + r0) * K, p = p0 + st * NR, len = Math.min(NR, np - st * NR);
        int oc0 = g * cog + r0;
        if (m == 8 && len == NR && r0 + 8 <= cog && resM == null) { // a whole tile: the epilogue straight from the registers
            micro8(pan, st * SS, wo, ct, K, n * outBS + (long) oc0 * OHW + p, oc0);
            return;
        }
        if (m == 8) micro8(pan, st * SS, wo, ct, K, -1, 0);
        else micro4(pan, st * SS, wo, ct, K);
        epilogue(ct, 0, n, g, blk, p, len);
    }

    /**
     * The epilogue of a whole 8 x 32 tile (the common case): {@link #emitRow}'s work in one loop of
     * fixed length, no tail (small-K layers pay it per 8 x K x 32 MACs; pointwise 16->96 ran 30% faster).
     */
    private void emit8(float[] ct, int co, int n, int oc0, int p) {
        final MemorySegment o = outM, res = resM;
        final float lo = this.lo, hi = this.hi;
        final float[] bs = bias;
        long at = (n * outBS + (long) oc0 * OHW + p) << 2, rs = (long) OHW << 2;
        if (res == null) {
            for (int r = 0; r < 8; r++, at += rs) {
                float b = bs[oc0 + r];
                FloatVector.fromArray(S, ct, co + r * NR).add(b).max(lo).min(hi).intoMemorySegment(o, at, Vec.BO);
                FloatVector.fromArray(S, ct, co + r * NR + L).add(b).max(lo).min(hi).intoMemorySegment(o, at + 4 * L, Vec.BO);
            }
        } else { // a separate loop: a vector phi over "residual or not" can defeat C2's scalar replacement
            long ra = (n * resBS + (long) oc0 * OHW + p) << 2;
            for (int r = 0; r < 8; r++, at += rs, ra += rs) {
                float b = bs[oc0 + r];
                FloatVector.fromArray(S, ct, co + r * NR).add(b).add(FloatVector.fromMemorySegment(S, res, ra, Vec.BO))
                    .max(lo).min(hi).intoMemorySegment(o, at, Vec.BO);
                FloatVector.fromArray(S, ct, co + r * NR + L).add(b).add(FloatVector.fromMemorySegment(S, res, ra + 4 * L, Vec.BO))
                    .max(lo).min(hi).intoMemorySegment(o, at + 4 * L, Vec.BO);
            }
        }
    }

    /** Fills the B tile [strip][K][NR] for pixels [p0, p0+np) of image n, group g; zeros up to npad. */
    private void pack(int n, int g, int p0, int np, int npad, float[] pan, int worker) {
        final java.lang.foreign.MemorySegment inM = this.inM;
        final float[] sc = this.sc, sh = this.sh;
        long ib = n * inBS;
        int k = op.kernel(), s = op.stride(), pd = op.pad();
        if (k == 1 && s == 1 && pd == 0) {
            for (int ic = 0; ic < cig; ic++) {
                int c = g * cig + ic;
                long src = ib + (long) c * HW + p0;
                float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
                int j = 0, row = ic * NR;
                // whole vectors in branch-free loops (one per prologue case), then the tail and the zeros up
                // to npad as masked vectors. The tail was a scalar loop with "j < np" inside: C2's profile
                // predicate on it failed at every recompile, so pack ran deoptimized for whole benchmarks
                // (squeezenet1_1: a trap every 40 ms for the whole run).
                if (sc == null) {
                    for (; j <= np - L; j += L)
                        FloatVector.fromMemorySegment(S, inM, (src + j) << 2, Vec.BO).intoArray(pan, (j / NR) * SS + row + (j % NR));
                    for (; j < npad; j += L)
                        FloatVector.fromMemorySegment(S, inM, (src + j) << 2, Vec.BO, S.indexInRange(j, np))
                            .intoArray(pan, (j / NR) * SS + row + (j % NR));
                } else {
                    for (; j <= np - L; j += L)
                        FloatVector.fromMemorySegment(S, inM, (src + j) << 2, Vec.BO).fma(a, b).max(0f).intoArray(pan, (j / NR) * SS + row + (j % NR));
                    for (; j < npad; j += L) {
                        var m = S.indexInRange(j, np);
                        FloatVector.zero(S).blend(FloatVector.fromMemorySegment(S, inM, (src + j) << 2, Vec.BO, m).fma(a, b).max(0f), m)
                            .intoArray(pan, (j / NR) * SS + row + (j % NR));
                    }
                }
            }
            return;
        }
        if (k == 1 && s == 2 && pd == 0) {
            pack1x1s2(pan, ib, g, p0, np, npad);
            return;
        }
        if (padded()) {
            im2colPadded(pan, ib, g, p0, np, npad, rowBufs[worker]);
            return;
        }
        int kk = 0;
        for (int ic = 0; ic < cig; ic++) {
            int c = g * cig + ic;
            long cb = ib + (long) c * HW;
            float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, kk++) {
                    int oy = p0 / OW, ox = p0 % OW;
                    for (int j = 0; j < npad; j++) {
                        float v = 0f;
                        if (j < np) {
                            int iy = oy * s - pd + ky, ix = ox * s - pd + kx;
                            if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
                                v = inM.getAtIndex(Vec.F, cb + (long) iy * W + ix);
                                if (sc != null) v = Math.max(0f, Math.fma(v, a, b));
                            }
                            if (++ox == OW) { ox = 0; oy++; }
                        }
                        pan[(j / NR) * SS + kk * NR + (j % NR)] = v;
                    }
                }
        }
    }

    /**
     * 1x1 stride 2 (ResNeXt's downsampling shortcuts): output pixel (oy, ox) reads input (2oy, 2ox), so
     * a chunk of up to L pixels within one output row is the even lanes of two vector loads at input
     * column 2*ox (a two-vector shuffle). Chunks and their whole-vector stores as in
     * {@link #im2colPadded}; a chunk whose loads would pass the end of the input segment, and the
     * zeros past the tile's last pixel, are written element by element. Was an element gather with a
     * bounds test per element, repeated by every output-row split of the tile.
     */
    private void pack1x1s2(float[] pan, long ib, int g, int p0, int np, int npad) {
        final MemorySegment inM = this.inM;
        final float[] sc = this.sc, sh = this.sh;
        final int W = this.W, OW = this.OW;
        final long limit = inM.byteSize() / 4;
        for (int ic = 0; ic < cig; ic++) {
            int c = g * cig + ic;
            long cb = ib + (long) c * HW;
            float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
            int oy = p0 / OW, ox = p0 % OW;
            for (int j = 0; j < npad; ) {
                int jr = j % NR, d = (j / NR) * SS + ic * NR + jr;
                if (j >= np) { // past the tile's last pixel: zeros up to the strip's end
                    Arrays.fill(pan, d, d + NR - jr, 0f);
                    j += NR - jr;
                    continue;
                }
                int m = Math.min(Math.min(L, NR - jr), Math.min(OW - ox, np - j));
                long src = cb + (long) (2 * oy) * W + 2 * ox;
                if (src + 2 * L <= limit) {
                    FloatVector v0 = Vec.load(inM, src), v1 = Vec.load(inM, src + L);
                    if (sc != null) { v0 = v0.fma(a, b).max(0f); v1 = v1.fma(a, b).max(0f); }
                    v0.rearrange(Vec.EVEN, v1).intoArray(pan, d);
                } else {
                    for (int i = 0; i < m; i++) {
                        float v = inM.getAtIndex(Vec.F, src + 2L * i);
                        pan[d + i] = sc == null ? v : Math.max(0f, Math.fma(v, a, b));
                    }
                }
                j += m;
                ox += m;
                if (ox == OW) { ox = 0; oy++; }
            }
        }
    }

    /**
     * k x k convs (k > 1) with stride 1 or 2 work from padded row copies ({@link #fillRows}): stride 1 in
     * place ({@link #runTaps}), stride 2 through {@link #im2colPadded}; the rest (1x1 stride 2: the padded
     * copy would move 4x the pixels it uses; other strides) gather element by element.
     */
    private boolean padded() { return op.kernel() > 1 && op.stride() <= 2; }

    /**
     * im2col for k x k, stride 2 (stride 1 runs in place: {@link #runTaps}), in two steps with no bounds
     * test per element. (1) The input
     * rows the tile's output rows need are copied into {@code buf}, zero-padded and split by stride
     * phase: padded column X of row r of channel ic sits at ((ic*rowsIn + r)*s + X%s)*Wj + X/s, with the
     * prologue applied (padding stays zero; rows outside the input are zeroed). (2) Each panel row
     * (ic, ky, kx) is filled in chunks of at most L pixels within one output row and one strip, one
     * vector load and store each: input column ox*s + kx is phase kx%s, column ox + kx/s. A short
     * chunk stores a whole vector; its extra lanes land on later pixels or the next panel row (both
     * written afterwards) or on the strip's spare row.
     */
    private void im2colPadded(float[] pan, long ib, int g, int p0, int np, int npad, float[] buf) {
        fillRows(ib, g, p0, np, buf);
        final int k = op.kernel(), s = op.stride(), OW = this.OW, Wj = this.Wj, R = rowsIn, oyA = p0 / OW;
        int kk = 0;
        for (int ic = 0; ic < cig; ic++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, kk++) {
                    int rowBase = (ic * R + ky) * s * Wj + (kx % s) * Wj + kx / s, rowStep = s * s * Wj;
                    int oy = oyA, ox = p0 % OW;
                    for (int j = 0; j < npad; ) {
                        int jr = j % NR, d = (j / NR) * SS + kk * NR + jr;
                        if (j >= np) { // past the tile's last pixel: zeros up to the strip's end
                            Arrays.fill(pan, d, d + NR - jr, 0f);
                            j += NR - jr;
                            continue;
                        }
                        int m = Math.min(Math.min(L, NR - jr), Math.min(OW - ox, np - j));
                        FloatVector.fromArray(S, buf, rowBase + (oy - oyA) * rowStep + ox).intoArray(pan, d);
                        j += m;
                        ox += m;
                        if (ox == OW) { ox = 0; oy++; }
                    }
                }
    }

    /** The input rows output pixels [p0, p0+np) need, per channel of group g, zero-padded and stride-split into buf ([ic][row][s][Wj]), prologue applied. */
    private void fillRows(long ib, int g, int p0, int np, float[] buf) {
        final MemorySegment inM = this.inM;
        final float[] sc = this.sc, sh = this.sh;
        final int k = op.kernel(), s = op.stride(), pd = op.pad(), W = this.W, H = this.H, OW = this.OW, Wj = this.Wj, R = rowsIn;
        int oyA = p0 / OW, iyA = oyA * s - pd, rows = Math.min(R, ((p0 + np - 1) / OW - oyA) * s + k);
        for (int ic = 0; ic < cig; ic++) {
            int c = g * cig + ic;
            long cb = ib + (long) c * HW;
            float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
            for (int r = 0; r < rows; r++) {
                int iy = iyA + r, d = (ic * R + r) * s * Wj;
                if (iy < 0 || iy >= H) { Arrays.fill(buf, d, d + s * Wj, 0f); continue; }
                long src = cb + (long) iy * W;
                if (s == 1) {
                    MemorySegment.copy(inM, Vec.F, src << 2, buf, d + pd, W);
                    if (sc != null) Vec.prologue(buf, d + pd, W, a, b);
                } else { // stride 2: input column ix is padded column X = ix + pd, phase X & 1, index X >> 1
                    int de = d + (pd & 1) * Wj + (pd >> 1), dO = d + ((pd + 1) & 1) * Wj + ((pd + 1) >> 1);
                    int ix = Vec.splitEvenOdd(inM, src, W, buf, de, dO, Wj - ((pd + 1) >> 1), sc != null, a, b); // then element by element
                    for (; ix < W; ix++) {
                        int X = ix + pd;
                        float v = inM.getAtIndex(Vec.F, src + ix);
                        buf[d + (X & 1) * Wj + (X >> 1)] = sc == null ? v : Math.max(0f, Math.fma(v, a, b));
                    }
                }
            }
        }
    }

    /**
     * The 8x32 micro-kernel over kn K steps. With at >= 0 (a whole tile of output channels oc0.. at output
     * element at, no residual) bias and clamp are applied to the accumulators and stored to the output,
     * else they go to ct for {@link #accumulate} or {@link #epilogue}: through ct cost 16 stores and 16
     * loads more per tile, which at small K is a large share (16->64 @55: K = 16 steps of 16 FMAs).
     */
    private void micro8(float[] pan, int bo, int wo, float[] ct, int kn, long at, int oc0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
            c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        final float[] w = pw;
        for (int k = 0, pb = bo, wb = wo; k < kn; k++, pb += NR, wb += 8) {
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a = FloatVector.broadcast(S, w[wb]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, w[wb + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, w[wb + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, w[wb + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, w[wb + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        if (at >= 0) {
            final MemorySegment o = outM;
            final float lo = this.lo, hi = this.hi;
            final float[] bs = bias;
            final long rs = (long) OHW << 2, a = at << 2, h = 4L * L;
            c00.add(bs[oc0]).max(lo).min(hi).intoMemorySegment(o, a, Vec.BO); c01.add(bs[oc0]).max(lo).min(hi).intoMemorySegment(o, a + h, Vec.BO);
            c10.add(bs[oc0 + 1]).max(lo).min(hi).intoMemorySegment(o, a + rs, Vec.BO); c11.add(bs[oc0 + 1]).max(lo).min(hi).intoMemorySegment(o, a + rs + h, Vec.BO);
            c20.add(bs[oc0 + 2]).max(lo).min(hi).intoMemorySegment(o, a + 2 * rs, Vec.BO); c21.add(bs[oc0 + 2]).max(lo).min(hi).intoMemorySegment(o, a + 2 * rs + h, Vec.BO);
            c30.add(bs[oc0 + 3]).max(lo).min(hi).intoMemorySegment(o, a + 3 * rs, Vec.BO); c31.add(bs[oc0 + 3]).max(lo).min(hi).intoMemorySegment(o, a + 3 * rs + h, Vec.BO);
            c40.add(bs[oc0 + 4]).max(lo).min(hi).intoMemorySegment(o, a + 4 * rs, Vec.BO); c41.add(bs[oc0 + 4]).max(lo).min(hi).intoMemorySegment(o, a + 4 * rs + h, Vec.BO);
            c50.add(bs[oc0 + 5]).max(lo).min(hi).intoMemorySegment(o, a + 5 * rs, Vec.BO); c51.add(bs[oc0 + 5]).max(lo).min(hi).intoMemorySegment(o, a + 5 * rs + h, Vec.BO);
            c60.add(bs[oc0 + 6]).max(lo).min(hi).intoMemorySegment(o, a + 6 * rs, Vec.BO); c61.add(bs[oc0 + 6]).max(lo).min(hi).intoMemorySegment(o, a + 6 * rs + h, Vec.BO);
            c70.add(bs[oc0 + 7]).max(lo).min(hi).intoMemorySegment(o, a + 7 * rs, Vec.BO); c71.add(bs[oc0 + 7]).max(lo).min(hi).intoMemorySegment(o, a + 7 * rs + h, Vec.BO);
            return;
        }
        c00.intoArray(ct, 0); c01.intoArray(ct, L);
        c10.intoArray(ct, NR); c11.intoArray(ct, NR + L);
        c20.intoArray(ct, 2 * NR); c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR); c31.intoArray(ct, 3 * NR + L);
        c40.intoArray(ct, 4 * NR); c41.intoArray(ct, 4 * NR + L);
        c50.intoArray(ct, 5 * NR); c51.intoArray(ct, 5 * NR + L);
        c60.intoArray(ct, 6 * NR); c61.intoArray(ct, 6 * NR + L);
        c70.intoArray(ct, 7 * NR); c71.intoArray(ct, 7 * NR + L);
    }

    /** 4 output rows x 32 pixels (a group's last block when its rows are not a multiple of 8). */
    private void micro4(float[] pan, int bo, int wo, float[] ct, int kn) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        final float[] w = pw;
        for (int k = 0, pb = bo, wb = wo; k < kn; k++, pb += NR, wb += 4) {
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a = FloatVector.broadcast(S, w[wb]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
        }
        c00.intoArray(ct, 0); c01.intoArray(ct, L);
        c10.intoArray(ct, NR); c11.intoArray(ct, NR + L);
        c20.intoArray(ct, 2 * NR); c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR); c31.intoArray(ct, 3 * NR + L);
    }

    /**
     * {@link #micro8} over the tap layout of {@link #runTaps}: K row k of B at pan[offs[k] + q0 ...]. A
     * copy, not one kernel with an offset table for both: the table lookup per K step took the pointwise
     * 256->1024 @56 layer from 216-227 to 181-190 GFLOP/s (alternating processes, 2 threads).
     */
    private void micro8t(float[] pan, int q0, int k0, int wo, float[] ct, int kn) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
            c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        final float[] w = pw;
        final int[] off = offs;
        for (int k = k0, wb = wo; k < k0 + kn; k++, wb += 8) {
            int pb = off[k] + q0;
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a = FloatVector.broadcast(S, w[wb]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, w[wb + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, w[wb + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, w[wb + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, w[wb + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        c00.intoArray(ct, 0); c01.intoArray(ct, L);
        c10.intoArray(ct, NR); c11.intoArray(ct, NR + L);
        c20.intoArray(ct, 2 * NR); c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR); c31.intoArray(ct, 3 * NR + L);
        c40.intoArray(ct, 4 * NR); c41.intoArray(ct, 4 * NR + L);
        c50.intoArray(ct, 5 * NR); c51.intoArray(ct, 5 * NR + L);
        c60.intoArray(ct, 6 * NR); c61.intoArray(ct, 6 * NR + L);
        c70.intoArray(ct, 7 * NR); c71.intoArray(ct, 7 * NR + L);
    }

    /** {@link #micro4} over the tap layout, as {@link #micro8t}. */
    private void micro4t(float[] pan, int q0, int k0, int wo, float[] ct, int kn) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        final float[] w = pw;
        final int[] off = offs;
        for (int k = k0, wb = wo; k < k0 + kn; k++, wb += 4) {
            int pb = off[k] + q0;
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a = FloatVector.broadcast(S, w[wb]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
        }
        c00.intoArray(ct, 0); c01.intoArray(ct, L);
        c10.intoArray(ct, NR); c11.intoArray(ct, NR + L);
        c20.intoArray(ct, 2 * NR); c21.intoArray(ct, 2 * NR + L);
        c30.intoArray(ct, 3 * NR); c31.intoArray(ct, 3 * NR + L);
    }
}
