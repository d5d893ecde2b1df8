package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jcnn.ops.AvgPool;
import jcnn.ops.MaxPool;
import jcnn.tensor.Tensor;

/**
 * Max pool, avg pool and global avg pool over NCHW planes. Work: one item per chunk of planes
 * (at most 4 per thread). Max/avg windows are walked with their bounds clipped to the input
 * (padding never wins a max; the avg divisor is AvgPool.divisor, PyTorch's rule). Window pools run
 * scalar per output (they are a small share of each net's time); the global mean is a vector sum
 * accumulated in float64 per vector partial for accuracy over large planes.
 */
final class CpuPooling implements CpuPool.Task {
    enum Kind { MAX, AVG, GLOBAL }

    private final Kind kind;
    private final MaxPool max;
    private final AvgPool avg;
    private MemorySegment in, out;
    private long iBS, oBS;
    private int C, H, W, OH, OW, planes, chunks, k, s, pad;

    CpuPooling(MaxPool m) { kind = Kind.MAX; max = m; avg = null; k = m.kernel(); s = m.stride(); pad = m.pad(); }
    CpuPooling(AvgPool a) { kind = Kind.AVG; avg = a; max = null; k = a.kernel(); s = a.stride(); pad = a.pad(); }
    CpuPooling() { kind = Kind.GLOBAL; max = null; avg = null; }

    private float[][] lanes; // Vec.sum buffers, one per worker

    void run(Tensor x, Tensor y, CpuPool pool) {
        in = x.segment(); iBS = x.batchStride();
        out = y.segment(); oBS = y.batchStride();
        C = x.c(); H = x.h(); W = x.w(); OH = y.h(); OW = y.w();
        planes = x.n() * C;
        long work = (long) planes * H * W;
        chunks = work < 32768 ? 1 : Math.min(planes, 4 * pool.size());
        if (lanes == null || lanes.length < pool.size()) lanes = Vec.laneBuffers(pool.size()); // first run only
        pool.run(this, chunks);
        in = out = null;
    }

    @Override
    public void run(int item, int worker) {
        int p0 = (int) ((long) item * planes / chunks), p1 = (int) ((long) (item + 1) * planes / chunks);
        for (int p = p0; p < p1; p++) {
            int n = p / C, c = p % C;
            long ib = n * iBS + (long) c * H * W, ob = n * oBS + (long) c * OH * OW;
            if (kind == Kind.GLOBAL) global(ib, ob, lanes[worker]);
            else window(ib, ob);
        }
    }

    private void global(long ib, long ob, float[] lanes) {
        int hw = H * W, i = 0;
        jdk.incubator.vector.FloatVector acc = jdk.incubator.vector.FloatVector.zero(Vec.S);
        for (; i <= hw - Vec.L; i += Vec.L) acc = acc.add(Vec.load(in, ib + i));
        acc.intoArray(lanes, 0);
        double sum = Vec.sum(lanes);
        for (; i < hw; i++) sum += in.getAtIndex(Vec.F, ib + i);
        out.setAtIndex(Vec.F, ob, (float) (sum / hw));
    }

    private void window(long ib, long ob) {
        for (int oy = 0; oy < OH; oy++) {
            int y0 = oy * s - pad, ys = Math.max(y0, 0), ye = Math.min(y0 + k, H);
            for (int ox = 0; ox < OW; ox++) {
                int x0 = ox * s - pad, xs = Math.max(x0, 0), xe = Math.min(x0 + k, W);
                float v;
                if (kind == Kind.MAX) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int iy = ys; iy < ye; iy++)
                        for (int ix = xs; ix < xe; ix++) m = Math.max(m, in.getAtIndex(Vec.F, ib + (long) iy * W + ix));
                    v = m;
                } else {
                    double sum = 0;
                    for (int iy = ys; iy < ye; iy++)
                        for (int ix = xs; ix < xe; ix++) sum += in.getAtIndex(Vec.F, ib + (long) iy * W + ix);
                    v = (float) (sum / avg.divisor(y0, x0, H, W));
                }
                out.setAtIndex(Vec.F, ob + (long) oy * OW + ox, v);
            }
        }
    }

}
