package jcnn.cpu;

import static jcnn.cpu.Vec.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.Step;
import jcnn.ops.AvgPool;
import jcnn.ops.MaxPool;
import jcnn.tensor.Tensor;

/**
 * Max and average pooling, one channel plane at a time, on a padded heap copy of the plane: the
 * border (padding, and slack for ceil mode's last window) holds -inf for max (padding never wins)
 * or 0 for average, so the window loops need no clipping. The average divides by
 * {@link AvgPool#divisor} (count_include_pad or not), precomputed per output position.
 *
 * <p>Threads: items are chunks of the N*C planes claimed from the {@link CpuPool}; each worker has its
 * own padded plane and row (made at plan time).
 */
final class PoolStep implements Step, CpuPool.Task {
    private final Tensor in, out;
    private final int k, s, pad, PW;
    private final boolean max;
    private final float[][] planes, rows;
    private final CpuPool pool;
    private final int chunks, count;
    private final float[] inv; // avg: 1/divisor per output position

    PoolStep(MaxPool mp, AvgPool ap, Tensor in, Tensor out, CpuPool pool) {
        this.pool = pool;
        this.in = in;
        this.out = out;
        max = mp != null;
        k = max ? mp.kernel() : ap.kernel();
        s = max ? mp.stride() : ap.stride();
        pad = max ? mp.pad() : ap.pad();
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w();
        PW = Math.max(W + 2 * pad, (OW - 1) * s + k);
        int PH = Math.max(H + 2 * pad, (OH - 1) * s + k);
        planes = new float[pool.size()][PH * PW];
        if (max) for (float[] p : planes) java.util.Arrays.fill(p, Float.NEGATIVE_INFINITY);
        rows = new float[pool.size()][OW];
        count = in.n() * in.c();
        chunks = (long) count * H * W < 32768 ? 1 : Math.min(count, 4 * pool.size());
        inv = max ? null : new float[OH * OW];
        if (!max) {
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++) inv[oy * OW + ox] = 1f / ap.divisor(oy * s - pad, ox * s - pad, H, W);
        }
    }

    @Override
    public void run() { pool.run(this, chunks); }

    @Override
    public void run(int item, int worker) {
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w(), C = in.c();
        MemorySegment src = in.segment(), dst = out.segment();
        float[] plane = planes[worker], row = rows[worker];
        int q0 = (int) ((long) item * count / chunks), q1 = (int) ((long) (item + 1) * count / chunks);
        for (int q = q0; q < q1; q++) {
            int n = q / C, c = q % C;
            long ip = n * in.batchStride() + (long) c * H * W, o0 = n * out.batchStride() + (long) c * OH * OW;
            for (int y = 0; y < H; y++) MemorySegment.copy(src, F, (ip + (long) y * W) * 4, plane, (y + pad) * PW + pad, W);
            for (int oy = 0; oy < OH; oy++) {
                java.util.Arrays.fill(row, max ? Float.NEGATIVE_INFINITY : 0f);
                for (int ky = 0; ky < k; ky++) {
                    int base = (oy * s + ky) * PW;
                    for (int kx = 0; kx < k; kx++) {
                        int at = base + kx;
                        if (max) {
                            for (int ox = 0; ox < OW; ox++) row[ox] = Math.max(row[ox], plane[at + ox * s]);
                        } else {
                            for (int ox = 0; ox < OW; ox++) row[ox] += plane[at + ox * s];
                        }
                    }
                }
                if (!max) for (int ox = 0; ox < OW; ox++) row[ox] *= inv[oy * OW + ox];
                MemorySegment.copy(row, 0, dst, F, (o0 + (long) oy * OW) * 4, OW);
            }
        }
    }
}
