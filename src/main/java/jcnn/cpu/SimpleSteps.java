package jcnn.cpu;

import static jcnn.cpu.Vec.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.Step;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/** The light ops as single-threaded steps: channel shuffle (plane copies), slice copy, softmax. */
final class SimpleSteps {
    private SimpleSteps() {}

    static Step shuffle(ChannelShuffle op, Tensor in, Tensor out) {
        int C = in.c();
        long plane = 4L * in.h() * in.w();
        return () -> {
            for (int n = 0; n < in.n(); n++)
                for (int j = 0; j < C; j++)
                    MemorySegment.copy(in.segment(), 4 * n * in.batchStride() + op.sourceChannel(j, C) * plane,
                        out.segment(), 4 * n * out.batchStride() + j * plane, plane);
        };
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
