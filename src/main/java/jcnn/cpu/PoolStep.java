package jcnn.cpu;

import static jcnn.cpu.Vec.F;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import jcnn.compile.Step;
import jcnn.ops.AvgPool;
import jcnn.ops.MaxPool;
import jcnn.tensor.Tensor;

/**
 * Max and average pooling, one channel plane at a time, vectorised along output x. Each input plane is
 * copied in one bulk copy to the heap, then into a per-worker padded plane split by stride phase: padded column X of padded row Y sits
 * at (Y*s + X%s)*Wj + X/s, so the input of output column ox at tap kx is phase kx%s at column
 * ox + kx/s, a contiguous vector load for any stride (stride 2 deinterleaves with two-vector shuffles).
 * The border (padding, and slack for ceil mode's last window and the last vector's extra lanes) holds
 * -inf for max (padding never wins) or 0 for average and is written once; each plane writes only the
 * interior. The average multiplies by 1/{@link AvgPool#divisor} (count_include_pad or not),
 * precomputed per output position. The output plane is built on the heap and stored in one bulk copy
 * (per-row copies of 50-100 floats cost more in calls than in bytes).
 *
 * <p>Threads: items are chunks of the N*C planes claimed from the {@link CpuPool}; each worker has its
 * own input, padded and output planes (made at plan time).
 */
final class PoolStep implements Step, CpuPool.Task {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;
    private static final VectorShuffle<Float> EVEN = Vec.EVEN, ODD = Vec.ODD;

    private final Tensor in, out;
    private final int k, s, pad, Wj, OWp;
    private final boolean max;
    private final float[][] planes, rows, raw;
    private final CpuPool pool;
    private final int chunks, count;
    private final float[] inv; // avg: 1/divisor per output position (+ L slack)

    PoolStep(MaxPool mp, AvgPool ap, Tensor in, Tensor out, CpuPool pool) {
        this.pool = pool;
        this.in = in;
        this.out = out;
        max = mp != null;
        k = max ? mp.kernel() : ap.kernel();
        s = max ? mp.stride() : ap.stride();
        pad = max ? mp.pad() : ap.pad();
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w();
        OWp = Vec.roundUp(OW, L);
        Wj = Math.max(OWp + (k - 1) / s + 1, (W + pad + s - 1) / s + 1);
        int PH = Math.max(H + 2 * pad, (OH - 1) * s + k);
        planes = new float[pool.size()][PH * s * Wj];
        if (max) for (float[] p : planes) java.util.Arrays.fill(p, Float.NEGATIVE_INFINITY);
        rows = new float[pool.size()][OH * OW + L]; // the output plane; a row's last vector spills into the next row, written after it
        raw = new float[pool.size()][H * W + 2 * L]; // the input plane
        count = in.n() * in.c();
        chunks = (long) count * H * W < 32768 ? 1 : Math.min(count, 4 * pool.size());
        inv = max ? null : new float[OH * OW + L];
        if (!max) {
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++) inv[oy * OW + ox] = 1f / ap.divisor(oy * s - pad, ox * s - pad, H, W);
        }
    }

    @Override
    public void run() { pool.run(this, chunks); }

    @Override
    public void run(int item, int worker) {
        final int H = in.h(), W = in.w(), OH = out.h(), OW = out.w(), C = in.c(), k = this.k, s = this.s, Wj = this.Wj;
        MemorySegment src = in.segment(), dst = out.segment();
        float[] plane = planes[worker], outPlane = rows[worker], tmp = raw[worker];
        int q0 = (int) ((long) item * count / chunks), q1 = (int) ((long) (item + 1) * count / chunks);
        for (int q = q0; q < q1; q++) {
            int n = q / C, c = q % C;
            long ip = n * in.batchStride() + (long) c * H * W, o0 = n * out.batchStride() + (long) c * OH * OW;
            MemorySegment.copy(src, F, ip * 4, tmp, 0, H * W); // one bulk copy per plane: per-row copies cost more in calls than in bytes
            for (int y = 0; y < H; y++) {
                int base = (y + pad) * s * Wj;
                if (s == 1) System.arraycopy(tmp, y * W, plane, base + pad, W);
                else deinterleave(tmp, y * W, W, plane, base);
            }
            for (int oy = 0; oy < OH; oy++) {
                // two loops, not one with "if max" inside: a vector phi can defeat C2's scalar replacement
                if (max) {
                    for (int x0 = 0; x0 < OW; x0 += L) {
                        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                        for (int ky = 0; ky < k; ky++) {
                            int rb = (oy * s + ky) * s * Wj + x0;
                            for (int kx = 0; kx < k; kx++) acc = acc.max(FloatVector.fromArray(S, plane, rb + (kx % s) * Wj + kx / s));
                        }
                        acc.intoArray(outPlane, oy * OW + x0);
                    }
                } else {
                    for (int x0 = 0; x0 < OW; x0 += L) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int ky = 0; ky < k; ky++) {
                            int rb = (oy * s + ky) * s * Wj + x0;
                            for (int kx = 0; kx < k; kx++) acc = acc.add(FloatVector.fromArray(S, plane, rb + (kx % s) * Wj + kx / s));
                        }
                        acc.mul(FloatVector.fromArray(S, inv, oy * OW + x0)).intoArray(outPlane, oy * OW + x0);
                    }
                }
            }
            MemorySegment.copy(outPlane, 0, dst, F, o0 * 4, OH * OW);
        }
    }

    /** One input row (W values in tmp from off) into its padded row's s phases: column x goes to phase (x+pad)%s, index (x+pad)/s. */
    private void deinterleave(float[] tmp, int off, int W, float[] plane, int base) {
        int x = 0;
        if (s == 2) {
            int pe = base + (pad % 2) * Wj + pad / 2, po = base + ((pad + 1) % 2) * Wj + (pad + 1) / 2;
            for (; x <= W - 2 * L; x += 2 * L) {
                FloatVector v0 = FloatVector.fromArray(S, tmp, off + x), v1 = FloatVector.fromArray(S, tmp, off + x + L);
                v0.rearrange(EVEN, v1).intoArray(plane, pe + x / 2);
                v0.rearrange(ODD, v1).intoArray(plane, po + x / 2);
            }
        }
        for (; x < W; x++) {
            int X = x + pad;
            plane[base + (X % s) * Wj + X / s] = tmp[off + x];
        }
    }
}
