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
 * Max and average pooling, separable, one channel plane and output row at a time. For output row oy
 * the window's k input rows are reduced column-wise straight from the input segment (vector loads)
 * into a per-worker heap row {@code vrow}, whose padding and slack (left pad, right pad, ceil mode's
 * last window, the last vector's extra lanes) hold -inf for max (padding never wins) or 0 for
 * average and are written once. Then each output vector reduces its k taps along the row: stride 1
 * with unaligned loads, stride 2 by taking the even lanes of two loads (a two-vector shuffle), other
 * strides scalar. The average multiplies by 1/{@link AvgPool#divisor} (count_include_pad or not),
 * precomputed per output position. Results are stored straight to the output segment (the row's last
 * partial vector element by element). The earlier version copied each plane twice (heap, then a stride-split padded
 * plane) before pooling: squeezenet1_1's 64x111x111 max pool took 394 us on two threads, ORT 125 us.
 *
 * <p>Threads: items are chunks of the N*C planes claimed from the {@link CpuPool}; each worker has its
 * own row (made at plan time).
 */
final class PoolStep implements Step, CpuPool.Task {
    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;
    private static final VectorShuffle<Float> EVEN = Vec.EVEN;

    private final Tensor in, out;
    private final int k, s, pad;
    private final boolean max;
    private final float[][] vrows; // per worker: the window rows reduced column-wise; input column x at x + pad
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
        int len = Math.max(pad + W, Vec.roundUp(OW, L) * s + k) + 3 * L; // every read stays inside; the last L: a spill slot
        vrows = new float[pool.size()][len];
        if (max) for (float[] r : vrows) java.util.Arrays.fill(r, Float.NEGATIVE_INFINITY);
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
        final int H = in.h(), W = in.w(), OH = out.h(), OW = out.w(), C = in.c(), k = this.k, s = this.s, pad = this.pad;
        final MemorySegment src = in.segment(), dst = out.segment();
        final float[] vr = vrows[worker];
        final float init = max ? Float.NEGATIVE_INFINITY : 0f;
        final long limit = src.byteSize() / 4;
        int q0 = (int) ((long) item * count / chunks), q1 = (int) ((long) (item + 1) * count / chunks);
        for (int q = q0; q < q1; q++) {
            int n = q / C, c = q % C;
            long ip = n * in.batchStride() + (long) c * H * W, op = n * out.batchStride() + (long) c * OH * OW;
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(0, oy * s - pad), y1 = Math.min(H, oy * s - pad + k); // the window's rows inside the input
                // column-wise reduction of rows y0..y1-1 into vr[pad .. pad+W). No masks: a mask over a variable
                // range is not scalar-replaced by C2 here (densenet121 allocated 360 KB per run with masked
                // loads). The last vector reads on into the next row (its extra lanes land in vr's slack, reset
                // to init below) unless that would pass the end of the input segment: then element by element.
                // Direct vector calls, no Vec.load/store helpers: once other pool shapes had run in the JVM, C2
                // stopped inlining them and boxed the vectors (55-79 KB per densenet121 run).
                int x = 0;
                if (y0 >= y1) { java.util.Arrays.fill(vr, pad, pad + W, init); x = W; } // a window wholly in the padding
                long last = ip + (long) (y1 - 1) * W; // the lowest row read
                for (; x < W && (x + L <= W || last + x + L <= limit); x += L) {
                    FloatVector acc = FloatVector.fromMemorySegment(S, src, (ip + (long) y0 * W + x) << 2, Vec.BO);
                    // two loops, not one with "if max" inside: a vector phi can defeat C2's scalar replacement
                    if (max) for (int y = y0 + 1; y < y1; y++) acc = acc.max(FloatVector.fromMemorySegment(S, src, (ip + (long) y * W + x) << 2, Vec.BO));
                    else for (int y = y0 + 1; y < y1; y++) acc = acc.add(FloatVector.fromMemorySegment(S, src, (ip + (long) y * W + x) << 2, Vec.BO));
                    acc.intoArray(vr, pad + x);
                }
                for (; x < W; x++) {
                    float v = src.getAtIndex(Vec.F, ip + (long) y0 * W + x);
                    for (int y = y0 + 1; y < y1; y++) {
                        float u = src.getAtIndex(Vec.F, ip + (long) y * W + x);
                        v = max ? Math.max(v, u) : v + u;
                    }
                    vr[pad + x] = v;
                }
                if (x > W) java.util.Arrays.fill(vr, pad + W, pad + x, init);
                long o = op + (long) oy * OW;
                if (s > 2) { // other strides: scalar
                    for (int ox = 0; ox < OW; ox++) {
                        float v = vr[ox * s];
                        for (int kx = 1; kx < k; kx++) v = max ? Math.max(v, vr[ox * s + kx]) : v + vr[ox * s + kx];
                        dst.setAtIndex(Vec.F, o + ox, max ? v : v * inv[oy * OW + ox]);
                    }
                    continue;
                }
                for (int x0 = 0; x0 < OW; x0 += L) {
                    int b = x0 * s;
                    FloatVector acc;
                    if (s == 1) {
                        acc = FloatVector.fromArray(S, vr, b);
                        if (max) for (int kx = 1; kx < k; kx++) acc = acc.max(FloatVector.fromArray(S, vr, b + kx));
                        else for (int kx = 1; kx < k; kx++) acc = acc.add(FloatVector.fromArray(S, vr, b + kx));
                    } else { // lane i of tap kx is vr[2*(x0+i) + kx]: the even lanes of the pair at b + kx
                        acc = FloatVector.fromArray(S, vr, b).rearrange(EVEN, FloatVector.fromArray(S, vr, b + L));
                        if (max) for (int kx = 1; kx < k; kx++) acc = acc.max(FloatVector.fromArray(S, vr, b + kx).rearrange(EVEN, FloatVector.fromArray(S, vr, b + kx + L)));
                        else for (int kx = 1; kx < k; kx++) acc = acc.add(FloatVector.fromArray(S, vr, b + kx).rearrange(EVEN, FloatVector.fromArray(S, vr, b + kx + L)));
                    }
                    if (!max) acc = acc.mul(FloatVector.fromArray(S, inv, oy * OW + x0));
                    // a partial last vector spills onto the next rows of the plane, which are written after it;
                    // only on the plane's last row does it go through vr's spare slot, element by element
                    if (x0 + L <= OW || (long) oy * OW + x0 + L <= (long) OH * OW) acc.intoMemorySegment(dst, (o + x0) << 2, Vec.BO);
                    else { // the row's last, partial vector: through the row's slack, then scalar (no variable mask, see above)
                        int t = vr.length - L;
                        acc.intoArray(vr, t);
                        for (int i = 0; i < OW - x0; i++) dst.setAtIndex(Vec.F, o + x0 + i, vr[t + i]);
                        java.util.Arrays.fill(vr, t, t + L, init);
                    }
                }
            }
        }
    }
}
