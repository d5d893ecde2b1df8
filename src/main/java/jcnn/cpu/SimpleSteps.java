package jcnn.cpu;

import static jcnn.cpu.Vec.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.Step;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/** The light ops: channel shuffle (plane copies, split over the pool), slice copy and softmax (on the calling thread). */
final class SimpleSteps {
    private SimpleSteps() {}

    /**
     * Channel shuffle as plane copies, split over the pool by runs of output channels (items of at
     * least 64 KB, so that small maps stay on one thread).
     */
    static Step shuffle(ChannelShuffle op, Tensor in, Tensor out, CpuPool pool) {
        int C = in.c(), N = in.n();
        long plane = 4L * in.h() * in.w();
        int chunks = (int) Math.max(1, Math.min(2L * pool.size(), N * C * plane / 65536));
        CpuPool.Task t = (item, worker) -> {
            MemorySegment src = in.segment(), dst = out.segment();
            for (long i = (long) item * N * C / chunks, e = (long) (item + 1) * N * C / chunks; i < e; i++) {
                int n = (int) (i / C), j = (int) (i % C);
                MemorySegment.copy(src, 4 * n * in.batchStride() + op.sourceChannel(j, C) * plane, dst, 4 * n * out.batchStride() + j * plane, plane);
            }
        };
        return () -> pool.run(t, chunks);
    }

    static Step copy(Tensor in, Tensor out) { return () -> out.copyFrom(in); }

    static Step softmax(Tensor x, Tensor y) {
        long K = x.shape().size() / x.n();
        return () -> {
            MemorySegment a = x.segment(), d = y.segment();
            for (int n = 0; n < x.n(); n++) {
                long bx = n * x.batchStride(), by = n * y.batchStride();
                float m = Float.NEGATIVE_INFINITY;
                for (long i = 0; i < K; i++) m = Math.max(m, a.getAtIndex(F, bx + i));
                double s = 0;
                for (long i = 0; i < K; i++) s += Math.exp(a.getAtIndex(F, bx + i) - m);
                for (long i = 0; i < K; i++) d.setAtIndex(F, by + i, (float) (Math.exp(a.getAtIndex(F, bx + i) - m) / s));
            }
        };
    }
}
