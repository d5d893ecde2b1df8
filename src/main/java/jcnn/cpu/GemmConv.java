package jcnn.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * Conv as GEMM, NCHW throughout: per (image, group) {@code out[cog][OHW] = W[cog][K] x B[K][OHW]} with
 * K = Cin/groups*k*k. NCHW fits this directly (pixels are the contiguous, vectorised N dimension), so no
 * blocked channel layout is needed.
 *
 * <p>Work: items = images x groups x pixel tiles (nc pixels) x output-row ranges (rows are split only
 * when there are too few tiles to feed every thread). Each item packs its B panel [K][nc] into
 * per-worker scratch (a vector copy for 1x1 stride 1, im2col otherwise; the input prologue applied
 * here, once per element), then runs the 8x32 (or 4x32) register-blocked micro-kernel over the packed
 * weights [rowBlock][K][8], the epilogue fused into the stores. nc is chosen so the panel stays
 * ~128 KB (L2) and is reread from cache by every row block.
 */
final class GemmConv extends CpuConv {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L, NR = 2 * Vec.L;

    private final int K, cogP, nBlocks;
    private final float[] pw;       // [group][rowBlock][K][8 or 4], rows padded with zeros to a multiple of 4
    private float[][] panels;       // per worker [K][nc]
    private int nc, nPC, coSplit;

    GemmConv(Conv2d op, Tensor weight, Tensor bias, Tensor inScale, Tensor inShift, CpuPool pool) {
        super(op, weight, bias, inScale, inShift, pool);
        K = cig * op.kernel() * op.kernel();
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
        nc = Math.max(NR, Math.min(512, 32768 / K / NR * NR));
        nc = Math.min(nc, Vec.roundUp(OHW, NR));
        nPC = (OHW + nc - 1) / nc;
        int base = N * op.groups() * nPC, want = 4 * pool.size();
        coSplit = base >= want ? 1 : Math.min(nBlocks, (want + base - 1) / base);
        if (panels == null || panels.length != pool.size() || panels[0].length < K * nc) panels = new float[pool.size()][K * nc];
    }

    @Override int items() { return N * op.groups() * nPC * coSplit; }

    @Override
    public void run(int item, int worker) {
        int cs = item % coSplit, t = item / coSplit;
        int pc = t % nPC;
        t /= nPC;
        int g = t % op.groups(), n = t / op.groups();
        int p0 = pc * nc, np = Math.min(nc, OHW - p0), npad = Vec.roundUp(np, NR);
        float[] pan = panels[worker];
        pack(n, g, p0, np, npad, pan);
        int b0 = cs * nBlocks / coSplit, b1 = (cs + 1) * nBlocks / coSplit;
        for (int blk = b0; blk < b1; blk++) {
            int r0 = blk * 8, m = Math.min(8, cogP - r0), rows = Math.min(m, cog - r0);
            int wo = (g * cogP + r0) * K, oc0 = g * cog + r0;
            for (int j = 0; j < npad; j += NR) {
                if (m == 8) micro8(pan, wo, j, n, oc0, rows, p0 + j, np - j);
                else micro4(pan, wo, j, n, oc0, rows, p0 + j, np - j);
            }
        }
    }

    /** Fills B[K][nc] for pixels [p0, p0+np) of image n, group g; zero beyond np up to npad. */
    private void pack(int n, int g, int p0, int np, int npad, float[] pan) {
        long ib = n * inBS;
        int k = op.kernel(), s = op.stride(), pd = op.pad();
        if (k == 1 && s == 1 && pd == 0) {
            for (int ic = 0; ic < cig; ic++) {
                int c = g * cig + ic, dst = ic * nc;
                long src = ib + (long) c * HW + p0;
                int j = 0;
                if (sc == null) {
                    for (; j <= np - L; j += L) Vec.load(inM, src + j).intoArray(pan, dst + j);
                    for (; j < np; j++) pan[dst + j] = inM.getAtIndex(Vec.F, src + j);
                } else {
                    float a = sc[c], b = sh[c];
                    for (; j <= np - L; j += L) Vec.load(inM, src + j).fma(a, b).max(0f).intoArray(pan, dst + j);
                    for (; j < np; j++) pan[dst + j] = Math.max(0f, Math.fma(inM.getAtIndex(Vec.F, src + j), a, b));
                }
                Arrays.fill(pan, dst + np, dst + npad, 0f);
            }
            return;
        }
        int kk = 0;
        for (int ic = 0; ic < cig; ic++) {
            int c = g * cig + ic;
            long cb = ib + (long) c * HW;
            float a = sc == null ? 1f : sc[c], b = sc == null ? 0f : sh[c];
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, kk++) {
                    int dst = kk * nc, oy = p0 / OW, ox = p0 % OW;
                    for (int j = 0; j < np; j++) {
                        int iy = oy * s - pd + ky, ix = ox * s - pd + kx;
                        float v = 0f;
                        if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
                            v = inM.getAtIndex(Vec.F, cb + (long) iy * W + ix);
                            if (sc != null) v = Math.max(0f, Math.fma(v, a, b));
                        }
                        pan[dst + j] = v;
                        if (++ox == OW) { ox = 0; oy++; }
                    }
                    Arrays.fill(pan, dst + np, dst + npad, 0f);
                }
        }
    }

    /** 8 output rows x 2 vectors of pixels, 2*8 accumulators in registers, K-loop over the panel. */
    private void micro8(float[] pan, int wo, int j, int n, int oc0, int rows, int p, int rem) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        final float[] w = pw;
        for (int k = 0, pb = j, wb = wo; k < K; k++, pb += nc, wb += 8) {
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a0 = FloatVector.broadcast(S, w[wb + 0]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, w[wb + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, w[wb + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, w[wb + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, w[wb + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        if (rows > 0) { emit(c00, n, oc0 + 0, p, rem); emit(c01, n, oc0 + 0, p + L, rem - L); }
        if (rows > 1) { emit(c10, n, oc0 + 1, p, rem); emit(c11, n, oc0 + 1, p + L, rem - L); }
        if (rows > 2) { emit(c20, n, oc0 + 2, p, rem); emit(c21, n, oc0 + 2, p + L, rem - L); }
        if (rows > 3) { emit(c30, n, oc0 + 3, p, rem); emit(c31, n, oc0 + 3, p + L, rem - L); }
        if (rows > 4) { emit(c40, n, oc0 + 4, p, rem); emit(c41, n, oc0 + 4, p + L, rem - L); }
        if (rows > 5) { emit(c50, n, oc0 + 5, p, rem); emit(c51, n, oc0 + 5, p + L, rem - L); }
        if (rows > 6) { emit(c60, n, oc0 + 6, p, rem); emit(c61, n, oc0 + 6, p + L, rem - L); }
        if (rows > 7) { emit(c70, n, oc0 + 7, p, rem); emit(c71, n, oc0 + 7, p + L, rem - L); }
    }

    /** 4 output rows x 2 vectors of pixels, 2*4 accumulators in registers, K-loop over the panel. */
    private void micro4(float[] pan, int wo, int j, int n, int oc0, int rows, int p, int rem) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        final float[] w = pw;
        for (int k = 0, pb = j, wb = wo; k < K; k++, pb += nc, wb += 4) {
            FloatVector b0 = FloatVector.fromArray(S, pan, pb), b1 = FloatVector.fromArray(S, pan, pb + L);
            FloatVector a0 = FloatVector.broadcast(S, w[wb + 0]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, w[wb + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, w[wb + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, w[wb + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        if (rows > 0) { emit(c00, n, oc0 + 0, p, rem); emit(c01, n, oc0 + 0, p + L, rem - L); }
        if (rows > 1) { emit(c10, n, oc0 + 1, p, rem); emit(c11, n, oc0 + 1, p + L, rem - L); }
        if (rows > 2) { emit(c20, n, oc0 + 2, p, rem); emit(c21, n, oc0 + 2, p + L, rem - L); }
        if (rows > 3) { emit(c30, n, oc0 + 3, p, rem); emit(c31, n, oc0 + 3, p + L, rem - L); }
    }
}
