package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jcnn.tensor.Tensor;

/**
 * Global average pool over NCHW planes (window pools are {@link PoolStep}). Work: one item per chunk
 * of planes (at most 4 per thread). The mean is a vector sum whose lanes are added in float64 in a
 * fixed order ({@link Vec#sum}), so results do not depend on the thread count.
 */
final class CpuPooling implements CpuPool.Task {
    private MemorySegment in, out;
    private long iBS, oBS;
    private int C, H, W, OH, OW, planes, chunks;

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
            global(ib, ob, lanes[worker]);
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
}
